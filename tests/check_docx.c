/* Unit tests of src/docx: the package, the parts, and the WordprocessingML
 * made from a document built with the doc.h builders.
 *
 * GK_DOCX_DUMP=path writes the sample report there, for looking at it
 * in LibreOffice (tests/e2e/docx-*.sh do that with real examples). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "gongkai/doc.h"
#include "gongkai/render.h"

static const gk_src SRC = { "test.xml", 1 };

static void add_text(gk_doc *doc, gk_runs *runs, const char *s, unsigned flags)
{
    gk_runs_add(doc, runs, s, strlen(s), flags, -1);
}

static gk_block *para(gk_doc *doc, gk_style_id style, const char *text)
{
    gk_block *b = gk_doc_add_paragraph(doc, style, SRC);
    add_text(doc, &b->u.para.runs, text, 0);
    return b;
}

static gk_block *heading(gk_doc *doc, int level, const char *number, const char *text)
{
    gk_block *b = gk_doc_add_heading(doc, level, number, SRC);
    add_text(doc, &b->u.heading.runs, text, 0);
    b->u.heading.plain = gk_arena_printf(&doc->arena, "%s%s%s", number,
                                         level == 0 ? " " : "", text);
    return b;
}

static void cell(gk_doc *doc, gk_table *t, size_t r, int c, const char *text,
                 int colspan, int rowspan)
{
    gk_cell *x = &t->rows[r].cells[c];
    add_text(doc, &x->runs, text, 0);
    x->colspan = colspan;
    x->rowspan = rowspan;
    for (int dr = 0; dr < rowspan; dr++)
        for (int dc = 0; dc < colspan; dc++)
            if (dr || dc)
                t->rows[r + (size_t)dr].cells[c + dc].covered = true;
}

/* A small 决算 report: title page, TOC, parts, headings, a table with a
 * two-row header and merged cells, a chart, a landscape table with no
 * body rows. */
static gk_doc *sample_doc(const char *date)
{
    gk_doc *doc = gk_doc_new();
    doc->info.title = "2023年度北京市西城区委办公室部门决算";
    doc->info.author = "中共北京市西城区委办公室";
    doc->info.subject = "部门决算";
    doc->info.date = date;

    para(doc, GK_STYLE_TITLE, "2023年度北京市西城区委办公室")->title_page = true;
    para(doc, GK_STYLE_SUBTITLE, "部门决算")->title_page = true;
    gk_doc_add_block(doc, GK_BLOCK_PAGE_BREAK, SRC)->title_page = true;

    gk_block *toc = gk_doc_add_block(doc, GK_BLOCK_TOC, SRC);
    toc->u.toc.title = "目录";
    toc->u.toc.max_level = 1;
    gk_doc_add_block(doc, GK_BLOCK_PAGE_BREAK, SRC);

    heading(doc, 0, "第一部分", "2023年度部门决算说明");
    heading(doc, 1, "一、", "部门基本情况");
    para(doc, GK_STYLE_BODY, "中共北京市西城区委办公室是区委的综合部门，为正处级。");
    gk_block *p = gk_doc_add_paragraph(doc, GK_STYLE_BODY, SRC);
    add_text(doc, &p->u.para.runs, "2023年度收、支总计", 0);
    add_text(doc, &p->u.para.runs, "4019.40万元", GK_RUN_EMPHASIS);
    add_text(doc, &p->u.para.runs, "，与上年持平。“三公”经费\x01 说明：  两个空格 ", 0);
    heading(doc, 2, "（一）", "收入决算说明");
    para(doc, GK_STYLE_BODY, "本年收入合计4019.40万元，其中财政拨款收入4019.40万元，占100.00%。");

    gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    gk_table *t = &tb->u.table;
    t->number = "公开01表";
    t->title = "收入支出决算总表";
    t->caption_left = "部门：中共北京市西城区委办公室";
    t->unit = "单位：万元";
    t->note = "注：本表反映部门本年度的总收支和年初、年末结转结余情况。";
    t->anchor = "t1";
    gk_table_alloc(doc, t, 4, 6);
    t->header_rows = 2;
    t->cols[0].width = 1.2;
    t->cols[1].width = 3;
    t->cols[2].width = 1.5;
    t->cols[2].numeric = true;
    t->cols[2].align = GK_ALIGN_RIGHT;
    t->cols[3].width = 1.5;
    t->cols[3].numeric = true;
    t->cols[3].align = GK_ALIGN_RIGHT;
    t->rows[0].kind = t->rows[1].kind = GK_ROW_HEADER;
    cell(doc, t, 0, 0, "项目", 2, 1);
    cell(doc, t, 0, 2, "本年支出合计", 1, 2);
    cell(doc, t, 0, 3, "基本支出", 1, 2);
    cell(doc, t, 1, 0, "科目编码", 1, 1);
    cell(doc, t, 1, 1, "科目名称", 1, 1);
    t->rows[2].kind = GK_ROW_TOTAL;
    cell(doc, t, 2, 0, "合计", 2, 1);
    t->rows[2].cells[0].bold = true;
    cell(doc, t, 2, 2, "4,019.40", 1, 1);
    cell(doc, t, 2, 3, "2,805.41", 1, 1);
    cell(doc, t, 3, 0, "201", 1, 1);
    cell(doc, t, 3, 1, "一般公共服务支出", 1, 1);
    cell(doc, t, 3, 2, "3,021.92", 1, 1);
    cell(doc, t, 3, 3, "1,807.93", 1, 1);
    cell(doc, t, 4, 0, "20101", 1, 1);
    cell(doc, t, 4, 1, "党委办公厅（室）及相关机构事务", 1, 2);
    t->rows[4].cells[1].indent = 1;
    cell(doc, t, 4, 2, "1,710.69", 1, 1);
    cell(doc, t, 4, 3, "1,687.07", 1, 1);
    cell(doc, t, 5, 0, "2010101", 1, 1);
    cell(doc, t, 5, 2, "1,687.07", 1, 1);
    cell(doc, t, 5, 3, "1,687.07", 1, 1);

    gk_block *cb = gk_doc_add_block(doc, GK_BLOCK_CHART, SRC);
    gk_chart *ch = &cb->u.chart;
    ch->kind = GK_CHART_PIE;
    ch->number = 1;
    ch->caption = "图1：支出决算结构";
    ch->title = "支出决算结构";
    ch->nseries = 1;
    ch->series[0] = "本年";
    ch->npoints = 2;
    ch->points = GK_ARENA_ARRAY(&doc->arena, gk_chart_point, 2);
    ch->points[0].label = "基本支出";
    ch->points[0].values[0] = 280541;
    ch->points[0].value_text[0] = "2805.41";
    ch->points[1].label = "项目支出";
    ch->points[1].values[0] = 121399;
    ch->points[1].value_text[0] = "1213.99";

    gk_block *lb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    gk_table *lt = &lb->u.table;
    lt->number = "公开08表";
    lt->title = "政府性基金预算财政拨款收入支出决算表";
    lt->unit = "单位：万元";
    lt->empty_note = "本部门2023年度没有政府性基金预算财政拨款收支，故本表无数据。";
    lt->orient = GK_ORIENT_LANDSCAPE;
    gk_table_alloc(doc, lt, 12, 1);
    lt->header_rows = 1;
    lt->rows[0].kind = GK_ROW_HEADER;
    static const char *const heads[] = {"科目编码", "科目名称", "年初结转和结余",
                                        "本年收入", "本年支出", "基本支出", "项目支出",
                                        "年末结转和结余", "人员经费", "公用经费",
                                        "其他", "备注"};
    for (int c = 0; c < 12; c++)
        cell(doc, lt, 0, c, heads[c], 1, 1);

    heading(doc, 0, "第二部分", "其他重要事项的情况说明");
    para(doc, GK_STYLE_BODY, "本部门本年度未安排政府性基金财政拨款“三公”经费相关支出。");
    return doc;
}

