/* The plain-text renderer: widths, reading order, tables with spans. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/doc.h"

static const gk_src src = {.file = "t.xml", .line = 1};

static void add_text(gk_doc *d, gk_runs *r, const char *s)
{
    gk_runs_add(d, r, s, strlen(s), 0, -1);
}

static char *render(const gk_doc *d)
{
    gk_buf b = GK_BUF_INIT;
    gk_render_text(d, &b);
    return gk_buf_detach(&b, NULL);
}

START_TEST(widths)
{
    ck_assert_uint_eq(gk_text_width(""), 0);
    ck_assert_uint_eq(gk_text_width("abc"), 3);
    ck_assert_uint_eq(gk_text_width("合计"), 4);
    ck_assert_uint_eq(gk_text_width("（一）"), 6);   /* fullwidth brackets */
    ck_assert_uint_eq(gk_text_width("，。："), 6);
    ck_assert_uint_eq(gk_text_width("4019.40万元"), 11);
    ck_assert_uint_eq(gk_text_width("e\xcc\x81"), 1); /* combining accent */
    ck_assert_uint_eq(gk_text_width(NULL), 0);
}
END_TEST

START_TEST(blocks_in_order)
{
    gk_doc *d = gk_doc_new();
    gk_block *b = gk_doc_add_paragraph(d, GK_STYLE_TITLE, src);
    b->title_page = true;
    add_text(d, &b->u.para.runs, "封面");
    b = gk_doc_add_block(d, GK_BLOCK_PAGE_BREAK, src);
    b = gk_doc_add_block(d, GK_BLOCK_TOC, src);
    b->u.toc.title = "目录";
    b->u.toc.max_level = 1;
    b = gk_doc_add_heading(d, 0, "", src);
    add_text(d, &b->u.heading.runs, "第一部分 说明");
    b->u.heading.plain = "第一部分 说明";
    b = gk_doc_add_heading(d, 1, "一、", src);
    add_text(d, &b->u.heading.runs, "总体");
    b->u.heading.plain = "一、总体";
    b = gk_doc_add_heading(d, 2, "（一）", src);
    add_text(d, &b->u.heading.runs, "细节");
    b->u.heading.plain = "（一）细节";
    b = gk_doc_add_paragraph(d, GK_STYLE_BODY, src);
    add_text(d, &b->u.para.runs, "第一句。");
    gk_runs_add(d, &b->u.para.runs, "加粗", strlen("加粗"), GK_RUN_BOLD, -1);
    add_text(d, &b->u.para.runs, "\n第二行。");
    char *t = render(d);
    ck_assert_str_eq(t, "封面\n\n目录\n第一部分 说明\n  一、总体\n\n第一部分 说明\n\n一、总体\n\n（一）细节\n\n"
                        "第一句。加粗\n第二行。\n");
    free(t);
    gk_doc_free(d);
}
END_TEST

static gk_cell *cell(gk_doc *d, gk_table *t, size_t r, int c, const char *s)
{
    gk_cell *x = &t->rows[r].cells[c];
    add_text(d, &x->runs, s);
    return x;
}

START_TEST(table_spans)
{
    gk_doc *d = gk_doc_new();
    gk_block *b = gk_doc_add_block(d, GK_BLOCK_TABLE, src);
    gk_table *t = &b->u.table;
    t->number = "公开01表";
    t->title = "收支表";
    t->caption_left = "部门：某部门";
    t->unit = "单位：万元";
    t->note = "注：本表。";
    gk_table_alloc(d, t, 4, 5);
    t->header_rows = 2;
    t->cols[2].numeric = true;
    t->cols[2].align = GK_ALIGN_RIGHT;
    t->cols[3].numeric = true;
    t->cols[3].align = GK_ALIGN_RIGHT;
    /* header: 项目 spans two columns, 金额 spans two rows... */
    t->rows[0].kind = t->rows[1].kind = GK_ROW_HEADER;
    cell(d, t, 0, 0, "项目")->colspan = 2;
    t->rows[0].cells[1].covered = true;
    cell(d, t, 0, 2, "本年支出合计")->rowspan = 2;
    t->rows[1].cells[2].covered = true;
    cell(d, t, 0, 3, "基本")->rowspan = 2;
    t->rows[1].cells[3].covered = true;
    cell(d, t, 1, 0, "编码");
    cell(d, t, 1, 1, "名称");
    t->rows[2].kind = GK_ROW_TOTAL;
    cell(d, t, 2, 0, "合计")->colspan = 2;
    t->rows[2].cells[1].covered = true;
    cell(d, t, 2, 2, "4019.40");
    cell(d, t, 2, 3, "2805.41");
    cell(d, t, 3, 0, "201");
    cell(d, t, 3, 1, "一般公共服务支出");
    cell(d, t, 3, 2, "3021.92");
    cell(d, t, 3, 3, "1820.23");
    cell(d, t, 4, 0, "20131");
    cell(d, t, 4, 1, "党委办公厅")->indent = 1;
    cell(d, t, 4, 2, "12.30");
    cell(d, t, 4, 3, "");
    gk_error err;
    ck_assert_int_eq(gk_doc_check(d, &err), GK_OK);
    char *s = render(d);
    const char *want =
        "公开01表\n"
        "收支表\n"
        "部门：某部门    单位：万元\n"
        "+-------+------------------+--------------+---------+\n"
        "|           项目           | 本年支出合计 |  基本   |\n"
        "| 编码  |       名称       |              |         |\n"
        "+-------+------------------+--------------+---------+\n"
        "| 合计                     |      4019.40 | 2805.41 |\n"
        "| 201   | 一般公共服务支出 |      3021.92 | 1820.23 |\n"
        "| 20131 |   党委办公厅     |        12.30 |         |\n"
        "+-------+------------------+--------------+---------+\n"
        "注：本表。\n";
    ck_assert_str_eq(s, want);
    /* every grid line has the same display width */
    size_t w0 = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] != '+' && line[0] != '|')
            continue;
        size_t w = gk_text_width(line);
        if (!w0)
            w0 = w;
        ck_assert_uint_eq(w, w0);
    }
    free(s);
    gk_doc_free(d);
}
END_TEST

