/* The functions of the expression language (README.md (Writing a template)). */
#include <stdio.h>
#include <string.h>

#include "tmpl/internal.h"

#define FN(name) \
    static gk_status fn_##name(gk__ev *ev, size_t argc, const gk__val *argv, gk__val *out)

static gk__val mk_int(int64_t i)
{
    gk__val v = {.t = GK_V_INT};
    v.u.i = i;
    return v;
}

static gk__val mk_money(gk_fen m)
{
    gk__val v = {.t = GK_V_MONEY};
    v.u.m = m;
    return v;
}

static gk__val mk_bool(bool b)
{
    gk__val v = {.t = GK_V_BOOL};
    v.u.b = b;
    return v;
}

static gk__val buf_val(gk__ev *ev, gk_buf *b)
{
    gk__val v = gk__str(ev, b->ptr, b->len);
    gk_buf_release(b);
    return v;
}

static gk_status arg_decimals(gk__ev *ev, const gk__val *v, int *d)
{
    int64_t x;
    gk_status st = gk__to_int(ev, v, GK_TR("小数位数", "the decimals"), &x);
    if (st)
        return st;
    if (x < 0 || x > 6)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("小数位数 %lld 超出 0–6", "decimals %lld outside 0-6"),
                             (long long)x);
    *d = (int)x;
    return GK_OK;
}

/* Flags: words 'sep' (thousands separators) and 'trim' (a whole amount
 * without decimals), separated by spaces, commas or '+'. */
static gk_status arg_flags(gk__ev *ev, const gk__val *v, bool *sep, bool *trim)
{
    *sep = *trim = false;
    if (v->t != GK_V_STR)
        goto bad;
    for (const char *p = v->u.str.s; *p;) {
        size_t w = strcspn(p, " ,+");
        if (w == 3 && strncmp(p, "sep", 3) == 0)
            *sep = true;
        else if (w == 4 && strncmp(p, "trim", 4) == 0)
            *trim = true;
        else if (w)
            goto bad;
        p += w;
        while (*p == ' ' || *p == ',' || *p == '+')
            p++;
    }
    return GK_OK;
bad:
    return gk__eval_fail(ev, GK_ERR_EXPR,
                         GK_TR("第三个参数只能是 'sep'（千位分隔符）、'trim'（整数不带小数）或 'sep trim'",
                               "the third argument can only be 'sep' (thousands separators), "
                               "'trim' (whole amounts without decimals) or 'sep trim'"));
}

/* Drop ".000" when every decimal is zero. */
static void trim_zero_decimals(gk_buf *b, size_t from)
{
    char *dot = memchr(b->ptr + from, '.', b->len - from);
    if (!dot)
        return;
    for (const char *p = dot + 1; p < b->ptr + b->len; p++)
        if (*p != '0')
            return;
    gk_buf_truncate(b, (size_t)(dot - b->ptr));
    if (b->len - from == 2 && strncmp(b->ptr + from, "-0", 2) == 0) {
        gk_buf_truncate(b, from);
        gk_buf_putc(b, '0');
    }
}

static gk_status format_in(gk__ev *ev, size_t argc, const gk__val *argv,
                           gk_unit unit, int def_dec, gk__val *out)
{
    gk_fen x;
    int d = def_dec;
    bool sep = false, trim = false;
    gk_status st = gk__to_money(ev, &argv[0], GK_TR("金额", "the amount"), &x);
    if (!st && argc > 1 && argv[1].t != GK_V_NULL)
        st = arg_decimals(ev, &argv[1], &d);
    if (!st && argc > 2)
        st = arg_flags(ev, &argv[2], &sep, &trim);
    if (st)
        return st;
    gk_buf b = GK_BUF_INIT;
    gk_money_format(&b, x, unit, d, sep);
    if (trim)
        trim_zero_decimals(&b, 0);
    *out = buf_val(ev, &b);
    return GK_OK;
}

FN(money)
{
    return format_in(ev, argc, argv, gk_model_unit(ev->m), gk_model_decimals(ev->m), out);
}