/* ---------------- reading the package back ---------------- */

static zip_t *open_zip(const gk_buf *b, zip_source_t **src_out)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(b->ptr, b->len, 0, &ze);
    ck_assert_ptr_nonnull(src);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    ck_assert_msg(za != NULL, "libzip cannot open the DOCX: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    *src_out = src;
    return za;
}

static char *read_entry(zip_t *za, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) < 0)
        return NULL;
    zip_file_t *f = zip_fopen(za, name, 0);
    ck_assert_ptr_nonnull(f);
    char *data = malloc(st.size + 1);
    zip_int64_t n = zip_fread(f, data, st.size);
    ck_assert_int_eq(n, (zip_int64_t)st.size);
    data[st.size] = '\0';
    zip_fclose(f);
    *len = st.size;
    return data;
}

static char *part(const gk_buf *docx, const char *name)
{
    zip_source_t *src;
    zip_t *za = open_zip(docx, &src);
    size_t len;
    char *s = read_entry(za, name, &len);
    zip_close(za);
    return s;
}

static gk_buf render(gk_doc *doc, long long epoch)
{
    gk_buf out = GK_BUF_INIT;
    gk_error err;
    gk_error_clear(&err);
    gk_diags warnings = GK_DIAGS_INIT;
    gk_render_opts opts = { .source_date_epoch = epoch, .warnings = &warnings };
    gk_status st = gk_render_docx(doc, &opts, &out, &err);
    ck_assert_msg(st == GK_OK, "render failed: %s", err.msg);
    gk_diags_release(&warnings);
    return out;
}

