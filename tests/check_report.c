/* Unit tests of src/report/report.c: the layouts of the two kinds are
 * loaded once per process and loaded again when their folder changes. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongkai/report.h"
#include "util/timing.h"

static char datadir[64]; /* a copy of templates/, set as GONGKAI_DATADIR */
static char outdir[96];

/* Render examples/<stem>.json to text; returns its text (malloc'd) and
 * the template-load clock of the run in *load_ms. */
static char *render_txt(const char *stem, double *load_ms)
{
    char json[256];
    snprintf(json, sizeof json, "examples/%s.json", stem);
    gk_report_opts o = {.formats = GK_FORMAT_TXT, .out_dir = outdir};
    gk_report_result r;
    memset(&r, 0, sizeof r);
    double ms[GK_TIMER_COUNT];
    gk_timing_enable(true);
    gk_timing_take(ms);
    gk_status st = gk_report_render_file(json, &o, &r);
    gk_timing_take(ms);
    gk_timing_enable(false);
    if (st)
        gk_diags_print(&r.diags, stderr);
    ck_assert_int_eq(st, GK_OK);
    *load_ms = ms[GK_TIMER_TEMPLATE_LOAD];
    char *text;
    size_t len;
    gk_error err;
    ck_assert_int_eq(gk_read_file(r.outputs[0], 1u << 24, &text, &len, &err), GK_OK);
    gk_report_result_release(&r);
    return text;
}

static void replace_in_file(const char *path, const char *from, const char *to)
{
    char *s;
    size_t len;
    gk_error err;
    ck_assert_int_eq(gk_read_file(path, 1u << 24, &s, &len, &err), GK_OK);
    char *at = strstr(s, from);
    ck_assert_msg(at != NULL, "%s: no '%s'", path, from);
    gk_buf b = GK_BUF_INIT;
    gk_buf_put(&b, s, (size_t)(at - s));
    gk_buf_puts(&b, to);
    gk_buf_puts(&b, at + strlen(from));
    ck_assert_int_eq(gk_write_file_atomic(path, b.ptr, b.len, &err), GK_OK);
    gk_buf_release(&b);
    free(s);
}

START_TEST(layout_loaded_once_and_again_when_changed)
{
    const char *stem = "xicheng-quweiban-2023-juesuan";
    const char *heading = "一般公共预算财政拨款支出决算具体情况";
    double load;
    char *t1 = render_txt(stem, &load);
    ck_assert_msg(strstr(t1, heading), "the shipped heading");
    /* Loaded here, or by an earlier test in this process: the second
     * run of the same kind must not load it again. */
    char *t2 = render_txt(stem, &load);
    ck_assert_msg(load == 0, "template loaded again: %.3f ms", load);
    ck_assert_str_eq(t1, t2);

    /* An edit to an included file (part1.xml) is seen at once. */
    char part[128];
    snprintf(part, sizeof part, "%s/templates/juesuan/part1.xml", datadir);
    replace_in_file(part, heading, "支出决算具体情况（改）");
    char *t3 = render_txt(stem, &load);
    ck_assert_msg(load > 0, "the changed layout was not loaded again");
    ck_assert_msg(!strstr(t3, heading) && strstr(t3, "支出决算具体情况（改）"),
                  "the edit does not show");
    char *t4 = render_txt(stem, &load);
    ck_assert_msg(load == 0, "template loaded again: %.3f ms", load);
    ck_assert_str_eq(t3, t4);

    /* Back as it was: the same text as the first run. */
    replace_in_file(part, "支出决算具体情况（改）", heading);
    char *t5 = render_txt(stem, &load);
    ck_assert_msg(load > 0, "the restored layout was not loaded again");
    ck_assert_str_eq(t1, t5);
    free(t1);
    free(t2);
    free(t3);
    free(t4);
    free(t5);
}
END_TEST

