/* The model loader: types, exact amounts with their JSON path, ledgers
 * (derived parents, names from the catalog, columns, totals). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/data.h"

/* All diagnostics, one per line, as the CLI prints them. */
static char *diags_text(const gk_diags *d)
{
    gk_buf b = GK_BUF_INIT;
    for (size_t i = 0; i < d->len; i++) {
        gk_error_format(&d->items[i].err, &b);
        if (d->items[i].severity == GK_SEV_WARNING)
            gk_buf_puts(&b, " [warning]");
        gk_buf_putc(&b, '\n');
    }
    return gk_buf_detach(&b, NULL);
}

static gk_model *load(const char *json, gk_diags *d)
{
    return gk_model_load_mem(json, strlen(json), "x.json", d);
}

#define HEAD "{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"万元\"," \
             "\"department\":{\"name\":\"测试部门\"}"

/* Load expecting failure; the text must contain `want`. */
static void refused(const char *json, const char *want)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = load(json, &d);
    char *t = diags_text(&d);
    ck_assert_msg(m == NULL, "should be refused: %s", json);
    ck_assert_msg(d.errors > 0, "no error for %s", json);
    ck_assert_msg(strstr(t, want) != NULL, "'%s' lacks '%s'", t, want);
    free(t);
    gk_diags_release(&d);
}

START_TEST(test_minimal)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = load(HEAD "}", &d);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(d.len, 0);
    ck_assert_int_eq(gk_model_kind(m), GK_KIND_JUESUAN);
    ck_assert_int_eq(gk_model_year(m), 2023);
    ck_assert_int_eq(gk_model_unit(m), GK_UNIT_WAN);
    ck_assert_int_eq(gk_model_decimals(m), 2);
    ck_assert(!gk_model_rounded(m));
    ck_assert_str_eq(gk_model_file(m), "x.json");
    ck_assert_uint_eq(gk_model_nledgers(m), 0);
    ck_assert_ptr_null(gk_model_ledger(m, "income"));
    ck_assert_int_eq(gk_model_root(m)->type, GK_JSON_OBJECT);
    ck_assert_uint_eq(gk_check(m, &d), 0);
    gk_model_free(m);
    gk_diags_release(&d);

    m = load("{\"format\":\"gongkai-report/1\",\"kind\":\"预算\",\"year\":2024,\"unit\":\"元\",\"decimals\":0,"
             "\"rounded\":true,\"date\":\"2024-02-01\",\"department\":{\"name\":\"部门\"}}", &d);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(gk_model_kind(m), GK_KIND_YUSUAN);
    ck_assert_int_eq(gk_model_unit(m), GK_UNIT_YUAN);
    ck_assert_int_eq(gk_model_decimals(m), 0);
    ck_assert(gk_model_rounded(m));
    gk_model_free(m);
    gk_diags_release(&d);
}
END_TEST

START_TEST(test_top_level_types)
{
    refused("[1, 2]", "x.json: $: 错误: 数据文件的顶层应为对象");
    refused("{\"kind\":\"决算\",\"year\":2023,\"unit\":\"万元\",\"department\":{\"name\":\"x\"}}",
            "x.json: $.format: 错误: 缺少必填项“format”");
    refused("{\"format\":\"gongkai-report/2\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"万元\",\"department\":{\"name\":\"x\"}}",
            "不认识的格式“gongkai-report/2”");
    refused("{\"format\":\"gongkai-report/1\",\"kind\":\"决算书\",\"year\":2023,\"unit\":\"万元\",\"department\":{\"name\":\"x\"}}",
            "x.json: $.kind: 错误: 报告种类“决算书”无效（应为“决算”或“预算”）");
    refused("{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":\"2023\",\"unit\":\"万元\",\"department\":{\"name\":\"x\"}}",
            "x.json: $.year: 错误: 应为数字，实际是字符串");
    refused("{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023.5,\"unit\":\"万元\",\"department\":{\"name\":\"x\"}}",
            "$.year: 错误: 应为 1949 到 9999 之间的整数，实际是 2023.5");
    refused("{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"千元\",\"department\":{\"name\":\"x\"}}",
            "$.unit: 错误: 金额单位“千元”无效（应为“万元”或“元”）");
    refused("{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"万元\"}",
            "$.department: 错误: 缺少必填项“department”");
    refused(HEAD ",\"decimals\":7}", "$.decimals: 错误: 应为 0 到 6 之间的整数");
    refused(HEAD ",\"rounded\":\"yes\"}", "$.rounded: 错误: 应为布尔值，实际是字符串");
    refused(HEAD ",\"date\":\"2023/12/31\"}", "$.date: 错误: 日期“2023/12/31”应写作 YYYY-MM-DD");
    refused(HEAD ",\"tables\":[]}", "$.tables: 错误: 应为对象，实际是数组");
    refused(HEAD ",\"glossary\":[{\"term\":\"a\"}]}", "$.glossary[0].definition: 错误: 缺少必填项“definition”");
    refused(HEAD ",\"performance\":[1]}", "$.performance[0]: 错误: 段落应为字符串");
    refused(HEAD ",\"three_public\":{\"abroad_groups\":1.5}}", "$.three_public.abroad_groups: 错误: 应为 0 到");
    refused(HEAD ",\"options\":{\"detail_level\":4}}", "$.options.detail_level: 错误: 应为 1 到 3 之间的整数");
    /* every problem is reported, not only the first */
    gk_diags d = GK_DIAGS_INIT;
    ck_assert_ptr_null(load("{\"format\":1,\"kind\":2,\"year\":\"x\",\"unit\":3}", &d));
    ck_assert_uint_ge(d.errors, 5);
    gk_diags_release(&d);
}
END_TEST

