/* Private to src/data: the model's layout and helpers shared by
 * model.c (load, ledgers) and check.c (identities). */
#ifndef GONGKAI_DATA_PRIVATE_H
#define GONGKAI_DATA_PRIVATE_H

#include "gongkai/data.h"

struct gk_model {
    gk_arena arena;        /* ledgers, rows, strings built by the loader */
    gk_json_doc *doc;      /* owned */
    const char *file;      /* in arena */
    const gk_json *root;
    gk_kind kind;
    int year;
    gk_unit unit;
    int decimals;
    bool rounded;
    size_t nledgers;
    gk_ledger *ledgers;    /* in arena, in the order of `tables` */
};

/* Number of entries the catalog holds for a scheme (tests). */
size_t gk__catalog_size(gk_code_scheme scheme);

/* Add a located diagnostic about `node` (its JSON path; `key` appended
 * when not NULL, for a member that is missing). */
void gk__diag(gk_diags *d, gk_severity sev, gk_status st, const gk_model *m,
              const gk_json *node, const char *key, const char *fmt, ...)
    GK_PRINTF(7, 8);

/* Exact display of an amount for messages: the model's decimals, more
 * when the exact value needs them ("4019.40", "3819.053886"). */
void gk__fmt_amount(const gk_model *m, gk_fen v, gk_buf *b);

/* Human label of a ledger column ("basic" -> 基本支出) or the key. */
const char *gk__col_label(const char *ledger_id, const char *col);
/* Human label of a ledger ("expenditure" -> 支出决算表). */
const char *gk__ledger_label(const gk_model *m, const char *id);

/* Is `s` shaped like an amount (starts like a number, or NaN/Inf, or
 * is empty)?  Such strings are parsed as amounts and refused when bad. */
bool gk__looks_numeric(const char *s, size_t len);

#endif