FN(yuan)
{
    return format_in(ev, argc, argv, GK_UNIT_YUAN, 2, out);
}

FN(wan)
{
    return format_in(ev, argc, argv, GK_UNIT_WAN, gk_model_decimals(ev->m), out);
}

FN(pct)
{
    gk_fen part, whole;
    int d = 2;
    gk_status st = gk__to_money(ev, &argv[0], GK_TR("部分", "the part"), &part);
    if (!st)
        st = gk__to_money(ev, &argv[1], GK_TR("总数", "the whole"), &whole);
    if (!st && argc > 2)
        st = arg_decimals(ev, &argv[2], &d);
    if (st)
        return st;
    gk_buf b = GK_BUF_INIT;
    if (!gk_pct_format(&b, part, whole, d, true)) {
        gk_buf_release(&b);
        out->t = GK_V_NULL;
        return GK_OK;
    }
    gk_buf_putc(&b, '%');
    *out = buf_val(ev, &b);
    return GK_OK;
}

gk_status gk__change(gk__ev *ev, gk_fen nw, gk_fen old, gk__val *out)
{
    gk_fen diff, amount;
    if (!gk_sub_ok(nw, old, &diff) || diff == INT64_MIN || old == INT64_MIN)
        return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("金额溢出", "amount overflow"));
    amount = diff < 0 ? -diff : diff;
    int dir = diff > 0 ? 1 : diff < 0 ? -1 : 0;
    gk_unit unit = gk_model_unit(ev->m);
    int dec = gk_model_decimals(ev->m);

    enum { K_DIR, K_AMOUNT, K_DIFF, K_VERB, K_RATE_VERB, K_PCT, K_PHRASE, K_NEW, K_OLD, K_N };
    static const char *const keys[K_N] = {
        "dir", "amount", "diff", "verb", "rate_verb", "pct", "phrase", "new", "old",
    };
    gk__obj *o = GK_ARENA_NEW(ev->a, gk__obj);
    o->n = K_N;
    o->keys = GK_ARENA_ARRAY(ev->a, const char *, K_N);
    o->vals = GK_ARENA_ARRAY(ev->a, gk__val, K_N);
    for (int i = 0; i < K_N; i++)
        o->keys[i] = keys[i];
    o->vals[K_DIR] = mk_int(dir);
    o->vals[K_AMOUNT] = mk_money(amount);
    o->vals[K_DIFF] = mk_money(diff);
    o->vals[K_NEW] = mk_money(nw);
    o->vals[K_OLD] = mk_money(old);
    const char *verb = dir > 0 ? "增加" : dir < 0 ? "减少" : "持平";
    const char *rverb = dir > 0 ? "增长" : dir < 0 ? "下降" : "持平";
    o->vals[K_VERB] = gk__str(ev, verb, strlen(verb));
    o->vals[K_RATE_VERB] = gk__str(ev, rverb, strlen(rverb));
    gk_buf pct = GK_BUF_INIT;
    bool has_pct = gk_pct_format(&pct, amount, old < 0 ? -old : old, 2, true);
    if (has_pct) {
        gk_buf_putc(&pct, '%');
        o->vals[K_PCT] = gk__str(ev, pct.ptr, pct.len);
    } else {
        o->vals[K_PCT].t = GK_V_NULL;
    }
    gk_buf ph = GK_BUF_INIT;
    if (dir == 0) {
        gk_buf_puts(&ph, "持平");
    } else {
        gk_buf_puts(&ph, verb);
        gk_money_format(&ph, amount, unit, dec, false);
        gk_buf_puts(&ph, gk_unit_name(unit));
        if (has_pct)
            gk_buf_printf(&ph, "，%s%s", rverb, pct.ptr);
    }
    o->vals[K_PHRASE] = gk__str(ev, ph.ptr, ph.len);
    gk_buf_release(&ph);
    gk_buf_release(&pct);
    out->t = GK_V_OBJ;
    out->u.obj = o;
    return GK_OK;
}

