/* The template tree evaluated against a model into a gk_doc.
 * See README.md (Writing a template) and internal.h. */
#include <stdlib.h>
#include <string.h>

#include "tmpl/internal.h"

typedef enum mode { M_BLOCK, M_INLINE, M_ROWS, M_CELLS, M_COLS, M_POINTS } mode;

typedef struct rctx {
    const gk_template *t;
    const gk_model *m;
    gk_doc *doc;
    gk_error *err;
    gk__ev ev;
    gk_arena tmp;
    int counters[5];
    int part_auto;
    int last_level;
    bool title_page;
    /* template file names copied into the document (it outlives the
     * template): one copy per file */
    const char *file_from[64], *file_to[64];
    int nfiles;
} rctx;

/* inline target */
typedef struct inl {
    gk_runs *runs;
    unsigned flags;
} inl;

/* table building */
typedef struct colb {
    gk_column col;
    bool money, sep, has_zero;
    int decimals;
    const char *zero;
} colb;

typedef struct cellb {
    gk_runs runs;
    int colspan, rowspan, align, indent;
    bool bold;
    bool has_value;
    gk__val value;
    const gk__code *code;
    int line;
} cellb;

typedef struct rowb {
    gk_row_kind kind;
    int level;
    const char *file;
    int line;
    gk_vec cells; /* cellb* */
} rowb;

typedef struct tbuild {
    gk_vec cols;  /* colb* */
    gk_vec rows;  /* rowb* */
    bool in_header;
    gk_buf note;
} tbuild;

typedef struct pointb {
    const char *label;
    gk_fen v[GK_CHART_MAX_SERIES];
    int line;
    const char *file;
} pointb;

typedef struct cbuild {
    gk_vec points; /* pointb* */
    int nseries;
    gk_chart_kind kind;
} cbuild;

static gk_status walk(rctx *c, gk__tnode *const *kids, size_t n, const gk__env *env,
                      mode md, void *target);

static gk_status node_err(rctx *c, const gk__tnode *n, gk_status st, const char *fmt, ...)
    GK_PRINTF(4, 5);
static gk_status node_err(rctx *c, const gk__tnode *n, gk_status st, const char *fmt, ...)
{
    gk_buf b = GK_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    gk_error_set(c->err, st, n->file, n->line, 0, NULL, "%s", b.ptr);
    gk_buf_release(&b);
    return st;
}

/* ------------------------------------------------------------------ */
/* attributes                                                          */

static gk_status attr_text(rctx *c, const gk__tnode *n, const char *name,
                           const gk__env *env, const char *def, const char **out)
{
    const gk__tattr *a = gk__tattr_get(n, name);
    if (!a) {
        *out = def;
        return GK_OK;
    }
    if (a->is_expr || (!a->tstr.n && a->raw[0])) { /* literal attribute */
        *out = a->raw;
        return GK_OK;
    }
    gk_buf b = GK_BUF_INIT;
    gk_status st = gk__tstr_eval(&c->ev, &a->tstr, env, &b);
    *out = st ? NULL : gk_arena_strndup(&c->tmp, b.ptr, b.len);
    gk_buf_release(&b);
    return st;
}

static gk_status attr_int(rctx *c, const gk__tnode *n, const char *name,
                          const gk__env *env, int def, int lo, int hi, int *out)
{
    const char *s;
    gk_status st = attr_text(c, n, name, env, NULL, &s);
    if (st)
        return st;
    if (!s) {
        *out = def;
        return GK_OK;
    }
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("<%s> 的属性 %s=\"%s\" 应为 %d 到 %d 的整数",
                              "<%s>: %s=\"%s\" must be an integer from %d to %d"),
                        gk__tkind_name(n->kind), name, s, lo, hi);
    *out = (int)v;
    return GK_OK;
}

/* One of `words` (space separated); index into *out. */
static gk_status attr_enum(rctx *c, const gk__tnode *n, const char *name,
                           const gk__env *env, const char *words, int def, int *out)
{
    const char *s;
    gk_status st = attr_text(c, n, name, env, NULL, &s);
    if (st)
        return st;
    if (!s) {
        *out = def;
        return GK_OK;
    }
    int i = 0;
    for (const char *p = words; *p; i++) {
        size_t w = strcspn(p, " ");
        if (w == strlen(s) && strncmp(p, s, w) == 0) {
            *out = i;
            return GK_OK;
        }
        p += w;
        while (*p == ' ')
            p++;
    }
    return node_err(c, n, GK_ERR_TEMPLATE,
                    GK_TR("<%s> 的属性 %s=\"%s\" 无效（可用：%s）",
                          "<%s>: invalid %s=\"%s\" (allowed: %s)"),
                    gk__tkind_name(n->kind), name, s, words);
}

static gk_status attr_yes(rctx *c, const gk__tnode *n, const char *name,
                          const gk__env *env, bool def, bool *out)
{
    int v;
    gk_status st = attr_enum(c, n, name, env, "no yes", def ? 1 : 0, &v);
    if (!st)
        *out = v == 1;
    return st;
}

static gk_status attr_align(rctx *c, const gk__tnode *n, const gk__env *env, int *out)
{
    int v;
    gk_status st = attr_enum(c, n, "align", env, "justify left center right", -1, &v);
    if (!st)
        *out = v;
    return st;
}

static gk_status eval_attr(rctx *c, const gk__tnode *n, const char *name,
                           const gk__env *env, gk__val *out)
{
    const gk__tattr *a = gk__tattr_get(n, name);
    memset(out, 0, sizeof(*out));
    if (!a)
        return GK_OK;
    return gk__eval(&c->ev, a->code, env, out);
}

/* ------------------------------------------------------------------ */
/* control flow                                                        */

static gk__env *bind(rctx *c, const char *name, gk__val v, const gk__env *up)
{
    gk__env *e = GK_ARENA_NEW(&c->tmp, gk__env);
    e->name = name;
    e->v = v;
    e->up = up;
    return e;
}

static gk__val loop_obj(rctx *c, size_t i, size_t n)
{
    static const char *const keys[] = {"index", "index0", "first", "last", "count"};
    gk__obj *o = GK_ARENA_NEW(&c->tmp, gk__obj);
    o->n = 5;
    o->keys = (const char **)keys;
    o->vals = GK_ARENA_ARRAY(&c->tmp, gk__val, 5);
    o->vals[0].t = GK_V_INT;
    o->vals[0].u.i = (int64_t)i + 1;
    o->vals[1].t = GK_V_INT;
    o->vals[1].u.i = (int64_t)i;
    o->vals[2].t = GK_V_BOOL;
    o->vals[2].u.b = i == 0;
    o->vals[3].t = GK_V_BOOL;
    o->vals[3].u.b = i + 1 == n;
    o->vals[4].t = GK_V_INT;
    o->vals[4].u.i = (int64_t)n;
    gk__val v = {.t = GK_V_OBJ};
    v.u.obj = o;
    return v;
}

