/* Tests of the PDF back end through gk_render_pdf and real PDF tools:
 * qpdf --check, pdffonts (every font embedded and subset), pdftotext
 * (the exact sentences; a 200-row table with its header on every page
 * and no row split), outline entries, deterministic bytes, warnings for
 * stand-in fonts and characters no font has.  Documents are built with
 * the doc.h builders, not the template engine. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongkai/doc.h"
#include "gongkai/render.h"

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/gk-check-pdf-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, getenv("GK_RND_KEEP") ? "true %s" : "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Output of a shell command; *status gets its exit status. Caller frees. */
static char *run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    gk_buf b = GK_BUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        gk_buf_put(&b, buf, n);
    int st = pclose(p);
    if (status)
        *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return gk_buf_detach(&b, NULL);
}

/* Text with every whitespace character removed (a CJK line break is no
 * space). Caller frees. */
static char *squeeze(const char *s)
{
    gk_buf b = GK_BUF_INIT;
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r' && *s != '\f')
            gk_buf_putc(&b, *s);
    return gk_buf_detach(&b, NULL);
}

static gk_src S = { "report.xml", 12 };

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

static const char *const sentences[] = {
    "中共北京市西城区委办公室（简称区委办公室）是区委的综合部门，为正处级，加挂区委机要局（区密码管理局）、区档案局牌子。",
    "2023年度收、支总计4019.40万元，比上年增加3,819.053886万元，增长12.5%。主要原因：2023年度财务为新分户单位。",
    "“三公”经费包括本部门所属1个行政单位、0个参照公务员法管理事业单位、1个事业单位。",
    "2023年度政府采购支出总额36.53万元，其中：政府采购货物支出36.53万元，授予中小企业合同金额36.53万元，占政府采购支出总额的100%。",
};

