/* gk_buf: growable byte buffer.  See include/gongkai/util.h. */
#include <stdlib.h>
#include <string.h>

#include "gongkai/util.h"

char gk__buf_empty[1];

void *gk_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        GK_BUG("out of memory");
    return p;
}

void *gk_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        GK_BUG("out of memory");
    return p;
}

void *gk_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        GK_BUG("out of memory");
    return q;
}

char *gk_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(gk_xmalloc(n), s, n);
}

void gk__bug(const char *file, int line, const char *msg)
{
    fprintf(stderr, "gongkai: BUG at %s:%d: %s\n", file, line, msg);
    abort();
}

void gk_buf_init(gk_buf *b)
{
    b->ptr = gk__buf_empty;
    b->len = b->cap = 0;
}

void gk_buf_grow(gk_buf *b, size_t extra)
{
    if (extra >= SIZE_MAX / 2 - b->len)
        GK_BUG("gk_buf too large");
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap + b->cap / 2 : 64;
    if (cap < need)
        cap = need;
    cap = (cap + 7) & ~(size_t)7;
    if (b->cap == 0) {
        b->ptr = gk_xmalloc(cap);
        b->ptr[0] = '\0';
    } else {
        b->ptr = gk_xrealloc(b->ptr, cap);
    }
    b->cap = cap;
}

void gk_buf_put(gk_buf *b, const void *data, size_t n)
{
    if (n == 0)
        return;
    gk_buf_grow(b, n);
    memmove(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = '\0';
}

void gk_buf_puts(gk_buf *b, const char *s) { gk_buf_put(b, s, strlen(s)); }

void gk_buf_putc(gk_buf *b, int c)
{
    gk_buf_grow(b, 1);
    b->ptr[b->len++] = (char)c;
    b->ptr[b->len] = '\0';
}

void gk_buf_vprintf(gk_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        GK_BUG("vsnprintf failed");
    gk_buf_grow(b, (size_t)n);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void gk_buf_printf(gk_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void gk_buf_truncate(gk_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

void gk_buf_clear(gk_buf *b) { gk_buf_truncate(b, 0); }

void gk_buf_release(gk_buf *b)
{
    if (b->cap)
        free(b->ptr);
    gk_buf_init(b);
}

char *gk_buf_detach(gk_buf *b, size_t *len)
{
    char *p = b->cap ? b->ptr : gk_xstrdup("");
    if (len)
        *len = b->len;
    gk_buf_init(b);
    return p;
}
