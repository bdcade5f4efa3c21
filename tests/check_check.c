/* gk_check: a consistent 决算 and 预算 document pass clean; then every
 * identity is broken on purpose, one at a time, and its message must
 * name the path, both sides and the difference. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/data.h"

/* 本年收入合计 115 (一般 100 + 基金 10 + 其他 5), 年初 2 → 收入总计 117;
 * 本年支出合计 110 (基本 95 + 项目 15), 年末 7 → 支出总计 117.
 * 一般公共预算: 100 = 基本 95 + 项目 5; 基金: 2 + 10 − 10 = 2. */
static const char *const JUESUAN =
    "{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"万元\",\n"
    "\"department\":{\"name\":\"测试部门\"},\n"
    "\"summary\":{\"income\":{\"fiscal_general\":100,\"fiscal_fund\":10,\"fiscal_capital\":0,\"superior\":0,"
    "\"business\":0,\"operating\":0,\"affiliated\":0,\"other\":5},\n"
    "  \"unused_nonfiscal_balance\":0,\"carry_begin\":2,\"distribution\":0,\"carry_end\":7,\n"
    "  \"stated\":{\"income_total\":115,\"expenditure_total\":110,\"grand_total\":117},\n"
    "  \"stated_pct\":{\"fiscal\":\"95.65\",\"other\":\"4.35\",\"grand_total_change\":\"17.00\"}},\n"
    "\"fiscal\":{\"carry_begin\":{\"general\":0,\"fund\":2,\"capital\":0},\"carry_end\":{\"general\":0,\"fund\":2,\"capital\":0}},\n"
    "\"previous\":{\"grand_total\":100,\"income_total\":100,\"operating_costs\":15},\n"
    "\"tables\":{\n"
    " \"income\":{\"rows\":[{\"code\":\"2010101\",\"total\":65,\"fiscal\":60,\"other\":5},{\"code\":\"2010102\",\"fiscal\":5},"
    "{\"code\":\"2080501\",\"fiscal\":35},{\"code\":\"2296002\",\"fiscal\":10}],\"total\":{\"fiscal\":110,\"other\":5}},\n"
    " \"expenditure\":{\"rows\":[{\"code\":\"201\",\"basic\":60,\"project\":5},{\"code\":\"2010101\",\"basic\":60},"
    "{\"code\":\"2010102\",\"project\":5},{\"code\":\"20805\",\"basic\":35},{\"code\":\"2080501\",\"basic\":35},"
    "{\"code\":\"2296002\",\"project\":10}],\n"
    "  \"total\":{\"basic\":95,\"project\":15},\"stated_pct\":{\"basic\":\"86.36\"}},\n"
    " \"general\":{\"rows\":[{\"code\":\"2010101\",\"basic\":60,\"budget\":62,\"stated_pct\":{\"budget_rate\":\"96.77\","
    "\"budget_change\":\"3.23\"}},{\"code\":\"2010102\",\"project\":5,\"budget\":5},{\"code\":\"2080501\",\"basic\":35,\"budget\":35}],\n"
    "  \"total\":{\"basic\":95,\"project\":5},\"stated_pct\":{\"201\":\"65.00\"}},\n"
    " \"general_basic\":{\"rows\":[{\"code\":\"30101\",\"amount\":50},{\"code\":\"30108\",\"amount\":10},"
    "{\"code\":\"30201\",\"amount\":20},{\"code\":\"30302\",\"amount\":15}]},\n"
    " \"gov_fund\":{\"rows\":[{\"code\":\"2296002\",\"carry_begin\":2,\"income\":10,\"project\":10,\"carry_end\":2}]}},\n"
    "\"three_public\":{\"budget\":{\"abroad\":1,\"car_purchase\":0,\"car_operation\":2,\"reception\":1,\"total\":4},\n"
    "  \"actual\":{\"abroad\":1,\"car_purchase\":0,\"car_operation\":1.5,\"reception\":0.5,\"car\":1.5,\"total\":3},\n"
    "  \"stated_pct\":{\"total_rate\":\"75.00\"}},\n"
    "\"operating_costs\":{\"amount\":20,\"stated_pct\":{\"change\":\"33.33\"}},\n"
    "\"procurement\":{\"goods\":10,\"works\":0,\"services\":5,\"total\":15,\"sme\":12,\"small_micro\":8,\n"
    "  \"stated_pct\":{\"sme\":\"80.00\",\"small_micro\":\"53.33\"}}}\n";

