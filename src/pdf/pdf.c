/*
 * The PDF back end: layout (src/layout) drawn with libharu 2.3.0.
 *
 * Fonts are cut down by HarfBuzz's subsetter to the characters the
 * document draws, once per document, and handed to libharu through a
 * memfd (2.3.0 cannot load fonts from memory).  This keeps files small
 * and avoids 2.3.0's composite-glyph bug.  libharu's invalid ToUnicode
 * CMap is replaced by a correct one so text extraction is exact.
 * The output is deterministic: no clock, no random tags.
 *
 * This is the only file that includes hpdf.h.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "gongkai/chart.h"
#include "gongkai/render.h"
#include "layout/layout.h"
#include "layout/text.h"


typedef struct pdf_ctx {
    HPDF_Doc pdf;
    HPDF_STATUS hpdf_err, hpdf_detail;
    gk__fonts fonts;
    gk__layout L;
    HPDF_Font hfont[GK__MAX_FONTS];
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

static const hb_tag_t keep_tables[] = {
    HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
    HB_TAG('m', 'a', 'x', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('O', 'S', '/', '2'),
    HB_TAG('p', 'o', 's', 't'),
};

static hb_blob_t *subset_font(gk__font *f)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (uint32_t w = 0; w < 65536 / 32; w++) {
        uint32_t bits = f->used[w];
        while (bits) {
            int b = __builtin_ctz(bits);
            hb_set_add(u, w * 32 + (uint32_t)b);
            bits &= bits - 1;
        }
    }
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned start = 0, count;
    do {
        count = 64;
        unsigned total = hb_face_get_table_tags(f->face->face, start, &count, tags);
        for (unsigned i = 0; i < count; i++) {
            bool keep = false;
            for (size_t k = 0; k < sizeof keep_tables / sizeof keep_tables[0]; k++)
                if (tags[i] == keep_tables[k])
                    keep = true;
            if (!keep)
                hb_set_add(drop, tags[i]);
        }
        start += count;
        if (start >= total)
            break;
    } while (count == 64);
    hb_face_t *sub = hb_subset_or_fail(f->face->face, in);
    hb_subset_input_destroy(in);
    if (!sub)
        return NULL;
    hb_blob_t *blob = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    return blob;
}

/* libharu 2.3.0 writes `begincidrange` into ToUnicode, which is not valid
 * there; replace it with bfrange lines (CID = Unicode in UTF-8 mode). */
static void fix_tounicode(pdf_ctx *c, HPDF_Font font, const gk__font *f)
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
    int hi[256], nhi = 0;
    for (int h = 0; h < 256; h++) {
        if (h >= 0xD8 && h <= 0xDF)
            continue;
        bool any = false;
        for (int w = h * 8; w < h * 8 + 8; w++)
            if (f->used[w])
                any = true;
        if (any)
            hi[nhi++] = h;
    }
    for (int i = 0; i < nhi; i += 100) {
        int n = nhi - i < 100 ? nhi - i : 100;
        gk_buf_printf(&b, "%d beginbfrange\n", n);
        for (int k = i; k < i + n; k++)
            gk_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi[k], hi[k], hi[k]);
        gk_buf_puts(&b, "endbfrange\n");
    }
    gk_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)b.ptr, (HPDF_UINT)b.len);
    gk_buf_release(&b);
    HPDF_Dict_Add((HPDF_Dict)font, "ToUnicode", s);
}

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
        if (w <= 0) {
            close(fd);
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    return fd;
}

