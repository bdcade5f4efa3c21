/* The strict JSON parser: values, exact number text, positions, every
 * syntax error with FILE:LINE:COL, limits against hostile input. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/json.h"

static gk_json_doc *ok(const char *s)
{
    gk_error e;
    gk_error_clear(&e);
    gk_json_doc *d = gk_json_parse(s, strlen(s), "t.json", NULL, &e);
    ck_assert_msg(d != NULL, "parse failed: %d:%d %s", e.line, e.col, e.msg);
    return d;
}

/* Parse `len` bytes expecting failure; returns the formatted message. */
static char errbuf[1024];
static const char *fail_n(const char *s, size_t len, const gk_json_limits *lim, gk_error *out)
{
    gk_error e;
    gk_error_clear(&e);
    gk_json_doc *d = gk_json_parse(s, len, "t.json", lim, &e);
    ck_assert_msg(d == NULL, "parse of '%.40s' should fail", s);
    gk_buf b = GK_BUF_INIT;
    gk_error_format(&e, &b);
    ck_assert_uint_lt(b.len, sizeof errbuf);
    memcpy(errbuf, b.ptr, b.len + 1);
    gk_buf_release(&b);
    if (out)
        *out = e;
    return errbuf;
}

static const char *bad(const char *s) { return fail_n(s, strlen(s), NULL, NULL); }

#define HAS(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, "'%s' lacks '%s'", (hay), (needle))

START_TEST(test_values)
{
    gk_json_doc *d = ok("{\"a\": [1, -2.50, true, false, null, \"x\"], \"b\": {}, \"c\": []}");
    const gk_json *r = gk_json_root(d);
    ck_assert_int_eq(r->type, GK_JSON_OBJECT);
    ck_assert_uint_eq(r->len, 3);
    const gk_json *a = gk_json_get(r, "a");
    ck_assert_int_eq(a->type, GK_JSON_ARRAY);
    ck_assert_uint_eq(a->len, 6);
    ck_assert_str_eq(a->items[1]->text, "-2.50");
    ck_assert(a->items[2]->type == GK_JSON_BOOL && a->items[2]->boolean);
    ck_assert(a->items[3]->type == GK_JSON_BOOL && !a->items[3]->boolean);
    ck_assert_int_eq(a->items[4]->type, GK_JSON_NULL);
    ck_assert_str_eq(a->items[5]->text, "x");
    ck_assert_ptr_eq(a->items[5]->parent, a);
    ck_assert_int_eq(a->items[5]->index, 5);
    ck_assert_uint_eq(gk_json_get(r, "b")->len, 0);
    ck_assert_ptr_null(gk_json_get(r, "zz"));
    ck_assert_ptr_null(gk_json_get(a, "a"));
    ck_assert_str_eq(gk_json_file(d), "t.json");
    gk_json_free(d);
    /* scalars at the top */
    d = ok("  42  ");
    ck_assert_str_eq(gk_json_root(d)->text, "42");
    gk_json_free(d);
}
END_TEST

START_TEST(test_number_lexemes)
{
    gk_json_doc *d = ok("[3819.053886, 12345678901234567890.10, 9007199254740993, -0.000, 1e2, 1.5E-3, 0]");
    const gk_json *a = gk_json_root(d);
    const char *want[] = { "3819.053886", "12345678901234567890.10", "9007199254740993", "-0.000",
                           "1e2", "1.5E-3", "0" };
    for (size_t i = 0; i < 7; i++) {
        ck_assert_int_eq(a->items[i]->type, GK_JSON_NUMBER);
        ck_assert_str_eq(a->items[i]->text, want[i]);
        ck_assert_uint_eq(a->items[i]->text_len, strlen(want[i]));
    }
    gk_json_free(d);
}
END_TEST

START_TEST(test_strings)
{
    gk_json_doc *d = ok("[\"\\u4e2d\\u6587\", \"\\ud83d\\ude00\", \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"中文\"]");
    const gk_json *a = gk_json_root(d);
    ck_assert_str_eq(a->items[0]->text, "中文");
    ck_assert_str_eq(a->items[1]->text, "\xF0\x9F\x98\x80");
    ck_assert_str_eq(a->items[2]->text, "a\"b\\c/d\b\f\n\r\t");
    ck_assert_str_eq(a->items[3]->text, "中文");
    ck_assert_uint_eq(a->items[3]->text_len, 6);
    gk_json_free(d);
}
END_TEST

