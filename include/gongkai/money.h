/*
 * gongkai — exact money.
 *
 * Every amount is an int64 count of fen (0.01 元 = 0.000001 万元).  It is
 * parsed from the decimal text of the input, never through a double, and
 * every display rounding is 四舍五入 (half away from zero) on the exact
 * value.  Nothing here allocates except into a caller's gk_buf.
 */
#ifndef GONGKAI_MONEY_H
#define GONGKAI_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "gongkai/util.h"

typedef int64_t gk_fen;

typedef enum gk_unit { GK_UNIT_YUAN = 0, GK_UNIT_WAN = 1 } gk_unit;

/* Fen in one unit: 100 for 元, 1,000,000 for 万元. */
int64_t gk_unit_fen(gk_unit u);
/* Decimals that a fen allows in the unit: 2 for 元, 6 for 万元. */
int gk_unit_max_decimals(gk_unit u);
const char *gk_unit_name(gk_unit u); /* "元" / "万元" */
/* Parse "元" or "万元"; returns false otherwise. */
bool gk_unit_parse(const char *s, gk_unit *u);

typedef enum gk_money_err {
    GK_MONEY_OK = 0,
    GK_MONEY_EMPTY,       /* no digits */
    GK_MONEY_SYNTAX,      /* not a plain decimal: letters, two points, ... */
    GK_MONEY_EXPONENT,    /* 1e5: exponent notation is refused */
    GK_MONEY_NAN,         /* NaN / Infinity */
    GK_MONEY_PRECISION,   /* more decimals than a fen */
    GK_MONEY_OVERFLOW,    /* does not fit int64 fen */
    GK_MONEY_SEPARATOR    /* "1,234.5" when commas are not allowed */
} gk_money_err;

/* Parse decimal text (optional '-', digits, optional '.' and digits;
 * thousands separators ',' are accepted only when allow_commas) given in
 * unit u.  Exact: "0.1" 万元 is 100,000 fen.  Decimals beyond a fen are
 * accepted only when they are zeros ("1.50000000" 元).  Range is
 * ±INT64_MAX fen. */
gk_money_err gk_money_parse(const char *s, size_t len, gk_unit u,
                            bool allow_commas, gk_fen *out);
/* Message for a parse error, in the current language. */
const char *gk_money_strerror(gk_money_err e);

/* Format fen in unit u with exactly `decimals` decimals (0..6), rounding
 * half away from zero; `commas` adds thousands separators.  Appends to b.
 * Example: 401940000 fen, 万元, 2 -> "4019.40". */
void gk_money_format(gk_buf *b, gk_fen v, gk_unit u, int decimals, bool commas);

/* Round a/b half away from zero.  b != 0.  Exact for all int64 inputs
 * (uses a 128-bit intermediate). */
int64_t gk_div_round(int64_t a, int64_t b);
/* a*b/c rounded half away from zero with a 128-bit intermediate; returns
 * false on overflow or c == 0. */
bool gk_muldiv_round(int64_t a, int64_t b, int64_t c, int64_t *out);
/* Overflow-checked addition/subtraction/multiplication. */
bool gk_add_ok(int64_t a, int64_t b, int64_t *out);
bool gk_sub_ok(int64_t a, int64_t b, int64_t *out);
bool gk_mul_ok(int64_t a, int64_t b, int64_t *out);

/* part/whole as a percentage with `decimals` decimals, half away from
 * zero, computed exactly.  Returns false when whole == 0 (no percentage
 * may be printed).  Appends e.g. "69.80" (no % sign).  When `trim_whole`
 * and the rounded value is a whole number, no decimals are written
 * ("100", "0", "73"); otherwise all decimals are kept ("69.80"). */
bool gk_pct_format(gk_buf *b, gk_fen part, gk_fen whole, int decimals,
                   bool trim_whole);
/* The same percentage as an integer count of 10^-decimals percent
 * (69.80% with 2 decimals -> 6980).  false when whole == 0. */
bool gk_pct_scaled(gk_fen part, gk_fen whole, int decimals, int64_t *out);

#endif
