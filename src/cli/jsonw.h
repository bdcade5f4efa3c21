/* A minimal JSON writer for the command line's reports (batch-report.json,
 * bench results): keys and strings escaped per RFC 8259. */
#ifndef GONGKAI_CLI_JSONW_H
#define GONGKAI_CLI_JSONW_H

#include "gongkai/util.h"

static inline void jsonw_str(gk_buf *b, const char *s)
{
    gk_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': gk_buf_puts(b, "\\\""); break;
        case '\\': gk_buf_puts(b, "\\\\"); break;
        case '\n': gk_buf_puts(b, "\\n"); break;
        case '\r': gk_buf_puts(b, "\\r"); break;
        case '\t': gk_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20)
                gk_buf_printf(b, "\\u%04x", *p);
            else
                gk_buf_putc(b, *p);
        }
    }
    gk_buf_putc(b, '"');
}

static inline void jsonw_key(gk_buf *b, const char *key)
{
    jsonw_str(b, key);
    gk_buf_putc(b, ':');
}

#endif