static gk_doc *sample_doc(int nrows)
{
    gk_doc *d = gk_doc_new();
    d->info.title = "2023年度北京市西城区委办公室部门决算";
    d->info.author = "中共北京市西城区委办公室";
    d->info.subject = "部门决算";
    gk_block *b = gk_doc_add_paragraph(d, GK_STYLE_TITLE, S);
    gk_runs_add(d, &b->u.para.runs, "2023年度北京市西城区委办公室", strlen("2023年度北京市西城区委办公室"), 0, -1);
    b->title_page = true;
    b = gk_doc_add_paragraph(d, GK_STYLE_SUBTITLE, S);
    gk_runs_add(d, &b->u.para.runs, "部门决算", strlen("部门决算"), 0, -1);
    b->title_page = true;
    b = gk_doc_add_block(d, GK_BLOCK_TOC, S);
    b->u.toc.title = "目录";
    b->u.toc.max_level = 1;
    add_heading(d, 0, "", "第一部分 2023年度部门决算说明");
    add_heading(d, 1, "一、", "部门基本情况");
    add_para(d, GK_STYLE_BODY, sentences[0]);
    add_para(d, GK_STYLE_BODY, sentences[1]);
    add_heading(d, 1, "二、", "其他重要事项");
    add_para(d, GK_STYLE_BODY, sentences[2]);
    add_para(d, GK_STYLE_BODY, sentences[3]);
    add_heading(d, 0, "", "第二部分 2023年度部门决算表");

    b = gk_doc_add_block(d, GK_BLOCK_TABLE, S);
    gk_table *t = &b->u.table;
    t->number = "公开02表";
    t->title = "收入决算表";
    t->caption_left = "部门：区委办公室";
    t->unit = "单位：万元";
    t->note = "注：本表反映部门本年度取得的各项收入情况。";
    t->anchor = "t1";
    gk_table_alloc(d, t, 5, (size_t)nrows + 2);
    t->header_rows = 2;
    t->rows[0].kind = t->rows[1].kind = GK_ROW_HEADER;
    t->cols[0].width = 1.2;
    t->cols[1].width = 3;
    for (int c = 2; c < 5; c++) {
        t->cols[c].numeric = true;
        t->cols[c].align = GK_ALIGN_RIGHT;
    }
    const char *h0[] = { "项目", "", "本年收入合计", "财政拨款收入", "其他收入" };
    t->rows[0].cells[0].colspan = 2;
    t->rows[0].cells[1].covered = true;
    for (int c = 2; c < 5; c++) {
        t->rows[0].cells[c].rowspan = 2;
        t->rows[1].cells[c].covered = true;
    }
    for (int c = 0; c < 5; c++)
        if (*h0[c])
            gk_runs_add(d, &t->rows[0].cells[c].runs, h0[c], strlen(h0[c]), 0, -1);
    gk_runs_add(d, &t->rows[1].cells[0].runs, "科目编码", strlen("科目编码"), 0, -1);
    gk_runs_add(d, &t->rows[1].cells[1].runs, "科目名称", strlen("科目名称"), 0, -1);
    for (int r = 0; r < nrows; r++) {
        gk_row *row = &t->rows[r + 2];
        char s[64];
        snprintf(s, sizeof s, "R%03d", r + 1);
        gk_runs_add(d, &row->cells[0].runs, s, strlen(s), 0, -1);
        snprintf(s, sizeof s, "行政运行%d", r + 1);
        gk_runs_add(d, &row->cells[1].runs, s, strlen(s), 0, -1);
        for (int c = 2; c < 5; c++) {
            snprintf(s, sizeof s, "%d,%03d.%02d", r + 1, c * 111, (r * 7 + c) % 100);
            gk_runs_add(d, &row->cells[c].runs, s, strlen(s), 0, -1);
        }
    }
    b = gk_doc_add_block(d, GK_BLOCK_CHART, S);
    gk_chart *ch = &b->u.chart;
    ch->kind = GK_CHART_PIE;
    ch->number = 1;
    ch->title = "收入决算结构";
    ch->caption = "图1：收入决算结构";
    ch->unit = GK_UNIT_WAN;
    ch->decimals = 2;
    ch->nseries = 1;
    ch->series[0] = "本年";
    ch->npoints = 2;
    ch->points = GK_ARENA_ARRAY(&d->arena, gk_chart_point, 2);
    ch->points[0] = (gk_chart_point){ .label = "财政拨款收入", .values = { 40194000 },
                                       .value_text = { "4019.40" } };
    ch->points[1] = (gk_chart_point){ .label = "其他收入", .values = { 1200000 },
                                       .value_text = { "120.00" } };
    add_para(d, GK_STYLE_BODY, "以上为本部门决算全部内容。");
    return d;
}

static char *render_to(gk_doc *d, const char *name, gk_diags *w, gk_buf *keep)
{
    gk_render_opts o = { .source_date_epoch = 1700000000, .warnings = w };
    gk_buf out = GK_BUF_INIT;
    gk_error e;
    gk_status st = gk_render_pdf(d, &o, &out, &e);
    if (st) {
        gk_buf m = GK_BUF_INIT;
        gk_error_format(&e, &m);
        ck_abort_msg("render: %s", m.ptr);
    }
    char *path = gk_arena_printf(&d->arena, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(out.ptr, 1, out.len, f), out.len);
    fclose(f);
    if (keep)
        *keep = out;
    else
        gk_buf_release(&out);
    return path;
}

