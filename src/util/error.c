/* Status codes, located errors and diagnostic lists.  See util.h. */
#include <stdlib.h>
#include <string.h>

#include "gongkai/util.h"

static gk_lang current_lang = GK_LANG_ZH;

void gk_set_lang(gk_lang lang) { current_lang = lang; }
gk_lang gk_get_lang(void) { return current_lang; }

const char *gk_strerror(gk_status st)
{
    switch (st) {
#define GK_X_CASE(name, num, zh, en) \
    case name:                       \
        return GK_TR(zh, en);
        GK_STATUS_MAP(GK_X_CASE)
#undef GK_X_CASE
    }
    return GK_TR("未知错误", "unknown error");
}

void gk_error_clear(gk_error *e)
{
    if (e)
        memset(e, 0, sizeof(*e));
}

gk_status gk_error_set(gk_error *e, gk_status st, const char *file, int line,
                       int col, const char *json_path, const char *fmt, ...)
{
    if (!e)
        return st;
    gk_error_clear(e);
    e->status = st;
    gk_utf8_copy(e->file, sizeof e->file, file);
    e->line = line;
    e->col = col;
    gk_utf8_copy(e->json_path, sizeof e->json_path, json_path);
    gk_buf b = GK_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    gk_utf8_copy(e->msg, sizeof e->msg, b.ptr);
    gk_buf_release(&b);
    return st;
}

void gk_error_format(const gk_error *e, gk_buf *out)
{
    const char *label = GK_TR("错误", "error");
    if (e->file[0]) {
        gk_buf_puts(out, e->file);
        if (e->line > 0) {
            gk_buf_printf(out, ":%d", e->line);
            if (e->col > 0)
                gk_buf_printf(out, ":%d", e->col);
        }
        gk_buf_puts(out, ": ");
    }
    if (e->json_path[0])
        gk_buf_printf(out, "%s: ", e->json_path);
    gk_buf_printf(out, "%s: %s", label, e->msg);
}

void gk_diags_add(gk_diags *d, gk_severity sev, const gk_error *e)
{
    if (sev == GK_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    size_t max = d->max ? d->max : 200;
    if (d->len >= max) {
        d->dropped++;
        return;
    }
    if (d->len == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = gk_xrealloc(d->items, d->cap * sizeof(*d->items));
    }
    d->items[d->len].severity = sev;
    d->items[d->len].err = *e;
    d->len++;
}

void gk_diags_release(gk_diags *d)
{
    free(d->items);
    memset(d, 0, sizeof(*d));
}

void gk_diag_format(const gk_diag *g, gk_buf *out)
{
    if (g->severity != GK_SEV_WARNING) {
        gk_error_format(&g->err, out);
        return;
    }
    gk_buf tmp = GK_BUF_INIT;
    gk_error_format(&g->err, &tmp);
    const char *err_label = GK_TR("错误: ", "error: ");
    const char *warn_label = GK_TR("警告: ", "warning: ");
    char *pos = strstr(tmp.ptr, err_label);
    if (pos) {
        gk_buf_put(out, tmp.ptr, (size_t)(pos - tmp.ptr));
        gk_buf_puts(out, warn_label);
        gk_buf_puts(out, pos + strlen(err_label));
    } else {
        gk_buf_puts(out, tmp.ptr);
    }
    gk_buf_release(&tmp);
}

void gk_diags_print(const gk_diags *d, FILE *out)
{
    gk_buf b = GK_BUF_INIT;
    for (size_t i = 0; i < d->len; i++) {
        gk_buf_clear(&b);
        gk_diag_format(&d->items[i], &b);
        fprintf(out, "%s\n", b.ptr);
    }
    if (d->dropped)
        fprintf(out, GK_TR("……还有 %zu 条未显示\n", "... and %zu more not shown\n"),
                d->dropped);
    gk_buf_release(&b);
}