static gk_status do_if(rctx *c, const gk__tnode *n, const gk__env *env, mode md,
                       void *target)
{
    gk__val v;
    gk_status st = eval_attr(c, n, "test", env, &v);
    if (st)
        return st;
    if (gk__truthy(&v)) {
        /* the children before the first elif/else */
        size_t k = 0;
        while (k < n->nkids && n->kids[k]->kind != GK_T_ELIF && n->kids[k]->kind != GK_T_ELSE)
            k++;
        return walk(c, n->kids, k, env, md, target);
    }
    for (size_t k = 0; k < n->nkids; k++) {
        const gk__tnode *b = n->kids[k];
        if (b->kind == GK_T_ELIF) {
            if ((st = eval_attr(c, b, "test", env, &v)))
                return st;
            if (gk__truthy(&v))
                return walk(c, b->kids, b->nkids, env, md, target);
        } else if (b->kind == GK_T_ELSE) {
            return walk(c, b->kids, b->nkids, env, md, target);
        }
    }
    return GK_OK;
}

static gk_status emit_inline_text(rctx *c, inl *in, const char *s, size_t len)
{
    gk_runs_add(c->doc, in->runs, s, len, in->flags, -1);
    return GK_OK;
}

static gk_status do_each(rctx *c, const gk__tnode *n, const gk__env *env, mode md,
                         void *target)
{
    gk__val list;
    gk_status st = eval_attr(c, n, "in", env, &list);
    if (st)
        return st;
    size_t cnt;
    gk__val *items;
    const gk__tattr *in = gk__tattr_get(n, "in");
    const gk__code *saved = c->ev.code;
    c->ev.code = in->code;
    st = gk__items(&c->ev, &list, &cnt, &items);
    c->ev.code = saved;
    if (st)
        return st;
    if (cnt > GK_TMPL_MAX_LOOP)
        return node_err(c, n, GK_ERR_LIMIT,
                        GK_TR("<each in=\"%s\"> 有 %zu 项，超过上限 %d",
                              "<each in=\"%s\"> has %zu items, more than the limit %d"),
                        in->raw, cnt, GK_TMPL_MAX_LOOP);
    const char *as = gk__tattr_get(n, "as")->raw;
    const gk__tattr *where = gk__tattr_get(n, "where");
    gk__val *kept = items;
    size_t nk = cnt;
    if (where) {
        kept = GK_ARENA_ARRAY(&c->tmp, gk__val, cnt ? cnt : 1);
        nk = 0;
        for (size_t i = 0; i < cnt; i++) {
            gk__val w;
            gk__env *e1 = bind(c, as, items[i], env);
            if ((st = gk__eval(&c->ev, where->code, e1, &w)))
                return st;
            if (gk__truthy(&w))
                kept[nk++] = items[i];
        }
    }
    const gk__tattr *lim = gk__tattr_get(n, "limit");
    if (lim) {
        gk__val lv;
        int64_t li;
        if ((st = gk__eval(&c->ev, lim->code, env, &lv)))
            return st;
        c->ev.code = lim->code;
        st = gk__to_int(&c->ev, &lv, "limit", &li);
        c->ev.code = saved;
        if (st)
            return st;
        if (li >= 0 && (uint64_t)li < nk)
            nk = (size_t)li;
    }
    /* every item was built (and, with `where`, tested: those steps are
     * counted); items cut by `limit` cost a step too, or a small limit
     * inside a loop would walk a long list for free every time */
    if (!where && nk < cnt && (st = gk__eval_steps(&c->ev, (long)(cnt - nk))))
        return node_err(c, n, GK_ERR_LIMIT, "%s", c->err->msg);
    const gk__tattr *sep = gk__tattr_get(n, "sep");
    if (sep && md != M_INLINE)
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("<each> 的 sep 只能用于行内（段落、单元格之中）",
                              "<each sep> is only allowed inline (inside a paragraph or a cell)"));
    for (size_t i = 0; i < nk; i++) {
        if ((st = gk__eval_steps(&c->ev, 1)))
            return node_err(c, n, GK_ERR_LIMIT, "%s", c->err->msg);
        if (sep && i > 0) {
            gk_buf b = GK_BUF_INIT;
            st = gk__tstr_eval(&c->ev, &sep->tstr, env, &b);
            if (!st)
                emit_inline_text(c, target, b.ptr, b.len);
            gk_buf_release(&b);
            if (st)
                return st;
        }
        gk__env *e1 = bind(c, as, kept[i], env);
        gk__env *e2 = bind(c, "loop", loop_obj(c, i, nk), e1);
        if ((st = walk(c, n->kids, n->nkids, e2, md, target)))
            return st;
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* inline content                                                      */

static gk_status inline_elem(rctx *c, const gk__tnode *n, const gk__env *env, inl *in)
{
    switch (n->kind) {
    case GK_T_TEXT: {
        gk_buf b = GK_BUF_INIT;
        gk_status st = gk__tstr_eval(&c->ev, &n->text, env, &b);
        if (!st)
            emit_inline_text(c, in, b.ptr, b.len);
        gk_buf_release(&b);
        return st;
    }
    case GK_T_B:
    case GK_T_I:
    case GK_T_EM:
    case GK_T_U: {
        inl sub = *in;
        sub.flags |= n->kind == GK_T_B ? GK_RUN_BOLD
                     : n->kind == GK_T_I ? GK_RUN_ITALIC
                     : n->kind == GK_T_EM ? GK_RUN_EMPHASIS : GK_RUN_UNDERLINE;
        return walk(c, n->kids, n->nkids, env, M_INLINE, &sub);
    }
    case GK_T_BR:
        return emit_inline_text(c, in, "\n", 1);
    case GK_T_SP:
        return emit_inline_text(c, in, " ", 1);
    default:
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("<%s> 不能出现在行内内容中", "<%s> is not allowed in inline content"),
                        gk__tkind_name(n->kind));
    }
}

static gk_status runs_of(rctx *c, const gk__tnode *n, const gk__env *env, gk_runs *runs)
{
    inl in = {.runs = runs, .flags = 0};
    return walk(c, n->kids, n->nkids, env, M_INLINE, &in);
}

static const char *runs_plain(rctx *c, const gk_runs *r)
{
    gk_buf b = GK_BUF_INIT;
    for (size_t i = 0; i < r->len; i++)
        gk_buf_puts(&b, r->items[i].text);
    const char *s = gk_arena_strndup(&c->tmp, b.ptr, b.len);
    gk_buf_release(&b);
    return s;
}

/* ------------------------------------------------------------------ */
/* blocks                                                              */

static gk_src src_of(rctx *c, const gk__tnode *n)
{
    for (int i = 0; i < c->nfiles; i++)
        if (c->file_from[i] == n->file)
            return (gk_src){.file = c->file_to[i], .line = n->line};
    const char *copy = gk_doc_strdup(c->doc, n->file);
    if (c->nfiles < 64) {
        c->file_from[c->nfiles] = n->file;
        c->file_to[c->nfiles++] = copy;
    }
    return (gk_src){.file = copy, .line = n->line};
}

static gk_status add_block(rctx *c, const gk__tnode *n, gk_block_type type, gk_block **out)
{
    if (c->doc->nblocks >= GK_TMPL_MAX_BLOCKS)
        return node_err(c, n, GK_ERR_LIMIT,
                        GK_TR("文档超过 %d 个块", "the document exceeds %d blocks"),
                        GK_TMPL_MAX_BLOCKS);
    gk_src src = src_of(c, n);
    *out = gk_doc_add_block(c->doc, type, src);
    (*out)->title_page = c->title_page;
    return GK_OK;
}

