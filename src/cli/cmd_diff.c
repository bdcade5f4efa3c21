/*
 * gongkai diff — what a correction changes in the report.
 *
 * Both data files go through the whole pipeline up to the document tree
 * (load, check, template), then the two trees are compared as a reader
 * would: sentence by sentence within each section (aligned with a longest
 * common subsequence, so an added or dropped sentence does not shift the
 * rest), cell by cell in each table (keyed by table, row label and column
 * header), and value by value in each chart.  For a changed sentence the
 * numbers that differ are listed too.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gongkai/gongkai.h"
#include "gongkai/report.h"

typedef enum item_kind { ITEM_TEXT, ITEM_CELL, ITEM_CHART } item_kind;

typedef struct item {
    item_kind kind;
    const char *section; /* heading chain, or table / chart name */
    const char *key;     /* cell: "row | column"; chart: "label | series" */
    const char *text;
} item;

typedef struct items {
    item *v;
    size_t len, cap;
} items;

static void push(gk_doc *doc, items *it, item_kind kind, const char *section,
                 const char *key, const char *text)
{
    if (it->len == it->cap) {
        it->cap = it->cap ? it->cap * 2 : 256;
        it->v = gk_xrealloc(it->v, it->cap * sizeof(item));
    }
    it->v[it->len++] = (item){kind, section, key ? gk_doc_strdup(doc, key) : "",
                              gk_doc_strdup(doc, text)};
}

static const char *cell_text(gk_doc *doc, const gk_cell *c)
{
    return gk_runs_text(doc, &c->runs);
}

/* The header text over column `col`: the header cells covering it, from
 * top to bottom, joined with "/" (栏次 rows of digits are skipped). */
static void column_label(gk_doc *doc, const gk_table *t, int col, gk_buf *out)
{
    size_t start = out->len;
    for (size_t r = 0; r < t->header_rows && r < t->nrows; r++) {
        const gk_row *row = &t->rows[r];
        for (int c = 0; c < t->ncols; c++) {
            const gk_cell *cell = &row->cells[c];
            if (cell->covered || col < c || col >= c + cell->colspan)
                continue;
            const char *s = cell_text(doc, cell);
            if (!*s || strspn(s, "0123456789 ") == strlen(s))
                continue;
            if (out->len > start)
                gk_buf_putc(out, '/');
            gk_buf_puts(out, s);
        }
    }
    if (out->len == start)
        gk_buf_printf(out, "%d", col + 1);
}

/* The label of the row for the figure in column `col`: the run of text
 * (non-numeric) columns nearest to its left, so that in side-by-side
 * tables (收入 | 支出) each half is labelled by its own 项目 cells. */
static void row_label(gk_doc *doc, const gk_table *t, const gk_row *row,
                      int col, gk_buf *out)
{
    int end = col;
    while (end > 0 && t->cols[end - 1].numeric)
        end--;
    int begin = end;
    while (begin > 0 && !t->cols[begin - 1].numeric)
        begin--;
    if (begin == end) { /* no text column to the left: use them all */
        begin = 0;
        end = t->ncols;
    }
    for (int c = begin; c < end; c++) {
        if (row->cells[c].covered || t->cols[c].numeric)
            continue;
        const char *s = cell_text(doc, &row->cells[c]);
        if (!*s)
            continue;
        if (out->len)
            gk_buf_putc(out, ' ');
        gk_buf_puts(out, s);
    }
}

