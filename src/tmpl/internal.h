/*
 * gongkai — template stage internals (private to src/tmpl and its tests).
 *
 * Pieces:
 *   expr.c    the expression language: parse once at load, check names,
 *             evaluate with a step budget (values below)
 *   func.c    the functions of the expression language
 *   xml.c     libxml2 loading (no DTD, no entities, no network), RELAX NG,
 *             includes, conversion into the template tree (gk__tnode)
 *   style.c   style sheets (style.xml) into gk_style / gk_page_setup
 *   render.c  the template tree + a model -> gk_doc
 *
 * Ownership: a gk_template owns one arena holding its tree, expressions and
 * strings.  Values built while rendering live in a per-render arena.
 */
#ifndef GONGKAI_TMPL_INTERNAL_H
#define GONGKAI_TMPL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "gongkai/data.h"
#include "gongkai/doc.h"
#include "gongkai/money.h"
#include "gongkai/tmpl.h"
#include "gongkai/util.h"

/* ---------------- values ---------------- */

typedef enum gk__vtype {
    GK_V_NULL = 0,
    GK_V_BOOL,
    GK_V_INT,
    GK_V_MONEY,
    GK_V_STR,
    GK_V_JSON,   /* a data array or object (scalars are converted) */
    GK_V_ROW,    /* a ledger row */
    GK_V_LIST,   /* a list built by a function */
    GK_V_OBJ     /* an object built by a function (change(), loop) */
} gk__vtype;

typedef struct gk__val gk__val;
typedef struct gk__list {
    size_t n;
    gk__val *items;
} gk__list;
typedef struct gk__obj {
    size_t n;
    const char **keys;
    gk__val *vals;
} gk__obj;

struct gk__val {
    gk__vtype t;
    union {
        bool b;
        int64_t i;      /* INT */
        gk_fen m;       /* MONEY */
        struct { const char *s; size_t n; } str; /* NUL-terminated too */
        const gk_json *j;
        struct { const gk_ledger *l; size_t r; } row;
        const gk__list *list;
        const gk__obj *obj;
    } u;
};

const char *gk__vtype_name(gk__vtype t);

/* ---------------- expressions ---------------- */

typedef enum gk__op {
    GK_E_NULL, GK_E_TRUE, GK_E_FALSE, GK_E_INT, GK_E_DEC, GK_E_STR,
    GK_E_NAME,   /* a variable or a top-level data key */
    GK_E_FIELD,  /* a.b */
    GK_E_INDEX,  /* a[b] */
    GK_E_CALL,
    GK_E_NEG, GK_E_NOT,
    GK_E_ADD, GK_E_SUB, GK_E_MUL, GK_E_DIV,
    GK_E_EQ, GK_E_NE, GK_E_LT, GK_E_LE, GK_E_GT, GK_E_GE,
    GK_E_AND, GK_E_OR
} gk__op;

typedef struct gk__expr gk__expr;
struct gk__expr {
    gk__op op;
    int col;                /* 1-based column in the expression text */
    const char *name;       /* NAME, FIELD, CALL; STR / DEC text */
    size_t name_len;
    int64_t i;              /* INT */
    int fn;                 /* CALL: function index */
    gk__expr *a, *b;        /* operands */
    size_t nargs;
    gk__expr **args;
};

/* A parsed expression with the text it came from (for messages). */
typedef struct gk__code {
    gk__expr *root;
    const char *src;   /* the expression text, trimmed */
    const char *file;
    int line;
} gk__code;

/* Parse `src` (len bytes).  On failure fills err (file/line given) with the
 * position inside the expression and returns NULL.  Memory from `a`. */
gk__code *gk__expr_parse(gk_arena *a, const char *src, size_t len,
                         const char *file, int line, gk_error *err);

/* Names visible at a point of the template, for the load-time check. */
typedef struct gk__scope {
    const char *name;
    const struct gk__scope *up;
} gk__scope;

/* Check that every path starts at a variable in scope or a top-level key
 * of the data format and that every function exists with a valid number
 * of arguments (the parser already checked the latter). */
