/* Exact money: parsing, display rounding, percentages, overflow. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/money.h"

static gk_money_err parse(const char *s, gk_unit u, gk_fen *out)
{
    return gk_money_parse(s, strlen(s), u, false, out);
}

static gk_fen P(const char *s, gk_unit u)
{
    gk_fen v = 0;
    gk_money_err e = parse(s, u, &v);
    ck_assert_msg(e == GK_MONEY_OK, "parse '%s' failed: %d", s, (int)e);
    return v;
}

/* Format into a static buffer for comparisons. */
static char fmtbuf[128];
static const char *F(gk_fen v, gk_unit u, int dec, bool commas)
{
    gk_buf b = GK_BUF_INIT;
    gk_money_format(&b, v, u, dec, commas);
    ck_assert_uint_lt(b.len, sizeof fmtbuf);
    memcpy(fmtbuf, b.ptr, b.len + 1);
    gk_buf_release(&b);
    return fmtbuf;
}

START_TEST(test_units)
{
    ck_assert_int_eq(gk_unit_fen(GK_UNIT_YUAN), 100);
    ck_assert_int_eq(gk_unit_fen(GK_UNIT_WAN), 1000000);
    ck_assert_int_eq(gk_unit_max_decimals(GK_UNIT_YUAN), 2);
    ck_assert_int_eq(gk_unit_max_decimals(GK_UNIT_WAN), 6);
    gk_unit u;
    ck_assert(gk_unit_parse("万元", &u) && u == GK_UNIT_WAN);
    ck_assert(gk_unit_parse("元", &u) && u == GK_UNIT_YUAN);
    ck_assert(!gk_unit_parse("千元", &u));
    ck_assert(!gk_unit_parse(NULL, &u));
    ck_assert_str_eq(gk_unit_name(GK_UNIT_WAN), "万元");
}
END_TEST

START_TEST(test_parse_exact)
{
    ck_assert_int_eq(P("4019.40", GK_UNIT_WAN), 4019400000LL);
    ck_assert_int_eq(P("0.1", GK_UNIT_WAN), 100000);
    ck_assert_int_eq(P("3819.053886", GK_UNIT_WAN), 3819053886LL);
    ck_assert_int_eq(P("-2.5", GK_UNIT_YUAN), -250);
    ck_assert_int_eq(P("0", GK_UNIT_YUAN), 0);
    ck_assert_int_eq(P("-0", GK_UNIT_YUAN), 0);
    ck_assert_int_eq(P("-0.00", GK_UNIT_WAN), 0);
    ck_assert_int_eq(P("007", GK_UNIT_YUAN), 700);
    /* 2^53 + 1: a double cannot hold it, we must. */
    ck_assert_int_eq(P("9007199254740993", GK_UNIT_YUAN), 900719925474099300LL);
    ck_assert_int_eq(P("9007199254740993.01", GK_UNIT_YUAN), 900719925474099301LL);
    /* Trailing zeros beyond a fen are exact, so accepted. */
    ck_assert_int_eq(P("1.50000000", GK_UNIT_YUAN), 150);
    ck_assert_int_eq(P("1.0000010", GK_UNIT_WAN), 1000001);
}
END_TEST

START_TEST(test_point_one_plus_point_two)
{
    for (int u = 0; u < 2; u++) {
        gk_fen a = P("0.1", (gk_unit)u), b = P("0.2", (gk_unit)u), c = P("0.3", (gk_unit)u), s;
        ck_assert(gk_add_ok(a, b, &s));
        ck_assert_int_eq(s, c);
        ck_assert_str_eq(F(s, (gk_unit)u, 2, false), "0.30");
    }
}
END_TEST