FN(change)
{
    gk_fen nw, old;
    gk_status st = gk__to_money(ev, &argv[0], GK_TR("本期数", "the new value"), &nw);
    if (!st)
        st = gk__to_money(ev, &argv[1], GK_TR("上期数", "the old value"), &old);
    if (st)
        return st;
    return gk__change(ev, nw, old, out);
}

/* Compare two numeric values exactly (ints and money mix). */
static gk_status num_cmp(gk__ev *ev, const gk__val *a, const gk__val *b, int *c)
{
    if (a->t == GK_V_INT && b->t == GK_V_INT) {
        *c = a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
        return GK_OK;
    }
    gk_fen x, y;
    gk_status st = gk__to_money(ev, a, GK_TR("第一个参数", "the first argument"), &x);
    if (!st)
        st = gk__to_money(ev, b, GK_TR("第二个参数", "the second argument"), &y);
    if (st)
        return st;
    *c = x < y ? -1 : x > y;
    return GK_OK;
}

FN(cmp)
{
    int c;
    gk_status st = num_cmp(ev, &argv[0], &argv[1], &c);
    if (!st)
        *out = mk_int(c);
    return st;
}

FN(abs)
{
    const gk__val *v = &argv[0];
    if (v->t == GK_V_INT && v->u.i != INT64_MIN) {
        *out = mk_int(v->u.i < 0 ? -v->u.i : v->u.i);
        return GK_OK;
    }
    gk_fen x;
    gk_status st = gk__to_money(ev, v, GK_TR("参数", "the argument"), &x);
    if (st)
        return st;
    if (x == INT64_MIN)
        return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("金额溢出", "amount overflow"));
    *out = mk_money(x < 0 ? -x : x);
    return GK_OK;
}

static gk_status minmax(gk__ev *ev, const gk__val *argv, bool want_max, gk__val *out)
{
    int c;
    gk_status st = num_cmp(ev, &argv[0], &argv[1], &c);
    if (st)
        return st;
    const gk__val *pick = (c >= 0) == want_max ? &argv[0] : &argv[1];
    if (argv[0].t == argv[1].t) {
        *out = *pick;
        return GK_OK;
    }
    gk_fen x;
    st = gk__to_money(ev, pick, "", &x);
    if (!st)
        *out = mk_money(x);
    return st;
}

FN(min) { (void)argc; return minmax(ev, argv, false, out); }
FN(max) { (void)argc; return minmax(ev, argv, true, out); }

FN(sum)
{
    size_t n;
    gk__val *items;
    gk_status st = gk__items(ev, &argv[0], &n, &items);
    if (st || (st = gk__eval_steps(ev, (long)n)))
        return st;
    bool all_int = true;
    int64_t isum = 0;
    gk_fen msum = 0;
    for (size_t i = 0; i < n; i++) {
        gk__val v = items[i];
        if (argc > 1) {
            if (argv[1].t != GK_V_STR)
                return gk__eval_fail(ev, GK_ERR_EXPR,
                                     GK_TR("sum 的第二个参数应为字段名字符串",
                                           "the second argument of sum must be a field name"));
            if ((st = gk__field(ev, &items[i], argv[1].u.str.s, argv[1].u.str.n, &v)))
                return st;
        }
        if (v.t == GK_V_NULL)
            continue;
        if (v.t == GK_V_INT && all_int) {
            if (!gk_add_ok(isum, v.u.i, &isum))
                return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("求和溢出", "sum overflow"));
            continue;
        }
        gk_fen x;
        if ((st = gk__to_money(ev, &v, GK_TR("列表项", "a list item"), &x)))
            return st;
        if (!gk_add_ok(msum, x, &msum))
            return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("求和溢出", "sum overflow"));
        all_int = false;
    }
    if (all_int) {
        *out = mk_int(isum);
        return GK_OK;
    }
    gk__val iv = mk_int(isum);
    gk_fen x;
    if ((st = gk__to_money(ev, &iv, "", &x)))
        return st;
    if (!gk_add_ok(msum, x, &msum))
        return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("求和溢出", "sum overflow"));
    *out = mk_money(msum);
    return GK_OK;
}