static void collect(gk_doc *doc, items *it)
{
    const char *chain[6] = {"", "", "", "", "", ""};
    gk_buf sec = GK_BUF_INIT, key = GK_BUF_INIT, a = GK_BUF_INIT;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        if (b->type == GK_BLOCK_HEADING) {
            int lv = b->u.heading.level;
            chain[lv] = b->u.heading.plain;
            for (int k = lv + 1; k < 6; k++)
                chain[k] = "";
        }
        gk_buf_clear(&sec);
        for (int k = 0; k < 6; k++)
            if (*chain[k]) {
                if (sec.len)
                    gk_buf_puts(&sec, " > ");
                gk_buf_puts(&sec, chain[k]);
            }
        const char *section = gk_doc_strdup(doc, sec.ptr);
        switch (b->type) {
        case GK_BLOCK_PARAGRAPH:
            push(doc, it, ITEM_TEXT, section, NULL, gk_runs_text(doc, &b->u.para.runs));
            break;
        case GK_BLOCK_TABLE: {
            const gk_table *t = &b->u.table;
            gk_buf_clear(&sec);
            gk_buf_printf(&sec, "%s%s%s", t->number, *t->number ? " " : "", t->title);
            const char *tname = gk_doc_strdup(doc, sec.ptr);
            for (size_t r = t->header_rows; r < t->nrows; r++) {
                const gk_row *row = &t->rows[r];
                for (int c = 0; c < t->ncols; c++) {
                    if (row->cells[c].covered || !t->cols[c].numeric)
                        continue;
                    gk_buf_clear(&a);
                    row_label(doc, t, row, c, &a);
                    gk_buf_clear(&key);
                    gk_buf_puts(&key, a.ptr);
                    gk_buf_puts(&key, " | ");
                    column_label(doc, t, c, &key);
                    push(doc, it, ITEM_CELL, tname, key.ptr, cell_text(doc, &row->cells[c]));
                }
            }
            break;
        }
        case GK_BLOCK_CHART: {
            const gk_chart *ch = &b->u.chart;
            const char *cname = gk_doc_strdup(doc, ch->title ? ch->title : ch->caption);
            for (size_t p = 0; p < ch->npoints; p++)
                for (int s = 0; s < ch->nseries; s++) {
                    gk_buf_clear(&key);
                    gk_buf_puts(&key, ch->points[p].label);
                    if (ch->nseries > 1)
                        gk_buf_printf(&key, " | %s", ch->series[s] ? ch->series[s] : "");
                    const char *v = ch->points[p].value_text[s];
                    push(doc, it, ITEM_CHART, cname, key.ptr, v ? v : "");
                }
            break;
        }
        default:
            break;
        }
    }
    gk_buf_release(&sec);
    gk_buf_release(&key);
    gk_buf_release(&a);
}

/* ---- numbers in a sentence ---- */

typedef struct nums {
    char v[64][40];
    int n;
} nums;

static void numbers_of(const char *s, nums *out)
{
    out->n = 0;
    for (const char *p = s; *p && out->n < 64;) {
        if ((*p >= '0' && *p <= '9') ||
            (*p == '-' && p[1] >= '0' && p[1] <= '9' && (p == s || p[-1] < '0' || p[-1] > '9'))) {
            size_t n = 1;
            while (p[n] && ((p[n] >= '0' && p[n] <= '9') || p[n] == '.' || p[n] == ',') )
                n++;
            while (n > 1 && (p[n - 1] == '.' || p[n - 1] == ','))
                n--;
            if (p[n] == '%')
                n++;
            if (n < sizeof out->v[0]) {
                memcpy(out->v[out->n], p, n);
                out->v[out->n][n] = '\0';
                out->n++;
            }
            p += n;
        } else {
            p++;
        }
    }
}

typedef struct counts {
    size_t text, cell, chart;
} counts;

static void print_changed_numbers(const char *a, const char *b)
{
    nums na, nb;
    numbers_of(a, &na);
    numbers_of(b, &nb);
    gk_buf line = GK_BUF_INIT;
    int n = na.n < nb.n ? na.n : nb.n;
    for (int i = 0; i < n; i++)
        if (strcmp(na.v[i], nb.v[i]) != 0)
            gk_buf_printf(&line, "%s%s → %s", line.len ? "，" : "", na.v[i], nb.v[i]);
    if (line.len)
        printf(GK_TR("      数字：%s\n", "      numbers: %s\n"), line.ptr);
    gk_buf_release(&line);
}

