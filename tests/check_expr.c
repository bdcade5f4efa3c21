/* Expression language: exact arithmetic, every function, located errors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/internal.h"

static const char data_json[] =
    "{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"万元\","
    "\"date\":\"2024-08-19\",\"decimals\":2,"
    "\"department\":{\"name\":\"测试部门\",\"unit_counts\":{\"admin\":1}},"
    "\"tables\":{\"expenditure\":{\"rows\":["
    "{\"code\":\"2013101\",\"basic\":100.5},"
    "{\"code\":\"2013102\",\"project\":20,\"reason\":\"原因。\"},"
    "{\"code\":\"2080501\",\"basic\":10}]},"
    "\"gov_fund\":{\"rows\":[{\"code\":\"2290401\",\"project\":2.22}]}},"
    "\"previous\":{\"expenditure_total\":120,\"zero\":0},"
    "\"glossary\":[{\"term\":\"甲\",\"definition\":\"乙\"}],"
    "\"three_public\":{\"abroad_groups\":3},"
    "\"extra\":[1.5, 2, \"3.25\"]}";

static gk_model *model;
static gk_arena arena;

static void setup(void)
{
    gk_diags d = GK_DIAGS_INIT;
    model = gk_model_load_mem(data_json, sizeof data_json - 1, "test.json", &d);
    if (!model || d.errors)
        gk_diags_print(&d, stderr);
    ck_assert_ptr_nonnull(model);
    gk_diags_release(&d);
    gk_arena_init(&arena);
}

static void teardown(void)
{
    gk_model_free(model);
    gk_arena_release(&arena);
}

/* Parse, check, evaluate and print; errors come back as "ERR:<formatted>". */
static char result[2048];
static gk_status last_status;

static const char *evalx(const char *src, long max_steps)
{
    gk_error err;
    gk_error_clear(&err);
    gk_buf out = GK_BUF_INIT;
    gk__code *c = gk__expr_parse(&arena, src, strlen(src), "t.xml", 7, &err);
    gk_status st = c ? GK_OK : err.status;
    gk__scope loop = {.name = "x", .up = NULL};
    if (!st)
        st = gk__expr_check(c, &loop, &err);
    if (!st) {
        gk__ev ev;
        gk__eval_init(&ev, model, &arena, &err);
        if (max_steps)
            ev.max_steps = max_steps;
        gk__val v;
        gk__env x = {.name = "x", .v = {.t = GK_V_INT, .u.i = 4}};
        st = gk__eval(&ev, c, &x, &v);
        if (!st) {
            ev.code = c;
            if (v.t == GK_V_NULL)
                gk_buf_puts(&out, "<null>");
            else if (v.t == GK_V_BOOL)
                gk_buf_puts(&out, v.u.b ? "<true>" : "<false>");
            else
                st = gk__to_text(&ev, &v, false, &out);
        }
    }
    last_status = st;
    if (st) {
        gk_buf e = GK_BUF_INIT;
        gk_error_format(&err, &e);
        snprintf(result, sizeof result, "ERR:%s", e.ptr);
        gk_buf_release(&e);
    } else {
        snprintf(result, sizeof result, "%s", out.ptr);
    }
    gk_buf_release(&out);
    return result;
}

static const char *ev(const char *src) { return evalx(src, 0); }

#define EQ(src, want) ck_assert_str_eq(ev(src), (want))
#define ERR_HAS(src, frag)                                                    \
    do {                                                                      \
        const char *r_ = ev(src);                                             \
        ck_assert_msg(strncmp(r_, "ERR:", 4) == 0, "%s: no error: %s", src, r_); \
        ck_assert_msg(strstr(r_, frag) != NULL, "%s: '%s' not in %s", src, frag, r_); \
    } while (0)

START_TEST(arithmetic_exact)
{
    EQ("0.1 + 0.2", "0.30");
    EQ("money(0.1 + 0.2, 6)", "0.300000");
    EQ("4019.40 - 2805.41", "1213.99");
    EQ("money(10.00 / 3, 6)", "3.333333");
    EQ("money(2 / 3, 6)", "1.000000");       /* integers: 2/3 rounds to 1 */
    EQ("7 / 2", "4");                        /* half away from zero */
    EQ("-7 / 2", "-4");
    EQ("1 + 2 * 3", "7");
    EQ("(1 + 2) * 3", "9");
    EQ("1.5 * 2", "3.00");
    EQ("2 * 1.5", "3.00");
    EQ("1 + 0.5", "1.50");                  /* an integer is units of the data's unit */
    EQ("-0.5", "-0.50");
    EQ("x * 2", "8");
    EQ("previous.expenditure_total + 0.01", "120.01");
    EQ("three_public.abroad_groups + 1", "4");
    EQ("'ab' + 'cd'", "abcd");
    ERR_HAS("money(0.0000005)", "t.xml:7: 错误: 表达式“money(0.0000005)”：数值 0.0000005 不能作为万元金额");
}
END_TEST