static xmlDocPtr parse(const char *xml)
{
    xmlDocPtr x = xmlReadMemory(xml, (int)strlen(xml), "part.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    return x;
}

static xmlXPathContextPtr xpath_ctx(xmlDocPtr x)
{
    xmlXPathContextPtr c = xmlXPathNewContext(x);
    xmlXPathRegisterNs(c, BAD_CAST "w", BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
    xmlXPathRegisterNs(c, BAD_CAST "r", BAD_CAST "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
    xmlXPathRegisterNs(c, BAD_CAST "wp", BAD_CAST "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing");
    xmlXPathRegisterNs(c, BAD_CAST "rel", BAD_CAST "http://schemas.openxmlformats.org/package/2006/relationships");
    xmlXPathRegisterNs(c, BAD_CAST "ct", BAD_CAST "http://schemas.openxmlformats.org/package/2006/content-types");
    xmlXPathRegisterNs(c, BAD_CAST "dcterms", BAD_CAST "http://purl.org/dc/terms/");
    return c;
}

static double xnum(xmlXPathContextPtr c, const char *expr)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    ck_assert_msg(o != NULL, "bad XPath %s", expr);
    double v = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    return v;
}

static char *xstr(xmlXPathContextPtr c, const char *expr)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    ck_assert_msg(o != NULL, "bad XPath %s", expr);
    xmlChar *s = xmlXPathCastToString(o);
    xmlXPathFreeObject(o);
    char *r = strdup((const char *)s);
    xmlFree(s);
    return r;
}

/* document.xml parsed, with an XPath context. */
typedef struct parsed {
    char *xml;
    xmlDocPtr doc;
    xmlXPathContextPtr c;
} parsed;

static parsed parse_part(const gk_buf *docx, const char *name)
{
    parsed p;
    p.xml = part(docx, name);
    ck_assert_msg(p.xml != NULL, "%s missing", name);
    p.doc = parse(p.xml);
    ck_assert_msg(p.doc != NULL, "%s is not well-formed", name);
    p.c = xpath_ctx(p.doc);
    return p;
}

static void parsed_free(parsed *p)
{
    xmlXPathFreeContext(p->c);
    xmlFreeDoc(p->doc);
    free(p->xml);
}

/* ---------------- tests ---------------- */

START_TEST(every_part_is_well_formed_and_related)
{
    gk_doc *doc = sample_doc("2024-08-19");
    gk_buf out = render(doc, 0);
    ck_assert_int_gt(out.len, 1000);
    ck_assert(memcmp(out.ptr, "PK\003\004", 4) == 0);

    const char *dump = getenv("GK_DOCX_DUMP");
    if (dump) {
        FILE *f = fopen(dump, "wb");
        ck_assert_ptr_nonnull(f);
        fwrite(out.ptr, 1, out.len, f);
        fclose(f);
    }

    zip_source_t *src;
    zip_t *za = open_zip(&out, &src);
    zip_int64_t n = zip_get_num_entries(za, 0);
    ck_assert_int_ge(n, 11);
    ck_assert_str_eq(zip_get_name(za, 0, 0), "[Content_Types].xml");
    static const char *const must[] = {
        "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
        "word/fontTable.xml", "word/footer1.xml", "word/footer2.xml",
        "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
        zip_stat_t st;
        ck_assert_msg(zip_stat(za, must[i], 0, &st) == 0, "%s missing", must[i]);
    }
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        zip_stat_t st;
        ck_assert_int_eq(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
        size_t len = strlen(name);
        if (len > 4 && strcmp(name + len - 4, ".png") == 0) {
            ck_assert_int_eq(st.comp_method, ZIP_CM_STORE);
            continue;
        }
        ck_assert_int_eq(st.comp_method, ZIP_CM_DEFLATE);
        size_t dlen;
        char *data = read_entry(za, name, &dlen);
        ck_assert_uint_eq(strlen(data), dlen); /* no NUL inside */
        xmlDocPtr x = parse(data);
        ck_assert_msg(x != NULL, "%s is not well-formed XML", name);
        xmlFreeDoc(x);
        free(data);
    }
    zip_close(za);

    /* Every relationship target exists and has a content type. */
    parsed rels = parse_part(&out, "word/_rels/document.xml.rels");
    parsed ct = parse_part(&out, "[Content_Types].xml");
    int nrel = (int)xnum(rels.c, "count(//rel:Relationship)");
    ck_assert_int_ge(nrel, 5);
    for (int i = 1; i <= nrel; i++) {
        char q[512];
        snprintf(q, sizeof q, "string((//rel:Relationship)[%d]/@Target)", i);
        char *target = xstr(rels.c, q);
        char path[256];
        snprintf(path, sizeof path, "word/%s", target);
        char *data = part(&out, path);
        ck_assert_msg(data != NULL, "relationship target %s missing", path);
        free(data);
        const char *ext = strrchr(target, '.');
        if (strcmp(ext, ".xml") == 0) {
            snprintf(q, sizeof q, "count(//ct:Override[@PartName='/%s'])", path);
            ck_assert_msg(xnum(ct.c, q) == 1, "no content type for %s", path);
        } else {
            snprintf(q, sizeof q, "count(//ct:Default[@Extension='%s'])", ext + 1);
            ck_assert_msg(xnum(ct.c, q) == 1, "no content type for %s", path);
        }
        free(target);
    }
    /* and every r:id used in the document is declared */
    parsed d = parse_part(&out, "word/document.xml");
    xmlXPathObjectPtr ids = xmlXPathEvalExpression(BAD_CAST "//@r:id | //@r:embed", d.c);
    for (int i = 0; ids->nodesetval && i < ids->nodesetval->nodeNr; i++) {
        xmlChar *v = xmlNodeGetContent(ids->nodesetval->nodeTab[i]);
        char q[128];
        snprintf(q, sizeof q, "count(//rel:Relationship[@Id='%s'])", (const char *)v);
        ck_assert_msg(xnum(rels.c, q) == 1, "r:id %s not declared", (const char *)v);
        xmlFree(v);
    }
    xmlXPathFreeObject(ids);
    parsed_free(&d);
    parsed_free(&rels);
    parsed_free(&ct);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

START_TEST(two_renders_are_byte_identical)
{
    gk_doc *doc = sample_doc(NULL);
    gk_buf a = render(doc, 1700000000);
    gk_buf b = render(doc, 1700000000);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert(memcmp(a.ptr, b.ptr, a.len) == 0);
    /* and the time zone does not matter */
    setenv("TZ", "Asia/Shanghai", 1);
    gk_buf c = render(doc, 1700000000);
    unsetenv("TZ");
    ck_assert_uint_eq(a.len, c.len);
    ck_assert(memcmp(a.ptr, c.ptr, a.len) == 0);
    gk_buf_release(&a);
    gk_buf_release(&b);
    gk_buf_release(&c);
    gk_doc_free(doc);
}
END_TEST

START_TEST(core_dates_come_from_data_or_epoch)
{
    gk_doc *doc = sample_doc("2024-08-19");
    gk_buf out = render(doc, 1700000000);
    parsed core = parse_part(&out, "docProps/core.xml");
    char *s = xstr(core.c, "string(//dcterms:created)");
    ck_assert_str_eq(s, "2024-08-19T00:00:00Z");
    free(s);
    parsed_free(&core);
    gk_buf_release(&out);

    doc->info.date = NULL;
    out = render(doc, 1700000000);
    core = parse_part(&out, "docProps/core.xml");
    s = xstr(core.c, "string(//dcterms:modified)");
    ck_assert_str_eq(s, "2023-11-14T22:13:20Z");
    free(s);
    parsed_free(&core);
    gk_buf_release(&out);

    out = render(doc, 0);
    core = parse_part(&out, "docProps/core.xml");
    ck_assert(xnum(core.c, "count(//dcterms:created)") == 0);
    parsed_free(&core);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

START_TEST(headings_carry_outline_levels)
{
    gk_doc *doc = sample_doc(NULL);
    gk_buf out = render(doc, 0);
    parsed st = parse_part(&out, "word/styles.xml");
    ck_assert(xnum(st.c, "number(//w:style[@w:styleId='Heading1']/w:pPr/w:outlineLvl/@w:val)") == 0);
    ck_assert(xnum(st.c, "number(//w:style[@w:styleId='Heading2']/w:pPr/w:outlineLvl/@w:val)") == 1);
    ck_assert(xnum(st.c, "number(//w:style[@w:styleId='Heading3']/w:pPr/w:outlineLvl/@w:val)") == 2);
    char *name = xstr(st.c, "string(//w:style[@w:styleId='Heading2']/w:name/@w:val)");
    ck_assert_str_eq(name, "heading 2");
    free(name);
    /* body: justified, first line indented two characters, exact lines */
    ck_assert(xnum(st.c, "count(//w:style[@w:styleId='Normal']/w:pPr/w:jc[@w:val='both'])") == 1);
    ck_assert(xnum(st.c, "number(//w:style[@w:styleId='Normal']/w:pPr/w:ind/@w:firstLineChars)") == 200);
    ck_assert(xnum(st.c, "number(//w:style[@w:styleId='Normal']/w:pPr/w:spacing/@w:line)") == 580);
    char *font = xstr(st.c, "string(//w:style[@w:styleId='Heading2']/w:rPr/w:rFonts/@w:eastAsia)");
    ck_assert_str_eq(font, "黑体");
    free(font);
    parsed_free(&st);

    parsed d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:pStyle/@w:val='Heading1'])") == 2);
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:pStyle/@w:val='Heading2'])") == 1);
    char *h = xstr(d.c, "string(//w:p[w:pPr/w:pStyle/@w:val='Heading2'])");
    ck_assert_str_eq(h, "一、部门基本情况");
    free(h);
    h = xstr(d.c, "string(//w:p[w:pPr/w:pStyle/@w:val='Heading1'])");
    ck_assert_str_eq(h, "第一部分 2023年度部门决算说明");
    free(h);
    /* TOC field with pre-filled, hyperlinked entries for levels 0–1 */
    char *instr = xstr(d.c, "string(//w:instrText[contains(., 'TOC')])");
    ck_assert_str_eq(instr, " TOC \\o \"1-2\" \\h \\z \\u ");
    free(instr);
    ck_assert(xnum(d.c, "count(//w:fldChar[@w:fldCharType='begin'][@w:dirty='true'])") == 1);
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:pStyle/@w:val='TOC1'])") == 2);
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:pStyle/@w:val='TOC2'])") == 1);
    char *anchor = xstr(d.c, "string(//w:p[w:pPr/w:pStyle/@w:val='TOC2']/w:hyperlink/@w:anchor)");
    char q[160];
    snprintf(q, sizeof q, "count(//w:bookmarkStart[@w:name='%s'])", anchor);
    ck_assert(xnum(d.c, q) == 1);
    free(anchor);
    parsed_free(&d);

    parsed set = parse_part(&out, "word/settings.xml");
    ck_assert(xnum(set.c, "count(//w:updateFields[@w:val='1'])") == 1);
    ck_assert(xnum(set.c, "count(//w:evenAndOddHeaders)") == 1);
    parsed_free(&set);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

