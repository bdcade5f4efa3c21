/* DOCX: table column widths and the portrait/landscape decision.
 *
 * Word measures text itself, but the grid widths and the section
 * orientation must be chosen before it does.  This follows the PDF
 * layout's rules (src/layout/layout.c do_table/alloc_widths) with
 * estimated advance widths instead of font metrics: CJK characters one
 * em, Times New Roman figures half an em.  A table goes landscape when
 * its template says so or when its columns' minimum widths do not fit
 * the portrait text block. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "docx/docx.h"

#define CELL_PAD_H 2.5 /* points, each side; the same as the PDF */

static bool is_wide(int32_t cp)
{
    return cp >= 0x1100 &&
           (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) ||
            (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
            (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000 ||
            cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 ||
            cp == 0x2014 || cp == 0x2026);
}

/* Advance of a Latin character in ems (Times New Roman, roughly). */
static double latin_em(int32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return 0.5;
    switch (cp) {
    case '.': case ',': case ':': case ';': case ' ': case '\'': return 0.25;
    case '(': case ')': case '[': case ']': case '-': return 0.333;
    case '%': return 0.833;
    default: break;
    }
    if (cp >= 'A' && cp <= 'Z')
        return 0.67;
    return 0.5;
}

/* Natural width and widest unbreakable piece of runs, in ems. */
static void measure_runs(const gk_runs *runs, double *nat, double *least)
{
    double line = 0, best_line = 0, piece = 0, best_piece = 0;
    for (size_t r = 0; r < runs->len; r++) {
        const char *s = runs->items[r].text;
        size_t n = strlen(s), i = 0;
        while (i < n) {
            size_t at = i;
            int32_t cp = gk_utf8_next(s, n, &i);
            if (i == at) {
                i++;
                continue;
            }
            if (cp == '\n') {
                best_line = fmax(best_line, line);
                best_piece = fmax(best_piece, piece);
                line = piece = 0;
                continue;
            }
            if (is_wide(cp)) {
                line += 1.0;
                best_piece = fmax(best_piece, piece);
                piece = 1.0; /* a break is allowed on either side */
                best_piece = fmax(best_piece, piece);
                piece = 0;
            } else if (cp == ' ' || cp == '\t') {
                line += 0.25;
                best_piece = fmax(best_piece, piece);
                piece = 0;
            } else {
                double w = latin_em(cp);
                line += w;
                piece += w;
            }
        }
    }
    *nat = fmax(best_line, line);
    *least = fmax(best_piece, piece);
}

double gk__docx_runs_em(const gk_runs *runs)
{
    double nat, least;
    measure_runs(runs, &nat, &least);
    return nat;
}

static void alloc_widths(int n, const double *mn, const double *mx,
                         const gk_column *cols, double W, double *out)
{
    double smin = 0, smax = 0, wsum = 0;
    bool all_w = true;
    for (int c = 0; c < n; c++) {
        smin += mn[c];
        smax += mx[c];
        if (cols[c].width > 0)
            wsum += cols[c].width;
        else
            all_w = false;
    }
    if (all_w && wsum > 0) {
        /* Weights, but never below a column's minimum. */
        bool *fixed = gk_xcalloc((size_t)n, sizeof(bool));
        for (int round = 0; round <= n; round++) {
            double rem = W, ws = 0;
            for (int c = 0; c < n; c++) {
                if (fixed[c])
                    rem -= out[c] = mn[c];
                else
                    ws += cols[c].width;
            }
            bool again = false;
            for (int c = 0; c < n; c++)
                if (!fixed[c]) {
                    out[c] = ws > 0 ? rem * cols[c].width / ws : 0;
                    if (out[c] < mn[c] - 0.01) {
                        fixed[c] = true;
                        again = true;
                    }
                }
            if (!again)
                break;
        }
        free(fixed);
        return;
    }
    if (smax <= W) {
        double extra = W - smax;
        for (int c = 0; c < n; c++)
            out[c] = mx[c];
        if (wsum > 0) {
            for (int c = 0; c < n; c++)
                if (cols[c].width > 0)
                    out[c] += extra * cols[c].width / wsum;
        } else {
            /* Text columns take the room; figures keep their width. */
            double tsum = 0;
            for (int c = 0; c < n; c++)
                if (!cols[c].numeric)
                    tsum += mx[c];
            for (int c = 0; c < n; c++) {
                if (tsum > 0 && !cols[c].numeric)
                    out[c] += extra * mx[c] / tsum;
                else if (tsum <= 0 && smax > 0)
                    out[c] += extra * mx[c] / smax;
            }
        }
    } else if (smin >= W) {
        for (int c = 0; c < n; c++)
            out[c] = smin > 0 ? mn[c] * W / smin : W / n;
    } else {
        double f = (W - smin) / (smax - smin);
        for (int c = 0; c < n; c++)
            out[c] = mn[c] + (mx[c] - mn[c]) * f;
    }
}

/* Minimum and natural widths of every column, in points. */
static void column_bounds(const gk_doc *doc, const gk_table *t, double *mn, double *mx)
{
    int nc = t->ncols;
    size_t nr = t->nrows;
    const gk_style *sh = &doc->styles[GK_STYLE_TABLE_HEADER];
    const gk_style *sx = &doc->styles[GK_STYLE_TABLE_TEXT];
    double *cmin = gk_xcalloc(nr * (size_t)nc + 1, sizeof(double));
    double *cmax = gk_xcalloc(nr * (size_t)nc + 1, sizeof(double));
    for (size_t r = 0; r < nr; r++) {
        const gk_row *row = &t->rows[r];
        bool head = row->kind == GK_ROW_HEADER;
        const gk_style *s = head ? sh : sx;
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &row->cells[c];
            if (cell->covered)
                continue;
            double nat_em, least_em;
            measure_runs(&cell->runs, &nat_em, &least_em);
            double nat = nat_em * s->size_pt, least = least_em * s->size_pt;
            double indent = (cell->indent > 0 ? cell->indent : 0) * s->size_pt;
            double floor = (head ? 2 : 4) * s->size_pt;
            bool numeric = !head && t->cols[c].numeric;
            double lo = numeric ? nat : fmax(least, fmin(nat, floor));
            size_t k = r * (size_t)nc + (size_t)c;
            /* Slack for the estimate, cell borders and the reader's rounding. */
            cmin[k] = lo * 1.04 + 2 * CELL_PAD_H + indent + 1.0;
            cmax[k] = nat * 1.04 + 2 * CELL_PAD_H + indent + 1.0;
            if (cell->colspan <= 1) {
                mn[c] = fmax(mn[c], cmin[k]);
                mx[c] = fmax(mx[c], cmax[k]);
            }
        }
    }
    /* Spanning cells widen the columns they span when they must. */
    for (size_t r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered || cell->colspan <= 1)
                continue;
            size_t k = r * (size_t)nc + (size_t)c;
            int cs = cell->colspan;
            double smin = 0, smax = 0;
            for (int j = c; j < c + cs && j < nc; j++) {
                smin += mn[j];
                smax += mx[j];
            }
            if (cmin[k] > smin)
                for (int j = c; j < c + cs && j < nc; j++)
                    mn[j] += (cmin[k] - smin) / cs;
            if (cmax[k] > smax)
                for (int j = c; j < c + cs && j < nc; j++)
                    mx[j] += (cmax[k] - smax) / cs;
        }
    for (int c = 0; c < nc; c++)
        if (mx[c] < mn[c])
            mx[c] = mn[c];
    free(cmin);
    free(cmax);
}

