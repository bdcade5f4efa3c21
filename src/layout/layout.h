/*
 * gongkai layout — a gk_doc cut into pages of positioned boxes, for the
 * PDF back end.
 *
 * Line breaking (UAX #14 via libunibreak plus the clreq prohibitions),
 * justification, tables that span pages with repeated header rows,
 * keep-with-next, widow and orphan control, the TOC with real page
 * numbers, page numbers in the footer.  Coordinates are points with the
 * origin at the top-left corner of the page and y growing downwards; a
 * text item's (x, y) is its baseline origin.
 *
 * Ownership: gk__layout_doc() fills a caller-allocated gk__layout whose
 * pages, items and strings live in its own arena; gk__layout_release()
 * frees them.  The gk_doc is only read, and must outlive the layout
 * (chart items point at their blocks).
 */
#ifndef GK_LAYOUT_LAYOUT_H
#define GK_LAYOUT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "gongkai/chart.h"
#include "gongkai/doc.h"
#include "gongkai/render.h"
#include "gongkai/util.h"
#include "layout/fonts.h"

#define GK__PT_PER_MM (72.0 / 25.4)

typedef enum gk__item_kind {
    GK__IT_TEXT,   /* one text operator */
    GK__IT_LINE,   /* a stroked line */
    GK__IT_RECT,   /* a stroked (or filled) rectangle */
    GK__IT_DOTS,   /* a row of dots (TOC leaders): from x to x + w at y,
                      one every h, lw across */
    GK__IT_CHART,  /* space reserved for a chart */
    GK__IT_LINK    /* internal link to dests[dest] */
} gk__item_kind;

typedef struct gk__text {
    int font;              /* gk__fonts index */
    float size;            /* points */
    float tc;              /* extra space after every glyph (PDF Tc) */
    bool bold, italic;
    const char *s;         /* UTF-8, BMP only, every character in `font` */
    size_t len;
} gk__text;

typedef struct gk__item {
    gk__item_kind kind;
    double x, y, w, h;     /* TEXT: baseline origin and advance; LINE: x,y -> x+w,y+h;
                              RECT, CHART, LINK: box (y = top) */
    double lw;             /* line width (LINE, RECT) */
    bool fill;             /* RECT: filled instead of stroked */
    gk_rgb color;
    union {
        gk__text t;
        const gk_block *chart;
        int dest;
    } u;
} gk__item;

typedef struct gk__page {
    double width, height;
    bool landscape;
    int number;            /* page number printed, 0 = none (title page) */
    gk__item *items;
    size_t n, cap;
} gk__page;

/* A link target: the top of a heading or table. */
typedef struct gk__dest {
    const char *anchor;
    int page;              /* index into pages, -1 = not placed */
    double y;              /* top, in layout coordinates */
    size_t block;          /* index of the heading or table in doc->blocks */
    /* A table's column widths in points (ncols of them, in the arena,
     * summing to the text block's width) and whether it stands on a
     * landscape page: the layout's own decisions, for the DOCX through
     * the page map.  ncols 0 = a heading, or a table without columns. */
    int ncols;
    const double *colw;
    bool landscape;
} gk__dest;

/* A bookmark: level 0 = parts, 1 = under the last part. */
typedef struct gk__outline {
    const char *title;
    int level;
    int dest;
} gk__outline;

typedef struct gk__layout {
    gk_arena arena;
    gk__page *pages;
    size_t npages, cappages;
    gk__dest *dests;
    size_t ndests, capdests;
    gk__outline *outline;
    size_t noutline, capoutline;
    int title_pages;       /* leading unnumbered pages */
    int passes;            /* layout passes run (TOC page numbers) */
    double toc_scale;      /* the TOC entries' line pitch factor (0.85..1;
                              0 = no TOC) */
    bool overflow;         /* stopped at GK__LAYOUT_MAX_PAGES */
    gk_src overflow_src;   /* the block that would have started one more */
} gk__layout;

/* Pages of one document.  Layout stops at the block that would start page
 * GK__LAYOUT_MAX_PAGES + 1, so a runaway document costs no more than that
 * and the error names the template line of that block. */
#define GK__LAYOUT_MAX_PAGES 10000

/* Font roles the document uses (bit per gk_font_role), for opening fonts. */
unsigned gk__layout_roles(const gk_doc *doc);

/* Lay out the whole document.  fonts must be initialised for the roles of
 * gk__layout_roles(doc).  Warnings (stand-in fonts, characters no font
 * has) go to fonts->diags. */
gk_status gk__layout_doc(const gk_doc *doc, gk__fonts *fonts, gk__layout *L,
                         gk_error *err) GK_WARN_UNUSED;
void gk__layout_release(gk__layout *L);

/* The page map (render.h) of a finished layout of `doc`: the printed
 * page number of every dest.  Caller frees it with gk_page_map_free(). */
gk_page_map *gk__page_map_of(const gk_doc *doc, const gk__layout *L);

/* Advance width in points of UTF-8 `text` in role `font` at `size_pt`,
 * with the same fonts and fallbacks as the layout (chart labels).  `ctx`
 * is a gk__fonts. */
double gk__measure(void *ctx, gk_font_role font, double size_pt,
                   const char *text);

#endif
