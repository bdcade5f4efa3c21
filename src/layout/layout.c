/* The document cut into pages.  See layout.h.
 *
 * Two steps.  The builder turns blocks into a vertical list of items
 * (one per text line, table row group, chart, plus discardable spaces and
 * forced breaks), each holding its drawing relative to its own top-left
 * corner and a `keep` flag (no page break after it).  The paginator fills
 * pages from that list, moving back along keep chains, skipping spaces at
 * page tops and repeating table header rows.  A document with a TOC is
 * laid out again until the TOC's page numbers stop changing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/layout.h"
#include "layout/text.h"

#define ASCENT 0.88   /* baseline below the top of the em box */
#define CELL_PAD_H 2.5
#define CELL_PAD_V 2.5
#define RULE 0.5

typedef enum vkind { V_BOX, V_SPACE, V_BREAK, V_ROWS } vkind;

typedef struct vitem {
    vkind kind;
    double h;
    bool keep;       /* no page break between this item and the next */
    bool discard;    /* V_SPACE: dropped at a page top */
    bool title;      /* part of the title page */
    bool header;     /* V_ROWS: a table's header rows */
    int table;       /* V_ROWS: table number in the builder, -1 */
    int dest;        /* a destination at this item's top, -1 */
    int orient;      /* V_BREAK: 0 portrait, 1 landscape */
    bool shrink;     /* a chart: may shrink to 70% to stay on a page */
    double h0, cw0, cx0; /* its natural height, width and x */
    size_t first, count; /* drawing: proto items */
    gk_src src;      /* the block it comes from */
} vitem;

typedef struct builder {
    const gk_doc *doc;
    gk__fonts *fs;
    gk__layout *L;
    gk__tctx tc;
    vitem *v;
    size_t nv, capv;
    gk__items proto;
    int *theader;            /* header item of each table, -1 = none */
    size_t ntables, captables;
    bool landscape;
    bool title;              /* building title-page blocks */
    double bw, bh;
    const int *toc_pages;    /* printed page of each dest (last pass) */
    int *dest_of;            /* dest of each block, -1 */
    bool has_parts;
    int ntoc;                /* TOC blocks, and the items of the last: */
    const gk_block *toc_block;
    size_t toc_v0, toc_v1;
    bool toc_landscape;
    gk__tb tb, tb2;
    gk__lines lines;
} builder;

/* ------------------------------------------------------------------ */
/* Page geometry. */

typedef struct geom {
    double pw, ph, ml, mt, bw, bh;
} geom;

static geom page_geom(const gk_page_setup *p, bool landscape)
{
    const double k = GK__PT_PER_MM;
    geom g;
    if (!landscape) {
        g.pw = p->width_mm * k;
        g.ph = p->height_mm * k;
        g.ml = p->left_mm * k;
        g.mt = p->top_mm * k;
        g.bw = g.pw - (p->left_mm + p->right_mm) * k;
        g.bh = g.ph - (p->top_mm + p->bottom_mm) * k;
    } else {
        /* The portrait text block turned a quarter: 天头 and 地脚 become
         * the side margins. */
        g.pw = p->height_mm * k;
        g.ph = p->width_mm * k;
        g.ml = p->top_mm * k;
        g.mt = p->left_mm * k;
        g.bw = g.pw - (p->top_mm + p->bottom_mm) * k;
        g.bh = g.ph - (p->left_mm + p->right_mm) * k;
    }
    if (g.bw < 72)
        g.bw = 72;
    if (g.bh < 72)
        g.bh = 72;
    return g;
}

static double pitch_of(const gk_style *s)
{
    return s->line_pt > 0 ? s->line_pt : 1.5 * s->size_pt;
}

static double baseline_in(double pitch, double size)
{
    return (pitch - size) / 2 + ASCENT * size;
}

/* ------------------------------------------------------------------ */
/* Vertical list. */

static vitem *v_push(builder *b, vkind kind, double h, bool keep)
{
    if (b->nv == b->capv) {
        b->capv = b->capv ? b->capv * 2 : 256;
        b->v = gk_xrealloc(b->v, b->capv * sizeof(*b->v));
    }
    vitem *it = &b->v[b->nv++];
    *it = (vitem){ .kind = kind, .h = h, .keep = keep, .table = -1,
                   .dest = -1, .title = b->title, .first = b->proto.n,
                   .src = b->tc.src };
    return it;
}

static void v_space(builder *b, double h, bool keep)
{
    if (h <= 0)
        return;
    vitem *it = v_push(b, V_SPACE, h, keep);
    it->discard = true;
}

static void v_break(builder *b, bool landscape)
{
    vitem *it = v_push(b, V_BREAK, 0, false);
    it->orient = landscape;
    b->landscape = landscape;
    geom g = page_geom(&b->doc->page, landscape);
    b->bw = g.bw;
    b->bh = g.bh;
}

/* Start an item whose drawing is appended to proto; close with v_end. */
static size_t v_begin(builder *b)
{
    return b->proto.n;
}

static vitem *v_end(builder *b, size_t first, vkind kind, double h, bool keep)
{
    vitem *it = v_push(b, kind, h, keep);
    it->first = first;
    it->count = b->proto.n - first;
    return it;
}

/* ------------------------------------------------------------------ */
/* Text flow. */

/* Lines of the text in tb as items, in style s. */
static void flow_text(builder *b, gk__tb *tb, const gk_style *s,
                      gk_align align, bool keep_last, int dest)
{
    double size = s->size_pt, pitch = pitch_of(s);
    double left = s->left_chars * size, ind = s->indent_chars * size;
    double w = b->bw - left, fw = w - ind;
    if (fw < size)
        fw = size;
    if (w < size)
        w = size;
    gk__tb_lines(tb, fw, w, &b->lines);
    size_t n = b->lines.n;
    if (align == GK_ALIGN_CENTER && n >= 2 && ind == 0 && n <= 6) {
        /* A centred title of several lines is balanced (a trapezoid, not
         * a long line over a stub): the narrowest measure that still
         * gives as many lines. */
        double lo = w / (double)n, hi = w;
        for (int k = 0; k < 14; k++) {
            double mid = (lo + hi) / 2;
            gk__tb_lines(tb, mid, mid, &b->lines);
            if (b->lines.n > n)
                lo = mid;
            else
                hi = mid;
        }
        gk__tb_lines(tb, hi, hi, &b->lines);
        if (b->lines.n != n)
            gk__tb_lines(tb, fw, w, &b->lines);
    }
    v_space(b, s->space_before_pt, true);
    for (size_t i = 0; i < n; i++) {
        size_t first = v_begin(b);
        double x = left + (i == 0 ? ind : 0);
        gk__tb_emit(&b->tc, tb, &b->lines.v[i], x, i == 0 ? fw : w, align,
                    baseline_in(pitch, size), &b->proto);
        bool keep = (n >= 2 && (i == 0 || i + 2 == n)) ||
                    (i + 1 == n && keep_last);
        vitem *it = v_end(b, first, V_BOX, pitch, keep);
        if (i == 0)
            it->dest = dest;
    }
    v_space(b, s->space_after_pt, keep_last);
}