START_TEST(pdf_is_valid_embedded_and_deterministic)
{
    gk_doc *d = sample_doc(30);
    gk_diags w = GK_DIAGS_INIT;
    gk_buf a, b;
    char *path = render_to(d, "a.pdf", &w, &a);
    render_to(d, "b.pdf", &w, &b);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert(memcmp(a.ptr, b.ptr, a.len) == 0);
    ck_assert_uint_lt(a.len, 1000000);
    ck_assert(memcmp(a.ptr, "%PDF-", 5) == 0);
    gk_buf_release(&a);
    gk_buf_release(&b);

    char cmd[512];
    int st;
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", path);
    char *out = run(cmd, &st);
    ck_assert_msg(st == 0, "qpdf --check: %s", out);
    free(out);

    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1", path);
    out = run(cmd, &st);
    ck_assert_int_eq(st, 0);
    int fonts = 0;
    char *line = strtok(out, "\n");
    for (int n = 0; line; line = strtok(NULL, "\n"), n++) {
        if (n < 2)
            continue; /* heading and rule */
        fonts++;
        ck_assert_msg(strstr(line, "CID TrueType") && strstr(line, " yes yes yes "),
                      "font not embedded+subset+unicode: %s", line);
        ck_assert_msg(strchr(line, '+') && strchr(line, '+') - line == 6, "no subset tag: %s", line);
    }
    ck_assert_int_ge(fonts, 2);
    free(out);

    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>&1", path);
    out = run(cmd, &st);
    ck_assert_int_eq(st, 0);
    ck_assert_msg(strstr(out, "2023年度北京市西城区委办公室部门决算"), "%s", out);
    ck_assert_msg(strstr(out, "Nov 14 22:13:20 2023"), "%s", out);
    free(out);

    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>&1", path);
    out = run(cmd, &st);
    ck_assert_int_eq(st, 0);
    char *flat = squeeze(out);
    for (size_t i = 0; i < sizeof sentences / sizeof *sentences; i++) {
        char *want = squeeze(sentences[i]);
        ck_assert_msg(strstr(flat, want), "sentence missing from the PDF text: %s", sentences[i]);
        free(want);
    }
    ck_assert(strstr(flat, "—1—"));
    ck_assert(strstr(flat, "图1：收入决算结构"));
    ck_assert(strstr(flat, "财政拨款收入")); /* chart label as real text */
    free(flat);
    free(out);
    gk_diags_release(&w);
    gk_doc_free(d);
}
END_TEST

static int pages_of(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' | sed -n 's/^Pages: *//p'", path);
    char *out = run(cmd, NULL);
    int n = atoi(out);
    free(out);
    return n;
}

START_TEST(long_table_repeats_header_and_splits_no_row)
{
    gk_doc *d = sample_doc(200);
    gk_diags w = GK_DIAGS_INIT;
    char *path = render_to(d, "t.pdf", &w, NULL);
    gk_diags_release(&w);
    int np = pages_of(path);
    ck_assert_int_ge(np, 7);
    int seen[201] = { 0 };
    int table_pages = 0;
    for (int pg = 1; pg <= np; pg++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 -f %d -l %d '%s' -", pg, pg, path);
        char *out = run(cmd, NULL);
        bool has_rows = false;
        char *save = NULL;
        for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *p = strstr(line, "R");
            int r;
            if (!p || sscanf(p, "R%3d", &r) != 1 || r < 1 || r > 200 || strncmp(p + 4, " ", 1))
                continue;
            has_rows = true;
            seen[r]++;
            /* The whole row on one line: code, name and the last figure. */
            char name[32], fig[32];
            snprintf(name, sizeof name, "行政运行%d", r);
            snprintf(fig, sizeof fig, "%d,%03d.%02d", r, 4 * 111, ((r - 1) * 7 + 4) % 100);
            ck_assert_msg(strstr(line, name) && strstr(line, fig),
                          "row %d not whole on page %d: %s", r, pg, line);
        }
        if (has_rows) {
            table_pages++;
            /* pdftotext -layout is reread without layout to test the header. */
            snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f %d -l %d '%s' -", pg, pg, path);
            char *plain = run(cmd, NULL);
            char *flat = squeeze(plain);
            ck_assert_msg(strstr(flat, "科目编码") && strstr(flat, "本年收入合计"),
                          "page %d has rows but no header", pg);
            free(flat);
            free(plain);
        }
        free(out);
    }
    ck_assert_int_ge(table_pages, 5);
    for (int r = 1; r <= 200; r++)
        ck_assert_msg(seen[r] == 1, "row %d seen %d times", r, seen[r]);
    gk_doc_free(d);
}
END_TEST

