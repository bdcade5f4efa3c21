/* DOCX: estimated text widths, and the tables' grid and orientation.
 *
 * Word measures text itself; the DOCX only estimates the height of a
 * table's rows (where a page may break) and of the title page's text,
 * with estimated advance widths instead of font metrics: CJK characters
 * one em, Times New Roman figures half an em.  The grid widths and the
 * section orientation must be chosen before Word measures anything: they
 * are the PDF layout's own decisions (src/layout/layout.c do_table),
 * read from the page map (gk_page_map_table), so the DOCX's tables are
 * cut as the PDF's are.  Without a map (the PDF fonts cannot be opened)
 * the columns share the width by their weights, or equally, and only a
 * table its template puts on a landscape page goes landscape. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "docx/docx.h"

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

double gk__docx_runs_em(const gk_runs *runs)
{
    double line = 0, best = 0;
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
                best = fmax(best, line);
                line = 0;
            } else if (is_wide(cp)) {
                line += 1.0;
            } else if (cp == ' ' || cp == '\t') {
                line += 0.25;
            } else {
                line += latin_em(cp);
            }
        }
    }
    return fmax(best, line);
}

bool gk__docx_table_landscape(const gk_page_map *map, size_t index, const gk_table *t)
{
    bool land;
    if (gk_page_map_table(map, index, NULL, NULL, &land))
        return land;
    return t->orient == GK_ORIENT_LANDSCAPE;
}

void gk__docx_table_widths(const gk_page_map *map, size_t index, const gk_table *t,
                           long total_tw, long *out)
{
    int nc = t->ncols, mc = 0;
    const double *lw = NULL;
    if (!gk_page_map_table(map, index, &mc, &lw, NULL) || mc != nc)
        lw = NULL;
    double *w = gk_xcalloc((size_t)nc + 1, sizeof(double));
    bool weights = true;
    for (int c = 0; c < nc; c++)
        if (!(t->cols[c].width > 0))
            weights = false;
    for (int c = 0; c < nc; c++)
        w[c] = lw ? lw[c] : weights ? t->cols[c].width : 1;
    double sum = 0;
    for (int c = 0; c < nc; c++)
        sum += w[c];
    /* Twips that add up to the table width exactly. */
    long used = 0;
    double acc = 0;
    for (int c = 0; c < nc; c++) {
        acc += sum > 0 ? w[c] / sum : 1.0 / nc;
        long edge = c + 1 < nc ? lround(acc * (double)total_tw) : total_tw;
        out[c] = edge - used;
        if (out[c] < 1)
            out[c] = 1;
        used += out[c];
    }
    free(w);
}