START_TEST(test_parse_limits)
{
    gk_fen v;
    ck_assert_int_eq(parse("92233720368547758.07", GK_UNIT_YUAN, &v), GK_MONEY_OK);
    ck_assert_int_eq(v, INT64_MAX);
    ck_assert_int_eq(parse("-92233720368547758.07", GK_UNIT_YUAN, &v), GK_MONEY_OK);
    ck_assert_int_eq(v, -INT64_MAX);
    ck_assert_int_eq(parse("92233720368547758.08", GK_UNIT_YUAN, &v), GK_MONEY_OVERFLOW);
    ck_assert_int_eq(parse("9223372036854.775807", GK_UNIT_WAN, &v), GK_MONEY_OK);
    ck_assert_int_eq(parse("9223372036854.775808", GK_UNIT_WAN, &v), GK_MONEY_OVERFLOW);
    ck_assert_int_eq(parse("9223372036855", GK_UNIT_WAN, &v), GK_MONEY_OVERFLOW);
    /* a 60-digit number */
    ck_assert_int_eq(parse("123456789012345678901234567890123456789012345678901234567890",
                           GK_UNIT_YUAN, &v), GK_MONEY_OVERFLOW);
}
END_TEST

START_TEST(test_parse_refused)
{
    gk_fen v = 42;
    struct { const char *s; gk_unit u; gk_money_err e; } cases[] = {
        { "", GK_UNIT_WAN, GK_MONEY_EMPTY },
        { "-", GK_UNIT_WAN, GK_MONEY_EMPTY },
        { "1e5", GK_UNIT_WAN, GK_MONEY_EXPONENT },
        { "1E5", GK_UNIT_WAN, GK_MONEY_EXPONENT },
        { "1.5e3", GK_UNIT_WAN, GK_MONEY_EXPONENT },
        { "2.000000001e2", GK_UNIT_WAN, GK_MONEY_EXPONENT },
        { "NaN", GK_UNIT_WAN, GK_MONEY_NAN },
        { "nan", GK_UNIT_YUAN, GK_MONEY_NAN },
        { "Infinity", GK_UNIT_WAN, GK_MONEY_NAN },
        { "-Infinity", GK_UNIT_WAN, GK_MONEY_NAN },
        { "inf", GK_UNIT_WAN, GK_MONEY_NAN },
        { "1.001", GK_UNIT_YUAN, GK_MONEY_PRECISION },
        { "1.0000001", GK_UNIT_WAN, GK_MONEY_PRECISION },
        { ".5", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "5.", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "1.2.3", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "abc", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { " 1", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "1 ", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "+1", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "--1", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "0x10", GK_UNIT_WAN, GK_MONEY_SYNTAX },
        { "1,234.50", GK_UNIT_YUAN, GK_MONEY_SEPARATOR },
        { "12万", GK_UNIT_WAN, GK_MONEY_SYNTAX },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gk_money_err e = parse(cases[i].s, cases[i].u, &v);
        ck_assert_msg(e == cases[i].e, "'%s': got %d, want %d", cases[i].s, (int)e, (int)cases[i].e);
        ck_assert_int_eq(v, 42); /* untouched on failure */
        ck_assert_ptr_nonnull(gk_money_strerror(e));
    }
}
END_TEST

START_TEST(test_parse_commas)
{
    gk_fen v;
    ck_assert_int_eq(gk_money_parse("1,234.50", 8, GK_UNIT_YUAN, true, &v), GK_MONEY_OK);
    ck_assert_int_eq(v, 123450);
    ck_assert_int_eq(gk_money_parse("12,345,678", 10, GK_UNIT_YUAN, true, &v), GK_MONEY_OK);
    ck_assert_int_eq(v, 1234567800);
    ck_assert_int_eq(gk_money_parse("1,23", 4, GK_UNIT_YUAN, true, &v), GK_MONEY_SYNTAX);
    ck_assert_int_eq(gk_money_parse("1234,567", 8, GK_UNIT_YUAN, true, &v), GK_MONEY_SYNTAX);
    ck_assert_int_eq(gk_money_parse(",123", 4, GK_UNIT_YUAN, true, &v), GK_MONEY_SYNTAX);
}
END_TEST

/* Half away from zero at every decimal count: exactly half of the last
 * shown digit rounds away from zero, one fen less rounds toward it. */
START_TEST(test_format_half_up)
{
    static const char *const up[] = { "1", "0.1", "0.01", "0.001", "0.0001", "0.00001" };
    static const char *const down[] = { "0", "0.0", "0.00", "0.000", "0.0000", "0.00000" };
    for (int d = 0; d <= 5; d++) {
        gk_fen half = 5;
        for (int i = 0; i < 6 - d - 1; i++)
            half *= 10;
        ck_assert_str_eq(F(half, GK_UNIT_WAN, d, false), up[d]);
        char neg[16] = "-";
        strcat(neg, up[d]);
        ck_assert_str_eq(F(-half, GK_UNIT_WAN, d, false), neg);
        ck_assert_str_eq(F(half - 1, GK_UNIT_WAN, d, false), down[d]);
        ck_assert_str_eq(F(-(half - 1), GK_UNIT_WAN, d, false), down[d]); /* never "-0" */
    }
    ck_assert_str_eq(F(1, GK_UNIT_WAN, 6, false), "0.000001");
    ck_assert_str_eq(F(-1, GK_UNIT_WAN, 6, false), "-0.000001");
    /* 元: 0..2 decimals, and more decimals pad with zeros. */
    ck_assert_str_eq(F(50, GK_UNIT_YUAN, 0, false), "1");
    ck_assert_str_eq(F(49, GK_UNIT_YUAN, 0, false), "0");
    ck_assert_str_eq(F(5, GK_UNIT_YUAN, 1, false), "0.1");
    ck_assert_str_eq(F(-5, GK_UNIT_YUAN, 1, false), "-0.1");
    ck_assert_str_eq(F(123, GK_UNIT_YUAN, 2, false), "1.23");
    ck_assert_str_eq(F(123, GK_UNIT_YUAN, 4, false), "1.2300");
    /* the seed: 3819.053886 万元 to 2 decimals */
    ck_assert_str_eq(F(P("3819.053886", GK_UNIT_WAN), GK_UNIT_WAN, 2, false), "3819.05");
    ck_assert_str_eq(F(P("0.005", GK_UNIT_WAN), GK_UNIT_WAN, 2, false), "0.01");
    ck_assert_str_eq(F(P("2.675", GK_UNIT_WAN), GK_UNIT_WAN, 2, false), "2.68"); /* 2.67 in binary FP */
    ck_assert_str_eq(F(0, GK_UNIT_WAN, 2, false), "0.00");
    ck_assert_str_eq(F(0, GK_UNIT_WAN, 0, false), "0");
}
END_TEST

START_TEST(test_format_commas)
{
    ck_assert_str_eq(F(1234567890, GK_UNIT_YUAN, 2, true), "12,345,678.90");
    ck_assert_str_eq(F(-123400, GK_UNIT_YUAN, 2, true), "-1,234.00");
    ck_assert_str_eq(F(10000, GK_UNIT_YUAN, 2, true), "100.00");
    ck_assert_str_eq(F(100000, GK_UNIT_YUAN, 0, true), "1,000");
    ck_assert_str_eq(F(0, GK_UNIT_YUAN, 2, true), "0.00");
    ck_assert_str_eq(F(P("3819.053886", GK_UNIT_WAN), GK_UNIT_WAN, 6, true), "3,819.053886");
    ck_assert_str_eq(F(INT64_MAX, GK_UNIT_YUAN, 2, true), "92,233,720,368,547,758.07");
    ck_assert_str_eq(F(-INT64_MAX, GK_UNIT_YUAN, 0, false), "-92233720368547758");
    ck_assert_str_eq(F(INT64_MIN, GK_UNIT_YUAN, 2, false), "-92233720368547758.08");
    /* decimals are clamped to 0..6 */
    ck_assert_str_eq(F(1, GK_UNIT_WAN, 9, false), "0.000001");
}
END_TEST

START_TEST(test_arith)
{
    ck_assert_int_eq(gk_div_round(5, 2), 3);
    ck_assert_int_eq(gk_div_round(-5, 2), -3);
    ck_assert_int_eq(gk_div_round(5, -2), -3);
    ck_assert_int_eq(gk_div_round(-5, -2), 3);
    ck_assert_int_eq(gk_div_round(4, 3), 1);
    ck_assert_int_eq(gk_div_round(-4, 3), -1);
    ck_assert_int_eq(gk_div_round(INT64_MAX, 1), INT64_MAX);
    ck_assert_int_eq(gk_div_round(INT64_MIN, -1), INT64_MAX); /* saturates */
    int64_t r;
    ck_assert(gk_muldiv_round(INT64_MAX, 2, 4, &r));
    ck_assert_int_eq(r, 4611686018427387904LL);
    ck_assert(!gk_muldiv_round(INT64_MAX, 2, 1, &r));
    ck_assert(!gk_muldiv_round(1, 1, 0, &r));
    ck_assert(gk_muldiv_round(-7, 3, 2, &r));
    ck_assert_int_eq(r, -11); /* -10.5 -> -11 */
    ck_assert(gk_add_ok(1, 2, &r) && r == 3);
    ck_assert(!gk_add_ok(INT64_MAX, 1, &r));
    ck_assert(!gk_sub_ok(INT64_MIN, 1, &r));
    ck_assert(gk_sub_ok(0, INT64_MAX, &r) && r == -INT64_MAX);
    ck_assert(!gk_mul_ok(INT64_MAX / 2 + 1, 2, &r));
    ck_assert(gk_mul_ok(-3, 4, &r) && r == -12);
}
END_TEST

static char pctbuf[64];
static const char *PCT(gk_fen part, gk_fen whole, int dec, bool trim)
{
    gk_buf b = GK_BUF_INIT;
    bool ok = gk_pct_format(&b, part, whole, dec, trim);
    if (!ok) {
        gk_buf_release(&b);
        return NULL;
    }
    memcpy(pctbuf, b.ptr, b.len + 1);
    gk_buf_release(&b);
    return pctbuf;
}

START_TEST(test_pct)
{
    /* the seed: 基本支出 2805.41 / 本年支出合计 4019.40 = 69.7967… % */
    gk_fen basic = P("2805.41", GK_UNIT_WAN), total = P("4019.40", GK_UNIT_WAN);
    ck_assert_str_eq(PCT(basic, total, 2, false), "69.80");
    ck_assert_str_eq(PCT(basic, total, 2, true), "69.80");
    ck_assert_str_eq(PCT(total - basic, total, 2, false), "30.20");
    ck_assert_str_eq(PCT(total, total, 2, true), "100");
    ck_assert_str_eq(PCT(total, total, 2, false), "100.00");
    ck_assert_str_eq(PCT(0, total, 2, true), "0");
    ck_assert_ptr_null(PCT(1, 0, 2, false)); /* no base, no percentage */
    ck_assert_str_eq(PCT(1, 3, 2, false), "33.33");
    ck_assert_str_eq(PCT(2, 3, 2, false), "66.67");
    ck_assert_str_eq(PCT(1, 8, 1, false), "12.5");
    ck_assert_str_eq(PCT(1, 8, 0, false), "13");  /* 12.5 rounds away */
    ck_assert_str_eq(PCT(-1, 8, 0, false), "-13");
    ck_assert_str_eq(PCT(-1, 8, 2, false), "-12.50");
    ck_assert_str_eq(PCT(1, -8, 2, false), "-12.50");
    /* a published slip: 165247.88 / 881300.39 is 18.75%, not 18.76% */
    ck_assert_str_eq(PCT(P("165247.88", GK_UNIT_YUAN), P("881300.39", GK_UNIT_YUAN), 2, false), "18.75");
    /* change against last year: (3819.053886 - 4584.187561) / 4584.187561 */
    gk_fen now = P("3819.053886", GK_UNIT_WAN), prev = P("4584.187561", GK_UNIT_WAN);
    ck_assert_str_eq(PCT(now - prev, prev, 2, false), "-16.69");
    /* huge values do not overflow */
    ck_assert_str_eq(PCT(INT64_MAX, INT64_MAX, 6, false), "100.000000");
    int64_t q;
    ck_assert(gk_pct_scaled(basic, total, 2, &q));
    ck_assert_int_eq(q, 6980);
    ck_assert(!gk_pct_scaled(1, 0, 2, &q));
}
END_TEST

static Suite *money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_units);
    tcase_add_test(tc, test_parse_exact);
    tcase_add_test(tc, test_point_one_plus_point_two);
    tcase_add_test(tc, test_parse_limits);
    tcase_add_test(tc, test_parse_refused);
    tcase_add_test(tc, test_parse_commas);
    tcase_add_test(tc, test_format_half_up);
    tcase_add_test(tc, test_format_commas);
    tcase_add_test(tc, test_arith);
    tcase_add_test(tc, test_pct);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(money_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