static gk_status add_paragraph(rctx *c, const gk__tnode *n, gk_style_id style, int align,
                               gk_block **out)
{
    gk_status st = add_block(c, n, GK_BLOCK_PARAGRAPH, out);
    if (st)
        return st;
    (*out)->u.para.style = style;
    (*out)->u.para.align = align;
    return GK_OK;
}

static const char *const default_numbering[5] = {"", "一、", "（一）", "1.", "（1）"};

/* Add a heading block: number per the counters, runs copied. */
static gk_status add_heading(rctx *c, const gk__tnode *n, int level, int number_mode,
                             const char *numbering, bool in_toc, const gk_runs *runs)
{
    /* number_mode: 0 auto, 1 no, 2 restart */
    if (c->doc->nblocks >= GK_TMPL_MAX_BLOCKS)
        return node_err(c, n, GK_ERR_LIMIT,
                        GK_TR("文档超过 %d 个块", "the document exceeds %d blocks"),
                        GK_TMPL_MAX_BLOCKS);
    gk_buf num = GK_BUF_INIT;
    if (level == 0) {
        for (int l = 1; l <= 4; l++)
            c->counters[l] = 0;
        if (number_mode == 0 && numbering) {
            c->part_auto++;
            gk__ordinal(c->part_auto, numbering, &num);
        }
    } else {
        if (number_mode != 1) {
            if (number_mode == 2)
                c->counters[level] = 0;
            c->counters[level]++;
            gk__ordinal(c->counters[level], numbering ? numbering : default_numbering[level], &num);
        }
        for (int l = level + 1; l <= 4; l++)
            c->counters[l] = 0;
    }
    gk_src src = src_of(c, n);
    gk_block *b = gk_doc_add_heading(c->doc, level, num.ptr, src);
    b->title_page = c->title_page;
    b->u.heading.in_toc = in_toc && !c->title_page;
    for (size_t i = 0; i < runs->len; i++)
        gk_runs_add(c->doc, &b->u.heading.runs, runs->items[i].text,
                    strlen(runs->items[i].text), runs->items[i].flags, runs->items[i].font);
    gk_buf plain = GK_BUF_INIT;
    gk_buf_puts(&plain, num.ptr);
    for (size_t i = 0; i < runs->len; i++)
        gk_buf_puts(&plain, runs->items[i].text);
    b->u.heading.plain = gk_doc_strdup(c->doc, plain.ptr);
    gk_buf_release(&plain);
    gk_buf_release(&num);
    c->last_level = level;
    return GK_OK;
}

static gk_status do_heading(rctx *c, const gk__tnode *n, const gk__env *env, bool part)
{
    int level = 0, nmode = 0;
    gk_status st;
    if (!part && (st = attr_int(c, n, "level", env, 1, 1, 4, &level)))
        return st;
    if (part) {
        if ((st = attr_enum(c, n, "number", env, "auto no", 1, &nmode)))
            return st;
    } else if ((st = attr_enum(c, n, "number", env, "auto no restart", 0, &nmode))) {
        return st;
    }
    const char *numbering = NULL;
    if ((st = attr_text(c, n, "numbering", env, part ? "第一部分 " : NULL, &numbering)))
        return st;
    if (numbering && !strstr(numbering, "一") && !strchr(numbering, '1'))
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("编号样式“%s”中应有“一”或“1”",
                              "numbering style '%s' must contain 一 or 1"),
                        numbering);
    bool toc;
    if ((st = attr_yes(c, n, "toc", env, true, &toc)))
        return st;
    gk_runs runs = {0};
    if ((st = runs_of(c, n, env, &runs)))
        return st;
    return add_heading(c, n, level, nmode, numbering, toc, &runs);
}

static gk_status do_paragraph(rctx *c, const gk__tnode *n, const gk__env *env)
{
    const char *style;
    gk_status st = attr_text(c, n, "style", env, "body", &style);
    if (st)
        return st;
    gk_style_id sid;
    if (!gk_style_from_name(style, &sid))
        return node_err(c, n, GK_ERR_TEMPLATE, GK_TR("未知样式名“%s”", "unknown style '%s'"),
                        style);
    int align;
    if ((st = attr_align(c, n, env, &align)))
        return st;
    gk_runs runs = {0};
    if ((st = runs_of(c, n, env, &runs)))
        return st;
    if (runs.len == 0)
        return GK_OK; /* nothing to say: no empty paragraph */
    gk_block *b;
    if ((st = add_paragraph(c, n, sid, align, &b)))
        return st;
    b->u.para.runs = runs;
    return GK_OK;
}

static gk_status do_toc(rctx *c, const gk__tnode *n, const gk__env *env)
{
    const char *title;
    int levels;
    gk_status st = attr_text(c, n, "title", env, "目录", &title);
    if (!st)
        st = attr_int(c, n, "levels", env, 1, 0, 4, &levels);
    if (st)
        return st;
    gk_block *b;
    if ((st = add_block(c, n, GK_BLOCK_TOC, &b)))
        return st;
    b->u.toc.title = gk_doc_strdup(c->doc, title);
    b->u.toc.max_level = levels;
    if ((st = attr_yes(c, n, "tables", env, false, &b->u.toc.tables)))
        return st;
    return GK_OK;
}

static gk_status body_paragraph(rctx *c, const gk__tnode *n, const char *text)
{
    gk_block *b = NULL;
    gk_status st = add_paragraph(c, n, GK_STYLE_BODY, -1, &b);
    if (!st)
        gk_runs_add(c->doc, &b->u.para.runs, text, strlen(text), 0, -1);
    return st;
}

static gk_status str_field(rctx *c, const gk__tnode *n, const gk__val *item,
                           const char *key, bool required, const char **out)
{
    gk__val v;
    gk_status st = gk__field(&c->ev, item, key, strlen(key), &v);
    if (st)
        return st;
    if (v.t == GK_V_NULL && !required) {
        *out = NULL;
        return GK_OK;
    }
    if (v.t != GK_V_STR)
        return node_err(c, n, GK_ERR_DATA,
                        GK_TR("<%s>：数据项的“%s”应为字符串（现为%s）",
                              "<%s>: the item's '%s' must be a string (it is a %s)"),
                        gk__tkind_name(n->kind), key, gk__vtype_name(v.t));
    *out = v.u.str.s;
    return GK_OK;
}

static gk_status do_glossary(rctx *c, const gk__tnode *n, const gk__env *env)
{
    gk__val list;
    gk_status st = eval_attr(c, n, "in", env, &list);
    if (st)
        return st;
    const char *numbering;
    if ((st = attr_text(c, n, "numbering", env, "1、", &numbering)))
        return st;
    size_t cnt;
    gk__val *items;
    c->ev.code = gk__tattr_get(n, "in")->code;
    st = gk__items(&c->ev, &list, &cnt, &items);
    c->ev.code = NULL;
    if (st)
        return st;
    for (size_t i = 0; i < cnt; i++) {
        const char *term, *def;
        if ((st = str_field(c, n, &items[i], "term", true, &term)) ||
            (st = str_field(c, n, &items[i], "definition", true, &def)))
            return st;
        gk_buf b = GK_BUF_INIT;
        gk__ordinal((int64_t)i + 1, numbering, &b);
        gk_buf_printf(&b, "%s：%s", term, def);
        st = body_paragraph(c, n, b.ptr);
        gk_buf_release(&b);
        if (st)
            return st;
    }
    return GK_OK;
}