/* 预算: income 100 = expenditure 100 (人员 60 + 公用 10 + 项目 30). */
static const char *const YUSUAN =
    "{\"format\":\"gongkai-report/1\",\"kind\":\"预算\",\"year\":2023,\"unit\":\"万元\",\"decimals\":2,\n"
    "\"department\":{\"name\":\"测试部门\"},\n"
    "\"summary\":{\"income\":{\"fiscal_general\":100,\"fiscal_fund\":0},\"carry_begin\":0,\"carry_end\":0,\n"
    "  \"stated\":{\"income_total\":100,\"expenditure_total\":100,\"grand_total\":100}},\n"
    "\"fiscal\":{\"income\":{\"general\":100,\"fund\":0,\"capital\":0},\"carry_begin\":{\"general\":0,\"fund\":0,\"capital\":0},"
    "\"carry_end\":{\"general\":0,\"fund\":0,\"capital\":0},\n"
    "  \"stated\":{\"income_total\":100,\"expenditure_total\":100,\"grand_total\":100}},\n"
    "\"tables\":{\n"
    " \"income\":{\"rows\":[{\"name\":\"本级\",\"fiscal_general\":100}],\"total\":{\"fiscal_general\":100}},\n"
    " \"expenditure\":{\"rows\":[{\"code\":\"2010301\",\"basic_personnel\":50,\"basic_public\":10,\"project\":30},"
    "{\"code\":\"2080505\",\"basic_personnel\":10}],\"total\":{\"basic_personnel\":60,\"basic_public\":10,\"project\":30}},\n"
    " \"projects\":{\"rows\":[{\"code\":\"2010301\",\"project\":\"甲项目\",\"amount\":20},"
    "{\"code\":\"2010301\",\"project\":\"乙项目\",\"amount\":10}],\"total\":{\"amount\":30}},\n"
    " \"general\":{\"rows\":[{\"code\":\"2010301\",\"personnel\":50,\"public\":10,\"project\":30,\"previous\":80,"
    "\"stated_pct\":{\"previous_change\":\"12.50\"}},"
    "{\"code\":\"2080505\",\"personnel\":10}],\"total\":{\"personnel\":60,\"public\":10,\"project\":30}},\n"
    " \"general_basic\":{\"rows\":[{\"code\":\"2010301\",\"econ\":\"30101\",\"personnel\":50},"
    "{\"code\":\"2010301\",\"econ\":\"30201\",\"public\":10},{\"code\":\"2080505\",\"econ\":\"30108\",\"personnel\":10}]}},\n"
    "\"three_public\":{\"budget\":{\"abroad\":0,\"car_purchase\":0,\"car_operation\":0,\"reception\":1.2,\"total\":1.2},"
    "\"previous\":{\"abroad\":0,\"car_purchase\":0,\"car_operation\":0,\"reception\":1.5},"
    "\"stated_pct\":{\"total_change\":\"20.00\"}}}\n";

typedef struct result {
    size_t errors, warnings;
    char *text;
} result;

/* Replace the first occurrence of `from` (which must exist) by `to`. */
static char *mutate(const char *base, const char *from, const char *to)
{
    const char *at = strstr(base, from);
    ck_assert_msg(at != NULL, "mutation anchor '%s' not found", from);
    ck_assert_msg(strstr(at + 1, from) == NULL, "mutation anchor '%s' is not unique", from);
    gk_buf b = GK_BUF_INIT;
    gk_buf_put(&b, base, (size_t)(at - base));
    gk_buf_puts(&b, to);
    gk_buf_puts(&b, at + strlen(from));
    return gk_buf_detach(&b, NULL);
}