gk_status gk__expr_check(const gk__code *c, const gk__scope *sc,
                         gk_error *err);
bool gk__is_data_key(const char *name, size_t len);

/* Runtime variables: a linked list, newest first. */
typedef struct gk__env {
    const char *name;
    gk__val v;
    const struct gk__env *up;
} gk__env;

/* One evaluation context per rendering. */
#define GK__EV_LEDGERS 32
typedef struct gk__ev {
    const gk_model *m;
    gk_arena *a;            /* values built while rendering */
    long steps, max_steps;
    const gk__code *code;   /* the expression being evaluated (messages) */
    gk_error *err;
    /* lookup(): ledgers seen, and whether their rows are in code order
     * (then searched by bisection); checked once per ledger. */
    const void *ledger_seen[GK__EV_LEDGERS];
    bool ledger_sorted[GK__EV_LEDGERS];
    int nledgers_seen;
} gk__ev;

void gk__eval_init(gk__ev *ev, const gk_model *m, gk_arena *a,
                   gk_error *err);
gk_status gk__eval(gk__ev *ev, const gk__code *c, const gk__env *env,
                   gk__val *out);
/* Count `n` steps; GK_ERR_LIMIT when the budget is spent. */
gk_status gk__eval_steps(gk__ev *ev, long n);
/* A located error about the expression being evaluated. */
gk_status gk__eval_fail(gk__ev *ev, gk_status st, const char *fmt, ...)
    GK_PRINTF(3, 4);

/* Conversions used by functions and the renderer. */
bool gk__truthy(const gk__val *v);
/* Money value of v (INT = units of the data's unit, decimal strings are
 * parsed); fails with a located error for other types.  `what` names the
 * operand in the message. */
gk_status gk__to_money(gk__ev *ev, const gk__val *v, const char *what,
                       gk_fen *out);
gk_status gk__to_int(gk__ev *ev, const gk__val *v, const char *what,
                     int64_t *out);
/* Text of a value as {{ }} prints it (money with the data's decimals).
 * null is an error unless allow_null (then ""). Appends to b. */
gk_status gk__to_text(gk__ev *ev, const gk__val *v, bool allow_null,
                      gk_buf *b);
/* Field of an object-like value (JSON object, row, OBJ); null when absent. */
gk_status gk__field(gk__ev *ev, const gk__val *v, const char *name,
                    size_t len, gk__val *out);
/* Items of a list-like value (LIST, JSON array; JSON object -> {key,value};
 * null -> empty).  *items is arena memory. */
gk_status gk__items(gk__ev *ev, const gk__val *v, size_t *n,
                    gk__val **items);
/* Convert a JSON node into a value (scalars become bool/int/money/str). */
gk_status gk__from_json(gk__ev *ev, const gk_json *j, gk__val *out);
gk__val gk__str(gk__ev *ev, const char *s, size_t n);
/* The ledger a value stands for (JSON tables.<id> node), or NULL. */
const gk_ledger *gk__ledger_of(gk__ev *ev, const gk__val *v);

/* ---------------- functions (func.c) ---------------- */

typedef gk_status (*gk__fn_impl)(gk__ev *ev, size_t argc,
                                 const gk__val *argv, gk__val *out);
typedef struct gk__fn {
    const char *name;
    int min_args, max_args;  /* max -1 = any */
    gk__fn_impl impl;
} gk__fn;
/* Index of a function by name, or -1. */
int gk__fn_find(const char *name, size_t len);
const gk__fn *gk__fn_at(int i);

/* Shared formatting helpers. */
void gk__cn_numeral(int64_t n, gk_buf *b);           /* 12 -> 十二 */
void gk__ordinal(int64_t n, const char *style, gk_buf *b); /* '（一）' */
/* change() object for new/old. */
gk_status gk__change(gk__ev *ev, gk_fen nw, gk_fen old, gk__val *out);

/* ---------------- templated strings ---------------- */