static gk_align align_of(int a, const gk_style *s)
{
    return a >= 0 && a <= GK_ALIGN_RIGHT ? (gk_align)a : s->align;
}

static void add_dest(builder *b, int dest, const char *title, int level)
{
    (void)dest;
    gk__layout *L = b->L;
    if (!title || !*title)
        return;
    if (L->noutline == L->capoutline) {
        L->capoutline = L->capoutline ? L->capoutline * 2 : 32;
        L->outline = gk_xrealloc(L->outline, L->capoutline * sizeof(*L->outline));
    }
    L->outline[L->noutline++] = (gk__outline){ title, level, dest };
}

static void do_paragraph(builder *b, const gk_block *blk)
{
    const gk_paragraph *p = &blk->u.para;
    const gk_style *s = &b->doc->styles[(unsigned)p->style < GK_STYLE_COUNT ? p->style : 0];
    gk__tb_clear(&b->tb);
    gk__tb_add_runs(&b->tc, &b->tb, &p->runs, s->font, s->size_pt, s->bold);
    flow_text(b, &b->tb, s, align_of(p->align, s), s->keep_with_next, -1);
}

static gk_style_id heading_style(int level)
{
    switch (level) {
    case 0: return GK_STYLE_PART;
    case 1: return GK_STYLE_H1;
    case 2: return GK_STYLE_H2;
    case 3: return GK_STYLE_H3;
    default: return GK_STYLE_H4;
    }
}

/* A heading as plain text (number + text) for the TOC and bookmarks. */
static const char *heading_plain(builder *b, const gk_heading *h)
{
    if (h->plain && *h->plain)
        return h->plain;
    gk_buf t = GK_BUF_INIT;
    gk_buf_puts(&t, h->number ? h->number : "");
    for (size_t i = 0; i < h->runs.len; i++)
        gk_buf_puts(&t, h->runs.items[i].text);
    char *s = gk_arena_strndup(&b->L->arena, t.ptr, t.len);
    gk_buf_release(&t);
    return s;
}

static void do_heading(builder *b, const gk_block *blk, size_t bi)
{
    const gk_heading *h = &blk->u.heading;
    const gk_style *s = &b->doc->styles[heading_style(h->level)];
    gk__tb_clear(&b->tb);
    if (h->number && *h->number)
        gk__tb_add(&b->tc, &b->tb, h->number, strlen(h->number), s->font,
                   s->size_pt, 0, s->bold);
    gk__tb_add_runs(&b->tc, &b->tb, &h->runs, s->font, s->size_pt, s->bold);
    int dest = b->dest_of[bi];
    flow_text(b, &b->tb, s, s->align, true, dest);
    if (h->level == 0)
        add_dest(b, dest, heading_plain(b, h), 0);
    else if (h->level == 1)
        add_dest(b, dest, heading_plain(b, h), b->has_parts ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* TOC. */

static void do_toc(builder *b, const gk_block *blk)
{
    const gk_doc *doc = b->doc;
    const gk_toc *toc = &blk->u.toc;
    const gk_style *st = &doc->styles[GK_STYLE_TOC_TITLE];
    size_t toc0 = b->nv;
    gk__tb_clear(&b->tb);
    const char *title = toc->title && *toc->title ? toc->title : "目录";
    gk__tb_add(&b->tc, &b->tb, title, strlen(title), st->font, st->size_pt, 0, st->bold);
    flow_text(b, &b->tb, st, st->align, true, -1);
    size_t entries0 = b->nv;

    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *hb = doc->blocks[i];
        /* Headings up to the TOC's level; with `tables`, every numbered
         * table too, at level 1, where it stands (like the text). */
        const char *plain;
        int level;
        if (hb->title_page || b->dest_of[i] < 0)
            continue;
        if (hb->type == GK_BLOCK_HEADING) {
            if (!hb->u.heading.in_toc || hb->u.heading.level > toc->max_level)
                continue;
            plain = heading_plain(b, &hb->u.heading);
            level = hb->u.heading.level;
        } else if (hb->type == GK_BLOCK_TABLE && toc->tables &&
                   hb->u.table.number && hb->u.table.number[0]) {
            const gk_table *t = &hb->u.table;
            plain = t->title && *t->title
                        ? gk_arena_printf(&b->L->arena, "%s %s", t->number, t->title)
                        : t->number;
            level = 1;
        } else {
            continue;
        }
        bool top = level == 0 || (!b->has_parts && level == 1);
        const gk_style *s = &doc->styles[top ? GK_STYLE_TOC1 : GK_STYLE_TOC2];
        int dest = b->dest_of[i];
        int page = b->toc_pages ? b->toc_pages[dest] : 99;
        char num[16];
        snprintf(num, sizeof num, "%d", page > 0 ? page : 1);
        double size = s->size_pt, pitch = pitch_of(s);
        double left = (s->left_chars + (top ? 0 : 2.0 * (level - (b->has_parts ? 1 : 2)))) * size;
        if (left < 0)
            left = 0;
        gk__tb_clear(&b->tb2);
        gk__tb_add(&b->tc, &b->tb2, num, strlen(num), s->font, size, 0, s->bold);
        gk__tb_lines(&b->tb2, b->bw, b->bw, &b->lines);
        gk__line numline = b->lines.v[0];
        double numw = numline.width;
        gk__tb_clear(&b->tb);
        gk__tb_add(&b->tc, &b->tb, plain, strlen(plain), s->font, size, 0, s->bold);
        double w = b->bw - left - numw - 2 * size;
        if (w < 4 * size)
            w = 4 * size;
        gk__tb_lines(&b->tb, w, w, &b->lines);
        v_space(b, s->space_before_pt, true);
        size_t n = b->lines.n;
        size_t first_item = b->nv;
        for (size_t k = 0; k < n; k++) {
            size_t first = v_begin(b);
            double base = baseline_in(pitch, size);
            gk__tb_emit(&b->tc, &b->tb, &b->lines.v[k], left, w, GK_ALIGN_LEFT,
                        base, &b->proto);
            if (k + 1 == n) {
                /* Dot leaders on a fixed grid, then the page number. */
                double x0 = left + b->lines.v[k].width + size * 0.5;
                double x1 = b->bw - numw - size * 0.5;
                double step = size * 0.33;
                double r = size * 0.045;
                double xs = ceil(x0 / step) * step;
                int ndots = (int)floor((x1 - r - xs) / step) + 1;
                if (ndots > 0) {
                    gk__item d = { .kind = GK__IT_DOTS, .x = xs, .y = base - r,
                                   .w = (ndots - 1) * step, .h = step, .lw = 2 * r };
                    gk__items_push(&b->proto, &d);
                }
                gk__tb_emit(&b->tc, &b->tb2, &numline, b->bw - numw, numw,
                            GK_ALIGN_LEFT, base, &b->proto);
            }
            gk__item link = { .kind = GK__IT_LINK, .x = left, .y = 0,
                              .w = b->bw - left, .h = pitch };
            link.u.dest = dest;
            gk__items_push(&b->proto, &link);
            v_end(b, first, V_BOX, pitch, k + 1 < n);
        }
        (void)first_item;
        v_space(b, s->space_after_pt, false);
    }
    /* A TOC that spills a little onto another page is set tighter (down
     * to 85% of its line pitch) to end a page earlier. */
    double head = 0, body = 0;
    for (size_t k = toc0; k < entries0; k++)
        head += b->v[k].h;
    for (size_t k = entries0; k < b->nv; k++)
        body += b->v[k].h;
    double avail = b->bh - pitch_of(&doc->styles[GK_STYLE_TOC1]);
    int pages = (int)ceil((head + body) / b->bh);
    b->L->toc_scale = 1;
    if (pages >= 2 && body > 0) {
        double f = ((pages - 1) * b->bh - (b->bh - avail) - head) / body;
        if (f >= 0.85 && f < 1) {
            b->L->toc_scale = f;
            for (size_t k = entries0; k < b->nv; k++) {
                vitem *v = &b->v[k];
                double h = v->h * f, dy = (v->h - h) / 2;
                for (size_t q = v->first; q < v->first + v->count; q++) {
                    gk__item *it = &b->proto.v[q];
                    if (it->kind == GK__IT_LINK)
                        it->h = h;
                    else
                        it->y -= dy;
                }
                v->h = h;
            }
        }
    }
    /* The TOC stands on its own page(s). */
    v_break(b, b->landscape);
}

/* ------------------------------------------------------------------ */
/* Tables. */

typedef struct cellm {
    gk__tb tb;
    double nat, least; /* one-line width, widest unbreakable piece */
    double max;        /* width wanted on one line, padding included */
    double h;          /* height needed */
    double indent;
    const gk_style *s;
    bool used;
} cellm;

/* Minimum column widths (filled into mn) with text cells kept at least
 * `body` characters wide (headers `head`) and their unbreakable pieces
 * whole up to `piece` characters (longer ones, such as a project code,
 * are cut where the line ends), figures whole; returns their sum.
 * Spanning cells share their minimum among their columns. */
static double table_mins(const gk_table *t, const cellm *cm, double body,
                         double head, double piece, double *mn)
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
                const cellm *m = &cm[r * (size_t)nc + (size_t)c];
                double fl = (hd ? head : body) * m->s->size_pt;
                /* A figure stays whole; a long "figure" is text. */
                bool figure = !hd && t->cols[c].numeric && m->nat <= 12 * m->s->size_pt &&
                              (cell->align < 0 || cell->align == GK_ALIGN_RIGHT);
                double lo = figure ? m->nat
                                   : fmax(fmin(m->least, piece * m->s->size_pt), fmin(m->nat, fl));
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
        /* The weights are a wish, body text on one line a need: a column
         * wider than its cells need gives up to 40% of its width to the
         * columns whose cells would wrap. */
        double surplus = 0, deficit = 0;
        for (int c = 0; c < n; c++) {
            double keep = fmax(mb[c], 0.6 * out[c]);
            if (out[c] > keep)
                surplus += out[c] - keep;
            else if (mb[c] > out[c])
                deficit += mb[c] - out[c];
        }
        double move = fmin(surplus, deficit);
        if (move > 0.5) {
            for (int c = 0; c < n; c++) {
                double keep = fmax(mb[c], 0.6 * out[c]);
                if (out[c] > keep)
                    out[c] -= (out[c] - keep) * move / surplus;
                else if (mb[c] > out[c])
                    out[c] += (mb[c] - out[c]) * move / deficit;
            }
        }
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
        /* Too wide even at the minimums: squeeze, but leave every column
         * room for a character when the width allows it. */
        double floor = fmin(W / n, 9 + 2 * CELL_PAD_H), sfl = 0, rest = 0;
        for (int c = 0; c < n; c++) {
            if (mn[c] <= floor)
                sfl += floor;
            else
                rest += mn[c];
        }
        for (int c = 0; c < n; c++)
            out[c] = mn[c] <= floor ? floor
                     : rest > 0 ? fmax(floor, mn[c] * (W - sfl) / rest) : W / n;
        double tot = 0;
        for (int c = 0; c < n; c++)
            tot += out[c];
        for (int c = 0; c < n; c++)
            out[c] *= W / tot;
    } else {
        double f = (W - smin) / (sb - smin);
        for (int c = 0; c < n; c++)
            out[c] = mn[c] + (mb[c] - mn[c]) * f;
    }
}