static result run(const char *json)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = gk_model_load_mem(json, strlen(json), "x.json", &d);
    if (!m) {
        gk_buf b = GK_BUF_INIT;
        for (size_t i = 0; i < d.len; i++) {
            gk_error_format(&d.items[i].err, &b);
            gk_buf_putc(&b, '\n');
        }
        ck_abort_msg("the document does not load: %s", b.ptr);
    }
    size_t n = gk_check(m, &d);
    ck_assert_uint_eq(n, d.errors);
    result r = { d.errors, d.warnings, NULL };
    gk_buf b = GK_BUF_INIT;
    for (size_t i = 0; i < d.len; i++) {
        gk_error_format(&d.items[i].err, &b);
        gk_buf_puts(&b, d.items[i].severity == GK_SEV_WARNING ? " [W]\n" : " [E]\n");
    }
    r.text = gk_buf_detach(&b, NULL);
    gk_model_free(m);
    gk_diags_release(&d);
    return r;
}

/* Break `base` by one replacement; expect errors and these substrings. */
static void broken(const char *base, const char *from, const char *to, const char *want1,
                   const char *want2)
{
    char *j = mutate(base, from, to);
    result r = run(j);
    ck_assert_msg(r.errors > 0, "no error after '%s' -> '%s'", from, to);
    ck_assert_msg(strstr(r.text, want1) != NULL, "after '%s' -> '%s':\n%s\nlacks: %s", from, to, r.text, want1);
    if (want2)
        ck_assert_msg(strstr(r.text, want2) != NULL, "after '%s' -> '%s':\n%s\nlacks: %s", from, to, r.text,
                      want2);
    free(r.text);
    free(j);
}

/* Change `base` expecting no error but a warning containing `want`. */
static void warned(const char *base, const char *from, const char *to, const char *want)
{
    char *j = mutate(base, from, to);
    result r = run(j);
    ck_assert_msg(r.errors == 0, "unexpected errors after '%s' -> '%s':\n%s", from, to, r.text);
    ck_assert_msg(strstr(r.text, want) != NULL, "after '%s' -> '%s':\n%s\nlacks: %s", from, to, r.text, want);
    ck_assert_msg(strstr(r.text, " [W]") != NULL, "no warning:\n%s", r.text);
    free(r.text);
    free(j);
}

START_TEST(test_clean)
{
    result r = run(JUESUAN);
    ck_assert_msg(r.errors == 0 && r.warnings == 0, "决算 base not clean:\n%s", r.text);
    free(r.text);
    r = run(YUSUAN);
    ck_assert_msg(r.errors == 0 && r.warnings == 0, "预算 base not clean:\n%s", r.text);
    free(r.text);
}
END_TEST

START_TEST(test_hierarchy)
{
    broken(JUESUAN, "{\"code\":\"201\",\"basic\":60", "{\"code\":\"201\",\"basic\":61",
           "x.json: $.tables.expenditure.rows[0].basic: 错误: 类 201 一般公共服务支出 的基本支出 61.00 ≠ 其下各款之和 60.00"
           "（20101 人大事务 60.00）（差 1.00 万元）",
           NULL);
    broken(JUESUAN, "{\"code\":\"20805\",\"basic\":35}", "{\"code\":\"20805\",\"basic\":35.5}",
           "$.tables.expenditure.rows[3].basic: 错误: 款 20805 行政事业单位养老支出 的基本支出 35.50 ≠ 其下各项之和 35.00"
           "（2080501 行政单位离退休 35.00）（差 0.50 万元）",
           NULL);
    broken(JUESUAN, "\"total\":{\"basic\":95,\"project\":15}", "\"total\":{\"basic\":95.01,\"project\":15}",
           "$.tables.expenditure.total.basic: 错误: 支出决算表 合计 基本支出 95.01 ≠ 各类之和 95.00"
           "（201 一般公共服务支出 60.00 + 208 社会保障和就业支出 35.00 + 229 其他支出 0.00）（差 0.01 万元）",
           NULL);
    /* a row that states its total */
    broken(JUESUAN, "\"total\":65,", "\"total\":66,",
           "$.tables.income.rows[0].total: 错误: 2010101 行政运行 本年收入合计 66.00 ≠ 财政拨款收入 60.00 + 其他收入 5.00（差 1.00 万元）",
           NULL);
}
END_TEST

