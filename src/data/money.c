/* Exact money: decimal text <-> int64 fen, 四舍五入 display, percentages.
 * See include/gongkai/money.h.  No floating point anywhere: every
 * intermediate that could overflow int64 is computed in __int128. */
#include <string.h>

#include "gongkai/money.h"

typedef __int128 i128;

int64_t gk_unit_fen(gk_unit u) { return u == GK_UNIT_WAN ? 1000000 : 100; }

int gk_unit_max_decimals(gk_unit u) { return u == GK_UNIT_WAN ? 6 : 2; }

const char *gk_unit_name(gk_unit u) { return u == GK_UNIT_WAN ? "万元" : "元"; }

bool gk_unit_parse(const char *s, gk_unit *u)
{
    if (!s)
        return false;
    if (strcmp(s, "万元") == 0) {
        *u = GK_UNIT_WAN;
        return true;
    }
    if (strcmp(s, "元") == 0) {
        *u = GK_UNIT_YUAN;
        return true;
    }
    return false;
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Case-insensitive match of the whole of s[0..len) against word. */
static bool word_is(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != word[i])
            return false;
    return true;
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

gk_money_err gk_money_parse(const char *s, size_t len, gk_unit u,
                            bool allow_commas, gk_fen *out)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0)
        return GK_MONEY_EMPTY;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    if (word_is(s + i, len - i, "nan") || word_is(s + i, len - i, "inf") ||
        word_is(s + i, len - i, "infinity"))
        return GK_MONEY_NAN;
    if (i == 1 && s[0] == '+')
        return GK_MONEY_SYNTAX; /* JSON has no '+'; keep the text plain */
    if (i == len)
        return GK_MONEY_EMPTY;

    const int maxdec = gk_unit_max_decimals(u);
    const i128 limit = (i128)INT64_MAX;
    i128 v = 0;
    bool overflow = false;
    size_t int_digits = 0, group = 0;
    bool saw_comma = false;
    /* Integer part, with optional thousands separators. */
    for (; i < len && s[i] != '.'; i++) {
        char c = s[i];
        if (is_digit(c)) {
            if (!overflow) {
                v = v * 10 + (c - '0');
                if (v > limit)
                    overflow = true;
            }
            int_digits++;
            group++;
        } else if (c == ',') {
            if (!allow_commas)
                return GK_MONEY_SEPARATOR;
            /* 1-3 digits before the first comma, exactly 3 after each. */
            if (group == 0 || (saw_comma ? group != 3 : group > 3))
                return GK_MONEY_SYNTAX;
            saw_comma = true;
            group = 0;
        } else if (c == 'e' || c == 'E') {
            return int_digits ? GK_MONEY_EXPONENT : GK_MONEY_SYNTAX;
        } else {
            return GK_MONEY_SYNTAX;
        }
    }
    if (saw_comma && group != 3)
        return GK_MONEY_SYNTAX;
    if (int_digits == 0)
        return i < len ? GK_MONEY_SYNTAX : GK_MONEY_EMPTY; /* ".5", "-" */
    int dec = 0;
    if (i < len) { /* s[i] == '.' */
        i++;
        if (i == len)
            return GK_MONEY_SYNTAX; /* "5." */
        for (; i < len; i++) {
            char c = s[i];
            if (is_digit(c)) {
                if (dec < maxdec) {
                    if (!overflow) {
                        v = v * 10 + (c - '0');
                        if (v > limit)
                            overflow = true;
                    }
                    dec++;
                } else if (c != '0') {
                    /* A non-zero digit below a fen; trailing zeros
                     * ("1.50000000") are exact and accepted. */
                    for (size_t k = i; k < len; k++)
                        if (s[k] == 'e' || s[k] == 'E')
                            return GK_MONEY_EXPONENT;
                    for (size_t k = i; k < len; k++)
                        if (!is_digit(s[k]))
                            return GK_MONEY_SYNTAX;
                    return GK_MONEY_PRECISION;
                }
            } else if (c == 'e' || c == 'E') {
                return GK_MONEY_EXPONENT;
            } else {
                return GK_MONEY_SYNTAX;
            }
        }
    }
    for (; dec < maxdec && !overflow; dec++) {
        v *= 10;
        if (v > limit)
            overflow = true;
    }
    if (overflow)
        return GK_MONEY_OVERFLOW;
    /* Fen per smallest decimal: 万元 with 6 decimals and 元 with 2 are
     * both exactly one fen, so v is already in fen. */
    *out = (gk_fen)(neg ? -v : v);
    return GK_MONEY_OK;
}

