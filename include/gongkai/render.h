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

typedef struct gk_render_opts {
    /* Fixed date for metadata when the document gives none: seconds since
     * the epoch, from SOURCE_DATE_EPOCH; 0 = write no date at all. */
    long long source_date_epoch;
    /* Where warnings go (a character no font has, a font fallback);
     * NULL = stderr. */
    gk_diags *warnings;
} gk_render_opts;

/* PDF through libharu: subset CJK fonts, Chinese line breaking, tables
 * that span pages, TOC, bookmarks. */
gk_status gk_render_pdf(const gk_doc *doc, const gk_render_opts *opts,
                        gk_buf *out, gk_error *err) GK_WARN_UNUSED;

/* DOCX through libxml2's writer and libzip: styles, tables, sections,
 * TOC field, charts as pictures; byte-for-byte reproducible. */
gk_status gk_render_docx(const gk_doc *doc, const gk_render_opts *opts,
                         gk_buf *out, gk_error *err) GK_WARN_UNUSED;

#endif
