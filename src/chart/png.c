/*
 * Charts drawn by cairo into an opaque RGB PNG (for the DOCX).
 *
 * The geometry is computed with the same glyph advances that draw the
 * text (FreeType through gk__chart_fonts), and glyphs are placed by us
 * with cairo_show_glyphs, so a label is exactly as wide as its box.
 * The PNG is encoded here rather than by cairo (libpng at zlib level 6
 * took twice as long for 10 % less): rows unfiltered, deflated by our
 * own chart-shaped compressor (pngz.c).  gk_chart_png keeps per thread what can be
 * kept between charts: the font faces (so cairo's glyph cache works
 * across charts and documents), the pixel and row buffers, the
 * compressor.  A pHYs chunk records the resolution.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-ft.h>
#include <cairo.h>
#include <libdeflate.h>

#include "chart/chart_int.h"
#include "util/timing.h"

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

/* Per-thread scratch kept between charts: the pixels, the filtered rows
 * handed to deflate, and the compressor.  Reusing them saves the page
 * faults of fresh megabyte buffers on every chart.  Freed when a thread
 * other than the main one ends; the thread-local pointer keeps the main
 * thread's set visible to leak checkers. */
typedef struct png_scratch {
    unsigned char *px, *raw, *z;
    uint32_t *tok;
    size_t pxcap, rawcap, zcap, tokcap;
    struct libdeflate_compressor *ld; /* for pictures too big for pngz.c */
} png_scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static _Thread_local png_scratch *thread_scratch;

static void scratch_destroy(void *p)
{
    png_scratch *s = p;
    free(s->px);
    free(s->raw);
    free(s->z);
    free(s->tok);
    if (s->ld)
        libdeflate_free_compressor(s->ld);
    free(s);
    thread_scratch = NULL;
}

static void scratch_key_make(void)
{
    (void)pthread_key_create(&scratch_key, scratch_destroy);
}

static png_scratch *scratch(void)
{
    if (!thread_scratch) {
        pthread_once(&scratch_once, scratch_key_make);
        thread_scratch = gk_xcalloc(1, sizeof *thread_scratch);
        (void)pthread_setspecific(scratch_key, thread_scratch);
    }
    return thread_scratch;
}

static unsigned char *scratch_get(unsigned char **p, size_t *cap, size_t n)
{
    if (*cap < n) {
        free(*p);
        *p = gk_xmalloc(n);
        *cap = n;
    }
    return *p;
}

/* Buffers larger than this (a chart of several thousand pixels a side)
 * are not kept after the chart. */
#define KEEP_MAX ((size_t)16 << 20)

static void trim1(void **p, size_t *cap)
{
    if (*cap > KEEP_MAX) {
        free(*p);
        *p = NULL;
        *cap = 0;
    }
}

static void scratch_trim(png_scratch *s)
{
    trim1((void **)&s->px, &s->pxcap);
    trim1((void **)&s->raw, &s->rawcap);
    trim1((void **)&s->z, &s->zcap);
    trim1((void **)&s->tok, &s->tokcap);
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* A chunk whose data is already at out->ptr + at (len bytes): write the
 * length and type before it (room was left) and the CRC after it. */
static void chunk_close(gk_buf *out, size_t at, const char *type, size_t len)
{
    unsigned char *p = (unsigned char *)out->ptr + at - 8;
    put32(p, (uint32_t)len);
    memcpy(p + 4, type, 4);
    uint32_t crc = libdeflate_crc32(0, p + 4, 4 + len);
    unsigned char c[4];
    put32(c, crc);
    out->len = at + len;
    gk_buf_put(out, c, 4);
}

static void chunk(gk_buf *out, const char *type, const unsigned char *data,
                  size_t len)
{
    gk_buf_grow(out, 8 + len + 4);
    out->len += 8;
    size_t at = out->len;
    if (len)
        memcpy(out->ptr + at, data, len);
    chunk_close(out, at, type, len);
}

/* RGB24 pixels (cairo: 0x00RRGGBB per native-endian word) -> an RGB PNG
 * with no row filter (on these pictures Sub and Up only made the data
 * less repetitive), deflated by gk__png_deflate (pngz.c: 3.5 times
 * faster than libdeflate level 1 on our charts for 20 % more bytes);
 * pictures of more than PNGZ_MAX bytes of rows go to libdeflate level 1,
 * whose memory does not grow with the picture. */
#define PNGZ_MAX ((size_t)24 << 20)

static gk_status encode_png(const unsigned char *px, int w, int h, int stride,
                            double dpi, gk_buf *out, gk_error *err)
{
    png_scratch *sc = scratch();
    size_t rowlen = 1 + 3 * (size_t)w, n = rowlen * (size_t)h;
    /* +1: each pixel is stored as 4 bytes, the 4th overwritten next. */
    unsigned char *raw = scratch_get(&sc->raw, &sc->rawcap, n + 1);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
        unsigned char *dst = raw + (size_t)y * rowlen;
        dst[0] = 0; /* filter None */
        dst++;
        for (int x = 0; x < w; x++, dst += 3) {
            uint32_t v = row[x];
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* R, G, B in memory order as one 4-byte store (the 4th byte
             * is overwritten by the next pixel, or the next row's filter
             * byte, or lands in the spare byte at the end). */
            uint32_t rgb = ((v >> 16) & 0xFF) | (v & 0xFF00) | ((v & 0xFF) << 16);
            memcpy(dst, &rgb, 4);
#else
            dst[0] = (unsigned char)(v >> 16);
            dst[1] = (unsigned char)(v >> 8);
            dst[2] = (unsigned char)v;
#endif
        }
    }
    size_t zlen = 0;
    if (n <= PNGZ_MAX) {
        size_t cap = 2 * n + 1024;
        unsigned char *z = scratch_get(&sc->z, &sc->zcap, cap);
        uint32_t *tok = (uint32_t *)(void *)scratch_get((unsigned char **)&sc->tok,
                                                        &sc->tokcap, n * sizeof(uint32_t));
        zlen = gk__png_deflate(raw, n, rowlen, z, cap, tok);
    } else {
        if (!sc->ld && !(sc->ld = libdeflate_alloc_compressor(1)))
            return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "libdeflate");
        size_t cap = libdeflate_zlib_compress_bound(sc->ld, n);
        unsigned char *z = scratch_get(&sc->z, &sc->zcap, cap);
        zlen = libdeflate_zlib_compress(sc->ld, raw, n, z, cap);
    }
    if (zlen == 0)
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "deflate");

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
    chunk(out, "IDAT", sc->z, zlen);
    chunk(out, "IEND", NULL, 0);
    return GK_OK;
}