START_TEST(arithmetic_errors)
{
    ERR_HAS("1 / 0", "t.xml:7: 错误: 表达式“1 / 0”：除数为零");
    ERR_HAS("4019.40 / (x - 4)", "除数为零");
    ERR_HAS("'a' + 1", "类型不符");
    ERR_HAS("'a' + 1", "表达式“'a' + 1”");
    ERR_HAS("1.5 * 1.5", "金额不能乘以金额");
    ERR_HAS("1.5 / 1.5", "不能除以金额");
    ERR_HAS("9223372036854775807 + 1", "溢出");
    ERR_HAS("9223372036854775807 * 2", "溢出");
    ERR_HAS("92233720368547758070", "整数超出范围");
    ERR_HAS("previous.missing + 1", "null");
    ERR_HAS("previous.missing > 1", "null");
    ERR_HAS("department < 1", "不能比较");
    ERR_HAS("department.name[0]", "不是列表");
    ck_assert_int_eq((ev("1 / 0"), last_status), GK_ERR_EXPR);
}
END_TEST

START_TEST(parse_errors)
{
    ERR_HAS("1 +", "t.xml:7: 错误: 表达式“1 +”第 4 列：表达式不完整");
    ERR_HAS("foo(1)", "第 1 列：未知函数");
    ERR_HAS("money()", "参数个数不对");
    ERR_HAS("pct(1)", "参数个数不对");
    ERR_HAS("(1 + 2", "缺少“)”");
    ERR_HAS("1 < 2 < 3", "不能连写");
    ERR_HAS("'abc", "没有结束引号");
    ERR_HAS("1 # 2", "无法识别的字符");
    ERR_HAS("a.b", "未知的路径“a”");
    ERR_HAS("bogus.name", "第 1 列：未知的路径“bogus”");
    ERR_HAS("1 2", "多余内容");
    ERR_HAS("x.", "字段名");
    ERR_HAS("!x", "请用 not");
    ERR_HAS("", "表达式为空");
}
END_TEST

START_TEST(comparisons_logic)
{
    EQ("1 < 2", "<true>");
    EQ("0.5 == 0.50", "<true>");
    EQ("1 == 1.00", "<true>");
    EQ("2 >= 2.01", "<false>");
    EQ("'a' < 'b'", "<true>");
    EQ("null == null", "<true>");
    EQ("previous.missing == null", "<true>");
    EQ("department.name != null", "<true>");
    EQ("not (1 < 2)", "<false>");
    EQ("1 < 2 and 2 < 3", "<true>");
    EQ("1 > 2 or 2 < 3", "<true>");
    EQ("false and 1 / 0", "<false>");      /* short-circuit */
    EQ("true or 1 / 0", "<true>");
    EQ("'100.5' == 100.5", "<true>");      /* amounts may be strings */
}
END_TEST

START_TEST(paths)
{
    EQ("department.name", "测试部门");
    EQ("year", "2023");
    EQ("tables.expenditure.rows[1].code", "2013102");
    EQ("tables.expenditure.rows[9]", "<null>");
    EQ("tables.expenditure.rows[0].nothing", "<null>");
    EQ("previous.missing.deeper", "<null>");
    EQ("data.extra[0]", "1.50");
    EQ("data.extra[2] + 0", "3.25");
    EQ("department['name']", "测试部门");
}
END_TEST

START_TEST(fn_money_pct)
{
    EQ("money(4019.4)", "4019.40");
    EQ("money(3819.053886)", "3819.05");
    EQ("money(0.005)", "0.01");             /* 四舍五入 */
    EQ("money(-0.005)", "-0.01");
    EQ("money(1234567.891, 2, 'sep')", "1,234,567.89");
    EQ("money(8, null, 'trim')", "8");
    EQ("money(0, null, 'trim')", "0");
    EQ("money(12.3, null, 'trim')", "12.30");
    EQ("money(12345, 2, 'sep trim')", "12,345");
    EQ("money(1, 0)", "1");
    ERR_HAS("money(1, 7)", "超出 0–6");
    ERR_HAS("money(1, 2, 'x')", "'sep'");
    ERR_HAS("money(previous.missing)", "null");
    EQ("yuan(1.5)", "15000.00");
    EQ("yuan(1.5, 0)", "15000");
    EQ("wan(1.5, 1)", "1.5");
    EQ("pct(2805.41, 4019.40)", "69.80%");
    EQ("pct(1, 1)", "100%");
    EQ("pct(0, 5)", "0%");
    EQ("pct(3, 4)", "75%");
    EQ("pct(1, 3)", "33.33%");
    EQ("pct(2, 3, 1)", "66.7%");
    EQ("pct(1, 0)", "<null>");
    EQ("exists(pct(1, 0))", "<false>");
}
END_TEST

