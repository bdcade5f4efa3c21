/* Unit tests of src/layout: font map, metrics, Chinese line breaking,
 * justification, pagination (keeps, widows, orphans, tables, page
 * numbers, landscape).  Documents are built with the doc.h builders. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "gongkai/doc.h"
#include "layout/fonts.h"
#include "layout/layout.h"
#include "layout/text.h"

static gk__fonts fs;
static gk_diags diags;
static gk_arena arena;

static void setup(void)
{
    gk_error e;
    memset(&diags, 0, sizeof diags);
    gk_arena_init(&arena);
    gk_status st = gk__fonts_init(&fs, (1u << GK_FONT_ROLE_COUNT) - 1, &diags, &e);
    if (st) {
        gk_buf b = GK_BUF_INIT;
        gk_error_format(&e, &b);
        ck_abort_msg("fonts: %s", b.ptr);
    }
}

static void teardown(void)
{
    gk__fonts_release(&fs);
    gk_diags_release(&diags);
    gk_arena_release(&arena);
}

/* ---------------- line breaking ---------------- */

#define SIZE 16.0

/* Lines of `text` (宋体 16 pt) `em` characters wide, visible characters
 * only, joined with '|'.  Caller frees. */
static char *break_text(const char *text, double em)
{
    gk__tctx c = { .fonts = &fs, .arena = &arena, .src = { "t.xml", 1 } };
    gk__tb tb = GK__TB_INIT;
    gk__tb_add(&c, &tb, text, strlen(text), GK_FONT_SONG, SIZE, 0, false);
    gk__lines lines = { 0 };
    gk__tb_lines(&tb, em * SIZE, em * SIZE, &lines);
    gk_buf b = GK_BUF_INIT;
    for (size_t i = 0; i < lines.n; i++) {
        if (i)
            gk_buf_putc(&b, '|');
        for (size_t k = lines.v[i].start; k < lines.v[i].vis_end; k++)
            gk_utf8_put(&b, tb.ch[k].cp);
    }
    free(lines.v);
    gk__tb_release(&tb);
    return gk_buf_detach(&b, NULL);
}

static const char *const no_start[] = {
    "，", "。", "、", "；", "：", "？", "！", "）", "》", "”", "」", "』", "】", "…",
};
static const char *const no_end[] = { "（", "《", "“", "「", "『", "【" };

START_TEST(no_line_starts_with_closing_marks)
{
    for (size_t p = 0; p < sizeof no_start / sizeof *no_start; p++)
        for (int pre = 6; pre <= 12; pre++) {
            gk_buf t = GK_BUF_INIT;
            for (int i = 0; i < pre; i++)
                gk_buf_puts(&t, "字");
            gk_buf_puts(&t, no_start[p]);
            gk_buf_puts(&t, "其后还有一些文字直到段落结束为止");
            for (double em = 6; em <= 12; em += 1) {
                char *r = break_text(t.ptr, em);
                char *s = r;
                while ((s = strchr(s, '|'))) {
                    s++;
                    ck_assert_msg(strncmp(s, no_start[p], strlen(no_start[p])) != 0,
                                  "line starts with %s: %s (%.0f em)", no_start[p], r, em);
                }
                free(r);
            }
            gk_buf_release(&t);
        }
}
END_TEST

START_TEST(no_line_ends_with_opening_marks)
{
    for (size_t p = 0; p < sizeof no_end / sizeof *no_end; p++)
        for (int pre = 6; pre <= 12; pre++) {
            gk_buf t = GK_BUF_INIT;
            for (int i = 0; i < pre; i++)
                gk_buf_puts(&t, "字");
            gk_buf_puts(&t, no_end[p]);
            gk_buf_puts(&t, "引用的内容其后还有文字");
            for (double em = 6; em <= 12; em += 1) {
                char *r = break_text(t.ptr, em);
                char *s = r, *bar;
                size_t n = strlen(no_end[p]);
                while ((bar = strchr(s, '|'))) {
                    ck_assert_msg(bar - s < (ptrdiff_t)n || strncmp(bar - n, no_end[p], n) != 0,
                                  "line ends with %s: %s (%.0f em)", no_end[p], r, em);
                    s = bar + 1;
                }
                free(r);
            }
            gk_buf_release(&t);
        }
}
END_TEST

