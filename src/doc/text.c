/* The plain-text renderer: the document in reading order, one paragraph a
 * line, a blank line between blocks, tables as aligned text with '|'
 * separators (East Asian wide characters count two columns), charts as a
 * caption and one line per point.  Deterministic.  See doc.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/doc.h"

/* East Asian Wide (W) and Fullwidth (F) ranges, enough for Chinese text,
 * punctuation, fullwidth forms and common symbols. */
static int cp_width(int32_t cp)
{
    static const struct { int32_t lo, hi; } wide[] = {
        {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC},
        {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
        {0xA000, 0xA4CF}, {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
        {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    if (cp == 0)
        return 0;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (cp >= wide[i].lo && cp <= wide[i].hi)
            return 2;
    return 1;
}

static size_t width_n(const char *s, size_t len)
{
    size_t w = 0, i = 0;
    while (i < len) {
        int32_t cp = gk_utf8_next(s, len, &i);
        if (cp < 0) {
            i++;
            w++;
            continue;
        }
        w += (size_t)cp_width(cp);
    }
    return w;
}

size_t gk_text_width(const char *s)
{
    return s ? width_n(s, strlen(s)) : 0;
}

static void pad(gk_buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gk_buf_putc(out, ' ');
}

static void runs_to(const gk_runs *r, gk_buf *b)
{
    for (size_t i = 0; i < r->len; i++)
        gk_buf_puts(b, r->items[i].text);
}

/* ---------------- tables ---------------- */

typedef struct tcell {
    char **lines;
    size_t nlines;
    size_t width;  /* widest line incl. indent */
} tcell;

static void split_lines(const char *s, size_t indent, tcell *tc)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        if (*p == '\n')
            n++;
    tc->lines = gk_xcalloc(n, sizeof(char *));
    tc->nlines = 0;
    tc->width = 0;
    const char *p = s;
    for (;;) {
        size_t len = strcspn(p, "\n");
        char *line = gk_xmalloc(len + indent + 1);
        memset(line, ' ', indent);
        memcpy(line + indent, p, len);
        line[indent + len] = '\0';
        size_t w = width_n(line, indent + len);
        if (w > tc->width)
            tc->width = w;
        tc->lines[tc->nlines++] = line;
        if (!p[len])
            break;
        p += len + 1;
    }
}

static void rule(gk_buf *out, const size_t *w, int ncols)
{
    gk_buf_putc(out, '+');
    for (int c = 0; c < ncols; c++) {
        for (size_t i = 0; i < w[c] + 2; i++)
            gk_buf_putc(out, '-');
        gk_buf_putc(out, '+');
    }
    gk_buf_putc(out, '\n');
}

static void put_aligned(gk_buf *out, const char *s, size_t width, int align)
{
    size_t w = gk_text_width(s);
    size_t extra = width > w ? width - w : 0;
    size_t left = align == GK_ALIGN_RIGHT ? extra : align == GK_ALIGN_CENTER ? extra / 2 : 0;
    pad(out, left);
    gk_buf_puts(out, s);
    pad(out, extra - left);
}

static void render_table(const gk_table *t, gk_buf *out)
{
    if (t->number[0])
        gk_buf_printf(out, "%s\n", t->number);
    if (t->title[0])
        gk_buf_printf(out, "%s\n", t->title);
    if (t->caption_left[0] || t->unit[0]) {
        gk_buf_puts(out, t->caption_left);
        if (t->caption_left[0] && t->unit[0])
            gk_buf_puts(out, "    ");
        gk_buf_puts(out, t->unit);
        gk_buf_putc(out, '\n');
    }
    int nc = t->ncols;
    size_t nr = t->nrows;
    if (nc <= 0)
        return;
    tcell *cells = gk_xcalloc(nr * (size_t)nc + 1, sizeof(tcell));
    size_t *w = gk_xcalloc((size_t)nc, sizeof(size_t));
    gk_buf tmp = GK_BUF_INIT;
    for (size_t r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered)
                continue;
            gk_buf_clear(&tmp);
            runs_to(&cell->runs, &tmp);
            split_lines(tmp.ptr, (size_t)(cell->indent > 0 ? cell->indent : 0) * 2,
                        &cells[r * (size_t)nc + (size_t)c]);
        }
    gk_buf_release(&tmp);
    /* single columns first, then spans widen their last column */
    for (size_t r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (!cell->covered && cell->colspan <= 1 && cells[r * (size_t)nc + (size_t)c].width > w[c])
                w[c] = cells[r * (size_t)nc + (size_t)c].width;
        }
    for (int span = 2; span <= nc; span++)
        for (size_t r = 0; r < nr; r++)
            for (int c = 0; c + span <= nc; c++) {
                const gk_cell *cell = &t->rows[r].cells[c];
                if (cell->covered || cell->colspan != span)
                    continue;
                size_t have = 0;
                for (int k = 0; k < span; k++)
                    have += w[c + k];
                have += 3 * (size_t)(span - 1);
                size_t need = cells[r * (size_t)nc + (size_t)c].width;
                if (need > have)
                    w[c + span - 1] += need - have;
            }
    for (int c = 0; c < nc; c++)
        if (w[c] == 0)
            w[c] = 1;

    /* which cell covers each slot: the slot's origin (for rowspans) */
    size_t *origin = gk_xmalloc((nr * (size_t)nc + 1) * sizeof(size_t));
    for (size_t i = 0; i < nr * (size_t)nc; i++)
        origin[i] = SIZE_MAX;
    for (size_t r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered)
                continue;
            for (size_t dr = 0; dr < (size_t)(cell->rowspan < 1 ? 1 : cell->rowspan) && r + dr < nr; dr++)
                for (int dc = 0; dc < (cell->colspan < 1 ? 1 : cell->colspan) && c + dc < nc; dc++)
                    origin[(r + dr) * (size_t)nc + (size_t)(c + dc)] = r * (size_t)nc + (size_t)c;
        }
    rule(out, w, nc);
    size_t body_rows = 0;
    for (size_t r = 0; r < nr; r++) {
        const gk_row *row = &t->rows[r];
        if (row->kind == GK_ROW_BODY)
            body_rows++;
        size_t height = 1;
        for (int c = 0; c < nc; c++)
            if (!row->cells[c].covered && cells[r * (size_t)nc + (size_t)c].nlines > height)
                height = cells[r * (size_t)nc + (size_t)c].nlines;
        for (size_t ln = 0; ln < height; ln++) {
            gk_buf_putc(out, '|');
            for (int c = 0; c < nc;) {
                const gk_cell *cell = &row->cells[c];
                int span;
                if (cell->covered) {
                    /* covered by a rowspan from above: blank across the
                     * origin cell's columns */
                    size_t o = origin[r * (size_t)nc + (size_t)c];
                    int oc = o == SIZE_MAX ? c : (int)(o % (size_t)nc);
                    span = 1;
                    if (o != SIZE_MAX && oc == c)
                        span = t->rows[o / (size_t)nc].cells[oc].colspan;
                    if (span < 1 || c + span > nc)
                        span = 1;
                    size_t bw = 0;
                    for (int k = 0; k < span; k++)
                        bw += w[c + k];
                    bw += 3 * (size_t)(span - 1);
                    gk_buf_putc(out, ' ');
                    pad(out, bw);
                    gk_buf_puts(out, " |");
                    c += span;
                    continue;
                }
                span = cell->colspan < 1 ? 1 : cell->colspan;
                if (c + span > nc)
                    span = nc - c;
                size_t width = 0;
                for (int k = 0; k < span; k++)
                    width += w[c + k];
                width += 3 * (size_t)(span - 1);
                const tcell *tc = &cells[r * (size_t)nc + (size_t)c];
                int align = cell->align >= 0 ? cell->align
                            : row->kind == GK_ROW_HEADER ? GK_ALIGN_CENTER
                                                         : (int)t->cols[c].align;
                gk_buf_putc(out, ' ');
                put_aligned(out, ln < tc->nlines ? tc->lines[ln] : "", width, align);
                gk_buf_puts(out, " |");
                c += span;
            }
            gk_buf_putc(out, '\n');
        }
        if (row->kind == GK_ROW_HEADER && (r + 1 == nr || t->rows[r + 1].kind != GK_ROW_HEADER))
            rule(out, w, nc);
    }
    if (nr == 0 || t->rows[nr - 1].kind != GK_ROW_HEADER)
        rule(out, w, nc);
    for (size_t i = 0; i < nr * (size_t)nc; i++) {
        for (size_t k = 0; k < cells[i].nlines; k++)
            free(cells[i].lines[k]);
        free(cells[i].lines);
    }
    free(cells);
    free(origin);
    free(w);
    if (body_rows == 0 && t->empty_note[0])
        gk_buf_printf(out, "%s\n", t->empty_note);
    if (t->note[0])
        gk_buf_printf(out, "%s\n", t->note);
}

/* ---------------- charts ---------------- */

static void render_chart(const gk_chart *ch, gk_buf *out)
{
    gk_buf_printf(out, "%s\n", ch->caption);
    size_t lw = 0;
    for (size_t i = 0; i < ch->npoints; i++) {
        size_t w = gk_text_width(ch->points[i].label);
        if (w > lw)
            lw = w;
    }
    int ns = ch->nseries < 1 ? 1 : ch->nseries;
    size_t vw[GK_CHART_MAX_SERIES] = {0};
    for (int s = 0; s < ns; s++) {
        if (ns > 1 && ch->series[s])
            vw[s] = gk_text_width(ch->series[s]);
        for (size_t i = 0; i < ch->npoints; i++) {
            size_t w = gk_text_width(ch->points[i].value_text[s]);
            if (w > vw[s])
                vw[s] = w;
        }
    }
    if (ns > 1) {
        pad(out, lw);
        for (int s = 0; s < ns; s++) {
            gk_buf_puts(out, "  ");
            put_aligned(out, ch->series[s] ? ch->series[s] : "", vw[s], GK_ALIGN_RIGHT);
        }
        gk_buf_putc(out, '\n');
    }
    for (size_t i = 0; i < ch->npoints; i++) {
        const gk_chart_point *p = &ch->points[i];
        put_aligned(out, p->label, lw, GK_ALIGN_LEFT);
        for (int s = 0; s < ns; s++) {
            gk_buf_puts(out, "  ");
            put_aligned(out, p->value_text[s] ? p->value_text[s] : "", vw[s], GK_ALIGN_RIGHT);
        }
        /* no trailing blanks */
        while (out->len && out->ptr[out->len - 1] == ' ')
            gk_buf_truncate(out, out->len - 1);
        gk_buf_putc(out, '\n');
    }
}

/* ---------------- document ---------------- */

static void render_toc(const gk_doc *doc, const gk_toc *toc, gk_buf *out)
{
    gk_buf_printf(out, "%s\n", toc->title);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        if (toc->tables && b->type == GK_BLOCK_TABLE && !b->title_page && b->u.table.number[0]) {
            gk_buf_printf(out, "  %s", b->u.table.number);
            if (b->u.table.title[0])
                gk_buf_printf(out, " %s", b->u.table.title);
            gk_buf_putc(out, '\n');
            continue;
        }
        if (b->type != GK_BLOCK_HEADING || !b->u.heading.in_toc || b->title_page ||
            b->u.heading.level > toc->max_level)
            continue;
        pad(out, 2 * (size_t)b->u.heading.level);
        gk_buf_puts(out, b->u.heading.plain ? b->u.heading.plain : "");
        gk_buf_putc(out, '\n');
    }
}

void gk_render_text(const gk_doc *doc, gk_buf *out)
{
    bool first = true;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        if (b->type == GK_BLOCK_PAGE_BREAK)
            continue;
        if (!first)
            gk_buf_putc(out, '\n');
        first = false;
        switch (b->type) {
        case GK_BLOCK_PARAGRAPH:
            runs_to(&b->u.para.runs, out);
            gk_buf_putc(out, '\n');
            break;
        case GK_BLOCK_HEADING:
            if (b->u.heading.plain) {
                gk_buf_puts(out, b->u.heading.plain);
            } else {
                gk_buf_puts(out, b->u.heading.number);
                runs_to(&b->u.heading.runs, out);
            }
            gk_buf_putc(out, '\n');
            break;
        case GK_BLOCK_TABLE:
            render_table(&b->u.table, out);
            break;
        case GK_BLOCK_CHART:
            render_chart(&b->u.chart, out);
            break;
        case GK_BLOCK_TOC:
            render_toc(doc, &b->u.toc, out);
            break;
        default:
            break;
        }
    }
}