/* Decode "<feff...>" (UTF-16BE hex) to UTF-8. */
static void hex16_to_utf8(const char *h, gk_buf *out)
{
    unsigned units[512];
    size_t n = 0;
    while (h[0] && h[0] != '>' && h[1] && n < 512) {
        unsigned v;
        if (sscanf(h, "%4x", &v) != 1)
            break;
        units[n++] = v;
        h += 4;
    }
    for (size_t i = 1; i < n; i++) /* skip the BOM */
        gk_utf8_put(out, units[i]);
}

START_TEST(outline_links_and_labels)
{
    gk_doc *d = sample_doc(10);
    gk_diags w = GK_DIAGS_INIT;
    char *path = render_to(d, "o.pdf", &w, NULL);
    gk_diags_release(&w);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' - 2>&1", path);
    int st;
    char *out = run(cmd, &st);
    ck_assert_int_eq(st, 0);
    ck_assert(strstr(out, "/Outlines"));
    ck_assert(strstr(out, "/PageLabels"));
    gk_buf titles = GK_BUF_INIT;
    for (char *p = out; (p = strstr(p, "/Title <feff")); p += 8) {
        hex16_to_utf8(p + 8, &titles);
        gk_buf_putc(&titles, '\n');
    }
    const char *want[] = { "第一部分 2023年度部门决算说明", "一、部门基本情况", "二、其他重要事项",
                           "第二部分 2023年度部门决算表", "公开02表 收入决算表" };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        ck_assert_msg(strstr(titles.ptr, want[i]), "outline lacks %s:\n%s", want[i], titles.ptr);
    /* TOC entries are internal links. */
    int links = 0;
    for (char *p = out; (p = strstr(p, "/Subtype /Link")); p++)
        links++;
    ck_assert_int_ge(links, 4);
    gk_buf_release(&titles);
    free(out);

    /* The TOC shows the page the heading is on. */
    snprintf(cmd, sizeof cmd, "pdftotext -layout -enc UTF-8 -f 2 -l 2 '%s' -", path);
    out = run(cmd, NULL);
    char *l = strstr(out, "第二部分");
    ck_assert_ptr_nonnull(l);
    char *eol = strchr(l, '\n');
    if (eol)
        *eol = '\0';
    int num = atoi(strrchr(l, ' ') + 1);
    free(out);
    ck_assert_int_ge(num, 2);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f %d -l %d '%s' -", num + 1, num + 1, path);
    out = run(cmd, NULL);
    ck_assert_msg(strstr(out, "第二部分"), "TOC says page %d: %s", num, out);
    free(out);
    gk_doc_free(d);
}
END_TEST

static char *write_map(const char *body)
{
    char *p = malloc(128);
    snprintf(p, 128, "%s/fontmap.conf", dir);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(body, f);
    fclose(f);
    return p;
}

START_TEST(stand_in_font_warns_once)
{
    char *map = write_map(
        "宋体 /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf\n"
        "黑体 /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0\n"
        "楷体 /usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf\n"
        "仿宋 /nonexistent/simfang.ttf\n"
        "仿宋 /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf as=宋体\n"
        "小标宋 /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0 as=黑体\n");
    setenv("GONGKAI_FONTMAP", map, 1);
    gk_doc *d = sample_doc(3);
    gk_diags w = GK_DIAGS_INIT;
    render_to(d, "w.pdf", &w, NULL);
    unsetenv("GONGKAI_FONTMAP");
    int fangsong = 0, xbs = 0;
    for (size_t i = 0; i < w.len; i++) {
        ck_assert_int_eq(w.items[i].severity, GK_SEV_WARNING);
        if (strstr(w.items[i].err.msg, "仿宋"))
            fangsong++;
        if (strstr(w.items[i].err.msg, "小标宋"))
            xbs++;
    }
    ck_assert_int_eq(fangsong, 1);
    ck_assert_int_eq(xbs, 1);
    /* The warning points at the font map line of the stand-in. */
    for (size_t i = 0; i < w.len; i++)
        if (strstr(w.items[i].err.msg, "仿宋")) {
            ck_assert_str_eq(w.items[i].err.file, map);
            ck_assert_int_eq(w.items[i].err.line, 5);
        }
    gk_diags_release(&w);
    gk_doc_free(d);
    free(map);
}
END_TEST