START_TEST(test_summary)
{
    broken(JUESUAN, "\"affiliated\":0,\"other\":5}", "\"affiliated\":0,\"other\":6}",
           "$.tables.income.total.other: 错误: 收入决算表 合计 其他收入 5.00 ≠ 收支总表 其他收入 6.00（差 1.00 万元）",
           "$.summary.stated.income_total: 错误: 本年收入合计 115.00 ≠ 一般公共预算财政拨款收入 100.00");
    broken(JUESUAN, "\"fiscal_general\":100,", "\"fiscal_general\":101,",
           "$.tables.income.total.fiscal: 错误: 收入决算表 合计 财政拨款收入 110.00 ≠ 一般公共预算财政拨款收入 101.00 + "
           "政府性基金预算财政拨款收入 10.00 + 国有资本经营预算财政拨款收入 0.00（差 1.00 万元）",
           NULL);
    broken(JUESUAN, "\"income_total\":115", "\"income_total\":116",
           "$.summary.stated.income_total: 错误: 本年收入合计 116.00 ≠", "（差 1.00 万元）");
    broken(JUESUAN, "\"expenditure_total\":110", "\"expenditure_total\":111",
           "$.summary.stated.expenditure_total: 错误: 收支总表 本年支出合计 111.00 ≠ 支出决算表 合计 110.00"
           "（基本支出 95.00 + 项目支出 15.00）（差 1.00 万元）",
           NULL);
    /* 收入总计 = 支出总计 */
    broken(JUESUAN, "\"carry_end\":7", "\"carry_end\":8",
           "x.json: $.summary: 错误: 收入总计 117.00（本年收入合计 115.00 + 使用非财政拨款结余 0.00 + 年初结转和结余 2.00）"
           "≠ 支出总计 118.00（本年支出合计 110.00 + 结余分配 0.00 + 年末结转和结余 8.00）（差 1.00 万元）",
           NULL);
    broken(JUESUAN, "\"grand_total\":117", "\"grand_total\":118",
           "$.summary.stated.grand_total: 错误: 收支总计 118.00 ≠ 收入总计 117.00", NULL);
    /* a summary income the income table has no column for */
    broken(JUESUAN, "\"business\":0,", "\"business\":3,", "$.summary.income.business: 错误: 收支总表有 事业收入 3.00，而收入决算表没有这一列",
           NULL);
}
END_TEST

START_TEST(test_fiscal_balances)
{
    broken(JUESUAN, "\"carry_end\":{\"general\":0", "\"carry_end\":{\"general\":1",
           "$.fiscal.carry_end.general: 错误: 一般公共预算财政拨款 年末结转和结余 1.00 ≠ 年初结转和结余 0.00 + 本年收入（收支总表） 100.00 "
           "− 一般公共预算财政拨款支出决算表 本年支出 100.00（差 1.00 万元）",
           NULL);
    broken(JUESUAN, "\"fund\":2,\"capital\":0}}", "\"fund\":3,\"capital\":0}}",
           "$.fiscal.carry_end.fund: 错误: 政府性基金预算财政拨款 年末结转和结余 3.00 ≠ 年初结转和结余 2.00 + 本年收入（收支总表） 10.00 "
           "− 政府性基金预算财政拨款收入支出决算表 本年支出 10.00（差 1.00 万元）",
           "$.tables.gov_fund: 错误: 政府性基金表 年末结转和结余 2.00 ≠ 财政拨款收支总表 年末结转和结余（基金） 3.00");
    /* gov_fund per row: 年末 = 年初 + 收入 − 支出 */
    broken(JUESUAN, "\"project\":10,\"carry_end\":2", "\"project\":10,\"carry_end\":2.5",
           "$.tables.gov_fund.rows[0].carry_end: 错误: 2296002 用于社会福利的彩票公益金支出 年末结转和结余 2.50 ≠ 年初结转和结余 2.00 + "
           "本年收入 10.00 − 本年支出 10.00（差 0.50 万元）",
           NULL);
    /* 04 balances inside 01's */
    broken(JUESUAN, "\"carry_begin\":{\"general\":0", "\"carry_begin\":{\"general\":5",
           "$.fiscal.carry_begin: 错误: 年初财政拨款结转和结余 7.00 大于 收支总表 年初结转和结余 2.00（多 5.00 万元）", NULL);
}
END_TEST