static gk_align cell_align(const gk_table *t, const gk_row *row, int c,
                           const gk_style *s)
{
    const gk_cell *cell = &row->cells[c];
    if (cell->align >= 0 && cell->align <= GK_ALIGN_RIGHT)
        return (gk_align)cell->align;
    if (row->kind == GK_ROW_HEADER)
        return s->align == GK_ALIGN_JUSTIFY ? GK_ALIGN_CENTER : s->align;
    if (t->cols[c].numeric)
        return GK_ALIGN_RIGHT;
    return t->cols[c].align == GK_ALIGN_JUSTIFY ? GK_ALIGN_LEFT : t->cols[c].align;
}

/* A slice of the table, [y0, y1) in table coordinates: a group of rows
 * bound by row spans, or a piece of such a group when it is taller than a
 * page.  Rows [r0, r1) are the group's. */
typedef struct chunk {
    double y0, y1;
    size_t r0, r1;
} chunk;

/* Draw chunk ci at item-relative y (0 = the chunk's top).  A cell cut by
 * chunk edges gets a frame in each piece and its lines flow through the
 * pieces in order, top-aligned; a whole cell is centred. */
static void emit_chunk(builder *b, const gk_table *t, cellm *cm,
                       const double *colx, const double *rowy,
                       const chunk *ch, size_t nch, size_t ci)
{
    const double eps = 0.01;
    int nc = t->ncols;
    size_t nr = t->nrows;
    double Y0 = ch[ci].y0, Y1 = ch[ci].y1;
    for (size_t r = ch[ci].r0; r < ch[ci].r1; r++) {
        if (rowy[r] >= Y1 - eps)
            break;
        const gk_row *row = &t->rows[r];
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &row->cells[c];
            if (cell->covered)
                continue;
            int cs = cell->colspan < 1 ? 1 : cell->colspan;
            size_t rs = cell->rowspan < 1 ? 1 : (size_t)cell->rowspan;
            if (c + cs > nc)
                cs = nc - c;
            double cy0 = rowy[r], cy1 = rowy[r + rs > nr ? nr : r + rs];
            if (cy1 <= Y0 + eps || cy0 >= Y1 - eps)
                continue;
            double py0 = fmax(cy0, Y0), py1 = fmin(cy1, Y1);
            cellm *m = &cm[r * (size_t)nc + (size_t)c];
            double x = colx[c], w = colx[c + cs] - colx[c];
            gk__item rect = { .kind = GK__IT_RECT, .x = x, .y = py0 - Y0, .w = w,
                              .h = py1 - py0, .lw = RULE };
            gk__items_push(&b->proto, &rect);
            if (m->tb.n == 0)
                continue;
            const gk_style *s = m->s;
            double pitch = pitch_of(s);
            double avail = w - 2 * CELL_PAD_H - m->indent;
            gk__tb_lines(&m->tb, avail, avail, &b->lines);
            gk_align al = cell_align(t, row, c, s);
            size_t first = 0, count = b->lines.n;
            double top;
            if (cy0 >= Y0 - eps && cy1 <= Y1 + eps) {
                top = cy0 - Y0 + (cy1 - cy0 - (double)count * pitch) / 2;
            } else {
                /* Lines before this piece: what the earlier pieces hold. */
                size_t used = 0;
                for (size_t k = 0; k < nch; k++) {
                    double q0 = fmax(cy0, ch[k].y0), q1 = fmin(cy1, ch[k].y1);
                    if (q1 <= q0 + eps)
                        continue;
                    bool last = q1 >= cy1 - eps;
                    double capf = floor((q1 - q0 - 2 * CELL_PAD_V) / pitch + 1e-6);
                    size_t cap = last ? SIZE_MAX : (capf > 0 ? (size_t)capf : 0);
                    size_t left = b->lines.n - used;
                    size_t take = cap < left ? cap : left;
                    if (k == ci) {
                        first = used;
                        count = take;
                        break;
                    }
                    used += take;
                }
                top = py0 - Y0 + CELL_PAD_V;
            }
            for (size_t k = 0; k < count; k++)
                gk__tb_emit(&b->tc, &m->tb, &b->lines.v[first + k],
                            x + CELL_PAD_H + m->indent, avail, al,
                            top + (double)k * pitch + baseline_in(pitch, s->size_pt),
                            &b->proto);
        }
    }
}

