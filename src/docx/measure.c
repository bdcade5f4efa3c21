/* DOCX: table column widths and the portrait/landscape decision.
 *
 * Word measures text itself, but the grid widths and the section
 * orientation must be chosen before it does.  This follows the PDF
 * layout's rules (src/layout/layout.c do_table/alloc_widths) with
 * estimated advance widths instead of font metrics: CJK characters one
 * em, Times New Roman figures half an em.  A table goes landscape when
 * its template says so or when its columns' minimum widths do not fit
 * the portrait text block; keep the two in step when the layout's rules
 * change. */
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

/* Column widths from three wishes per column: mn (never less), mb (the
 * body cells on one line) and mh (the header cells on one line too).
 * Body text unwrapped matters more than headers unwrapped; weights, when
 * every column has one, decide alone (above the minimums). */
static void alloc_widths(int n, const double *mn, const double *mb,
                         const double *mh, const gk_column *cols, double W,
                         double *out)
{
    double smin = 0, sb = 0, sh = 0, wsum = 0;
    bool all_w = true;
    for (int c = 0; c < n; c++) {
        smin += mn[c];
        sb += mb[c];
        sh += mh[c];
        if (cols[c].width > 0)
            wsum += cols[c].width;
        else
            all_w = false;
    }
    if (all_w && wsum > 0 && smin < W) {
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
    if (sh <= W) {
        double extra = W - sh;
        for (int c = 0; c < n; c++)
            out[c] = mh[c];
        if (wsum > 0) {
            for (int c = 0; c < n; c++)
                if (cols[c].width > 0)
                    out[c] += extra * cols[c].width / wsum;
        } else {
            /* Text columns take the room; figures keep their width. */
            double tsum = 0;
            for (int c = 0; c < n; c++)
                if (!cols[c].numeric)
                    tsum += mh[c];
            for (int c = 0; c < n; c++) {
                if (tsum > 0 && !cols[c].numeric)
                    out[c] += extra * mh[c] / tsum;
                else if (tsum <= 0 && sh > 0)
                    out[c] += extra * mh[c] / sh;
            }
        }
    } else if (sb <= W) {
        double f = sh > sb ? (W - sb) / (sh - sb) : 0;
        for (int c = 0; c < n; c++)
            out[c] = mb[c] + (mh[c] - mb[c]) * f;
    } else if (smin >= W) {
        for (int c = 0; c < n; c++)
            out[c] = smin > 0 ? mn[c] * W / smin : W / n;
    } else {
        double f = (W - smin) / (sb - smin);
        for (int c = 0; c < n; c++)
            out[c] = mn[c] + (mb[c] - mn[c]) * f;
    }
}

/* One cell's measures in points. */
typedef struct cellm {
    double nat, least, max, indent, size;
} cellm;

typedef struct tmeasure {
    int nc;
    cellm *cm;        /* nrows × ncols */
    double *mn, *mb, *mh;
    bool landscape;
} tmeasure;

/* Minimum widths with text floors of `body` / `head` characters a line. */
static double table_mins(const gk_table *t, const tmeasure *tm, double body,
                         double head, double *mn)
{
    int nc = t->ncols;
    for (int c = 0; c < nc; c++)
        mn[c] = 2 * CELL_PAD_H;
    for (int pass = 0; pass < 2; pass++)
        for (size_t r = 0; r < t->nrows; r++) {
            bool hd = t->rows[r].kind == GK_ROW_HEADER;
            for (int c = 0; c < nc; c++) {
                const gk_cell *cell = &t->rows[r].cells[c];
                if (cell->covered || (pass == 0) != (cell->colspan <= 1))
                    continue;
                const cellm *m = &tm->cm[r * (size_t)nc + (size_t)c];
                double fl = (hd ? head : body) * m->size;
                double lo = !hd && t->cols[c].numeric ? m->nat
                                                      : fmax(m->least, fmin(m->nat, fl));
                double need = lo + 2 * CELL_PAD_H + m->indent;
                int cs = cell->colspan < 1 ? 1 : cell->colspan;
                if (c + cs > nc)
                    cs = nc - c;
                double have = 0;
                for (int k = c; k < c + cs; k++)
                    have += mn[k];
                if (need > have)
                    for (int k = c; k < c + cs; k++)
                        mn[k] += (need - have) / cs;
            }
        }
    double sum = 0;
    for (int c = 0; c < nc; c++)
        sum += mn[c];
    return sum;
}

/* Measure a table as the PDF layout does (do_table): the three width
 * wishes per column and the orientation. */
static void measure_table(const gk_doc *doc, const gk_table *t, double portrait_w,
                          double landscape_w, tmeasure *tm)
{
    int nc = t->ncols;
    size_t nr = t->nrows;
    tm->nc = nc;
    tm->cm = gk_xcalloc(nr * (size_t)nc + 1, sizeof(cellm));
    tm->mn = gk_xcalloc((size_t)nc + 1, sizeof(double));
    tm->mb = gk_xcalloc((size_t)nc + 1, sizeof(double));
    tm->mh = gk_xcalloc((size_t)nc + 1, sizeof(double));
    const gk_style *sh = &doc->styles[GK_STYLE_TABLE_HEADER];
    const gk_style *sx = &doc->styles[GK_STYLE_TABLE_TEXT];
    for (size_t r = 0; r < nr; r++) {
        bool head = t->rows[r].kind == GK_ROW_HEADER;
        const gk_style *s = head ? sh : sx;
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered)
                continue;
            cellm *m = &tm->cm[r * (size_t)nc + (size_t)c];
            double nat_em, least_em;
            measure_runs(&cell->runs, &nat_em, &least_em);
            /* Slack for the estimate, cell borders and the reader's rounding. */
            m->size = s->size_pt;
            m->nat = nat_em * s->size_pt * 1.04 + 1.0;
            m->least = least_em * s->size_pt * 1.04 + 1.0;
            m->indent = (cell->indent > 0 ? cell->indent : 0) * s->size_pt;
            m->max = m->nat + 2 * CELL_PAD_H + m->indent;
            if (cell->colspan <= 1) {
                double *mx = head ? tm->mh : tm->mb;
                mx[c] = fmax(mx[c], m->max);
            }
        }
    }
    /* Spanning cells widen the columns they span when they must. */
    for (size_t r = 0; r < nr; r++) {
        double *mx = t->rows[r].kind == GK_ROW_HEADER ? tm->mh : tm->mb;
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered || cell->colspan <= 1)
                continue;
            const cellm *m = &tm->cm[r * (size_t)nc + (size_t)c];
            int cs = cell->colspan;
            double smx = 0;
            for (int k = c; k < c + cs && k < nc; k++)
                smx += mx[k];
            if (m->max > smx)
                for (int k = c; k < c + cs && k < nc; k++)
                    mx[k] += (m->max - smx) / cs;
        }
    }
    /* Minimum widths: a text cell keeps at least 4 characters a line (a
     * header 2), a figure its whole width; a table too wide even in
     * landscape lets text cells go down to 2, 1, then their longest
     * unbreakable piece. */
    static const double floors[][2] = { { 4, 2 }, { 2, 2 }, { 1, 1 }, { 0, 0 } };
    bool land = t->orient == GK_ORIENT_LANDSCAPE;
    for (size_t f = 0; f < sizeof floors / sizeof floors[0]; f++) {
        double smin = table_mins(t, tm, floors[f][0], floors[f][1], tm->mn);
        if (f == 0 && smin > portrait_w + 0.5)
            land = true;
        if (smin <= (land ? landscape_w : portrait_w) + 0.5)
            break;
    }
    for (int c = 0; c < nc; c++) {
        tm->mb[c] = fmax(tm->mb[c], tm->mn[c]);
        tm->mh[c] = fmax(tm->mh[c], tm->mb[c]);
    }
    tm->landscape = land;
}