START_TEST(numbers_units_and_latin_never_split)
{
    const char *text = "本年收入合计3,819.053886万元，比上年增长12.5%，其中经营收入"
                       "4019.40万元，共计1200人次，采用Times New Roman字体排版。";
    const char *whole[] = { "3,819.053886万元", "12.5%", "4019.40万元", "1200人次",
                            "Times", "New", "Roman" };
    for (double em = 8; em <= 24; em += 0.25) {
        char *r = break_text(text, em);
        for (size_t k = 0; k < sizeof whole / sizeof *whole; k++)
            ck_assert_msg(strstr(r, whole[k]), "%s split at %.2f em: %s", whole[k], em, r);
        free(r);
    }
}
END_TEST

START_TEST(line_end_mark_hangs_and_lone_char_avoided)
{
    /* A comma at a line end counts half an em (GB/T 15834), so nine
     * characters and a comma fit in 9.6 em. */
    char *r = break_text("一二三四五六七八九，十甲乙丙", 9.6);
    ck_assert_str_eq(r, "一二三四五六七八九，|十甲乙丙");
    free(r);
    /* No room for the mark: the character before it moves down too. */
    r = break_text("一二三四五六七八九十，甲乙丙丁", 10);
    ck_assert_str_eq(r, "一二三四五六七八九|十，甲乙丙丁");
    free(r);
    /* One character left over: it does not stand alone on the last line. */
    r = break_text("一二三四五六七八九十甲", 10);
    ck_assert_msg(strstr(r, "|") && strlen(strrchr(r, '|') + 1) >= 6, "%s", r);
    free(r);
}
END_TEST

START_TEST(marks_squeeze_to_take_in_more)
{
    /* Nine ems of text with four commas fits 7.2 ems when the commas
     * inside the line give up half their width. */
    char *r = break_text("一，二，三，四，五", 7.2);
    ck_assert_str_eq(r, "一，二，三，四，五");
    free(r);
    gk__tctx c = { .fonts = &fs, .arena = &arena };
    gk__tb tb = GK__TB_INIT;
    const char *t = "一，二，三，四，五";
    gk__tb_add(&c, &tb, t, strlen(t), GK_FONT_SONG, SIZE, 0, false);
    gk__lines lines = { 0 };
    gk__tb_lines(&tb, 7.2 * SIZE, 7.2 * SIZE, &lines);
    gk__items it = { 0 };
    gk__tb_emit(&c, &tb, &lines.v[0], 0, 7.2 * SIZE, GK_ALIGN_JUSTIFY, 20, &it);
    const gk__item *last = &it.v[it.n - 1];
    ck_assert(last->x + last->w <= 7.2 * SIZE + 0.05);
    free(it.v);
    free(lines.v);
    gk__tb_release(&tb);
}
END_TEST