START_TEST(test_positions)
{
    /* columns count characters: 中文 is two columns, not six */
    gk_json_doc *d = ok("{\"名称\": \"x\",\n  \"b\": [1,\n\t2]}");
    const gk_json *r = gk_json_root(d);
    ck_assert_int_eq(r->line, 1);
    ck_assert_int_eq(r->col, 1);
    ck_assert_int_eq(r->members[0].key_line, 1);
    ck_assert_int_eq(r->members[0].key_col, 2);
    ck_assert_int_eq(r->members[0].value->col, 8);
    ck_assert_int_eq(r->members[1].key_line, 2);
    ck_assert_int_eq(r->members[1].key_col, 3);
    const gk_json *b = gk_json_get(r, "b");
    ck_assert_int_eq(b->line, 2);
    ck_assert_int_eq(b->col, 8);
    ck_assert_int_eq(b->items[1]->line, 3);
    ck_assert_int_eq(b->items[1]->col, 2); /* a tab is one column */
    gk_json_free(d);
}
END_TEST

START_TEST(test_bom)
{
    gk_json_doc *d = ok("\xEF\xBB\xBF{\"a\": 1}");
    ck_assert_int_eq(gk_json_root(d)->col, 1);
    ck_assert_int_eq(gk_json_get(gk_json_root(d), "a")->col, 7);
    gk_json_free(d);
    /* positions after a BOM do not count it */
    HAS(bad("\xEF\xBB\xBF{\"a\" 1}"), "t.json:1:6:");
    HAS(bad("\xFF\xFE{\0}"), "UTF-16");
}
END_TEST

START_TEST(test_syntax_errors)
{
    HAS(bad("{\"a\": 1 \"b\": 2}"), "t.json:1:9: 错误: 意外的字符“\"”：缺少“,”或“}”（在对象中）");
    HAS(bad("{\"a\": 1,\n  \"b\": 2\n  \"c\": 3}"), "t.json:3:3: 错误: ");
    HAS(bad("[1 2]"), "t.json:1:4: 错误: 意外的字符“2”：缺少“,”或“]”（在数组中）");
    HAS(bad("{\"a\" 1}"), "t.json:1:6: 错误: 意外的字符“1”：缺少“:”（在对象的键之后）");
    HAS(bad("{\"a\": 1,}"), "t.json:1:8: 错误: 对象的最后一个成员后面不能有“,”");
    HAS(bad("[1,]"), "t.json:1:3: 错误: 数组的最后一项后面不能有“,”");
    HAS(bad("{a: 1}"), "t.json:1:2: 错误: 意外的字符“a”：应为键");
    HAS(bad("[01]"), "t.json:1:2: 错误: 数字不能以 0 开头");
    HAS(bad("[1.]"), "t.json:1:4: 错误: 小数点后缺少数字");
    HAS(bad("[1e]"), "t.json:1:4: 错误: 指数缺少数字");
    HAS(bad("[-]"), "t.json:1:3: 错误: “-”后缺少数字");
    HAS(bad("[.5]"), "t.json:1:2: 错误: 数字必须以数字或“-”开头");
    HAS(bad("[NaN]"), "t.json:1:2: 错误: JSON 不允许 NaN 或 Infinity");
    HAS(bad("[-Infinity]"), "t.json:1:2: 错误: JSON 不允许 NaN 或 Infinity");
    HAS(bad("[True]"), "t.json:1:2: 错误: 意外的“True”");
    HAS(bad("[\"a\nb\"]"), "t.json:1:4: 错误: 字符串中不能直接换行");
    HAS(bad("[\"a\x01\"]"), "U+0001");
    HAS(bad("[\"\\x\"]"), "t.json:1:3: 错误: 无效的转义");
    HAS(bad("[\"\\u12G4\"]"), "“\\u”后应为 4 位十六进制数字");
    HAS(bad("[\"\\ud800\"]"), "不成对的 UTF-16 代理项 \\uD800");
    HAS(bad("[\"\\udc00\"]"), "不成对的 UTF-16 代理项 \\uDC00");
    HAS(bad("[\"\\u0000\"]"), "U+0000");
    HAS(bad("{\"a\": 1} x"), "t.json:1:10: 错误: JSON 值之后还有多余的内容（“x”）");
    HAS(bad("{\"a\"：1}"), "（应为半角冒号 :）");
    HAS(bad("[“a”]"), "（JSON 的引号应为半角 \"）");
    HAS(bad("{\"a\": 1，\"b\": 2}"), "（应为半角逗号 ,）");
    HAS(bad("[1] ]"), "多余的内容");
    HAS(bad("]"), "t.json:1:1: 错误: 意外的字符“]”：应为一个 JSON 值");
}
END_TEST

