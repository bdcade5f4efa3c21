/* Placeholder until the DOCX back end lands (issue 6). */
#include "gongkai/render.h"

gk_status gk_render_docx(const gk_doc *doc, const gk_render_opts *opts,
                         gk_buf *out, gk_error *err)
{
    (void)doc; (void)opts; (void)out;
    return gk_error_set(err, GK_ERR_UNSUPPORTED, NULL, 0, 0, NULL, "DOCX");
}
