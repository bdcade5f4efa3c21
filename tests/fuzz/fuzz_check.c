/* Fuzz target: JSON text -> report model -> check (every identity). */
#include <stdint.h>

#include "gongkai/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = gk_model_load_mem((const char *)data, size, "fuzz.json", &d);
    if (m) {
        gk_check(m, &d);
        gk_model_free(m);
    }
    gk_diags_release(&d);
    return 0;
}