static gk_status load_fonts(pdf_ctx *c, gk_error *err)
{
    for (int i = 0; i < c->fonts.nfonts; i++) {
        gk__font *f = &c->fonts.font[i];
        if (!f->used_any)
            continue;
        hb_blob_t *blob = subset_font(f);
        if (!blob)
            return gk_error_set(err, GK_ERR_FONT, f->face->path, 0, 0, NULL, "%s",
                                GK_TR("字体子集化失败", "font subsetting failed"));
        unsigned len;
        const char *data = hb_blob_get_data(blob, &len);
        int fd = mem_file(data, len);
        hb_blob_destroy(blob);
        if (fd < 0)
            return gk_error_set(err, GK_ERR_IO, NULL, 0, 0, NULL, "%s",
                                GK_TR("无法创建字体临时文件", "cannot create a temporary font file"));
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        const char *name = HPDF_LoadTTFontFromFile(c->pdf, path, HPDF_TRUE);
        close(fd); /* libharu keeps its own FILE */
        if (!name || c->hpdf_err)
            return gk_error_set(err, GK_ERR_FONT, f->face->path, 0, 0, NULL,
                                GK_TR("libharu 无法载入字体（错误码 0x%04X）",
                                      "libharu cannot load the font (error 0x%04X)"),
                                (unsigned)c->hpdf_err);
        c->hfont[i] = HPDF_GetFont(c->pdf, name, "UTF-8");
        if (!c->hfont[i] || c->hpdf_err)
            return hpdf_failed(c, "GetFont", err);
        fix_tounicode(c, c->hfont[i], f);
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

static void set_rgb_fill(HPDF_Page pg, gk_rgb c)
{
    HPDF_Page_SetRGBFill(pg, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
}

static void set_rgb_stroke(HPDF_Page pg, gk_rgb c)
{
    HPDF_Page_SetRGBStroke(pg, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
}

/* Pie slice as Bézier arcs; angles clockwise from 12 o'clock, y up. */
static void wedge_path(HPDF_Page pg, double cx, double cy, double r, double a0,
                       double a1)
{
    if (a1 < a0) {
        double t = a0;
        a0 = a1;
        a1 = t;
    }
    bool full = a1 - a0 >= 2 * M_PI - 1e-9;
    if (!full)
        HPDF_Page_MoveTo(pg, (HPDF_REAL)cx, (HPDF_REAL)cy);
    int segs = (int)ceil((a1 - a0) / (M_PI / 2));
    if (segs < 1)
        segs = 1;
    double step = (a1 - a0) / segs;
    double x0 = cx + r * sin(a0), y0 = cy + r * cos(a0);
    if (full)
        HPDF_Page_MoveTo(pg, (HPDF_REAL)x0, (HPDF_REAL)y0);
    else
        HPDF_Page_LineTo(pg, (HPDF_REAL)x0, (HPDF_REAL)y0);
    for (int s = 0; s < segs; s++) {
        double t0 = a0 + s * step, t1 = t0 + step;
        double k = 4.0 / 3.0 * tan((t1 - t0) / 4);
        double p0x = cx + r * sin(t0), p0y = cy + r * cos(t0);
        double p3x = cx + r * sin(t1), p3y = cy + r * cos(t1);
        double d0x = r * cos(t0), d0y = -r * sin(t0);
        double d1x = r * cos(t1), d1y = -r * sin(t1);
        HPDF_Page_CurveTo(pg, (HPDF_REAL)(p0x + k * d0x), (HPDF_REAL)(p0y + k * d0y),
                          (HPDF_REAL)(p3x - k * d1x), (HPDF_REAL)(p3y - k * d1y),
                          (HPDF_REAL)p3x, (HPDF_REAL)p3y);
    }
    HPDF_Page_ClosePath(pg);
}

static void draw_chart(HPDF_Page pg, const gk__page *p, const gk__item *it,
                       const gk_chart_geom *g)
{
    double ph = p->height;
    if (!g) {
        HPDF_Page_SetRGBStroke(pg, 0.6f, 0.6f, 0.6f);
        HPDF_Page_SetLineWidth(pg, 0.5f);
        HPDF_Page_Rectangle(pg, (HPDF_REAL)it->x, (HPDF_REAL)(ph - it->y - it->h),
                            (HPDF_REAL)it->w, (HPDF_REAL)it->h);
        HPDF_Page_Stroke(pg);
        HPDF_Page_SetRGBStroke(pg, 0, 0, 0);
        return;
    }
    for (size_t i = 0; i < g->nshapes; i++) {
        const gk_shape *s = &g->shapes[i];
        switch (s->kind) {
        case GK_SHAPE_WEDGE:
        case GK_SHAPE_RECT:
            /* Colours and width first: they are not allowed inside a path. */
            set_rgb_fill(pg, s->fill);
            if (s->stroke_width > 0) {
                set_rgb_stroke(pg, s->stroke);
                HPDF_Page_SetLineWidth(pg, (HPDF_REAL)s->stroke_width);
            }
            if (s->kind == GK_SHAPE_WEDGE)
                wedge_path(pg, it->x + s->cx, ph - (it->y + s->cy), s->r, s->a0, s->a1);
            else
                HPDF_Page_Rectangle(pg, (HPDF_REAL)(it->x + s->x),
                                    (HPDF_REAL)(ph - (it->y + s->y) - s->h),
                                    (HPDF_REAL)s->w, (HPDF_REAL)s->h);
            if (s->stroke_width > 0)
                HPDF_Page_FillStroke(pg);
            else
                HPDF_Page_Fill(pg);
            break;
        case GK_SHAPE_LINE:
            set_rgb_stroke(pg, s->stroke);
            HPDF_Page_SetLineWidth(pg, (HPDF_REAL)(s->stroke_width > 0 ? s->stroke_width : 0.5));
            HPDF_Page_MoveTo(pg, (HPDF_REAL)(it->x + s->x0), (HPDF_REAL)(ph - (it->y + s->y0)));
            HPDF_Page_LineTo(pg, (HPDF_REAL)(it->x + s->x1), (HPDF_REAL)(ph - (it->y + s->y1)));
            HPDF_Page_Stroke(pg);
            break;
        }
    }
    HPDF_Page_SetRGBFill(pg, 0, 0, 0);
    HPDF_Page_SetRGBStroke(pg, 0, 0, 0);
}

static void draw_page(pdf_ctx *c, size_t pi, size_t *chart_no)
{
    const gk__page *p = &c->L.pages[pi];
    HPDF_Page pg = c->pages[pi];
    double ph = p->height;
    /* Graphics first: grid rules, leaders, charts. */
    HPDF_Page_SetLineWidth(pg, 0.5f);
    double lw = 0.5;
    for (size_t i = 0; i < p->n; i++) {
        const gk__item *it = &p->items[i];
        switch (it->kind) {
        case GK__IT_RECT:
        case GK__IT_LINE:
            if (it->lw != lw) {
                HPDF_Page_SetLineWidth(pg, (HPDF_REAL)it->lw);
                lw = it->lw;
            }
            if (it->kind == GK__IT_RECT) {
                HPDF_Page_Rectangle(pg, (HPDF_REAL)it->x, (HPDF_REAL)(ph - it->y - it->h),
                                    (HPDF_REAL)it->w, (HPDF_REAL)it->h);
                if (it->fill)
                    HPDF_Page_Fill(pg);
                else
                    HPDF_Page_Stroke(pg);
            } else {
                HPDF_Page_MoveTo(pg, (HPDF_REAL)it->x, (HPDF_REAL)(ph - it->y));
                HPDF_Page_LineTo(pg, (HPDF_REAL)(it->x + it->w), (HPDF_REAL)(ph - it->y - it->h));
                HPDF_Page_Stroke(pg);
            }
            break;
        case GK__IT_DOT:
            HPDF_Page_Circle(pg, (HPDF_REAL)it->x, (HPDF_REAL)(ph - it->y), (HPDF_REAL)it->w);
            HPDF_Page_Fill(pg);
            break;
        case GK__IT_CHART:
            draw_chart(pg, p, it, c->geoms[(*chart_no)++]);
            lw = -1;
            break;
        default:
            break;
        }
    }
    /* Text in one text object. */
    bool in_text = false;
    int font = -1;
    float size = 0, tc = 0;
    bool bold = false;
    gk_rgb color = { 0, 0, 0 };
    for (size_t i = 0; i < p->n; i++) {
        const gk__item *it = &p->items[i];
        if (it->kind != GK__IT_TEXT || it->u.t.len == 0 || it->u.t.font < 0 ||
            !c->hfont[it->u.t.font])
            continue;
        const gk__text *t = &it->u.t;
        if (!in_text) {
            HPDF_Page_BeginText(pg);
            in_text = true;
        }
        if (t->font != font || t->size != size) {
            HPDF_Page_SetFontAndSize(pg, c->hfont[t->font], t->size);
            font = t->font;
            size = t->size;
        }
        if (t->tc != tc) {
            HPDF_Page_SetCharSpace(pg, t->tc);
            tc = t->tc;
        }
        if (it->color.r != color.r || it->color.g != color.g || it->color.b != color.b) {
            set_rgb_fill(pg, it->color);
            set_rgb_stroke(pg, it->color);
            color = it->color;
        }
        if (t->bold != bold) {
            if (t->bold) {
                HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL_THEN_STROKE);
                HPDF_Page_SetLineWidth(pg, t->size * 0.022f);
            } else {
                HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL);
            }
            bold = t->bold;
        } else if (bold) {
            HPDF_Page_SetLineWidth(pg, t->size * 0.022f);
        }
        HPDF_Page_SetTextMatrix(pg, 1, 0, t->italic ? 0.21f : 0, 1, (HPDF_REAL)it->x,
                                (HPDF_REAL)(ph - it->y));
        HPDF_Page_ShowText(pg, t->s);
    }
    if (in_text)
        HPDF_Page_EndText(pg);
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
    pdf_ctx c = { .doc = doc };
    gk_status st = gk__fonts_init(&c.fonts, gk__layout_roles(doc),
                                  opts ? opts->warnings : NULL, err);
    if (st) {
        gk__fonts_release(&c.fonts);
        return st;
    }
    st = gk__layout_doc(doc, &c.fonts, &c.L, err);
    if (st)
        goto done;
    st = prepare_charts(&c, err);
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
        st = hpdf_failed(&c, "AddPage", err);
        goto done;
    }
    size_t chart_no = 0;
    for (size_t k = 0; k < c.L.npages; k++)
        draw_page(&c, k, &chart_no);
    if (c.hpdf_err) {
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
    if (c.hpdf_err) {
        st = hpdf_failed(&c, GK_TR("文档结构", "document structure"), err);
        goto done;
    }
    if (HPDF_SaveToStream(c.pdf) != HPDF_OK || c.hpdf_err) {
        st = hpdf_failed(&c, "SaveToStream", err);
        goto done;
    }
    HPDF_UINT32 size = HPDF_GetStreamSize(c.pdf);
    gk_buf_grow(out, size);
    HPDF_UINT32 got = size;
    (void)HPDF_ReadFromStream(c.pdf, (HPDF_BYTE *)out->ptr + out->len, &got);
    if (got != size) {
        st = hpdf_failed(&c, "ReadFromStream", err);
        goto done;
    }
    out->len += got;
    out->ptr[out->len] = '\0';
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
    gk__layout_release(&c.L);
    gk__fonts_release(&c.fonts);
    return st;
}