START_TEST(justified_lines_fill_the_measure)
{
    gk__tctx c = { .fonts = &fs, .arena = &arena };
    gk__tb tb = GK__TB_INIT;
    const char *t = "2023年度本年收入合计4019.40万元，比上年增加（减少）0万元，增长（下降）0%，"
                    "其中：财政拨款收入4019.40万元，占收入合计的100%；上级补助收入0万元。";
    gk__tb_add(&c, &tb, t, strlen(t), GK_FONT_FANGSONG, SIZE, 0, false);
    gk__lines lines = { 0 };
    double W = 28 * SIZE;
    gk__tb_lines(&tb, W - 2 * SIZE, W, &lines);
    ck_assert_uint_ge(lines.n, 2);
    for (size_t i = 0; i < lines.n; i++) {
        gk__items it = { 0 };
        double x0 = i == 0 ? 2 * SIZE : 0, avail = i == 0 ? W - 2 * SIZE : W;
        gk__tb_emit(&c, &tb, &lines.v[i], x0, avail, GK_ALIGN_JUSTIFY, 20, &it);
        ck_assert_uint_ge(it.n, 1);
        ck_assert(fabs(it.v[0].x - x0) < 0.01);
        const gk__item *last = &it.v[it.n - 1];
        double right = last->x + last->w;
        if (!lines.v[i].last) {
            /* Right edge at the measure (a hanging mark may pass it by
             * half an em). */
            ck_assert_msg(right > x0 + avail - 0.05 && right < x0 + avail + SIZE / 2 + 0.05,
                          "line %zu ends at %.2f, measure %.2f", i, right, x0 + avail);
        } else {
            ck_assert(right < x0 + avail + 0.05);
        }
        free(it.v);
    }
    free(lines.v);
    gk__tb_release(&tb);
}
END_TEST

START_TEST(metrics_come_from_the_font)
{
    int w;
    int fi = gk__fonts_pick(&fs, GK_FONT_SONG, 0x4E2D /* 中 */, &w);
    ck_assert_int_ge(fi, 0);
    ck_assert_int_ge(w, 900);
    ck_assert_int_le(w, 1100);
    /* ASCII goes to the Latin font (Times-like), narrower than an em. */
    int w2;
    int f2 = gk__fonts_pick(&fs, GK_FONT_SONG, '1', &w2);
    ck_assert_int_ge(f2, 0);
    ck_assert_int_lt(w2, 700);
    /* A character no font has. */
    ck_assert_int_eq(gk__fonts_pick(&fs, GK_FONT_SONG, 0x0F40, &w), -1);
    /* Measuring through the public callback agrees with the widths. */
    double m = gk__measure(&fs, GK_FONT_SONG, 10, "中中");
    int wz;
    gk__fonts_pick(&fs, GK_FONT_SONG, 0x4E2D, &wz);
    ck_assert(fabs(m - 2 * wz * 10 / 1000.0) < 1e-9);
}
END_TEST

START_TEST(missing_role_is_a_font_error)
{
    char path[] = "/tmp/gk-fontmap-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *map = "# test\n宋体 /nonexistent/simsun.ttc:0\n宋体 no-such-font.ttf\n";
    ck_assert_int_eq((int)write(fd, map, strlen(map)), (int)strlen(map));
    close(fd);
    gk__fonts f2;
    gk_error e;
    gk_status st = gk__fonts_init_map(&f2, path, 1u << GK_FONT_SONG, NULL, &e);
    ck_assert_int_eq(st, GK_ERR_FONT);
    ck_assert_msg(strstr(e.msg, "宋体") || strstr(e.msg, "SONG"), "%s", e.msg);
    ck_assert_msg(strstr(e.msg, "/nonexistent/simsun.ttc:0"), "%s", e.msg);
    ck_assert_msg(strstr(e.msg, "no-such-font.ttf"), "%s", e.msg);
    ck_assert_str_eq(e.file, path);
    ck_assert_int_eq(e.line, 2);
    gk__fonts_release(&f2);
    /* A bad line is reported with its position. */
    fd = open(path, O_WRONLY | O_TRUNC);
    const char *bad = "\n\n方体 x.ttf\n";
    ck_assert_int_eq((int)write(fd, bad, strlen(bad)), (int)strlen(bad));
    close(fd);
    st = gk__fonts_init_map(&f2, path, 1u << GK_FONT_SONG, NULL, &e);
    ck_assert_int_eq(st, GK_ERR_FONT);
    ck_assert_int_eq(e.line, 3);
    gk__fonts_release(&f2);
    unlink(path);
}
END_TEST

