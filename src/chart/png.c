/*
 * Charts drawn by cairo into an opaque RGB PNG (for the DOCX).
 *
 * The geometry is computed with the same glyph advances that draw the
 * text (FreeType through gk__chart_fonts), and glyphs are placed by us
 * with cairo_show_glyphs, so a label is exactly as wide as its box.
 * The PNG is encoded here with zlib rather than by cairo, because PNG
 * encoding is most of a chart's cost (TECH-NOTES §6): measured on the
 * 12-slice pie at 200 dpi (1182 x 650 px), deflate level 1 without row
 * filters takes about 10 ms for 120 KB, where level 6 (cairo's, through
 * libpng) takes 23 ms for 106 KB and filter "Up" only made the file
 * bigger.  A pHYs chunk records the resolution.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-ft.h>
#include <cairo.h>
#include <zlib.h>

#include "chart/chart_int.h"

#define PI 3.14159265358979323846
#define MAX_PIXELS 8000 /* per side */

static void set_rgb(cairo_t *cr, gk_rgb c)
{
    cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

static void shape_path(cairo_t *cr, const gk_shape *s)
{
    cairo_new_path(cr);
    if (s->kind == GK_SHAPE_RECT) {
        cairo_rectangle(cr, s->x, s->y, s->w, s->h);
    } else if (s->a1 - s->a0 >= 2 * PI - 1e-9) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, s->cx, s->cy, s->r, 0, 2 * PI);
        cairo_close_path(cr);
    } else {
        cairo_move_to(cr, s->cx, s->cy);
        cairo_arc(cr, s->cx, s->cy, s->r, s->a0 - PI / 2, s->a1 - PI / 2);
        cairo_close_path(cr);
    }
}

/* Hatch 1: lines x + y = k * step, clipped to the current path. */
static void draw_hatch(cairo_t *cr, const gk_shape *s)
{
    double x0, y0, x1, y1;
    cairo_save(cr);
    cairo_clip_preserve(cr);
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_new_path(cr);
    double step = GK_CHART_HATCH_SPACING * sqrt(2.0);
    for (double c = floor((x0 + y0) / step) * step; c <= x1 + y1; c += step) {
        cairo_move_to(cr, c - y1, y1);
        cairo_line_to(cr, c - y0, y0);
    }
    set_rgb(cr, s->hatch_color);
    cairo_set_line_width(cr, GK_CHART_HATCH_WIDTH);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void draw_shape(cairo_t *cr, const gk_shape *s)
{
    if (s->kind == GK_SHAPE_LINE) {
        if (s->stroke_width <= 0)
            return;
        cairo_new_path(cr);
        cairo_move_to(cr, s->x0, s->y0);
        cairo_line_to(cr, s->x1, s->y1);
        set_rgb(cr, s->stroke);
        cairo_set_line_width(cr, s->stroke_width);
        cairo_stroke(cr);
        return;
    }
    shape_path(cr, s);
    set_rgb(cr, s->fill);
    cairo_fill_preserve(cr);
    if (s->hatch)
        draw_hatch(cr, s);
    if (s->stroke_width > 0) {
        set_rgb(cr, s->stroke);
        cairo_set_line_width(cr, s->stroke_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
}

static void draw_label(cairo_t *cr, gk__chart_fonts *f, const gk_label *l)
{
    size_t cap = strlen(l->text) + 1;
    gk__chart_glyph *g = gk_xmalloc(cap * sizeof *g);
    cairo_glyph_t *cg = gk_xmalloc(cap * sizeof *cg);
    size_t n = gk__chart_fonts_shape(f, l->font, l->size_pt, l->text, g, cap, NULL);
    set_rgb(cr, l->color);
    cairo_set_font_size(cr, l->size_pt);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && g[j].face == g[i].face) {
            cg[j - i].index = g[j].gid;
            cg[j - i].x = l->x + g[j].x;
            cg[j - i].y = l->y;
            j++;
        }
        cairo_font_face_t *ff = gk__chart_fonts_cairo(f, g[i].face);
        if (ff) {
            cairo_set_font_face(cr, ff);
            cairo_show_glyphs(cr, cg, (int)(j - i));
        }
        i = j;
    }
    free(g);
    free(cg);
}

/* ---------------- PNG ---------------- */

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void chunk(gk_buf *out, const char *type, const unsigned char *data,
                  size_t len)
{
    unsigned char hdr[8];
    put32(hdr, (uint32_t)len);
    memcpy(hdr + 4, type, 4);
    gk_buf_put(out, hdr, 8);
    if (len)
        gk_buf_put(out, data, len);
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    if (len)
        crc = crc32(crc, data, (uInt)len);
    unsigned char c[4];
    put32(c, (uint32_t)crc);
    gk_buf_put(out, c, 4);
}

/* RGB24 surface -> PNG, no row filter, fast deflate. */
static gk_status encode_png(cairo_surface_t *surf, double dpi, gk_buf *out,
                            gk_error *err)
{
    cairo_surface_flush(surf);
    int w = cairo_image_surface_get_width(surf);
    int h = cairo_image_surface_get_height(surf);
    int stride = cairo_image_surface_get_stride(surf);
    const unsigned char *px = cairo_image_surface_get_data(surf);
    size_t rowlen = 1 + 3 * (size_t)w;
    unsigned char *raw = gk_xmalloc(rowlen * (size_t)h);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(px + (size_t)y * stride);
        unsigned char *dst = raw + (size_t)y * rowlen;
        dst[0] = 0; /* filter None */
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];
            dst[1 + 3 * x] = (unsigned char)(v >> 16);
            dst[2 + 3 * x] = (unsigned char)(v >> 8);
            dst[3 + 3 * x] = (unsigned char)v;
        }
    }

    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 1, Z_DEFLATED, 15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(raw);
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "zlib");
    }
    uLong bound = deflateBound(&zs, (uLong)(rowlen * (size_t)h));
    unsigned char *z = gk_xmalloc(bound);
    zs.next_in = raw;
    zs.avail_in = (uInt)(rowlen * (size_t)h);
    zs.next_out = z;
    zs.avail_out = (uInt)bound;
    int zr = deflate(&zs, Z_FINISH);
    size_t zlen = zs.total_out;
    deflateEnd(&zs);
    free(raw);
    if (zr != Z_STREAM_END) {
        free(z);
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "zlib deflate");
    }

    static const unsigned char sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    gk_buf_put(out, sig, 8);
    unsigned char ihdr[13];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filters */
    ihdr[12] = 0; /* no interlace */
    chunk(out, "IHDR", ihdr, 13);
    unsigned char phys[9];
    uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
    put32(phys, ppm);
    put32(phys + 4, ppm);
    phys[8] = 1; /* metre */
    chunk(out, "pHYs", phys, 9);
    chunk(out, "IDAT", z, zlen);
    chunk(out, "IEND", NULL, 0);
    free(z);
    return GK_OK;
}