/* Literal text with {{ expr }} parts. */
typedef struct gk__tpart {
    const char *lit;     /* literal text (NULL for an expression part) */
    size_t len;
    gk__code *code;
} gk__tpart;
typedef struct gk__tstr {
    size_t n;
    gk__tpart *parts;
} gk__tstr;

/* Split text into literal and {{ }} parts, parsing each expression. */
gk_status gk__tstr_parse(gk_arena *a, const char *text, const char *file,
                         int line, gk__tstr *out, gk_error *err);
gk_status gk__tstr_check(const gk__tstr *t, const gk__scope *sc,
                         gk_error *err);
gk_status gk__tstr_eval(gk__ev *ev, const gk__tstr *t, const gk__env *env,
                        gk_buf *out);

/* ---------------- the template tree ---------------- */

typedef enum gk__tkind {
    GK_T_TEXT = 0,
    GK_T_REPORT, GK_T_FRAGMENT, GK_T_TITLEPAGE, GK_T_TOC, GK_T_PART,
    GK_T_HEADING, GK_T_P, GK_T_TABLE, GK_T_COLUMNS, GK_T_COL, GK_T_HEADER,
    GK_T_ROW, GK_T_CELL, GK_T_NOTE, GK_T_CHART, GK_T_POINT, GK_T_GLOSSARY,
    GK_T_NARRATIVE, GK_T_PAGEBREAK, GK_T_INCLUDE, GK_T_LET, GK_T_IF,
    GK_T_ELIF, GK_T_ELSE, GK_T_EACH, GK_T_SECTION, GK_T_B, GK_T_I, GK_T_EM,
    GK_T_U, GK_T_BR, GK_T_SP,
    GK_T_COUNT
} gk__tkind;

const char *gk__tkind_name(gk__tkind k);

typedef struct gk__tattr {
    const char *name;
    const char *raw;     /* the attribute text as written */
    gk__code *code;      /* expression attributes (test, value, in, ...) */
    gk__tstr tstr;       /* other attributes: text with {{ }} */
    bool is_expr;
} gk__tattr;

typedef struct gk__tnode gk__tnode;
struct gk__tnode {
    gk__tkind kind;
    const char *file;
    int line;
    size_t nattrs;
    gk__tattr *attrs;
    size_t nkids;
    gk__tnode **kids;
    gk__tstr text;       /* GK_T_TEXT */
};

const gk__tattr *gk__tattr_get(const gk__tnode *n, const char *name);

struct gk_template {
    gk_arena arena;
    char *path;          /* report.xml */
    char *dir;           /* its folder (realpath) */
    gk__tnode *root;     /* GK_T_REPORT */
    gk_style styles[GK_STYLE_COUNT];
    gk_page_setup page;
};

/* style.c: read a style sheet into styles/page (which hold defaults). */
gk_status gk__style_load(const char *path, const char *root_dir,
                         gk_style *styles, gk_page_setup *page,
                         gk_error *err);
/* 号 sizes: "三号" -> 16, "小四" -> 12, "10.5pt" -> 10.5; false if bad. */
bool gk__font_size(const char *s, double *pt);
/* Lengths "37mm", "1.5cm", "29pt", "0.5in" into mm or pt. */
bool gk__length_mm(const char *s, double *mm);
bool gk__length_pt(const char *s, double *pt);

/* xml.c: safe parsing shared with style.c.  Returns an xmlDocPtr (void *
 * to keep libxml2 out of this header); caller frees with gk__xml_free. */
void *gk__xml_read(const char *path, gk_error *err);
void gk__xml_free(void *doc);
/* RELAX NG validation against gk_share_dir()/templates/<schema>. */
gk_status gk__xml_validate(void *doc, const char *path, const char *schema,
                           gk_error *err);
/* realpath of `href` relative to `base_dir`, refused unless inside
 * `root_dir`.  Caller frees the result. */
char *gk__resolve_inside(const char *root_dir, const char *base_dir,
                         const char *href, const char *file, int line,
                         gk_error *err);

#endif