/* ---------------- pagination ---------------- */

static gk_src S = { "t.xml", 7 };

static void add_para(gk_doc *d, gk_style_id st, const char *t)
{
    gk_block *b = gk_doc_add_paragraph(d, st, S);
    gk_runs_add(d, &b->u.para.runs, t, strlen(t), 0, -1);
}

static void add_heading(gk_doc *d, int level, const char *num, const char *t)
{
    gk_block *b = gk_doc_add_heading(d, level, num, S);
    gk_runs_add(d, &b->u.heading.runs, t, strlen(t), 0, -1);
    b->u.heading.plain = gk_arena_printf(&d->arena, "%s%s", num, t);
}

/* A paragraph of n full lines of 字 (28 characters a line at 三号). */
static void add_filler(gk_doc *d, int lines)
{
    gk_buf t = GK_BUF_INIT;
    for (int i = 0; i < lines * 28 - 4; i++)
        gk_buf_puts(&t, "填");
    add_para(d, GK_STYLE_BODY, t.ptr);
    gk_buf_release(&t);
}

/* Distinct baselines on page p of text items containing `mark`. */
static int lines_with(const gk__page *p, const char *mark)
{
    double ys[512];
    int n = 0;
    for (size_t i = 0; i < p->n; i++) {
        const gk__item *it = &p->items[i];
        if (it->kind != GK__IT_TEXT || !strstr(it->u.t.s, mark))
            continue;
        bool seen = false;
        for (int k = 0; k < n; k++)
            if (fabs(ys[k] - it->y) < 0.01)
                seen = true;
        if (!seen && n < 512)
            ys[n++] = it->y;
    }
    return n;
}

static void layout(gk_doc *d, gk__layout *L)
{
    gk_error e;
    gk_status st = gk__layout_doc(d, &fs, L, &e);
    ck_assert_int_eq(st, GK_OK);
}

START_TEST(no_widows_or_orphans)
{
    for (int fill = 1; fill <= 24; fill++) {
        gk_doc *d = gk_doc_new();
        add_filler(d, fill);
        gk_buf t = GK_BUF_INIT;
        for (int i = 0; i < 5 * 28 - 10; i++)
            gk_buf_puts(&t, "测");
        add_para(d, GK_STYLE_BODY, t.ptr);
        gk_buf_release(&t);
        gk__layout L;
        layout(d, &L);
        int total = 0;
        for (size_t k = 0; k < L.npages; k++) {
            int n = lines_with(&L.pages[k], "测");
            ck_assert_msg(n == 0 || n >= 2, "fill %d: page %zu has %d line(s)", fill, k, n);
            total += n;
        }
        ck_assert_int_eq(total, 5);
        gk__layout_release(&L);
        gk_doc_free(d);
    }
}
END_TEST

START_TEST(headings_keep_with_next)
{
    for (int fill = 15; fill <= 23; fill++) {
        gk_doc *d = gk_doc_new();
        add_filler(d, fill);
        add_heading(d, 1, "一、", "标题");
        add_para(d, GK_STYLE_BODY, "随后的段落随后的段落随后的段落随后的段落随后的段落随后的段落随后的段落随后的段落");
        gk__layout L;
        layout(d, &L);
        int hp = -1, pp = -1;
        for (size_t k = 0; k < L.npages; k++) {
            if (lines_with(&L.pages[k], "标题"))
                hp = (int)k;
            if (lines_with(&L.pages[k], "随后") && pp < 0)
                pp = (int)k;
        }
        ck_assert_int_ge(hp, 0);
        ck_assert_int_eq(hp, pp);
        gk__layout_release(&L);
        gk_doc_free(d);
    }
}
END_TEST

