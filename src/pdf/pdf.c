/*
 * The PDF back end: the layout (src/layout) drawn with libharu 2.3.0.
 *
 * What libharu does: the document structure, pages and their resources,
 * font dictionaries and widths, outlines, links, page labels, metadata.
 * What is done here, around 2.3.0's traps (TECH-NOTES §1):
 *  - every font is cut by HarfBuzz's subsetter to the characters drawn
 *    with it, once per document, and embedded as is (libharu loads it
 *    through a memfd, as 2.3.0 cannot load fonts from memory, but its own
 *    re-cut is skipped); this also avoids 2.3.0's composite-glyph bug;
 *  - each font gets compact codes (see build_codes) so libharu never
 *    walks 65,536 code points nor writes a 128 KB CIDToGIDMap per font,
 *    and a correct ToUnicode CMap (2.3.0's is invalid);
 *  - page content streams are written here and deflated at a fast level.
 * The output is deterministic: no clock (dates from the data or
 * SOURCE_DATE_EPOCH), no random tags.
 *
 * This is the only file that includes hpdf.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hpdf.h>
#include <libdeflate.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_version.h>

/* This file reads and writes libharu 2.3.0's own structures (fonts,
 * encoders, streams: see above).  Another version may lay them out
 * differently, and that would corrupt memory rather than fail: stop the
 * build instead, until the code is checked against that version. */
#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#error "src/pdf/pdf.c depends on libharu 2.3.0's internal structures; review it for this libharu version"
#endif

#include "gongkai/chart.h"
#include "gongkai/render.h"
#include "layout/layout.h"
#include "layout/text.h"
#include "util/timing.h"

/* Pages a PDF may have (docs/LIMITS.md). */
#define GK__PDF_MAX_PAGES 10000

typedef struct pdf_ctx {
    HPDF_Doc pdf;
    HPDF_STATUS hpdf_err, hpdf_detail;
    gk__fonts fonts;
    gk__layout L;
    HPDF_Font hfont[GK__MAX_FONTS];
    uint16_t *code[GK__MAX_FONTS];  /* code point -> the font's code */
    uint16_t *uni[GK__MAX_FONTS];   /* code -> code point */
    uint32_t ncodes[GK__MAX_FONTS]; /* one past the last code */
    gk_buf scratch;                 /* a page's content */
    gk_buf zbuf;                    /* deflated bytes */
    struct libdeflate_compressor *deflater;
    HPDF_Page *pages;
    HPDF_Destination *dests;
    gk_chart_geom **geoms;   /* per (page, item) chart, in page order */
    size_t ngeoms;
    const gk_doc *doc;
} pdf_ctx;

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user_data)
{
    pdf_ctx *c = user_data;
    if (!c->hpdf_err) {
        c->hpdf_err = error_no;
        c->hpdf_detail = detail_no;
    }
}

static gk_status hpdf_failed(pdf_ctx *c, const char *what, gk_error *err)
{
    gk_status st = gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL,
                                GK_TR("libharu 出错（%s）：错误码 0x%04X，细节 %u",
                                      "libharu failed (%s): error 0x%04X, detail %u"),
                                what, (unsigned)c->hpdf_err, (unsigned)c->hpdf_detail);
    if (err)
        err->backend_code = (int)c->hpdf_err;
    return st;
}

/* ------------------------------------------------------------------ */
/* Fonts: subset, load, fix ToUnicode. */

/*
 * Codes.  With the UTF-8 encoder, libharu 2.3.0 writes each character's
 * code point as its 2-byte code (CID), looks up all 65,536 codes in the
 * font when it creates the font, and writes a 131 KB CIDToGIDMap per
 * font.  Instead each font gets its own compact codes: the characters
 * drawn with it, numbered from FIRST_CODE in code point order.  Text is
 * handed to libharu as the UTF-8 of those codes; the font is created
 * through the encoder's table path (cid_map / unicode_map filled for the
 * call) so libharu maps each code to the glyph of its real character; the
 * ToUnicode CMap (written here: 2.3.0's own is invalid) maps codes back
 * to the real characters for search and copy.
 */
#define FIRST_CODE 0x21u

static void build_codes(pdf_ctx *c, int fi)
{
    const gk__font *f = &c->fonts.font[fi];
    uint16_t *code = gk_xcalloc(65536, sizeof(uint16_t));
    uint16_t *uni = gk_xcalloc(65536, sizeof(uint16_t));
    uint32_t next = FIRST_CODE;
    for (uint32_t cp = 0; cp < 0xFFFF; cp++)
        if (f->used[cp >> 5] & (1u << (cp & 31))) {
            if (next == 0xD800)
                next = 0xE000; /* no surrogates in UTF-8 */
            code[cp] = (uint16_t)next;
            uni[next] = (uint16_t)cp;
            next++;
        }
    c->code[fi] = code;
    c->uni[fi] = uni;
    c->ncodes[fi] = next;
}

