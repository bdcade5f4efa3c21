/* Document tree: construction, defaults and invariants.  See doc.h. */
#include <stdlib.h>
#include <string.h>

#include "gongkai/doc.h"

static const char *const style_names[GK_STYLE_COUNT] = {
    [GK_STYLE_BODY] = "body",
    [GK_STYLE_TITLE] = "title",
    [GK_STYLE_SUBTITLE] = "subtitle",
    [GK_STYLE_PART] = "part",
    [GK_STYLE_H1] = "h1",
    [GK_STYLE_H2] = "h2",
    [GK_STYLE_H3] = "h3",
    [GK_STYLE_H4] = "h4",
    [GK_STYLE_TABLE_NUMBER] = "table-number",
    [GK_STYLE_TABLE_TITLE] = "table-title",
    [GK_STYLE_TABLE_UNIT] = "table-unit",
    [GK_STYLE_TABLE_HEADER] = "table-header",
    [GK_STYLE_TABLE_TEXT] = "table-text",
    [GK_STYLE_TABLE_NOTE] = "table-note",
    [GK_STYLE_CAPTION] = "caption",
    [GK_STYLE_TOC_TITLE] = "toc-title",
    [GK_STYLE_TOC1] = "toc1",
    [GK_STYLE_TOC2] = "toc2",
    [GK_STYLE_FOOTER] = "footer",
};

static const char *const role_names[GK_FONT_ROLE_COUNT] = {
    [GK_FONT_SONG] = "宋体",
    [GK_FONT_HEI] = "黑体",
    [GK_FONT_KAI] = "楷体",
    [GK_FONT_FANGSONG] = "仿宋",
    [GK_FONT_XBS] = "小标宋",
};

const char *gk_style_name(gk_style_id id)
{
    return (unsigned)id < GK_STYLE_COUNT ? style_names[id] : "?";
}

bool gk_style_from_name(const char *name, gk_style_id *id)
{
    for (int i = 0; i < GK_STYLE_COUNT; i++)
        if (strcmp(style_names[i], name) == 0) {
            *id = (gk_style_id)i;
            return true;
        }
    return false;
}

const char *gk_font_role_name(gk_font_role r)
{
    return (unsigned)r < GK_FONT_ROLE_COUNT ? role_names[r] : "?";
}

bool gk_font_role_from_name(const char *name, gk_font_role *r)
{
    static const struct { const char *alias; gk_font_role role; } aliases[] = {
        {"song", GK_FONT_SONG}, {"hei", GK_FONT_HEI}, {"kai", GK_FONT_KAI},
        {"fangsong", GK_FONT_FANGSONG}, {"xbs", GK_FONT_XBS},
        {"仿宋_GB2312", GK_FONT_FANGSONG}, {"楷体_GB2312", GK_FONT_KAI},
        {"方正小标宋简体", GK_FONT_XBS}, {"方正小标宋_GBK", GK_FONT_XBS},
    };
    for (int i = 0; i < GK_FONT_ROLE_COUNT; i++)
        if (strcmp(role_names[i], name) == 0) {
            *r = (gk_font_role)i;
            return true;
        }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(aliases[i].alias, name) == 0) {
            *r = aliases[i].role;
            return true;
        }
    return false;
}

