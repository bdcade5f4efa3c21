/*
 * gongkai — templates: XML layouts + style sheets + the expression
 * language (README.md ("Writing a template")), evaluated against a gk_model into a
 * gk_doc.
 *
 * Ownership: gk_template_load() returns a template the caller frees with
 * gk_template_free(); gk_template_render() returns a document the caller
 * frees with gk_doc_free().  A template can render many models, one at a
 * time per thread (it is read-only while rendering).
 */
#ifndef GONGKAI_TMPL_H
#define GONGKAI_TMPL_H

#include "gongkai/data.h"
#include "gongkai/doc.h"
#include "gongkai/util.h"

typedef struct gk_template gk_template;

/* Limits, documented in the README. */
#define GK_TMPL_MAX_INCLUDE_DEPTH 16
#define GK_TMPL_MAX_STEPS 1000000     /* expression steps per document */
#define GK_TMPL_MAX_LOOP 100000       /* items per each */
#define GK_TMPL_MAX_BLOCKS 200000     /* blocks per document */
#define GK_TMPL_MAX_STRING (1 << 20)  /* bytes of a string an expression joins */
#define GK_TMPL_MAX_DOC_MIB 64        /* memory of the document built, MiB */

/* Load report.xml (or any template file) with its style sheet and
 * includes, validated against the RELAX NG schema.  Errors are
 * FILE:LINE: …  Returns NULL on failure. */
gk_template *gk_template_load(const char *path, gk_error *err);
void gk_template_free(gk_template *t);

/* Evaluate the template against the model.  Returns NULL on failure with
 * err naming the template FILE:LINE and the expression. */
gk_doc *gk_template_render(const gk_template *t, const gk_model *m,
                           gk_error *err);

/* gk_share_dir()/templates/juesuan/report.xml or …/yusuan/report.xml. */
void gk_template_default_path(gk_kind kind, gk_buf *out);

#endif