START_TEST(fn_change)
{
    EQ("change(4019.40, 0).phrase", "增加4019.40万元");
    EQ("change(4019.40, 0).pct", "<null>");
    EQ("change(100, 110).phrase", "减少10.00万元，下降9.09%");
    EQ("change(110, 100).phrase", "增加10.00万元，增长10%");
    EQ("change(5, 5).phrase", "持平");
    EQ("change(5, 5).pct", "0%");
    EQ("change(5, 5).verb", "持平");
    EQ("change(100, 110).verb", "减少");
    EQ("change(100, 110).rate_verb", "下降");
    EQ("change(110, 100).rate_verb", "增长");
    EQ("change(100, 110).dir", "-1");
    EQ("change(100, 110).amount", "10.00");
    EQ("change(100, 110).diff", "-10.00");
    EQ("change(1, -2).pct", "150%");
    EQ("change(1086.05, 1023.6).phrase", "增加62.45万元，增长6.10%");
    /* never the template leftover */
    ck_assert_ptr_null(strstr(ev("change(0, 0).phrase"), "（"));
}
END_TEST

START_TEST(fn_numbers)
{
    EQ("cmp(1, 2)", "-1");
    EQ("cmp(2.5, 2.5)", "0");
    EQ("cmp(3, 2.99)", "1");
    EQ("abs(-3)", "3");
    EQ("abs(-2.5)", "2.50");
    EQ("min(1, 0.5)", "0.50");
    EQ("max(1, 0.5)", "1.00");
    EQ("max(3, 4)", "4");
    EQ("min(3, 4)", "3");
    EQ("cn(0)", "零");
    EQ("cn(3)", "三");
    EQ("cn(10)", "十");
    EQ("cn(12)", "十二");
    EQ("cn(20)", "二十");
    EQ("cn(101)", "一百零一");
    EQ("cn(110)", "一百一十");
    EQ("cn(1000)", "一千");
    EQ("cn(1010)", "一千零一十");
    EQ("cn(10001)", "一万零一");
    EQ("cn(100000)", "十万");
    EQ("cn(201000)", "二十万一千");
    EQ("ordinal(3, '一、')", "三、");
    EQ("ordinal(3, '（一）')", "（三）");
    EQ("ordinal(12, '1.')", "12.");
    EQ("ordinal(4, '（1）')", "（4）");
    EQ("ordinal(2, '1、')", "2、");
    EQ("ordinal(2, '第一部分')", "第二部分");
    ERR_HAS("ordinal(2, 'x')", "“一”或“1”");
}
END_TEST

START_TEST(fn_lists)
{
    EQ("count(rows(tables.expenditure))", "7");   /* 3 项 + 2 款 + 2 类 */
    EQ("count(rows(tables.expenditure, 1))", "2");
    EQ("count(rows(tables.expenditure, 2))", "4");
    EQ("rows(tables.expenditure)[0].code", "201");
    EQ("rows(tables.expenditure)[0].level", "1");
    EQ("rows(tables.expenditure)[0].derived", "<true>");
    EQ("rows(tables.expenditure)[0].basic", "100.50");
    EQ("rows(tables.expenditure)[0].project", "20.00");
    EQ("rows(tables.expenditure)[2].reason", "<null>");
    EQ("lookup(tables.expenditure, '2013102').reason", "原因。");
    EQ("lookup(tables.expenditure, '20131').basic", "100.50");
    EQ("lookup(tables.expenditure, '999')", "<null>");
    EQ("rows(tables.gov_fund)[0].basic", "0.00");  /* documented column, no row has it */
    EQ("rows(tables.gov_fund)[0].basic + rows(tables.gov_fund)[0].project", "2.22");
    EQ("count(rows(tables.nothing))", "0");
    EQ("ledger_total(tables.expenditure)", "130.50");
    EQ("ledger_total(tables.expenditure, 'basic')", "110.50");
    EQ("ledger_total(tables.nothing, 'basic')", "0.00");
    EQ("sum(rows(tables.expenditure, 1), 'basic')", "110.50");
    EQ("sum(data.extra)", "6.75");
    EQ("sum(rows(tables.expenditure, 1), 'missing')", "0");
    EQ("count(nonzero(rows(tables.expenditure), 'project'))", "3");
    EQ("count(nonzero(rows(tables.expenditure), 'project', 'basic'))", "7");
    EQ("count(glossary)", "1");
    EQ("len('中文ab')", "4");
    EQ("len(glossary)", "1");
    ERR_HAS("rows(department)", "不是表");
    ERR_HAS("count(3)", "不是列表");
}
END_TEST

