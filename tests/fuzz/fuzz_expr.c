/* Fuzz target: the template expression language (src/tmpl/expr.c,
 * func.c) through its private API — parse, load-time name check,
 * evaluation with the step budget, printing — on a real example's model.
 * The same input is also read as a templated string ("text {{ expr }}").
 *
 * The model is examples/xicheng-quweiban-2023-juesuan.json (run from the
 * top of the source tree, as `make fuzz` and `make replay` do); if it
 * cannot be read, a small built-in report is used. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fallback_json[] =
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
    "\"three_public\":{\"abroad_groups\":3}}";

static gk_model *model;

static void load_model(void)
{
    gk_diags d = GK_DIAGS_INIT;
    model = gk_model_load("examples/xicheng-quweiban-2023-juesuan.json", &d);
    gk_diags_release(&d);
    if (!model) {
        gk_diags d2 = GK_DIAGS_INIT;
        model = gk_model_load_mem(fallback_json, sizeof fallback_json - 1, "fuzz.json", &d2);
        gk_diags_release(&d2);
    }
    if (!model)
        abort();
}

/* Variables a template could have in scope: a loop item x (an integer),
 * r (a ledger row) and s (a string). */
static void eval_one(gk_arena *a, const gk__code *c, const gk__tstr *t)
{
    gk__scope s3 = {.name = "s", .up = NULL};
    gk__scope s2 = {.name = "r", .up = &s3};
    gk__scope s1 = {.name = "x", .up = &s2};
    gk_error err;
    gk_error_clear(&err);
    if (c ? gk__expr_check(c, &s1, &err) : gk__tstr_check(t, &s1, &err))
        return;

    gk__env e3 = {.name = "s", .v = {.t = GK_V_STR, .u.str = {"一般公共预算", 18}}};
    gk__env e2 = {.name = "r", .v = {.t = GK_V_NULL}, .up = &e3};
    const gk_ledger *l = gk_model_ledger(model, "expenditure");
    if (l && l->nrows > 0) {
        e2.v.t = GK_V_ROW;
        e2.v.u.row.l = l;
        e2.v.u.row.r = 0;
    }
    gk__env e1 = {.name = "x", .v = {.t = GK_V_INT, .u.i = 4}, .up = &e2};

    gk__ev ev;
    gk__eval_init(&ev, model, a, &err);
    ev.max_steps = 20000; /* a runaway loop is an error, found quickly (the
                             * budget logic is the same at any size) */
    gk_buf out = GK_BUF_INIT;
    if (c) {
        gk__val v;
        if (gk__eval(&ev, c, &e1, &v) == GK_OK) {
            ev.code = c;
            gk__to_text(&ev, &v, true, &out);
            gk__truthy(&v);
        }
    } else {
        gk__tstr_eval(&ev, t, &e1, &out);
    }
    gk_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!model)
        load_model();
    if (size > 4096)
        return 0; /* expressions are attribute values: keep inputs small */
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';

    gk_arena a;
    gk_arena_init(&a);
    gk_error err;
    gk_error_clear(&err);
    gk__code *c = gk__expr_parse(&a, src, size, "fuzz.xml", 1, &err);
    if (c)
        eval_one(&a, c, NULL);

    if (!memchr(src, '\0', size)) { /* template text is a C string */
        gk__tstr t;
        gk_error_clear(&err);
        if (gk__tstr_parse(&a, src, "fuzz.xml", 1, &t, &err) == GK_OK)
            eval_one(&a, NULL, &t);
    }
    gk_arena_release(&a);
    free(src);
    return 0;
}