START_TEST(missing_font_is_an_error)
{
    char *map = write_map("宋体 /nonexistent/a.ttf\n宋体 nosuchfont.ttc:1\n仿宋 /nonexistent/b.ttf\n");
    setenv("GONGKAI_FONTMAP", map, 1);
    gk_doc *d = gk_doc_new();
    add_para(d, GK_STYLE_BODY, "正文。");
    gk_buf out = GK_BUF_INIT;
    gk_error e;
    gk_render_opts o = { 0 };
    gk_status st = gk_render_pdf(d, &o, &out, &e);
    unsetenv("GONGKAI_FONTMAP");
    ck_assert_int_eq(st, GK_ERR_FONT);
    ck_assert_msg(strstr(e.msg, "仿宋") || strstr(e.msg, "宋体"), "%s", e.msg);
    ck_assert_uint_eq(out.len, 0);
    gk_buf_release(&out);
    gk_doc_free(d);
    free(map);
}
END_TEST

START_TEST(characters_no_font_has_are_reported)
{
    gk_doc *d = gk_doc_new();
    gk_src src = { "templates/juesuan/report.xml", 42 };
    gk_block *b = gk_doc_add_paragraph(d, GK_STYLE_BODY, src);
    const char *t = "藏文字母\xE0\xBD\x80与生僻字\xF0\xA0\xAE\xB7都要报告。";
    gk_runs_add(d, &b->u.para.runs, t, strlen(t), 0, -1);
    gk_diags w = GK_DIAGS_INIT;
    char *path = render_to(d, "m.pdf", &w, NULL);
    bool tib = false, ext = false;
    for (size_t i = 0; i < w.len; i++) {
        const gk_error *e = &w.items[i].err;
        if (strstr(e->msg, "U+0F40")) {
            tib = true;
            ck_assert_str_eq(e->file, "templates/juesuan/report.xml");
            ck_assert_int_eq(e->line, 42);
        }
        if (strstr(e->msg, "U+20BB7"))
            ext = true;
    }
    ck_assert(tib);
    ck_assert(ext);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
    char *out = run(cmd, NULL);
    ck_assert_msg(strstr(out, "藏文字母□与生僻字□都要报告。"), "%s", out);
    free(out);
    gk_diags_release(&w);
    gk_doc_free(d);
}
END_TEST

/* ---------------- random documents ---------------- */

static unsigned rnd_state;

static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return n ? (rnd_state >> 16) % n : 0;
}

static const char *const pieces[] = {
    "收入", "支出", "决算", "预算", "，", "。", "、", "；", "：", "？", "！", "（", "）",
    "《", "》", "“", "”", "——", "……", "3,819.053886", "12.5%", "万元", "元", "人次",
    "Times New Roman", " ", "\n", "Supercalifragilisticexpialidocious", "2023年度",
    "\xF0\xA0\xAE\xB7", "\xE0\xBD\x80", "¥", "€", "1", "〇", "，“", "”。",
};

static char *rnd_text(gk_doc *d, unsigned max)
{
    gk_buf b = GK_BUF_INIT;
    unsigned n = rnd(max + 1);
    for (unsigned i = 0; i < n; i++)
        gk_buf_puts(&b, pieces[rnd(sizeof pieces / sizeof *pieces)]);
    char *r = gk_doc_strdup(d, b.ptr);
    gk_buf_release(&b);
    return r;
}