void gk_style_defaults(gk_style *s, gk_page_setup *page)
{
    /* GB/T 9704-2012: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm;
     * body 三号仿宋, 22 lines of 28 characters (≈ 29 pt pitch); headings
     * 黑体 / 楷体 / 仿宋 by level; title 二号小标宋. */
    const gk_style body = {
        .font = GK_FONT_FANGSONG, .size_pt = 16, .line_pt = 29,
        .indent_chars = 2, .align = GK_ALIGN_JUSTIFY,
    };
    for (int i = 0; i < GK_STYLE_COUNT; i++)
        s[i] = body;
    s[GK_STYLE_TITLE] = (gk_style){ .font = GK_FONT_XBS, .size_pt = 22,
        .line_pt = 36, .align = GK_ALIGN_CENTER, .space_after_pt = 12 };
    s[GK_STYLE_SUBTITLE] = (gk_style){ .font = GK_FONT_XBS, .size_pt = 22,
        .line_pt = 36, .align = GK_ALIGN_CENTER };
    s[GK_STYLE_PART] = (gk_style){ .font = GK_FONT_HEI, .size_pt = 16,
        .line_pt = 29, .align = GK_ALIGN_CENTER, .space_before_pt = 14.5,
        .space_after_pt = 14.5, .keep_with_next = true };
    s[GK_STYLE_H1] = (gk_style){ .font = GK_FONT_HEI, .size_pt = 16,
        .line_pt = 29, .indent_chars = 2, .align = GK_ALIGN_LEFT,
        .keep_with_next = true };
    s[GK_STYLE_H2] = (gk_style){ .font = GK_FONT_KAI, .size_pt = 16,
        .line_pt = 29, .indent_chars = 2, .align = GK_ALIGN_LEFT,
        .keep_with_next = true };
    s[GK_STYLE_H3] = (gk_style){ .font = GK_FONT_FANGSONG, .size_pt = 16,
        .line_pt = 29, .indent_chars = 2, .align = GK_ALIGN_LEFT,
        .bold = true, .keep_with_next = true };
    s[GK_STYLE_H4] = (gk_style){ .font = GK_FONT_FANGSONG, .size_pt = 16,
        .line_pt = 29, .indent_chars = 2, .align = GK_ALIGN_LEFT,
        .keep_with_next = true };
    s[GK_STYLE_TABLE_NUMBER] = (gk_style){ .font = GK_FONT_SONG, .size_pt = 10.5,
        .line_pt = 14, .align = GK_ALIGN_RIGHT, .keep_with_next = true };
    s[GK_STYLE_TABLE_TITLE] = (gk_style){ .font = GK_FONT_HEI, .size_pt = 15,
        .line_pt = 24, .align = GK_ALIGN_CENTER, .space_before_pt = 6,
        .space_after_pt = 4, .keep_with_next = true };
    s[GK_STYLE_TABLE_UNIT] = (gk_style){ .font = GK_FONT_SONG, .size_pt = 10.5,
        .line_pt = 16, .align = GK_ALIGN_RIGHT, .keep_with_next = true };
    s[GK_STYLE_TABLE_HEADER] = (gk_style){ .font = GK_FONT_HEI, .size_pt = 9,
        .line_pt = 12, .align = GK_ALIGN_CENTER };
    s[GK_STYLE_TABLE_TEXT] = (gk_style){ .font = GK_FONT_SONG, .size_pt = 9,
        .line_pt = 12, .align = GK_ALIGN_LEFT };
    s[GK_STYLE_TABLE_NOTE] = (gk_style){ .font = GK_FONT_SONG, .size_pt = 9,
        .line_pt = 13, .align = GK_ALIGN_LEFT, .space_before_pt = 3 };
    s[GK_STYLE_CAPTION] = (gk_style){ .font = GK_FONT_HEI, .size_pt = 12,
        .line_pt = 20, .align = GK_ALIGN_CENTER, .space_after_pt = 6 };
    s[GK_STYLE_TOC_TITLE] = (gk_style){ .font = GK_FONT_HEI, .size_pt = 22,
        .line_pt = 36, .align = GK_ALIGN_CENTER, .space_after_pt = 12 };
    s[GK_STYLE_TOC1] = (gk_style){ .font = GK_FONT_HEI, .size_pt = 14,
        .line_pt = 26, .align = GK_ALIGN_LEFT };
    s[GK_STYLE_TOC2] = (gk_style){ .font = GK_FONT_FANGSONG, .size_pt = 14,
        .line_pt = 24, .left_chars = 2, .align = GK_ALIGN_LEFT };
    s[GK_STYLE_FOOTER] = (gk_style){ .font = GK_FONT_SONG, .size_pt = 14,
        .line_pt = 16, .align = GK_ALIGN_CENTER };
    *page = (gk_page_setup){
        .width_mm = 210, .height_mm = 297,
        .top_mm = 37, .bottom_mm = 35, .left_mm = 28, .right_mm = 26,
        .page_numbers = true, .odd_even_footer = true, .footer_mm = 7,
    };
}