/* A white page scaled to points, with the chart's font options (cairo
 * keys its glyph cache by them: the warm-up must use the same). */
static cairo_t *start_drawing(cairo_surface_t *surf, double scale)
{
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
    return cr;
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
    double t0 = gk_timing_begin();
    int w = (int)pw, h = (int)ph;
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
    png_scratch *sc = scratch();
    unsigned char *px = stride > 0 ? scratch_get(&sc->px, &sc->pxcap,
                                                 (size_t)stride * (size_t)h)
                                    : NULL;
    cairo_surface_t *surf = cairo_image_surface_create_for_data(
        px, CAIRO_FORMAT_RGB24, w, h, stride);
    cairo_status_t ss = cairo_surface_status(surf);
    if (ss != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "cairo: %s",
                            cairo_status_to_string(ss));
    }
    cairo_t *cr = start_drawing(surf, scale);

    for (size_t i = 0; i < g->nshapes; i++)
        draw_shape(cr, &g->shapes[i]);
    for (size_t i = 0; i < g->nlabels; i++)
        draw_label(cr, f, &g->labels[i]);

    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    cairo_surface_destroy(surf); /* the pixels stay in the scratch */
    gk_timing_end(GK_TIMER_PNG_DRAW, t0);
    if (cs != CAIRO_STATUS_SUCCESS) {
        scratch_trim(sc);
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "cairo: %s",
                            cairo_status_to_string(cs));
    }
    t0 = gk_timing_begin();
    gk_status st = encode_png(px, w, h, stride, dpi, png, err);
    scratch_trim(sc);
    gk_timing_end(GK_TIMER_PNG_ENCODE, t0);
    return st;
}

gk_status gk_chart_png(const gk_chart *c, double width, double height,
                       double dpi, gk_buf *png, gk_error *err)
{
    double t0 = gk_timing_begin();
    gk__chart_fonts *f;
    gk_status st = gk__chart_fonts_thread(&f, err);
    if (st == GK_OK) {
        gk_chart_geom *g = NULL;
        st = gk_chart_layout(c, width, height, gk__chart_fonts_measure, f, &g, err);
        if (st == GK_OK)
            st = gk__chart_render_png(g, f, dpi, png, err);
        gk_chart_geom_free(g);
    }
    gk_timing_end(GK_TIMER_CHART_PNG, t0);
    return st;
}

/* Characters of most chart labels: digits and signs of the values, the
 * years and units, and the words of the usual categories (income and
 * expenditure kinds, the 类 of the function classification). */
static const char *const warm_text[] = {
    "0123456789.,-%()（）：:，、",
    "年度万元亿千百占比上年本年预算决算合计小计其他",
    "收入支出基本项目人员公用经费财政拨款一般公共政府性基金国有资本经营",
    "事业上级补助附属单位上缴结转结余用于服务外交国防安全教育科学技术",
    "文化旅游体育与传媒社会保障和就业卫生健康节能环保城乡社区农林水",
    "交通运输资源勘探工业信息商业金融援助地区自然海洋气象住房粮油物资",
    "储备灾害防治应急管理债务付息发行费用三公车购置及运行维护出国境接待",
};

void gk_chart_warm(double dpi)
{
    gk__chart_fonts *f;
    gk_error err;
    if (!(dpi > 0) || dpi > 1200 || gk__chart_fonts_thread(&f, &err) != GK_OK)
        return;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 64, 64);
    if (cairo_surface_status(surf) == CAIRO_STATUS_SUCCESS) {
        cairo_t *cr = start_drawing(surf, dpi / 72.0);
        /* The sizes the chart layout picks from (geom.c), largest first. */
        static const double sizes[] = {9, 8.5, 8, 7.5, 7};
        /* One character at a time inside the page: cairo skips (and does
         * not rasterise) glyphs that fall outside it. */
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
            for (size_t t = 0; t < sizeof warm_text / sizeof warm_text[0]; t++) {
                const char *s = warm_text[t];
                size_t len = strlen(s), i = 0;
                while (i < len) {
                    size_t at = i;
                    (void)gk_utf8_next(s, len, &i);
                    if (i == at)
                        break;
                    char one[8];
                    size_t n = i - at < sizeof one ? i - at : sizeof one - 1;
                    memcpy(one, s + at, n);
                    one[n] = '\0';
                    gk_label l = {.text = one, .x = 4, .y = 20, .size_pt = sizes[k],
                                  .font = GK_FONT_HEI};
                    draw_label(cr, f, &l);
                }
            }
        cairo_destroy(cr);
    }
    cairo_surface_destroy(surf);
}