START_TEST(tables_repeat_headers_and_merge_cells)
{
    gk_doc *doc = sample_doc(NULL);
    gk_buf out = render(doc, 0);
    parsed d = parse_part(&out, "word/document.xml");
    /* first table: 2 header rows of 6, every row cantSplit */
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr)") == 6);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[w:trPr/w:tblHeader])") == 2);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[w:trPr/w:tblHeader])") == 2);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[not(w:trPr/w:cantSplit)])") == 0);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[1]/w:tc[1]/w:tcPr/w:gridSpan[@w:val='2'])") == 1);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[1]/w:tc)") == 3);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[1]/w:tc[w:tcPr/w:vMerge/@w:val='restart'])") == 2);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[2]/w:tc[w:tcPr/w:vMerge[not(@w:val)]])") == 2);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[2]/w:tc)") == 4);
    /* the 款 name spans two rows; the continuation holds an empty paragraph */
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[6]/w:tc[2][w:tcPr/w:vMerge]/w:p[not(w:r)])") == 1);
    /* every cell ends with a paragraph; grid widths fill the text width */
    ck_assert(xnum(d.c, "count(//w:tc[not(w:p)])") == 0);
    ck_assert(xnum(d.c, "sum((//w:tbl)[1]/w:tblGrid/w:gridCol/@w:w)") ==
              xnum(d.c, "number((//w:tbl)[1]/w:tblPr/w:tblW/@w:w)"));
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tblGrid/w:gridCol)") == 4);
    /* numbers right-aligned, bold total */
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[4]/w:tc[3]/w:p/w:pPr/w:jc[@w:val='right'])") == 1);
    ck_assert(xnum(d.c, "count((//w:tbl)[1]/w:tr[3]/w:tc[1]//w:b)") == 1);
    /* indented 款 name */
    ck_assert(xnum(d.c, "number((//w:tbl)[1]/w:tr[5]/w:tc[2]/w:p/w:pPr/w:ind/@w:leftChars)") == 100);
    /* 部门 left and 单位 right on one line */
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:pStyle/@w:val='TableUnit'][w:r/w:tab])") == 1);

    /* the landscape table: its own section, empty note after it */
    ck_assert(xnum(d.c, "count(//w:sectPr[w:pgSz/@w:orient='landscape'])") == 1);
    ck_assert(xnum(d.c, "number(//w:sectPr[w:pgSz/@w:orient='landscape']/w:pgSz/@w:w)") == 16838);
    ck_assert(xnum(d.c, "number((//w:tbl)[2]/w:tblPr/w:tblW/@w:w)") > 12000);
    ck_assert(xnum(d.c, "count((//w:tbl)[2]/w:tr[2]/w:tc[w:tcPr/w:gridSpan/@w:val='12'][contains(., '故本表无数据')])") == 1);
    /* the title page has no footer, the next section restarts at 1 */
    ck_assert(xnum(d.c, "count((//w:sectPr)[1]/w:footerReference)") == 0);
    ck_assert(xnum(d.c, "number((//w:sectPr)[2]/w:pgNumType/@w:start)") == 1);
    ck_assert(xnum(d.c, "count(//w:sectPr[w:footerReference[@w:type='even']])") ==
              xnum(d.c, "count(//w:sectPr)") - 1);
    /* four sections: title, portrait, landscape, portrait; last in body */
    ck_assert(xnum(d.c, "count(//w:sectPr)") == 4);
    ck_assert(xnum(d.c, "count(/w:document/w:body/*[last()][self::w:sectPr])") == 1);
    /* no blank page: the explicit breaks before section breaks vanish */
    ck_assert(xnum(d.c, "count(//w:pageBreakBefore)") == 1);
    parsed_free(&d);

    parsed f = parse_part(&out, "word/footer1.xml");
    char *txt = xstr(f.c, "string(//w:p)");
    ck_assert_str_eq(txt, "—  PAGE 1 —");
    free(txt);
    parsed_free(&f);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

START_TEST(text_is_escaped_and_cleaned)
{
    gk_doc *doc = sample_doc(NULL);
    gk_block *p = para(doc, GK_STYLE_BODY, " a < b & c > d\t\"e\"\nnext\x02\x1f line ");
    (void)p;
    gk_buf out = render(doc, 0);
    char *xml = part(&out, "word/document.xml");
    ck_assert_ptr_null(strchr(xml, '\x01'));
    ck_assert_ptr_null(strchr(xml, '\x02'));
    ck_assert_ptr_null(strchr(xml, '\x1f'));
    xmlDocPtr x = parse(xml);
    ck_assert_ptr_nonnull(x);
    xmlXPathContextPtr c = xpath_ctx(x);
    ck_assert(xnum(c, "count(//w:t[@xml:space='preserve'][.=' a < b & c > d'])") == 1);
    ck_assert(xnum(c, "count(//w:r[w:t='\"e\"']/w:tab)") == 1);
    ck_assert(xnum(c, "count(//w:r[w:t='\"e\"']/w:br)") == 1);
    ck_assert(xnum(c, "count(//w:t[.='next line '][@xml:space='preserve'])") == 1);
    ck_assert(xnum(c, "count(//w:t[contains(., '说明：  两个空格 ')][@xml:space='preserve'])") == 1);
    ck_assert(xnum(c, "count(//w:t[contains(., '经费 说明')])") == 1);
    /* emphasis is bold; quotes ask for the East Asian font */
    ck_assert(xnum(c, "count(//w:r[w:t='4019.40万元']/w:rPr/w:b)") == 1);
    ck_assert(xnum(c, "count(//w:r[contains(w:t, '“三公”')]/w:rPr/w:rFonts[@w:hint='eastAsia'])") == 2);
    xmlXPathFreeContext(c);
    xmlFreeDoc(x);
    free(xml);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

/* A chart the library is given but cannot draw (here 201 points, which a
 * template could not build) fails the DOCX at the chart's line, as it
 * fails the PDF: a report is never written without one of its charts. */
START_TEST(a_chart_that_cannot_be_drawn_fails_like_the_pdf)
{
    gk_doc *doc = gk_doc_new();
    para(doc, GK_STYLE_BODY, "正文。");
    gk_src at = { "charts.xml", 7 };
    gk_block *cb = gk_doc_add_block(doc, GK_BLOCK_CHART, at);
    gk_chart *ch = &cb->u.chart;
    ch->kind = GK_CHART_BAR;
    ch->number = 1;
    ch->caption = "图1：项目支出";
    ch->title = "项目支出";
    ch->nseries = 1;
    ch->npoints = GK_CHART_MAX_POINTS + 1;
    ch->points = GK_ARENA_ARRAY(&doc->arena, gk_chart_point, ch->npoints);
    for (size_t i = 0; i < ch->npoints; i++) {
        ch->points[i].label = "项目";
        ch->points[i].values[0] = 100 + (gk_fen)i;
        ch->points[i].value_text[0] = "1.00";
    }
    gk_diags warnings = GK_DIAGS_INIT;
    gk_render_opts opts = { .warnings = &warnings };
    for (int pdf = 0; pdf < 2; pdf++) {
        gk_buf out = GK_BUF_INIT;
        gk_error err;
        gk_error_clear(&err);
        gk_status st = pdf ? gk_render_pdf(doc, &opts, &out, &err)
                           : gk_render_docx(doc, &opts, &out, &err);
        ck_assert_msg(st == GK_ERR_LIMIT, "%s: status %d (%s)", pdf ? "pdf" : "docx", st, err.msg);
        ck_assert_str_eq(err.file, "charts.xml");
        ck_assert_int_eq(err.line, 7);
        ck_assert_msg(strstr(err.msg, "201"), "%s", err.msg);
        gk_buf_release(&out);
    }
    gk_diags_release(&warnings);
    gk_doc_free(doc);
}
END_TEST

START_TEST(minimal_documents_render)
{
    /* empty document */
    gk_doc *doc = gk_doc_new();
    gk_buf out = render(doc, 0);
    parsed d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "count(//w:body/w:sectPr)") == 1);
    parsed_free(&d);
    gk_buf_release(&out);

    /* no page numbers: no footers at all */
    doc->page.page_numbers = false;
    para(doc, GK_STYLE_BODY, "正文。");
    gk_doc_add_block(doc, GK_BLOCK_PAGE_BREAK, SRC);
    gk_block *toc = gk_doc_add_block(doc, GK_BLOCK_TOC, SRC);
    toc->u.toc.title = "目录";
    out = render(doc, 0);
    char *f = part(&out, "word/footer1.xml");
    ck_assert_ptr_null(f);
    d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "count(//w:footerReference)") == 0);
    ck_assert(xnum(d.c, "count(//w:fldChar)") == 3); /* empty TOC field */
    ck_assert(xnum(d.c, "count(//w:pageBreakBefore)") == 1);
    parsed_free(&d);
    gk_buf_release(&out);
    gk_doc_free(doc);

    /* a section that ends with a table gets a tiny paragraph for its sectPr */
    doc = gk_doc_new();
    gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    tb->u.table.orient = GK_ORIENT_LANDSCAPE;
    gk_table_alloc(doc, &tb->u.table, 2, 1);
    cell(doc, &tb->u.table, 0, 0, "甲", 1, 1);
    cell(doc, &tb->u.table, 0, 1, "乙", 1, 1);
    para(doc, GK_STYLE_BODY, "正文。");
    out = render(doc, 0);
    d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "count(//w:p/w:pPr/w:sectPr)") == 1);
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:sectPr]/preceding-sibling::*[1][self::w:tbl])") == 1);
    ck_assert(xnum(d.c, "count(//w:tbl/w:tblGrid/w:gridCol)") == 2);
    parsed_free(&d);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