static gk_status build_table(rctx *c, const gk__tnode *n, tbuild *tb, gk_table *t);
static gk_orient auto_orient(rctx *c, const gk_table *t);

static gk_status data_err(rctx *c, const gk__tnode *n, const gk_json *j, const char *what)
{
    gk_buf path = GK_BUF_INIT;
    gk_json_path(j, &path);
    gk_status st = node_err(c, n, GK_ERR_DATA,
                            GK_TR("<narrative>：数据 %s：%s", "<narrative>: data %s: %s"),
                            path.ptr, what);
    gk_buf_release(&path);
    return st;
}

/* A table item of a narrative (DATA.md): text cells with spans. */
static gk_status narrative_table(rctx *c, const gk__tnode *n, const gk__val *item)
{
    const gk_json *tj = gk_json_get(item->u.j, "table");
    if (tj->type != GK_JSON_OBJECT)
        return data_err(c, n, tj, GK_TR("table 应为对象", "table must be an object"));
    const gk_json *rows = gk_json_get(tj, "rows");
    const gk_json *widths = gk_json_get(tj, "widths");
    const gk_json *title = gk_json_get(tj, "title");
    if (!rows || rows->type != GK_JSON_ARRAY)
        return data_err(c, n, tj, GK_TR("table.rows 应为数组", "table.rows must be an array"));
    tbuild tb = {.note = GK_BUF_INIT};
    if (widths && widths->type == GK_JSON_ARRAY) {
        for (size_t k = 0; k < widths->len; k++) {
            const gk_json *wj = widths->items[k];
            colb *cb = GK_ARENA_NEW(&c->tmp, colb);
            cb->col.align = GK_ALIGN_LEFT;
            if (wj->type == GK_JSON_NUMBER)
                cb->col.width = strtod(wj->text, NULL);
            if (cb->col.width <= 0 || cb->col.width > 1000)
                return data_err(c, n, wj, GK_TR("列宽应为正数", "a width must be a positive number"));
            gk_vec_push(&c->tmp, &tb.cols, cb);
        }
    }
    for (size_t r = 0; r < rows->len; r++) {
        const gk_json *rj = rows->items[r];
        if (rj->type != GK_JSON_ARRAY)
            return data_err(c, n, rj, GK_TR("表格行应为数组", "a table row must be an array"));
        rowb *rb = GK_ARENA_NEW(&c->tmp, rowb);
        rb->kind = GK_ROW_BODY;
        rb->file = n->file;
        rb->line = n->line;
        for (size_t k = 0; k < rj->len; k++) {
            const gk_json *cj = rj->items[k];
            cellb *cb = GK_ARENA_NEW(&c->tmp, cellb);
            cb->colspan = cb->rowspan = 1;
            cb->align = -1;
            cb->line = n->line;
            const gk_json *text = cj;
            if (cj->type == GK_JSON_OBJECT) {
                text = gk_json_get(cj, "text");
                const gk_json *cs = gk_json_get(cj, "colspan");
                const gk_json *rs = gk_json_get(cj, "rowspan");
                if (cs)
                    cb->colspan = cs->type == GK_JSON_NUMBER ? atoi(cs->text) : 0;
                if (rs)
                    cb->rowspan = rs->type == GK_JSON_NUMBER ? atoi(rs->text) : 0;
                if (cb->colspan < 1 || cb->colspan > 1000 || cb->rowspan < 1 || cb->rowspan > 100000)
                    return data_err(c, n, cj, GK_TR("colspan/rowspan 应为正整数",
                                                    "colspan/rowspan must be positive integers"));
            }
            if (text && text->type == GK_JSON_STRING)
                gk_runs_add(c->doc, &cb->runs, text->text, text->text_len, 0, -1);
            else if (text && text->type == GK_JSON_NUMBER)
                gk_runs_add(c->doc, &cb->runs, text->text, text->text_len, 0, -1);
            else if (text && text->type != GK_JSON_NULL)
                return data_err(c, n, cj, GK_TR("单元格应为字符串或 {text, colspan, rowspan}",
                                                "a cell must be a string or {text, colspan, rowspan}"));
            gk_vec_push(&c->tmp, &rb->cells, cb);
        }
        gk_vec_push(&c->tmp, &tb.rows, rb);
    }
    if (tb.rows.len == 0)
        return GK_OK;
    gk_block *b;
    gk_status st = add_block(c, n, GK_BLOCK_TABLE, &b);
    if (st)
        return st;
    gk_table *t = &b->u.table;
    t->title = gk_doc_strdup(c->doc, title && title->type == GK_JSON_STRING ? title->text : "");
    t->anchor = gk_arena_printf(&c->doc->arena, "t%d", ++c->doc->ntables);
    if ((st = build_table(c, n, &tb, t))) {
        gk_buf path = GK_BUF_INIT;
        gk_json_path(tj, &path);
        gk_buf msg = GK_BUF_INIT;
        gk_buf_printf(&msg, "%s: %s", path.ptr, c->err->msg);
        gk_error_set(c->err, GK_ERR_DATA, n->file, n->line, 0, NULL, "%s", msg.ptr);
        gk_buf_release(&msg);
        gk_buf_release(&path);
        return GK_ERR_DATA;
    }
    t->orient = auto_orient(c, t);
    return GK_OK;
}

static gk_status narrative(rctx *c, const gk__tnode *n, const gk__val *list, int level,
                           int depth)
{
    size_t cnt;
    gk__val *items;
    gk_status st = gk__items(&c->ev, list, &cnt, &items);
    if (st)
        return st;
    if (depth > 16)
        return node_err(c, n, GK_ERR_LIMIT, GK_TR("叙述嵌套过深", "narrative nested too deeply"));
    for (size_t i = 0; i < cnt; i++) {
        const gk__val *it = &items[i];
        if (it->t == GK_V_STR) {
            if ((st = body_paragraph(c, n, it->u.str.s)))
                return st;
            continue;
        }
        const char *heading;
        if (it->t == GK_V_JSON && it->u.j->type == GK_JSON_OBJECT &&
            gk_json_get(it->u.j, "table")) {
            if ((st = narrative_table(c, n, it)))
                return st;
            continue;
        }
        if (it->t != GK_V_JSON || it->u.j->type != GK_JSON_OBJECT)
            return node_err(c, n, GK_ERR_DATA,
                            GK_TR("<narrative>：叙述项应为字符串或 {heading, body}（现为%s）",
                                  "<narrative>: an item must be a string or {heading, body} (it is a %s)"),
                            gk__vtype_name(it->t));
        if ((st = str_field(c, n, it, "heading", true, &heading)))
            return st;
        gk__val numbered, body;
        if ((st = gk__field(&c->ev, it, "numbered", 8, &numbered)) ||
            (st = gk__field(&c->ev, it, "body", 4, &body)))
            return st;
        bool num = !(numbered.t == GK_V_BOOL && !numbered.u.b);
        gk_runs runs = {0};
        gk_runs_add(c->doc, &runs, heading, strlen(heading), 0, -1);
        int lv = level > 4 ? 4 : level;
        if ((st = add_heading(c, n, lv, num ? 0 : 1, NULL, true, &runs)))
            return st;
        if ((st = narrative(c, n, &body, level + 1, depth + 1)))
            return st;
    }
    return GK_OK;
}

