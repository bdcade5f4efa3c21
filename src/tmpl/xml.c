/* Template loading: libxml2 used safely, RELAX NG validation, includes
 * restricted to the template's folder, conversion into the template tree
 * and the load-time checks (names of elements, attributes, variables,
 * expressions).  See internal.h. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "tmpl/internal.h"

#define GK_NS "urn:gongkai:template:1"
#define GK_STYLE_NS "urn:gongkai:style:1"
#define MAX_TEMPLATE_BYTES (16u << 20)

/* ------------------------------------------------------------------ */
/* libxml2 errors -> gk_error                                          */

typedef struct xerr {
    gk_error *err;
    gk_status st;
    const char *file;   /* name to print when libxml2 gives none */
    bool set;
    bool doctype;
    int doctype_line;
} xerr;

static void trim_msg(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* The usual RELAX NG messages in Chinese ("%1" and "%2" are the names
 * libxml2 puts in str1/str2); others are kept as libxml2 words them. */
static void rng_message(xmlErrorPtr e, char *msg, size_t cap)
{
    static const struct { const char *prefix, *zh; } tr[] = {
        {"Did not expect text in element", "元素 <%1> 中不能直接写文字（请写在 <p>、<heading> 等元素之中）"},
        {"Did not expect element", "此处不应出现元素 <%1>"},
        {"Expecting element", "此处应为元素 <%1>，却是 <%2>"},
        {"Expecting an element", "缺少元素 <%1>"},
        {"Element %s has extra content", "元素 <%1> 中有多余的内容"},
        {"Invalid attribute", "元素 <%2> 不能有属性 %1"},
        {"Extra element", "元素 <%1> 多余"},
        {"Error validating value", "属性值不合要求"},
        {"Element %s failed to validate attributes", "元素 <%1> 的属性不合要求"},
        {"Element", "元素 <%1> 的内容不符合模板语法"},
    };
    char mbuf[400];
    snprintf(mbuf, sizeof mbuf, "%s", e->message ? e->message : "");
    trim_msg(mbuf);
    const char *m = mbuf;
    if (gk_get_lang() == GK_LANG_ZH)
        for (size_t i = 0; i < sizeof tr / sizeof tr[0]; i++) {
            size_t n = strcspn(tr[i].prefix, "%");
            if (strncmp(m, tr[i].prefix, n) != 0)
                continue;
            if (tr[i].prefix[n] == '%' && !strstr(m, tr[i].prefix + n + 3))
                continue;
            gk_buf b = GK_BUF_INIT;
            for (const char *p = tr[i].zh; *p; p++) {
                if (p[0] == '%' && (p[1] == '1' || p[1] == '2')) {
                    const char *v = p[1] == '1' ? e->str1 : e->str2;
                    gk_buf_puts(&b, v ? v : "?");
                    p++;
                } else {
                    gk_buf_putc(&b, *p);
                }
            }
            gk_buf_printf(&b, "（%s）", m);
            gk_utf8_copy(msg, cap, b.ptr);
            gk_buf_release(&b);
            trim_msg(msg);
            return;
        }
    gk_utf8_copy(msg, cap, m);
    trim_msg(msg);
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    xerr *x = ctx;
    if (!x || x->set || !e || e->level == XML_ERR_WARNING)
        return;
    char msg[400];
    if (x->st == GK_ERR_XML_SYNTAX)
        snprintf(msg, sizeof msg, "%s", e->message ? e->message : "?");
    else
        rng_message(e, msg, sizeof msg);
    trim_msg(msg);
    const char *what = x->st == GK_ERR_XML_SYNTAX
                           ? GK_TR("XML 格式错误", "malformed XML")
                           : GK_TR("不符合模板语法（RELAX NG）", "invalid template (RELAX NG)");
    gk_error_set(x->err, x->st, x->file, e->line > 0 ? e->line : 0,
                 e->int2 > 0 && x->st == GK_ERR_XML_SYNTAX ? e->int2 : 0, NULL,
                 "%s：%s", what, msg);
    x->set = true;
}

static void silent_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void errors_to(xerr *x)
{
    xmlSetStructuredErrorFunc(x, on_xml_error);
    xmlSetGenericErrorFunc(NULL, silent_generic);
}

static void errors_reset(void)
{
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, silent_generic);
}

/* A DOCTYPE is refused outright: it is the only way to declare entities
 * (XXE, billion laughs).  Stop the parser before the internal subset. */