const char *gk_money_strerror(gk_money_err e)
{
    switch (e) {
    case GK_MONEY_OK:
        return GK_TR("正确", "ok");
    case GK_MONEY_EMPTY:
        return GK_TR("金额为空", "the amount is empty");
    case GK_MONEY_SYNTAX:
        return GK_TR("不是普通的十进制数", "not a plain decimal number");
    case GK_MONEY_EXPONENT:
        return GK_TR("不能用科学计数法", "exponent notation is not allowed");
    case GK_MONEY_NAN:
        return GK_TR("不能是 NaN 或 Infinity", "NaN and Infinity are not amounts");
    case GK_MONEY_PRECISION:
        return GK_TR("小数位数超过“分”的精度", "has more decimals than a fen");
    case GK_MONEY_OVERFLOW:
        return GK_TR("超出可表示的范围", "is too large to represent");
    case GK_MONEY_SEPARATOR:
        return GK_TR("不能含千位分隔符", "thousands separators are not allowed");
    }
    return GK_TR("金额无效", "invalid amount");
}

static i128 pow10_i128(int n)
{
    i128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* q = a/b rounded half away from zero; b != 0. */
static i128 div_round128(i128 a, i128 b)
{
    if (b < 0) {
        a = -a;
        b = -b;
    }
    i128 q = a / b, r = a % b; /* C truncates toward zero */
    if (r < 0)
        r = -r;
    if (2 * r >= b)
        q += a < 0 ? -1 : 1;
    return q;
}

/* Append |v| in digits, with ',' every three when commas. */
static void put_uint128(gk_buf *b, i128 v, bool commas)
{
    char tmp[64];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v > 0);
    for (int k = n - 1; k >= 0; k--) {
        gk_buf_putc(b, tmp[k]);
        if (commas && k > 0 && k % 3 == 0)
            gk_buf_putc(b, ',');
    }
}

/* Append a value given as a count of 10^-decimals units. */
static void put_scaled(gk_buf *b, i128 scaled, int decimals, bool commas)
{
    if (scaled < 0) {
        gk_buf_putc(b, '-');
        scaled = -scaled;
    }
    i128 p = pow10_i128(decimals);
    put_uint128(b, scaled / p, commas);
    if (decimals > 0) {
        gk_buf_putc(b, '.');
        i128 frac = scaled % p;
        char tmp[8];
        for (int k = decimals - 1; k >= 0; k--) {
            tmp[k] = (char)('0' + (int)(frac % 10));
            frac /= 10;
        }
        gk_buf_put(b, tmp, (size_t)decimals);
    }
}

void gk_money_format(gk_buf *b, gk_fen v, gk_unit u, int decimals, bool commas)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    int maxdec = gk_unit_max_decimals(u);
    i128 scaled;
    if (decimals <= maxdec)
        scaled = div_round128(v, pow10_i128(maxdec - decimals));
    else
        scaled = (i128)v * pow10_i128(decimals - maxdec);
    put_scaled(b, scaled, decimals, commas); /* 0 never prints "-0" */
}

int64_t gk_div_round(int64_t a, int64_t b)
{
    if (b == 0)
        GK_BUG("gk_div_round by zero");
    i128 q = div_round128(a, b);
    if (q > INT64_MAX)
        return INT64_MAX; /* only INT64_MIN / -1 */
    return (int64_t)q;
}

bool gk_muldiv_round(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    if (c == 0)
        return false;
    i128 q = div_round128((i128)a * b, c);
    if (q > INT64_MAX || q < INT64_MIN)
        return false;
    *out = (int64_t)q;
    return true;
}

bool gk_add_ok(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

bool gk_sub_ok(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_sub_overflow(a, b, out);
}

bool gk_mul_ok(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_mul_overflow(a, b, out);
}

bool gk_pct_scaled(gk_fen part, gk_fen whole, int decimals, int64_t *out)
{
    if (whole == 0)
        return false;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    /* |part| * 10^8 < 2^63 * 2^27 fits easily in 128 bits. */
    i128 q = div_round128((i128)part * 100 * pow10_i128(decimals), whole);
    if (q > INT64_MAX || q < -INT64_MAX)
        return false;
    *out = (int64_t)q;
    return true;
}

bool gk_pct_format(gk_buf *b, gk_fen part, gk_fen whole, int decimals,
                   bool trim_whole)
{
    int64_t q;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!gk_pct_scaled(part, whole, decimals, &q))
        return false;
    i128 p = pow10_i128(decimals);
    if (trim_whole && (i128)q % p == 0)
        put_scaled(b, (i128)q / p, 0, false);
    else
        put_scaled(b, q, decimals, false);
    return true;
}
