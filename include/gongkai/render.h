/*
 * gongkai — the back ends that turn a gk_doc into bytes.
 *
 * Each writes the whole file into `out` (a gk_buf the caller owns and
 * releases); nothing touches the file system, so the caller can write the
 * result atomically (gk_write_file_atomic) and a failure never leaves a
 * partial file.  The document is only read.
 */
#ifndef GONGKAI_RENDER_H
#define GONGKAI_RENDER_H

#include "gongkai/doc.h"
#include "gongkai/util.h"

/* Where the PDF layout puts each heading and table: the page number
 * printed in its page's footer.  The DOCX back end pre-fills its TOC
 * field with these numbers, so the DOCX's TOC reads like the PDF's
 * before Word updates it, and takes each table's column widths and
 * orientation from it, so its tables are cut as the PDF's are.  Opaque;
 * see gk_page_map_build(). */
typedef struct gk_page_map gk_page_map;

typedef struct gk_render_opts {
    /* Fixed date for metadata when the document gives none: seconds since
     * the epoch, from SOURCE_DATE_EPOCH; 0 = write no date at all. */
    long long source_date_epoch;
    /* Where warnings go (a character no font has, a font fallback);
     * NULL = stderr. */
    gk_diags *warnings;
    /* DOCX: the page map of this same document (from gk_page_map_build()
     * or from page_map_out of a gk_render_pdf() run with the same
     * document), for the TOC's page numbers and the tables' column widths
     * and orientation.  Only read; the caller keeps it and frees it.
     * NULL = gk_render_docx() lays the document out itself when it has a
     * TOC or a table (the PDF's layout cost once more). */
    const gk_page_map *page_map;
    /* PDF: when not NULL, gk_render_pdf() stores here the page map of the
     * layout it drew (NULL when it fails), so a DOCX rendered next needs
     * no layout of its own.  The caller frees it with gk_page_map_free(). */
    gk_page_map **page_map_out;
    /* PDF: when not NULL, called once as soon as the layout is done,
     * before the pages are drawn, with the page map of that layout; the
     * callee owns it (gk_page_map_free).  Not called when the layout
     * fails.  A caller rendering the DOCX in another thread starts it
     * from there (gk_report_render_file does). */
    void (*page_map_ready)(void *ctx, gk_page_map *map);
    void *page_map_ctx;
} gk_render_opts;

/* PDF through libharu: subset CJK fonts, Chinese line breaking, tables
 * that span pages, TOC, bookmarks. */
gk_status gk_render_pdf(const gk_doc *doc, const gk_render_opts *opts,
                        gk_buf *out, gk_error *err) GK_WARN_UNUSED;

/* DOCX through libxml2's writer and libzip: styles, tables, sections,
 * TOC field (pre-filled with opts->page_map's page numbers), charts as
 * pictures; byte-for-byte reproducible.  Without a page map and when the
 * PDF fonts cannot be opened, the TOC's page numbers are left for Word
 * to fill in, with a warning. */
gk_status gk_render_docx(const gk_doc *doc, const gk_render_opts *opts,
                         gk_buf *out, gk_error *err) GK_WARN_UNUSED;

/* Lay the document out as gk_render_pdf() does, without drawing it, and
 * record the printed page number of every heading and table.  Needs the
 * PDF fonts (GK_ERR_FONT when a role has none).  Layout warnings (font
 * stand-ins, characters no font has) go to `warnings`; NULL = dropped.
 * On success *out is a new map the caller frees with gk_page_map_free();
 * it copies what it needs and does not refer to the document. */
gk_status gk_page_map_build(const gk_doc *doc, gk_diags *warnings,
                            gk_page_map **out, gk_error *err) GK_WARN_UNUSED;
/* The page number printed on the page where block `index` of the
 * document (a heading or a table) starts; 0 = a page without a number
 * (the title page); -1 = not a heading or table, not placed, or out of
 * range.  A map answers only for the document it was built from. */
int gk_page_map_block(const gk_page_map *map, size_t index);
/* The same by anchor (gk_heading.anchor, gk_table.anchor); -1 = none. */
int gk_page_map_anchor(const gk_page_map *map, const char *anchor);
/* The layout's decisions for table block `index`: its number of columns,
 * their widths in points (they sum to the width of the text block of the
 * page the table stands on; cells are padded 2.5 pt on each side) and
 * whether it stands on a landscape page (asked for by its template, or
 * too wide for a portrait one).  *widths_pt lives as long as the map;
 * any out pointer may be NULL.  false = not a table, a table without
 * columns, or out of range. */
bool gk_page_map_table(const gk_page_map *map, size_t index, int *ncols,
                       const double **widths_pt, bool *landscape);
/* Pages the layout has (title pages included). */
size_t gk_page_map_pages(const gk_page_map *map);
/* The factor the layout set the TOC entries' line pitch (and spacing) by:
 * 1, or down to 0.85 when that ends the TOC a page earlier.  The DOCX
 * sets its entries the same, so its TOC takes the same pages. */
double gk_page_map_toc_scale(const gk_page_map *map);
void gk_page_map_free(gk_page_map *map);

/* Optional: get this thread ready for the back ends' first document
 * (the DOCX's chart fonts and the glyphs most charts draw, at the DOCX's
 * resolution).  A process that forks a worker per document calls it
 * once before forking so that no worker starts cold. */
void gk_render_warm(void);

#endif
