/* Fuzz target: JSON text -> document (parser, limits, positions). */
#include <stdint.h>

#include "gongkai/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gk_error err;
    gk_json_limits lim = GK_JSON_LIMITS_DEFAULT;
    gk_json_doc *doc = gk_json_parse((const char *)data, size, "fuzz.json", &lim, &err);
    if (doc) {
        gk_buf path = GK_BUF_INIT;
        const gk_json *root = gk_json_root(doc);
        if (root->type == GK_JSON_OBJECT && root->len > 0)
            gk_json_path(root->members[0].value, &path);
        gk_buf_release(&path);
        gk_json_free(doc);
    }
    return 0;
}