START_TEST(test_truncated)
{
    HAS(bad("{\"a\": [1, 2"), "t.json:1:12: 错误: 意外的文件结尾：缺少“,”或“]”（在数组中）（从第 1 行第 7 列开始）");
    HAS(bad("{\"a\": \"abc"), "t.json:1:11: 错误: 字符串没有结束：缺少“\"”（从第 1 行第 7 列开始）");
    HAS(bad("{\"a\":"), "意外的文件结尾：应为一个 JSON 值");
    HAS(bad("{\n  \"a\": 1,\n"), "t.json:3:1: 错误: 意外的文件结尾");
}
END_TEST

START_TEST(test_empty)
{
    gk_error e;
    HAS(fail_n("", 0, NULL, &e), "t.json:1:1: 错误: 文件是空的");
    ck_assert_int_eq(e.status, GK_ERR_JSON_SYNTAX);
    HAS(bad(" \n\t "), "文件只有空白");
    HAS(bad("\xEF\xBB\xBF"), "文件是空的");
}
END_TEST

START_TEST(test_duplicate_keys)
{
    const char *m = bad("{\"a\": 1,\n \"b\": {\"a\": 2},\n   \"a\": 3}");
    /* the second position is the error's, the first is in the text */
    HAS(m, "t.json:3:4: 错误: 键“a”重复（第一次出现在第 1 行第 2 列）");
    /* same key in different objects is fine */
    gk_json_doc *d = ok("[{\"a\": 1}, {\"a\": 2}, {\"b\": {\"a\": 3}}]");
    gk_json_free(d);
    /* many keys: the hash table grows and still finds duplicates */
    gk_buf b = GK_BUF_INIT;
    gk_buf_putc(&b, '{');
    for (int i = 0; i < 5000; i++)
        gk_buf_printf(&b, "\"k%d\": %d, ", i, i);
    gk_buf_puts(&b, "\"k4321\": 0}");
    HAS(bad(b.ptr), "键“k4321”重复");
    gk_buf_release(&b);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    HAS(bad("{\"a\": \"x\xFFy\"}"), "t.json:1:9: 错误: 无效的 UTF-8 字节 0xFF");
    HAS(bad("[\"\xC0\xAF\"]"), "无效的 UTF-8 字节 0xC0");         /* overlong '/' */
    HAS(bad("[\"\xED\xA0\x80\"]"), "无效的 UTF-8 字节 0xED");     /* a surrogate */
    HAS(bad("[\"\xE4\xB8\"]"), "无效的 UTF-8");                   /* truncated 中 */
    HAS(bad("[1, \xFF]"), "t.json:1:5: 错误: 无效的 UTF-8 字节 0xFF");
    HAS(bad("\xFF\xFF\xFF"), "无效的 UTF-8");
}
END_TEST

START_TEST(test_deep_nesting)
{
    size_t n = 200000;
    char *s = malloc(n);
    memset(s, '[', n);
    gk_error e;
    HAS(fail_n(s, n, NULL, &e), "t.json:1:129: 错误: 嵌套超过 128 层的上限");
    ck_assert_int_eq(e.status, GK_ERR_LIMIT);
    memset(s, '{', n); /* objects need keys: fails on syntax first */
    fail_n(s, n, NULL, NULL);
    free(s);
    /* exactly 128 levels is fine */
    gk_buf b = GK_BUF_INIT;
    for (int i = 0; i < 128; i++)
        gk_buf_putc(&b, '[');
    for (int i = 0; i < 128; i++)
        gk_buf_putc(&b, ']');
    gk_json_doc *d = ok(b.ptr);
    gk_json_free(d);
    gk_buf_release(&b);
}
END_TEST