static gk_status do_narrative(rctx *c, const gk__tnode *n, const gk__env *env)
{
    gk__val list;
    gk_status st = eval_attr(c, n, "in", env, &list);
    if (st)
        return st;
    int def = c->last_level + 1 > 4 ? 4 : c->last_level + 1;
    int level;
    if ((st = attr_int(c, n, "level", env, def, 1, 4, &level)))
        return st;
    int saved_last = c->last_level;
    c->ev.code = gk__tattr_get(n, "in")->code;
    st = narrative(c, n, &list, level, 0);
    c->ev.code = NULL;
    c->last_level = saved_last; /* sub-headings do not move the default */
    return st;
}

/* ------------------------------------------------------------------ */
/* tables                                                              */

static gk_status do_col(rctx *c, const gk__tnode *n, const gk__env *env, tbuild *tb)
{
    colb *cb = GK_ARENA_NEW(&c->tmp, colb);
    gk_status st;
    const char *w;
    if ((st = attr_text(c, n, "width", env, NULL, &w)))
        return st;
    if (w) {
        char *end;
        cb->col.width = strtod(w, &end);
        if (!*w || *end || cb->col.width <= 0 || cb->col.width > 1000)
            return node_err(c, n, GK_ERR_TEMPLATE,
                            GK_TR("<col> 的 width=\"%s\" 应为正数", "<col>: width=\"%s\" must be a positive number"),
                            w);
    }
    int fmt;
    if ((st = attr_enum(c, n, "format", env, "text money", 0, &fmt)))
        return st;
    cb->money = fmt == 1;
    int align;
    if ((st = attr_align(c, n, env, &align)))
        return st;
    cb->col.align = align >= 0 ? (gk_align)align : cb->money ? GK_ALIGN_RIGHT : GK_ALIGN_LEFT;
    cb->col.numeric = cb->money;
    if ((st = attr_int(c, n, "decimals", env, gk_model_decimals(c->m), 0, 6, &cb->decimals)))
        return st;
    if ((st = attr_yes(c, n, "sep", env, false, &cb->sep)))
        return st;
    const char *zero;
    if ((st = attr_text(c, n, "zero", env, NULL, &zero)))
        return st;
    if (gk__tattr_get(n, "zero")) {
        cb->has_zero = true;
        cb->zero = zero ? zero : "";
    }
    gk_vec_push(&c->tmp, &tb->cols, cb);
    return GK_OK;
}

static gk_status do_cell(rctx *c, const gk__tnode *n, const gk__env *env, rowb *rb)
{
    cellb *cb = GK_ARENA_NEW(&c->tmp, cellb);
    cb->line = n->line;
    gk_status st;
    if ((st = attr_int(c, n, "colspan", env, 1, 1, 1000, &cb->colspan)) ||
        (st = attr_int(c, n, "rowspan", env, 1, 1, 100000, &cb->rowspan)) ||
        (st = attr_int(c, n, "indent", env, 0, 0, 20, &cb->indent)) ||
        (st = attr_align(c, n, env, &cb->align)) ||
        (st = attr_yes(c, n, "bold", env, false, &cb->bold)))
        return st;
    const gk__tattr *va = gk__tattr_get(n, "value");
    if (va) {
        if (n->nkids)
            return node_err(c, n, GK_ERR_TEMPLATE,
                            GK_TR("<cell> 不能同时有 value 属性和内容",
                                  "<cell> cannot have both a value and content"));
        if ((st = gk__eval(&c->ev, va->code, env, &cb->value)))
            return st;
        cb->has_value = true;
        cb->code = va->code;
    } else if ((st = runs_of(c, n, env, &cb->runs))) {
        return st;
    }
    gk_vec_push(&c->tmp, &rb->cells, cb);
    return GK_OK;
}

static gk_status do_row(rctx *c, const gk__tnode *n, const gk__env *env, tbuild *tb)
{
    rowb *rb = GK_ARENA_NEW(&c->tmp, rowb);
    rb->file = n->file;
    rb->line = n->line;
    gk_status st;
    int kind;
    if ((st = attr_enum(c, n, "kind", env, "body total", 0, &kind)))
        return st;
    rb->kind = tb->in_header ? GK_ROW_HEADER : kind == 1 ? GK_ROW_TOTAL : GK_ROW_BODY;
    if ((st = attr_int(c, n, "level", env, 0, 0, 9, &rb->level)))
        return st;
    if ((st = walk(c, n->kids, n->nkids, env, M_CELLS, rb)))
        return st;
    gk_vec_push(&c->tmp, &tb->rows, rb);
    return GK_OK;
}

/* Display width estimate in em of UTF-8 text: CJK 1, others 0.55. */
static double em_width(const char *s)
{
    double w = 0;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        int32_t cp = gk_utf8_next(s, len, &i);
        if (cp < 0) {
            i++;
            continue;
        }
        w += cp >= 0x1100 ? 1.0 : 0.55;
    }
    return w;
}

static gk_status format_cell(rctx *c, const colb *col, cellb *cb, gk_cell *out)
{
    out->runs = cb->runs;
    if (!cb->has_value)
        return GK_OK;
    gk_buf b = GK_BUF_INIT;
    gk_status st = GK_OK;
    const gk__code *saved = c->ev.code;
    c->ev.code = cb->code;
    if (cb->value.t == GK_V_NULL) {
        /* nothing printed */
    } else if (col && col->money) {
        gk_fen x;
        st = gk__to_money(&c->ev, &cb->value, GK_TR("单元格的值", "the cell's value"), &x);
        if (!st) {
            if (x == 0 && col->has_zero)
                gk_buf_puts(&b, col->zero);
            else
                gk_money_format(&b, x, gk_model_unit(c->m), col->decimals, col->sep);
        }
    } else {
        st = gk__to_text(&c->ev, &cb->value, true, &b);
    }
    c->ev.code = saved;
    if (!st && b.len)
        gk_runs_add(c->doc, &out->runs, b.ptr, b.len, cb->bold ? GK_RUN_BOLD : 0, -1);
    gk_buf_release(&b);
    return st;
}