FN(count)
{
    (void)argc;
    size_t n;
    gk__val *items;
    gk_status st = gk__items(ev, &argv[0], &n, &items);
    if (!st)
        st = gk__eval_steps(ev, (long)n); /* the items were built: O(n) */
    if (!st)
        *out = mk_int((int64_t)n);
    return st;
}

FN(len)
{
    (void)argc;
    if (argv[0].t == GK_V_STR) {
        int64_t n = 0;
        size_t i = 0;
        while (i < argv[0].u.str.n) {
            if (gk_utf8_next(argv[0].u.str.s, argv[0].u.str.n, &i) < 0)
                i++;
            n++;
        }
        *out = mk_int(n);
        return GK_OK;
    }
    return fn_count(ev, 1, argv, out);
}

static gk_status want_ledger(gk__ev *ev, const gk__val *v, const gk_ledger **l)
{
    *l = NULL;
    if (v->t == GK_V_NULL)
        return GK_OK;
    *l = gk__ledger_of(ev, v);
    if (*l)
        return GK_OK;
    if (v->t == GK_V_JSON && v->u.j->type == GK_JSON_OBJECT)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("该对象不是表（tables.<id>）", "this object is not a table (tables.<id>)"));
    return gk__eval_fail(ev, GK_ERR_EXPR,
                         GK_TR("类型不符：%s不是表（应写 tables.<id>）",
                               "type mismatch: a %s is not a table (write tables.<id>)"),
                         gk__vtype_name(v->t));
}

FN(rows)
{
    const gk_ledger *l;
    gk_status st = want_ledger(ev, &argv[0], &l);
    if (st)
        return st;
    int64_t maxlevel = 99;
    if (argc > 1 && (st = gk__to_int(ev, &argv[1], GK_TR("级次", "the level"), &maxlevel)))
        return st;
    gk__list *list = GK_ARENA_NEW(ev->a, gk__list);
    out->t = GK_V_LIST;
    out->u.list = list;
    if (!l)
        return GK_OK;
    if ((st = gk__eval_steps(ev, (long)l->nrows)))
        return st;
    list->items = GK_ARENA_ARRAY(ev->a, gk__val, l->nrows ? l->nrows : 1);
    for (size_t r = 0; r < l->nrows; r++) {
        int lv = l->rows[r].level < 1 ? 1 : l->rows[r].level;
        if (lv > maxlevel)
            continue;
        gk__val *v = &list->items[list->n++];
        v->t = GK_V_ROW;
        v->u.row.l = l;
        v->u.row.r = r;
    }
    return GK_OK;
}

FN(ledger_total)
{
    const gk_ledger *l;
    gk_status st = want_ledger(ev, &argv[0], &l);
    if (st)
        return st;
    gk_fen t = 0;
    if (argc > 1 && argv[1].t != GK_V_STR)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("ledger_total 的第二个参数应为列名字符串",
                                   "the second argument of ledger_total must be a column name"));
    if (l) {
        for (int c = 0; c < l->ncols; c++) {
            if (argc > 1 && strcmp(l->cols[c], argv[1].u.str.s) != 0)
                continue;
            if (!gk_add_ok(t, l->total[c], &t))
                return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("求和溢出", "sum overflow"));
        }
    }
    *out = mk_money(t);
    return GK_OK;
}

FN(nonzero)
{
    size_t n;
    gk__val *items;
    gk_status st = gk__items(ev, &argv[0], &n, &items);
    if (st || (st = gk__eval_steps(ev, (long)(n * (argc - 1)))))
        return st;
    for (size_t k = 1; k < argc; k++)
        if (argv[k].t != GK_V_STR)
            return gk__eval_fail(ev, GK_ERR_EXPR,
                                 GK_TR("nonzero 的列名应为字符串",
                                       "nonzero: column names must be strings"));
    gk__list *list = GK_ARENA_NEW(ev->a, gk__list);
    list->items = GK_ARENA_ARRAY(ev->a, gk__val, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        bool any = false;
        for (size_t k = 1; k < argc && !any; k++) {
            gk__val v;
            if ((st = gk__field(ev, &items[i], argv[k].u.str.s, argv[k].u.str.n, &v)))
                return st;
            if (v.t == GK_V_NULL)
                continue;
            gk_fen x;
            if ((st = gk__to_money(ev, &v, argv[k].u.str.s, &x)))
                return st;
            any = x != 0;
        }
        if (any)
            list->items[list->n++] = items[i];
    }
    out->t = GK_V_LIST;
    out->u.list = list;
    return GK_OK;
}

