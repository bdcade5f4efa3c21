/* Fuzz target: template XML -> document -> text, PDF and DOCX.  The data
 * is fixed: the template is rendered with the first of the 决算 example,
 * the 预算 example and tests/templates/small-2023.json that it renders
 * (run from the top of the source tree); the template is fuzzed, so the layout, the PDF and the
 * DOCX writers see every structure a template can build (spans, nested
 * lists, charts, long words, empty tables, page breaks...).
 * GK_FUZZ_NO_PDF / GK_FUZZ_NO_DOCX in the environment skip a back end;
 * GK_FUZZ_VERBOSE prints why an input stopped. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gongkai/data.h"
#include "gongkai/render.h"
#include "gongkai/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const data_files[] = {
    "examples/xicheng-quweiban-2023-juesuan.json",
    "examples/xicheng-zhengfuban-2023-yusuan.json",
    "tests/templates/small-2023.json",
};
#define NMODELS (sizeof data_files / sizeof data_files[0])
static gk_model *models[NMODELS];
static int loaded;
static int no_pdf, no_docx, verbose;

static void say(const gk_error *err)
{
    if (!verbose)
        return;
    gk_buf b = GK_BUF_INIT;
    gk_error_format(err, &b);
    fprintf(stderr, "fuzz_doc: %s\n", b.ptr);
    gk_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!loaded) {
        for (size_t i = 0; i < NMODELS; i++) {
            gk_diags d = GK_DIAGS_INIT;
            models[i] = gk_model_load(data_files[i], &d);
            gk_diags_release(&d);
            if (!models[i])
                abort();
        }
        loaded = 1;
        no_pdf = getenv("GK_FUZZ_NO_PDF") != NULL;
        no_docx = getenv("GK_FUZZ_NO_DOCX") != NULL;
        verbose = getenv("GK_FUZZ_VERBOSE") != NULL;
    }
    if (size > 131072)
        return 0;
    int fd = memfd_create("fuzz-doc", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    gk_error err;
    gk_error_clear(&err);
    gk_template *t = gk_template_load(path, &err);
    close(fd);
    if (!t) {
        say(&err);
        return 0;
    }
    gk_doc *doc = NULL;
    for (size_t i = 0; i < NMODELS && !doc; i++) {
        gk_error_clear(&err);
        doc = gk_template_render(t, models[i], &err);
    }
    gk_template_free(t);
    if (!doc) {
        say(&err);
        return 0;
    }
    gk_buf out = GK_BUF_INIT;
    gk_diags w = GK_DIAGS_INIT;
    gk_render_opts o = {.warnings = &w};
    gk_render_text(doc, &out);
    gk_buf_clear(&out);
    if (!no_pdf && gk_render_pdf(doc, &o, &out, &err))
        say(&err);
    gk_buf_clear(&out);
    if (!no_docx && gk_render_docx(doc, &o, &out, &err))
        say(&err);
    if (verbose)
        fprintf(stderr, "fuzz_doc: rendered, %zu docx bytes\n", out.len);
    gk_buf_release(&out);
    gk_diags_release(&w);
    gk_doc_free(doc);
    return 0;
}