START_TEST(wide_tables_go_landscape_and_charts_are_pictures)
{
    gk_doc *doc = sample_doc(NULL);
    /* a portrait table whose 14 figure columns cannot fit 156 mm */
    gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    gk_table *t = &tb->u.table;
    gk_table_alloc(doc, t, 14, 2);
    t->header_rows = 1;
    t->rows[0].kind = GK_ROW_HEADER;
    for (int c = 0; c < 14; c++) {
        t->cols[c].numeric = c > 0;
        cell(doc, t, 0, c, c ? "本年支出" : "科目名称", 1, 1);
        cell(doc, t, 1, c, c ? "123,456,789.00" : "一般公共服务支出", 1, 1);
    }
    gk_buf out = render(doc, 0);
    parsed d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "count(//w:sectPr[w:pgSz/@w:orient='landscape'])") == 2);
    ck_assert(xnum(d.c, "number(/w:document/w:body/w:sectPr/w:pgSz/@w:w)") == 16838);
    ck_assert(xnum(d.c, "count(/w:document/w:body/w:sectPr/w:footerReference)") == 2);
    /* the chart: an inline picture with the caption as alt text, then the caption */
    ck_assert(xnum(d.c, "count(//wp:inline)") == 1);
    char *descr = xstr(d.c, "string(//wp:docPr/@descr)");
    ck_assert_str_eq(descr, "图1：支出决算结构");
    free(descr);
    ck_assert(xnum(d.c, "count(//w:p[.//wp:inline]/following-sibling::w:p[1][w:pPr/w:pStyle/@w:val='Caption'])") == 1);
    ck_assert(xnum(d.c, "number(//wp:extent/@cx)") > 2000000);
    parsed_free(&d);
    char *png = part(&out, "word/media/image1.png");
    ck_assert_ptr_nonnull(png);
    ck_assert(memcmp(png, "\x89PNG", 4) == 0);
    free(png);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

static gk_buf render_with(gk_doc *doc, const gk_page_map *map, gk_diags *warnings);

/* The DOCX's grid and orientation are the PDF layout's decisions. */
START_TEST(tables_take_the_layouts_grid)
{
    gk_doc *doc = sample_doc(NULL);
    gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    gk_table *t = &tb->u.table;
    gk_table_alloc(doc, t, 6, 2);
    t->header_rows = 1;
    t->rows[0].kind = GK_ROW_HEADER;
    for (int c = 0; c < 6; c++) {
        t->cols[c].numeric = c > 0;
        cell(doc, t, 0, c, c ? "本年支出" : "科目名称", 1, 1);
        cell(doc, t, 1, c, c ? "3,819.053886" : "一般公共服务支出", 1, 1);
    }
    gk_page_map *map = NULL;
    gk_error err;
    gk_error_clear(&err);
    ck_assert_msg(gk_page_map_build(doc, NULL, &map, &err) == GK_OK, "%s", err.msg);
    size_t ti = doc->nblocks - 1;
    int nc = 0;
    const double *w = NULL;
    bool land = true;
    ck_assert(gk_page_map_table(map, ti, &nc, &w, &land));
    ck_assert_int_eq(nc, 6);
    ck_assert(!land);
    ck_assert(!gk_page_map_table(map, 0, NULL, NULL, NULL));
    ck_assert(!gk_page_map_table(map, doc->nblocks, NULL, NULL, NULL));
    double sum = 0;
    for (int c = 0; c < nc; c++)
        sum += w[c];
    /* the portrait text block: 210 - 28 - 26 mm */
    ck_assert_double_eq_tol(sum, 156 * 72 / 25.4, 0.5);
    gk_diags warnings = GK_DIAGS_INIT;
    gk_buf out = render_with(doc, map, &warnings);
    parsed d = parse_part(&out, "word/document.xml");
    char q[120];
    double tw = 0;
    for (int c = 0; c < nc; c++) {
        snprintf(q, sizeof q, "number((//w:tbl)[last()]/w:tblGrid/w:gridCol[%d]/@w:w)", c + 1);
        double g = xnum(d.c, q);
        ck_assert_msg(fabs(g - w[c] * 20) <= 3, "column %d: %g twips, layout %g pt", c, g, w[c]);
        tw += g;
    }
    ck_assert_double_eq_tol(tw, 156 * 1440 / 25.4, 1);
    parsed_free(&d);
    gk_buf_release(&out);
    /* a table too wide for a portrait page goes landscape in both */
    gk_page_map_free(map);
    gk_block *wide = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    gk_table_alloc(doc, &wide->u.table, 14, 1);
    for (int c = 0; c < 14; c++) {
        wide->u.table.cols[c].numeric = true;
        cell(doc, &wide->u.table, 0, c, "123,456,789.00", 1, 1);
    }
    ck_assert(gk_page_map_build(doc, NULL, &map, &err) == GK_OK);
    ck_assert(gk_page_map_table(map, doc->nblocks - 1, &nc, NULL, &land));
    ck_assert_int_eq(nc, 14);
    ck_assert(land);
    gk_page_map_free(map);
    out = render_with(doc, NULL, &warnings);
    d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "number(/w:document/w:body/w:sectPr/w:pgSz/@w:w)") == 16838);
    parsed_free(&d);
    gk_buf_release(&out);
    gk_diags_release(&warnings);
    gk_doc_free(doc);
}
END_TEST

START_TEST(tall_cells_may_break_across_pages)
{
    /* A 3-row vertical span holding a page of text in a narrow column:
     * LibreOffice would cut a merged cell off at the page break, so the
     * span is drawn (text in its first row, no lines inside) and the row
     * may split. */
    gk_doc *doc = gk_doc_new();
    gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    gk_table *t = &tb->u.table;
    gk_table_alloc(doc, t, 3, 4);
    t->header_rows = 1;
    t->rows[0].kind = GK_ROW_HEADER;
    t->cols[0].width = 1;
    t->cols[1].width = 1;
    t->cols[2].width = 8;
    cell(doc, t, 0, 0, "项目", 1, 1);
    cell(doc, t, 0, 1, "绩效目标", 1, 1);
    cell(doc, t, 0, 2, "指标", 1, 1);
    gk_buf long_text = GK_BUF_INIT;
    for (int i = 0; i < 60; i++)
        gk_buf_puts(&long_text, "确保设备发生故障时能够迅速组织抢修。");
    cell(doc, t, 1, 0, "会议保障", 1, 3);
    cell(doc, t, 1, 1, long_text.ptr, 1, 3);
    for (size_t r = 1; r < 4; r++)
        cell(doc, t, r, 2, "产出指标", 1, 1);
    gk_buf_release(&long_text);
    gk_buf out = render(doc, 0);
    parsed d = parse_part(&out, "word/document.xml");
    /* the short span stays merged, the tall one is drawn */
    ck_assert(xnum(d.c, "count(//w:tr[2]/w:tc[1]/w:tcPr/w:vMerge[@w:val='restart'])") == 1);
    ck_assert(xnum(d.c, "count(//w:tr[2]/w:tc[2]/w:tcPr/w:vMerge)") == 0);
    ck_assert(xnum(d.c, "count(//w:tr[2]/w:tc[2]/w:tcPr/w:tcBorders/w:bottom[@w:val='nil'])") == 1);
    ck_assert(xnum(d.c, "count(//w:tr[3]/w:tc[2]/w:tcPr/w:tcBorders[w:top/@w:val='nil'][w:bottom/@w:val='nil'])") == 1);
    ck_assert(xnum(d.c, "count(//w:tr[4]/w:tc[2]/w:tcPr/w:tcBorders[w:top/@w:val='nil'][not(w:bottom)])") == 1);
    ck_assert(xnum(d.c, "count(//w:tr[4]/w:tc[2]/w:p/w:r)") == 0);
    ck_assert(xnum(d.c, "count(//w:tr[2]/w:trPr/w:cantSplit)") == 0);
    ck_assert(xnum(d.c, "count(//w:tr[3]/w:trPr/w:cantSplit)") == 1);
    parsed_free(&d);
    gk_buf_release(&out);
    gk_doc_free(doc);
}
END_TEST