START_TEST(test_limits)
{
    gk_json_limits lim = GK_JSON_LIMITS_DEFAULT;
    /* a string over 1 MiB */
    size_t n = (1u << 20) + 16;
    char *s = malloc(n + 4);
    s[0] = '"';
    memset(s + 1, 'a', n);
    s[n + 1] = '"';
    gk_error e;
    HAS(fail_n(s, n + 2, &lim, &e), "t.json:1:1: 错误: 字符串超过 1048576 字节的上限");
    ck_assert_int_eq(e.status, GK_ERR_LIMIT);
    free(s);
    /* items and bytes */
    lim.max_items = 3;
    HAS(fail_n("[1,2,3,4]", 9, &lim, NULL), "数组或对象超过 3 项的上限");
    gk_json_doc *d = gk_json_parse("[1,2,3]", 7, "t.json", &lim, &e);
    ck_assert_ptr_nonnull(d);
    gk_json_free(d);
    lim = (gk_json_limits)GK_JSON_LIMITS_DEFAULT;
    lim.max_bytes = 4;
    HAS(fail_n("[1, 2]", 6, &lim, NULL), "超过 4 字节的上限");
    /* a 60-digit number is valid JSON: its text is kept whole */
    d = ok("[123456789012345678901234567890123456789012345678901234567890]");
    ck_assert_uint_eq(gk_json_root(d)->items[0]->text_len, 60);
    gk_json_free(d);
}
END_TEST

START_TEST(test_path_and_at)
{
    gk_json_doc *d = ok("{\"tables\": {\"t03\": {\"rows\": [{}, {}, {\"basic\": 5}]}}, \"a.b\": [1], \"名称\": 1}");
    const gk_json *r = gk_json_root(d);
    const gk_json *v = gk_json_at(r, "tables.t03.rows[2].basic");
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(v->text, "5");
    ck_assert_ptr_eq(gk_json_at(r, "$.tables.t03.rows[2].basic"), v);
    ck_assert_ptr_null(gk_json_at(r, "tables.t03.rows[3]"));
    ck_assert_ptr_null(gk_json_at(r, "tables.t03.rows[x]"));
    ck_assert_ptr_null(gk_json_at(r, "tables.nope"));
    ck_assert_ptr_eq(gk_json_at(r, "$"), r);
    gk_buf b = GK_BUF_INIT;
    gk_json_path(v, &b);
    ck_assert_str_eq(b.ptr, "$.tables.t03.rows[2].basic");
    gk_buf_clear(&b);
    gk_json_path(gk_json_get(r, "a.b")->items[0], &b);
    ck_assert_str_eq(b.ptr, "$[\"a.b\"][0]");
    gk_buf_clear(&b);
    gk_json_path(gk_json_get(r, "名称"), &b);
    ck_assert_str_eq(b.ptr, "$.名称");
    gk_buf_release(&b);
    ck_assert_str_eq(gk_json_type_name(GK_JSON_OBJECT), "对象");
    gk_json_free(d);
}
END_TEST

START_TEST(test_english)
{
    gk_set_lang(GK_LANG_EN);
    HAS(bad("{\"a\": 1 \"b\": 2}"), "t.json:1:9: error: unexpected character '\"': expected ',' or '}' (in an object)");
    HAS(bad("{\"a\": 1, \"a\": 2}"), "duplicate key 'a' (first at 1:2)");
    ck_assert_str_eq(gk_json_type_name(GK_JSON_OBJECT), "object");
    gk_set_lang(GK_LANG_ZH);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_number_lexemes);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_positions);
    tcase_add_test(tc, test_bom);
    tcase_add_test(tc, test_syntax_errors);
    tcase_add_test(tc, test_truncated);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_duplicate_keys);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_path_and_at);
    tcase_add_test(tc, test_english);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(json_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
