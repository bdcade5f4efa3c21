/* UTF-8 decoding and validation.  See util.h. */
#include <string.h>

#include "gongkai/util.h"

int32_t gk_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = *i;
    if (k >= len)
        return -1;
    unsigned c = p[k];
    int n;
    uint32_t cp, min;
    if (c < 0x80) {
        *i = k + 1;
        return (int32_t)c;
    } else if ((c & 0xE0) == 0xC0) {
        n = 1; cp = c & 0x1F; min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 2; cp = c & 0x0F; min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 3; cp = c & 0x07; min = 0x10000;
    } else {
        return -1;
    }
    for (int j = 1; j <= n; j++) {
        if (k + (size_t)j >= len)
            return -1;
        unsigned d = p[k + (size_t)j];
        if ((d & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *i = k + (size_t)n + 1;
    return (int32_t)cp;
}

int gk_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        if (gk_utf8_next(s, len, &i) < 0) {
            if (bad_offset)
                *bad_offset = at;
            return 0;
        }
    }
    return 1;
}

void gk_utf8_put(gk_buf *b, uint32_t cp)
{
    char t[4];
    if (cp < 0x80) {
        gk_buf_putc(b, (int)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        gk_buf_put(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        gk_buf_put(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        gk_buf_put(b, t, 4);
    }
}

void gk_utf8_copy(char *dst, size_t cap, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}