/* Order of rows in a ledger with codes (model.c): rows with a code in
 * strcmp order (a parent before its children, detail lines of one code
 * in data order), then the rows without one. */
static int code_cmp(const char *a, const char *b)
{
    bool ac = a[0] != '\0', bc = b[0] != '\0';
    if (ac != bc)
        return ac ? -1 : 1;
    return ac ? strcmp(a, b) : 0;
}

/* Whether l's rows are in that order: checked once per ledger and
 * document (the model builds them so; a ledger that is not is scanned). */
static bool in_code_order(gk__ev *ev, const gk_ledger *l)
{
    for (int i = 0; i < ev->nledgers_seen; i++)
        if (ev->ledger_seen[i] == l)
            return ev->ledger_sorted[i];
    bool sorted = true;
    for (size_t r = 1; r < l->nrows && sorted; r++)
        sorted = code_cmp(l->rows[r - 1].code, l->rows[r].code) <= 0;
    if (ev->nledgers_seen < GK__EV_LEDGERS) {
        ev->ledger_seen[ev->nledgers_seen] = l;
        ev->ledger_sorted[ev->nledgers_seen++] = sorted;
    }
    return sorted;
}

/* The rows [*lo, *hi) of l with code `code`: by bisection when the rows
 * are in code order (steps: about log2 of the rows), else by a scan
 * (steps: the rows; *lo..*hi then spans the first to the last match and
 * the caller must test each row). */
static gk_status code_range(gk__ev *ev, const gk_ledger *l, const char *code,
                            size_t *lo, size_t *hi, bool *scan)
{
    *lo = *hi = 0;
    *scan = !in_code_order(ev, l);
    if (*scan) {
        gk_status st = gk__eval_steps(ev, (long)l->nrows);
        if (st)
            return st;
        size_t first = l->nrows, last = 0;
        for (size_t r = 0; r < l->nrows; r++)
            if (strcmp(l->rows[r].code, code) == 0) {
                if (first == l->nrows)
                    first = r;
                last = r + 1;
            }
        if (first < l->nrows) {
            *lo = first;
            *hi = last;
        }
        return GK_OK;
    }
    long probes = 1;
    for (size_t n = l->nrows; n > 1; n >>= 1)
        probes++;
    gk_status st = gk__eval_steps(ev, 2 * probes);
    if (st)
        return st;
    size_t a = 0, b = l->nrows; /* first row not below code */
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (code_cmp(l->rows[m].code, code) < 0)
            a = m + 1;
        else
            b = m;
    }
    size_t c = a, e = l->nrows; /* first row above code */
    while (c < e) {
        size_t m = c + (e - c) / 2;
        if (code_cmp(l->rows[m].code, code) <= 0)
            c = m + 1;
        else
            e = m;
    }
    *lo = a;
    *hi = c;
    return GK_OK;
}

/* The code argument of lookup/lookup_all as text (into code). */
static gk_status code_text(gk__ev *ev, const gk__val *v, gk_buf *code)
{
    if (v->t == GK_V_STR)
        gk_buf_put(code, v->u.str.s, v->u.str.n);
    else if (v->t == GK_V_INT)
        gk_buf_printf(code, "%lld", (long long)v->u.i);
    else
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：科目编码是%s", "type mismatch: the code is a %s"),
                             gk__vtype_name(v->t));
    return GK_OK;
}