static gk_status build_table(rctx *c, const gk__tnode *n, tbuild *tb, gk_table *t)
{
    size_t nrows = tb->rows.len;
    int ncols = (int)tb->cols.len;
    if (ncols == 0) {
        if (nrows == 0)
            return node_err(c, n, GK_ERR_TEMPLATE,
                            GK_TR("表格既没有 <columns> 也没有行", "the table has neither <columns> nor rows"));
        rowb *r0 = tb->rows.items[0];
        for (size_t k = 0; k < r0->cells.len; k++)
            ncols += ((cellb *)r0->cells.items[k])->colspan;
        if (ncols == 0)
            return node_err(c, n, GK_ERR_TEMPLATE, GK_TR("表格没有列", "the table has no columns"));
    }
    gk_table_alloc(c->doc, t, ncols, nrows);
    for (int k = 0; k < ncols; k++) {
        if (tb->cols.len)
            t->cols[k] = ((colb *)tb->cols.items[k])->col;
        else
            t->cols[k] = (gk_column){.align = GK_ALIGN_LEFT};
    }
    size_t *cov = GK_ARENA_ARRAY(&c->tmp, size_t, (size_t)ncols);
    size_t header_rows = 0;
    for (size_t r = 0; r < nrows; r++)
        if (((rowb *)tb->rows.items[r])->kind == GK_ROW_HEADER)
            header_rows++;
    t->header_rows = header_rows;
    for (size_t r = 0; r < nrows; r++) {
        rowb *rb = tb->rows.items[r];
        gk_row *row = &t->rows[r];
        row->kind = rb->kind;
        row->level = rb->level;
        int slot = 0, filled = 0;
        for (int k = 0; k < ncols; k++)
            if (cov[k] > r) {
                row->cells[k].covered = true;
                filled++;
            }
        for (size_t k = 0; k < rb->cells.len; k++) {
            cellb *cb = rb->cells.items[k];
            while (slot < ncols && row->cells[slot].covered)
                slot++;
            if (slot + cb->colspan > ncols) {
                gk_error_set(c->err, GK_ERR_TEMPLATE, rb->file, cb->line, 0, NULL,
                             GK_TR("表格行的单元格超出了表格的 %d 列（第 %zu 行，第 %zu 个单元格）",
                                   "the row has more cells than the table's %d columns (row %zu, cell %zu)"),
                             ncols, r + 1, k + 1);
                return GK_ERR_TEMPLATE;
            }
            for (int s = 0; s < cb->colspan; s++)
                if (row->cells[slot + s].covered) {
                    gk_error_set(c->err, GK_ERR_TEMPLATE, rb->file, cb->line, 0, NULL,
                                 GK_TR("单元格与上方跨行的单元格重叠（第 %zu 行，第 %d 列）",
                                       "the cell overlaps a cell spanning from above (row %zu, column %d)"),
                                 r + 1, slot + s + 1);
                    return GK_ERR_TEMPLATE;
                }
            size_t end = r + (size_t)cb->rowspan;
            if (end > nrows || (r < header_rows && end > header_rows)) {
                gk_error_set(c->err, GK_ERR_TEMPLATE, rb->file, cb->line, 0, NULL,
                             GK_TR("rowspan=\"%d\" 超出了%s（第 %zu 行）",
                                   "rowspan=\"%d\" reaches beyond the %s (row %zu)"),
                             cb->rowspan,
                             r < header_rows ? GK_TR("表头", "header") : GK_TR("表格", "table"),
                             r + 1);
                return GK_ERR_TEMPLATE;
            }
            gk_cell *cell = &row->cells[slot];
            gk_status st = format_cell(c, tb->cols.len ? tb->cols.items[slot] : NULL, cb, cell);
            if (st)
                return st;
            cell->colspan = cb->colspan;
            cell->rowspan = cb->rowspan;
            cell->align = cb->align;
            cell->indent = cb->indent;
            cell->bold = cb->bold;
            for (int s = 0; s < cb->colspan; s++) {
                if (s > 0)
                    row->cells[slot + s].covered = true;
                cov[slot + s] = end;
            }
            filled += cb->colspan;
            slot += cb->colspan;
        }
        if (filled != ncols) {
            gk_error_set(c->err, GK_ERR_TEMPLATE, rb->file, rb->line, 0, NULL,
                         GK_TR("表格行只填了 %d 列，表格有 %d 列（第 %zu 行）",
                               "the row fills %d columns but the table has %d (row %zu)"),
                         filled, ncols, r + 1);
            return GK_ERR_TEMPLATE;
        }
    }
    return GK_OK;
}

static gk_orient auto_orient(rctx *c, const gk_table *t)
{
    const gk_style *s = &c->doc->styles[GK_STYLE_TABLE_TEXT];
    double avail = (c->doc->page.width_mm - c->doc->page.left_mm - c->doc->page.right_mm) * 72 / 25.4;
    double need = 0;
    for (int k = 0; k < t->ncols; k++) {
        double w = 2; /* at least two characters */
        for (size_t r = 0; r < t->nrows; r++) {
            const gk_cell *cell = &t->rows[r].cells[k];
            if (cell->covered || cell->colspan != 1)
                continue;
            double cw = 0;
            for (size_t i = 0; i < cell->runs.len; i++)
                cw += em_width(cell->runs.items[i].text);
            if (!t->cols[k].numeric && t->rows[r].kind != GK_ROW_HEADER && cw > 4)
                cw = 4; /* text wraps */
            if (t->rows[r].kind == GK_ROW_HEADER && cw > 2)
                cw = 2; /* header text wraps too */
            cw += cell->indent;
            if (cw > w)
                w = cw;
        }
        need += w * s->size_pt + 6;
    }
    return need > avail ? GK_ORIENT_LANDSCAPE : GK_ORIENT_PORTRAIT;
}

static gk_status table_rows(rctx *c, gk__tnode *const *kids, size_t n, const gk__env *env,
                            tbuild *tb);

static gk_status do_table(rctx *c, const gk__tnode *n, const gk__env *env)
{
    tbuild tb = {.note = GK_BUF_INIT};
    gk_status st = walk(c, n->kids, n->nkids, env, M_ROWS, &tb);
    if (st) {
        gk_buf_release(&tb.note);
        return st;
    }
    const char *number, *title, *unit, *left, *empty;
    int orient;
    if ((st = attr_text(c, n, "number", env, "", &number)) ||
        (st = attr_text(c, n, "title", env, "", &title)) ||
        (st = attr_text(c, n, "unit", env, "", &unit)) ||
        (st = attr_text(c, n, "left", env, "", &left)) ||
        (st = attr_text(c, n, "empty", env, "", &empty)) ||
        (st = attr_enum(c, n, "orient", env, "auto portrait landscape", 0, &orient))) {
        gk_buf_release(&tb.note);
        return st;
    }
    gk_block *b;
    if ((st = add_block(c, n, GK_BLOCK_TABLE, &b))) {
        gk_buf_release(&tb.note);
        return st;
    }
    gk_table *t = &b->u.table;
    t->number = gk_doc_strdup(c->doc, number);
    t->title = gk_doc_strdup(c->doc, title);
    t->unit = gk_doc_strdup(c->doc, unit);
    t->caption_left = gk_doc_strdup(c->doc, left);
    t->empty_note = gk_doc_strdup(c->doc, empty);
    t->note = gk_doc_strdup(c->doc, tb.note.ptr);
    gk_buf_release(&tb.note);
    t->anchor = gk_arena_printf(&c->doc->arena, "t%d", ++c->doc->ntables);
    if ((st = build_table(c, n, &tb, t)))
        return st;
    t->orient = orient == 1 ? GK_ORIENT_PORTRAIT
                : orient == 2 ? GK_ORIENT_LANDSCAPE : auto_orient(c, t);
    return GK_OK;
}

static gk_status table_rows(rctx *c, gk__tnode *const *kids, size_t n, const gk__env *env,
                            tbuild *tb)
{
    return walk(c, kids, n, env, M_ROWS, tb);
}