/* Random tables with random spans and random bytes in the text: the XML
 * stays well-formed and every row covers exactly the grid. */
static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 16) % n;
}

START_TEST(random_tables_keep_the_grid)
{
    for (int iter = 0; iter < 40; iter++) {
        gk_doc *doc = gk_doc_new();
        int ncols = 1 + (int)rnd(9);
        size_t nrows = 1 + rnd(12);
        gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
        gk_table *t = &tb->u.table;
        t->orient = rnd(3) == 0 ? GK_ORIENT_LANDSCAPE : GK_ORIENT_PORTRAIT;
        gk_table_alloc(doc, t, ncols, nrows);
        t->header_rows = rnd(3) < nrows ? rnd(3) : 0;
        for (size_t r = 0; r < t->header_rows; r++)
            t->rows[r].kind = GK_ROW_HEADER;
        for (int c = 0; c < ncols; c++) {
            t->cols[c].width = rnd(2) ? (double)(1 + rnd(4)) : 0;
            t->cols[c].numeric = rnd(2);
        }
        for (size_t r = 0; r < nrows; r++)
            for (int c = 0; c < ncols; c++) {
                if (t->rows[r].cells[c].covered)
                    continue;
                int cs = 1 + (int)rnd(3), rs = 1 + (int)rnd(3);
                if (c + cs > ncols)
                    cs = ncols - c;
                if (r + (size_t)rs > nrows)
                    rs = (int)(nrows - r);
                /* shrink until the span covers only free slots */
                for (int dr = 0; dr < rs; dr++)
                    for (int dc = 0; dc < cs; dc++)
                        if ((dr || dc) && t->rows[r + (size_t)dr].cells[c + dc].covered) {
                            cs = 1;
                            rs = 1;
                        }
                char text[64];
                size_t n = rnd(40);
                for (size_t i = 0; i < n; i++)
                    text[i] = (char)(rnd(4) ? "一二三四五六七八九十合计支出"[rnd(39)] : (char)(1 + rnd(255)));
                text[n] = '\0';
                cell(doc, t, r, c, text, cs, rs);
            }
        gk_error err;
        ck_assert_msg(gk_doc_check(doc, &err) == GK_OK, "bad test tree: %s", err.msg);
        gk_buf out = render(doc, 0);
        parsed d = parse_part(&out, "word/document.xml");
        ck_assert(xnum(d.c, "count(//w:tblGrid/w:gridCol)") == ncols);
        for (size_t r = 1; r <= nrows; r++) {
            char q[160];
            snprintf(q, sizeof q, "count(//w:tr[%zu]/w:tc[not(w:tcPr/w:gridSpan)]) + "
                                  "sum(//w:tr[%zu]/w:tc/w:tcPr/w:gridSpan/@w:val)", r, r);
            ck_assert_msg(xnum(d.c, q) == ncols, "row %zu does not cover the grid", r);
        }
        ck_assert(xnum(d.c, "count(//w:tc[not(w:p)])") == 0);
        parsed_free(&d);
        gk_buf_release(&out);
        gk_doc_free(doc);
    }
}
END_TEST

/* ---------------- TOC page numbers ---------------- */

/* A report long enough for its headings and tables to fall on many
 * pages: title page, TOC, two parts of headings with paragraphs between
 * them, numbered tables of 30 rows. */
static gk_doc *long_doc(bool toc_tables)
{
    gk_doc *doc = gk_doc_new();
    para(doc, GK_STYLE_TITLE, "2023年度北京市西城区某某单位部门预算")->title_page = true;
    gk_doc_add_block(doc, GK_BLOCK_PAGE_BREAK, SRC)->title_page = true;
    gk_block *toc = gk_doc_add_block(doc, GK_BLOCK_TOC, SRC);
    toc->u.toc.title = "目录";
    toc->u.toc.max_level = 2;
    toc->u.toc.tables = toc_tables;
    gk_doc_add_block(doc, GK_BLOCK_PAGE_BREAK, SRC);
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六"};
    heading(doc, 0, "第一部分", "部门预算情况说明");
    for (int h = 0; h < 6; h++) {
        char num[16];
        snprintf(num, sizeof num, "%s、", cn[h]);
        heading(doc, 1, num, "部门主要职责及机构设置情况");
        snprintf(num, sizeof num, "（%s）", cn[h]);
        heading(doc, 2, num, "收入预算说明");
        for (int p = 0; p < 3 + 2 * h; p++)
            para(doc, GK_STYLE_BODY, "本部门2023年收入预算1000.00万元，其中财政拨款收入1000.00万元，"
                                     "占100%；比2022年增加10.00万元，主要原因是人员经费增加。");
    }
    heading(doc, 0, "第二部分", "部门预算报表");
    for (int k = 0; k < 3; k++) {
        gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
        gk_table *t = &tb->u.table;
        t->number = gk_arena_printf(&doc->arena, "表%s", cn[k]);
        t->title = k == 1 ? "" : "部门收支总体情况表";
        t->unit = "单位：万元";
        t->anchor = gk_arena_printf(&doc->arena, "t%d", k + 1);
        gk_table_alloc(doc, t, 2, 31);
        t->header_rows = 1;
        t->rows[0].kind = GK_ROW_HEADER;
        cell(doc, t, 0, 0, "项目", 1, 1);
        cell(doc, t, 0, 1, "金额", 1, 1);
        t->cols[1].numeric = true;
        for (size_t r = 1; r < 31; r++) {
            cell(doc, t, r, 0, "一般公共服务支出", 1, 1);
            cell(doc, t, r, 1, "1,000.00", 1, 1);
        }
    }
    /* an unnumbered table is never listed */
    gk_block *tb = gk_doc_add_block(doc, GK_BLOCK_TABLE, SRC);
    tb->u.table.title = "无编号的表";
    tb->u.table.anchor = "t4";
    gk_table_alloc(doc, &tb->u.table, 1, 1);
    cell(doc, &tb->u.table, 0, 0, "甲", 1, 1);
    return doc;
}

static gk_buf render_with(gk_doc *doc, const gk_page_map *map, gk_diags *warnings)
{
    gk_buf out = GK_BUF_INIT;
    gk_error err;
    gk_error_clear(&err);
    gk_render_opts opts = { .warnings = warnings, .page_map = map };
    gk_status st = gk_render_docx(doc, &opts, &out, &err);
    ck_assert_msg(st == GK_OK, "render failed: %s", err.msg);
    return out;
}

/* The TOC's cached entries: text, bookmark and page number of each. */
typedef struct toc_entry {
    char *style, *text, *anchor, *number, *pageref;
} toc_entry;