FN(lookup)
{
    (void)argc;
    const gk_ledger *l;
    gk_status st = want_ledger(ev, &argv[0], &l);
    if (st)
        return st;
    out->t = GK_V_NULL;
    if (!l || argv[1].t == GK_V_NULL)
        return GK_OK;
    gk_buf code = GK_BUF_INIT;
    size_t lo, hi;
    bool scan;
    if ((st = code_text(ev, &argv[1], &code)) ||
        (st = code_range(ev, l, code.ptr, &lo, &hi, &scan))) {
        gk_buf_release(&code);
        return st;
    }
    if (lo < hi) { /* the first row with the code (scan: lo matches) */
        out->t = GK_V_ROW;
        out->u.row.l = l;
        out->u.row.r = lo;
    }
    gk_buf_release(&code);
    return GK_OK;
}

FN(lookup_all)
{
    (void)argc;
    const gk_ledger *l;
    gk_status st = want_ledger(ev, &argv[0], &l);
    if (st)
        return st;
    gk__list *list = GK_ARENA_NEW(ev->a, gk__list);
    out->t = GK_V_LIST;
    out->u.list = list;
    if (!l || argv[1].t == GK_V_NULL)
        return GK_OK;
    gk_buf code = GK_BUF_INIT;
    size_t lo, hi;
    bool scan;
    if ((st = code_text(ev, &argv[1], &code)) ||
        (st = code_range(ev, l, code.ptr, &lo, &hi, &scan))) {
        gk_buf_release(&code);
        return st;
    }
    if (lo < hi && !(st = gk__eval_steps(ev, (long)(hi - lo)))) {
        list->items = GK_ARENA_ARRAY(ev->a, gk__val, hi - lo);
        for (size_t r = lo; r < hi; r++) {
            if (scan && strcmp(l->rows[r].code, code.ptr) != 0)
                continue;
            gk__val *v = &list->items[list->n++];
            v->t = GK_V_ROW;
            v->u.row.l = l;
            v->u.row.r = r;
        }
    }
    gk_buf_release(&code);
    return st;
}

FN(cond)
{
    (void)ev;
    (void)argc;
    *out = gk__truthy(&argv[0]) ? argv[1] : argv[2];
    return GK_OK;
}

static const char *catalog_any(const char *code)
{
    const char *n = gk_catalog_name(GK_CODE_FUNCTION, code);
    return n ? n : gk_catalog_name(GK_CODE_ECONOMIC, code);
}

static gk_status code_arg(gk__ev *ev, const gk__val *v, gk_buf *code)
{
    if (v->t == GK_V_STR) {
        gk_buf_put(code, v->u.str.s, v->u.str.n);
        return GK_OK;
    }
    if (v->t == GK_V_INT) {
        gk_buf_printf(code, "%lld", (long long)v->u.i);
        return GK_OK;
    }
    if (v->t == GK_V_ROW) {
        gk_buf_puts(code, v->u.row.l->rows[v->u.row.r].code);
        return GK_OK;
    }
    return gk__eval_fail(ev, GK_ERR_EXPR,
                         GK_TR("类型不符：科目编码是%s", "type mismatch: the code is a %s"),
                         gk__vtype_name(v->t));
}

FN(subject)
{
    (void)argc;
    if (argv[0].t == GK_V_NULL) {
        out->t = GK_V_NULL;
        return GK_OK;
    }
    gk_buf code = GK_BUF_INIT;
    gk_status st = code_arg(ev, &argv[0], &code);
    if (!st) {
        const char *n = catalog_any(code.ptr);
        if (n)
            *out = gk__str(ev, n, strlen(n));
        else
            out->t = GK_V_NULL;
    }
    gk_buf_release(&code);
    return st;
}

