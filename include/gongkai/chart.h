/*
 * gongkai — charts: one geometry computed once from a gk_chart (wedges,
 * bars, axes, label boxes, leader lines, all in points with the origin at
 * the top-left and y growing downwards), then drawn by cairo into a PNG
 * for the DOCX and by the PDF back end as vector paths and real text.
 *
 * Ownership: gk_chart_layout() returns a geometry the caller frees with
 * gk_chart_geom_free(); every array in it belongs to it.
 */
#ifndef GONGKAI_CHART_H
#define GONGKAI_CHART_H

#include "gongkai/doc.h"
#include "gongkai/util.h"

typedef struct gk_rgb { unsigned char r, g, b; } gk_rgb;

typedef enum gk_shape_kind {
    GK_SHAPE_WEDGE,  /* pie slice: cx, cy, r, a0, a1 (radians, clockwise from 12 o'clock) */
    GK_SHAPE_RECT,   /* bar or legend swatch: x, y, w, h */
    GK_SHAPE_LINE    /* axis, tick, grid or leader line: x0, y0, x1, y1 */
} gk_shape_kind;

typedef struct gk_shape {
    gk_shape_kind kind;
    double x, y, w, h;          /* RECT */
    double cx, cy, r, a0, a1;   /* WEDGE */
    double x0, y0, x1, y1;      /* LINE */
    gk_rgb fill;                /* WEDGE, RECT */
    gk_rgb stroke;              /* outline (white between slices) / line colour */
    double stroke_width;        /* 0 = no outline */
    int hatch;                  /* 0 none, else a hatch pattern number (greyscale aid) */
    gk_rgb hatch_color;         /* colour of the hatch lines */
} gk_shape;

/* Hatch pattern 1: parallel lines at 45 degrees rising to the right
 * ("/"), GK_CHART_HATCH_SPACING points apart (measured across the
 * lines), GK_CHART_HATCH_WIDTH wide, in hatch_color, clipped to the
 * shape, drawn after the fill and before the outline. */
#define GK_CHART_HATCH_SPACING 4.0
#define GK_CHART_HATCH_WIDTH 0.8

/* A label box: the baseline is GK_CHART_ASCENT * size_pt below the top
 * of the box and the box is size_pt high (the em box of a CJK font). */
#define GK_CHART_ASCENT 0.88

typedef struct gk_label {
    const char *text;           /* UTF-8, owned by the geometry */
    double x, y;                /* baseline start */
    double w, h;                /* box measured with the font: x..x+w, y-ascent..y-ascent+h */
    double size_pt;
    gk_font_role font;
    gk_rgb color;
} gk_label;

typedef struct gk_chart_geom {
    double width, height;       /* canvas in points */
    size_t nshapes, nlabels;
    gk_shape *shapes;           /* in drawing order */
    gk_label *labels;
} gk_chart_geom;

/* Text measurement supplied by the caller, so the geometry uses the same
 * font metrics as the renderer (FreeType through cairo for the PNG, the
 * PDF's own font widths for the PDF).  Returns the advance width in
 * points of UTF-8 `text` at `size_pt`.  NULL = a built-in estimate. */
typedef double (*gk_text_measure_fn)(void *ctx, gk_font_role font,
                                     double size_pt, const char *text);

/* True when the chart has nothing to draw: no point with a non-zero
 * value (pie: series 0; bar: series 0; grouped bar: any series).  The
 * template stage omits such charts; gk_chart_layout() refuses them with
 * GK_ERR_DATA, so a caller that meets one may treat that as "omit". */
bool gk_chart_is_empty(const gk_chart *c);

/* The natural size of a chart for a text block `avail_width` points wide. */
void gk_chart_size(const gk_chart *c, double avail_width, double *width,
                   double *height);

/* Compute the geometry (zero points already left out by the template
 * stage; a negative value in a pie is an error).  Wedges run clockwise
 * in data order from a start angle in [0, 2π) (12 o'clock unless turning
 * the pie lets crowded labels sit by their slices); each spans exactly
 * 2π·value/total.  Errors name the chart's caption: GK_ERR_DATA for a
 * negative pie value or an empty chart (gk_chart_is_empty), GK_ERR_LIMIT
 * when the labels cannot fit width × height even in the smallest type,
 * GK_ERR_USAGE / GK_ERR_UNSUPPORTED for a bad size or kind.  Thread-safe
 * (no shared state). */
gk_status gk_chart_layout(const gk_chart *c, double width, double height,
                          gk_text_measure_fn measure, void *measure_ctx,
                          gk_chart_geom **out, gk_error *err) GK_WARN_UNUSED;
void gk_chart_geom_free(gk_chart_geom *g);

/* Draw with cairo into an opaque RGB PNG at `dpi` (for the DOCX): lays
 * the chart out with the FreeType metrics of the font map's fonts, then
 * draws that geometry; ceil(width·dpi/72) × ceil(height·dpi/72) pixels,
 * a pHYs chunk for dpi, the same bytes on every run.  Appends to png.
 * Thread-safe: each thread keeps its own fonts (and cairo its glyphs)
 * from one call to the next.  At 120 dpi about 1.5 ms a chart once the
 * thread is warm (docs/BENCH.md). */
gk_status gk_chart_png(const gk_chart *c, double width, double height,
                       double dpi, gk_buf *png, gk_error *err) GK_WARN_UNUSED;

/* Get this thread ready to draw charts at `dpi`: open the chart fonts
 * and rasterise the glyphs most chart labels use (digits, signs and the
 * words of the usual categories) at the label sizes.  Optional: a
 * process that forks a worker per document (gongkai batch) calls it once
 * so every worker starts with them. */
void gk_chart_warm(double dpi);

#endif