START_TEST(both_kinds_cached_side_by_side)
{
    double load;
    char *a = render_txt("xicheng-zhengfuban-2023-yusuan", &load);
    char *b = render_txt("xinjiekou-2023-juesuan", &load);
    char *c = render_txt("xicheng-zhengfuban-2023-yusuan", &load);
    ck_assert_msg(load == 0, "预算 layout loaded again: %.3f ms", load);
    char *d = render_txt("xinjiekou-2023-juesuan", &load);
    ck_assert_msg(load == 0, "决算 layout loaded again: %.3f ms", load);
    ck_assert_str_eq(a, c);
    ck_assert_str_eq(b, d);
    free(a);
    free(b);
    free(c);
    free(d);
}
END_TEST

/* PDF and DOCX side by side (two threads) give the same files and the
 * same warnings in the same order as one after the other. */
static void render_both(const char *stem, bool one_thread, const char *sub,
                        char **pdf, size_t *npdf, char **docx, size_t *ndocx,
                        gk_buf *warnings)
{
    char json[256], dir[160];
    snprintf(json, sizeof json, "examples/%s.json", stem);
    snprintf(dir, sizeof dir, "%s/%s", outdir, sub);
    mkdir(dir, 0755);
    gk_report_opts o = {.formats = GK_FORMAT_PDF | GK_FORMAT_DOCX, .out_dir = dir,
                        .one_thread = one_thread, .source_date_epoch = 1700000000};
    gk_report_result r;
    memset(&r, 0, sizeof r);
    ck_assert_int_eq(gk_report_render_file(json, &o, &r), GK_OK);
    gk_error err;
    ck_assert_int_eq(gk_read_file(r.outputs[1], 1u << 26, pdf, npdf, &err), GK_OK);
    ck_assert_int_eq(gk_read_file(r.outputs[2], 1u << 26, docx, ndocx, &err), GK_OK);
    for (size_t i = 0; i < r.diags.len; i++) {
        gk_diag_format(&r.diags.items[i], warnings);
        gk_buf_putc(warnings, '\n');
    }
    ck_assert(r.ms[GK_STAGE_PDF] > 0 && r.ms[GK_STAGE_DOCX] > 0);
    gk_report_result_release(&r);
}

START_TEST(pdf_and_docx_side_by_side)
{
    const char *stems[] = {"xinjiekou-2023-juesuan", "xicheng-zhengfuban-2023-yusuan"};
    for (size_t k = 0; k < 2; k++) {
        char *p1, *d1, *p2, *d2;
        size_t np1, nd1, np2, nd2;
        gk_buf w1 = GK_BUF_INIT, w2 = GK_BUF_INIT;
        render_both(stems[k], true, "one", &p1, &np1, &d1, &nd1, &w1);
        render_both(stems[k], false, "two", &p2, &np2, &d2, &nd2, &w2);
        ck_assert_msg(np1 == np2 && memcmp(p1, p2, np1) == 0, "%s: PDFs differ", stems[k]);
        ck_assert_msg(nd1 == nd2 && memcmp(d1, d2, nd1) == 0, "%s: DOCX differ", stems[k]);
        ck_assert_str_eq(w1.ptr, w2.ptr);
        free(p1);
        free(d1);
        free(p2);
        free(d2);
        gk_buf_release(&w1);
        gk_buf_release(&w2);
    }
}
END_TEST

int main(void)
{
    /* A private copy of the data folder (templates/ and its catalog):
     * the first test edits it. */
    snprintf(datadir, sizeof datadir, "/tmp/gk-check-report-%ld", (long)getpid());
    snprintf(outdir, sizeof outdir, "%s/out", datadir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && cp -R templates fonts %s/",
             datadir, outdir, datadir);
    if (system(cmd) != 0)
        return EXIT_FAILURE;
    setenv("GONGKAI_DATADIR", datadir, 1);

    Suite *s = suite_create("report");
    TCase *tc = tcase_create("layouts");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, layout_loaded_once_and_again_when_changed);
    tcase_add_test(tc, both_kinds_cached_side_by_side);
    tcase_add_test(tc, pdf_and_docx_side_by_side);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    snprintf(cmd, sizeof cmd, "rm -rf %s", datadir);
    if (system(cmd) != 0)
        return EXIT_FAILURE;
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