FN(subject_path)
{
    (void)argc;
    gk_buf code = GK_BUF_INIT;
    gk_status st = code_arg(ev, &argv[0], &code);
    if (st) {
        gk_buf_release(&code);
        return st;
    }
    static const char *const suffix[] = {"（类）", "（款）", "（项）"};
    static const size_t cut[] = {3, 5, 7};
    const gk_ledger *l = argv[0].t == GK_V_ROW ? argv[0].u.row.l : NULL;
    gk_buf b = GK_BUF_INIT;
    for (int k = 0; k < 3 && cut[k] <= code.len; k++) {
        char pre[8];
        memcpy(pre, code.ptr, cut[k]);
        pre[cut[k]] = '\0';
        const char *name = NULL;
        if (l) { /* the ledger's own name first (binary search when in order) */
            size_t lo, hi;
            bool scan;
            if ((st = code_range(ev, l, pre, &lo, &hi, &scan)))
                return gk_buf_release(&b), gk_buf_release(&code), st;
            for (size_t r = lo; r < hi && !name; r++)
                if (strcmp(l->rows[r].code, pre) == 0 && l->rows[r].name[0])
                    name = l->rows[r].name;
        }
        if (!name)
            name = l ? gk_catalog_name(l->scheme, pre) : catalog_any(pre);
        if (!name)
            return gk_buf_release(&b), gk_buf_release(&code),
                   gk__eval_fail(ev, GK_ERR_EXPR,
                                 GK_TR("科目编码 %s 不在科目目录中", "code %s is not in the catalog"),
                                 pre);
        gk_buf_puts(&b, name);
        gk_buf_puts(&b, suffix[k]);
    }
    gk_buf_release(&code);
    *out = buf_val(ev, &b);
    return GK_OK;
}

void gk__cn_numeral(int64_t n, gk_buf *b)
{
    static const char *const dig[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const unit[] = {"", "十", "百", "千"};
    static const char *const big[] = {"", "万", "亿", "万亿"};
    if (n == 0) {
        gk_buf_puts(b, dig[0]);
        return;
    }
    uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    if (n < 0)
        gk_buf_puts(b, "负");
    int groups[6], ng = 0;
    while (u && ng < 6) {
        groups[ng++] = (int)(u % 10000);
        u /= 10000;
    }
    if (u) { /* beyond 10^24: digits */
        gk_buf_printf(b, "%lld", (long long)n);
        return;
    }
    bool printed = false, zero = false;
    for (int g = ng - 1; g >= 0; g--) {
        int v = groups[g];
        if (v == 0) {
            if (printed)
                zero = true;
            continue;
        }
        if (printed && v < 1000)
            zero = true;
        int p10[] = {1, 10, 100, 1000};
        for (int pos = 3; pos >= 0; pos--) {
            int d = v / p10[pos] % 10;
            if (d == 0) {
                if (printed)
                    zero = true;
                continue;
            }
            if (zero) {
                gk_buf_puts(b, dig[0]);
                zero = false;
            }
            if (!(d == 1 && pos == 1 && !printed))
                gk_buf_puts(b, dig[d]);
            gk_buf_puts(b, unit[pos]);
            printed = true;
        }
        gk_buf_puts(b, g < 4 ? big[g] : "");
        zero = false;
    }
}

void gk__ordinal(int64_t n, const char *style, gk_buf *b)
{
    const char *p = style;
    bool done = false;
    while (*p) {
        if (!done && strncmp(p, "一", strlen("一")) == 0) {
            gk__cn_numeral(n, b);
            p += strlen("一");
            done = true;
        } else if (!done && *p == '1') {
            gk_buf_printf(b, "%lld", (long long)n);
            p++;
            done = true;
        } else {
            gk_buf_putc(b, *p++);
        }
    }
}

FN(cn)
{
    (void)argc;
    int64_t n;
    gk_status st = gk__to_int(ev, &argv[0], GK_TR("参数", "the argument"), &n);
    if (st)
        return st;
    gk_buf b = GK_BUF_INIT;
    gk__cn_numeral(n, &b);
    *out = buf_val(ev, &b);
    return GK_OK;
}

FN(ordinal)
{
    (void)argc;
    int64_t n;
    gk_status st = gk__to_int(ev, &argv[0], GK_TR("序号", "the number"), &n);
    if (st)
        return st;
    if (argv[1].t != GK_V_STR)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("ordinal 的第二个参数应为样式字符串，如 '（一）'",
                                   "the second argument of ordinal must be a style such as '（一）'"));
    const char *s = argv[1].u.str.s;
    if (!strstr(s, "一") && !strchr(s, '1'))
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("编号样式“%s”中应有“一”或“1”",
                                   "numbering style '%s' must contain 一 or 1"),
                             s);
    gk_buf b = GK_BUF_INIT;
    gk__ordinal(n, s, &b);
    *out = buf_val(ev, &b);
    return GK_OK;
}

