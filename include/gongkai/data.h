/*
 * gongkai — the report model: one department-year's data, loaded from
 * JSON, with its tables turned into ledgers (科目 hierarchies whose
 * missing parent rows and totals are derived exactly), and `check`.
 *
 * Ownership: a gk_model owns its JSON document, its ledgers and every
 * string; gk_model_free() releases all of it.  Pointers returned by the
 * getters are borrowed and live as long as the model.
 */
#ifndef GONGKAI_DATA_H
#define GONGKAI_DATA_H

#include <stdbool.h>

#include "gongkai/json.h"
#include "gongkai/money.h"
#include "gongkai/util.h"

typedef enum gk_kind { GK_KIND_JUESUAN = 0, GK_KIND_YUSUAN = 1 } gk_kind;

/* ---------------- 科目 catalog ----------------
 * Names of 支出功能分类 (类 3 / 款 5 / 项 7 digits) and 支出经济分类
 * (类 3 / 款 5 digits) codes, shipped in templates/catalog/. */
typedef enum gk_code_scheme {
    GK_CODE_FUNCTION = 0, /* 支出功能分类 */
    GK_CODE_ECONOMIC      /* 部门预算支出经济分类 */
} gk_code_scheme;

/* Name of a code, or NULL when the catalog does not know it. */
const char *gk_catalog_name(gk_code_scheme scheme, const char *code);
/* Level of a function code from its length: 1 类 (3), 2 款 (5), 3 项 (7);
 * economic codes: 1 类 (3), 2 款 (5); 0 when the length fits no level. */
int gk_code_level(gk_code_scheme scheme, const char *code);

/* ---------------- ledgers ----------------
 * A ledger is a table of the data file (`tables.<id>`) whose rows carry
 * 科目 codes.  Rows may be given at any level; missing parents are
 * derived (sum of children) and given ones are kept as stated, so that
 * `check` can compare them.  Rows are in code order, parents first. */
typedef struct gk_ledger_row {
    const char *code;     /* "2010301"; "" for rows without a code */
    const char *name;     /* from the data, else the catalog, else "" */
    int level;            /* 1 类, 2 款, 3 项; 0 = a code whose length fits
                             no level, or a row without a code in a coded
                             table (kept, counted in no sum; check warns).
                             Rows of a table without codes are all 1. */
    bool derived;         /* not in the data: built from its children */
    const gk_json *node;  /* the data row (NULL when derived) */
    gk_fen *values;       /* ncols values: stated, or sum of children
                             (a leaf's unstated column is 0) */
    bool *stated;         /* ncols flags: the data gives this value */
} gk_ledger_row;

typedef struct gk_ledger {
    const char *id;       /* "expenditure" */
    const gk_json *node;  /* tables.<id> */
    gk_code_scheme scheme; /* "scheme" of the table when given; else
                              economic for general_basic with 3/5-digit
                              codes; else function */
    int ncols;
    const char **cols;    /* amount column keys, in first-seen order */
    size_t nrows;
    gk_ledger_row *rows;
    gk_fen *total;        /* ncols: the stated `total.<col>` when given,
                             else the sum of level-1 rows (of all rows when
                             the table has no codes) */
    bool *total_stated;   /* the data states `total.<col>` */
} gk_ledger;

/* Index of column `key` in the ledger, or -1. */
int gk_ledger_col(const gk_ledger *l, const char *key);

/* ---------------- the model ---------------- */
typedef struct gk_model gk_model;

/* Limits on the input, documented in the README. */
typedef struct gk_data_limits {
    size_t max_bytes;      /* 64 MiB */
    int max_depth;         /* 128 */
    size_t max_string;     /* 1 MiB */
    size_t max_rows;       /* 100,000 rows per table */
} gk_data_limits;

/* Load and type-check a data file.  Every problem is added to diags
 * (syntax: FILE:LINE:COL; meaning: FILE: $.path).  Returns NULL when the
 * file cannot be used (syntax error, wrong types, bad amounts); the
 * caller frees a returned model with gk_model_free(). */
gk_model *gk_model_load(const char *path, gk_diags *diags);
gk_model *gk_model_load_mem(const char *data, size_t len, const char *name,
                            gk_diags *diags);
void gk_model_free(gk_model *m);

const char *gk_model_file(const gk_model *m);
const gk_json *gk_model_root(const gk_model *m);
gk_kind gk_model_kind(const gk_model *m);
int gk_model_year(const gk_model *m);
gk_unit gk_model_unit(const gk_model *m);     /* the unit amounts are written in */
int gk_model_decimals(const gk_model *m);     /* decimals printed (default 2) */
bool gk_model_rounded(const gk_model *m);     /* figures copied from a print */
size_t gk_model_nledgers(const gk_model *m);
const gk_ledger *gk_model_ledger_at(const gk_model *m, size_t i);
/* The ledger of tables.<id>, or NULL. */
const gk_ledger *gk_model_ledger(const gk_model *m, const char *id);

/* Parse a JSON number or string node as an amount in the model's unit.
 * On failure adds a located error to diags (when not NULL) and returns
 * false. */
bool gk_model_amount(const gk_model *m, const gk_json *node, gk_fen *out,
                     gk_diags *diags);

/* ---------------- check ----------------
 * Every identity of the report (DOMAIN.md): each ledger's 类 = Σ款 and
 * 款 = Σ项, stated totals, the cross-table identities for the kind, the
 * "三公" sums, 收入总计 = 支出总计, stated percentages.  Problems are
 * added to diags in the domain's words; warnings for what is legal but
 * suspicious.  Returns the number of errors added. */
size_t gk_check(const gk_model *m, gk_diags *diags);

#endif
