/*
 * gongkai — growable buffer, arena and error type shared by every stage.
 *
 * Ownership rules (they hold for the whole public API):
 *  1. A function that returns memory says who frees it.  "Owned by the
 *     arena" means it lives until gk_arena_release() of that arena.
 *  2. Getters return borrowed pointers, valid while their owner lives.
 *  3. Out-of-memory aborts (gk_xmalloc); bad input never does: it is
 *     reported through a caller-allocated gk_error.
 */
#ifndef GONGKAI_UTIL_H
#define GONGKAI_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define GK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define GK_WARN_UNUSED __attribute__((warn_unused_result))
#define GK_NORETURN __attribute__((noreturn))
#else
#define GK_PRINTF(f, a)
#define GK_WARN_UNUSED
#define GK_NORETURN
/* ---- SHA-256 (FIPS 180-4), for incremental batch runs ---- */
typedef struct gk_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} gk_sha256;
void gk_sha256_init(gk_sha256 *s);
void gk_sha256_update(gk_sha256 *s, const void *data, size_t len);
/* Finish and write 64 lowercase hex digits + NUL into hex[65]. */
void gk_sha256_hex(gk_sha256 *s, char hex[65]);

/* ---- where the shipped data lives ----
 * The folder holding templates/ (layouts, catalog) and fonts/ (font
 * map): $GONGKAI_DATADIR if set, else the source tree when the program
 * runs from build/ (the folder above the executable's), else the
 * installed $(PREFIX)/share/gongkai.  Never NULL; computed once. */
const char *gk_share_dir(void);

#endif

/* ---- allocation that cannot fail (aborts on out-of-memory) ---- */
void *gk_xmalloc(size_t n);
void *gk_xcalloc(size_t n, size_t size);
void *gk_xrealloc(void *p, size_t n);
char *gk_xstrdup(const char *s);
GK_NORETURN void gk__bug(const char *file, int line, const char *msg);
#define GK_BUG(msg) gk__bug(__FILE__, __LINE__, (msg))

/* ---- gk_buf: growable byte buffer (git strbuf / cmark_strbuf) ----
 * Invariants: ptr is never NULL and always NUL-terminated; len excludes
 * the NUL.  GK_BUF_INIT needs no allocation.  The buffer owns ptr until
 * gk_buf_release() frees it or gk_buf_detach() hands it to the caller. */
typedef struct gk_buf {
    char *ptr;
    size_t len, cap;
} gk_buf;
extern char gk__buf_empty[1];
#define GK_BUF_INIT { .ptr = gk__buf_empty, .len = 0, .cap = 0 }

void gk_buf_init(gk_buf *b);
void gk_buf_grow(gk_buf *b, size_t extra);
void gk_buf_put(gk_buf *b, const void *data, size_t n);
void gk_buf_puts(gk_buf *b, const char *s);
void gk_buf_putc(gk_buf *b, int c);
void gk_buf_printf(gk_buf *b, const char *fmt, ...) GK_PRINTF(2, 3);
void gk_buf_vprintf(gk_buf *b, const char *fmt, va_list ap);
void gk_buf_truncate(gk_buf *b, size_t len);
void gk_buf_clear(gk_buf *b);            /* len = 0, keeps memory */
void gk_buf_release(gk_buf *b);          /* frees, back to GK_BUF_INIT */
char *gk_buf_detach(gk_buf *b, size_t *len); /* caller frees with free() */

/* ---- gk_arena: bump allocator over chained blocks (git mem-pool) ----
 * Memory is zeroed and aligned for any type; it is freed all at once by
 * gk_arena_release().  A large request gets a block of its own. */
typedef struct gk_arena_block gk_arena_block;
typedef struct gk_arena {
    gk_arena_block *head;
    size_t used_total;
} gk_arena;
#define GK_ARENA_INIT { .head = NULL, .used_total = 0 }

void gk_arena_init(gk_arena *a);
void *gk_arena_alloc(gk_arena *a, size_t n);
char *gk_arena_strdup(gk_arena *a, const char *s);
char *gk_arena_strndup(gk_arena *a, const char *s, size_t n);
char *gk_arena_printf(gk_arena *a, const char *fmt, ...) GK_PRINTF(2, 3);
void gk_arena_release(gk_arena *a);
#define GK_ARENA_NEW(a, T) ((T *)gk_arena_alloc((a), sizeof(T)))
#define GK_ARENA_ARRAY(a, T, n) ((T *)gk_arena_alloc((a), sizeof(T) * (n)))

/* ---- growable array of pointers, arena-backed ---- */
typedef struct gk_vec {
    void **items;
    size_t len, cap;
} gk_vec;
void gk_vec_push(gk_arena *a, gk_vec *v, void *item);

/* ---- status codes and the located error (curl's error buffer) ----
 * Codes are stable: never renumber; retired codes keep their slot. */
#define GK_STATUS_MAP(X)                                                 \
    X(GK_OK, 0, "成功", "success")                                        \
    X(GK_ERR_USAGE, 1, "用法错误", "usage error")                         \
    X(GK_ERR_IO, 2, "读写错误", "input/output error")                     \
    X(GK_ERR_JSON_SYNTAX, 3, "JSON 语法错误", "JSON syntax error")        \
    X(GK_ERR_DATA, 4, "数据错误", "data error")                           \
    X(GK_ERR_CHECK, 5, "数据不一致", "inconsistent data")                 \
    X(GK_ERR_XML_SYNTAX, 6, "XML 语法错误", "XML syntax error")           \
    X(GK_ERR_TEMPLATE, 7, "模板错误", "template error")                   \
    X(GK_ERR_EXPR, 8, "表达式错误", "expression error")                   \
    X(GK_ERR_LIMIT, 9, "超出限制", "limit exceeded")                      \
    X(GK_ERR_FONT, 10, "字体错误", "font error")                          \
    X(GK_ERR_BACKEND, 11, "渲染库错误", "rendering library error")        \
    X(GK_ERR_UNSUPPORTED, 12, "不支持", "unsupported")