START_TEST(test_general)
{
    /* 05 基本 = 06 人员 + 公用 */
    broken(JUESUAN, "{\"code\":\"30101\",\"amount\":50}", "{\"code\":\"30101\",\"amount\":51}",
           "x.json: $.tables.general_basic: 错误: 一般公共预算财政拨款支出决算表 基本支出 95.00 ≠ 一般公共预算财政拨款基本支出决算表 合计 "
           "96.00（人员经费 76.00 + 公用经费 20.00）（差 1.00 万元）",
           NULL);
    /* 05 per 类 ≤ 03 */
    broken(JUESUAN, "{\"code\":\"2080501\",\"basic\":35,\"budget\":35}", "{\"code\":\"2080501\",\"basic\":40,\"budget\":35}",
           "$.tables.general: 错误: 208 社会保障和就业支出 的一般公共预算财政拨款支出 40.00 大于 支出决算表 中同一科目的支出 35.00（多 5.00 万元）",
           NULL);
}
END_TEST

START_TEST(test_three_public)
{
    broken(JUESUAN, "\"car\":1.5,\"total\":3}", "\"car\":1.5,\"total\":3.5}",
           "$.three_public.actual.total: 错误: “三公”经费合计 3.50 ≠ 因公出国（境）费 1.00 + 公务用车购置费 0.00 + 公务用车运行费 1.50 "
           "+ 公务接待费 0.50（差 0.50 万元）",
           NULL);
    broken(JUESUAN, "\"car\":1.5,", "\"car\":2,",
           "$.three_public.actual.car: 错误: 公务用车购置及运行费 2.00 ≠ 公务用车购置费 0.00 + 公务用车运行费 1.50（差 0.50 万元）", NULL);
    broken(JUESUAN, "\"actual\":{\"abroad\":1,\"car_purchase\":0,\"car_operation\":1.5,\"reception\":0.5,\"car\":1.5,\"total\":3}",
           "\"actual\":{\"abroad\":101,\"car_purchase\":0,\"car_operation\":1.5,\"reception\":0.5,\"car\":1.5,\"total\":103}",
           "$.three_public.actual: 错误: “三公”经费决算数 103.00 大于 一般公共预算财政拨款支出决算表 100.00（多 3.00 万元）", NULL);
}
END_TEST

START_TEST(test_procurement)
{
    broken(JUESUAN, "\"sme\":12,", "\"sme\":16,",
           "$.procurement.sme: 错误: 授予中小企业合同金额 16.00 大于 政府采购支出总额 15.00（多 1.00 万元）", NULL);
    broken(JUESUAN, "\"small_micro\":8,", "\"small_micro\":13,",
           "$.procurement.small_micro: 错误: 授予小微企业合同金额 13.00 大于 授予中小企业合同金额 12.00（多 1.00 万元）", NULL);
    broken(JUESUAN, "\"total\":15,", "\"total\":14,",
           "$.procurement.total: 错误: 政府采购支出总额 14.00 ≠ 货物 10.00 + 工程 0.00 + 服务 5.00（差 1.00 万元）", NULL);
}
END_TEST