static gk_block *add_table(gk_doc *d, int nrows, gk_orient orient, int ncols)
{
    gk_block *b = gk_doc_add_block(d, GK_BLOCK_TABLE, S);
    gk_table *t = &b->u.table;
    t->number = "公开01表";
    t->title = "测试表";
    t->unit = "单位：万元";
    t->orient = orient;
    t->anchor = "t1";
    gk_table_alloc(d, t, ncols, (size_t)nrows + 1);
    t->header_rows = 1;
    t->rows[0].kind = GK_ROW_HEADER;
    for (int c = 0; c < ncols; c++) {
        char h[32];
        snprintf(h, sizeof h, c ? "金额%d" : "表头项目", c);
        gk_runs_add(d, &t->rows[0].cells[c].runs, h, strlen(h), 0, -1);
        if (c) {
            t->cols[c].numeric = true;
            t->cols[c].align = GK_ALIGN_RIGHT;
        }
    }
    for (int r = 1; r <= nrows; r++) {
        char s[32];
        snprintf(s, sizeof s, "R%03d", r);
        gk_runs_add(d, &t->rows[r].cells[0].runs, s, strlen(s), 0, -1);
        for (int c = 1; c < ncols; c++) {
            snprintf(s, sizeof s, "%d.%02d", r * 1000 + c, r % 100);
            gk_runs_add(d, &t->rows[r].cells[c].runs, s, strlen(s), 0, -1);
        }
    }
    return b;
}

START_TEST(table_header_repeats_and_rows_stay_whole)
{
    gk_doc *d = gk_doc_new();
    add_para(d, GK_STYLE_BODY, "表前的段落。");
    add_table(d, 200, GK_ORIENT_PORTRAIT, 4);
    gk__layout L;
    layout(d, &L);
    ck_assert_uint_ge(L.npages, 4);
    int seen[201] = { 0 };
    for (size_t k = 0; k < L.npages; k++) {
        const gk__page *p = &L.pages[k];
        double head_y = -1, first_row_y = 1e9;
        for (size_t i = 0; i < p->n; i++) {
            const gk__item *it = &p->items[i];
            if (it->kind != GK__IT_TEXT)
                continue;
            if (strstr(it->u.t.s, "表头项目"))
                head_y = it->y;
            int r;
            if (sscanf(it->u.t.s, "R%d", &r) == 1 && r >= 1 && r <= 200) {
                seen[r]++;
                if (it->y < first_row_y)
                    first_row_y = it->y;
                /* The row's last figure is on the same page. */
                char fig[32];
                snprintf(fig, sizeof fig, "%d.%02d", r * 1000 + 3, r % 100);
                bool found = false;
                for (size_t q = 0; q < p->n; q++)
                    if (p->items[q].kind == GK__IT_TEXT && strcmp(p->items[q].u.t.s, fig) == 0 &&
                        fabs(p->items[q].y - it->y) < 0.01)
                        found = true;
                ck_assert_msg(found, "row %d split on page %zu", r, k);
            }
        }
        if (first_row_y < 1e9)
            ck_assert_msg(head_y >= 0 && head_y < first_row_y, "page %zu lacks the header", k);
    }
    for (int r = 1; r <= 200; r++)
        ck_assert_int_eq(seen[r], 1);
    gk__layout_release(&L);
    gk_doc_free(d);
}
END_TEST