START_TEST(test_syntax_error_is_located)
{
    refused("{\"format\": \"gongkai-report/1\",\n \"kind\" \"决算\"}",
            "x.json:2:9: 错误: 意外的字符“\"”：缺少“:”（在对象的键之后）");
}
END_TEST

START_TEST(test_bad_amounts)
{
    const char *rows = HEAD ",\"tables\":{\"expenditure\":{\"rows\":["
                            "{\"code\":\"2010101\",\"basic\":1},{\"code\":\"2010102\",\"basic\":1},"
                            "{\"code\":\"2010103\",\"basic\":1},{\"code\":\"2010150\",\"basic\":%s}]}}}";
    struct { const char *v, *want; } cases[] = {
        { "1e5", "x.json: $.tables.expenditure.rows[3].basic: 错误: 金额“1e5”不能用科学计数法" },
        { "\"1e5\"", "x.json: $.tables.expenditure.rows[3].basic: 错误: 金额“1e5”不能用科学计数法" },
        { "\"NaN\"", "$.tables.expenditure.rows[3].basic: 错误: 金额“NaN”不能是 NaN 或 Infinity" },
        { "1.0000001", "$.tables.expenditure.rows[3].basic: 错误: 金额“1.0000001”小数位数超过“分”的精度（单位万元最多 6 位小数）" },
        { "\"1,234.00\"", "金额“1,234.00”不能含千位分隔符" },
        { "\"\"", "$.tables.expenditure.rows[3].basic: 错误: 金额不能是空字符串" },
        { "\"abc\"", "金额“abc”不是普通的十进制数" },
        { "true", "$.tables.expenditure.rows[3].basic: 错误: 应为金额（数字或数字字符串），实际是布尔值" },
        { "99999999999999999999", "金额“99999999999999999999”超出可表示的范围" },
        { "123456789012345678901234567890123456789012345678901234567890",
          "金额“1234567890123456789012345678901234567890…”超出可表示的范围" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, rows, cases[i].v);
        refused(buf, cases[i].want);
    }
    /* amounts outside the tables too */
    refused(HEAD ",\"summary\":{\"income\":{\"fiscal_general\":\"1e3\"}}}",
            "$.summary.income.fiscal_general: 错误: 金额“1e3”不能用科学计数法");
    refused(HEAD ",\"procurement\":{\"goods\":-Infinity}}", "JSON 不允许 NaN 或 Infinity");
    /* 元 allows two decimals */
    refused("{\"format\":\"gongkai-report/1\",\"kind\":\"决算\",\"year\":2023,\"unit\":\"元\",\"department\":{\"name\":\"x\"},"
            "\"operating_costs\":{\"amount\":1.005}}",
            "$.operating_costs.amount: 错误: 金额“1.005”小数位数超过“分”的精度（单位元最多 2 位小数）");
}
END_TEST