static size_t toc_entries(parsed *d, toc_entry *e, size_t max)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(
        BAD_CAST "//w:p[starts-with(w:pPr/w:pStyle/@w:val, 'TOC') and "
                 "w:pPr/w:pStyle/@w:val != 'TOCHeading']", d->c);
    ck_assert_ptr_nonnull(o);
    size_t n = 0;
    for (int i = 0; o->nodesetval && i < o->nodesetval->nodeNr && n < max; i++, n++) {
        d->c->node = o->nodesetval->nodeTab[i];
        e[n].style = xstr(d->c, "string(w:pPr/w:pStyle/@w:val)");
        e[n].text = xstr(d->c, "string(w:hyperlink/w:r[1]/w:t)");
        e[n].anchor = xstr(d->c, "string(w:hyperlink/@w:anchor)");
        e[n].number = xstr(d->c, "string(w:hyperlink/w:r[w:fldChar/@w:fldCharType='separate']"
                                 "/following-sibling::w:r[1]/w:t)");
        e[n].pageref = xstr(d->c, "string(w:hyperlink/w:r/w:instrText)");
        /* a right tab with dot leader, and the tab itself before the number */
        ck_assert(xnum(d->c, "count(w:pPr/w:tabs/w:tab[@w:val='right'][@w:leader='dot'])") == 1);
        ck_assert(xnum(d->c, "count(w:hyperlink/w:r/w:tab)") == 1);
    }
    d->c->node = NULL;
    xmlXPathFreeObject(o);
    return n;
}

static void toc_entries_free(toc_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].style);
        free(e[i].text);
        free(e[i].anchor);
        free(e[i].number);
        free(e[i].pageref);
    }
}

START_TEST(page_map_answers_for_headings_and_tables)
{
    gk_doc *doc = long_doc(true);
    gk_page_map *map = NULL;
    gk_error err;
    gk_error_clear(&err);
    ck_assert_msg(gk_page_map_build(doc, NULL, &map, &err) == GK_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(map);
    ck_assert_uint_ge(gk_page_map_pages(map), 8);
    int last = 0, distinct = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        int page = gk_page_map_block(map, i);
        if (b->type != GK_BLOCK_HEADING && b->type != GK_BLOCK_TABLE) {
            ck_assert_int_eq(page, -1);
            continue;
        }
        /* in reading order, on numbered pages, never going back */
        ck_assert_int_ge(page, 1);
        ck_assert_int_ge(page, last);
        distinct += page != last;
        last = page;
        const char *anchor = b->type == GK_BLOCK_HEADING ? b->u.heading.anchor
                                                          : b->u.table.anchor;
        ck_assert_int_eq(gk_page_map_anchor(map, anchor), page);
    }
    ck_assert_int_ge(distinct, 6);
    ck_assert_int_eq(gk_page_map_block(map, doc->nblocks), -1);
    ck_assert_int_eq(gk_page_map_anchor(map, "no-such-anchor"), -1);
    ck_assert_int_eq(gk_page_map_anchor(map, NULL), -1);
    gk_page_map_free(map);

    /* a heading on the title page is on a page without a number */
    gk_block *h = gk_doc_add_heading(doc, 1, "", SRC);
    add_text(doc, &h->u.heading.runs, "封面上的标题", 0);
    h->title_page = true;
    memmove(doc->blocks + 1, doc->blocks, (doc->nblocks - 1) * sizeof *doc->blocks);
    doc->blocks[0] = h;
    ck_assert(gk_page_map_build(doc, NULL, &map, &err) == GK_OK);
    ck_assert_int_eq(gk_page_map_block(map, 0), 0);
    ck_assert_int_eq(gk_page_map_anchor(map, h->u.heading.anchor), 0);
    gk_page_map_free(map);
    gk_page_map_free(NULL);
    gk_doc_free(doc);
}
END_TEST

START_TEST(toc_carries_the_layouts_page_numbers)
{
    for (int tables = 0; tables <= 1; tables++) {
        gk_doc *doc = long_doc(tables);
        gk_page_map *map = NULL;
        gk_error err;
        gk_error_clear(&err);
        ck_assert_msg(gk_page_map_build(doc, NULL, &map, &err) == GK_OK, "%s", err.msg);
        /* the DOCX's own layout, the caller's map and the PDF's map agree */
        gk_diags w = GK_DIAGS_INIT;
        gk_buf own = render_with(doc, NULL, &w);
        ck_assert_uint_eq(w.len, 0);
        gk_buf given = render_with(doc, map, &w);
        ck_assert(own.len == given.len && memcmp(own.ptr, given.ptr, own.len) == 0);
        gk_page_map *pdf_map = NULL;
        gk_buf pdf = GK_BUF_INIT;
        gk_render_opts po = { .warnings = &w, .page_map_out = &pdf_map };
        ck_assert(gk_render_pdf(doc, &po, &pdf, &err) == GK_OK);
        ck_assert_ptr_nonnull(pdf_map);
        gk_buf reused = render_with(doc, pdf_map, &w);
        ck_assert(own.len == reused.len && memcmp(own.ptr, reused.ptr, own.len) == 0);

        parsed d = parse_part(&own, "word/document.xml");
        toc_entry e[64];
        size_t n = toc_entries(&d, e, 64);
        /* 2 parts + 6 一、 + 6 （一）, and 3 numbered tables when asked */
        ck_assert_uint_eq(n, tables ? 17 : 14);
        size_t ntables = 0;
        for (size_t k = 0; k < n; k++) {
            /* the entry links to a bookmark on its heading or table, and
             * its PAGEREF names the same bookmark */
            char q[200];
            snprintf(q, sizeof q, "count(//w:bookmarkStart[@w:name='%s'])", e[k].anchor);
            ck_assert_msg(xnum(d.c, q) == 1, "no bookmark %s", e[k].anchor);
            ck_assert(strncmp(e[k].anchor, "_Toc", 4) == 0);
            snprintf(q, sizeof q, " PAGEREF %s \\h ", e[k].anchor);
            ck_assert_str_eq(e[k].pageref, q);
            /* the number is the layout's */
            int page = gk_page_map_anchor(map, e[k].anchor + 4);
            ck_assert_int_ge(page, 1);
            ck_assert_int_eq(atoi(e[k].number), page);
            ck_assert_int_eq(gk_page_map_anchor(pdf_map, e[k].anchor + 4), page);
            if (strncmp(e[k].text, "表", strlen("表")) == 0) {
                ntables++;
                ck_assert_str_eq(e[k].style, "TOC2");
            }
        }
        ck_assert_uint_eq(ntables, tables ? 3 : 0);
        ck_assert_str_eq(e[0].style, "TOC1");
        ck_assert_str_eq(e[0].text, "第一部分 部门预算情况说明");
        ck_assert_str_eq(e[1].style, "TOC2");
        ck_assert_str_eq(e[2].style, "TOC3");
        ck_assert_str_eq(e[2].text, "（一）收入预算说明");
        if (tables) {
            /* where they stand in reading order, number and title */
            ck_assert_str_eq(e[14].text, "表一 部门收支总体情况表");
            ck_assert_str_eq(e[15].text, "表二");
            ck_assert(atoi(e[16].number) > atoi(e[14].number));
            /* Word's refresh finds them through TC fields */
            char *instr = xstr(d.c, "string(//w:instrText[contains(., ' TOC ')])");
            ck_assert_str_eq(instr, " TOC \\o \"1-3\" \\h \\z \\u \\f T \\l \"2-2\" ");
            free(instr);
            ck_assert(xnum(d.c, "count(//w:instrText[starts-with(., ' TC ')])") == 3);
            instr = xstr(d.c, "string(//w:instrText[starts-with(., ' TC ')])");
            ck_assert_str_eq(instr, " TC \"表一 部门收支总体情况表\" \\f T \\l 2 ");
            free(instr);
        } else {
            ck_assert(xnum(d.c, "count(//w:instrText[starts-with(., ' TC ')])") == 0);
        }
        /* the numbers climb with the pages */
        for (size_t k = 1; k < n; k++)
            ck_assert_int_ge(atoi(e[k].number), atoi(e[k - 1].number));
        ck_assert_int_gt(atoi(e[n - 1].number), atoi(e[0].number) + 4);
        /* one TOC field around them all, marked dirty for Word */
        ck_assert(xnum(d.c, "count(//w:fldChar[@w:fldCharType='begin'][@w:dirty='true'])") == 1);
        toc_entries_free(e, n);
        parsed_free(&d);

        parsed st = parse_part(&own, "word/styles.xml");
        ck_assert(xnum(st.c, "count(//w:style[@w:styleId='TOC3']/w:name[@w:val='toc 3'])") == 1);
        ck_assert(xnum(st.c, "number(//w:style[@w:styleId='TOC3']/w:pPr/w:ind/@w:leftChars)") ==
                  xnum(st.c, "number(//w:style[@w:styleId='TOC2']/w:pPr/w:ind/@w:leftChars)") + 200);
        parsed_free(&st);

        gk_diags_release(&w);
        gk_buf_release(&own);
        gk_buf_release(&given);
        gk_buf_release(&reused);
        gk_buf_release(&pdf);
        gk_page_map_free(map);
        gk_page_map_free(pdf_map);
        gk_doc_free(doc);
    }
}
END_TEST