START_TEST(test_percentages_2)
{
    broken(JUESUAN, "\"basic\":\"86.36\"", "\"basic\":\"86.37\"",
           "$.tables.expenditure.stated_pct.basic: 错误: 基本支出占比写作 86.37%，按数据应为 86.36%（95.00 / 110.00）", NULL);
    broken(JUESUAN, "\"201\":\"65.00\"", "\"201\":\"64.99\"",
           "$.tables.general.stated_pct[\"201\"]: 错误: 201 一般公共服务支出 占比写作 64.99%，按数据应为 65.00%（65.00 / 100.00）", NULL);
    broken(JUESUAN, "\"budget_rate\":\"96.77\"", "\"budget_rate\":\"96.78\"",
           "$.tables.general.rows[0].stated_pct.budget_rate: 错误: 2010101 行政运行 完成预算写作 96.78%，按数据应为 96.77%（60.00 / 62.00）",
           NULL);
}
END_TEST

START_TEST(test_percentages_3)
{
    /* exact rounding at the stated decimals; the sign of a change is in the words */
    result r;
    char *j = mutate(JUESUAN, "\"201\":\"65.00\"", "\"201\":\"65\"");
    r = run(j);
    ck_assert_msg(r.errors == 0, "65 = 65.00%%:\n%s", r.text);
    free(r.text);
    free(j);
    j = mutate(JUESUAN, "\"budget_rate\":\"96.77\"", "\"budget_rate\":\"96.8\"");
    r = run(j);
    ck_assert_msg(r.errors == 0, "96.8 = 96.77…%% at 1 decimal:\n%s", r.text);
    free(r.text);
    free(j);
    broken(JUESUAN, "\"budget_change\":\"3.23\"", "\"budget_change\":\"3.22\"",
           "$.tables.general.rows[0].stated_pct.budget_change: 错误: 2010101 行政运行 比年初预算增减写作 3.22%，按数据应为 3.23%",
           NULL);
    broken(JUESUAN, "\"fiscal\":\"95.65\"", "\"fiscal\":\"95.66\"",
           "$.summary.stated_pct.fiscal: 错误: 财政拨款收入占本年收入合计的比例写作 95.66%，按数据应为 95.65%（110.00 / 115.00）", NULL);
    broken(JUESUAN, "\"other\":\"4.35\"", "\"other\":\"4.34\"", "$.summary.stated_pct.other: 错误: 其他收入占本年收入合计的比例写作 4.34%",
           NULL);
    broken(JUESUAN, "\"grand_total_change\":\"17.00\"", "\"grand_total_change\":\"17.10\"",
           "$.summary.stated_pct.grand_total_change: 错误: 收支总计比上年增减写作 17.10%，按数据应为 17.00%（17.00 / 100.00）", NULL);
    broken(JUESUAN, "\"total_rate\":\"75.00\"", "\"total_rate\":\"80.00\"",
           "$.three_public.stated_pct.total_rate: 错误: “三公”经费完成预算的比例写作 80.00%，按数据应为 75.00%（3.00 / 4.00）", NULL);
    broken(JUESUAN, "\"sme\":\"80.00\"", "\"sme\":\"80.01\"",
           "$.procurement.stated_pct.sme: 错误: 授予中小企业合同金额占政府采购支出总额的比例写作 80.01%，按数据应为 80.00%", NULL);
    broken(JUESUAN, "\"small_micro\":\"53.33\"", "\"small_micro\":\"53.34\"", "按数据应为 53.33%（8.00 / 15.00）", NULL);
    broken(JUESUAN, "\"change\":\"33.33\"", "\"change\":\"33.4\"",
           "$.operating_costs.stated_pct.change: 错误: 机关运行经费比上年增减写作 33.4%，按数据应为 33.3%（5.00 / 15.00）", NULL);
}
END_TEST

