/* Templates: each element into the document tree, and every broken
 * template of tests/bad/templates/ refused with its FILE:LINE message.
 * Run from the top of the source tree (make does). */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongkai/tmpl.h"
#include "tmpl/internal.h"

#define DATA "tests/templates/small-2023.json"

static gk_model *model;
static char tmpdir[256];

static void setup(void)
{
    gk_diags d = GK_DIAGS_INIT;
    model = gk_model_load(DATA, &d);
    ck_assert_msg(model != NULL, "cannot load " DATA " (run from the source tree)");
    gk_diags_release(&d);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gk-tmpl-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            rm_rf(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void teardown(void)
{
    gk_model_free(model);
    rm_rf(tmpdir);
}

static void write_file(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report xmlns=\"urn:gongkai:template:1\">\n"
#define TAIL "\n</report>\n"

/* Load + render a report body; returns the document or NULL with err. */
static gk_doc *build(const char *body, gk_error *err)
{
    gk_buf b = GK_BUF_INIT;
    gk_buf_printf(&b, "%s%s%s", HEAD, body, TAIL);
    write_file("report.xml", b.ptr);
    gk_buf_release(&b);
    char p[512];
    snprintf(p, sizeof p, "%s/report.xml", tmpdir);
    gk_template *t = gk_template_load(p, err);
    if (!t)
        return NULL;
    gk_doc *d = gk_template_render(t, model, err);
    gk_template_free(t);
    return d;
}

static char text_out[65536];

static const char *render(const char *body)
{
    gk_error err;
    gk_error_clear(&err);
    gk_doc *d = build(body, &err);
    gk_buf b = GK_BUF_INIT;
    if (d) {
        gk_render_text(d, &b);
        gk_doc_free(d);
    } else {
        gk_buf_puts(&b, "ERR:");
        gk_error_format(&err, &b);
    }
    snprintf(text_out, sizeof text_out, "%s", b.ptr);
    gk_buf_release(&b);
    return text_out;
}

#define HAS(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, "'%s' not in:\n%s", (needle), (hay))
#define HASNT(hay, needle) ck_assert_msg(strstr((hay), (needle)) == NULL, "'%s' in:\n%s", (needle), (hay))

START_TEST(paragraph_inline)
{
    gk_error err;
    gk_doc *d = build("<p>甲<b>乙</b><em>丙</em><i>丁</i><u>戊</u>\n    <sp/>己<br/>庚</p>"
                      "<p style=\"subtitle\" align=\"right\">x</p>"
                      "<p><if test=\"false\">不出现</if></p>", &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    ck_assert_uint_eq(d->nblocks, 2); /* the empty paragraph is left out */
    const gk_paragraph *p = &d->blocks[0]->u.para;
    ck_assert_int_eq(p->style, GK_STYLE_BODY);
    ck_assert_uint_eq(p->runs.len, 6);
    ck_assert_str_eq(p->runs.items[0].text, "甲");
    ck_assert_uint_eq(p->runs.items[1].flags, GK_RUN_BOLD);
    ck_assert_uint_eq(p->runs.items[2].flags, GK_RUN_EMPHASIS);
    ck_assert_uint_eq(p->runs.items[3].flags, GK_RUN_ITALIC);
    ck_assert_uint_eq(p->runs.items[4].flags, GK_RUN_UNDERLINE);
    ck_assert_str_eq(p->runs.items[5].text, " 己\n庚"); /* indentation removed, <sp/> kept */
    ck_assert_int_eq(d->blocks[1]->u.para.style, GK_STYLE_SUBTITLE);
    ck_assert_int_eq(d->blocks[1]->u.para.align, GK_ALIGN_RIGHT);
    ck_assert_str_eq(d->blocks[0]->src.file + strlen(d->blocks[0]->src.file) - 10, "report.xml");
    ck_assert_int_eq(d->blocks[0]->src.line, 3);
    gk_doc_free(d);
}
END_TEST

START_TEST(headings_numbering)
{
    const char *t = render(
        "<part>第一部分 说明</part>"
        "<heading>甲</heading><heading level=\"2\">乙</heading><heading level=\"2\">丙</heading>"
        "<heading level=\"3\">丁</heading><heading level=\"4\">戊</heading><heading level=\"4\">己</heading>"
        "<heading level=\"3\">庚</heading><heading level=\"2\" number=\"no\">无号</heading>"
        "<heading level=\"3\">辛</heading>"
        "<heading>壬</heading><heading level=\"2\">癸</heading>"
        "<heading level=\"2\" number=\"restart\">重来</heading>"
        "<heading level=\"3\" numbering=\"1、\">顿号</heading>"
        "<part>第二部分 表</part><heading>子</heading>");
    HAS(t, "第一部分 说明\n\n一、甲\n\n（一）乙\n\n（二）丙\n\n1.丁\n\n（1）戊\n\n（2）己\n\n2.庚\n\n无号\n\n1.辛\n\n"
           "二、壬\n\n（一）癸\n\n（一）重来\n\n1、顿号\n\n第二部分 表\n\n一、子\n");
}
END_TEST

START_TEST(blanks_between_blocks)
{
    /* spaces before a comment on the same line are not text */
    const char *t = render("<heading>甲</heading>   <!-- 一、 -->\n  <p>x</p>  <table>  <row> <cell>a</cell> </row>  </table>");
    HAS(t, "一、甲\n\nx\n");
}
END_TEST

START_TEST(part_auto_and_toc)
{
    gk_error err;
    gk_doc *d = build("<titlepage><p style=\"title\">封面</p><heading>封面标题</heading></titlepage>"
                      "<toc levels=\"2\"/>"
                      "<part number=\"auto\">说明</part><heading>甲</heading><heading level=\"2\">乙</heading>"
                      "<heading level=\"3\">丙</heading><heading toc=\"no\">丁</heading>"
                      "<part number=\"auto\" numbering=\"第一章 \">附表</part>", &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    ck_assert(d->blocks[0]->title_page);
    ck_assert(d->blocks[1]->title_page);
    ck_assert_int_eq(d->blocks[2]->type, GK_BLOCK_PAGE_BREAK);
    ck_assert_int_eq(d->blocks[3]->type, GK_BLOCK_TOC);
    ck_assert(!d->blocks[3]->title_page);
    ck_assert_int_eq(d->blocks[3]->u.toc.max_level, 2);
    ck_assert_str_eq(d->blocks[3]->u.toc.title, "目录");
    ck_assert_str_eq(d->blocks[4]->u.heading.plain, "第一部分 说明");
    ck_assert_int_eq(d->blocks[4]->u.heading.level, 0);
    ck_assert_str_eq(d->blocks[5]->u.heading.number, "一、");
    ck_assert_str_eq(d->blocks[5]->u.heading.runs.items[0].text, "甲");
    ck_assert(!d->blocks[8]->u.heading.in_toc);
    ck_assert_str_eq(d->blocks[9]->u.heading.plain, "第二章 附表");
    gk_buf b = GK_BUF_INIT;
    gk_render_text(d, &b);
    HAS(b.ptr, "目录\n第一部分 说明\n  一、甲\n    （一）乙\n第二章 附表\n");
    ck_assert(!d->blocks[3]->u.toc.tables);
    HASNT(b.ptr, "  封面标题");
    gk_buf_release(&b);
    gk_doc_free(d);
}
END_TEST

START_TEST(toc_tables)
{
    const char *t = render("<toc tables=\"yes\"/><part>第二部分 报表</part>"
                           "<table number=\"表一\" title=\"收支总表\"><row><cell>a</cell></row></table>"
                           "<table title=\"无编号\"><row><cell>b</cell></row></table>"
                           "<table number=\"表二\"><row><cell>c</cell></row></table>");
    HAS(t, "目录\n第二部分 报表\n  表一 收支总表\n  表二\n\n第二部分 报表");
}
END_TEST

START_TEST(let_if_each)
{
    const char *t = render(
        "<let name=\"n\" value=\"count(rows(tables.expenditure, 1))\"/>"
        "<p>类{{ n }}个</p>"
        "<if test=\"n > 5\"><p>多</p><elif test=\"n == 2\"><p>两个</p></elif><else><p>否</p></else></if>"
        "<each in=\"rows(tables.expenditure, 1)\" as=\"r\"><p>{{ loop.index }}/{{ loop.count }} {{ r.code }}"
        "<if test=\"loop.first\">首</if><if test=\"loop.last\">末</if></p></each>"
        "<p><each in=\"rows(tables.expenditure)\" as=\"r\" where=\"r.level == 3\" sep=\"；\">{{ r.name }}</each>。</p>"
        "<p><each in=\"rows(tables.expenditure)\" as=\"r\" limit=\"2\" sep=\"、\">{{ r.code }}</each></p>"
        "<section><let name=\"n\" value=\"99\"/><p>内{{ n }}</p></section><p>外{{ n }}</p>"
        "<each in=\"data.nothing\" as=\"x\"><p>空</p></each>"
        "<each in=\"department\" as=\"kv\" limit=\"1\"><p>{{ kv.key }}</p></each>");
    HAS(t, "类2个\n");
    HAS(t, "\n两个\n");
    HAS(t, "1/2 207首\n\n2/2 208末\n");
    HAS(t, "群众文化；机关事业单位基本养老保险缴费支出。\n");
    HAS(t, "207、20701\n");
    HAS(t, "内99\n\n外2\n");
    HASNT(t, "空");
    HAS(t, "\nname\n");
}
END_TEST

START_TEST(table_grid)
{
    gk_error err;
    gk_doc *d = build(
        "<table number=\"公开01表\" title=\"表\" unit=\"单位：万元\" left=\"部门：{{ department.short_name }}\" orient=\"portrait\">"
        "<columns><col width=\"2\"/><col format=\"money\"/><col format=\"money\" decimals=\"1\" sep=\"yes\" zero=\"—\"/></columns>"
        "<header><row><cell rowspan=\"2\">项目</cell><cell colspan=\"2\">金额</cell></row>"
        "<row><cell>甲</cell><cell>乙</cell></row></header>"
        "<row kind=\"total\"><cell bold=\"yes\">合计</cell><cell value=\"1234.5\"/><cell value=\"1234567.85\"/></row>"
        "<each in=\"rows(tables.expenditure, 1)\" as=\"r\"><row level=\"{{ r.level }}\"><cell indent=\"1\" align=\"center\">{{ r.name }}</cell>"
        "<cell value=\"r.basic\"/><cell value=\"r.operating\"/></row></each>"
        "<note>注：一。</note><note>注：二。</note></table>", &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    const gk_table *t = &d->blocks[0]->u.table;
    ck_assert_str_eq(t->number, "公开01表");
    ck_assert_str_eq(t->caption_left, "部门：文化馆");
    ck_assert_str_eq(t->unit, "单位：万元");
    ck_assert_str_eq(t->note, "注：一。\n注：二。");
    ck_assert_int_eq(t->ncols, 3);
    ck_assert_uint_eq(t->nrows, 5);
    ck_assert_uint_eq(t->header_rows, 2);
    ck_assert_int_eq(t->orient, GK_ORIENT_PORTRAIT);
    ck_assert(t->cols[1].numeric);
    ck_assert_int_eq(t->cols[1].align, GK_ALIGN_RIGHT);
    ck_assert_int_eq(t->cols[0].align, GK_ALIGN_LEFT);
    ck_assert(t->cols[0].width == 2.0);
    ck_assert_int_eq(t->rows[0].cells[0].rowspan, 2);
    ck_assert_int_eq(t->rows[0].cells[1].colspan, 2);
    ck_assert(t->rows[0].cells[2].covered);
    ck_assert(t->rows[1].cells[0].covered);
    ck_assert_str_eq(t->rows[1].cells[1].runs.items[0].text, "甲");
    ck_assert_int_eq(t->rows[2].kind, GK_ROW_TOTAL);
    ck_assert(t->rows[2].cells[0].bold);
    ck_assert_str_eq(t->rows[2].cells[1].runs.items[0].text, "1234.50");
    ck_assert_str_eq(t->rows[2].cells[2].runs.items[0].text, "1,234,567.9");
    ck_assert_str_eq(t->rows[3].cells[2].runs.items[0].text, "—");
    ck_assert_int_eq(t->rows[3].level, 1);
    ck_assert_int_eq(t->rows[3].cells[0].indent, 1);
    ck_assert_int_eq(t->rows[3].cells[0].align, GK_ALIGN_CENTER);
    ck_assert_int_eq(gk_doc_check(d, &err), GK_OK);
    gk_doc_free(d);
}
END_TEST

START_TEST(table_no_columns_and_orient)
{
    gk_error err;
    gk_doc *d = build("<table><row><cell colspan=\"2\">a</cell></row><row><cell>b</cell><cell>c</cell></row></table>"
                      "<table><columns><col/><col/><col/><col/><col/><col/><col/><col/><col/><col/><col/><col/><col/><col/></columns>"
                      "<row><cell value=\"1234567.89\"/><cell value=\"1234567.89\"/><cell value=\"1234567.89\"/><cell value=\"1234567.89\"/>"
                      "<cell value=\"1234567.89\"/><cell value=\"1234567.89\"/><cell value=\"1234567.89\"/><cell value=\"1234567.89\"/>"
                      "<cell value=\"1234567.89\"/><cell value=\"1234567.89\"/><cell value=\"1234567.89\"/><cell value=\"1234567.89\"/>"
                      "<cell value=\"1234567.89\"/><cell value=\"1234567.89\"/></row></table>",
                      &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    ck_assert_int_eq(d->blocks[0]->u.table.ncols, 2);
    ck_assert_int_eq(d->blocks[0]->u.table.orient, GK_ORIENT_PORTRAIT);
    ck_assert_int_eq(d->blocks[1]->u.table.orient, GK_ORIENT_LANDSCAPE);
    ck_assert_str_eq(d->blocks[0]->u.table.anchor, "t1");
    gk_doc_free(d);
}
END_TEST

START_TEST(charts)
{
    gk_error err;
    gk_doc *d = build(
        "<chart kind=\"pie\" title=\"结构\"><point label=\"甲\" value=\"3\"/><point label=\"零\" value=\"0\"/>"
        "<point label=\"乙\" value=\"1.255\"/></chart>"
        "<chart kind=\"bar\" title=\"全零\"><point label=\"a\" value=\"0\"/></chart>"
        "<chart kind=\"bar\" title=\"空\"></chart>"
        "<chart kind=\"grouped-bar\" title=\"对比\" series=\"上年|本年\" decimals=\"1\">"
        "<each in=\"rows(tables.general, 1)\" as=\"r\"><point label=\"{{ r.name }}\" value=\"r.budget\" value2=\"r.basic + r.project\"/></each>"
        "<point label=\"都为零\" value=\"0\" value2=\"0\"/></chart>"
        "<chart kind=\"bar\" title=\"负数可以\"><point label=\"a\" value=\"0 - 1\"/></chart>", &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    ck_assert_uint_eq(d->nblocks, 3);
    const gk_chart *c = &d->blocks[0]->u.chart;
    ck_assert_int_eq(c->number, 1);
    ck_assert_str_eq(c->caption, "图1：结构");
    ck_assert_uint_eq(c->npoints, 2);
    ck_assert_str_eq(c->points[1].label, "乙");
    ck_assert_str_eq(c->points[1].value_text[0], "1.26");
    ck_assert_int_eq(c->points[1].values[0], 1255000);
    ck_assert_int_eq(c->unit, GK_UNIT_WAN);
    c = &d->blocks[1]->u.chart;
    ck_assert_int_eq(c->number, 2); /* the all-zero charts consumed no number */
    ck_assert_int_eq(c->kind, GK_CHART_GROUPED_BAR);
    ck_assert_int_eq(c->nseries, 2);
    ck_assert_str_eq(c->series[1], "本年");
    ck_assert_uint_eq(c->npoints, 2);
    ck_assert_str_eq(c->points[0].value_text[0], "320.0");
    ck_assert_str_eq(c->points[0].value_text[1], "300.3");
    ck_assert_str_eq(d->blocks[2]->u.chart.caption, "图3：负数可以");
    gk_buf b = GK_BUF_INIT;
    gk_render_text(d, &b);
    HAS(b.ptr, "图1：结构\n甲  3.00\n乙  1.26\n");
    gk_buf_release(&b);
    gk_doc_free(d);
    /* a grouped bar point needs one value per series */
    HAS(render("<chart kind=\"grouped-bar\" series=\"a|b\"><point label=\"x\" value=\"1\"/></chart>"),
        "report.xml:3: 错误: <point> 缺少 value2");
}
END_TEST

START_TEST(glossary_narrative)
{
    const char *t = render("<heading>名词</heading><glossary in=\"glossary\"/><glossary in=\"glossary\" numbering=\"1.\"/>"
                           "<heading>概况</heading><narrative in=\"department.overview\" level=\"3\"/>");
    HAS(t, "1、财政拨款收入：指单位从同级财政部门取得的财政预算资金。\n\n2、基本支出：");
    HAS(t, "1.财政拨款收入：");
    HAS(t, "1.主要职责\n\n组织开展群众文化活动。\n\n内设机构\n\n设办公室");
    HAS(t, "人员情况表\n+");
    HAS(render("<narrative in=\"year\"/>"), "类型不符");
}
END_TEST

START_TEST(include_and_style)
{
    mkdir(strcat(strcpy(text_out, tmpdir), "/sub"), 0777);
    write_file("sub/frag.xml", "<?xml version=\"1.0\"?>\n<fragment xmlns=\"urn:gongkai:template:1\">\n"
                               "  <p>片段{{ x }}</p>\n  <include href=\"inner.xml\"/>\n</fragment>\n");
    write_file("sub/inner.xml", "<fragment xmlns=\"urn:gongkai:template:1\"><p>内层</p></fragment>");
    write_file("style.xml", "<styles xmlns=\"urn:gongkai:style:1\">\n"
                            "<page size=\"A3\" top=\"2cm\" left=\"30mm\" page-numbers=\"no\"/>\n"
                            "<style name=\"body\" font=\"楷体\" size=\"小四\" line=\"20pt\" indent=\"0\" bold=\"yes\"/>\n"
                            "<style name=\"h1\" size=\"10.5pt\" align=\"center\"/>\n</styles>\n");
    char p[512];
    snprintf(p, sizeof p, "%s/report.xml", tmpdir);
    write_file("report.xml", "<?xml version=\"1.0\"?>\n<report xmlns=\"urn:gongkai:template:1\" style=\"style.xml\" "
                             "title=\"{{ year }}年度{{ department.name }}\" subject=\"部门决算\">\n"
                             "<let name=\"x\" value=\"1\"/>\n<include href=\"sub/frag.xml\"/>\n</report>\n");
    gk_error err;
    gk_template *t = gk_template_load(p, &err);
    ck_assert_msg(t != NULL, "%s", err.msg);
    gk_doc *d = gk_template_render(t, model, &err);
    ck_assert_msg(d != NULL, "%s", err.msg);
    ck_assert_str_eq(d->info.title, "2023年度测试区文化馆");
    ck_assert_str_eq(d->info.author, "测试区文化馆");
    ck_assert_str_eq(d->info.subject, "部门决算");
    ck_assert_str_eq(d->info.date, "2024-08-19");
    ck_assert(d->page.width_mm == 297 && d->page.height_mm == 420);
    ck_assert(d->page.top_mm == 20 && d->page.left_mm == 30 && d->page.right_mm == 26);
    ck_assert(!d->page.page_numbers);
    ck_assert_int_eq(d->styles[GK_STYLE_BODY].font, GK_FONT_KAI);
    ck_assert(d->styles[GK_STYLE_BODY].size_pt == 12);
    ck_assert(d->styles[GK_STYLE_BODY].line_pt == 20);
    ck_assert(d->styles[GK_STYLE_BODY].bold);
    ck_assert(d->styles[GK_STYLE_H1].size_pt == 10.5);
    ck_assert_int_eq(d->styles[GK_STYLE_H1].font, GK_FONT_HEI); /* unset: default kept */
    ck_assert_int_eq(d->styles[GK_STYLE_H1].align, GK_ALIGN_CENTER);
    ck_assert_uint_eq(d->nblocks, 2);
    ck_assert_str_eq(d->blocks[0]->u.para.runs.items[0].text, "片段1");
    ck_assert(strstr(d->blocks[0]->src.file, "sub/frag.xml") != NULL);
    ck_assert_int_eq(d->blocks[0]->src.line, 3);
    ck_assert(strstr(d->blocks[1]->src.file, "sub/inner.xml") != NULL);
    gk_doc_free(d);
    gk_template_free(t);
}
END_TEST

START_TEST(font_sizes)
{
    static const struct { const char *s; double pt; } sz[] = {
        {"初号", 42}, {"小初", 36}, {"一号", 26}, {"小一", 24}, {"二号", 22}, {"小二", 18},
        {"三号", 16}, {"小三", 15}, {"四号", 14}, {"小四", 12}, {"五号", 10.5}, {"小五", 9},
        {"六号", 7.5}, {"12pt", 12}, {"9", 9},
    };
    for (size_t i = 0; i < sizeof sz / sizeof sz[0]; i++) {
        double pt = 0;
        ck_assert_msg(gk__font_size(sz[i].s, &pt) && pt == sz[i].pt, "%s", sz[i].s);
    }
    double pt;
    ck_assert(!gk__font_size("大号", &pt));
    ck_assert(!gk__font_size("-3pt", &pt));
    double mm;
    ck_assert(gk__length_mm("37mm", &mm) && mm == 37);
    ck_assert(gk__length_mm("2.5cm", &mm) && mm == 25);
    ck_assert(!gk__length_mm("37 mm", &mm));
}
END_TEST

START_TEST(include_depth)
{
    /* fragments each including the next: 16 nested includes work, 17 do not */
    for (int i = 0; i < 17; i++) {
        char name[32], body[256];
        snprintf(name, sizeof name, "f%d.xml", i);
        snprintf(body, sizeof body, "<fragment xmlns=\"urn:gongkai:template:1\"><include href=\"f%d.xml\"/></fragment>", i + 1);
        write_file(name, body);
    }
    write_file("f15.xml", "<fragment xmlns=\"urn:gongkai:template:1\"><p>底</p></fragment>");
    HAS(render("<include href=\"f0.xml\"/>"), "底\n");
    write_file("f15.xml", "<fragment xmlns=\"urn:gongkai:template:1\"><include href=\"f16.xml\"/></fragment>");
    write_file("f16.xml", "<fragment xmlns=\"urn:gongkai:template:1\"><p>底</p></fragment>");
    HAS(render("<include href=\"f0.xml\"/>"), "f15.xml:1: 错误: 引用嵌套超过 16 层");
}
END_TEST

START_TEST(loop_limit_and_blocks)
{
    /* a loop with more items than GK_TMPL_MAX_LOOP is refused before it runs */
    gk_buf big = GK_BUF_INIT;
    gk_buf_puts(&big, "{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"万元\","
                      "\"department\":{\"name\":\"x\"},\"list\":[");
    for (int i = 0; i <= GK_TMPL_MAX_LOOP; i++)
        gk_buf_puts(&big, i ? ",1" : "1");
    gk_buf_puts(&big, "]}");
    gk_diags dg = GK_DIAGS_INIT;
    gk_model *m = gk_model_load_mem(big.ptr, big.len, "big.json", &dg);
    gk_buf_release(&big);
    gk_diags_release(&dg);
    ck_assert_ptr_nonnull(m);
    write_file("report.xml", HEAD "<each in=\"data.list\" as=\"x\"><p>{{ x }}</p></each>" TAIL);
    char p[512];
    snprintf(p, sizeof p, "%s/report.xml", tmpdir);
    gk_error err;
    gk_template *t = gk_template_load(p, &err);
    ck_assert_ptr_nonnull(t);
    gk_doc *d = gk_template_render(t, m, &err);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(err.status, GK_ERR_LIMIT);
    ck_assert_int_eq(err.line, 3);
    ck_assert_msg(strstr(err.msg, "超过上限 100000") != NULL, "%s", err.msg);
    gk_template_free(t);
    gk_model_free(m);
}
END_TEST

START_TEST(no_stderr_noise)
{
    /* libxml2's own messages never reach stderr: they become gk_error */
    fflush(stderr);
    int saved = dup(2);
    char path[300];
    snprintf(path, sizeof path, "%s/stderr.txt", tmpdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    const char *r1 = render("<p>未闭合</b>");
    int has1 = strstr(r1, "report.xml:3") != NULL;
    const char *r2 = render("<p><cell/></p>");
    int has2 = strstr(r2, "RELAX NG") != NULL;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ck_assert(has1);
    ck_assert(has2);
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_size, 0);
}
END_TEST

/* Every case of tests/bad/templates/<case>/: report.xml (+ files) and
 * `expected`, a substring of the error (path from the case folder). */
START_TEST(bad_templates)
{
    const char *root = "tests/bad/templates";
    DIR *dir = opendir(root);
    ck_assert_msg(dir != NULL, "no %s (run from the source tree)", root);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512], exp_path[512], expected[1024] = "";
        snprintf(path, sizeof path, "%s/%s/report.xml", root, e->d_name);
        snprintf(exp_path, sizeof exp_path, "%s/%s/expected", root, e->d_name);
        FILE *f = fopen(exp_path, "r");
        ck_assert_msg(f != NULL, "%s: no expected file", e->d_name);
        ck_assert_ptr_nonnull(fgets(expected, sizeof expected, f));
        fclose(f);
        expected[strcspn(expected, "\n")] = '\0';
        gk_error err;
        gk_error_clear(&err);
        gk_template *t = gk_template_load(path, &err);
        gk_doc *d = NULL;
        if (t) {
            d = gk_template_render(t, model, &err);
            gk_template_free(t);
        }
        ck_assert_msg(d == NULL, "%s: no error", e->d_name);
        ck_assert_msg(err.status != GK_OK, "%s: error without a status", e->d_name);
        gk_buf msg = GK_BUF_INIT;
        gk_error_format(&err, &msg);
        ck_assert_msg(strstr(msg.ptr, expected) != NULL, "%s:\n  want: %s\n  got:  %s", e->d_name,
                      expected, msg.ptr);
        ck_assert_msg(err.line > 0, "%s: no line in %s", e->d_name, msg.ptr);
        gk_buf_release(&msg);
        n++;
    }
    closedir(dir);
    ck_assert_int_ge(n, 20);
}
END_TEST

START_TEST(shipped_layouts_load)
{
    /* the shipped layouts validate and load (their content is their owners') */
    const char *paths[] = {"templates/juesuan/report.xml", "templates/yusuan/report.xml"};
    for (size_t i = 0; i < 2; i++) {
        if (access(paths[i], R_OK) != 0)
            continue;
        gk_error err;
        gk_template *t = gk_template_load(paths[i], &err);
        ck_assert_msg(t != NULL, "%s: %s:%d: %s", paths[i], err.file, err.line, err.msg);
        gk_template_free(t);
    }
    gk_buf b = GK_BUF_INIT;
    gk_template_default_path(GK_KIND_YUSUAN, &b);
    ck_assert(strstr(b.ptr, "/templates/yusuan/report.xml") != NULL);
    gk_buf_release(&b);
}
END_TEST

static Suite *tmpl_suite(void)
{
    Suite *s = suite_create("tmpl");
    TCase *tc = tcase_create("elements");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, paragraph_inline);
    tcase_add_test(tc, headings_numbering);
    tcase_add_test(tc, blanks_between_blocks);
    tcase_add_test(tc, part_auto_and_toc);
    tcase_add_test(tc, toc_tables);
    tcase_add_test(tc, let_if_each);
    tcase_add_test(tc, table_grid);
    tcase_add_test(tc, table_no_columns_and_orient);
    tcase_add_test(tc, charts);
    tcase_add_test(tc, glossary_narrative);
    tcase_add_test(tc, include_and_style);
    tcase_add_test(tc, font_sizes);
    tcase_add_test(tc, include_depth);
    tcase_add_test(tc, loop_limit_and_blocks);
    tcase_add_test(tc, no_stderr_noise);
    tcase_add_test(tc, bad_templates);
    tcase_add_test(tc, shipped_layouts_load);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tmpl_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