/* lookup/lookup_all on detail lines (several rows of one code), by
 * bisection: many lookups in a big ledger stay far below the step limit. */
START_TEST(fn_lookup_keyed)
{
    gk_buf j = GK_BUF_INIT;
    gk_buf_puts(&j, "{\"format\":\"gongkai-report/1\",\"kind\":\"预算\",\"year\":2023,"
                    "\"unit\":\"万元\",\"date\":\"2023-02-01\",\"decimals\":2,"
                    "\"department\":{\"name\":\"测试部门\"},\"tables\":{\"expenditure\":{\"rows\":[");
    gk_buf_puts(&j, "{\"code\":\"2013102\",\"econ\":\"30201\",\"basic\":2},"
                    "{\"code\":\"2013101\",\"econ\":\"30101\",\"basic\":1},"
                    "{\"code\":\"2013102\",\"econ\":\"30101\",\"basic\":3}");
    for (int i = 0; i < 3000; i++) /* 3000 more 项 under 类 210 */
        gk_buf_printf(&j, ",{\"code\":\"210%02d%02d\",\"basic\":1}", 1 + i / 99, 1 + i % 99);
    gk_buf_puts(&j, "]}}}");
    gk_diags d = GK_DIAGS_INIT;
    gk_model *big = gk_model_load_mem(j.ptr, j.len, "big.json", &d);
    if (!big || d.errors)
        gk_diags_print(&d, stderr);
    ck_assert_ptr_nonnull(big);
    gk_diags_release(&d);
    gk_buf_release(&j);
    gk_model *saved = model;
    model = big;
    EQ("lookup(tables.expenditure, '2013102').basic", "2.00");   /* the first line */
    EQ("lookup(tables.expenditure, 2013102).econ", "30201");
    EQ("count(lookup_all(tables.expenditure, '2013102'))", "2");
    EQ("lookup_all(tables.expenditure, '2013102')[1].econ", "30101"); /* data order */
    EQ("sum(lookup_all(tables.expenditure, '2013102'), 'basic')", "5.00");
    EQ("lookup_all(tables.expenditure, '20131')[0].basic", "6.00");  /* derived 款 */
    EQ("lookup(tables.expenditure, '210').derived", "<true>");
    EQ("lookup(tables.expenditure, '2103099').basic", "1.00");
    EQ("count(lookup_all(tables.expenditure, '999'))", "0");
    EQ("count(lookup_all(tables.nothing, '201'))", "0");
    EQ("lookup(tables.expenditure, null)", "<null>");
    ERR_HAS("lookup_all(tables.expenditure, true)", "科目编码");
    /* 3003 rows: a scan per lookup would cost 3003 steps; 200 lookups
     * cost a few dozen each. */
    gk_buf e = GK_BUF_INIT;
    gk_buf_puts(&e, "0");
    for (int i = 0; i < 200; i++)
        gk_buf_printf(&e, " + lookup(tables.expenditure, '210%02d%02d').basic", 1 + i / 99,
                      1 + i % 99);
    ck_assert_str_eq(evalx(e.ptr, 20000), "200.00");
    gk_buf_release(&e);
    model = saved;
    gk_model_free(big);
}
END_TEST