START_TEST(test_rounded)
{
    /* a gap within half a unit per summand is a 尾差 warning ... */
    char *j = mutate(JUESUAN, "\"unit\":\"万元\",", "\"unit\":\"万元\",\"rounded\":true,");
    char *k = mutate(j, "{\"code\":\"201\",\"basic\":60", "{\"code\":\"201\",\"basic\":60.004");
    result r = run(k);
    ck_assert_msg(r.errors == 0, "rounded gap should not be an error:\n%s", r.text);
    ck_assert_msg(strstr(r.text, "$.tables.expenditure.rows[0].basic: 错误: 尾差：类 201 一般公共服务支出 的基本支出 60.004 ≠ "
                                 "其下各款之和 60.00（20101 人大事务 60.00）（差 0.004 万元） [W]") != NULL,
                  "%s", r.text);
    free(r.text);
    free(k);
    /* ... anything larger stays an error */
    k = mutate(j, "{\"code\":\"201\",\"basic\":60", "{\"code\":\"201\",\"basic\":60.01");
    r = run(k);
    ck_assert_uint_gt(r.errors, 0);
    ck_assert_ptr_nonnull(strstr(r.text, "的基本支出 60.01 ≠ 其下各款之和 60.00"));
    free(r.text);
    free(k);
    free(j);
    /* without "rounded" even 0.004 is an error */
    broken(JUESUAN, "{\"code\":\"201\",\"basic\":60", "{\"code\":\"201\",\"basic\":60.004", "（差 0.004 万元）", NULL);
}
END_TEST

START_TEST(test_warnings)
{
    warned(JUESUAN, "\"goods\":10,\"works\":0", "\"goods\":10,\"works\":0,\"other\":-1",
           "$.procurement.other: 错误: 金额为负数（-1.00）");
    warned(JUESUAN, "{\"code\":\"2080501\",\"fiscal\":35}", "{\"code\":\"2080501\",\"fiscal\":35},{\"code\":\"2080\",\"fiscal\":0}",
           "$.tables.income.rows[3].code: 错误: 科目编码“2080”有 4 位，不合功能分类任何一级（类 3 位、款 5 位、项 7 位）");
    warned(JUESUAN, "{\"code\":\"2080501\",\"fiscal\":35}", "{\"code\":\"2080501\",\"fiscal\":35},{\"code\":\"2089998\",\"fiscal\":0}",
           "科目“2089998”没有名称：数据未给出，科目目录中也没有");
    warned(JUESUAN, "\"income_total\":100,", "\"income_total\":0,",
           "$.previous.income_total: 错误: 上年收入合计为 0，本年为 115.00 万元：增减幅度无从计算");
    char *j = mutate(JUESUAN, "\"stated_pct\":{\"total_rate\":\"75.00\"}", "\"abroad_groups\":0");
    warned(j, "\"budget\":{\"abroad\":1,\"car_purchase\":0,\"car_operation\":2,\"reception\":1,\"total\":4}",
           "\"budget\":{\"abroad\":0,\"car_purchase\":0,\"car_operation\":0,\"reception\":0,\"total\":0}",
           "$.three_public.budget: 错误: “三公”经费年初预算为 0，决算为 3.00 万元");
    free(j);
    warned(JUESUAN, "\"project\":5,\"budget\":5}", "\"project\":5,\"budget\":0}",
           "$.tables.general.rows[1].budget: 错误: 2010102 一般行政管理事务 年初预算为 0，支出 5.00 万元");
    warned(JUESUAN, "\"total_rate\":\"75.00\"", "\"total_rate\":\"75.00\",\"mystery\":\"1\"",
           "$.three_public.stated_pct.mystery: 错误: 不认识的百分比“mystery”，未核对");
}
END_TEST