/* Sentences of one section, aligned by LCS. */
static void diff_text(const item *const *a, size_t na, const item *const *b,
                      size_t nb, const char *section, const char **printed,
                      counts *cnt)
{
    size_t w = nb + 1;
    unsigned *L = gk_xcalloc((na + 1) * w, sizeof(unsigned));
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            L[i * w + j] = strcmp(a[i]->text, b[j]->text) == 0
                               ? L[(i + 1) * w + j + 1] + 1
                               : (L[(i + 1) * w + j] > L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                        : L[i * w + j + 1]);
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && strcmp(a[i]->text, b[j]->text) == 0) {
            i++, j++;
            continue;
        }
        if (*printed != section) {
            printf("\n%s\n", *section ? section : GK_TR("（开头）", "(start)"));
            *printed = section;
        }
        /* A removal followed by an addition at the same place reads as a
         * change of that sentence. */
        bool del = i < na && (j >= nb || L[(i + 1) * w + j] >= L[i * w + j + 1]);
        if (i < na && j < nb && L[(i + 1) * w + j + 1] == L[i * w + j]) {
            printf("  - %s\n  + %s\n", a[i]->text, b[j]->text);
            print_changed_numbers(a[i]->text, b[j]->text);
            i++, j++;
        } else if (del) {
            printf("  - %s\n", a[i]->text);
            i++;
        } else {
            printf("  + %s\n", b[j]->text);
            j++;
        }
        cnt->text++;
    }
    free(L);
}

static bool same_section(const item *x, const char *s)
{
    return x->kind == ITEM_TEXT && strcmp(x->section, s) == 0;
}

static void diff_items(const items *A, const items *B, counts *cnt)
{
    const char *printed = NULL;
    /* Text: walk sections in the new document's order; sections only in
     * the old one are reported as removed at the end. */
    const item **a = gk_xcalloc(A->len + 1, sizeof(item *));
    const item **b = gk_xcalloc(B->len + 1, sizeof(item *));
    for (size_t k = 0; k < B->len; k++) {
        const item *x = &B->v[k];
        if (x->kind != ITEM_TEXT || (k > 0 && same_section(&B->v[k - 1], x->section)))
            continue;
        bool seen = false;
        for (size_t q = 0; q < k && !seen; q++)
            if (same_section(&B->v[q], x->section))
                seen = true;
        if (seen)
            continue;
        size_t na = 0, nb = 0;
        for (size_t q = 0; q < A->len; q++)
            if (same_section(&A->v[q], x->section))
                a[na++] = &A->v[q];
        for (size_t q = 0; q < B->len; q++)
            if (same_section(&B->v[q], x->section))
                b[nb++] = &B->v[q];
        diff_text(a, na, b, nb, x->section, &printed, cnt);
    }
    for (size_t k = 0; k < A->len; k++) {
        const item *x = &A->v[k];
        if (x->kind != ITEM_TEXT)
            continue;
        bool in_new = false;
        for (size_t q = 0; q < B->len && !in_new; q++)
            if (same_section(&B->v[q], x->section))
                in_new = true;
        if (!in_new) {
            if (printed != x->section) {
                printf("\n%s\n", x->section);
                printed = x->section;
            }
            printf("  - %s\n", x->text);
            cnt->text++;
        }
    }
    free(a);
    free(b);

    /* Cells and chart values: keyed. */
    for (int pass = 0; pass < 2; pass++) {
        item_kind kind = pass ? ITEM_CHART : ITEM_CELL;
        const char *group = NULL;
        for (size_t k = 0; k < B->len; k++) {
            const item *x = &B->v[k];
            if (x->kind != kind)
                continue;
            const item *old = NULL;
            for (size_t q = 0; q < A->len && !old; q++)
                if (A->v[q].kind == kind && strcmp(A->v[q].section, x->section) == 0 &&
                    strcmp(A->v[q].key, x->key) == 0)
                    old = &A->v[q];
            if (old && strcmp(old->text, x->text) == 0)
                continue;
            if (group != x->section) {
                printf("\n%s\n", x->section);
                group = x->section;
            }
            if (old)
                printf("  %s: %s → %s\n", x->key, *old->text ? old->text : "—",
                       *x->text ? x->text : "—");
            else
                printf(GK_TR("  %s: （新增）%s\n", "  %s: (added) %s\n"), x->key, x->text);
            if (pass)
                cnt->chart++;
            else
                cnt->cell++;
        }
        for (size_t q = 0; q < A->len; q++) {
            const item *o = &A->v[q];
            if (o->kind != kind)
                continue;
            bool found = false;
            for (size_t k = 0; k < B->len && !found; k++)
                found = B->v[k].kind == kind && strcmp(B->v[k].section, o->section) == 0 &&
                        strcmp(B->v[k].key, o->key) == 0;
            if (!found) {
                printf(GK_TR("\n%s\n  %s: %s →（删除）\n", "\n%s\n  %s: %s → (removed)\n"),
                       o->section, o->key, o->text);
                if (pass)
                    cnt->chart++;
                else
                    cnt->cell++;
            }
        }
    }
}