static gk_status rows_elem(rctx *c, const gk__tnode *n, const gk__env *env, tbuild *tb)
{
    gk_status st;
    switch (n->kind) {
    case GK_T_COLUMNS:
        if (tb->cols.len)
            return node_err(c, n, GK_ERR_TEMPLATE,
                            GK_TR("表格只能有一个 <columns>", "a table has one <columns>"));
        return walk(c, n->kids, n->nkids, env, M_COLS, tb);
    case GK_T_HEADER:
        for (size_t r = 0; r < tb->rows.len; r++)
            if (((rowb *)tb->rows.items[r])->kind != GK_ROW_HEADER)
                return node_err(c, n, GK_ERR_TEMPLATE,
                                GK_TR("<header> 必须在所有表体行之前", "<header> must come before the body rows"));
        tb->in_header = true;
        st = table_rows(c, n->kids, n->nkids, env, tb);
        tb->in_header = false;
        return st;
    case GK_T_ROW:
        return do_row(c, n, env, tb);
    case GK_T_NOTE: {
        gk_runs runs = {0};
        if ((st = runs_of(c, n, env, &runs)))
            return st;
        if (tb->note.len)
            gk_buf_putc(&tb->note, '\n');
        gk_buf_puts(&tb->note, runs_plain(c, &runs));
        return GK_OK;
    }
    default:
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("<%s> 不能出现在 <table> 中", "<%s> is not allowed in <table>"),
                        gk__tkind_name(n->kind));
    }
}

/* ------------------------------------------------------------------ */
/* charts                                                              */

static gk_status do_point(rctx *c, const gk__tnode *n, const gk__env *env, cbuild *cb)
{
    pointb *p = GK_ARENA_NEW(&c->tmp, pointb);
    p->line = n->line;
    p->file = n->file;
    gk_status st = attr_text(c, n, "label", env, "", &p->label);
    if (st)
        return st;
    static const char *const names[GK_CHART_MAX_SERIES] = {"value", "value2", "value3", "value4"};
    for (int s = 0; s < GK_CHART_MAX_SERIES; s++) {
        const gk__tattr *a = gk__tattr_get(n, names[s]);
        if (s >= cb->nseries) {
            if (a)
                return node_err(c, n, GK_ERR_TEMPLATE,
                                GK_TR("图表只有 %d 个系列，<point> 不应有 %s",
                                      "the chart has %d series; <point> cannot have %s"),
                                cb->nseries, names[s]);
            continue;
        }
        if (!a)
            return node_err(c, n, GK_ERR_TEMPLATE,
                            GK_TR("<point> 缺少 %s（图表有 %d 个系列）",
                                  "<point> needs %s (the chart has %d series)"),
                            names[s], cb->nseries);
        gk__val v;
        if ((st = gk__eval(&c->ev, a->code, env, &v)))
            return st;
        c->ev.code = a->code;
        st = gk__to_money(&c->ev, &v, GK_TR("图表数值", "the chart value"), &p->v[s]);
        c->ev.code = NULL;
        if (st)
            return st;
        if (cb->kind == GK_CHART_PIE && p->v[s] < 0) {
            gk_buf t = GK_BUF_INIT;
            gk_money_format(&t, p->v[s], gk_model_unit(c->m), gk_model_decimals(c->m), false);
            st = node_err(c, n, GK_ERR_DATA,
                          GK_TR("饼图“%s”的数值为负（%s），饼图不能表示负数",
                                "pie chart point '%s' is negative (%s): a pie cannot show it"),
                          p->label, t.ptr);
            gk_buf_release(&t);
            return st;
        }
    }
    gk_vec_push(&c->tmp, &cb->points, p);
    return GK_OK;
}

static gk_status do_chart(rctx *c, const gk__tnode *n, const gk__env *env)
{
    int kind;
    gk_status st = attr_enum(c, n, "kind", env, "pie bar grouped-bar", 0, &kind);
    if (st)
        return st;
    const char *title, *series;
    int decimals;
    if ((st = attr_text(c, n, "title", env, "", &title)) ||
        (st = attr_text(c, n, "series", env, "", &series)) ||
        (st = attr_int(c, n, "decimals", env, gk_model_decimals(c->m), 0, 6, &decimals)))
        return st;
    cbuild cb = {.kind = (gk_chart_kind)kind, .nseries = 1};
    const char *snames[GK_CHART_MAX_SERIES] = {0};
    if (series[0]) {
        int ns = 0;
        const char *p = series;
        while (ns < GK_CHART_MAX_SERIES + 1) {
            size_t w = strcspn(p, "|");
            if (ns < GK_CHART_MAX_SERIES)
                snames[ns] = gk_arena_strndup(&c->tmp, p, w);
            ns++;
            if (!p[w])
                break;
            p += w + 1;
        }
        if (ns > GK_CHART_MAX_SERIES)
            return node_err(c, n, GK_ERR_TEMPLATE,
                            GK_TR("图表最多 %d 个系列", "a chart has at most %d series"),
                            GK_CHART_MAX_SERIES);
        cb.nseries = ns;
    }
    if (kind != GK_CHART_GROUPED_BAR && cb.nseries > 1)
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("只有 grouped-bar 图表可以有多个系列",
                              "only grouped-bar charts can have several series"));
    if ((st = walk(c, n->kids, n->nkids, env, M_POINTS, &cb)))
        return st;
    /* Points whose values are all zero are left out; a chart left with
     * nothing is left out entirely (no number consumed). */
    size_t keep = 0;
    for (size_t i = 0; i < cb.points.len; i++) {
        pointb *p = cb.points.items[i];
        bool any = false;
        for (int s = 0; s < cb.nseries; s++)
            any |= p->v[s] != 0;
        if (any)
            cb.points.items[keep++] = p;
    }
    if (keep == 0)
        return GK_OK;
    if (keep > GK_CHART_MAX_POINTS)
        return node_err(c, n, GK_ERR_LIMIT,
                        GK_TR("图表“%s”有 %zu 个数据点，超过上限 %d（请合并较小的项）",
                              "chart \"%s\" has %zu points, more than %d (merge the small ones)"),
                        title, keep, GK_CHART_MAX_POINTS);
    for (size_t i = 0; i < keep; i++) {
        const pointb *p = cb.points.items[i];
        for (int s = 0; s < cb.nseries; s++)
            if (p->v[s] > GK_CHART_MAX_FEN || p->v[s] < -GK_CHART_MAX_FEN)
                return node_err(c, n, GK_ERR_LIMIT,
                                GK_TR("图表“%s”：“%s”的数值过大，无法作图",
                                      "chart \"%s\": the value of \"%s\" is too large to draw"),
                                title, p->label);
    }
    gk_block *b;
    if ((st = add_block(c, n, GK_BLOCK_CHART, &b)))
        return st;
    gk_chart *ch = &b->u.chart;
    ch->kind = (gk_chart_kind)kind;
    ch->number = ++c->doc->ncharts;
    ch->title = gk_doc_strdup(c->doc, title);
    ch->caption = gk_arena_printf(&c->doc->arena, "图%d：%s", ch->number, title);
    ch->unit = gk_model_unit(c->m);
    ch->decimals = decimals;
    ch->nseries = cb.nseries;
    for (int s = 0; s < cb.nseries; s++)
        ch->series[s] = gk_doc_strdup(c->doc, snames[s] ? snames[s] : "");
    ch->npoints = keep;
    ch->points = GK_ARENA_ARRAY(&c->doc->arena, gk_chart_point, keep);
    for (size_t i = 0; i < keep; i++) {
        pointb *p = cb.points.items[i];
        gk_chart_point *cp = &ch->points[i];
        cp->label = gk_doc_strdup(c->doc, p->label);
        for (int s = 0; s < cb.nseries; s++) {
            cp->values[s] = p->v[s];
            gk_buf t = GK_BUF_INIT;
            gk_money_format(&t, p->v[s], ch->unit, decimals, false);
            cp->value_text[s] = gk_doc_strdup(c->doc, t.ptr);
            gk_buf_release(&t);
        }
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* dispatch                                                            */

static gk_status block_elem(rctx *c, const gk__tnode *n, const gk__env *env)
{
    gk_status st;
    switch (n->kind) {
    case GK_T_TITLEPAGE: {
        bool saved = c->title_page;
        c->title_page = true;
        st = walk(c, n->kids, n->nkids, env, M_BLOCK, NULL);
        if (!st) {
            gk_block *b;
            st = add_block(c, n, GK_BLOCK_PAGE_BREAK, &b);
        }
        c->title_page = saved;
        return st;
    }
    case GK_T_TOC:
        return do_toc(c, n, env);
    case GK_T_PART:
        return do_heading(c, n, env, true);
    case GK_T_HEADING:
        return do_heading(c, n, env, false);
    case GK_T_P:
        return do_paragraph(c, n, env);
    case GK_T_TABLE:
        return do_table(c, n, env);
    case GK_T_CHART:
        return do_chart(c, n, env);
    case GK_T_GLOSSARY:
        return do_glossary(c, n, env);
    case GK_T_NARRATIVE:
        return do_narrative(c, n, env);
    case GK_T_PAGEBREAK: {
        gk_block *b;
        return add_block(c, n, GK_BLOCK_PAGE_BREAK, &b);
    }
    case GK_T_TEXT:
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("文字必须写在 <p>、<heading> 等元素之中",
                              "text must be inside <p>, <heading> or a similar element"));
    default:
        return node_err(c, n, GK_ERR_TEMPLATE,
                        GK_TR("<%s> 不能出现在这里", "<%s> is not allowed here"),
                        gk__tkind_name(n->kind));
    }
}