START_TEST(test_yusuan)
{
    char *e = mutate(YUSUAN, "\"total\":{\"basic_personnel\":60", "\"total\":{\"basic_personnel\":61");
    broken(e, "{\"code\":\"2080505\",\"basic_personnel\":10}", "{\"code\":\"2080505\",\"basic_personnel\":11}",
           "$.tables.income.total: 错误: 部门收入总体情况表 合计 100.00 ≠ 部门支出总体情况表 101.00（差 1.00 万元）", NULL);
    free(e);
    broken(YUSUAN, "\"乙项目\",\"amount\":10", "\"乙项目\",\"amount\":11",
           "$.tables.projects.total.amount: 错误: 项目支出表 合计 金额 30.00 ≠ 各类之和 31.00", NULL);
    char *j = mutate(YUSUAN, ",\"total\":{\"amount\":30}", "");
    broken(j, "\"乙项目\",\"amount\":10", "\"乙项目\",\"amount\":11",
           "$.tables.projects: 错误: 项目支出表 合计 31.00 ≠ 支出总表 项目支出 30.00（差 1.00 万元）", NULL);
    free(j);
    broken(YUSUAN, "\"econ\":\"30201\",\"public\":10", "\"econ\":\"30201\",\"public\":12",
           "$.tables.general_basic: 错误: 一般公共预算财政拨款支出表 基本支出 70.00 ≠ 一般公共预算财政拨款基本支出表 合计 72.00"
           "（人员经费 60.00 + 公用经费 12.00）（差 2.00 万元）",
           NULL);
    broken(YUSUAN, "\"expenditure_total\":100,\"grand_total\":100}},\n\"tables\"",
           "\"expenditure_total\":90,\"grand_total\":100}},\n\"tables\"",
           "$.fiscal.stated.expenditure_total: 错误: 财政拨款支出合计 90.00 ≠ 一般公共预算、政府性基金、国有资本经营预算支出之和 100.00", NULL);
    broken(YUSUAN, "\"previous_change\":\"12.50\"", "\"previous_change\":\"12.51\"",
           "$.tables.general.rows[0].stated_pct.previous_change: 错误: 2010301 行政运行 比上年增减写作 12.51%，按数据应为 12.50%",
           NULL);
    broken(YUSUAN, "\"total_change\":\"20.00\"", "\"total_change\":\"-20.01\"",
           "$.three_public.stated_pct.total_change: 错误: “三公”经费比上年增减写作 -20.01%，按数据应为 20.00%", NULL);
    broken(YUSUAN, "\"carry_end\":{\"general\":0,\"fund\":0,\"capital\":0}", "\"carry_end\":5",
           "$.fiscal.carry_end: 错误: 财政拨款收入 + 年初结转和结余 100.00 ≠ 财政拨款支出（一般公共预算、政府性基金、国有资本经营预算各表） "
           "100.00 + 年末结转和结余 5.00（差 5.00 万元）",
           NULL);
    broken(YUSUAN, "\"reception\":1.2,\"total\":1.2}", "\"reception\":1.2,\"total\":1.3}",
           "$.three_public.budget.total: 错误: “三公”经费合计 1.30 ≠", NULL);
    broken(YUSUAN, "\"fiscal_general\":100,\"fiscal_fund\":0}", "\"fiscal_general\":100,\"fiscal_fund\":5}",
           "$.summary.stated.income_total: 错误: 本年收入合计 100.00 ≠ 一般公共预算财政拨款收入 100.00 + 政府性基金预算财政拨款收入 5.00", NULL);
}
END_TEST

START_TEST(test_english)
{
    gk_set_lang(GK_LANG_EN);
    broken(JUESUAN, "{\"code\":\"201\",\"basic\":60", "{\"code\":\"201\",\"basic\":61",
           "x.json: $.tables.expenditure.rows[0].basic: error: class 201 一般公共服务支出 basic expenditure 61.00 ≠ sum of its sections 60.00",
           "(difference 1.00 万元)");
    gk_set_lang(GK_LANG_ZH);
}
END_TEST

static Suite *check_suite(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_clean);
    tcase_add_test(tc, test_hierarchy);
    tcase_add_test(tc, test_summary);
    tcase_add_test(tc, test_fiscal_balances);
    tcase_add_test(tc, test_general);
    tcase_add_test(tc, test_three_public);
    tcase_add_test(tc, test_procurement);
    tcase_add_test(tc, test_percentages_2);
    tcase_add_test(tc, test_percentages_3);
    tcase_add_test(tc, test_rounded);
    tcase_add_test(tc, test_warnings);
    tcase_add_test(tc, test_yusuan);
    tcase_add_test(tc, test_english);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(check_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