/* Cut rows [r0, r1) into chunks no taller than cap (the first no taller
 * than cap_first): at row boundaries when possible, else inside a row. */
static size_t cut_group(const double *rowy, size_t r0, size_t r1, double cap,
                        double cap_first, chunk **out, size_t *n, size_t *capn)
{
    size_t made = 0;
    double Y = rowy[r0], end = rowy[r1];
    while (Y < end - 0.01) {
        double limit = Y + (made == 0 ? cap_first : cap);
        double B = end;
        if (end > limit + 0.01) {
            B = -1;
            for (size_t k = r0 + 1; k < r1; k++)
                if (rowy[k] > Y + 0.01 && rowy[k] <= limit + 0.01)
                    B = rowy[k];
            if (B < 0)
                B = limit;
        }
        if (*n == *capn) {
            *capn = *capn ? *capn * 2 : 16;
            *out = gk_xrealloc(*out, *capn * sizeof(chunk));
        }
        (*out)[(*n)++] = (chunk){ Y, B, r0, r1 };
        made++;
        Y = B;
    }
    return made;
}

/* One line with text at the left and text at the right (部门： / 单位：). */
static void flow_left_right(builder *b, const char *left, const char *right,
                            const gk_style *s, double W)
{
    double size = s->size_pt, pitch = pitch_of(s);
    gk__tb_clear(&b->tb);
    gk__tb_clear(&b->tb2);
    gk__tb_add(&b->tc, &b->tb, left, strlen(left), s->font, size, 0, s->bold);
    gk__tb_add(&b->tc, &b->tb2, right, strlen(right), s->font, size, 0, s->bold);
    double rw = gk__tb_natural(&b->tb2);
    double lw = W - rw - (rw > 0 ? size : 0);
    if (lw < 4 * size)
        lw = 4 * size;
    gk__lines rl = { 0 };
    gk__tb_lines(&b->tb2, W, W, &rl);
    gk__tb_lines(&b->tb, lw, lw, &b->lines);
    size_t n = b->lines.n > rl.n ? b->lines.n : rl.n;
    v_space(b, s->space_before_pt, true);
    for (size_t i = 0; i < n; i++) {
        size_t first = v_begin(b);
        double base = baseline_in(pitch, size);
        if (i < b->lines.n)
            gk__tb_emit(&b->tc, &b->tb, &b->lines.v[i], 0, lw, GK_ALIGN_LEFT,
                        base, &b->proto);
        if (i < rl.n)
            gk__tb_emit(&b->tc, &b->tb2, &rl.v[i], 0, W, GK_ALIGN_RIGHT, base,
                        &b->proto);
        v_end(b, first, V_BOX, pitch, true);
    }
    free(rl.v);
    v_space(b, s->space_after_pt, true);
}