typedef enum gk_status {
#define GK_X_ENUM(name, num, zh, en) name = num,
    GK_STATUS_MAP(GK_X_ENUM)
#undef GK_X_ENUM
} gk_status;

/* Language of messages: Chinese by default, English with --lang en. */
typedef enum gk_lang { GK_LANG_ZH = 0, GK_LANG_EN = 1 } gk_lang;
void gk_set_lang(gk_lang lang);
gk_lang gk_get_lang(void);
/* Pick the message in the current language. */
#define GK_TR(zh, en) (gk_get_lang() == GK_LANG_EN ? (en) : (zh))
const char *gk_strerror(gk_status st);

/* A located error.  Fixed-size fields so that filling it cannot fail.
 * line/col are 1-based, 0 = unknown; json_path is "$.a.b[3]" or "". */
typedef struct gk_error {
    gk_status status;
    char file[256];
    int line, col;
    char json_path[256];
    char msg[512];
    int backend_code;
} gk_error;

void gk_error_clear(gk_error *e);
/* Fill e (if not NULL) and return st, so callers can `return gk_error_set(...)`. */
gk_status gk_error_set(gk_error *e, gk_status st, const char *file, int line,
                       int col, const char *json_path, const char *fmt, ...)
    GK_PRINTF(7, 8);
/* Format as one GCC-style line (no newline):
 *   FILE:LINE:COL: 错误: MSG           (syntax, with a position)
 *   FILE: $.path: 错误: MSG            (meaning, with a JSON path)   */
void gk_error_format(const gk_error *e, gk_buf *out);

/* ---- diagnostics list (check reports every problem, not only the first) */
typedef enum gk_severity { GK_SEV_ERROR, GK_SEV_WARNING } gk_severity;
typedef struct gk_diag {
    gk_severity severity;
    gk_error err;
} gk_diag;
typedef struct gk_diags {
    gk_diag *items;
    size_t len, cap;
    size_t errors, warnings;
    size_t dropped; /* beyond the cap: counted, not stored */
    size_t max;     /* 0 = default cap (200) */
} gk_diags;
#define GK_DIAGS_INIT { 0 }
void gk_diags_add(gk_diags *d, gk_severity sev, const gk_error *e);
void gk_diags_release(gk_diags *d);
/* One diagnostic as one line: like gk_error_format, with 警告 in place of
 * 错误 for warnings. */
void gk_diag_format(const gk_diag *d, gk_buf *out);
/* One line per diagnostic, then "…还有 N 条" when capped. */
void gk_diags_print(const gk_diags *d, FILE *out);

/* ---- UTF-8 ---- */
/* Decode one code point at s[*i] (advancing *i); returns -1 on invalid
 * UTF-8 (overlong, surrogate, > U+10FFFF, truncated). */
int32_t gk_utf8_next(const char *s, size_t len, size_t *i);
int gk_utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* Copy s (NULL = "") into dst[cap], cut on a character boundary when it
 * does not fit; always NUL-terminated.  cap > 0. */
void gk_utf8_copy(char *dst, size_t cap, const char *s);
void gk_utf8_put(gk_buf *b, uint32_t cp);

/* ---- files ---- */
/* Read a whole file; caller frees *data.  Refuses files over max bytes. */
gk_status gk_read_file(const char *path, size_t max, char **data, size_t *len,
                       gk_error *err) GK_WARN_UNUSED;
/* Write atomically: a temporary file in the same folder, fsync, rename.
 * On failure no temporary file is left and the old file is untouched. */
gk_status gk_write_file_atomic(const char *path, const void *data, size_t len,
                               gk_error *err) GK_WARN_UNUSED;
/* Write n files atomically together: each to a temporary in its folder,
 * all of them synced to disk (one syncfs when they share a file system),
 * and only then each renamed into place, in order.  "-" is standard
 * output.  *published (may be NULL) counts the files, in order, that got
 * their name before a failure; the others are untouched and no temporary
 * is left. */
gk_status gk_write_files_atomic(size_t n, const char *const *paths,
                                const void *const *data, const size_t *lens,
                                size_t *published, gk_error *err) GK_WARN_UNUSED;

/* ---- SHA-256 (FIPS 180-4), for incremental batch runs ---- */
typedef struct gk_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} gk_sha256;
void gk_sha256_init(gk_sha256 *s);
void gk_sha256_update(gk_sha256 *s, const void *data, size_t len);
/* Finish and write 64 lowercase hex digits + NUL into hex[65]. */
void gk_sha256_hex(gk_sha256 *s, char hex[65]);

/* ---- where the shipped data lives ----
 * The folder holding templates/ (layouts, catalog) and fonts/ (font
 * map): $GONGKAI_DATADIR if set, else the source tree when the program
 * runs from build/ (the folder above the executable's), else the
 * installed $(PREFIX)/share/gongkai.  Never NULL; computed once. */
const char *gk_share_dir(void);

#endif