gk_doc *gk_doc_new(void)
{
    gk_doc *d = gk_xcalloc(1, sizeof(*d));
    gk_arena_init(&d->arena);
    gk_style_defaults(d->styles, &d->page);
    d->info.lang = "zh-CN";
    return d;
}

void gk_doc_free(gk_doc *doc)
{
    if (!doc)
        return;
    free(doc->blocks);
    gk_arena_release(&doc->arena);
    free(doc);
}

char *gk_doc_strdup(gk_doc *doc, const char *s)
{
    return gk_arena_strdup(&doc->arena, s ? s : "");
}

gk_block *gk_doc_add_block(gk_doc *doc, gk_block_type type, gk_src src)
{
    if (doc->nblocks == doc->cap) {
        doc->cap = doc->cap ? doc->cap * 2 : 64;
        doc->blocks = gk_xrealloc(doc->blocks, doc->cap * sizeof(*doc->blocks));
    }
    gk_block *b = GK_ARENA_NEW(&doc->arena, gk_block);
    b->type = type;
    b->src = src;
    doc->blocks[doc->nblocks++] = b;
    return b;
}

gk_block *gk_doc_add_paragraph(gk_doc *doc, gk_style_id style, gk_src src)
{
    gk_block *b = gk_doc_add_block(doc, GK_BLOCK_PARAGRAPH, src);
    b->u.para.style = style;
    b->u.para.align = -1;
    return b;
}

gk_block *gk_doc_add_heading(gk_doc *doc, int level, const char *number,
                             gk_src src)
{
    gk_block *b = gk_doc_add_block(doc, GK_BLOCK_HEADING, src);
    b->u.heading.level = level;
    b->u.heading.number = gk_doc_strdup(doc, number);
    b->u.heading.anchor = gk_arena_printf(&doc->arena, "h%d", ++doc->nheadings);
    b->u.heading.in_toc = true;
    return b;
}

/* Run texts are allocated in powers of two (at least 32 bytes), so the
 * capacity of a run's text is known from its length: appending to the last
 * run grows it in place or doubles it, never copies it for every piece (a
 * paragraph of 100,000 pieces stays linear in time and memory). */
static size_t run_cap(size_t n)
{
    size_t c = 32;
    while (c < n)
        c <<= 1;
    return c;
}

void gk_runs_add(gk_doc *doc, gk_runs *runs, const char *text, size_t len,
                 unsigned flags, int font)
{
    if (len == 0)
        return;
    /* Merge with the previous run when the style is the same. */
    if (runs->len > 0) {
        gk_run *last = &runs->items[runs->len - 1];
        if (last->flags == flags && last->font == font) {
            size_t old = strlen(last->text);
            char *t = (char *)last->text;
            if (old + len + 1 > run_cap(old + 1)) {
                t = gk_arena_alloc(&doc->arena, run_cap(old + len + 1));
                memcpy(t, last->text, old);
            }
            memcpy(t + old, text, len);
            t[old + len] = '\0';
            last->text = t;
            return;
        }
    }
    if (runs->len == runs->cap) {
        size_t cap = runs->cap ? runs->cap * 2 : 4;
        gk_run *items = GK_ARENA_ARRAY(&doc->arena, gk_run, cap);
        if (runs->len)
            memcpy(items, runs->items, runs->len * sizeof(gk_run));
        runs->items = items;
        runs->cap = cap;
    }
    char *t = gk_arena_alloc(&doc->arena, run_cap(len + 1));
    memcpy(t, text, len);
    t[len] = '\0';
    runs->items[runs->len++] = (gk_run){
        .text = t,
        .flags = flags,
        .font = font,
    };
}

const char *gk_runs_text(gk_doc *doc, const gk_runs *runs)
{
    if (runs->len == 1)
        return runs->items[0].text;
    gk_buf b = GK_BUF_INIT;
    for (size_t i = 0; i < runs->len; i++)
        gk_buf_puts(&b, runs->items[i].text);
    char *s = gk_arena_strndup(&doc->arena, b.ptr, b.len);
    gk_buf_release(&b);
    return s;
}