static void do_table(builder *b, const gk_block *blk, size_t bi)
{
    const gk_doc *doc = b->doc;
    const gk_table *t = &blk->u.table;
    int nc = t->ncols;
    size_t nr = t->nrows;
    if (nc <= 0)
        return;
    const gk_style *sh = &doc->styles[GK_STYLE_TABLE_HEADER];
    const gk_style *sx = &doc->styles[GK_STYLE_TABLE_TEXT];
    cellm *cm = gk_xcalloc(nr * (size_t)nc + 1, sizeof(cellm));
    double *mn = gk_xcalloc((size_t)nc, sizeof(double));
    double *mb = gk_xcalloc((size_t)nc, sizeof(double));
    double *mh = gk_xcalloc((size_t)nc, sizeof(double));
    double *cw = gk_xcalloc((size_t)nc, sizeof(double));
    double *colx = gk_xcalloc((size_t)nc + 1, sizeof(double));
    double *rowh = gk_xcalloc(nr + 1, sizeof(double));
    size_t nbody = 0;

    /* Measure every cell. */
    for (size_t r = 0; r < nr; r++) {
        const gk_row *row = &t->rows[r];
        bool head = row->kind == GK_ROW_HEADER;
        if (!head)
            nbody++;
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &row->cells[c];
            if (cell->covered)
                continue;
            cellm *m = &cm[r * (size_t)nc + (size_t)c];
            m->used = true;
            m->s = head ? sh : sx;
            m->indent = (cell->indent > 0 ? cell->indent : 0) * m->s->size_pt;
            gk__tb_add_runs(&b->tc, &m->tb, &cell->runs, m->s->font,
                            m->s->size_pt, m->s->bold || cell->bold);
            m->nat = gk__tb_natural(&m->tb);
            m->least = gk__tb_min_width(&m->tb);
            m->max = m->nat + 2 * CELL_PAD_H + m->indent;
            if (cell->colspan <= 1) {
                if (head)
                    mh[c] = fmax(mh[c], m->max);
                else
                    mb[c] = fmax(mb[c], m->max);
            }
        }
    }
    /* Spanning cells widen the columns they span when they must. */
    for (size_t r = 0; r < nr; r++) {
        bool head = t->rows[r].kind == GK_ROW_HEADER;
        double *mx = head ? mh : mb;
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered || cell->colspan <= 1)
                continue;
            cellm *m = &cm[r * (size_t)nc + (size_t)c];
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
     * header 2) and its unbreakable pieces whole, a figure its whole
     * width.  A table too wide even in landscape first cuts pieces longer
     * than 6 characters (codes, long numbers written as text: 表十三's
     * project codes would otherwise squeeze every text column to its
     * minimum), then lets text cells go down to 2 and 1 characters. */
    static const double floors[][3] = { { 4, 2, 1e9 }, { 4, 2, 6 }, { 2, 2, 4 }, { 1, 1, 1 } };
    geom gp = page_geom(&doc->page, false);
    geom gl = page_geom(&doc->page, true);
    bool land = t->orient == GK_ORIENT_LANDSCAPE;
    for (size_t f = 0; f < sizeof floors / sizeof floors[0]; f++) {
        double smin = table_mins(t, cm, floors[f][0], floors[f][1], floors[f][2], mn);
        if (f == 0 && smin > gp.bw + 0.5)
            land = true;
        if (smin <= (land ? gl.bw : gp.bw) + 0.5)
            break;
    }
    for (int c = 0; c < nc; c++) {
        mb[c] = fmax(mb[c], mn[c]);
        mh[c] = fmax(mh[c], mb[c]);
    }
    if (land != b->landscape)
        v_break(b, land);
    double W = b->bw;

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
    if (b->dest_of[bi] >= 0) {
        /* Kept for the page map (the DOCX's grid and orientation); every
         * pass decides the same, so the first pass's array is reused. */
        gk__dest *dd = &b->L->dests[b->dest_of[bi]];
        if (dd->ncols != nc || !dd->colw)
            dd->colw = GK_ARENA_ARRAY(&b->L->arena, double, (size_t)nc);
        memcpy((double *)dd->colw, cw, (size_t)nc * sizeof(double));
        dd->ncols = nc;
        dd->landscape = land;
    }
    colx[0] = 0;
    for (int c = 0; c < nc; c++)
        colx[c + 1] = colx[c] + cw[c];

    /* Row heights. */
    for (size_t r = 0; r < nr; r++) {
        rowh[r] = pitch_of(t->rows[r].kind == GK_ROW_HEADER ? sh : sx) + 2 * CELL_PAD_V;
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered)
                continue;
            cellm *m = &cm[r * (size_t)nc + (size_t)c];
            int cs = cell->colspan < 1 ? 1 : cell->colspan;
            double avail = colx[c + cs > nc ? nc : c + cs] - colx[c] - 2 * CELL_PAD_H - m->indent;
            gk__tb_lines(&m->tb, avail, avail, &b->lines);
            m->h = (m->tb.n ? (double)b->lines.n : 1) * pitch_of(m->s) + 2 * CELL_PAD_V;
            if (cell->rowspan <= 1)
                rowh[r] = fmax(rowh[r], m->h);
        }
    }
    for (size_t r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered || cell->rowspan <= 1)
                continue;
            size_t end = r + (size_t)cell->rowspan;
            if (end > nr)
                end = nr;
            double sum = 0;
            for (size_t k = r; k < end; k++)
                sum += rowh[k];
            double need = cm[r * (size_t)nc + (size_t)c].h;
            if (need > sum)
                rowh[end - 1] += need - sum;
        }

    /* Caption lines above the table. */
    int dest = b->dest_of[bi];
    size_t first_v = b->nv;
    const gk_style *sn = &doc->styles[GK_STYLE_TABLE_NUMBER];
    const gk_style *stt = &doc->styles[GK_STYLE_TABLE_TITLE];
    const gk_style *su = &doc->styles[GK_STYLE_TABLE_UNIT];
    if (t->number && *t->number) {
        gk__tb_clear(&b->tb);
        gk__tb_add(&b->tc, &b->tb, t->number, strlen(t->number), sn->font,
                   sn->size_pt, 0, sn->bold);
        flow_text(b, &b->tb, sn, GK_ALIGN_RIGHT, true, -1);
    }
    if (t->title && *t->title) {
        gk__tb_clear(&b->tb);
        gk__tb_add(&b->tc, &b->tb, t->title, strlen(t->title), stt->font,
                   stt->size_pt, 0, stt->bold);
        flow_text(b, &b->tb, stt, GK_ALIGN_CENTER, true, -1);
    }
    if ((t->caption_left && *t->caption_left) || (t->unit && *t->unit))
        flow_left_right(b, t->caption_left ? t->caption_left : "",
                        t->unit ? t->unit : "", su, W);

    /* Row groups: rows bound together by row spans. */
    if (b->ntables == b->captables) {
        b->captables = b->captables ? b->captables * 2 : 16;
        b->theader = gk_xrealloc(b->theader, b->captables * sizeof(int));
    }
    int tno = (int)b->ntables++;
    b->theader[tno] = -1;
    size_t hr = t->header_rows <= nr ? t->header_rows : nr;
    while (hr < nr && t->rows[hr].kind == GK_ROW_HEADER)
        hr++;
    size_t first_row_v = b->nv;
    double *rowy = gk_xcalloc(nr + 1, sizeof(double));
    for (size_t k = 0; k < nr; k++)
        rowy[k + 1] = rowy[k] + rowh[k];
    double caption_h = 0;
    for (size_t k = first_v; k < b->nv; k++)
        caption_h += b->v[k].h;
    double head_h = rowy[hr];
    /* A header taller than half a page is not repeated (and is cut like
     * body rows when taller than a page). */
    bool repeat = head_h <= b->bh / 2;
    /* Room for body rows on a page under the repeated header; the first
     * piece also shares its page with the caption lines. */
    double cap = b->bh - (repeat ? head_h : 0) - 1;
    if (cap < 3 * pitch_of(sx))
        cap = 3 * pitch_of(sx);
    double cap_first = fmax(cap - caption_h, 3 * pitch_of(sx));
    chunk *ch = NULL;
    size_t nch = 0, capch = 0;
    size_t r = 0;
    while (r < nr) {
        size_t end = r < hr ? hr : r + 1;
        for (size_t k = r; k < end; k++)
            for (int c = 0; c < nc; c++) {
                const gk_cell *cell = &t->rows[k].cells[c];
                if (!cell->covered && cell->rowspan > 1 &&
                    k + (size_t)cell->rowspan > end)
                    end = k + (size_t)cell->rowspan;
            }
        if (end > nr)
            end = nr;
        bool head = r < hr;
        size_t before = nch;
        double rowh0 = rowh[end - 1];
        if (head && repeat) {
            if (nch == capch) {
                capch = capch ? capch * 2 : 16;
                ch = gk_xrealloc(ch, capch * sizeof(chunk));
            }
            ch[nch++] = (chunk){ rowy[r], rowy[end], r, end };
        } else {
            double cf = r == (repeat ? hr : 0) ? cap_first : cap;
            size_t m = cut_group(rowy, r, end, cap, cf, &ch, &nch, &capch);
            /* Each cut costs a cell its padding and part of a line: give
             * the group's last row that room, then cut again (the new
             * room may need a cut of its own). */
            for (int round = 0; m > 1 && round < 4; round++) {
                double extra = (double)(m - 1) * (2 * CELL_PAD_V + pitch_of(sx)) -
                               (rowh[end - 1] - rowh0);
                if (extra <= 0)
                    break;
                rowh[end - 1] += extra;
                for (size_t k = end; k <= nr; k++)
                    rowy[k] += extra;
                nch = before;
                m = cut_group(rowy, r, end, cap, cf, &ch, &nch, &capch);
            }
        }
        r = end;
    }
    for (size_t k = 0; k < nch; k++) {
        bool head = repeat && ch[k].r0 < hr;
        size_t first = v_begin(b);
        emit_chunk(b, t, cm, colx, rowy, ch, nch, k);
        vitem *it = v_end(b, first, V_ROWS, ch[k].y1 - ch[k].y0, head);
        it->table = tno;
        it->header = head;
        if (head)
            b->theader[tno] = (int)(b->nv - 1);
    }
    free(ch);
    free(rowy);
    if (nbody == 0 && t->empty_note && *t->empty_note) {
        gk__tb_clear(&b->tb);
        gk__tb_add(&b->tc, &b->tb, t->empty_note, strlen(t->empty_note),
                   sx->font, sx->size_pt, 0, false);
        double avail = W - 2 * CELL_PAD_H;
        gk__tb_lines(&b->tb, avail, avail, &b->lines);
        double pitch = pitch_of(sx);
        double h = (double)b->lines.n * pitch + 2 * CELL_PAD_V;
        size_t first = v_begin(b);
        gk__item rect = { .kind = GK__IT_RECT, .x = 0, .y = 0, .w = W, .h = h,
                          .lw = RULE };
        gk__items_push(&b->proto, &rect);
        for (size_t k = 0; k < b->lines.n; k++)
            gk__tb_emit(&b->tc, &b->tb, &b->lines.v[k], CELL_PAD_H, avail,
                        GK_ALIGN_CENTER,
                        CELL_PAD_V + (double)k * pitch + baseline_in(pitch, sx->size_pt),
                        &b->proto);
        vitem *it = v_end(b, first, V_ROWS, h, false);
        it->table = tno;
    }
    if (b->nv > first_row_v && t->note && *t->note) {
        b->v[b->nv - 1].keep = true;
        const gk_style *snote = &doc->styles[GK_STYLE_TABLE_NOTE];
        gk__tb_clear(&b->tb);
        gk__tb_add(&b->tc, &b->tb, t->note, strlen(t->note), snote->font,
                   snote->size_pt, 0, snote->bold);
        flow_text(b, &b->tb, snote, snote->align, false, -1);
    }
    if (b->nv > 0)
        b->v[b->nv - 1].keep = false;
    for (size_t k = first_v; k < b->nv; k++)
        if (b->v[k].kind != V_SPACE && b->v[k].kind != V_BREAK) {
            b->v[k].dest = dest;
            break;
        }
    if (land)
        v_break(b, false);

    char *title = NULL;
    if (t->title && *t->title) {
        if (t->number && *t->number)
            title = gk_arena_printf(&b->L->arena, "%s %s", t->number, t->title);
        else
            title = gk_arena_strdup(&b->L->arena, t->title);
    }
    add_dest(b, dest, title, b->has_parts ? 1 : 0);

    for (size_t i = 0; i < nr * (size_t)nc; i++)
        gk__tb_release(&cm[i].tb);
    free(cm);
    free(mn);
    free(mb);
    free(mh);
    free(cw);
    free(colx);
    free(rowh);
}

