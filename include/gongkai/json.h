/*
 * gongkai — JSON document model.
 *
 * Our own strict RFC 8259 parser, chosen over jansson/json-c because the
 * data needs three things neither gives together: the exact text of each
 * number (money is parsed from it, never via double), a line:column for
 * every value (so meaning errors can point back), and both positions of
 * a duplicate key.
 *
 * Every node and string lives in the gk_json_doc's arena and is freed by
 * gk_json_free().  Strings are valid UTF-8, NUL-terminated (a string that
 * contains U+0000 is refused).
 */
#ifndef GONGKAI_JSON_H
#define GONGKAI_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "gongkai/util.h"

typedef enum gk_json_type {
    GK_JSON_NULL,
    GK_JSON_BOOL,
    GK_JSON_NUMBER, /* kept as text: see `text` */
    GK_JSON_STRING,
    GK_JSON_ARRAY,
    GK_JSON_OBJECT
} gk_json_type;

typedef struct gk_json gk_json;
typedef struct gk_json_member {
    const char *key;
    int key_line, key_col;
    gk_json *value;
} gk_json_member;

struct gk_json {
    gk_json_type type;
    int line, col;    /* 1-based position of the value's first byte;
                         col counts UTF-8 characters (a tab is one), not
                         bytes, and a leading BOM is not counted */
    gk_json *parent;  /* NULL for the root */
    int index;        /* position in parent (array index / member index) */
    bool boolean;
    const char *text; /* NUMBER: the exact lexeme; STRING: the value */
    size_t text_len;
    size_t len;       /* ARRAY: items; OBJECT: members */
    gk_json **items;
    gk_json_member *members;
};

/* Limits against hostile input; all are located errors when exceeded. */
typedef struct gk_json_limits {
    size_t max_bytes;   /* default 64 MiB */
    int max_depth;      /* default 128 */
    size_t max_string;  /* default 1 MiB per string */
    size_t max_items;   /* default 1,000,000 per array or object */
} gk_json_limits;
#define GK_JSON_LIMITS_DEFAULT { 64u << 20, 128, 1u << 20, 1000000 }

typedef struct gk_json_doc gk_json_doc;

/* Parse `len` bytes.  `file` names the input in messages.  On failure
 * returns NULL and fills err with FILE:LINE:COL and what was expected.
 * A BOM at the start is accepted.  Caller frees with gk_json_free(). */
gk_json_doc *gk_json_parse(const char *data, size_t len, const char *file,
                           const gk_json_limits *limits, gk_error *err);
void gk_json_free(gk_json_doc *doc);
const gk_json *gk_json_root(const gk_json_doc *doc);
const char *gk_json_file(const gk_json_doc *doc);

/* Object member by key (NULL when absent or when obj is not an object). */
const gk_json *gk_json_get(const gk_json *obj, const char *key);
/* Follow a dotted path with [n] indexes: "tables.t03.rows[2].basic"
 * (a leading "$" or "$." is allowed; keys containing '.' or '[' cannot
 * be reached this way).  NULL when any step is missing. */
const gk_json *gk_json_at(const gk_json *root, const char *path);
/* The JSON path of a node, "$.tables.t03.rows[2].basic", into b. */
void gk_json_path(const gk_json *node, gk_buf *b);
const char *gk_json_type_name(gk_json_type t); /* in the current language */

#endif