START_TEST(title_page_and_page_numbers)
{
    gk_doc *d = gk_doc_new();
    gk_block *b = gk_doc_add_paragraph(d, GK_STYLE_TITLE, S);
    gk_runs_add(d, &b->u.para.runs, "封面标题", strlen("封面标题"), 0, -1);
    b->title_page = true;
    add_filler(d, 30);
    add_filler(d, 30);
    gk__layout L;
    layout(d, &L);
    ck_assert_int_eq(L.title_pages, 1);
    ck_assert_int_eq(L.pages[0].number, 0);
    ck_assert_int_ge((int)L.npages, 4);
    for (size_t k = 1; k < L.npages; k++) {
        const gk__page *p = &L.pages[k];
        ck_assert_int_eq(p->number, (int)k);
        char want[32];
        snprintf(want, sizeof want, "%d", p->number);
        bool found = false;
        for (size_t i = 0; i < p->n; i++) {
            const gk__item *it = &p->items[i];
            if (it->kind == GK__IT_TEXT && strstr(it->u.t.s, want) && it->y > p->height * 0.9) {
                found = true;
                /* Odd pages right, even pages left. */
                if (p->number % 2)
                    ck_assert(it->x > p->width / 2);
                else
                    ck_assert(it->x < p->width / 2);
            }
        }
        ck_assert_msg(found, "no page number on page %zu", k);
    }
    /* No number on the title page. */
    for (size_t i = 0; i < L.pages[0].n; i++)
        ck_assert(L.pages[0].items[i].y < L.pages[0].height * 0.9);
    gk__layout_release(&L);
    gk_doc_free(d);
}
END_TEST

START_TEST(wide_tables_turn_landscape)
{
    gk_doc *d = gk_doc_new();
    add_para(d, GK_STYLE_BODY, "前文。");
    add_table(d, 10, GK_ORIENT_LANDSCAPE, 4);
    add_para(d, GK_STYLE_BODY, "后文。");
    add_table(d, 10, GK_ORIENT_PORTRAIT, 16); /* too wide for portrait */
    gk__layout L;
    layout(d, &L);
    ck_assert_uint_eq(L.npages, 4);
    ck_assert(!L.pages[0].landscape);
    ck_assert(L.pages[1].landscape && L.pages[1].width > L.pages[1].height);
    ck_assert(!L.pages[2].landscape);
    ck_assert(L.pages[3].landscape);
    gk__layout_release(&L);
    gk_doc_free(d);
}
END_TEST

START_TEST(toc_has_real_page_numbers)
{
    gk_doc *d = gk_doc_new();
    gk_block *t = gk_doc_add_block(d, GK_BLOCK_TOC, S);
    t->u.toc.title = "目录";
    t->u.toc.max_level = 1;
    add_heading(d, 0, "", "第一部分");
    add_heading(d, 1, "一、", "第一节");
    add_filler(d, 40);
    add_heading(d, 1, "二、", "第二节");
    gk__layout L;
    layout(d, &L);
    /* Pages: 1 TOC, 2-3 part one, 第二节 on page 3. */
    const gk__page *p = &L.pages[0];
    ck_assert_int_eq(lines_with(p, "第二节"), 1);
    double y = -1;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].kind == GK__IT_TEXT && strstr(p->items[i].u.t.s, "第二节"))
            y = p->items[i].y;
    int number = -1;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].kind == GK__IT_TEXT && fabs(p->items[i].y - y) < 0.01 &&
            sscanf(p->items[i].u.t.s, "%d", &number) == 1)
            break;
    int page = L.dests[2].page;
    ck_assert_int_ge(page, 0);
    ck_assert_int_eq(number, L.pages[page].number);
    ck_assert_int_ge(number, 3);
    ck_assert_uint_eq(L.noutline, 3);
    ck_assert_int_eq(L.outline[0].level, 0);
    ck_assert_int_eq(L.outline[1].level, 1);
    gk__layout_release(&L);
    /* With tables="yes" a numbered table is listed too, with its page. */
    t->u.toc.tables = true;
    add_table(d, 5, GK_ORIENT_PORTRAIT, 3);
    layout(d, &L);
    p = &L.pages[0];
    ck_assert_int_eq(lines_with(p, "公开"), 1); /* 公开 + 01 (Latin font) + 表 */
    ck_assert_int_eq(lines_with(p, "测试表"), 1);
    gk__layout_release(&L);
    gk_doc_free(d);
}
END_TEST

