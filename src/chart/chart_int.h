/*
 * gongkai — chart internals shared by geom.c, font.c and png.c (and the
 * chart tests).  Not part of the public API.
 */
#ifndef GONGKAI_CHART_INT_H
#define GONGKAI_CHART_INT_H

#include "gongkai/chart.h"

/* The built-in width estimate used when no measure callback is given:
 * CJK and full-width characters 1 em, ASCII about 0.55 em.  It errs on
 * the wide side so a chart sized with it fits real fonts. */
double gk__chart_estimate(void *ctx, gk_font_role font, double size_pt,
                          const char *text);

/* Font faces for chart rendering (FreeType faces, never shared between
 * threads).  gk__chart_fonts_open() resolves
 * every role through fonts/fontmap.conf under gk_share_dir() (falling
 * back to the Debian CJK fonts) and loads the faces; the caller closes
 * it with gk__chart_fonts_close().  cairo may keep a face alive in its
 * caches after the close: each FT_Face (and the FT_Library under it) is
 * released only when cairo drops the last reference. */
typedef struct gk__chart_fonts gk__chart_fonts;

gk_status gk__chart_fonts_open(gk__chart_fonts **out, gk_error *err)
    GK_WARN_UNUSED;
void gk__chart_fonts_close(gk__chart_fonts *f);
/* This thread's set, opened on first use and kept until the thread ends
 * (borrowed: never close it).  Used by gk_chart_png so that glyphs
 * rasterised for one chart are reused by the next. */
gk_status gk__chart_fonts_thread(gk__chart_fonts **out, gk_error *err)
    GK_WARN_UNUSED;
/* A gk_text_measure_fn over the faces (ctx = the gk__chart_fonts). */
double gk__chart_fonts_measure(void *ctx, gk_font_role font, double size_pt,
                               const char *text);
/* The file serving a role, for messages and tests ("" when none); r is
 * a gk_font_role, or GK_FONT_ROLE_COUNT for 西文 and GK_FONT_ROLE_COUNT + 1
 * for 西文黑体 (the faces of ASCII text, as in the PDF). */
const char *gk__chart_fonts_file(const gk__chart_fonts *f, int r);

/* One positioned glyph of a label: face slot, glyph id, x offset in
 * points from the label's start. */
typedef struct gk__chart_glyph {
    int face;
    unsigned long gid;
    double x;
} gk__chart_glyph;

/* Map UTF-8 text to glyphs (with per-character fallback to another face
 * when the role's font lacks a character).  Returns the number of glyphs
 * written (at most cap) and the advance width in *width. */
size_t gk__chart_fonts_shape(gk__chart_fonts *f, gk_font_role font,
                             double size_pt, const char *text,
                             gk__chart_glyph *out, size_t cap, double *width);

/* The cairo font face of a face slot (borrowed). */
struct _cairo_font_face *gk__chart_fonts_cairo(gk__chart_fonts *f, int face);

/* Draw a geometry into RGB pixels (cairo RGB24, white background) of
 * round(width * dpi / 72) x round(height * dpi / 72), then encode it as
 * an RGB PNG with a pHYs chunk for dpi.  Appends to png. */
gk_status gk__chart_render_png(const gk_chart_geom *g, gk__chart_fonts *f,
                               double dpi, gk_buf *png, gk_error *err)
    GK_WARN_UNUSED;

/* The zlib stream (RFC 1950) of n bytes of PNG rows (rowlen bytes each,
 * filter byte included), for pictures like charts: matches only with the
 * pixel to the left and the one above, one block with its own Huffman
 * codes (pngz.c).  tok: scratch of n uint32_t.  Returns the bytes written
 * to out, or 0 when cap is too small (2 * n + 1024 always suffices). */
size_t gk__png_deflate(const unsigned char *in, size_t n, size_t rowlen,
                       unsigned char *out, size_t cap, uint32_t *tok);

/* Palette (ordered so that neighbours differ clearly in grey). */
#define GK__CHART_NPAL 8
extern const gk_rgb gk__chart_palette[GK__CHART_NPAL];
/* Grey value 0..255 of a colour (ITU-R BT.601 luma, as greyscale
 * printing and most converters use). */
double gk__chart_luma(gk_rgb c);

#endif