static void on_internal_subset(void *ctx, const xmlChar *name,
                               const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    xmlParserCtxtPtr c = ctx;
    xerr *x = c->_private;
    if (x) {
        x->doctype = true;
        x->doctype_line = c->input ? c->input->line : 0;
    }
    xmlStopParser(c);
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser(); /* once, before any thread parses */
}

void *gk__xml_read(const char *path, gk_error *err)
{
    pthread_once(&xml_once, xml_init);
    char *data;
    size_t len;
    gk_status st = gk_read_file(path, MAX_TEMPLATE_BYTES, &data, &len, err);
    if (st)
        return NULL;
    xerr x = {.err = err, .st = GK_ERR_XML_SYNTAX, .file = path};
    errors_to(&x);
    xmlParserCtxtPtr c = xmlNewParserCtxt();
    if (!c) {
        errors_reset();
        free(data);
        gk_error_set(err, GK_ERR_BACKEND, path, 0, 0, NULL, "libxml2: xmlNewParserCtxt");
        return NULL;
    }
    c->_private = &x;
    c->sax->internalSubset = on_internal_subset;
    c->sax->externalSubset = NULL;
    c->sax->entityDecl = NULL;
    c->sax->resolveEntity = NULL;
    /* No XML_PARSE_NOENT (no entity substitution), no DTDLOAD/DTDATTR/
     * DTDVALID (no DTD is read), NONET (nothing from the network). */
    int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(c, data, (int)len, path, NULL, opts);
    c->_private = NULL;
    xmlFreeParserCtxt(c);
    errors_reset();
    free(data);
    if (x.doctype || (doc && (doc->intSubset || doc->extSubset))) {
        if (doc)
            xmlFreeDoc(doc);
        gk_error_set(err, GK_ERR_TEMPLATE, path, x.doctype_line, 0, NULL,
                     GK_TR("模板不得含有 DOCTYPE（文档类型与实体声明会被拒绝，以防 XXE 和实体膨胀攻击）",
                           "a template must not contain a DOCTYPE (document type and entity "
                           "declarations are refused: XXE, billion laughs)"));
        return NULL;
    }
    if (!doc) {
        if (!x.set)
            gk_error_set(err, GK_ERR_XML_SYNTAX, path, 0, 0, NULL,
                         GK_TR("无法解析 XML", "cannot parse the XML"));
        return NULL;
    }
    if (x.set) { /* a recoverable error was reported: still refuse */
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

void gk__xml_free(void *doc)
{
    if (doc)
        xmlFreeDoc(doc);
}

/* Parsed schemas are cached for the life of the process (read-only, so
 * validation with a context per call is safe from several threads). */
static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { char path[PATH_MAX]; xmlRelaxNGPtr rng; } schemas[4];

static xmlRelaxNGPtr load_schema(const char *path, gk_error *err)
{
    pthread_mutex_lock(&schema_lock);
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        if (schemas[i].rng && strcmp(schemas[i].path, path) == 0) {
            xmlRelaxNGPtr r = schemas[i].rng;
            pthread_mutex_unlock(&schema_lock);
            return r;
        }
    xerr x = {.err = err, .st = GK_ERR_TEMPLATE, .file = path};
    errors_to(&x);
    xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGPtr rng = NULL;
    if (pc) {
        xmlRelaxNGSetParserStructuredErrors(pc, on_xml_error, &x);
        rng = xmlRelaxNGParse(pc);
        xmlRelaxNGFreeParserCtxt(pc);
    }
    errors_reset();
    if (!rng) {
        gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                     GK_TR("无法读取模板语法文件（RELAX NG）%s%s",
                           "cannot read the template schema (RELAX NG)%s%s"),
                     x.set ? "：" : "", x.set ? err->msg : "");
        pthread_mutex_unlock(&schema_lock);
        return NULL;
    }
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        if (!schemas[i].rng) {
            snprintf(schemas[i].path, sizeof schemas[i].path, "%s", path);
            schemas[i].rng = rng;
            break;
        }
    pthread_mutex_unlock(&schema_lock);
    return rng;
}

gk_status gk__xml_validate(void *doc, const char *path, const char *schema,
                           gk_error *err)
{
    gk_buf sp = GK_BUF_INIT;
    gk_buf_printf(&sp, "%s/templates/%s", gk_share_dir(), schema);
    xmlRelaxNGPtr rng = load_schema(sp.ptr, err);
    gk_buf_release(&sp);
    if (!rng)
        return err ? err->status : GK_ERR_IO;
    xerr x = {.err = err, .st = GK_ERR_TEMPLATE, .file = path};
    errors_to(&x);
    xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
    int rc = -1;
    if (vc) {
        xmlRelaxNGSetValidStructuredErrors(vc, on_xml_error, &x);
        rc = xmlRelaxNGValidateDoc(vc, doc);
        xmlRelaxNGFreeValidCtxt(vc);
    }
    errors_reset();
    if (rc == 0)
        return GK_OK;
    if (!x.set)
        gk_error_set(err, GK_ERR_TEMPLATE, path, 0, 0, NULL,
                     GK_TR("不符合模板语法（RELAX NG）", "invalid template (RELAX NG)"));
    return GK_ERR_TEMPLATE;
}

char *gk__resolve_inside(const char *root_dir, const char *base_dir,
                         const char *href, const char *file, int line,
                         gk_error *err)
{
    if (!href[0] || href[0] == '/' || strstr(href, "://")) {
        gk_error_set(err, GK_ERR_TEMPLATE, file, line, 0, NULL,
                     GK_TR("引用“%s”必须是模板文件夹内的相对路径",
                           "'%s' must be a relative path inside the template folder"),
                     href);
        return NULL;
    }
    gk_buf p = GK_BUF_INIT;
    gk_buf_printf(&p, "%s/%s", base_dir, href);
    char real[PATH_MAX];
    if (!realpath(p.ptr, real)) {
        int e = errno;
        gk_buf_release(&p);
        gk_error_set(err, GK_ERR_TEMPLATE, file, line, 0, NULL,
                     GK_TR("找不到引用的文件“%s”：%s", "cannot find '%s': %s"), href,
                     strerror(e));
        return NULL;
    }
    gk_buf_release(&p);
    size_t n = strlen(root_dir);
    if (strncmp(real, root_dir, n) != 0 || real[n] != '/') {
        gk_error_set(err, GK_ERR_TEMPLATE, file, line, 0, NULL,
                     GK_TR("引用“%s”指向模板文件夹之外，已拒绝",
                           "'%s' points outside the template folder: refused"),
                     href);
        return NULL;
    }
    return gk_xstrdup(real);
}

/* ------------------------------------------------------------------ */
/* elements and attributes                                             */

static const struct {
    const char *name;
    const char *attrs; /* allowed attributes, space separated */
} kinds[GK_T_COUNT] = {
    [GK_T_TEXT] = {"#text", ""},
    [GK_T_REPORT] = {"report", "style title subject"},
    [GK_T_FRAGMENT] = {"fragment", ""},
    [GK_T_TITLEPAGE] = {"titlepage", ""},
    [GK_T_TOC] = {"toc", "title levels tables"},
    [GK_T_PART] = {"part", "number toc numbering"},
    [GK_T_HEADING] = {"heading", "level number toc numbering"},
    [GK_T_P] = {"p", "style align"},
    [GK_T_TABLE] = {"table", "number title unit left orient empty"},
    [GK_T_COLUMNS] = {"columns", ""},
    [GK_T_COL] = {"col", "width align format decimals sep zero"},
    [GK_T_HEADER] = {"header", ""},
    [GK_T_ROW] = {"row", "kind level"},
    [GK_T_CELL] = {"cell", "colspan rowspan align indent bold value"},
    [GK_T_NOTE] = {"note", ""},
    [GK_T_CHART] = {"chart", "kind title series decimals"},
    [GK_T_POINT] = {"point", "label value value2 value3 value4"},
    [GK_T_GLOSSARY] = {"glossary", "in numbering"},
    [GK_T_NARRATIVE] = {"narrative", "in level"},
    [GK_T_PAGEBREAK] = {"pagebreak", ""},
    [GK_T_INCLUDE] = {"include", "href"},
    [GK_T_LET] = {"let", "name value"},
    [GK_T_IF] = {"if", "test"},
    [GK_T_ELIF] = {"elif", "test"},
    [GK_T_ELSE] = {"else", ""},
    [GK_T_EACH] = {"each", "in as where sep limit"},
    [GK_T_SECTION] = {"section", ""},
    [GK_T_B] = {"b", ""},
    [GK_T_I] = {"i", ""},
    [GK_T_EM] = {"em", ""},
    [GK_T_U] = {"u", ""},
    [GK_T_BR] = {"br", ""},
    [GK_T_SP] = {"sp", ""},
};

const char *gk__tkind_name(gk__tkind k)
{
    return (unsigned)k < GK_T_COUNT ? kinds[k].name : "?";
}

static int kind_of(const char *name)
{
    for (int k = 1; k < GK_T_COUNT; k++)
        if (strcmp(kinds[k].name, name) == 0)
            return k;
    return -1;
}

static bool attr_allowed(gk__tkind k, const char *name)
{
    const char *p = kinds[k].attrs;
    size_t n = strlen(name);
    while (*p) {
        size_t w = strcspn(p, " ");
        if (w == n && strncmp(p, name, n) == 0)
            return true;
        p += w;
        while (*p == ' ')
            p++;
    }
    return false;
}

static bool is_expr_attr(gk__tkind k, const char *name)
{
    if (strcmp(name, "test") == 0 || strcmp(name, "where") == 0 ||
        strcmp(name, "limit") == 0 || strcmp(name, "in") == 0)
        return true;
    if (strncmp(name, "value", 5) == 0)
        return k == GK_T_LET || k == GK_T_CELL || k == GK_T_POINT;
    return false;
}

/* Attributes that are plain words, never {{ }} text. */
static bool is_literal_attr(gk__tkind k, const char *name)
{
    return strcmp(name, "as") == 0 || strcmp(name, "href") == 0 ||
           (k == GK_T_LET && strcmp(name, "name") == 0) ||
           (k == GK_T_REPORT && strcmp(name, "style") == 0);
}

const gk__tattr *gk__tattr_get(const gk__tnode *n, const char *name)
{
    for (size_t i = 0; i < n->nattrs; i++)
        if (strcmp(n->attrs[i].name, name) == 0)
            return &n->attrs[i];
    return NULL;
}

/* ------------------------------------------------------------------ */
/* loading                                                             */

typedef struct loader {
    gk_template *t;
    gk_arena *a;
    gk_error *err;
    const char *chain_real[GK_TMPL_MAX_INCLUDE_DEPTH + 2];
    const char *chain_disp[GK_TMPL_MAX_INCLUDE_DEPTH + 2];
    int depth;
} loader;

static int line_of(xmlNodePtr x)
{
    long l = xmlGetLineNo(x);
    return l > 0 && l < INT_MAX ? (int)l : 0;
}

/* The line of the first non-blank character of a text node.  libxml2
 * stores the line where the parser delivered the text, i.e. where it
 * ends (for texts delivered in one piece): count back. */
static int text_line(xmlNodePtr t)
{
    const char *c = (const char *)t->content;
    int line = line_of(t);
    if (!c)
        return line;
    int nl = 0;
    for (const char *p = c; *p; p++)
        nl += *p == '\n';
    int start = line - nl;
    int floor = t->parent ? line_of(t->parent) : 1;
    for (xmlNodePtr s = t->prev; s; s = s->prev)
        if (s->type == XML_ELEMENT_NODE) {
            floor = line_of(s);
            break;
        }
    if (start < floor)
        start = floor;
    for (const char *p = c; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
        start += *p == '\n';
    return start;
}

/* Names first, with messages in the template's words; RELAX NG then
 * checks the structure. */
static gk_status precheck(loader *L, xmlNodePtr x, const char *file)
{
    for (; x; x = x->next) {
        if (x->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)x->name;
        if (!x->ns || strcmp((const char *)x->ns->href, GK_NS) != 0)
            return gk_error_set(L->err, GK_ERR_TEMPLATE, file, line_of(x), 0, NULL,
                                GK_TR("元素 <%s> 不在模板命名空间 %s 中（根元素应写 xmlns=\"%s\"）",
                                      "element <%s> is not in the template namespace %s (write xmlns=\"%s\" on the root)"),
                                name, GK_NS, GK_NS);
        int k = kind_of(name);
        if (k < 0)
            return gk_error_set(L->err, GK_ERR_TEMPLATE, file, line_of(x), 0, NULL,
                                GK_TR("未知元素 <%s>", "unknown element <%s>"), name);
        for (xmlAttrPtr at = x->properties; at; at = at->next) {
            if (at->ns)
                return gk_error_set(L->err, GK_ERR_TEMPLATE, file, line_of(x), 0, NULL,
                                    GK_TR("<%s> 不能有带命名空间的属性 %s:%s",
                                          "<%s> cannot have the namespaced attribute %s:%s"),
                                    name, (const char *)at->ns->prefix, (const char *)at->name);
            if (!attr_allowed((gk__tkind)k, (const char *)at->name))
                return gk_error_set(L->err, GK_ERR_TEMPLATE, file, line_of(x), 0, NULL,
                                    GK_TR("元素 <%s> 没有属性“%s”（可用：%s）",
                                          "element <%s> has no attribute '%s' (allowed: %s)"),
                                    name, (const char *)at->name,
                                    kinds[k].attrs[0] ? kinds[k].attrs : GK_TR("无", "none"));
        }
        if (k == GK_T_REPORT || k == GK_T_FRAGMENT || k == GK_T_TITLEPAGE || k == GK_T_TABLE ||
            k == GK_T_COLUMNS || k == GK_T_HEADER || k == GK_T_ROW || k == GK_T_CHART ||
            k == GK_T_SECTION)
            for (xmlNodePtr t = x->children; t; t = t->next) {
                if (t->type != XML_TEXT_NODE && t->type != XML_CDATA_SECTION_NODE)
                    continue;
                const char *c = (const char *)t->content;
                size_t lead = c ? strspn(c, " \t\r\n") : 0;
                if (!c || !c[lead])
                    continue;
                int line = text_line(t);
                return gk_error_set(L->err, GK_ERR_TEMPLATE, file, line, 0, NULL,
                                    GK_TR("<%s> 中不能直接写文字（请写在 <p>、<heading>、<cell> 等元素之中）",
                                          "text cannot stand directly in <%s> (put it in <p>, <heading>, <cell>, ...)"),
                                    name);
            }
        gk_status st = precheck(L, x->children, file);
        if (st)
            return st;
    }
    return GK_OK;
}

/* Runs of whitespace that contain a newline are template indentation. */
static char *strip_indent(gk_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *out = gk_arena_alloc(a, n + 1);
    size_t o = 0, i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            size_t j = i;
            bool nl = false;
            while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) {
                if (s[j] == '\n')
                    nl = true;
                j++;
            }
            if (!nl) {
                memcpy(out + o, s + i, j - i);
                o += j - i;
            }
            i = j;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return out;
}

static gk_status convert_children(loader *L, xmlNodePtr x, const char *file,
                                  const char *dir_real, const char *dir_disp,
                                  gk_vec *out);

static gk_status load_include(loader *L, xmlNodePtr x, const char *file,
                              const char *dir_real, const char *dir_disp,
                              gk_vec *out)
{
    xmlChar *href = xmlGetProp(x, (const xmlChar *)"href");
    int line = line_of(x);
    if (!href)
        return gk_error_set(L->err, GK_ERR_TEMPLATE, file, line, 0, NULL,
                            GK_TR("<include> 缺少 href", "<include> needs href"));
    char *real = gk__resolve_inside(L->t->dir, dir_real, (const char *)href, file,
                                    line, L->err);
    if (!real) {
        xmlFree(href);
        return L->err ? L->err->status : GK_ERR_TEMPLATE;
    }
    gk_buf disp = GK_BUF_INIT;
    gk_buf_printf(&disp, "%s/%s", dir_disp, (const char *)href);
    xmlFree(href);
    for (int i = 0; i < L->depth; i++)
        if (strcmp(L->chain_real[i], real) == 0) {
            gk_buf chain = GK_BUF_INIT;
            for (int j = i; j < L->depth; j++)
                gk_buf_printf(&chain, "%s → ", L->chain_disp[j]);
            gk_buf_puts(&chain, disp.ptr);
            gk_error_set(L->err, GK_ERR_TEMPLATE, file, line, 0, NULL,
                         GK_TR("循环引用：%s", "include loop: %s"), chain.ptr);
            gk_buf_release(&chain);
            gk_buf_release(&disp);
            free(real);
            return GK_ERR_TEMPLATE;
        }
    if (L->depth > GK_TMPL_MAX_INCLUDE_DEPTH) { /* root + 16 nested includes */
        gk_error_set(L->err, GK_ERR_LIMIT, file, line, 0, NULL,
                     GK_TR("引用嵌套超过 %d 层", "includes nested deeper than %d"),
                     GK_TMPL_MAX_INCLUDE_DEPTH);
        gk_buf_release(&disp);
        free(real);
        return GK_ERR_LIMIT;
    }
    const char *disp_a = gk_arena_strdup(L->a, disp.ptr);
    const char *real_a = gk_arena_strdup(L->a, real);
    gk_buf_release(&disp);
    free(real);

    xmlDocPtr doc = gk__xml_read(disp_a, L->err);
    if (!doc)
        return L->err ? L->err->status : GK_ERR_TEMPLATE;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    gk_status st = GK_OK;
    if (!root)
        st = gk_error_set(L->err, GK_ERR_TEMPLATE, disp_a, 0, 0, NULL,
                          GK_TR("文件是空的", "the file is empty"));
    if (!st)
        st = precheck(L, root, disp_a);
    if (!st && strcmp((const char *)root->name, "fragment") != 0)
        st = gk_error_set(L->err, GK_ERR_TEMPLATE, disp_a, line_of(root), 0, NULL,
                          GK_TR("被引用文件的根元素应为 <fragment>，而不是 <%s>",
                                "the root of an included file must be <fragment>, not <%s>"),
                          (const char *)root->name);
    if (!st)
        st = gk__xml_validate(doc, disp_a, "gongkai-template.rng", L->err);
    if (!st) {
        L->chain_real[L->depth] = real_a;
        L->chain_disp[L->depth] = disp_a;
        L->depth++;
        char *slash = strrchr(real_a, '/');
        const char *sub_real = gk_arena_strndup(L->a, real_a, (size_t)(slash - real_a));
        const char *dslash = strrchr(disp_a, '/');
        const char *sub_disp = dslash ? gk_arena_strndup(L->a, disp_a, (size_t)(dslash - disp_a)) : ".";
        st = convert_children(L, root->children, disp_a, sub_real, sub_disp, out);
        L->depth--;
    }
    xmlFreeDoc(doc);
    return st;
}

static gk_status convert_elem(loader *L, xmlNodePtr x, const char *file,
                              const char *dir_real, const char *dir_disp,
                              gk__tnode **out)
{
    gk__tnode *n = GK_ARENA_NEW(L->a, gk__tnode);
    n->kind = (gk__tkind)kind_of((const char *)x->name);
    n->file = file;
    n->line = line_of(x);
    size_t na = 0;
    for (xmlAttrPtr at = x->properties; at; at = at->next)
        na++;
    n->attrs = GK_ARENA_ARRAY(L->a, gk__tattr, na ? na : 1);
    for (xmlAttrPtr at = x->properties; at; at = at->next) {
        gk__tattr *ta = &n->attrs[n->nattrs++];
        ta->name = gk_arena_strdup(L->a, (const char *)at->name);
        xmlChar *v = xmlNodeListGetString(x->doc, at->children, 1);
        ta->raw = gk_arena_strdup(L->a, v ? (const char *)v : "");
        xmlFree(v);
        gk_status st;
        if (is_expr_attr(n->kind, ta->name)) {
            ta->is_expr = true;
            ta->code = gk__expr_parse(L->a, ta->raw, strlen(ta->raw), file, n->line, L->err);
            if (!ta->code)
                return L->err ? L->err->status : GK_ERR_EXPR;
        } else if (!is_literal_attr(n->kind, ta->name)) {
            if ((st = gk__tstr_parse(L->a, ta->raw, file, n->line, &ta->tstr, L->err)))
                return st;
        }
    }
    gk_vec kids = {0};
    gk_status st = convert_children(L, x->children, file, dir_real, dir_disp, &kids);
    if (st)
        return st;
    n->nkids = kids.len;
    n->kids = (gk__tnode **)kids.items;
    *out = n;
    return GK_OK;
}

static gk_status convert_children(loader *L, xmlNodePtr x, const char *file,
                                  const char *dir_real, const char *dir_disp,
                                  gk_vec *out)
{
    for (; x; x = x->next) {
        gk_status st;
        if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
            const char *raw = (const char *)x->content;
            char *txt = strip_indent(L->a, raw ? raw : "");
            if (!txt[0])
                continue;
            gk__tnode *n = GK_ARENA_NEW(L->a, gk__tnode);
            n->kind = GK_T_TEXT;
            n->file = file;
            n->line = text_line(x);
            if ((st = gk__tstr_parse(L->a, txt, file, n->line, &n->text, L->err)))
                return st;
            gk_vec_push(L->a, out, n);
        } else if (x->type == XML_ELEMENT_NODE) {
            if (strcmp((const char *)x->name, "include") == 0) {
                if ((st = load_include(L, x, file, dir_real, dir_disp, out)))
                    return st;
                continue;
            }
            gk__tnode *n;
            if ((st = convert_elem(L, x, file, dir_real, dir_disp, &n)))
                return st;
            gk_vec_push(L->a, out, n);
        } else if (x->type == XML_ENTITY_REF_NODE) {
            return gk_error_set(L->err, GK_ERR_TEMPLATE, file, line_of(x), 0, NULL,
                                GK_TR("不允许实体引用 &%s;", "entity reference &%s; is not allowed"),
                                (const char *)x->name);
        }
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* load-time scope check                                               */

static gk_status check_attrs(const gk__tnode *n, const gk__scope *sc, gk_error *err,
                             const char *skip)
{
    for (size_t i = 0; i < n->nattrs; i++) {
        const gk__tattr *a = &n->attrs[i];
        if (skip && strcmp(a->name, skip) == 0)
            continue;
        gk_status st = a->is_expr ? gk__expr_check(a->code, sc, err)
                                  : gk__tstr_check(&a->tstr, sc, err);
        if (st)
            return st;
    }
    return GK_OK;
}

static bool valid_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static gk_status check_var_name(const gk__tnode *n, const char *name, gk_error *err)
{
    static const char *const reserved[] = {"null", "true", "false", "and", "or", "not", "loop", "data"};
    bool bad = !valid_name(name);
    for (size_t i = 0; !bad && i < sizeof reserved / sizeof reserved[0]; i++)
        bad = strcmp(reserved[i], name) == 0;
    if (bad)
        return gk_error_set(err, GK_ERR_TEMPLATE, n->file, n->line, 0, NULL,
                            GK_TR("变量名“%s”无效（字母、数字、下划线，不能是保留字）",
                                  "invalid variable name '%s' (letters, digits, _; not a reserved word)"),
                            name);
    return GK_OK;
}

static gk_status check_list(gk__tnode **kids, size_t n, const gk__scope *sc,
                            gk_arena *a, gk_error *err);

static gk_status check_node(const gk__tnode *n, const gk__scope *sc, gk_arena *a,
                            gk_error *err)
{
    gk_status st;
    if (n->kind == GK_T_TEXT)
        return gk__tstr_check(&n->text, sc, err);
    if (n->kind == GK_T_EACH) {
        const gk__tattr *in = gk__tattr_get(n, "in");
        const gk__tattr *as = gk__tattr_get(n, "as");
        if (!in || !as)
            return gk_error_set(err, GK_ERR_TEMPLATE, n->file, n->line, 0, NULL,
                                GK_TR("<each> 需要 in 和 as 属性", "<each> needs in and as"));
        if ((st = check_var_name(n, as->raw, err)))
            return st;
        if ((st = gk__expr_check(in->code, sc, err)))
            return st;
        const gk__tattr *lim = gk__tattr_get(n, "limit");
        if (lim && (st = gk__expr_check(lim->code, sc, err)))
            return st;
        gk__scope *s1 = GK_ARENA_NEW(a, gk__scope);
        s1->name = as->raw;
        s1->up = sc;
        gk__scope *s2 = GK_ARENA_NEW(a, gk__scope);
        s2->name = "loop";
        s2->up = s1;
        const gk__tattr *where = gk__tattr_get(n, "where");
        if (where && (st = gk__expr_check(where->code, s1, err)))
            return st;
        const gk__tattr *sep = gk__tattr_get(n, "sep");
        if (sep && (st = gk__tstr_check(&sep->tstr, sc, err)))
            return st;
        return check_list(n->kids, n->nkids, s2, a, err);
    }
    if ((st = check_attrs(n, sc, err, NULL)))
        return st;
    return check_list(n->kids, n->nkids, sc, a, err);
}

static gk_status check_list(gk__tnode **kids, size_t n, const gk__scope *sc,
                            gk_arena *a, gk_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const gk__tnode *k = kids[i];
        gk_status st;
        if (k->kind == GK_T_LET) {
            const gk__tattr *name = gk__tattr_get(k, "name");
            const gk__tattr *value = gk__tattr_get(k, "value");
            if (!name || !value)
                return gk_error_set(err, GK_ERR_TEMPLATE, k->file, k->line, 0, NULL,
                                    GK_TR("<let> 需要 name 和 value 属性", "<let> needs name and value"));
            if ((st = check_var_name(k, name->raw, err)))
                return st;
            if ((st = gk__expr_check(value->code, sc, err)))
                return st;
            gk__scope *s = GK_ARENA_NEW(a, gk__scope);
            s->name = name->raw;
            s->up = sc;
            sc = s;
            continue;
        }
        if ((st = check_node(k, sc, a, err)))
            return st;
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* public entry points                                                 */

gk_template *gk_template_load(const char *path, gk_error *err)
{
    gk_template *t = gk_xcalloc(1, sizeof(*t));
    gk_arena_init(&t->arena);
    gk_style_defaults(t->styles, &t->page);
    t->path = gk_xstrdup(path);
    char real[PATH_MAX];
    /* The folder includes are confined to: the real folder of the path
     * as given (a template reached through /proc/self/fd/N or a symbolic
     * link keeps the folder it was named in). */
    gk_buf dirb = GK_BUF_INIT;
    const char *ps = strrchr(path, '/');
    if (!ps)
        gk_buf_puts(&dirb, ".");
    else if (ps == path)
        gk_buf_puts(&dirb, "/");
    else
        gk_buf_put(&dirb, path, (size_t)(ps - path));
    char rdir[PATH_MAX];
    if (!realpath(dirb.ptr, rdir)) {
        gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                     GK_TR("无法打开模板：%s", "cannot open the template: %s"),
                     strerror(errno));
        gk_buf_release(&dirb);
        gk_template_free(t);
        return NULL;
    }
    gk_buf_release(&dirb);
    t->dir = gk_xstrdup(rdir);
    if (!realpath(path, real)) {
        gk_buf rb = GK_BUF_INIT;
        gk_buf_printf(&rb, "%s/%s", rdir, ps ? ps + 1 : path);
        gk_utf8_copy(real, sizeof real, rb.ptr);
        gk_buf_release(&rb);
    }

    loader L = {.t = t, .a = &t->arena, .err = err};
    const char *file = gk_arena_strdup(&t->arena, path);
    const char *dslash = strrchr(file, '/');
    const char *dir_disp = dslash ? gk_arena_strndup(&t->arena, file, (size_t)(dslash - file)) : ".";
    L.chain_real[0] = gk_arena_strdup(&t->arena, real);
    L.chain_disp[0] = file;
    L.depth = 1;

    xmlDocPtr doc = gk__xml_read(file, err);
    if (!doc) {
        gk_template_free(t);
        return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    gk_status st = GK_OK;
    if (!root)
        st = gk_error_set(err, GK_ERR_TEMPLATE, file, 0, 0, NULL,
                          GK_TR("模板是空的", "the template is empty"));
    if (!st)
        st = precheck(&L, root, file);
    if (!st && strcmp((const char *)root->name, "report") != 0)
        st = gk_error_set(err, GK_ERR_TEMPLATE, file, line_of(root), 0, NULL,
                          GK_TR("模板的根元素应为 <report>，而不是 <%s>",
                                "the root of a template must be <report>, not <%s>"),
                          (const char *)root->name);
    if (!st)
        st = gk__xml_validate(doc, file, "gongkai-template.rng", err);
    if (!st)
        st = convert_elem(&L, root, file, t->dir, dir_disp, &t->root);
    if (!st)
        st = check_node(t->root, NULL, &t->arena, err);
    if (!st) {
        const gk__tattr *style = gk__tattr_get(t->root, "style");
        if (style) {
            char *sp = gk__resolve_inside(t->dir, t->dir, style->raw, file,
                                          t->root->line, err);
            if (!sp) {
                st = err ? err->status : GK_ERR_TEMPLATE;
            } else {
                gk_buf disp = GK_BUF_INIT;
                gk_buf_printf(&disp, "%s/%s", dir_disp, style->raw);
                st = gk__style_load(disp.ptr, t->dir, t->styles, &t->page, err);
                gk_buf_release(&disp);
                free(sp);
            }
        }
    }
    xmlFreeDoc(doc);
    if (st) {
        gk_template_free(t);
        return NULL;
    }
    return t;
}

void gk_template_free(gk_template *t)
{
    if (!t)
        return;
    gk_arena_release(&t->arena);
    free(t->path);
    free(t->dir);
    free(t);
}

void gk_template_default_path(gk_kind kind, gk_buf *out)
{
    gk_buf_printf(out, "%s/templates/%s/report.xml", gk_share_dir(),
                  kind == GK_KIND_YUSUAN ? "yusuan" : "juesuan");
}