void gk_table_alloc(gk_doc *doc, gk_table *t, int ncols, size_t nrows)
{
    t->ncols = ncols;
    t->nrows = nrows;
    t->cols = GK_ARENA_ARRAY(&doc->arena, gk_column, (size_t)ncols);
    t->rows = GK_ARENA_ARRAY(&doc->arena, gk_row, nrows ? nrows : 1);
    for (int c = 0; c < ncols; c++)
        t->cols[c].align = GK_ALIGN_LEFT;
    for (size_t r = 0; r < nrows; r++) {
        t->rows[r].kind = GK_ROW_BODY;
        t->rows[r].cells = GK_ARENA_ARRAY(&doc->arena, gk_cell, (size_t)ncols);
        for (int c = 0; c < ncols; c++) {
            t->rows[r].cells[c].colspan = 1;
            t->rows[r].cells[c].rowspan = 1;
            t->rows[r].cells[c].align = -1;
        }
    }
    if (!t->number) t->number = "";
    if (!t->title) t->title = "";
    if (!t->caption_left) t->caption_left = "";
    if (!t->unit) t->unit = "";
    if (!t->note) t->note = "";
    if (!t->empty_note) t->empty_note = "";
}

static gk_status check_table(const gk_block *b, gk_error *err)
{
    const gk_table *t = &b->u.table;
    if (t->ncols <= 0)
        return gk_error_set(err, GK_ERR_TEMPLATE, b->src.file, b->src.line, 0,
                            NULL, "table has no columns");
    bool body_seen = false;
    for (size_t r = 0; r < t->nrows; r++) {
        const gk_row *row = &t->rows[r];
        if (row->kind == GK_ROW_HEADER && body_seen)
            return gk_error_set(err, GK_ERR_TEMPLATE, b->src.file, b->src.line,
                                0, NULL, "header row %zu after a body row", r + 1);
        if (row->kind != GK_ROW_HEADER)
            body_seen = true;
        for (int c = 0; c < t->ncols; c++) {
            const gk_cell *cell = &row->cells[c];
            if (cell->covered)
                continue;
            if (cell->colspan < 1 || cell->rowspan < 1 ||
                c + cell->colspan > t->ncols ||
                r + (size_t)cell->rowspan > t->nrows)
                return gk_error_set(err, GK_ERR_TEMPLATE, b->src.file,
                                    b->src.line, 0, NULL,
                                    "cell %zu,%d spans outside the table", r + 1,
                                    c + 1);
            for (int dr = 0; dr < cell->rowspan; dr++)
                for (int dc = 0; dc < cell->colspan; dc++) {
                    if (!dr && !dc)
                        continue;
                    if (!t->rows[r + (size_t)dr].cells[c + dc].covered)
                        return gk_error_set(
                            err, GK_ERR_TEMPLATE, b->src.file, b->src.line, 0,
                            NULL, "cell %zu,%d overlaps a spanned cell",
                            r + (size_t)dr + 1, c + dc + 1);
                }
        }
    }
    return GK_OK;
}

gk_status gk_doc_check(const gk_doc *doc, gk_error *err)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        switch (b->type) {
        case GK_BLOCK_TABLE: {
            gk_status st = check_table(b, err);
            if (st)
                return st;
            break;
        }
        case GK_BLOCK_HEADING:
            if (b->u.heading.level < 0 || b->u.heading.level > 4)
                return gk_error_set(err, GK_ERR_TEMPLATE, b->src.file,
                                    b->src.line, 0, NULL,
                                    "heading level %d out of range",
                                    b->u.heading.level);
            break;
        case GK_BLOCK_CHART:
            if (b->u.chart.nseries < 1 || b->u.chart.nseries > GK_CHART_MAX_SERIES)
                return gk_error_set(err, GK_ERR_TEMPLATE, b->src.file,
                                    b->src.line, 0, NULL,
                                    "chart needs 1 to %d series",
                                    GK_CHART_MAX_SERIES);
            break;
        default:
            break;
        }
    }
    return GK_OK;
}