static void write_tounicode(pdf_ctx *c, HPDF_Font font, int fi)
{
    HPDF_Doc pdf = c->pdf;
    HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!s)
        return;
    s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    gk_buf b = GK_BUF_INIT;
    gk_buf_puts(&b,
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    const uint16_t *uni = c->uni[fi];
    uint32_t codes[100];
    int n = 0;
    for (uint32_t k = FIRST_CODE; k <= c->ncodes[fi]; k++) {
        bool have = k < c->ncodes[fi] && uni[k];
        if (have)
            codes[n++] = k;
        if (n == 100 || (!have && k == c->ncodes[fi] && n > 0)) {
            gk_buf_printf(&b, "%d beginbfchar\n", n);
            static const char hex[] = "0123456789ABCDEF";
            for (int q = 0; q < n; q++) {
                unsigned a = codes[q], u = uni[codes[q]];
                char line[14] = {'<', hex[(a >> 12) & 15], hex[(a >> 8) & 15], hex[(a >> 4) & 15],
                                 hex[a & 15], '>', ' ', '<', hex[(u >> 12) & 15],
                                 hex[(u >> 8) & 15], hex[(u >> 4) & 15], hex[u & 15], '>', '\n'};
                gk_buf_put(&b, line, sizeof line);
            }
            gk_buf_puts(&b, "endbfchar\n");
            n = 0;
        }
    }
    gk_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)b.ptr, (HPDF_UINT)b.len);
    gk_buf_release(&b);
    HPDF_Dict_Add((HPDF_Dict)font, "ToUnicode", s);
}

/* Create the font with libharu looking up only this font's codes.  One
 * code past the last is listed too: libharu's loop stops one short. */
static HPDF_Font get_font(pdf_ctx *c, const char *name, int fi)
{
    HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
    if (!enc || !enc->attr)
        return NULL;
    HPDF_CMapEncoderAttr ea = enc->attr;
    uint32_t end = c->ncodes[fi]; /* the sentinel code */
    for (uint32_t k = FIRST_CODE; k <= end; k++) {
        if (k < end && !c->uni[fi][k])
            continue;
        ea->cid_map[k >> 8][k & 0xFF] = (HPDF_UINT16)k;
        ea->unicode_map[k >> 8][k & 0xFF] = k < end ? c->uni[fi][k] : 0xFFFF;
    }
    HPDF_Encoder_ToUnicode_Func utf8_fn = enc->to_unicode_fn;
    enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
    HPDF_Font font = HPDF_GetFont(c->pdf, name, "UTF-8");
    enc->to_unicode_fn = utf8_fn;
    /* libharu keeps the glyphs it saw through the font's cmap while text
     * was drawn; codes are not in the cmap, and the font is already cut
     * to what is drawn: keep every glyph. */
    if (font && font->attr) {
        HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
        HPDF_TTFontDefAttr ta = def ? (HPDF_TTFontDefAttr)def->attr : NULL;
        if (ta && ta->glyph_tbl.flgs)
            memset(ta->glyph_tbl.flgs, 1, ta->num_glyphs);
    }
    for (uint32_t k = FIRST_CODE; k <= end; k++) {
        ea->cid_map[k >> 8][k & 0xFF] = 0;
        ea->unicode_map[k >> 8][k & 0xFF] = 0x25A1;
    }
    return font;
}

/* A file holding `data`, for libharu, which loads fonts only by name:
 * a memfd (read back through /proc/self/fd/N), else an unlinked
 * temporary file. */
static int mem_file(const void *data, size_t len)
{
    int fd = memfd_create("gongkai-font", MFD_CLOEXEC);
    if (fd < 0) {
        char tmpl[] = "/tmp/gongkai-font-XXXXXX";
        fd = mkstemp(tmpl);
        if (fd < 0)
            return -1;
        unlink(tmpl);
    }
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : ENOSPC;
            close(fd);
            errno = e;
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    return fd;
}

/* A stream whose bytes are deflated here: libharu must neither deflate
 * them again nor drop the /Filter entry (it removes /Filter from a
 * stream without its own filter), so the entry is written by the
 * dictionary's write hook. */
static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream stream)
{
    (void)obj;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Deflated with libdeflate (level 6: zlib's level-6 size at zlib's
 * level-1 speed on fonts and page contents, bench/deflate_probe.py). */
static gk_status put_deflated(pdf_ctx *c, HPDF_Dict d, const void *data,
                              size_t len, gk_error *err)
{
    if (!c->deflater)
        c->deflater = libdeflate_alloc_compressor(6);
    if (!c->deflater)
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "libdeflate");
    size_t bound = libdeflate_zlib_compress_bound(c->deflater, len);
    if (bound > c->zbuf.cap) {
        gk_buf_grow(&c->zbuf, bound);
    }
    double t0 = gk_timing_begin();
    size_t zlen = libdeflate_zlib_compress(c->deflater, data, len, c->zbuf.ptr,
                                           c->zbuf.cap);
    gk_timing_end(GK_TIMER_PDF_DEFLATE, t0);
    if (zlen == 0)
        return gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "libdeflate");
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = write_flate_filter;
    HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)c->zbuf.ptr, (HPDF_UINT)zlen);
    return GK_OK;
}

/* The font descriptor, made before libharu would make it at save time,
 * so the embedded font is the HarfBuzz subset itself, deflated here at a
 * fast level (libharu would re-read and re-cut it, and deflate at level
 * 6: most of the time a PDF takes to write). */
static gk_status own_descriptor(pdf_ctx *c, HPDF_Font font, const char *data,
                                size_t len, gk_error *err)
{
    HPDF_Doc pdf = c->pdf;
    HPDF_FontDef def = font->attr ? ((HPDF_FontAttr)font->attr)->fontdef : NULL;
    if (!def || !def->attr || def->descriptor)
        return GK_OK; /* libharu makes it */
    HPDF_TTFontDefAttr ta = def->attr;
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict ff = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!d || !ff || HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return hpdf_failed(c, "FontDescriptor", err);
    gk_status st = put_deflated(c, ff, data, len, err);
    if (st)
        return st;
    HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)len);
    HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    HPDF_Dict_AddName(d, "FontName", ta->base_font);
    HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)def->flags);
    HPDF_Dict_Add(d, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
    HPDF_Dict_AddNumber(d, "ItalicAngle", def->italic_angle);
    HPDF_Dict_AddNumber(d, "Ascent", def->ascent);
    HPDF_Dict_AddNumber(d, "Descent", def->descent);
    HPDF_Dict_AddNumber(d, "CapHeight", def->cap_height ? def->cap_height : def->ascent);
    HPDF_Dict_AddNumber(d, "StemV", def->stemv);
    HPDF_Dict_Add(d, "FontFile2", ff);
    def->descriptor = d;
    return c->hpdf_err ? hpdf_failed(c, "FontDescriptor", err) : GK_OK;
}