START_TEST(fn_text)
{
    EQ("subject('2013101')", "行政运行");
    EQ("subject('2999999')", "<null>");
    EQ("subject_path('2013101')", "一般公共服务支出（类）党委办公厅（室）及相关机构事务（款）行政运行（项）");
    EQ("subject_path('20131')", "一般公共服务支出（类）党委办公厅（室）及相关机构事务（款）");
    EQ("subject_path(rows(tables.expenditure)[2])",
       "一般公共服务支出（类）党委办公厅（室）及相关机构事务（款）行政运行（项）");
    EQ("date('2024-08-19', 'Y年M月D日')", "2024年8月19日");
    EQ("date(date, 'YYYY.MM.DD')", "2024.08.19");
    ERR_HAS("date('2024/08/19', 'Y')", "不是 YYYY-MM-DD");
    EQ("default(previous.missing, 'x')", "x");
    EQ("default(department.name, 'x')", "测试部门");
    EQ("exists(department.name)", "<true>");
    EQ("exists(previous.missing)", "<false>");
    EQ("str(3)", "3");
    EQ("str(1.5)", "1.50");
    EQ("str(previous.missing)", "");
    EQ("str(previous.missing) + 'a'", "a");
    EQ("cond(x > 3, 'big', 'small')", "big");
    EQ("cond(false, 1 / 0, 2)", "2");        /* lazy */
}
END_TEST

static const char *print_tstr(const char *text)
{
    gk_error err;
    gk_error_clear(&err);
    gk__tstr t;
    gk_buf b = GK_BUF_INIT;
    gk_status st = gk__tstr_parse(&arena, text, "p.xml", 9, &t, &err);
    if (!st) {
        gk__ev e;
        gk__eval_init(&e, model, &arena, &err);
        st = gk__tstr_eval(&e, &t, NULL, &b);
    }
    if (st) {
        gk_buf_clear(&b);
        gk_error_format(&err, &b);
    }
    snprintf(result, sizeof result, "%s", b.ptr);
    gk_buf_release(&b);
    return result;
}

START_TEST(print_errors)
{
    ck_assert_str_eq(print_tstr("{{ year }}年{{ money(1) }}"), "2023年1.00");
    ck_assert_str_eq(print_tstr("{{ 1.5 }}"), "1.50");
    ck_assert_ptr_nonnull(strstr(print_tstr("a{{ previous.missing }}"),
                                 "p.xml:9: 错误: 表达式“previous.missing”：值为 null，不能输出"));
    ck_assert_ptr_nonnull(strstr(print_tstr("{{ department }}"), "不能直接输出"));
    ck_assert_ptr_nonnull(strstr(print_tstr("{{ rows(tables.expenditure) }}"), "不能直接输出"));
}
END_TEST

START_TEST(step_budget)
{
    const char *r = evalx("count(rows(tables.expenditure)) + 1 + 1 + 1", 5);
    ck_assert_msg(strstr(r, "步数超过上限") != NULL, "%s", r);
    ck_assert_int_eq(last_status, GK_ERR_LIMIT);
}
END_TEST

START_TEST(english_messages)
{
    gk_set_lang(GK_LANG_EN);
    ERR_HAS("1 / 0", "t.xml:7: error: expression '1 / 0': division by zero");
    gk_set_lang(GK_LANG_ZH);
}
END_TEST

START_TEST(tstr)
{
    gk_error err;
    gk__tstr t;
    ck_assert_int_eq(gk__tstr_parse(&arena, "a{{ year }}b{{ '}}' }}c", "f", 1, &t, &err), GK_OK);
    ck_assert_uint_eq(t.n, 5);
    gk__ev e;
    gk__eval_init(&e, model, &arena, &err);
    gk_buf b = GK_BUF_INIT;
    ck_assert_int_eq(gk__tstr_eval(&e, &t, NULL, &b), GK_OK);
    ck_assert_str_eq(b.ptr, "a2023b}}c");
    gk_buf_release(&b);
    ck_assert_int_eq(gk__tstr_parse(&arena, "a{{ year", "f", 3, &t, &err), GK_ERR_EXPR);
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(gk__tstr_parse(&arena, "a{{ 1 + }}", "f", 3, &t, &err), GK_ERR_EXPR);
    ck_assert_ptr_nonnull(strstr(err.msg, "1 +"));
}
END_TEST

static Suite *expr_suite(void)
{
    Suite *s = suite_create("expr");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, arithmetic_exact);
    tcase_add_test(tc, arithmetic_errors);
    tcase_add_test(tc, parse_errors);
    tcase_add_test(tc, comparisons_logic);
    tcase_add_test(tc, paths);
    tcase_add_test(tc, fn_money_pct);
    tcase_add_test(tc, fn_change);
    tcase_add_test(tc, fn_numbers);
    tcase_add_test(tc, fn_lists);
    tcase_add_test(tc, fn_lookup_keyed);
    tcase_add_test(tc, fn_text);
    tcase_add_test(tc, print_errors);
    tcase_add_test(tc, step_budget);
    tcase_add_test(tc, english_messages);
    tcase_add_test(tc, tstr);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(expr_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