static void rnd_runs(gk_doc *d, gk_runs *runs, unsigned max)
{
    unsigned n = 1 + rnd(3);
    for (unsigned i = 0; i < n; i++) {
        char *t = rnd_text(d, max);
        unsigned flags = rnd(4) == 0 ? rnd(16) : 0;
        int font = rnd(5) == 0 ? (int)rnd(GK_FONT_ROLE_COUNT) : -1;
        gk_runs_add(d, runs, t, strlen(t), flags, font);
    }
}

static void rnd_table(gk_doc *d)
{
    gk_block *b = gk_doc_add_block(d, GK_BLOCK_TABLE, S);
    gk_table *t = &b->u.table;
    t->number = rnd(2) ? "公开09表" : "";
    t->title = rnd_text(d, 4);
    t->caption_left = rnd(2) ? "部门：测试" : "";
    t->unit = rnd(2) ? "单位：万元" : "";
    t->note = rnd(2) ? rnd_text(d, 30) : "";
    t->empty_note = "本表无数据。";
    t->orient = rnd(4) == 0 ? GK_ORIENT_LANDSCAPE : GK_ORIENT_PORTRAIT;
    t->anchor = "t";
    int nc = 1 + (int)rnd(rnd(3) ? 8 : 20);
    size_t nr = rnd(rnd(2) ? 10 : 80);
    size_t hr = nr ? rnd(3) : 0;
    if (hr > nr)
        hr = nr;
    gk_table_alloc(d, t, nc, nr);
    t->header_rows = hr;
    for (int c = 0; c < nc; c++) {
        t->cols[c].width = rnd(3) == 0 ? 0.5 + rnd(4) : 0;
        t->cols[c].numeric = rnd(2);
        t->cols[c].align = (gk_align)rnd(4);
    }
    for (size_t r = 0; r < nr; r++) {
        gk_row *row = &t->rows[r];
        row->kind = r < hr ? GK_ROW_HEADER : rnd(10) == 0 ? GK_ROW_TOTAL : GK_ROW_BODY;
        size_t section_end = r < hr ? hr : nr;
        for (int c = 0; c < nc; c++) {
            gk_cell *cell = &row->cells[c];
            if (cell->covered)
                continue;
            int cs = 1, rs = 1;
            if (rnd(6) == 0) {
                int maxc = 1;
                while (c + maxc < nc && !row->cells[c + maxc].covered && maxc < 4)
                    maxc++;
                cs = 1 + (int)rnd((unsigned)maxc);
            }
            if (rnd(8) == 0)
                rs = 1 + (int)rnd((unsigned)(section_end - r < 5 ? section_end - r : 5));
            /* the block must be free */
            for (int dr = 0; dr < rs; dr++)
                for (int dc = 0; dc < cs; dc++)
                    if ((dr || dc) && t->rows[r + (size_t)dr].cells[c + dc].covered)
                        rs = cs = 1;
            cell->colspan = cs;
            cell->rowspan = rs;
            for (int dr = 0; dr < rs; dr++)
                for (int dc = 0; dc < cs; dc++)
                    if (dr || dc)
                        t->rows[r + (size_t)dr].cells[c + dc].covered = true;
            cell->indent = (int)rnd(3);
            cell->bold = rnd(8) == 0;
            rnd_runs(d, &cell->runs, rnd(5) == 0 ? 60 : 4);
        }
    }
}