FN(date)
{
    (void)argc;
    if (argv[0].t == GK_V_NULL) {
        out->t = GK_V_NULL;
        return GK_OK;
    }
    if (argv[0].t != GK_V_STR || argv[1].t != GK_V_STR)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("date 的参数应为字符串", "the arguments of date must be strings"));
    int y, m, d;
    char tail;
    if (argv[0].u.str.n != 10 ||
        sscanf(argv[0].u.str.s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("日期“%s”不是 YYYY-MM-DD", "date '%s' is not YYYY-MM-DD"),
                             argv[0].u.str.s);
    gk_buf b = GK_BUF_INIT;
    for (const char *p = argv[1].u.str.s; *p;) {
        if (strncmp(p, "YYYY", 4) == 0) { gk_buf_printf(&b, "%04d", y); p += 4; }
        else if (*p == 'Y') { gk_buf_printf(&b, "%d", y); p++; }
        else if (strncmp(p, "MM", 2) == 0) { gk_buf_printf(&b, "%02d", m); p += 2; }
        else if (*p == 'M') { gk_buf_printf(&b, "%d", m); p++; }
        else if (strncmp(p, "DD", 2) == 0) { gk_buf_printf(&b, "%02d", d); p += 2; }
        else if (*p == 'D') { gk_buf_printf(&b, "%d", d); p++; }
        else gk_buf_putc(&b, *p++);
    }
    *out = buf_val(ev, &b);
    return GK_OK;
}

FN(default)
{
    (void)ev;
    (void)argc;
    *out = argv[0].t == GK_V_NULL ? argv[1] : argv[0];
    return GK_OK;
}

FN(exists)
{
    (void)ev;
    (void)argc;
    *out = mk_bool(argv[0].t != GK_V_NULL);
    return GK_OK;
}

FN(str)
{
    (void)argc;
    gk_buf b = GK_BUF_INIT;
    gk_status st = gk__to_text(ev, &argv[0], true, &b);
    if (st) {
        gk_buf_release(&b);
        return st;
    }
    *out = buf_val(ev, &b);
    return GK_OK;
}

static const gk__fn functions[] = {
    {"money", 1, 3, fn_money},
    {"yuan", 1, 3, fn_yuan},
    {"wan", 1, 3, fn_wan},
    {"pct", 2, 3, fn_pct},
    {"change", 2, 2, fn_change},
    {"cmp", 2, 2, fn_cmp},
    {"abs", 1, 1, fn_abs},
    {"min", 2, 2, fn_min},
    {"max", 2, 2, fn_max},
    {"sum", 1, 2, fn_sum},
    {"count", 1, 1, fn_count},
    {"len", 1, 1, fn_len},
    {"rows", 1, 2, fn_rows},
    {"ledger_total", 1, 2, fn_ledger_total},
    {"nonzero", 2, -1, fn_nonzero},
    {"lookup", 2, 2, fn_lookup},
    {"lookup_all", 2, 2, fn_lookup_all},
    {"cond", 3, 3, fn_cond},
    {"subject", 1, 1, fn_subject},
    {"subject_path", 1, 1, fn_subject_path},
    {"cn", 1, 1, fn_cn},
    {"ordinal", 2, 2, fn_ordinal},
    {"date", 2, 2, fn_date},
    {"default", 2, 2, fn_default},
    {"exists", 1, 1, fn_exists},
    {"str", 1, 1, fn_str},
};

int gk__fn_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (strlen(functions[i].name) == len && memcmp(functions[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

const gk__fn *gk__fn_at(int i)
{
    return &functions[i];
}
