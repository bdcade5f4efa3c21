/* Fuzz target: data JSON -> model -> the shipped 决算 layout -> text, PDF
 * and DOCX.  The template is loaded once; the data is fuzzed. */
#include <stdint.h>
#include <stdlib.h>

#include "gongkai/data.h"
#include "gongkai/render.h"
#include "gongkai/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gk_template *tmpl;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!tmpl) {
        gk_buf p = GK_BUF_INIT;
        gk_template_default_path(GK_KIND_JUESUAN, &p);
        gk_error err;
        tmpl = gk_template_load(p.ptr, &err);
        gk_buf_release(&p);
        if (!tmpl)
            abort();
    }
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = gk_model_load_mem((const char *)data, size, "fuzz.json", &d);
    if (m && gk_check(m, &d) == 0) {
        gk_error err;
        gk_doc *doc = gk_template_render(tmpl, m, &err);
        if (doc) {
            gk_buf out = GK_BUF_INIT;
            gk_render_text(doc, &out);
            gk_render_opts o = {.warnings = &d};
            gk_buf_clear(&out);
            if (getenv("GK_FUZZ_PDF") && gk_render_pdf(doc, &o, &out, &err)) {}
            gk_buf_clear(&out);
            if (getenv("GK_FUZZ_DOCX") && gk_render_docx(doc, &o, &out, &err)) {}
            gk_buf_release(&out);
            gk_doc_free(doc);
        }
    }
    gk_model_free(m);
    gk_diags_release(&d);
    return 0;
}