START_TEST(random_documents_render)
{
    for (unsigned seed = 1; seed <= 12; seed++) {
        rnd_state = seed;
        gk_doc *d = gk_doc_new();
        d->page.odd_even_footer = rnd(2);
        d->page.page_numbers = rnd(4) != 0;
        unsigned nb = 5 + rnd(40);
        for (unsigned i = 0; i < nb; i++) {
            gk_block *b;
            switch (rnd(10)) {
            case 0:
            case 1:
            case 2:
                b = gk_doc_add_paragraph(d, (gk_style_id)rnd(GK_STYLE_COUNT), S);
                rnd_runs(d, &b->u.para.runs, rnd(3) == 0 ? 200 : 20);
                b->u.para.align = (int)rnd(5) - 1;
                b->title_page = i < 2 && rnd(2);
                break;
            case 3:
            case 4:
                b = gk_doc_add_heading(d, (int)rnd(5), rnd(2) ? "一、" : "", S);
                rnd_runs(d, &b->u.heading.runs, 8);
                b->u.heading.plain = rnd_text(d, 6);
                b->u.heading.in_toc = rnd(4) != 0;
                break;
            case 5:
            case 6:
                rnd_table(d);
                break;
            case 7:
                b = gk_doc_add_block(d, GK_BLOCK_TOC, S);
                b->u.toc.title = "目录";
                b->u.toc.max_level = (int)rnd(3);
                break;
            case 8:
                gk_doc_add_block(d, GK_BLOCK_PAGE_BREAK, S);
                break;
            default: {
                b = gk_doc_add_block(d, GK_BLOCK_CHART, S);
                gk_chart *ch = &b->u.chart;
                ch->kind = (gk_chart_kind)rnd(3);
                ch->nseries = ch->kind == GK_CHART_GROUPED_BAR ? 2 : 1;
                ch->series[0] = "上年";
                ch->series[1] = "本年";
                ch->title = rnd_text(d, 3);
                ch->caption = rnd_text(d, 5);
                ch->npoints = 1 + rnd(12);
                ch->points = GK_ARENA_ARRAY(&d->arena, gk_chart_point, ch->npoints);
                for (size_t k = 0; k < ch->npoints; k++) {
                    ch->points[k].label = rnd_text(d, 3);
                    for (int q = 0; q < ch->nseries; q++) {
                        ch->points[k].values[q] = 1 + (gk_fen)rnd(1000000);
                        ch->points[k].value_text[q] = "1.00";
                    }
                }
                break;
            }
            }
        }
        gk_error e;
        ck_assert_msg(gk_doc_check(d, &e) == GK_OK, "seed %u: bad doc: %s", seed, e.msg);
        gk_diags w = GK_DIAGS_INIT;
        gk_render_opts o = { .warnings = &w };
        gk_buf out = GK_BUF_INIT;
        gk_status st = gk_render_pdf(d, &o, &out, &e);
        ck_assert_msg(st == GK_OK, "seed %u: %s", seed, e.msg);
        ck_assert(out.len > 100 && memcmp(out.ptr, "%PDF-", 5) == 0);
        if (getenv("GK_RND_VERBOSE")) fprintf(stderr, "seed %u: %zu bytes\n", seed, out.len);
        if (seed % 4 == 0 || getenv("GK_RND_KEEP")) {
            char *path = gk_arena_printf(&d->arena, "%s/r%u.pdf", dir, seed);
            FILE *f = fopen(path, "wb");
            ck_assert_ptr_nonnull(f);
            fwrite(out.ptr, 1, out.len, f);
            fclose(f);
            char cmd[512];
            int rc;
            snprintf(cmd, sizeof cmd, "qpdf --check '%s' 2>&1", path);
            char *res = run(cmd, &rc);
            ck_assert_msg(rc == 0, "seed %u: qpdf: %s", seed, res);
            free(res);
        }
        gk_buf_release(&out);
        gk_diags_release(&w);
        gk_doc_free(d);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pdf");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, pdf_is_valid_embedded_and_deterministic);
    tcase_add_test(tc, long_table_repeats_header_and_splits_no_row);
    tcase_add_test(tc, outline_links_and_labels);
    tcase_add_test(tc, stand_in_font_warns_once);
    tcase_add_test(tc, missing_font_is_an_error);
    tcase_add_test(tc, characters_no_font_has_are_reported);
    tcase_add_test(tc, random_documents_render);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