/* ------------------------------------------------------------------ */
/* Charts. */


static void do_chart(builder *b, const gk_block *blk)
{
    const gk_chart *ch = &blk->u.chart;
    double w = b->bw * 0.8, h = b->bw * 0.45;
    gk_chart_size(ch, b->bw, &w, &h);
    if (w > b->bw)
        w = b->bw;
    if (h > b->bh * 0.8)
        h = b->bh * 0.8;
    v_space(b, 6, true); /* from the text above */
    size_t first = v_begin(b);
    gk__item it = { .kind = GK__IT_CHART, .x = (b->bw - w) / 2, .y = 0,
                    .w = w, .h = h };
    it.u.chart = blk;
    gk__items_push(&b->proto, &it);
    vitem *cv = v_end(b, first, V_BOX, h, true);
    cv->shrink = true;
    cv->h0 = h;
    cv->cw0 = w;
    cv->cx0 = it.x;
    const gk_style *s = &b->doc->styles[GK_STYLE_CAPTION];
    const char *cap = ch->caption && *ch->caption ? ch->caption : ch->title;
    if (cap && *cap) {
        gk__tb_clear(&b->tb);
        gk__tb_add(&b->tc, &b->tb, cap, strlen(cap), s->font, s->size_pt, 0, s->bold);
        flow_text(b, &b->tb, s, s->align == GK_ALIGN_JUSTIFY ? GK_ALIGN_CENTER : s->align,
                  false, -1);
    } else {
        b->v[b->nv - 1].keep = false;
    }
}

/* ------------------------------------------------------------------ */
/* The builder. */

static void build(builder *b)
{
    const gk_doc *doc = b->doc;
    b->nv = 0;
    b->proto.n = 0;
    b->ntables = 0;
    b->ntoc = 0;
    b->L->noutline = 0;
    b->landscape = false;
    geom g = page_geom(&doc->page, false);
    b->bw = g.bw;
    b->bh = g.bh;
    size_t title_first = SIZE_MAX;
    bool in_title = false;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *blk = doc->blocks[i];
        b->tc.src = blk->src;
        if (blk->title_page && !in_title && title_first == SIZE_MAX) {
            in_title = true;
            title_first = b->nv;
        }
        if (in_title && !blk->title_page) {
            /* Centre the title page's content a little above the middle. */
            double total = 0;
            for (size_t k = title_first; k < b->nv; k++)
                total += b->v[k].h;
            if (total < b->bh) {
                v_push(b, V_SPACE, (b->bh - total) * 0.3, true);
                vitem sp = b->v[b->nv - 1];
                memmove(&b->v[title_first + 1], &b->v[title_first],
                        (b->nv - 1 - title_first) * sizeof(vitem));
                b->v[title_first] = sp;
            }
            in_title = false;
            b->title = false;
            v_break(b, false);
        }
        b->title = in_title;
        switch (blk->type) {
        case GK_BLOCK_PARAGRAPH:
            do_paragraph(b, blk);
            break;
        case GK_BLOCK_HEADING:
            do_heading(b, blk, i);
            break;
        case GK_BLOCK_TABLE:
            do_table(b, blk, i);
            break;
        case GK_BLOCK_CHART:
            do_chart(b, blk);
            break;
        case GK_BLOCK_TOC:
            if (b->nv > 0 && b->v[b->nv - 1].kind != V_BREAK)
                v_break(b, b->landscape);
            b->ntoc++;
            b->toc_block = blk;
            b->toc_v0 = b->nv;
            b->toc_landscape = b->landscape;
            do_toc(b, blk);
            b->toc_v1 = b->nv;
            break;
        case GK_BLOCK_PAGE_BREAK:
            v_break(b, b->landscape);
            break;
        }
    }
    if (in_title) {
        b->title = false;
        v_break(b, false);
    }
}

/* ------------------------------------------------------------------ */
/* Pagination. */