START_TEST(toc_spilling_a_little_is_set_tighter)
{
    for (int n = 24; n <= 40; n += 16) {
        gk_doc *d = gk_doc_new();
        gk_block *t = gk_doc_add_block(d, GK_BLOCK_TOC, S);
        t->u.toc.title = "目录";
        t->u.toc.max_level = 1;
        for (int i = 0; i < n; i++) {
            char num[16];
            snprintf(num, sizeof num, "%d、", i + 1);
            add_heading(d, 1, num, "节的标题");
        }
        gk__layout L;
        layout(d, &L);
        int toc_pages = 0;
        for (size_t k = 0; k < L.npages; k++)
            for (size_t i = 0; i < L.pages[k].n; i++)
                if (L.pages[k].items[i].kind == GK__IT_LINK) {
                    toc_pages = (int)k + 1;
                    break;
                }
        ck_assert_int_eq(toc_pages, n == 24 ? 1 : 2);
        gk__layout_release(&L);
        gk_doc_free(d);
    }
}
END_TEST

START_TEST(charts_shrink_to_stay_with_the_page)
{
    double full = -1;
    bool shrunk = false;
    for (int fill = 0; fill <= 21; fill++) {
        gk_doc *d = gk_doc_new();
        if (fill)
            add_filler(d, fill);
        gk_block *b = gk_doc_add_block(d, GK_BLOCK_CHART, S);
        gk_chart *ch = &b->u.chart;
        ch->kind = GK_CHART_PIE;
        ch->title = "结构";
        ch->caption = "图1：结构";
        ch->nseries = 1;
        ch->npoints = 2;
        ch->points = GK_ARENA_ARRAY(&d->arena, gk_chart_point, 2);
        ch->points[0] = (gk_chart_point){ .label = "甲", .values = { 300 }, .value_text = { "3.00" } };
        ch->points[1] = (gk_chart_point){ .label = "乙", .values = { 100 }, .value_text = { "1.00" } };
        gk__layout L;
        layout(d, &L);
        int chart_page = -1, cap_page = -1;
        double h = 0;
        for (size_t k = 0; k < L.npages; k++)
            for (size_t i = 0; i < L.pages[k].n; i++) {
                const gk__item *it = &L.pages[k].items[i];
                if (it->kind == GK__IT_CHART) {
                    chart_page = (int)k;
                    h = it->h;
                }
                if (it->kind == GK__IT_TEXT && strstr(it->u.t.s, "：结构"))
                    cap_page = (int)k;
            }
        ck_assert_int_eq(chart_page, cap_page);
        if (fill == 0)
            full = h;
        ck_assert(h >= 0.7 * full - 0.01 && h <= full + 0.01);
        if (h < full - 0.01) {
            shrunk = true;
            ck_assert_int_eq(chart_page, 0); /* shrunk to stay on page 1 */
        }
        gk__layout_release(&L);
        gk_doc_free(d);
    }
    ck_assert(shrunk);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, no_line_starts_with_closing_marks);
    tcase_add_test(tc, no_line_ends_with_opening_marks);
    tcase_add_test(tc, numbers_units_and_latin_never_split);
    tcase_add_test(tc, line_end_mark_hangs_and_lone_char_avoided);
    tcase_add_test(tc, marks_squeeze_to_take_in_more);
    tcase_add_test(tc, justified_lines_fill_the_measure);
    tcase_add_test(tc, metrics_come_from_the_font);
    tcase_add_test(tc, missing_role_is_a_font_error);
    tcase_add_test(tc, no_widows_or_orphans);
    tcase_add_test(tc, headings_keep_with_next);
    tcase_add_test(tc, table_header_repeats_and_rows_stay_whole);
    tcase_add_test(tc, title_page_and_page_numbers);
    tcase_add_test(tc, wide_tables_turn_landscape);
    tcase_add_test(tc, toc_has_real_page_numbers);
    tcase_add_test(tc, toc_spilling_a_little_is_set_tighter);
    tcase_add_test(tc, charts_shrink_to_stay_with_the_page);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
