/*
 * gongkai — one report, end to end: load the data, check it, fill the
 * template, render each format and write each file atomically.  The
 * `render`, `batch` and `diff` commands are thin layers over this.
 *
 * Ownership: a gk_report_result is caller-allocated; gk_report_result_release()
 * frees what the run stored in it (diagnostics, output paths).
 */
#ifndef GONGKAI_REPORT_H
#define GONGKAI_REPORT_H

#include <stdbool.h>

#include "gongkai/data.h"
#include "gongkai/doc.h"
#include "gongkai/tmpl.h"
#include "gongkai/util.h"

enum {
    GK_FORMAT_TXT = 1 << 0,
    GK_FORMAT_PDF = 1 << 1,
    GK_FORMAT_DOCX = 1 << 2,
    GK_FORMAT_ALL = 7
};
#define GK_FORMAT_COUNT 3
/* "txt", "pdf", "docx" for bit i. */
const char *gk_format_ext(int i);
/* Parse "txt,pdf,docx" into a bit set; false on an unknown name. */
bool gk_format_parse(const char *list, unsigned *formats);

/* Stages timed by a run (milliseconds, wall clock). */
enum {
    GK_STAGE_PARSE, GK_STAGE_CHECK, GK_STAGE_TEMPLATE,
    GK_STAGE_TXT, GK_STAGE_PDF, GK_STAGE_DOCX, GK_STAGE_WRITE,
    GK_STAGE_COUNT
};
const char *gk_stage_name(int stage);

typedef struct gk_report_opts {
    unsigned formats;            /* GK_FORMAT_* */
    const char *out_dir;         /* where DIR/<name>.<ext> go */
    const char *name;            /* output base name pattern; NULL = "{stem}".
                                    Fields: {stem} {year} {department}
                                    {short} {kind} {code}; the result is
                                    sanitised so it cannot leave out_dir */
    const gk_template *tmpl;     /* NULL = the layout of the data's kind */
    const gk_template *kind_tmpl[2]; /* preloaded layouts by gk_kind, used
                                        when tmpl is NULL (batch) */
    bool strict;                 /* warnings count as errors */
    long long source_date_epoch; /* 0 = none */
    bool keep_going_unsupported; /* skip back ends that are not built in */
    bool one_thread;             /* PDF and DOCX one after the other even
                                    with a CPU to spare (by default, when
                                    the CPUs less the load average leave
                                    one free, the PDF is drawn in a helper
                                    thread beside the DOCX) */
} gk_report_opts;

typedef struct gk_report_result {
    gk_diags diags;              /* every error and warning, located */
    gk_status status;            /* GK_OK, or what stopped the run */
    char *outputs[GK_FORMAT_COUNT]; /* paths written (malloc'd), or NULL */
    size_t output_bytes[GK_FORMAT_COUNT];
    unsigned skipped;            /* formats skipped as unsupported */
    double ms[GK_STAGE_COUNT];
    char *department;            /* department.name (malloc'd) or NULL */
    int year;
    gk_kind kind;
} gk_report_result;

/* Render one data file.  Nothing is written unless the data and the
 * template are sound; each output is written atomically, so a failure
 * never leaves a partial file and never replaces an earlier good one.
 * Returns result->status. */
gk_status gk_report_render_file(const char *json_path,
                                const gk_report_opts *opts,
                                gk_report_result *result);

/* Build the document only (load, check, template), for diff and tests.
 * On success *doc is the caller's (gk_doc_free). */
gk_status gk_report_build_doc(const char *json_path, const gk_template *tmpl,
                              gk_doc **doc, gk_report_result *result);

void gk_report_result_release(gk_report_result *r);

/* Expand a name pattern for one report and sanitise it: no '/', no
 * leading '.', no control characters, at most 180 bytes, never empty.
 * UTF-8 Chinese is kept. */
void gk_report_name(const char *pattern, const char *json_path,
                    const gk_json *root, gk_buf *out);

/* The stem of a path: "examples/x.json" -> "x" (into b). */
void gk_path_stem(const char *path, gk_buf *b);

#endif