static void usage(FILE *out)
{
    fputs(GK_TR("用法：gongkai diff [--template PATH] 原.json 新.json\n"
                "\n"
                "按句子、表格单元格和图表数值列出更正对报告的影响（两份数据都先经过检查）。\n"
                "退出码：0 无变化，1 有变化，2 用法错误，3 任一份数据或模板无法生成报告。\n",
                "usage: gongkai diff [--template PATH] OLD.json NEW.json\n"
                "\n"
                "Lists, sentence by sentence, cell by cell and chart value by chart value,\n"
                "what a correction changes in the report (both files are checked first).\n"
                "Exit: 0 no change, 1 changes, 2 usage, 3 either report cannot be built.\n"),
          out);
}

static int build(const char *path, const gk_template *t, gk_doc **doc)
{
    gk_report_result r = {0};
    gk_status st = gk_report_build_doc(path, t, doc, &r);
    if (st || r.diags.errors)
        gk_diags_print(&r.diags, stderr);
    gk_report_result_release(&r);
    return st ? GK_EXIT_IO : 0;
}

int gk_cmd_diff(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *tpath = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 't')
            tpath = optarg;
        else if (c == 'h') {
            usage(stdout);
            return GK_EXIT_OK;
        } else {
            usage(stderr);
            return GK_EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        usage(stderr);
        return GK_EXIT_USAGE;
    }
    gk_template *t = NULL;
    if (tpath) {
        gk_error err;
        t = gk_template_load(tpath, &err);
        if (!t) {
            gk_buf m = GK_BUF_INIT;
            gk_error_format(&err, &m);
            fprintf(stderr, "%s\n", m.ptr);
            gk_buf_release(&m);
            return GK_EXIT_IO;
        }
    }
    gk_doc *old = NULL, *new = NULL;
    int rc = build(argv[optind], t, &old);
    if (!rc)
        rc = build(argv[optind + 1], t, &new);
    if (rc) {
        gk_doc_free(old);
        gk_template_free(t);
        return rc;
    }
    items A = {0}, B = {0};
    collect(old, &A);
    collect(new, &B);
    counts cnt = {0};
    diff_items(&A, &B, &cnt);
    size_t total = cnt.text + cnt.cell + cnt.chart;
    if (total)
        printf(GK_TR("\n共 %zu 处变化：句子 %zu，表格单元格 %zu，图表数值 %zu。\n",
                     "\n%zu changes: %zu sentences, %zu table cells, %zu chart values.\n"),
               total, cnt.text, cnt.cell, cnt.chart);
    else
        printf(GK_TR("报告无变化。\n", "The report does not change.\n"));
    free(A.v);
    free(B.v);
    gk_doc_free(old);
    gk_doc_free(new);
    gk_template_free(t);
    return total ? GK_EXIT_DATA : GK_EXIT_OK;
}