bool gk__docx_table_landscape(const gk_doc *doc, const gk_table *t, double portrait_w)
{
    if (t->orient == GK_ORIENT_LANDSCAPE)
        return true;
    if (t->ncols <= 0)
        return false;
    double *mn = gk_xcalloc((size_t)t->ncols, sizeof(double));
    double *mx = gk_xcalloc((size_t)t->ncols, sizeof(double));
    column_bounds(doc, t, mn, mx);
    double smin = 0;
    for (int c = 0; c < t->ncols; c++)
        smin += mn[c];
    free(mn);
    free(mx);
    return smin > portrait_w + 0.5;
}

void gk__docx_table_widths(const gk_doc *doc, const gk_table *t, long total_tw, long *out)
{
    int nc = t->ncols;
    double W = (double)total_tw / 20.0;
    double *mn = gk_xcalloc((size_t)nc, sizeof(double));
    double *mx = gk_xcalloc((size_t)nc, sizeof(double));
    double *cw = gk_xcalloc((size_t)nc, sizeof(double));
    column_bounds(doc, t, mn, mx);
    /* Figures columns of one width when there is room for it. */
    double numw = 0, smax = 0;
    for (int c = 0; c < nc; c++)
        if (t->cols[c].numeric)
            numw = fmax(numw, mx[c]);
    for (int c = 0; c < nc; c++)
        smax += t->cols[c].numeric ? numw : mx[c];
    if (smax <= W)
        for (int c = 0; c < nc; c++)
            if (t->cols[c].numeric)
                mn[c] = mx[c] = numw;
    alloc_widths(nc, mn, mx, t->cols, W, cw);
    /* Twips that add up to the table width exactly. */
    double sum = 0;
    for (int c = 0; c < nc; c++)
        sum += cw[c];
    long used = 0;
    double acc = 0;
    for (int c = 0; c < nc; c++) {
        acc += sum > 0 ? cw[c] / sum : 1.0 / nc;
        long edge = c + 1 < nc ? lround(acc * (double)total_tw) : total_tw;
        out[c] = edge - used;
        if (out[c] < 1)
            out[c] = 1;
        used += out[c];
    }
    free(mn);
    free(mx);
    free(cw);
}