START_TEST(test_model_amount)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = load(HEAD ",\"x\":{\"a\":\"3819.053886\",\"b\":1e5,\"c\":\"text\"}}", &d);
    ck_assert_ptr_nonnull(m);
    const gk_json *x = gk_json_get(gk_model_root(m), "x");
    gk_fen v;
    ck_assert(gk_model_amount(m, gk_json_get(x, "a"), &v, &d));
    ck_assert_int_eq(v, 3819053886LL);
    ck_assert(!gk_model_amount(m, gk_json_get(x, "b"), &v, &d));
    ck_assert(!gk_model_amount(m, NULL, &v, &d)); /* absent: no message */
    ck_assert_uint_eq(d.errors, 1);
    char *t = diags_text(&d);
    ck_assert_ptr_nonnull(strstr(t, "x.json: $.x.b: 错误: 金额“1e5”不能用科学计数法"));
    free(t);
    ck_assert(!gk_model_amount(m, gk_json_get(x, "c"), &v, NULL)); /* no diags: silent */
    gk_model_free(m);
    gk_diags_release(&d);
}
END_TEST

static const gk_ledger_row *row(const gk_ledger *l, const char *code)
{
    for (size_t i = 0; i < l->nrows; i++)
        if (strcmp(l->rows[i].code, code) == 0)
            return &l->rows[i];
    return NULL;
}

START_TEST(test_ledger_derivation)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = load(HEAD ",\"tables\":{\"expenditure\":{\"rows\":["
                            "{\"code\":\"2101101\",\"basic\":195.08},"
                            "{\"code\":\"2013101\",\"basic\":1687.07,\"reason\":\"压缩\"},"
                            "{\"code\":\"2013102\",\"project\":\"23.62\"},"
                            "{\"code\":\"201\",\"name\":\"一般公共服务\",\"basic\":1687.07},"
                            "{\"code\":\"2080501\",\"basic\":169.37}"
                            "],\"total\":{\"basic\":2051.52,\"to_superior\":0}}}}", &d);
    ck_assert_ptr_nonnull(m);
    const gk_ledger *l = gk_model_ledger(m, "expenditure");
    ck_assert_ptr_nonnull(l);
    ck_assert_ptr_eq(gk_model_ledger_at(m, 0), l);
    ck_assert_str_eq(l->id, "expenditure");
    ck_assert_int_eq(l->scheme, GK_CODE_FUNCTION);
    /* columns in first-seen order, then the total's */
    ck_assert_int_eq(l->ncols, 3);
    ck_assert_str_eq(l->cols[0], "basic");
    ck_assert_str_eq(l->cols[1], "project");
    ck_assert_str_eq(l->cols[2], "to_superior");
    ck_assert_int_eq(gk_ledger_col(l, "project"), 1);
    ck_assert_int_eq(gk_ledger_col(l, "reason"), -1);
    /* rows in code order, parents first; missing parents derived */
    const char *order[] = { "201", "20131", "2013101", "2013102", "208", "20805", "2080501",
                            "210", "21011", "2101101" };
    ck_assert_uint_eq(l->nrows, 10);
    for (size_t i = 0; i < 10; i++)
        ck_assert_str_eq(l->rows[i].code, order[i]);
    const gk_ledger_row *r = row(l, "201");
    ck_assert(!r->derived);
    ck_assert_str_eq(r->name, "一般公共服务"); /* data wins over the catalog */
    ck_assert_int_eq(r->level, 1);
    ck_assert(r->stated[0] && !r->stated[1]);
    ck_assert_int_eq(r->values[0], 1687070000LL);
    ck_assert_int_eq(r->values[1], 23620000LL); /* unstated: sum of children */
    r = row(l, "20131");
    ck_assert(r->derived);
    ck_assert_ptr_null(r->node);
    ck_assert_int_eq(r->level, 2);
    ck_assert_str_eq(r->name, "党委办公厅（室）及相关机构事务"); /* from the catalog */
    ck_assert_int_eq(r->values[0], 1687070000LL);
    ck_assert_int_eq(r->values[1], 23620000LL);
    r = row(l, "2013102");
    ck_assert_int_eq(r->level, 3);
    ck_assert_str_eq(r->name, "一般行政管理事务");
    ck_assert_int_eq(r->values[0], 0); /* omitted column is 0 */
    ck_assert(!r->stated[0] && r->stated[1]);
    r = row(l, "210");
    ck_assert(r->derived);
    ck_assert_str_eq(r->name, "卫生健康支出");
    ck_assert_int_eq(r->values[0], 195080000LL);
    ck_assert_str_eq(row(l, "20805")->name, "行政事业单位养老支出");
    /* totals: stated when given, else the sum of the 类 */
    ck_assert(l->total_stated[0] && !l->total_stated[1] && l->total_stated[2]);
    ck_assert_int_eq(l->total[0], 2051520000LL);
    ck_assert_int_eq(l->total[1], 23620000LL);
    ck_assert_int_eq(l->total[2], 0);
    ck_assert_uint_eq(gk_check(m, &d), 0);
    gk_model_free(m);
    gk_diags_release(&d);
}
END_TEST