static gk_status load_fonts(pdf_ctx *c, gk_error *err)
{
    for (int i = 0; i < c->fonts.nfonts; i++) {
        gk__font *f = &c->fonts.font[i];
        if (!f->used_any)
            continue;
        build_codes(c, i);
        double t0 = gk_timing_begin();
        hb_blob_t *blob = gk__font_subset(f);
        gk_timing_end(GK_TIMER_SUBSET, t0);
        if (!blob)
            return gk_error_set(err, GK_ERR_FONT, f->face->path, 0, 0, NULL, "%s",
                                GK_TR("字体子集化失败", "font subsetting failed"));
        t0 = gk_timing_begin();
        unsigned len;
        const char *data = hb_blob_get_data(blob, &len);
        int fd = mem_file(data, len);
        if (fd < 0) {
            int e = errno;
            hb_blob_destroy(blob);
            return gk_error_set(err, GK_ERR_IO, NULL, 0, 0, NULL, GK_TR("%s：%s", "%s: %s"),
                                GK_TR("无法创建字体临时文件", "cannot create a temporary font file"),
                                strerror(e));
        }
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        const char *name = HPDF_LoadTTFontFromFile(c->pdf, path, HPDF_TRUE);
        close(fd); /* libharu keeps its own FILE */
        if (!name || c->hpdf_err) {
            gk_timing_end(GK_TIMER_HPDF_FONT, t0);
            hb_blob_destroy(blob);
            return gk_error_set(err, GK_ERR_FONT, f->face->path, 0, 0, NULL,
                                GK_TR("libharu 无法载入字体（错误码 0x%04X）",
                                      "libharu cannot load the font (error 0x%04X)"),
                                (unsigned)c->hpdf_err);
        }
        c->hfont[i] = get_font(c, name, i);
        if (!c->hfont[i] || c->hpdf_err) {
            gk_timing_end(GK_TIMER_HPDF_FONT, t0);
            hb_blob_destroy(blob);
            return hpdf_failed(c, "GetFont", err);
        }
        write_tounicode(c, c->hfont[i], i);
        gk_status st = own_descriptor(c, c->hfont[i], data, len, err);
        gk_timing_end(GK_TIMER_HPDF_FONT, t0);
        hb_blob_destroy(blob);
        if (st)
            return st;
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Charts: geometry before the fonts are cut (labels are text). */

static void page_add(gk__page *p, const gk__item *it)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->items = gk_xrealloc(p->items, p->cap * sizeof(*p->items));
    }
    p->items[p->n++] = *it;
}

/* Text on one line at (x, baseline y), aligned within [x, x + w], in
 * colour `color`; items appended to `out`. */
static void add_text(pdf_ctx *c, gk__items *out, gk_font_role role, double size,
                     double x, double y, double w, gk_align al, const char *s,
                     gk_rgb color, gk_src src)
{
    gk__tctx tc = { .fonts = &c->fonts, .arena = &c->L.arena, .src = src };
    gk__tb tb = GK__TB_INIT;
    gk__tb_add(&tc, &tb, s, strlen(s), role, size, 0, false);
    gk__lines lines = { 0 };
    gk__tb_lines(&tb, 1e9, 1e9, &lines);
    size_t before = out->n;
    for (size_t i = 0; i < lines.n; i++)
        gk__tb_emit(&tc, &tb, &lines.v[i], x, w, al, y + (double)i * size * 1.2, out);
    for (size_t i = before; i < out->n; i++)
        out->v[i].color = color;
    free(lines.v);
    gk__tb_release(&tb);
}

