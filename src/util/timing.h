/*
 * gongkai — stage clocks for the benchmark (make bench, docs/BENCH.md).
 *
 * A renderer brackets a stage:
 *
 *     double t0 = gk_timing_begin();
 *     ... lay out ...
 *     gk_timing_end(GK_TIMER_LAYOUT, t0);
 *
 * Disabled (the default) that is one branch on a thread-local flag and no
 * clock read; enabled (gk_timing_enable(true), only the benchmark does
 * it) it adds the stage's wall milliseconds to a per-thread table that
 * gk_timing_take() reads and clears.  Stages may nest (report which is
 * inclusive of which in the name's comment); a stage that runs several
 * times per document (one chart after another) accumulates.
 *
 * No allocation, nothing to free.  Per thread, so `batch` workers and
 * threads never share a table.
 */
#ifndef GK_UTIL_TIMING_H
#define GK_UTIL_TIMING_H

#include <stdbool.h>

typedef enum gk_timer {
    GK_TIMER_FONTS,       /* PDF: gk__fonts_init (font map, faces, width tables) */
    GK_TIMER_LAYOUT,      /* PDF: gk__layout_doc (all passes) */
    GK_TIMER_CHART_GEOM,  /* PDF: gk_chart_layout of every chart (prepare_charts) */
    GK_TIMER_SUBSET,      /* PDF: hb_subset_or_fail of every font */
    GK_TIMER_HPDF_FONT,   /* PDF: HPDF_LoadTTFontFromFile + HPDF_GetFont + ToUnicode */
    GK_TIMER_PDF_DRAW,    /* PDF: HPDF_AddPage .. draw_page .. outline, info */
    GK_TIMER_PDF_SAVE,    /* PDF: HPDF_SaveToStream + ReadFromStream */
    GK_TIMER_PDF_DEFLATE, /* PDF: streams deflated by gongkai (fonts, page contents);
                             inside HPDF_FONT / PDF_DRAW */
    GK_TIMER_CHART_PNG,   /* DOCX: gk_chart_png of every chart (incl. the two below) */
    GK_TIMER_PNG_DRAW,    /* chart: cairo drawing incl. font opening (in CHART_PNG) */
    GK_TIMER_PNG_ENCODE,  /* chart: pixels to PNG bytes, deflate included (in CHART_PNG) */
    GK_TIMER_DOCX_XML,    /* DOCX: every XML part through libxml2 */
    GK_TIMER_ZIP,         /* DOCX: gk__docx_zip */
    GK_TIMER_TEMPLATE_LOAD, /* report: gk_template_load (inside the template stage) */
    GK_TIMER_COUNT
} gk_timer;

/* Turn the clocks on or off for this thread (off by default). */
void gk_timing_enable(bool on);
bool gk_timing_enabled(void);
/* Start of a stage: the clock in ms, or 0 when disabled. */
double gk_timing_begin(void);
/* End of a stage started at t0: adds now - t0 to timer t (no-op when
 * disabled). */
void gk_timing_end(gk_timer t, double t0);
/* Add ms to timer t of this thread (no-op when disabled): stages timed
 * in a helper thread (the PDF of a report rendered beside its DOCX). */
void gk_timing_add(gk_timer t, double ms);
/* Copy this thread's totals into ms[GK_TIMER_COUNT] and clear them;
 * returns true when any stage was recorded since the last take. */
bool gk_timing_take(double ms[GK_TIMER_COUNT]);
/* "fonts", "layout", "chart_geom", ... (stable, used as JSON keys). */
const char *gk_timer_name(gk_timer t);

#endif