static void tmeasure_free(tmeasure *tm)
{
    free(tm->cm);
    free(tm->mn);
    free(tm->mb);
    free(tm->mh);
}

bool gk__docx_table_landscape(const gk_doc *doc, const gk_table *t, double portrait_w,
                              double landscape_w)
{
    if (t->orient == GK_ORIENT_LANDSCAPE)
        return true;
    if (t->ncols <= 0)
        return false;
    tmeasure tm;
    measure_table(doc, t, portrait_w, landscape_w, &tm);
    bool land = tm.landscape;
    tmeasure_free(&tm);
    return land;
}

void gk__docx_table_widths(const gk_doc *doc, const gk_table *t, double portrait_w,
                           double landscape_w, long total_tw, long *out)
{
    int nc = t->ncols;
    double W = (double)total_tw / 20.0;
    tmeasure tm;
    measure_table(doc, t, portrait_w, landscape_w, &tm);
    double *mn = tm.mn, *mb = tm.mb, *mh = tm.mh;
    double *cw = gk_xcalloc((size_t)nc + 1, sizeof(double));
    /* Figures columns of one width when there is room for it. */
    double numw = 0, sumb = 0;
    for (int c = 0; c < nc; c++)
        if (t->cols[c].numeric)
            numw = fmax(numw, mb[c]);
    for (int c = 0; c < nc; c++)
        sumb += t->cols[c].numeric ? numw : mb[c];
    if (sumb <= W)
        for (int c = 0; c < nc; c++)
            if (t->cols[c].numeric) {
                mn[c] = mb[c] = numw;
                mh[c] = fmax(mh[c], numw);
            }
    alloc_widths(nc, mn, mb, mh, t->cols, W, cw);
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
    tmeasure_free(&tm);
    free(cw);
}