static gk_status prepare_charts(pdf_ctx *c, gk_error *err)
{
    gk__layout *L = &c->L;
    size_t nch = 0;
    for (size_t k = 0; k < L->npages; k++)
        for (size_t i = 0; i < L->pages[k].n; i++)
            if (L->pages[k].items[i].kind == GK__IT_CHART)
                nch++;
    c->geoms = gk_xcalloc(nch + 1, sizeof(*c->geoms));
    for (size_t k = 0; k < L->npages; k++) {
        gk__page *p = &L->pages[k];
        for (size_t i = 0; i < p->n; i++) {
            gk__item it = p->items[i];
            if (it.kind != GK__IT_CHART)
                continue;
            const gk_block *blk = it.u.chart;
            gk_chart_geom *g = NULL;
            gk_status st = gk_chart_layout(&blk->u.chart, it.w, it.h, gk__measure,
                                           &c->fonts, &g, err);
            if (st) {
                if (err && !err->file[0] && blk->src.file) {
                    snprintf(err->file, sizeof err->file, "%s", blk->src.file);
                    err->line = blk->src.line;
                }
                return st;
            }
            c->geoms[c->ngeoms++] = g;
            /* The labels go right after the chart, so text extraction
             * reads them where the chart stands. */
            gk__items labels = { 0 };
            for (size_t l = 0; l < g->nlabels; l++) {
                const gk_label *lb = &g->labels[l];
                add_text(c, &labels, lb->font, lb->size_pt, it.x + lb->x, it.y + lb->y,
                         1e6, GK_ALIGN_LEFT, lb->text, lb->color, blk->src);
            }
            for (size_t l = 0; l < labels.n; l++)
                page_add(p, &labels.v[l]);
            if (labels.n) {
                memmove(&p->items[i + 1 + labels.n], &p->items[i + 1],
                        (p->n - labels.n - i - 1) * sizeof(gk__item));
                memcpy(&p->items[i + 1], labels.v, labels.n * sizeof(gk__item));
                i += labels.n;
            }
            free(labels.v);
        }
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Drawing. */

/*
 * Page content is written here rather than through libharu's operator
 * calls: numbers with two decimals (a hundredth of a point), rules of one
 * width stroked as one path, and the stream deflated at a fast level
 * before libharu sees it.  libharu still owns the page, its resources,
 * annotations and the rest of the document.
 */

/* n / 10^dec in decimal without trailing zeros, into p; returns the end. */
static char *fmt_fixed(char *p, long long n, int dec)
{
    long long scale = dec == 3 ? 1000 : 100;
    if (n < 0) {
        *p++ = '-';
        n = -n;
    }
    long long ip = n / scale, fp = n % scale;
    char tmp[24];
    int len = 0;
    do {
        tmp[len++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (len)
        *p++ = tmp[--len];
    if (fp) {
        char d[3];
        for (int k = dec - 1; k >= 0; k--) {
            d[k] = (char)('0' + fp % 10);
            fp /= 10;
        }
        int k = dec;
        while (d[k - 1] == '0')
            k--;
        *p++ = '.';
        for (int i = 0; i < k; i++)
            *p++ = d[i];
    }
    return p;
}

static long long fixed_of(double v, int dec)
{
    return llround(v * (dec == 3 ? 1000.0 : 100.0));
}

/* v rounded to 10^-dec (dec 2 or 3), without trailing zeros. */
static void put_num(gk_buf *b, double v, int dec)
{
    char tmp[40];
    char *e = fmt_fixed(tmp, fixed_of(v, dec), dec);
    gk_buf_put(b, tmp, (size_t)(e - tmp));
}

/* "v0 v1 ... op\n" (at most 6 numbers) in one write. */
static void put_nums(gk_buf *b, int dec, int n, const double *v, const char *op)
{
    char tmp[320];
    char *p = tmp;
    for (int i = 0; i < n && i < 6; i++) {
        p = fmt_fixed(p, fixed_of(v[i], dec), dec);
        *p++ = ' ';
    }
    size_t ol = strlen(op);
    memcpy(p, op, ol);
    p += ol;
    *p++ = '\n';
    gk_buf_put(b, tmp, (size_t)(p - tmp));
}

#define OP(b, dec, op, ...) \
    put_nums((b), (dec), (int)(sizeof((double[]){ __VA_ARGS__ }) / sizeof(double)), \
             (double[]){ __VA_ARGS__ }, (op))

static void put_rgb(gk_buf *b, gk_rgb c, const char *op)
{
    OP(b, 3, op, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

/* Pie slice as Bézier arcs; angles clockwise from 12 o'clock, y up. */
static void wedge_path(gk_buf *b, double cx, double cy, double r, double a0,
                       double a1)
{
    if (a1 < a0) {
        double t = a0;
        a0 = a1;
        a1 = t;
    }
    bool full = a1 - a0 >= 2 * M_PI - 1e-9;
    int segs = (int)ceil((a1 - a0) / (M_PI / 2));
    if (segs < 1)
        segs = 1;
    double step = (a1 - a0) / segs;
    double x0 = cx + r * sin(a0), y0 = cy + r * cos(a0);
    if (full) {
        OP(b, 2, "m", x0, y0);
    } else {
        OP(b, 2, "m", cx, cy);
        OP(b, 2, "l", x0, y0);
    }
    for (int k = 0; k < segs; k++) {
        double t0 = a0 + k * step, t1 = t0 + step;
        double q = 4.0 / 3.0 * tan((t1 - t0) / 4);
        double p0x = cx + r * sin(t0), p0y = cy + r * cos(t0);
        double p3x = cx + r * sin(t1), p3y = cy + r * cos(t1);
        double d0x = r * cos(t0), d0y = -r * sin(t0);
        double d1x = r * cos(t1), d1y = -r * sin(t1);
        OP(b, 2, "c", p0x + q * d0x, p0y + q * d0y, p3x - q * d1x, p3y - q * d1y,
           p3x, p3y);
    }
    gk_buf_puts(b, "h\n");
}

static void draw_chart(gk_buf *b, const gk__page *p, const gk__item *it,
                       const gk_chart_geom *g)
{
    double ph = p->height;
    if (!g)
        return;
    gk_buf_puts(b, "q\n");
    for (size_t i = 0; i < g->nshapes; i++) {
        const gk_shape *s = &g->shapes[i];
        switch (s->kind) {
        case GK_SHAPE_WEDGE:
        case GK_SHAPE_RECT: {
            double ex0, ey0, ex1, ey1; /* extents, chart coordinates */
            if (s->kind == GK_SHAPE_WEDGE) {
                ex0 = s->cx - s->r, ey0 = s->cy - s->r;
                ex1 = s->cx + s->r, ey1 = s->cy + s->r;
            } else {
                ex0 = s->x, ey0 = s->y, ex1 = s->x + s->w, ey1 = s->y + s->h;
            }
            for (int pass = 0; pass < 3; pass++) {
                /* 0: fill; 1: hatch clipped to the shape; 2: outline */
                if ((pass == 1 && !s->hatch) || (pass == 2 && s->stroke_width <= 0))
                    continue;
                if (pass == 0)
                    put_rgb(b, s->fill, "rg");
                if (pass == 1)
                    gk_buf_puts(b, "q\n");
                if (s->kind == GK_SHAPE_WEDGE)
                    wedge_path(b, it->x + s->cx, ph - (it->y + s->cy), s->r, s->a0, s->a1);
                else
                    OP(b, 2, "re", it->x + s->x, ph - (it->y + s->y) - s->h, s->w, s->h);
                if (pass == 0) {
                    gk_buf_puts(b, "f\n");
                } else if (pass == 1) {
                    /* Pattern 1: "/" lines, x + y = k * step (y down). */
                    gk_buf_puts(b, "W n\n");
                    put_rgb(b, s->hatch_color, "RG");
                    OP(b, 2, "w", GK_CHART_HATCH_WIDTH);
                    double step = GK_CHART_HATCH_SPACING * sqrt(2.0);
                    for (double k = floor((ex0 + ey0) / step) * step; k <= ex1 + ey1; k += step) {
                        OP(b, 2, "m", it->x + k - ey1, ph - (it->y + ey1));
                        OP(b, 2, "l", it->x + k - ey0, ph - (it->y + ey0));
                    }
                    gk_buf_puts(b, "S\nQ\n");
                } else {
                    put_rgb(b, s->stroke, "RG");
                    OP(b, 2, "w", s->stroke_width);
                    gk_buf_puts(b, "S\n");
                }
            }
            break;
        }
        case GK_SHAPE_LINE:
            if (s->stroke_width <= 0)
                break;
            put_rgb(b, s->stroke, "RG");
            OP(b, 2, "w", s->stroke_width);
            OP(b, 2, "m", it->x + s->x0, ph - (it->y + s->y0));
            OP(b, 2, "l", it->x + s->x1, ph - (it->y + s->y1));
            gk_buf_puts(b, "S\n");
            break;
        }
    }
    gk_buf_puts(b, "Q\n");
}

/* A rule of the grid: the line `at` (y of a horizontal, x of a vertical
 * one) from a to b, in hundredths of a point. */
typedef struct seg {
    long long at, a, b;
} seg;

static int seg_cmp(const void *x, const void *y)
{
    const seg *s = x, *t = y;
    if (s->at != t->at)
        return s->at < t->at ? -1 : 1;
    if (s->a != t->a)
        return s->a < t->a ? -1 : 1;
    return (s->b > t->b) - (s->b < t->b);
}

/* Sort, merge touching and overlapping pieces of one line, and draw. */
static void put_segs(gk_buf *b, seg *v, size_t n, bool horizontal)
{
    qsort(v, n, sizeof *v, seg_cmp);
    for (size_t i = 0; i < n;) {
        seg cur = v[i++];
        while (i < n && v[i].at == cur.at && v[i].a <= cur.b) {
            if (v[i].b > cur.b)
                cur.b = v[i].b;
            i++;
        }
        char tmp[128];
        char *q = tmp;
        long long x0 = horizontal ? cur.a : cur.at, y0 = horizontal ? cur.at : cur.a;
        long long x1 = horizontal ? cur.b : cur.at, y1 = horizontal ? cur.at : cur.b;
        q = fmt_fixed(q, x0, 2);
        *q++ = ' ';
        q = fmt_fixed(q, y0, 2);
        memcpy(q, " m ", 3);
        q += 3;
        q = fmt_fixed(q, x1, 2);
        *q++ = ' ';
        q = fmt_fixed(q, y1, 2);
        memcpy(q, " l\n", 3);
        q += 3;
        gk_buf_put(b, tmp, (size_t)(q - tmp));
    }
}

/* The stroked rectangles of a page (table cells and their borders) as
 * grid lines: each edge once, the edges along one line joined, so a
 * table is one rule per row and column boundary instead of a rectangle
 * per cell (every inner edge drawn twice).  Projecting caps fill the
 * corners as the rectangles' joins did.  One path per line width. */
static void put_grid(pdf_ctx *c, const gk__page *p, gk_buf *b)
{
    double ph = p->height;
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].kind == GK__IT_RECT && !p->items[i].fill)
            n++;
    if (!n)
        return;
    seg *h = gk_xmalloc(2 * n * sizeof *h), *v = gk_xmalloc(2 * n * sizeof *v);
    bool *done = gk_xcalloc(p->n, sizeof *done);
    gk_buf_puts(b, "q 2 J\n");
    for (size_t first = 0; first < p->n; first++) {
        const gk__item *f = &p->items[first];
        if (f->kind != GK__IT_RECT || f->fill || done[first])
            continue;
        size_t nh = 0, nv = 0;
        for (size_t i = first; i < p->n; i++) {
            const gk__item *it = &p->items[i];
            if (it->kind != GK__IT_RECT || it->fill || done[i] || it->lw != f->lw)
                continue;
            done[i] = true;
            long long x0 = fixed_of(it->x, 2), x1 = fixed_of(it->x + it->w, 2);
            long long y0 = fixed_of(ph - it->y - it->h, 2), y1 = fixed_of(ph - it->y, 2);
            if (x1 < x0) {
                long long t = x0;
                x0 = x1;
                x1 = t;
            }
            if (y1 < y0) {
                long long t = y0;
                y0 = y1;
                y1 = t;
            }
            h[nh++] = (seg){ y0, x0, x1 };
            h[nh++] = (seg){ y1, x0, x1 };
            v[nv++] = (seg){ x0, y0, y1 };
            v[nv++] = (seg){ x1, y0, y1 };
        }
        OP(b, 2, "w", f->lw);
        put_segs(b, h, nh, true);
        put_segs(b, v, nv, false);
        gk_buf_puts(b, "S\n");
    }
    gk_buf_puts(b, "Q\n");
    (void)c;
    free(done);
    free(h);
    free(v);
}

/* A text operand: the 2-byte codes as a literal string (half the bytes
 * of hex), with ( ) \ and line ends escaped. */
static void put_codes(gk_buf *b, const pdf_ctx *c, const gk__text *t)
{
    char tmp[256];
    size_t n = 0;
    tmp[n++] = '(';
    size_t k = 0;
    while (k < t->len) {
        int32_t cp = gk_utf8_next(t->s, t->len, &k);
        uint16_t code = cp >= 0 && cp <= 0xFFFF ? c->code[t->font][cp] : 0;
        if (!code)
            code = FIRST_CODE;
        unsigned char by[2] = { (unsigned char)(code >> 8), (unsigned char)code };
        for (int j = 0; j < 2; j++) {
            unsigned char ch = by[j];
            if (ch == '(' || ch == ')' || ch == '\\') {
                tmp[n++] = '\\';
                tmp[n++] = (char)ch;
            } else if (ch == '\r' || ch == '\n') {
                tmp[n++] = '\\';
                tmp[n++] = ch == '\r' ? 'r' : 'n';
            } else {
                tmp[n++] = (char)ch;
            }
        }
        if (n > sizeof tmp - 8) {
            gk_buf_put(b, tmp, n);
            n = 0;
        }
    }
    tmp[n++] = ')';
    gk_buf_put(b, tmp, n);
}

/* The content of page pi into b. */
static void page_content(pdf_ctx *c, size_t pi, size_t *chart_no, gk_buf *b)
{
    const gk__page *p = &c->L.pages[pi];
    HPDF_Page pg = c->pages[pi];
    double ph = p->height;
    /* Graphics first: grid rules, leaders, charts. */
    put_grid(c, p, b);
    for (size_t i = 0; i < p->n; i++) {
        const gk__item *it = &p->items[i];
        switch (it->kind) {
        case GK__IT_RECT:
            if (it->fill) {
                put_rgb(b, it->color, "rg");
                OP(b, 2, "re", it->x, ph - it->y - it->h, it->w, it->h);
                gk_buf_puts(b, "f\n0 g\n");
            }
            break;
        case GK__IT_LINE:
            OP(b, 2, "w", it->lw);
            OP(b, 2, "m", it->x, ph - it->y);
            OP(b, 2, "l", it->x + it->w, ph - it->y - it->h);
            gk_buf_puts(b, "S\n");
            break;
        case GK__IT_DOTS:
            /* Zero-length dashes with round caps are dots. */
            gk_buf_puts(b, "q 1 J [0 ");
            put_num(b, it->h, 2);
            gk_buf_puts(b, "] 0 d\n");
            OP(b, 2, "w", it->lw);
            OP(b, 2, "m", it->x, ph - it->y);
            OP(b, 2, "l", it->x + it->w, ph - it->y);
            gk_buf_puts(b, "S Q\n");
            break;
        case GK__IT_CHART:
            draw_chart(b, p, it, c->geoms[(*chart_no)++]);
            break;
        default:
            break;
        }
    }
    /* Text in one text object. */
    const char *fname[GK__MAX_FONTS] = { 0 };
    bool in_text = false, bold = false, upright = false;
    long long lx = 0, ly = 0; /* the line start of upright text */
    int font = -1;
    float size = 0, tc = 0;
    double blw = -1;
    gk_rgb color = { 0, 0, 0 };
    for (size_t i = 0; i < p->n; i++) {
        const gk__item *it = &p->items[i];
        if (it->kind != GK__IT_TEXT || it->u.t.len == 0 || it->u.t.font < 0 ||
            !c->hfont[it->u.t.font])
            continue;
        const gk__text *t = &it->u.t;
        if (!in_text) {
            gk_buf_puts(b, "BT\n");
            in_text = true;
        }
        if (t->font != font || t->size != size) {
            if (!fname[t->font])
                fname[t->font] = HPDF_Page_GetLocalFontName(pg, c->hfont[t->font]);
            gk_buf_printf(b, "/%s ", fname[t->font] ? fname[t->font] : "F0");
            OP(b, 2, "Tf", t->size);
            font = t->font;
            size = t->size;
        }
        if (t->tc != tc) {
            OP(b, 3, "Tc", t->tc);
            tc = t->tc;
        }
        if (it->color.r != color.r || it->color.g != color.g || it->color.b != color.b) {
            put_rgb(b, it->color, "rg");
            put_rgb(b, it->color, "RG");
            color = it->color;
        }
        if (t->bold != bold) {
            gk_buf_puts(b, t->bold ? "2 Tr\n" : "0 Tr\n");
            bold = t->bold;
        }
        if (bold && t->size * 0.022 != blw) {
            blw = t->size * 0.022;
            OP(b, 2, "w", blw);
        }
        /* Upright text moves from the previous line start (Td); italic
         * text and the first line of the text object set the matrix. */
        long long X = fixed_of(it->x, 2), Y = fixed_of(ph - it->y, 2);
        char tmp[96];
        char *q = tmp;
        if (t->italic || !upright) {
            memcpy(q, t->italic ? "1 0 0.21 1 " : "1 0 0 1 ", t->italic ? 11 : 8);
            q += t->italic ? 11 : 8;
            q = fmt_fixed(q, X, 2);
            *q++ = ' ';
            q = fmt_fixed(q, Y, 2);
            memcpy(q, " Tm\n", 4);
            q += 4;
        } else {
            q = fmt_fixed(q, X - lx, 2);
            *q++ = ' ';
            q = fmt_fixed(q, Y - ly, 2);
            memcpy(q, " Td\n", 4);
            q += 4;
        }
        gk_buf_put(b, tmp, (size_t)(q - tmp));
        upright = !t->italic;
        lx = X;
        ly = Y;
        put_codes(b, c, t);
        gk_buf_puts(b, " Tj\n");
    }
    if (in_text)
        gk_buf_puts(b, "ET\n");
}

/* Deflate the content into the page's content stream. */
static gk_status draw_page(pdf_ctx *c, size_t pi, size_t *chart_no, gk_error *err)
{
    gk_buf *b = &c->scratch;
    gk_buf_clear(b);
    page_content(c, pi, chart_no, b);
    HPDF_Page pg = c->pages[pi];
    HPDF_PageAttr pa = pg->attr;
    if (!pa || !pa->contents || !pa->stream)
        return hpdf_failed(c, "page", err);
    return put_deflated(c, pa->contents, b->ptr, b->len, err);
}

/* ------------------------------------------------------------------ */
/* Document structure: destinations, links, outline, labels, info. */

static HPDF_Destination dest_of(pdf_ctx *c, int d)
{
    if (d < 0 || (size_t)d >= c->L.ndests || c->L.dests[d].page < 0)
        return NULL;
    if (!c->dests[d]) {
        const gk__dest *gd = &c->L.dests[d];
        const gk__page *p = &c->L.pages[gd->page];
        HPDF_Destination dst = HPDF_Page_CreateDestination(c->pages[gd->page]);
        if (dst)
            HPDF_Destination_SetFitH(dst, (HPDF_REAL)(p->height - gd->y + 6));
        c->dests[d] = dst;
    }
    return c->dests[d];
}

static void add_links(pdf_ctx *c)
{
    for (size_t k = 0; k < c->L.npages; k++) {
        const gk__page *p = &c->L.pages[k];
        for (size_t i = 0; i < p->n; i++) {
            const gk__item *it = &p->items[i];
            if (it->kind != GK__IT_LINK)
                continue;
            HPDF_Destination dst = dest_of(c, it->u.dest);
            if (!dst)
                continue;
            HPDF_Rect r = { (HPDF_REAL)it->x, (HPDF_REAL)(p->height - it->y - it->h),
                            (HPDF_REAL)(it->x + it->w), (HPDF_REAL)(p->height - it->y) };
            HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(c->pages[k], r, dst);
            if (a)
                HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        }
    }
}

static void add_outline(pdf_ctx *c)
{
    if (c->L.noutline == 0)
        return;
    HPDF_Encoder enc = HPDF_GetEncoder(c->pdf, "UTF-8");
    HPDF_Outline parent = NULL;
    for (size_t i = 0; i < c->L.noutline; i++) {
        const gk__outline *o = &c->L.outline[i];
        HPDF_Destination dst = dest_of(c, o->dest);
        if (!dst)
            continue;
        HPDF_Outline node = HPDF_CreateOutline(c->pdf, o->level > 0 ? parent : NULL,
                                               o->title, enc);
        if (!node)
            continue;
        HPDF_Outline_SetDestination(node, dst);
        if (o->level == 0) {
            parent = node;
            HPDF_Outline_SetOpened(node, HPDF_TRUE);
        }
    }
    HPDF_SetPageMode(c->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
}

static bool parse_date(const char *s, HPDF_Date *d)
{
    int y, m, day;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &day) != 3 || y < 1900 ||
        m < 1 || m > 12 || day < 1 || day > 31)
        return false;
    *d = (HPDF_Date){ .year = y, .month = m, .day = day, .ind = 'Z' };
    return true;
}

static void set_info(pdf_ctx *c, const gk_doc *doc, const gk_render_opts *opts)
{
    const gk_doc_info *in = &doc->info;
    if (in->title && *in->title)
        HPDF_SetInfoAttr(c->pdf, HPDF_INFO_TITLE, in->title);
    if (in->author && *in->author)
        HPDF_SetInfoAttr(c->pdf, HPDF_INFO_AUTHOR, in->author);
    if (in->subject && *in->subject)
        HPDF_SetInfoAttr(c->pdf, HPDF_INFO_SUBJECT, in->subject);
    HPDF_SetInfoAttr(c->pdf, HPDF_INFO_CREATOR, "gongkai");
    /* The document's language, for search and screen readers (ASCII). */
    const char *lang = in->lang && *in->lang ? in->lang : "zh-CN";
    bool ascii = true;
    for (const char *p = lang; *p; p++)
        if ((unsigned char)*p >= 0x80 || *p == '(' || *p == ')' || *p == '\\')
            ascii = false;
    if (ascii && c->pdf->catalog)
        HPDF_Dict_Add(c->pdf->catalog, "Lang", HPDF_String_New(c->pdf->mmgr, lang, NULL));
    HPDF_Date d;
    bool have = parse_date(in->date, &d);
    if (!have && opts && opts->source_date_epoch > 0) {
        time_t t = (time_t)opts->source_date_epoch;
        struct tm tm;
        if (gmtime_r(&t, &tm)) {
            d = (HPDF_Date){ .year = tm.tm_year + 1900, .month = tm.tm_mon + 1,
                             .day = tm.tm_mday, .hour = tm.tm_hour,
                             .minutes = tm.tm_min, .seconds = tm.tm_sec, .ind = 'Z' };
            have = true;
        }
    }
    if (have) {
        HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
        HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
    }
}

/* ------------------------------------------------------------------ */

gk_status gk_render_pdf(const gk_doc *doc, const gk_render_opts *opts,
                        gk_buf *out, gk_error *err)
{
    pdf_ctx c = { .doc = doc, .scratch = GK_BUF_INIT, .zbuf = GK_BUF_INIT };
    if (opts && opts->page_map_out)
        *opts->page_map_out = NULL;
    double t0 = gk_timing_begin();
    gk_status st = gk__fonts_init(&c.fonts, gk__layout_roles(doc),
                                  opts ? opts->warnings : NULL, err);
    gk_timing_end(GK_TIMER_FONTS, t0);
    if (st) {
        gk__fonts_release(&c.fonts);
        return st;
    }
    t0 = gk_timing_begin();
    st = gk__layout_doc(doc, &c.fonts, &c.L, err);
    gk_timing_end(GK_TIMER_LAYOUT, t0);
    if (st)
        goto done;
    if (opts && opts->page_map_ready)
        opts->page_map_ready(opts->page_map_ctx, gk__page_map_of(doc, &c.L));
    t0 = gk_timing_begin();
    st = prepare_charts(&c, err);
    gk_timing_end(GK_TIMER_CHART_GEOM, t0);
    if (st)
        goto done;

    c.pdf = HPDF_New(on_hpdf_error, &c);
    if (!c.pdf) {
        st = gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "HPDF_New");
        goto done;
    }
    HPDF_SetCompressionMode(c.pdf, HPDF_COMP_ALL); /* before any font */
    HPDF_UseUTFEncodings(c.pdf);
    HPDF_SetCurrentEncoder(c.pdf, "UTF-8");
    if (c.hpdf_err) {
        st = hpdf_failed(&c, "UTF-8", err);
        goto done;
    }
    st = load_fonts(&c, err);
    if (st)
        goto done;

    /* libharu keeps every page in one page tree node (at most 32,767
     * kids); well before that, a report this long is a template or data
     * mistake: refuse it with the count instead of libharu's error code. */
    if (c.L.npages > GK__PDF_MAX_PAGES) {
        st = gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                          GK_TR("PDF 排版结果有 %zu 页，超过 %d 页的上限",
                                "the PDF lays out to %zu pages, more than the limit of %d"),
                          c.L.npages, GK__PDF_MAX_PAGES);
        goto done;
    }
    t0 = gk_timing_begin();
    c.pages = gk_xcalloc(c.L.npages, sizeof(HPDF_Page));
    c.dests = gk_xcalloc(c.L.ndests + 1, sizeof(HPDF_Destination));
    for (size_t k = 0; k < c.L.npages; k++) {
        c.pages[k] = HPDF_AddPage(c.pdf);
        if (!c.pages[k])
            break;
        HPDF_Page_SetWidth(c.pages[k], (HPDF_REAL)c.L.pages[k].width);
        HPDF_Page_SetHeight(c.pages[k], (HPDF_REAL)c.L.pages[k].height);
    }
    if (c.hpdf_err) {
        gk_timing_end(GK_TIMER_PDF_DRAW, t0);
        st = hpdf_failed(&c, "AddPage", err);
        goto done;
    }
    size_t chart_no = 0;
    for (size_t k = 0; k < c.L.npages && !st; k++)
        st = draw_page(&c, k, &chart_no, err);
    if (st) {
        gk_timing_end(GK_TIMER_PDF_DRAW, t0);
        goto done;
    }
    if (c.hpdf_err) {
        gk_timing_end(GK_TIMER_PDF_DRAW, t0);
        st = hpdf_failed(&c, GK_TR("绘制页面", "drawing pages"), err);
        goto done;
    }
    add_links(&c);
    add_outline(&c);
    if (c.L.title_pages > 0) {
        HPDF_AddPageLabel(c.pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
        if ((size_t)c.L.title_pages < c.L.npages)
            HPDF_AddPageLabel(c.pdf, (HPDF_UINT)c.L.title_pages,
                              HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
    }
    set_info(&c, doc, opts);
    gk_timing_end(GK_TIMER_PDF_DRAW, t0);
    if (c.hpdf_err) {
        st = hpdf_failed(&c, GK_TR("文档结构", "document structure"), err);
        goto done;
    }
    t0 = gk_timing_begin();
    if (HPDF_SaveToStream(c.pdf) != HPDF_OK || c.hpdf_err) {
        gk_timing_end(GK_TIMER_PDF_SAVE, t0);
        st = hpdf_failed(&c, "SaveToStream", err);
        goto done;
    }
    HPDF_UINT32 size = HPDF_GetStreamSize(c.pdf);
    gk_buf_grow(out, size);
    HPDF_UINT32 got = size;
    (void)HPDF_ReadFromStream(c.pdf, (HPDF_BYTE *)out->ptr + out->len, &got);
    gk_timing_end(GK_TIMER_PDF_SAVE, t0);
    if (got != size) {
        st = hpdf_failed(&c, "ReadFromStream", err);
        goto done;
    }
    out->len += got;
    out->ptr[out->len] = '\0';
    if (opts && opts->page_map_out)
        *opts->page_map_out = gk__page_map_of(doc, &c.L);
done:
    if (c.pdf)
        HPDF_Free(c.pdf);
    if (c.geoms) {
        for (size_t i = 0; i < c.ngeoms; i++)
            if (c.geoms[i])
                gk_chart_geom_free(c.geoms[i]);
        free(c.geoms);
    }
    free(c.pages);
    free(c.dests);
    for (int i = 0; i < GK__MAX_FONTS; i++) {
        free(c.code[i]);
        free(c.uni[i]);
    }
    gk_buf_release(&c.scratch);
    gk_buf_release(&c.zbuf);
    if (c.deflater)
        libdeflate_free_compressor(c.deflater);
    gk__layout_release(&c.L);
    gk__fonts_release(&c.fonts);
    return st;
}