START_TEST(test_ledger_plain_and_economic)
{
    gk_diags d = GK_DIAGS_INIT;
    gk_model *m = load(HEAD ",\"tables\":{"
                            "\"purchased_services\":{\"rows\":[{\"name\":\"甲\",\"amount\":8},{\"name\":\"乙\",\"amount\":\"2.5\"}]},"
                            "\"general_basic\":{\"rows\":[{\"code\":\"30101\",\"amount\":10},{\"code\":\"30201\",\"amount\":5},"
                            "{\"code\":\"30302\",\"amount\":1}]},"
                            "\"projects\":{\"rows\":[{\"code\":\"2010399\",\"project\":\"800兆无线电运维费\",\"unit\":\"202001\",\"amount\":12.5},"
                            "{\"code\":\"2010399\",\"project\":\"预留机动费\",\"amount\":1}]}}}", &d);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(gk_model_nledgers(m), 3);
    const gk_ledger *l = gk_model_ledger(m, "purchased_services");
    ck_assert_uint_eq(l->nrows, 2);
    ck_assert_str_eq(l->rows[0].code, "");
    ck_assert_str_eq(l->rows[0].name, "甲");
    ck_assert_int_eq(l->rows[0].level, 1);
    ck_assert_int_eq(l->ncols, 1);
    ck_assert_int_eq(l->total[0], 10500000LL);
    l = gk_model_ledger(m, "general_basic");
    ck_assert_int_eq(l->scheme, GK_CODE_ECONOMIC);
    ck_assert_str_eq(row(l, "301")->name, "工资福利支出");
    ck_assert(row(l, "301")->derived);
    ck_assert_str_eq(row(l, "30201")->name, "办公费");
    ck_assert_int_eq(row(l, "303")->values[0], 1000000);
    ck_assert_int_eq(l->total[0], 16000000LL);
    /* project names that start with digits stay text; same code twice is a breakdown */
    l = gk_model_ledger(m, "projects");
    ck_assert_int_eq(l->ncols, 1);
    ck_assert_str_eq(l->cols[0], "amount");
    ck_assert_int_eq(row(l, "20103")->values[0], 13500000LL);
    ck_assert_uint_eq(gk_check(m, &d), 0);
    ck_assert_uint_eq(d.warnings, 0);
    gk_model_free(m);
    gk_diags_release(&d);
}
END_TEST