gk_status gk__chart_render_png(const gk_chart_geom *g, gk__chart_fonts *f,
                               double dpi, gk_buf *png, gk_error *err)
{
    double scale = dpi / 72.0;
    double pw = ceil(g->width * scale - 1e-6), ph = ceil(g->height * scale - 1e-6);
    if (!(dpi > 0) || !(pw >= 1 && ph >= 1) || pw > MAX_PIXELS || ph > MAX_PIXELS)
        return gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                            GK_TR("图表图片尺寸无效：%.0f×%.0f 像素（%.0f dpi）",
                                  "bad chart picture size: %.0f x %.0f pixels "
                                  "(%.0f dpi)"),
                            pw, ph, dpi);
    cairo_surface_t *surf =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw, (int)ph);
    cairo_status_t ss = cairo_surface_status(surf);
    if (ss != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "cairo: %s",
                            cairo_status_to_string(ss));
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_SLIGHT);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);

    for (size_t i = 0; i < g->nshapes; i++)
        draw_shape(cr, &g->shapes[i]);
    for (size_t i = 0; i < g->nlabels; i++)
        draw_label(cr, f, &g->labels[i]);

    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    gk_status st;
    if (cs != CAIRO_STATUS_SUCCESS)
        st = gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "cairo: %s",
                          cairo_status_to_string(cs));
    else
        st = encode_png(surf, dpi, png, err);
    cairo_surface_destroy(surf);
    return st;
}

gk_status gk_chart_png(const gk_chart *c, double width, double height,
                       double dpi, gk_buf *png, gk_error *err)
{
    gk__chart_fonts *f;
    gk_status st = gk__chart_fonts_open(&f, err);
    if (st)
        return st;
    gk_chart_geom *g = NULL;
    st = gk_chart_layout(c, width, height, gk__chart_fonts_measure, f, &g, err);
    if (st == GK_OK)
        st = gk__chart_render_png(g, f, dpi, png, err);
    gk_chart_geom_free(g);
    gk__chart_fonts_close(f);
    return st;
}
