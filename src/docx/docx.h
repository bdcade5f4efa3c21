/*
 * gongkai — DOCX back end, private interfaces (src/docx/ only).
 *
 * xw.c      a thin layer over libxml2's xmlTextWriter: every part is
 *           written through it, never by string concatenation.
 * package.c the deterministic ZIP (libzip, in memory).
 * parts.c   the fixed parts: styles, settings, font table, footers,
 *           content types, relationships, document properties.
 * docx.c    word/document.xml from the document tree; gk_render_docx().
 *
 * Units: twips (1/20 pt) for WordprocessingML lengths, half-points for
 * font sizes, EMU (1/12700 pt) for drawings.
 */
#ifndef GONGKAI_DOCX_PRIVATE_H
#define GONGKAI_DOCX_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gongkai/doc.h"
#include "gongkai/render.h"
#include "gongkai/util.h"

/* ---------------- XML writer ---------------- */

/* One XML part being written.  gk__xw_open() starts the document (XML
 * declaration, UTF-8, standalone); gk__xw_finish() ends it, appends the
 * bytes to `out` and frees the writer.  A libxml2 failure (only memory
 * exhaustion in practice) sets `failed`; the part is then discarded. */
typedef struct gk__xw {
    void *buf;       /* gk_buf * receiving the writer's output */
    void *w;         /* xmlTextWriterPtr */
    bool failed;
    gk_buf tmp;      /* scratch for cleaned text */
} gk__xw;

void gk__xw_open(gk__xw *x);
bool gk__xw_finish(gk__xw *x, gk_buf *out);
void gk__xw_discard(gk__xw *x);

void gk__xw_start(gk__xw *x, const char *name);
void gk__xw_end(gk__xw *x);
void gk__xw_attr(gk__xw *x, const char *name, const char *value);
void gk__xw_attri(gk__xw *x, const char *name, long long value);
/* Text content; the caller has already removed characters XML forbids
 * (gk__xml_clean). */
void gk__xw_text(gk__xw *x, const char *s, size_t len);
/* <name/> and <name key="val"/> (the common w:val pattern). */
void gk__xw_empty(gk__xw *x, const char *name);
void gk__xw_val(gk__xw *x, const char *name, const char *val);
void gk__xw_vali(gk__xw *x, const char *name, long long val);
/* A fragment of XML handed to the writer as it is (xmlTextWriterWriteRaw;
 * the writer closes an open start tag first).  Only for balanced
 * elements built from constant names and values that need no escaping
 * (literals, numbers), so the bytes are those the writer's own calls
 * would produce; anything from the data goes through the calls above. */
void gk__xw_raw(gk__xw *x, const char *xml, size_t len);
/* v in decimal, written into the end of buf; returns where it starts. */
char *gk__xw_fmt(char buf[32], long long v);
/* A whole element holding one text node: <name>text</name>. */
void gk__xw_elem_text(gk__xw *x, const char *name, const char *text);

/* Copy s into out without what XML 1.0 cannot carry: C0 controls other
 * than tab and newline, CR, invalid UTF-8, U+FFFE/U+FFFF.  Returns
 * out->ptr.  Tab and newline are kept for the caller to map to w:tab and
 * w:br. */
const char *gk__xml_clean(const char *s, gk_buf *out);

/* ---------------- ZIP package ---------------- */

typedef struct gk__part {
    const char *name;   /* "word/document.xml" */
    const void *data;
    size_t len;
    bool store;         /* true: no compression (PNG) */
} gk__part;

/* Zip the parts in the given order with fixed timestamps and attributes;
 * appends the archive to out. */
gk_status gk__docx_zip(const gk__part *parts, size_t nparts, gk_buf *out,
                       gk_error *err) GK_WARN_UNUSED;

/* ---------------- tables (measure.c) ---------------- */

/* Whether table block `index` stands on a landscape page: the layout's
 * decision from `map` (NULL = none: only when its template asks). */
bool gk__docx_table_landscape(const gk_page_map *map, size_t index,
                              const gk_table *t);
/* Estimated natural width of runs in ems (CJK = 1). */
double gk__docx_runs_em(const gk_runs *runs);
/* Grid column widths in twips, summing exactly to total_tw: the layout's
 * widths from `map` scaled to total_tw  (the cells' side margins
 * are 2 pt, so that Word's rounding never wraps a cell that just fits);
 * without them the column weights (when every column has one), else
 * equal widths. */
void gk__docx_table_widths(const gk_page_map *map, size_t index, const gk_table *t,
                           long total_tw, long *out);

/* ---------------- fixed parts ---------------- */

/* East Asian font name of a role in the DOCX ("仿宋", "方正小标宋简体"). */
const char *gk__docx_font_name(gk_font_role r);
/* The style id of a gk_style_id in styles.xml ("Normal", "Heading2"). */
const char *gk__docx_style_id(gk_style_id id);

/* Conversions; results are rounded to the nearest integer. */
long gk__tw_pt(double pt);   /* points → twips */
long gk__tw_mm(double mm);   /* millimetres → twips */
long gk__hp(double pt);      /* points → half-points */

typedef struct gk__footer_info {
    bool present;       /* page numbers on */
    bool odd_even;      /* two footers, evenAndOddHeaders in settings */
} gk__footer_info;

bool gk__part_styles(const gk_doc *doc, gk_buf *out);
bool gk__part_settings(const gk_doc *doc, bool odd_even, gk_buf *out);
bool gk__part_font_table(gk_buf *out);
/* kind: 0 = centred (one footer for all pages), 1 = odd (right), 2 = even (left). */
bool gk__part_footer(const gk_doc *doc, int kind, gk_buf *out);
bool gk__part_core(const gk_doc *doc, const gk_render_opts *opts,
                   gk_buf *out);
bool gk__part_app(const gk_doc *doc, gk_buf *out);
bool gk__part_root_rels(gk_buf *out);
/* nfooters footers (footer1.xml …), nimages PNG defaults. */
bool gk__part_content_types(int nfooters, bool has_png, gk_buf *out);

#endif