START_TEST(without_fonts_the_toc_numbers_are_left_for_word)
{
    char dir[] = "/tmp/gk_docx_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char map[64];
    snprintf(map, sizeof map, "%s/fontmap.conf", dir);
    FILE *f = fopen(map, "w");
    ck_assert_ptr_nonnull(f);
    fputs("宋体 /nonexistent/a.ttf\n黑体 /nonexistent/b.ttf\n仿宋 /nonexistent/c.ttf\n", f);
    fclose(f);
    setenv("GONGKAI_FONTMAP", map, 1);
    gk_doc *doc = long_doc(false);
    gk_diags w = GK_DIAGS_INIT;
    gk_buf out = render_with(doc, NULL, &w);
    unsetenv("GONGKAI_FONTMAP");
    ck_assert_uint_eq(w.len, 1);
    ck_assert_int_eq(w.items[0].severity, GK_SEV_WARNING);
    ck_assert_msg(strstr(w.items[0].err.msg, "Word"), "%s", w.items[0].err.msg);
    parsed d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:pStyle/@w:val='TOC1'])") == 2);
    ck_assert(xnum(d.c, "count(//w:instrText[contains(., 'PAGEREF')])") == 0);
    ck_assert(xnum(d.c, "count(//w:fldChar[@w:fldCharType='begin'][@w:dirty='true'])") == 1);
    parsed_free(&d);
    gk_diags_release(&w);
    gk_buf_release(&out);
    gk_doc_free(doc);
    remove(map);
    rmdir(dir);
}
END_TEST

START_TEST(a_toc_a_little_too_long_is_set_tighter_like_the_pdf)
{
    /* 1 part + 24 一、 entries: 48 + 26 + 24 × 24 pt, a little more than
     * the 637.8 pt text block; the PDF sets the entries tighter to keep
     * the TOC on one page, and so does the DOCX */
    gk_doc *doc = gk_doc_new();
    gk_block *toc = gk_doc_add_block(doc, GK_BLOCK_TOC, SRC);
    toc->u.toc.title = "目录";
    toc->u.toc.max_level = 1;
    heading(doc, 0, "第一部分", "部门预算情况说明");
    for (int h = 0; h < 24; h++) {
        char num[16];
        snprintf(num, sizeof num, "%d、", h + 1);
        heading(doc, 1, num, "部门主要职责及机构设置情况");
        para(doc, GK_STYLE_BODY, "本部门2023年收入预算1000.00万元。");
    }
    gk_page_map *map = NULL;
    gk_error err;
    ck_assert(gk_page_map_build(doc, NULL, &map, &err) == GK_OK);
    double f = gk_page_map_toc_scale(map);
    ck_assert_msg(f >= 0.85 && f < 1, "scale %g", f);
    /* the TOC is page 1 alone: the first heading starts page 2 */
    ck_assert_int_eq(gk_page_map_block(map, 1), 2);
    gk_diags w = GK_DIAGS_INIT;
    gk_buf out = render_with(doc, map, &w);
    parsed d = parse_part(&out, "word/document.xml");
    char q[200];
    snprintf(q, sizeof q, "count(//w:p[w:pPr/w:pStyle/@w:val='TOC2']"
                          "[w:pPr/w:spacing[@w:lineRule='exact'][@w:line='%ld']])",
             (long)floor(24 * f * 20));
    ck_assert(xnum(d.c, q) == 24);
    snprintf(q, sizeof q, "count(//w:p[w:pPr/w:pStyle/@w:val='TOC1']"
                          "[w:pPr/w:spacing[@w:line='%ld']])", (long)floor(26 * f * 20));
    ck_assert(xnum(d.c, q) == 1);
    /* and the first heading starts a new page after it */
    ck_assert(xnum(d.c, "count(//w:p[w:pPr/w:pStyle/@w:val='Heading1'][w:pPr/w:pageBreakBefore])") == 1);
    parsed_free(&d);
    gk_buf_release(&out);
    gk_page_map_free(map);

    /* a TOC that fits is set as its style says */
    doc->nblocks = 30;
    ck_assert(gk_page_map_build(doc, NULL, &map, &err) == GK_OK);
    ck_assert(gk_page_map_toc_scale(map) == 1);
    out = render_with(doc, map, &w);
    d = parse_part(&out, "word/document.xml");
    ck_assert(xnum(d.c, "count(//w:p[starts-with(w:pPr/w:pStyle/@w:val, 'TOC')]/w:pPr/w:spacing)") == 0);
    parsed_free(&d);
    gk_buf_release(&out);
    gk_page_map_free(map);
    gk_diags_release(&w);
    gk_doc_free(doc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("docx");
    TCase *tc = tcase_create("docx");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_part_is_well_formed_and_related);
    tcase_add_test(tc, two_renders_are_byte_identical);
    tcase_add_test(tc, core_dates_come_from_data_or_epoch);
    tcase_add_test(tc, headings_carry_outline_levels);
    tcase_add_test(tc, tables_repeat_headers_and_merge_cells);
    tcase_add_test(tc, text_is_escaped_and_cleaned);
    tcase_add_test(tc, minimal_documents_render);
    tcase_add_test(tc, wide_tables_go_landscape_and_charts_are_pictures);
    tcase_add_test(tc, tables_take_the_layouts_grid);
    tcase_add_test(tc, tall_cells_may_break_across_pages);
    tcase_add_test(tc, random_tables_keep_the_grid);
    tcase_add_test(tc, page_map_answers_for_headings_and_tables);
    tcase_add_test(tc, toc_carries_the_layouts_page_numbers);
    tcase_add_test(tc, without_fonts_the_toc_numbers_are_left_for_word);
    tcase_add_test(tc, a_toc_a_little_too_long_is_set_tighter_like_the_pdf);
    tcase_add_test(tc, a_chart_that_cannot_be_drawn_fails_like_the_pdf);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    xmlCleanupParser();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