static gk__page *new_page(gk__layout *L, bool landscape, const gk_page_setup *ps)
{
    if (L->npages == L->cappages) {
        L->cappages = L->cappages ? L->cappages * 2 : 16;
        L->pages = gk_xrealloc(L->pages, L->cappages * sizeof(*L->pages));
    }
    gk__page *p = &L->pages[L->npages++];
    geom g = page_geom(ps, landscape);
    *p = (gk__page){ .width = g.pw, .height = g.ph, .landscape = landscape };
    return p;
}

static void page_push(gk__page *p, const gk__item *it)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->items = gk_xrealloc(p->items, p->cap * sizeof(*p->items));
    }
    p->items[p->n++] = *it;
}

static void place(builder *b, gk__page *p, const vitem *v, double ox, double oy)
{
    for (size_t k = 0; k < v->count; k++) {
        gk__item it = b->proto.v[v->first + k];
        it.x += ox;
        it.y += oy;
        page_push(p, &it);
    }
    if (v->dest >= 0) {
        b->L->dests[v->dest].page = (int)(p - b->L->pages);
        b->L->dests[v->dest].y = oy;
    }
}

static void paginate(builder *b)
{
    gk__layout *L = b->L;
    const gk_page_setup *ps = &b->doc->page;
    size_t i = 0, n = b->nv;
    bool land = false;
    /* A line's box ends with half its leading: 22 lines of 29 pt fill the
     * 637.8 pt GB/T 9704 text block. */
    const double eps = 1.0;
    for (size_t k = 0; k < n; k++)
        if (b->v[k].shrink) {
            vitem *v = &b->v[k];
            gk__item *it = &b->proto.v[v->first];
            v->h = it->h = v->h0;
            it->w = v->cw0;
            it->x = v->cx0;
        }
    while (i < n) {
        while (i < n && b->v[i].kind == V_BREAK)
            land = b->v[i++].orient;
        while (i < n && b->v[i].kind == V_SPACE && b->v[i].discard)
            i++;
        if (i >= n)
            break;
        if (b->v[i].kind == V_BREAK)
            continue;
        geom g = page_geom(ps, land);
        double y = 0;
        int rep = -1;
        const vitem *first = &b->v[i];
        if (first->kind == V_ROWS && !first->header && first->table >= 0 &&
            b->theader[first->table] >= 0 &&
            (size_t)b->theader[first->table] < i)
            rep = b->theader[first->table];
        if (rep >= 0)
            y += b->v[rep].h;
        size_t j = i;
        while (j < n && b->v[j].kind != V_BREAK) {
            if (y + b->v[j].h > g.bh + eps) {
                /* A chart that nearly fits shrinks (with its caption kept
                 * under it) rather than leave the rest of the page empty. */
                vitem *v = &b->v[j];
                if (!v->shrink)
                    break;
                double tail = 0;
                for (size_t k = j + 1; k < n && b->v[k - 1].keep; k++)
                    tail += b->v[k].h;
                double f = (g.bh - y - tail) / v->h0;
                if (f < 0.7)
                    break;
                if (f > 1)
                    f = 1;
                gk__item *it = &b->proto.v[v->first];
                v->h = it->h = v->h0 * f;
                it->w = v->cw0 * f;
                it->x = v->cx0 + (v->cw0 - it->w) / 2;
            }
            y += b->v[j].h;
            j++;
        }
        if (j < n && b->v[j].kind != V_BREAK) {
            /* Overflow at j: move back along keep chains. */
            size_t k = j;
            while (k > i && b->v[k - 1].keep)
                k--;
            if (k > i)
                j = k;
            if (j == i)
                j = i + 1; /* taller than a page: alone */
        }
        if (L->npages >= GK__LAYOUT_MAX_PAGES) {
            L->overflow = true;
            L->overflow_src = first->src;
            break;
        }
        gk__page *p = new_page(L, land, ps);
        p->number = first->title ? 0 : -1;
        double oy = g.mt;
        if (rep >= 0) {
            place(b, p, &b->v[rep], g.ml, oy);
            oy += b->v[rep].h;
        }
        for (size_t k = i; k < j; k++) {
            if (b->v[k].kind == V_SPACE && b->v[k].discard && k + 1 == j &&
                j < n)
                break; /* a space at the page foot is dropped too */
            place(b, p, &b->v[k], g.ml, oy);
            oy += b->v[k].h;
        }
        i = j;
    }
    if (L->npages == 0)
        new_page(L, false, ps);
    int num = 0;
    L->title_pages = 0;
    for (size_t k = 0; k < L->npages; k++) {
        if (L->pages[k].number == 0 && num == 0)
            L->title_pages++;
        else
            L->pages[k].number = ++num;
    }
}

static void add_footers(builder *b)
{
    const gk_doc *doc = b->doc;
    if (!doc->page.page_numbers)
        return;
    const gk_style *s = &doc->styles[GK_STYLE_FOOTER];
    gk__lines lines = { 0 };
    for (size_t k = 0; k < b->L->npages; k++) {
        gk__page *p = &b->L->pages[k];
        if (p->number <= 0)
            continue;
        geom g = page_geom(&doc->page, p->landscape);
        char buf[48];
        snprintf(buf, sizeof buf, "— %d —", p->number);
        gk__tb_clear(&b->tb);
        gk__tb_add(&b->tc, &b->tb, buf, strlen(buf), s->font, s->size_pt, 0, s->bold);
        gk__tb_lines(&b->tb, g.bw, g.bw, &lines);
        double size = s->size_pt;
        double y = g.mt + g.bh + doc->page.footer_mm * GK__PT_PER_MM + ASCENT * size;
        gk_align al = GK_ALIGN_CENTER;
        double x = g.ml, w = g.bw;
        if (doc->page.odd_even_footer) {
            /* GB/T 9704: odd pages right, even pages left, one character in. */
            al = p->number % 2 ? GK_ALIGN_RIGHT : GK_ALIGN_LEFT;
            x = g.ml + size;
            w = g.bw - 2 * size;
        }
        gk__items tmp = { 0 };
        gk__tb_emit(&b->tc, &b->tb, &lines.v[0], x, w, al, y, &tmp);
        for (size_t i = 0; i < tmp.n; i++)
            page_push(p, &tmp.v[i]);
        free(tmp.v);
    }
    free(lines.v);
}

/* ------------------------------------------------------------------ */