START_TEST(table_wide_span_and_empty)
{
    gk_doc *d = gk_doc_new();
    gk_block *b = gk_doc_add_block(d, GK_BLOCK_TABLE, src);
    gk_table *t = &b->u.table;
    t->empty_note = "本表为空表。";
    gk_table_alloc(d, t, 2, 2);
    t->header_rows = 1;
    t->rows[0].kind = GK_ROW_HEADER;
    cell(d, t, 0, 0, "一个很长很长的跨列标题")->colspan = 2;
    t->rows[0].cells[1].covered = true;
    t->rows[1].kind = GK_ROW_TOTAL;
    cell(d, t, 1, 0, "合计");
    cell(d, t, 1, 1, "0.00");
    char *s = render(d);
    /* the span is wider than its columns: the last column grows */
    const char *want =
        "+------+-----------------+\n"
        "| 一个很长很长的跨列标题 |\n"
        "+------+-----------------+\n"
        "| 合计 | 0.00            |\n"
        "+------+-----------------+\n"
        "本表为空表。\n";
    ck_assert_str_eq(s, want);
    free(s);
    gk_doc_free(d);
}
END_TEST

START_TEST(table_rowspan_body_multiline)
{
    gk_doc *d = gk_doc_new();
    gk_block *b = gk_doc_add_block(d, GK_BLOCK_TABLE, src);
    gk_table *t = &b->u.table;
    gk_table_alloc(d, t, 3, 3);
    cell(d, t, 0, 0, "产出\n指标")->rowspan = 2;
    cell(d, t, 0, 1, "数量");
    cell(d, t, 0, 2, "12");
    t->rows[1].cells[0].covered = true;
    cell(d, t, 1, 1, "质量");
    cell(d, t, 1, 2, "合格");
    cell(d, t, 2, 0, "效益")->colspan = 2;
    t->rows[2].cells[1].covered = true;
    cell(d, t, 2, 2, "好");
    char *s = render(d);
    const char *want =
        "+------+------+------+\n"
        "| 产出 | 数量 | 12   |\n"
        "| 指标 |      |      |\n"
        "|      | 质量 | 合格 |\n"
        "| 效益        | 好   |\n"
        "+------+------+------+\n";
    ck_assert_str_eq(s, want);
    free(s);
    gk_doc_free(d);
}
END_TEST

START_TEST(charts_text)
{
    gk_doc *d = gk_doc_new();
    gk_block *b = gk_doc_add_block(d, GK_BLOCK_CHART, src);
    gk_chart *c = &b->u.chart;
    c->caption = "图1：支出结构";
    c->nseries = 1;
    c->npoints = 2;
    c->points = GK_ARENA_ARRAY(&d->arena, gk_chart_point, 2);
    c->points[0].label = "基本支出";
    c->points[0].value_text[0] = "2805.41";
    c->points[1].label = "项目支出合计";
    c->points[1].value_text[0] = "13.99";
    b = gk_doc_add_block(d, GK_BLOCK_CHART, src);
    c = &b->u.chart;
    c->caption = "图2：对比";
    c->nseries = 2;
    c->series[0] = "上年";
    c->series[1] = "本年";
    c->npoints = 1;
    c->points = GK_ARENA_ARRAY(&d->arena, gk_chart_point, 1);
    c->points[0].label = "总计";
    c->points[0].value_text[0] = "100.00";
    c->points[0].value_text[1] = "1200.00";
    char *s = render(d);
    ck_assert_str_eq(s, "图1：支出结构\n基本支出      2805.41\n项目支出合计    13.99\n\n"
                        "图2：对比\n        上年     本年\n总计  100.00  1200.00\n");
    free(s);
    gk_doc_free(d);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("render");
    tcase_add_test(tc, widths);
    tcase_add_test(tc, blocks_in_order);
    tcase_add_test(tc, table_spans);
    tcase_add_test(tc, table_wide_span_and_empty);
    tcase_add_test(tc, table_rowspan_body_multiline);
    tcase_add_test(tc, charts_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(text_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