/* Blanks between elements outside inline content (spaces before a
 * comment on the same line, say) are not text. */
static bool is_blank_text(const gk__tnode *n)
{
    if (n->kind != GK_T_TEXT)
        return false;
    for (size_t i = 0; i < n->text.n; i++) {
        const gk__tpart *p = &n->text.parts[i];
        if (!p->lit)
            return false;
        for (size_t j = 0; j < p->len; j++)
            if (p->lit[j] != ' ' && p->lit[j] != '\t' && p->lit[j] != '\r' && p->lit[j] != '\n')
                return false;
    }
    return true;
}

static gk_status walk(rctx *c, gk__tnode *const *kids, size_t n, const gk__env *env,
                      mode md, void *target)
{
    gk_status st;
    for (size_t i = 0; i < n; i++) {
        const gk__tnode *k = kids[i];
        if (md != M_INLINE && is_blank_text(k))
            continue;
        switch (k->kind) {
        case GK_T_LET: {
            gk__val v;
            if ((st = eval_attr(c, k, "value", env, &v)))
                return st;
            env = bind(c, gk__tattr_get(k, "name")->raw, v, env);
            continue;
        }
        case GK_T_IF:
            st = do_if(c, k, env, md, target);
            break;
        case GK_T_EACH:
            st = do_each(c, k, env, md, target);
            break;
        case GK_T_SECTION:
            st = walk(c, k->kids, k->nkids, env, md, target);
            break;
        case GK_T_ELIF:
        case GK_T_ELSE:
            st = node_err(c, k, GK_ERR_TEMPLATE,
                          GK_TR("<%s> 只能出现在 <if> 之中", "<%s> is only allowed inside <if>"),
                          gk__tkind_name(k->kind));
            break;
        default:
            switch (md) {
            case M_BLOCK:
                st = block_elem(c, k, env);
                break;
            case M_INLINE:
                st = inline_elem(c, k, env, target);
                break;
            case M_ROWS:
                st = rows_elem(c, k, env, target);
                break;
            case M_CELLS:
                st = k->kind == GK_T_CELL
                         ? do_cell(c, k, env, target)
                         : node_err(c, k, GK_ERR_TEMPLATE,
                                    GK_TR("<row> 中只能有 <cell>，不能有 <%s>",
                                          "<row> holds <cell> elements, not <%s>"),
                                    gk__tkind_name(k->kind));
                break;
            case M_COLS:
                st = k->kind == GK_T_COL
                         ? do_col(c, k, env, target)
                         : node_err(c, k, GK_ERR_TEMPLATE,
                                    GK_TR("<columns> 中只能有 <col>，不能有 <%s>",
                                          "<columns> holds <col> elements, not <%s>"),
                                    gk__tkind_name(k->kind));
                break;
            case M_POINTS:
                st = k->kind == GK_T_POINT
                         ? do_point(c, k, env, target)
                         : node_err(c, k, GK_ERR_TEMPLATE,
                                    GK_TR("<chart> 中只能有 <point>，不能有 <%s>",
                                          "<chart> holds <point> elements, not <%s>"),
                                    gk__tkind_name(k->kind));
                break;
            }
        }
        if (st)
            return st;
        /* everything the document holds is in its arena: a template that
         * repeats large text (a loop over a long string) stops here */
        if (c->doc->arena.used_total > ((size_t)GK_TMPL_MAX_DOC_MIB << 20))
            return node_err(c, k, GK_ERR_LIMIT,
                            GK_TR("生成的文档超过 %d MiB 的上限（文字或表格太多）",
                                  "the document built exceeds the limit of %d MiB (too much text or too many tables)"),
                            GK_TMPL_MAX_DOC_MIB);
    }
    return GK_OK;
}

gk_doc *gk_template_render(const gk_template *t, const gk_model *m, gk_error *err)
{
    gk_error local;
    if (!err)
        err = &local;
    gk_error_clear(err);
    rctx c = {.t = t, .m = m, .err = err};
    gk_arena_init(&c.tmp);
    gk__eval_init(&c.ev, m, &c.tmp, err);
    c.doc = gk_doc_new();
    memcpy(c.doc->styles, t->styles, sizeof c.doc->styles);
    c.doc->page = t->page;

    const gk__tnode *root = t->root;
    const char *title, *subject;
    gk_status st = attr_text(&c, root, "title", NULL, "", &title);
    if (!st)
        st = attr_text(&c, root, "subject", NULL, "", &subject);
    if (!st) {
        const gk_json *r = gk_model_root(m);
        const gk_json *dn = gk_json_at(r, "department.name");
        const gk_json *date = gk_json_get(r, "date");
        c.doc->info.title = gk_doc_strdup(c.doc, title);
        c.doc->info.subject = gk_doc_strdup(c.doc, subject);
        c.doc->info.author = gk_doc_strdup(c.doc, dn && dn->type == GK_JSON_STRING ? dn->text : "");
        c.doc->info.date = date && date->type == GK_JSON_STRING ? gk_doc_strdup(c.doc, date->text) : NULL;
        st = walk(&c, root->kids, root->nkids, NULL, M_BLOCK, NULL);
    }
    if (!st) {
        gk_error e2;
        if (gk_doc_check(c.doc, &e2)) {
            *err = e2;
            st = e2.status;
        }
    }
    gk_arena_release(&c.tmp);
    if (st) {
        if (!err->status)
            err->status = st;
        gk_doc_free(c.doc);
        return NULL;
    }
    return c.doc;
}