unsigned gk__layout_roles(const gk_doc *doc)
{
    unsigned roles = 0;
    bool used[GK_STYLE_COUNT] = { 0 };
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        const gk_runs *runs = NULL;
        switch (b->type) {
        case GK_BLOCK_PARAGRAPH:
            if ((unsigned)b->u.para.style < GK_STYLE_COUNT)
                used[b->u.para.style] = true;
            runs = &b->u.para.runs;
            break;
        case GK_BLOCK_HEADING:
            used[heading_style(b->u.heading.level)] = true;
            runs = &b->u.heading.runs;
            break;
        case GK_BLOCK_TABLE: {
            const gk_table *t = &b->u.table;
            used[GK_STYLE_TABLE_NUMBER] = used[GK_STYLE_TABLE_TITLE] = true;
            used[GK_STYLE_TABLE_UNIT] = used[GK_STYLE_TABLE_HEADER] = true;
            used[GK_STYLE_TABLE_TEXT] = used[GK_STYLE_TABLE_NOTE] = true;
            for (size_t r = 0; r < t->nrows; r++)
                for (int c = 0; c < t->ncols; c++) {
                    const gk_runs *cr = &t->rows[r].cells[c].runs;
                    for (size_t k = 0; k < cr->len; k++)
                        if (cr->items[k].font >= 0 && cr->items[k].font < GK_FONT_ROLE_COUNT)
                            roles |= 1u << cr->items[k].font;
                }
            break;
        }
        case GK_BLOCK_CHART:
            used[GK_STYLE_CAPTION] = true;
            roles |= 1u << GK_FONT_SONG | 1u << GK_FONT_HEI;
            break;
        case GK_BLOCK_TOC:
            used[GK_STYLE_TOC_TITLE] = used[GK_STYLE_TOC1] = used[GK_STYLE_TOC2] = true;
            break;
        default:
            break;
        }
        if (runs)
            for (size_t k = 0; k < runs->len; k++)
                if (runs->items[k].font >= 0 && runs->items[k].font < GK_FONT_ROLE_COUNT)
                    roles |= 1u << runs->items[k].font;
    }
    if (doc->page.page_numbers)
        used[GK_STYLE_FOOTER] = true;
    for (int s = 0; s < GK_STYLE_COUNT; s++)
        if (used[s] && (unsigned)doc->styles[s].font < GK_FONT_ROLE_COUNT)
            roles |= 1u << doc->styles[s].font;
    if (!roles)
        roles = 1u << GK_FONT_SONG;
    return roles;
}

static void reset_pages(gk__layout *L)
{
    for (size_t k = 0; k < L->npages; k++)
        free(L->pages[k].items);
    L->npages = 0;
}

/* Lay out the TOC again (its page numbers changed) and keep every other
 * item of the last pass. */
static void rebuild_toc(builder *b)
{
    size_t v0 = b->toc_v0, v1 = b->toc_v1, ntail = b->nv - v1;
    vitem *tail = gk_xmalloc((ntail + 1) * sizeof(vitem));
    memcpy(tail, &b->v[v1], ntail * sizeof(vitem));
    b->nv = v0;
    bool save_land = b->landscape;
    double save_bw = b->bw, save_bh = b->bh;
    geom g = page_geom(&b->doc->page, b->toc_landscape);
    b->landscape = b->toc_landscape;
    b->bw = g.bw;
    b->bh = g.bh;
    b->title = false;
    do_toc(b, b->toc_block);
    size_t nv1 = b->nv;
    for (size_t k = 0; k < ntail; k++) {
        vitem *it = v_push(b, tail[k].kind, 0, false);
        *it = tail[k];
    }
    free(tail);
    for (size_t t = 0; t < b->ntables; t++)
        if (b->theader[t] >= (int)v1)
            b->theader[t] += (int)nv1 - (int)v1;
    b->toc_v1 = nv1;
    b->landscape = save_land;
    b->bw = save_bw;
    b->bh = save_bh;
}

gk_status gk__layout_doc(const gk_doc *doc, gk__fonts *fonts, gk__layout *L,
                         gk_error *err)
{
    memset(L, 0, sizeof(*L));
    gk_arena_init(&L->arena);
    builder b = { .doc = doc, .fs = fonts, .L = L };
    b.tc = (gk__tctx){ .fonts = fonts, .arena = &L->arena };
    b.dest_of = gk_xcalloc(doc->nblocks + 1, sizeof(int));
    bool has_toc = false;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *blk = doc->blocks[i];
        b.dest_of[i] = -1;
        if (blk->type == GK_BLOCK_HEADING && blk->u.heading.level == 0)
            b.has_parts = true;
        if (blk->type == GK_BLOCK_TOC)
            has_toc = true;
        if (blk->type == GK_BLOCK_HEADING || blk->type == GK_BLOCK_TABLE) {
            if (L->ndests == L->capdests) {
                L->capdests = L->capdests ? L->capdests * 2 : 32;
                L->dests = gk_xrealloc(L->dests, L->capdests * sizeof(*L->dests));
            }
            const char *anchor = blk->type == GK_BLOCK_HEADING
                                     ? blk->u.heading.anchor : blk->u.table.anchor;
            L->dests[L->ndests] = (gk__dest){ .anchor = anchor, .page = -1, .block = i };
            b.dest_of[i] = (int)L->ndests++;
        }
    }
    int *prev = NULL, *cur = gk_xcalloc(L->ndests + 1, sizeof(int));
    for (int pass = 1; pass <= 4; pass++) {
        reset_pages(L);
        for (size_t d = 0; d < L->ndests; d++)
            L->dests[d].page = -1;
        b.toc_pages = prev;
        if (pass > 1 && b.ntoc == 1)
            rebuild_toc(&b);
        else
            build(&b);
        paginate(&b);
        L->passes = pass;
        if (L->overflow)
            break;
        if (!has_toc)
            break;
        for (size_t d = 0; d < L->ndests; d++)
            cur[d] = L->dests[d].page >= 0 ? L->pages[L->dests[d].page].number : 0;
        if (prev && memcmp(prev, cur, L->ndests * sizeof(int)) == 0)
            break;
        if (!prev)
            prev = gk_xcalloc(L->ndests + 1, sizeof(int));
        memcpy(prev, cur, L->ndests * sizeof(int));
    }
    gk_status st = GK_OK;
    if (L->overflow)
        st = gk_error_set(err, GK_ERR_LIMIT, L->overflow_src.file,
                          L->overflow_src.line, 0, NULL,
                          GK_TR("排版超过 %d 页的上限（文档过长：从此处起的内容排不下）",
                                "the layout exceeds the limit of %d pages (the document is too long from here on)"),
                          GK__LAYOUT_MAX_PAGES);
    else
        add_footers(&b);
    free(prev);
    free(cur);
    free(b.dest_of);
    free(b.v);
    free(b.proto.v);
    free(b.theader);
    free(b.lines.v);
    gk__tb_release(&b.tb);
    gk__tb_release(&b.tb2);
    return st;
}

void gk__layout_release(gk__layout *L)
{
    reset_pages(L);
    free(L->pages);
    free(L->dests);
    free(L->outline);
    gk_arena_release(&L->arena);
    memset(L, 0, sizeof(*L));
}

double gk__measure(void *ctx, gk_font_role font, double size_pt,
                   const char *text)
{
    gk__fonts *fs = ctx;
    gk_arena scratch = GK_ARENA_INIT;
    gk__tctx c = { .fonts = fs, .arena = &scratch };
    gk__tb tb = GK__TB_INIT;
    gk__tb_add(&c, &tb, text, strlen(text), font, size_pt, 0, false);
    double w = gk__tb_natural(&tb);
    gk__tb_release(&tb);
    gk_arena_release(&scratch);
    return w;
}
