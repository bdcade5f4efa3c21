/* Fuzz target: data JSON -> model -> check -> the shipped layout of its
 * kind (决算 or 预算) -> text, PDF and DOCX (see below for unchecked data).  The templates are loaded
 * once; the data is fuzzed.  PDF and DOCX are made when GK_FUZZ_PDF /
 * GK_FUZZ_DOCX are set (scripts/fuzz-run sets both; the replay in
 * `make check` sets them too); GK_FUZZ_VERBOSE tells which inputs rendered. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "gongkai/data.h"
#include "gongkai/render.h"
#include "gongkai/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gk_template *tmpl[2];

static gk_template *layout(gk_kind k)
{
    int i = k == GK_KIND_JUESUAN ? 0 : 1;
    if (!tmpl[i]) {
        gk_buf p = GK_BUF_INIT;
        gk_template_default_path(k, &p);
        gk_error err;
        tmpl[i] = gk_template_load(p.ptr, &err);
        gk_buf_release(&p);
        if (!tmpl[i])
            abort();
    }
    return tmpl[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = gk_model_load_mem((const char *)data, size, "fuzz.json", &d);
    /* The layouts must not fail on data that loads but breaks identities
     * (the library lets a caller render without check): such data is
     * rendered to text; data that passes check to PDF and DOCX too. */
    if (m) {
        bool checked = gk_check(m, &d) == 0;
        gk_error err;
        gk_doc *doc = gk_template_render(layout(gk_model_kind(m)), m, &err);
        if (doc) {
            gk_buf out = GK_BUF_INIT;
            gk_render_text(doc, &out);
            /* The DOCX takes the PDF's page map, as gk_report_render_file
             * does (the product's path; it also spares a second layout). */
            gk_page_map *map = NULL;
            gk_render_opts o = {.warnings = &d, .page_map_out = &map};
            gk_buf_clear(&out);
            if (checked && getenv("GK_FUZZ_PDF") && gk_render_pdf(doc, &o, &out, &err)) {}
            o.page_map = map;
            o.page_map_out = NULL;
            gk_buf_clear(&out);
            if (checked && getenv("GK_FUZZ_DOCX") && gk_render_docx(doc, &o, &out, &err)) {}
            gk_page_map_free(map);
            if (getenv("GK_FUZZ_VERBOSE"))
                fprintf(stderr, "fuzz_render: rendered (%s%s)\n",
                        gk_model_kind(m) == GK_KIND_JUESUAN ? "决算" : "预算",
                        checked ? "" : ", text only: check failed");
            gk_buf_release(&out);
            gk_doc_free(doc);
        }
    }
    gk_model_free(m);
    gk_diags_release(&d);
    return 0;
}