START_TEST(test_ledger_errors)
{
    refused(HEAD ",\"tables\":{\"income\":{\"total\":{}}}}", "$.tables.income.rows: 错误: 缺少“rows”");
    refused(HEAD ",\"tables\":{\"income\":{\"rows\":{}}}}", "$.tables.income.rows: 错误: 应为数组，实际是对象");
    refused(HEAD ",\"tables\":{\"income\":{\"rows\":[1]}}}", "$.tables.income.rows[0]: 错误: 表的一行应为对象");
    refused(HEAD ",\"tables\":{\"income\":{\"rows\":[{\"code\":2010101}]}}}",
            "$.tables.income.rows[0].code: 错误: 科目编码应为字符串");
    refused(HEAD ",\"tables\":{\"income\":{\"rows\":[{\"code\":\"201-01\"}]}}}", "科目编码“201-01”应只含数字");
    refused(HEAD ",\"tables\":{\"income\":{\"rows\":[{\"code\":\"201\",\"fiscal\":1},{\"code\":\"201\",\"fiscal\":1},"
                 "{\"code\":\"20101\",\"fiscal\":2}]}}}",
            "科目编码“201”重复");
    refused(HEAD ",\"tables\":{\"income\":{\"rows\":[],\"scheme\":\"econ\"}}}", "$.tables.income.scheme: 错误:");
    /* detail lines are told apart by econ / gov_econ / project */
    refused(HEAD ",\"tables\":{\"expenditure\":{\"rows\":[{\"code\":\"2010301\",\"econ\":\"30101\",\"basic\":1},"
                 "{\"code\":\"2010301\",\"econ\":\"30102\",\"basic\":1},{\"code\":\"2010301\",\"econ\":\"30101\",\"basic\":2}]}}}",
            "$.tables.expenditure.rows[2]: 错误: 这一行重复了 rows[0]：科目编码“2010301”相同，econ、gov_econ、project 也都相同");
    refused(HEAD ",\"tables\":{\"general_basic\":{\"rows\":[{\"code\":\"30201\",\"amount\":1},{\"code\":\"30201\",\"amount\":2}]}}}",
            "$.tables.general_basic.rows[1]: 错误: 这一行重复了 rows[0]");
    /* the row limit */
    gk_buf b = GK_BUF_INIT;
    gk_buf_puts(&b, HEAD ",\"tables\":{\"income\":{\"rows\":[");
    for (int i = 0; i < 100001; i++)
        gk_buf_puts(&b, i ? ",{}" : "{}");
    gk_buf_puts(&b, "]}}}");
    refused(b.ptr, "$.tables.income.rows: 错误: 表有 100001 行，超过 100000 行的上限");
    gk_buf_release(&b);
}
END_TEST

START_TEST(test_catalog)
{
    ck_assert_str_eq(gk_catalog_name(GK_CODE_FUNCTION, "2013101"), "行政运行");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_FUNCTION, "20131"), "党委办公厅（室）及相关机构事务");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_FUNCTION, "2080501"), "行政单位离退休");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_FUNCTION, "2101101"), "行政单位医疗");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_FUNCTION, "2210201"), "住房公积金");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_FUNCTION, "207"), "文化旅游体育与传媒支出");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_FUNCTION, "224"), "灾害防治及应急管理支出");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_ECONOMIC, "301"), "工资福利支出");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_ECONOMIC, "30113"), "住房公积金");
    ck_assert_str_eq(gk_catalog_name(GK_CODE_ECONOMIC, "399"), "其他支出");
    ck_assert_ptr_null(gk_catalog_name(GK_CODE_FUNCTION, "2019998"));
    ck_assert_ptr_null(gk_catalog_name(GK_CODE_FUNCTION, NULL));
    ck_assert_ptr_null(gk_catalog_name(GK_CODE_ECONOMIC, "2013101"));
    ck_assert_int_eq(gk_code_level(GK_CODE_FUNCTION, "201"), 1);
    ck_assert_int_eq(gk_code_level(GK_CODE_FUNCTION, "20131"), 2);
    ck_assert_int_eq(gk_code_level(GK_CODE_FUNCTION, "2013101"), 3);
    ck_assert_int_eq(gk_code_level(GK_CODE_FUNCTION, "2013"), 0);
    ck_assert_int_eq(gk_code_level(GK_CODE_FUNCTION, "20a"), 0);
    ck_assert_int_eq(gk_code_level(GK_CODE_ECONOMIC, "30101"), 2);
    ck_assert_int_eq(gk_code_level(GK_CODE_ECONOMIC, "3010101"), 0);
}
END_TEST

START_TEST(test_load_file)
{
    gk_diags d = GK_DIAGS_INIT;
    ck_assert_ptr_null(gk_model_load("/nonexistent/x.json", &d));
    ck_assert_uint_eq(d.len, 1);
    ck_assert_int_eq(d.items[0].err.status, GK_ERR_IO);
    ck_assert_str_eq(d.items[0].err.file, "/nonexistent/x.json");
    gk_diags_release(&d);
}
END_TEST

static Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_minimal);
    tcase_add_test(tc, test_top_level_types);
    tcase_add_test(tc, test_syntax_error_is_located);
    tcase_add_test(tc, test_bad_amounts);
    tcase_add_test(tc, test_model_amount);
    tcase_add_test(tc, test_ledger_derivation);
    tcase_add_test(tc, test_ledger_plain_and_economic);
    tcase_add_test(tc, test_ledger_errors);
    tcase_add_test(tc, test_catalog);
    tcase_add_test(tc, test_load_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(model_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
