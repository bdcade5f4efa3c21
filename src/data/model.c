/* The report model: load a data file (docs/DATA.md), type-check what the
 * program knows of it, parse every amount exactly, and turn each
 * `tables.<id>` into a ledger.  See include/gongkai/data.h. */
#include <stdlib.h>
#include <string.h>

#include "data/data_private.h"

/* ------------------------------------------------------------------ */
/* Labels                                                              */

typedef struct label {
    const char *ledger; /* NULL = any ledger */
    const char *col, *zh, *en;
} label;

static const label col_labels[] = {
    { "income", "fiscal", "财政拨款收入", "fiscal appropriation income" },
    { "income", "operating", "经营收入", "operating income" },
    { "income", "total", "本年收入合计", "total income of the year" },
    { "income", "other", "其他收入", "other income" },
    { "income", "carry_over", "上年结转", "carried over from last year" },
    { "gov_fund", "income", "本年收入", "income of the year" },
    { "gov_fund", "total", "本年支出合计", "total expenditure of the year" },
    { NULL, "superior", "上级补助收入", "subsidy from the superior" },
    { NULL, "business", "事业收入", "business income" },
    { NULL, "affiliated", "附属单位上缴收入", "income from affiliated units" },
    { NULL, "fiscal_general", "一般公共预算拨款收入", "general public budget appropriation" },
    { NULL, "fiscal_fund", "政府性基金预算拨款收入", "government fund appropriation" },
    { NULL, "fiscal_capital", "国有资本经营预算拨款收入", "state capital appropriation" },
    { NULL, "special_account", "财政专户管理资金", "special fiscal account funds" },
    { NULL, "basic", "基本支出", "basic expenditure" },
    { NULL, "project", "项目支出", "project expenditure" },
    { NULL, "to_superior", "上缴上级支出", "paid to the superior" },
    { NULL, "operating", "经营支出", "operating expenditure" },
    { NULL, "to_affiliated", "对附属单位补助支出", "subsidies to affiliated units" },
    { NULL, "basic_personnel", "基本支出（人员经费）", "basic expenditure (personnel)" },
    { NULL, "basic_public", "基本支出（公用经费）", "basic expenditure (public)" },
    { NULL, "personnel", "人员经费", "personnel expenditure" },
    { NULL, "public", "公用经费", "public expenditure" },
    { NULL, "budget", "年初预算数", "initial budget" },
    { NULL, "previous", "上年数", "last year" },
    { NULL, "carry_begin", "年初结转和结余", "balance at the start of the year" },
    { NULL, "carry_end", "年末结转和结余", "balance at the end of the year" },
    { NULL, "amount", "金额", "amount" },
    { NULL, "total", "合计", "total" },
};

const char *gk__col_label(const char *ledger_id, const char *col)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof col_labels / sizeof col_labels[0]; i++) {
            const label *l = &col_labels[i];
            if (strcmp(l->col, col) != 0)
                continue;
            if (pass == 0 ? (l->ledger && ledger_id && strcmp(l->ledger, ledger_id) == 0)
                          : l->ledger == NULL)
                return GK_TR(l->zh, l->en);
        }
    return col;
}

typedef struct ledger_label {
    gk_kind kind;
    const char *id, *zh, *en;
} ledger_label;

static const ledger_label ledger_labels[] = {
    { GK_KIND_JUESUAN, "income", "收入决算表", "income table" },
    { GK_KIND_JUESUAN, "expenditure", "支出决算表", "expenditure table" },
    { GK_KIND_JUESUAN, "general", "一般公共预算财政拨款支出决算表", "general public budget expenditure table" },
    { GK_KIND_JUESUAN, "general_basic", "一般公共预算财政拨款基本支出决算表", "general public budget basic expenditure table" },
    { GK_KIND_JUESUAN, "gov_fund", "政府性基金预算财政拨款收入支出决算表", "government fund table" },
    { GK_KIND_JUESUAN, "state_capital", "国有资本经营预算财政拨款支出决算表", "state capital table" },
    { GK_KIND_YUSUAN, "income", "部门收入总体情况表", "income table" },
    { GK_KIND_YUSUAN, "expenditure", "部门支出总体情况表", "expenditure table" },
    { GK_KIND_YUSUAN, "projects", "项目支出表", "project expenditure table" },
    { GK_KIND_YUSUAN, "procurement", "政府采购预算明细表", "procurement table" },
    { GK_KIND_YUSUAN, "general", "一般公共预算财政拨款支出表", "general public budget expenditure table" },
    { GK_KIND_YUSUAN, "general_basic", "一般公共预算财政拨款基本支出表", "general public budget basic expenditure table" },
    { GK_KIND_YUSUAN, "gov_fund", "政府性基金预算财政拨款支出表", "government fund table" },
    { GK_KIND_YUSUAN, "state_capital", "国有资本经营预算财政拨款支出表", "state capital table" },
    { GK_KIND_YUSUAN, "purchased_services", "政府购买服务预算财政拨款明细表", "purchased services table" },
    { GK_KIND_YUSUAN, "transfers", "上级转移支付细化明细表", "transfers table" },
};

const char *gk__ledger_label(const gk_model *m, const char *id)
{
    for (size_t i = 0; i < sizeof ledger_labels / sizeof ledger_labels[0]; i++)
        if (ledger_labels[i].kind == m->kind && strcmp(ledger_labels[i].id, id) == 0)
            return GK_TR(ledger_labels[i].zh, ledger_labels[i].en);
    return id;
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */

void gk__diag(gk_diags *d, gk_severity sev, gk_status st, const gk_model *m,
              const gk_json *node, const char *key, const char *fmt, ...)
{
    if (!d)
        return;
    if (d->len >= (d->max ? d->max : 200)) {
        /* Past the cap: counted only (as gk_diags_add does), so that
         * hostile input with 10^5 problems costs no formatting. */
        if (sev == GK_SEV_ERROR)
            d->errors++;
        else
            d->warnings++;
        d->dropped++;
        return;
    }
    gk_buf path = GK_BUF_INIT, msg = GK_BUF_INIT;
    if (node)
        gk_json_path(node, &path);
    else
        gk_buf_putc(&path, '$');
    if (key)
        gk_buf_printf(&path, ".%s", key);
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    gk_error e;
    gk_error_set(&e, st, m ? m->file : NULL, 0, 0, path.ptr, "%s", msg.ptr);
    gk_diags_add(d, sev, &e);
    gk_buf_release(&path);
    gk_buf_release(&msg);
}

void gk__fmt_amount(const gk_model *m, gk_fen v, gk_buf *b)
{
    int maxdec = gk_unit_max_decimals(m->unit);
    int dec = m->decimals;
    /* Show more decimals only when the exact value has them. */
    while (dec < maxdec) {
        int64_t step = 1;
        for (int k = 0; k < maxdec - dec; k++)
            step *= 10;
        if (v % step == 0)
            break;
        dec++;
    }
    gk_money_format(b, v, m->unit, dec, false);
}

/* ------------------------------------------------------------------ */
/* Amounts                                                             */

bool gk__looks_numeric(const char *s, size_t len)
{
    if (len == 0)
        return false;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    const char *w = s + i;
    size_t n = len - i;
    if ((n == 3 && (strncmp(w, "NaN", 3) == 0 || strncmp(w, "nan", 3) == 0 ||
                    strncmp(w, "Inf", 3) == 0 || strncmp(w, "inf", 3) == 0)) ||
        (n == 8 && (strncmp(w, "Infinity", 8) == 0 || strncmp(w, "infinity", 8) == 0)))
        return true;
    /* Shaped like a number: digits with '.' or ',' among them and an
     * optional exponent ("12.5", "1e5", "1,234.00"); not "2022-12-31". */
    size_t k = i;
    bool digit = false;
    while (k < len && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == ',')) {
        digit |= s[k] >= '0' && s[k] <= '9';
        k++;
    }
    if (!digit)
        return false;
    if (k < len && (s[k] == 'e' || s[k] == 'E')) {
        k++;
        if (k < len && (s[k] == '+' || s[k] == '-'))
            k++;
        while (k < len && s[k] >= '0' && s[k] <= '9')
            k++;
    }
    return k == len;
}

/* Quote at most 40 bytes of s, cut on a character boundary. */
static void put_short(gk_buf *b, const char *s, size_t len)
{
    if (len <= 40) {
        gk_buf_put(b, s, len);
        return;
    }
    size_t n = 40;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    gk_buf_put(b, s, n);
    gk_buf_puts(b, "…");
}

static bool parse_amount(const gk_model *m, const gk_json *node, gk_fen *out,
                         gk_diags *diags)
{
    if (!node)
        return false;
    if (node->type != GK_JSON_NUMBER && node->type != GK_JSON_STRING) {
        gk__diag(diags, GK_SEV_ERROR, GK_ERR_DATA, m, node, NULL,
                 GK_TR("应为金额（数字或数字字符串），实际是%s",
                       "expected an amount (a number or a numeric string), got %s"),
                 gk_json_type_name(node->type));
        return false;
    }
    gk_money_err e = gk_money_parse(node->text, node->text_len, m->unit, false, out);
    if (e == GK_MONEY_OK)
        return true;
    if (diags) {
        gk_buf q = GK_BUF_INIT;
        put_short(&q, node->text, node->text_len);
        if (e == GK_MONEY_PRECISION)
            gk__diag(diags, GK_SEV_ERROR, GK_ERR_DATA, m, node, NULL,
                     GK_TR("金额“%s”%s（单位%s最多 %d 位小数）",
                           "amount '%s' %s (%s allows at most %d decimals)"),
                     q.ptr, gk_money_strerror(e), gk_unit_name(m->unit),
                     gk_unit_max_decimals(m->unit));
        else if (e == GK_MONEY_EMPTY)
            gk__diag(diags, GK_SEV_ERROR, GK_ERR_DATA, m, node, NULL, "%s",
                     GK_TR("金额不能是空字符串", "an amount may not be an empty string"));
        else
            gk__diag(diags, GK_SEV_ERROR, GK_ERR_DATA, m, node, NULL,
                     GK_TR("金额“%s”%s", "amount '%s': %s"), q.ptr, gk_money_strerror(e));
        gk_buf_release(&q);
    }
    return false;
}

bool gk_model_amount(const gk_model *m, const gk_json *node, gk_fen *out,
                     gk_diags *diags)
{
    return parse_amount(m, node, out, diags);
}

/* ------------------------------------------------------------------ */
/* Type checks                                                         */

typedef struct ctx {
    gk_model *m;
    gk_diags *d;
    size_t errors;
} ctx;

#define ERR(c, node, key, ...)                                                     \
    do {                                                                           \
        (c)->errors++;                                                             \
        gk__diag((c)->d, GK_SEV_ERROR, GK_ERR_DATA, (c)->m, (node), (key), __VA_ARGS__); \
    } while (0)

static void want_type(ctx *c, const gk_json *n, gk_json_type t)
{
    ERR(c, n, NULL, GK_TR("应为%s，实际是%s", "expected %s, got %s"),
        gk_json_type_name(t), gk_json_type_name(n->type));
}

static const gk_json *get_typed(ctx *c, const gk_json *obj, const char *key,
                                gk_json_type t, bool required)
{
    const gk_json *v = gk_json_get(obj, key);
    if (!v) {
        if (required)
            ERR(c, obj, key, GK_TR("缺少必填项“%s”（%s）", "missing required '%s' (%s)"), key,
                gk_json_type_name(t));
        return NULL;
    }
    if (v->type != t) {
        want_type(c, v, t);
        return NULL;
    }
    return v;
}

/* A JSON integer within [lo, hi]; returns false (after an error) otherwise. */
static bool int_value(ctx *c, const gk_json *n, long long lo, long long hi, long long *out)
{
    if (n->type != GK_JSON_NUMBER) {
        want_type(c, n, GK_JSON_NUMBER);
        return false;
    }
    const char *s = n->text;
    size_t i = s[0] == '-' ? 1 : 0;
    long long v = 0;
    bool ok = n->text_len > i && n->text_len - i <= 15;
    for (size_t k = i; ok && k < n->text_len; k++) {
        if (s[k] < '0' || s[k] > '9')
            ok = false;
        else
            v = v * 10 + (s[k] - '0');
    }
    if (i)
        v = -v;
    if (!ok || v < lo || v > hi) {
        ERR(c, n, NULL, GK_TR("应为 %lld 到 %lld 之间的整数，实际是 %s",
                              "expected an integer from %lld to %lld, got %s"),
            lo, hi, n->text);
        return false;
    }
    *out = v;
    return true;
}

static void check_narrative(ctx *c, const gk_json *n)
{
    if (n->type == GK_JSON_STRING)
        return; /* one paragraph is accepted as a narrative of one */
    if (n->type != GK_JSON_ARRAY) {
        want_type(c, n, GK_JSON_ARRAY);
        return;
    }
    for (size_t i = 0; i < n->len; i++) {
        const gk_json *it = n->items[i];
        if (it->type == GK_JSON_STRING)
            continue;
        if (it->type != GK_JSON_OBJECT) {
            ERR(c, it, NULL, GK_TR("段落应为字符串或 {\"heading\": …, \"body\": […]}，实际是%s",
                                   "a paragraph is a string or {\"heading\": ..., \"body\": [...]}, got %s"),
                gk_json_type_name(it->type));
            continue;
        }
        const gk_json *h = gk_json_get(it, "heading");
        const gk_json *body = gk_json_get(it, "body");
        if (h && h->type != GK_JSON_STRING)
            want_type(c, h, GK_JSON_STRING);
        /* Other item kinds ({"table": …}) are the layout's business. */
        if (body)
            check_narrative(c, body);
        const gk_json *num = gk_json_get(it, "numbered");
        if (num && num->type != GK_JSON_BOOL)
            want_type(c, num, GK_JSON_BOOL);
    }
}

static void opt_string(ctx *c, const gk_json *obj, const char *key)
{
    const gk_json *v = gk_json_get(obj, key);
    if (v && v->type != GK_JSON_STRING)
        want_type(c, v, GK_JSON_STRING);
}

/* Keys whose values are counts (JSON integers), wherever they appear. */
static const char *const count_keys[] = {
    "abroad_groups", "abroad_people", "cars_purchased", "cars_owned",
    "reception_batches", "reception_people", "vehicles", "equipment_over_1m",
    "admin", "civil_servant_managed", "institution", "count", "projects_count",
    "project_count", "people", "staff", "score", NULL,
};

/* Keys whose values are text (strings or narratives), wherever they appear. */
static const char *const text_keys[] = {
    "code", "name", "reason", "reasons", "note", "notes", "remark",
    "unit", "unit_name", "unit_code", "type", "category", "method", "content",
    "target", "indicator", "description", "label", "title", "kind", "level",
    "id", "comment", "text", "heading", "body", "empty_note", "department",
    "purpose", "basis", "goal", "result", "vendor", "item", "term",
    "definition", "econ", "gov_econ", "econ_name", "gov_econ_name", "func",
    "func_name", "unit_type", "phone", "manager", "op", "value", "direction",
    "activity", "field", "catalog1", "catalog2", "catalog3", "level1",
    "level2", "level3", "as_of", "date", "scheme", NULL,
};

/* Keys that always hold amounts: a string there must be a valid amount.
 * ("project" is not one: it is 项目支出 in some tables, 项目名称 in others.) */
static const char *const amount_keys[] = {
    "fiscal", "superior", "business", "operating", "affiliated", "other",
    "basic", "to_superior", "to_affiliated", "budget", "carry_begin",
    "carry_end", "amount", "personnel", "public", "basic_personnel",
    "basic_public", "fiscal_general", "fiscal_fund", "fiscal_capital",
    "special_account", "carry_over", "total", "grand_total", "income_total",
    "expenditure_total", "fiscal_total", "general_total", "goods", "works",
    "services", "sme", "small_micro", "abroad", "car_purchase", "car_operation",
    "reception", "car", "unused_nonfiscal_balance", "distribution", "general",
    "fund", "capital", "fixed_total", "vehicle_value", NULL,
};

static bool in_list(const char *const *list, const char *k)
{
    for (; *list; list++)
        if (strcmp(*list, k) == 0)
            return true;
    return false;
}

/* Text keys, plus any "*_code" / "econ" style key: codes are text even
 * when they are all digits ("econ": "30101"). */
static bool is_text_key(const char *k)
{
    size_t n = strlen(k);
    return in_list(text_keys, k) || (n >= 4 && strcmp(k + n - 4, "code") == 0) ||
           (n >= 5 && strcmp(k + n - 5, "_name") == 0) || strcmp(k, "economic") == 0 ||
           strcmp(k, "function") == 0;
}

static void check_pct_object(ctx *c, const gk_json *n)
{
    if (n->type != GK_JSON_OBJECT) {
        want_type(c, n, GK_JSON_OBJECT);
        return;
    }
    for (size_t i = 0; i < n->len; i++) {
        const gk_json *v = n->members[i].value;
        if (v->type != GK_JSON_STRING && v->type != GK_JSON_NUMBER) {
            ERR(c, v, NULL, GK_TR("百分比应为字符串（如 \"69.80\"），实际是%s",
                                  "a percentage is a string such as \"69.80\", got %s"),
                gk_json_type_name(v->type));
            continue;
        }
        gk_fen tmp;
        gk_money_err e = gk_money_parse(v->text, v->text_len, GK_UNIT_WAN, false, &tmp);
        if (e != GK_MONEY_OK)
            ERR(c, v, NULL, GK_TR("百分比“%s”%s", "percentage '%s': %s"), v->text,
                gk_money_strerror(e));
    }
}

/* An object of amounts, counts, text and nested such objects: what the
 * summary, fiscal, three_public, previous and other sections hold. */
static void check_amounts(ctx *c, const gk_json *n, int depth)
{
    if (n->type != GK_JSON_OBJECT) {
        want_type(c, n, GK_JSON_OBJECT);
        return;
    }
    for (size_t i = 0; i < n->len; i++) {
        const char *k = n->members[i].key;
        const gk_json *v = n->members[i].value;
        if (strcmp(k, "stated_pct") == 0) {
            check_pct_object(c, v);
        } else if (in_list(count_keys, k)) {
            long long x;
            int_value(c, v, 0, 1000000000000LL, &x);
        } else if (is_text_key(k)) {
            if (v->type == GK_JSON_OBJECT) {
                for (size_t j = 0; j < v->len; j++)
                    if (v->members[j].value->type != GK_JSON_STRING)
                        check_narrative(c, v->members[j].value);
            } else if (v->type != GK_JSON_STRING) {
                check_narrative(c, v);
            }
        } else if (v->type == GK_JSON_NUMBER ||
                   (v->type == GK_JSON_BOOL && in_list(amount_keys, k)) ||
                   (v->type == GK_JSON_STRING &&
                    (in_list(amount_keys, k) || gk__looks_numeric(v->text, v->text_len)))) {
            gk_fen f;
            if (!parse_amount(c->m, v, &f, c->d))
                c->errors++;
        } else if (v->type == GK_JSON_OBJECT && depth < 8) {
            check_amounts(c, v, depth + 1);
        }
    }
}

static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int mo = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static void check_department(ctx *c, const gk_json *dep)
{
    const gk_json *name = get_typed(c, dep, "name", GK_JSON_STRING, true);
    if (name && name->text_len == 0)
        ERR(c, name, NULL, "%s", GK_TR("部门名称不能为空", "the department name is empty"));
    opt_string(c, dep, "short_name");
    opt_string(c, dep, "region");
    opt_string(c, dep, "title_name");
    opt_string(c, dep, "code");
    const gk_json *ov = gk_json_get(dep, "overview");
    if (ov)
        check_narrative(c, ov);
    const gk_json *units = gk_json_get(dep, "units");
    if (units) {
        if (units->type != GK_JSON_ARRAY) {
            want_type(c, units, GK_JSON_ARRAY);
        } else {
            for (size_t i = 0; i < units->len; i++) {
                const gk_json *u = units->items[i];
                if (u->type != GK_JSON_OBJECT) {
                    want_type(c, u, GK_JSON_OBJECT);
                    continue;
                }
                get_typed(c, u, "name", GK_JSON_STRING, true);
                opt_string(c, u, "type");
            }
        }
    }
    const gk_json *uc = gk_json_get(dep, "unit_counts");
    if (uc) {
        if (uc->type != GK_JSON_OBJECT) {
            want_type(c, uc, GK_JSON_OBJECT);
        } else {
            for (size_t i = 0; i < uc->len; i++) {
                long long x;
                int_value(c, uc->members[i].value, 0, 1000000, &x);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Ledgers                                                             */

typedef struct raw_row {
    const gk_json *node;
    const char *code; /* "" when absent */
    const char *name; /* NULL when absent */
    int level;
    size_t index;     /* input order */
    gk_fen *values;
    bool *stated;
} raw_row;

static int col_index(const char **cols, int ncols, const char *k)
{
    for (int i = 0; i < ncols; i++)
        if (strcmp(cols[i], k) == 0)
            return i;
    return -1;
}

int gk_ledger_col(const gk_ledger *l, const char *key)
{
    if (!l || !key)
        return -1;
    return col_index(l->cols, l->ncols, key);
}

/* Is member (k, v) of a row an amount column?  Numbers are (except
 * counts); strings are when the key is a known amount column (so "" or
 * "abc" there is refused) or when the text is shaped like a number. */
static bool is_amount_member(const char *k, const gk_json *v)
{
    if (strcmp(k, "code") == 0 || strcmp(k, "name") == 0 || strcmp(k, "stated_pct") == 0)
        return false;
    if (v->type == GK_JSON_NUMBER)
        return !in_list(count_keys, k);
    if (v->type == GK_JSON_BOOL)
        return in_list(amount_keys, k); /* refused as an amount */
    if (v->type == GK_JSON_STRING)
        return in_list(amount_keys, k) ||
               (!is_text_key(k) && gk__looks_numeric(v->text, v->text_len));
    return false;
}

static int raw_cmp(const void *a, const void *b)
{
    const raw_row *x = a, *y = b;
    /* Rows with a code first, in code order (a prefix sorts before its
     * extensions, so parents come first); then rows without, in input
     * order. */
    bool xc = x->code[0] != '\0', yc = y->code[0] != '\0';
    if (xc != yc)
        return xc ? -1 : 1;
    int r = xc ? strcmp(x->code, y->code) : 0;
    if (r)
        return r;
    return x->index < y->index ? -1 : x->index > y->index;
}

typedef struct colset {
    const char **cols;
    int n, cap;
} colset;

#define MAX_COLS 256

static void colset_add(colset *cs, const char *k)
{
    if (cs->n > MAX_COLS || col_index(cs->cols, cs->n, k) >= 0)
        return; /* past the limit: reported once, not searched */
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 8;
        cs->cols = gk_xrealloc(cs->cols, (size_t)cs->cap * sizeof(*cs->cols));
    }
    cs->cols[cs->n++] = k;
}

static bool add_into(ctx *c, const gk_json *where, gk_fen *acc, gk_fen v)
{
    if (gk_add_ok(*acc, v, acc))
        return true;
    ERR(c, where, NULL, "%s", GK_TR("合计超出可表示的范围", "the sum is too large to represent"));
    return false;
}

/* Find the first row (in sorted rr[0..n)) whose code equals code. */
static raw_row *find_code(raw_row *rr, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = rr[mid].code[0] ? strcmp(rr[mid].code, code) : 1;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && rr[lo].code[0] && strcmp(rr[lo].code, code) == 0 ? &rr[lo] : NULL;
}

static const char *const detail_keys[] = { "econ", "gov_econ", "project" };

static const char *detail_text(const raw_row *r, size_t k)
{
    const gk_json *v = r->node ? gk_json_get(r->node, detail_keys[k]) : NULL;
    return v && v->type == GK_JSON_STRING ? v->text : "";
}

static int detail_cmp(const void *a, const void *b)
{
    const raw_row *x = *(const raw_row *const *)a, *y = *(const raw_row *const *)b;
    for (size_t k = 0; k < 3; k++) {
        int r = strcmp(detail_text(x, k), detail_text(y, k));
        if (r)
            return r;
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

static void check_repeated_rows(ctx *c, raw_row *rr, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && rr[i].code[0] && strcmp(rr[j].code, rr[i].code) == 0)
            j++;
        if (j - i > 1 && rr[i].node) {
            /* Sort a copy of the run by its detail fields: O(k log k). */
            size_t k = j - i;
            const raw_row **v = gk_xmalloc(k * sizeof(*v));
            for (size_t t = 0; t < k; t++)
                v[t] = &rr[i + t];
            qsort(v, k, sizeof(*v), detail_cmp);
            for (size_t t = 1; t < k; t++) {
                bool same = true;
                for (size_t f = 0; f < 3 && same; f++)
                    same = strcmp(detail_text(v[t], f), detail_text(v[t - 1], f)) == 0;
                if (same)
                    ERR(c, v[t]->node, NULL,
                        GK_TR("这一行重复了 rows[%zu]：科目编码“%s”相同，econ、gov_econ、project 也都相同（明细行要靠它们区分）",
                              "this row repeats rows[%zu]: same code '%s' and the same econ, gov_econ and project (detail lines are told apart by them)"),
                        v[t - 1]->index, v[t]->code);
            }
            free(v);
        }
        i = j;
    }
}

static void build_ledger(ctx *c, const char *id, const gk_json *tnode, gk_ledger *L,
                         size_t max_rows)
{
    gk_model *m = c->m;
    gk_arena *a = &m->arena;
    memset(L, 0, sizeof(*L));
    L->id = id;
    L->node = tnode;
    if (tnode->type != GK_JSON_OBJECT) {
        ERR(c, tnode, NULL, GK_TR("表应为 {\"rows\": […], \"total\": {…}}，实际是%s",
                                  "a table is {\"rows\": [...], \"total\": {...}}, got %s"),
            gk_json_type_name(tnode->type));
        return;
    }
    const gk_json *rows = gk_json_get(tnode, "rows");
    const gk_json *total = gk_json_get(tnode, "total");
    if (!rows) {
        ERR(c, tnode, "rows", "%s", GK_TR("缺少“rows”（表的各行）", "missing 'rows' (the table's rows)"));
        return;
    }
    if (rows->type != GK_JSON_ARRAY) {
        want_type(c, rows, GK_JSON_ARRAY);
        return;
    }
    if (total && total->type != GK_JSON_OBJECT) {
        want_type(c, total, GK_JSON_OBJECT);
        total = NULL;
    }
    const gk_json *sp = gk_json_get(tnode, "stated_pct");
    if (sp)
        check_pct_object(c, sp);
    /* Scheme: "scheme" when given; else economic for general_basic unless
     * its rows carry 7-digit (function) codes; else function. */
    L->scheme = GK_CODE_FUNCTION;
    const gk_json *sch = gk_json_get(tnode, "scheme");
    if (sch) {
        if (sch->type == GK_JSON_STRING && strcmp(sch->text, "economic") == 0)
            L->scheme = GK_CODE_ECONOMIC;
        else if (!(sch->type == GK_JSON_STRING && strcmp(sch->text, "function") == 0))
            ERR(c, sch, NULL, "%s", GK_TR("“scheme”应为 \"function\"（功能分类）或 \"economic\"（经济分类）",
                                          "'scheme' is \"function\" or \"economic\""));
    } else if (strcmp(id, "general_basic") == 0 && m->kind == GK_KIND_JUESUAN) {
        /* 公开06 lists 经济分类 类/款; 预算 表七 is function × economic
         * detail lines (DATA.md). */
        L->scheme = GK_CODE_ECONOMIC;
        for (size_t i = 0; i < rows->len; i++) {
            const gk_json *cd = gk_json_get(rows->items[i], "code");
            if (cd && cd->type == GK_JSON_STRING && cd->text_len == 7)
                L->scheme = GK_CODE_FUNCTION;
        }
    }
    if (rows->len > max_rows) {
        c->errors++;
        gk__diag(c->d, GK_SEV_ERROR, GK_ERR_LIMIT, m, rows, NULL,
                 GK_TR("表有 %zu 行，超过 %zu 行的上限", "the table has %zu rows, over the limit of %zu"),
                 rows->len, max_rows);
        return;
    }
    size_t errs0 = c->errors;
    /* Columns: amount members in first-seen order, then the total's. */
    colset cs = { 0 };
    bool any_code = false;
    for (size_t i = 0; i < rows->len; i++) {
        const gk_json *r = rows->items[i];
        if (r->type != GK_JSON_OBJECT) {
            ERR(c, r, NULL, GK_TR("表的一行应为对象，实际是%s", "a table row is an object, got %s"),
                gk_json_type_name(r->type));
            continue;
        }
        for (size_t k = 0; k < r->len; k++)
            if (is_amount_member(r->members[k].key, r->members[k].value))
                colset_add(&cs, r->members[k].key);
        const gk_json *code = gk_json_get(r, "code");
        if (code) {
            if (code->type != GK_JSON_STRING) {
                ERR(c, code, NULL, GK_TR("科目编码应为字符串（如 \"2010301\"），实际是%s",
                                         "a code is a string such as \"2010301\", got %s"),
                    gk_json_type_name(code->type));
            } else if (code->text_len == 0 || strspn(code->text, "0123456789") != code->text_len) {
                ERR(c, code, NULL, GK_TR("科目编码“%s”应只含数字", "code '%s' must be digits only"),
                    code->text);
            } else {
                any_code = true;
            }
        }
        const gk_json *name = gk_json_get(r, "name");
        if (name && name->type != GK_JSON_STRING)
            want_type(c, name, GK_JSON_STRING);
        const gk_json *rsp = gk_json_get(r, "stated_pct");
        if (rsp)
            check_pct_object(c, rsp);
    }
    if (total)
        for (size_t k = 0; k < total->len; k++)
            if (is_amount_member(total->members[k].key, total->members[k].value))
                colset_add(&cs, total->members[k].key);
    if (cs.n > MAX_COLS) {
        c->errors++;
        gk__diag(c->d, GK_SEV_ERROR, GK_ERR_LIMIT, m, tnode, NULL,
                 GK_TR("表有 %d 个金额列，超过 %d 列的上限", "the table has %d amount columns, over the limit of %d"),
                 cs.n, MAX_COLS);
    }
    if (c->errors != errs0) {
        free(cs.cols);
        return;
    }
    int nc = cs.n;
    L->ncols = nc;
    L->cols = GK_ARENA_ARRAY(a, const char *, nc ? (size_t)nc : 1);
    for (int i = 0; i < nc; i++)
        L->cols[i] = cs.cols[i];
    free(cs.cols);

    /* Parse rows. */
    size_t nraw = rows->len, cap = nraw * 3 + 4;
    raw_row *rr = gk_xcalloc(cap, sizeof(*rr));
    for (size_t i = 0; i < nraw; i++) {
        const gk_json *r = rows->items[i];
        raw_row *x = &rr[i];
        x->node = r;
        x->index = i;
        const gk_json *code = gk_json_get(r, "code");
        x->code = code ? code->text : "";
        const gk_json *name = gk_json_get(r, "name");
        x->name = name ? name->text : NULL;
        x->level = !any_code ? 1 : code ? gk_code_level(L->scheme, x->code) : 0;
        x->values = GK_ARENA_ARRAY(a, gk_fen, nc ? (size_t)nc : 1);
        x->stated = GK_ARENA_ARRAY(a, bool, nc ? (size_t)nc : 1);
        for (size_t k = 0; k < r->len; k++) {
            const char *key = r->members[k].key;
            const gk_json *v = r->members[k].value;
            if (!is_amount_member(key, v))
                continue;
            int ci = col_index(L->cols, nc, key);
            if (parse_amount(m, v, &x->values[ci], c->d))
                x->stated[ci] = true;
            else
                c->errors++;
        }
    }
    L->total = GK_ARENA_ARRAY(a, gk_fen, nc ? (size_t)nc : 1);
    L->total_stated = GK_ARENA_ARRAY(a, bool, nc ? (size_t)nc : 1);
    if (total)
        for (size_t k = 0; k < total->len; k++) {
            const char *key = total->members[k].key;
            const gk_json *v = total->members[k].value;
            if (!is_amount_member(key, v))
                continue;
            int ci = col_index(L->cols, nc, key);
            if (parse_amount(m, v, &L->total[ci], c->d))
                L->total_stated[ci] = true;
            else
                c->errors++;
        }
    if (c->errors != errs0) {
        free(rr);
        return;
    }

    size_t n = nraw;
    if (any_code) {
        qsort(rr, n, sizeof(*rr), raw_cmp);
        /* Derive missing 款 (from 项), then missing 类 (from 款). */
        for (int lvl = 3; lvl >= 2; lvl--) {
            size_t plen = lvl == 3 ? 5 : 3;
            size_t n0 = n;
            for (size_t i = 0; i < n0; i++) {
                if (rr[i].level != lvl)
                    continue;
                char pc[8];
                memcpy(pc, rr[i].code, plen);
                pc[plen] = '\0';
                if (find_code(rr, n0, pc))
                    continue;
                /* rr[0..n0) is sorted, so rows sharing a parent are
                 * adjacent: the last derived row is the only candidate. */
                if (n > n0 && strcmp(rr[n - 1].code, pc) == 0)
                    continue;
                raw_row *x = &rr[n++];
                x->code = gk_arena_strdup(a, pc);
                x->level = lvl - 1;
                x->index = SIZE_MAX;
                x->values = GK_ARENA_ARRAY(a, gk_fen, nc ? (size_t)nc : 1);
                x->stated = GK_ARENA_ARRAY(a, bool, nc ? (size_t)nc : 1);
            }
            qsort(rr, n, sizeof(*rr), raw_cmp);
        }
        /* A duplicated code that is also a parent is ambiguous. */
        for (size_t i = 0; i + 1 < n; i++) {
            if (!rr[i].code[0] || strcmp(rr[i].code, rr[i + 1].code) != 0 || rr[i].level == 0)
                continue;
            size_t cl = strlen(rr[i].code);
            size_t j = i + 1;
            while (j < n && strcmp(rr[j].code, rr[i].code) == 0)
                j++;
            if (j < n && strncmp(rr[j].code, rr[i].code, cl) == 0 && rr[j].level > rr[i].level) {
                ERR(c, rr[i + 1].node, "code",
                    GK_TR("科目编码“%s”重复（另见 rows[%zu]），而它还有下级科目，无法确定哪一行是上级",
                          "code '%s' is repeated (see rows[%zu]) and has children: which row is the parent?"),
                    rr[i].code, rr[i].index);
            }
            i = j - 1; /* the whole run at once */
        }
        /* Detail lines: rows sharing a code must differ in econ,
         * gov_econ or project; a row repeating another is an error. */
        check_repeated_rows(c, rr, n);
        /* Parent values: unstated columns are the sum of the children. */
        for (int lvl = 2; lvl >= 1; lvl--) {
            for (size_t i = 0; i < n; i++) {
                if (rr[i].level != lvl)
                    continue;
                size_t cl = strlen(rr[i].code);
                for (int ci = 0; ci < nc; ci++) {
                    if (rr[i].stated[ci])
                        continue;
                    gk_fen sum = 0;
                    for (size_t j = i + 1; j < n && strncmp(rr[j].code, rr[i].code, cl) == 0; j++)
                        if (rr[j].level == lvl + 1 && !add_into(c, rr[i].node ? rr[i].node : rows, &sum,
                                                                rr[j].values[ci]))
                            break;
                    rr[i].values[ci] = sum;
                }
            }
        }
    }
    /* Totals: stated, else the sum of the level-1 rows. */
    for (int ci = 0; ci < nc; ci++) {
        if (L->total_stated[ci])
            continue;
        gk_fen sum = 0;
        for (size_t i = 0; i < n; i++)
            if (rr[i].level == 1 && !add_into(c, rows, &sum, rr[i].values[ci]))
                break;
        L->total[ci] = sum;
    }
    L->nrows = n;
    L->rows = GK_ARENA_ARRAY(a, gk_ledger_row, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        gk_ledger_row *o = &L->rows[i];
        o->code = rr[i].code;
        const char *nm = rr[i].name;
        if (!nm && rr[i].code[0])
            nm = gk_catalog_name(L->scheme, rr[i].code);
        o->name = nm ? nm : "";
        o->level = rr[i].level;
        o->derived = rr[i].node == NULL;
        o->node = rr[i].node;
        o->values = rr[i].values;
        o->stated = rr[i].stated;
    }
    free(rr);
}

/* ------------------------------------------------------------------ */
/* Load                                                                */

static const gk_data_limits data_limits = { 64u << 20, 128, 1u << 20, 100000 };

static void check_top(ctx *c, const gk_json *root)
{
    gk_model *m = c->m;
    const gk_json *fmt = get_typed(c, root, "format", GK_JSON_STRING, true);
    if (fmt && strcmp(fmt->text, "gongkai-report/1") != 0)
        ERR(c, fmt, NULL, GK_TR("不认识的格式“%s”（应为 \"gongkai-report/1\"）",
                                "unknown format '%s' (expected \"gongkai-report/1\")"),
            fmt->text);
    const gk_json *kind = get_typed(c, root, "kind", GK_JSON_STRING, true);
    if (kind) {
        if (strcmp(kind->text, "决算") == 0)
            m->kind = GK_KIND_JUESUAN;
        else if (strcmp(kind->text, "预算") == 0)
            m->kind = GK_KIND_YUSUAN;
        else
            ERR(c, kind, NULL, GK_TR("报告种类“%s”无效（应为“决算”或“预算”）",
                                     "unknown kind '%s' (expected 决算 or 预算)"),
                kind->text);
    }
    const gk_json *year = gk_json_get(root, "year");
    long long y;
    if (!year)
        ERR(c, root, "year", "%s", GK_TR("缺少必填项“year”（报告年度，如 2023）",
                                         "missing required 'year' (the report year, e.g. 2023)"));
    else if (int_value(c, year, 1949, 9999, &y))
        m->year = (int)y;
    const gk_json *unit = get_typed(c, root, "unit", GK_JSON_STRING, true);
    if (unit && !gk_unit_parse(unit->text, &m->unit))
        ERR(c, unit, NULL, GK_TR("金额单位“%s”无效（应为“万元”或“元”）",
                                 "unknown unit '%s' (expected 万元 or 元)"),
            unit->text);
    m->decimals = 2;
    const gk_json *dec = gk_json_get(root, "decimals");
    long long dv;
    if (dec && int_value(c, dec, 0, 6, &dv))
        m->decimals = (int)dv;
    const gk_json *rounded = gk_json_get(root, "rounded");
    if (rounded) {
        if (rounded->type != GK_JSON_BOOL)
            want_type(c, rounded, GK_JSON_BOOL);
        else
            m->rounded = rounded->boolean;
    }
    const gk_json *date = gk_json_get(root, "date");
    if (date) {
        if (date->type != GK_JSON_STRING)
            want_type(c, date, GK_JSON_STRING);
        else if (!valid_date(date->text))
            ERR(c, date, NULL, GK_TR("日期“%s”应写作 YYYY-MM-DD", "date '%s' must be YYYY-MM-DD"),
                date->text);
    }
    const gk_json *dep = get_typed(c, root, "department", GK_JSON_OBJECT, true);
    if (dep)
        check_department(c, dep);
}

static void check_sections(ctx *c, const gk_json *root)
{
    static const char *const amount_sections[] = {
        "summary", "fiscal", "three_public", "previous", "operating_costs",
        "procurement", "assets", "purchased_services", NULL,
    };
    for (const char *const *s = amount_sections; *s; s++) {
        const gk_json *v = gk_json_get(root, *s);
        if (v)
            check_amounts(c, v, 0);
    }
    const gk_json *reasons = gk_json_get(root, "reasons");
    if (reasons) {
        if (reasons->type != GK_JSON_OBJECT)
            want_type(c, reasons, GK_JSON_OBJECT);
        else
            for (size_t i = 0; i < reasons->len; i++)
                if (reasons->members[i].value->type != GK_JSON_STRING)
                    check_narrative(c, reasons->members[i].value);
    }
    const gk_json *perf = gk_json_get(root, "performance");
    if (perf)
        check_narrative(c, perf);
    const gk_json *glo = gk_json_get(root, "glossary");
    if (glo) {
        if (glo->type != GK_JSON_ARRAY) {
            want_type(c, glo, GK_JSON_ARRAY);
        } else {
            for (size_t i = 0; i < glo->len; i++) {
                const gk_json *g = glo->items[i];
                if (g->type != GK_JSON_OBJECT) {
                    want_type(c, g, GK_JSON_OBJECT);
                    continue;
                }
                get_typed(c, g, "term", GK_JSON_STRING, true);
                get_typed(c, g, "definition", GK_JSON_STRING, true);
            }
        }
    }
    const gk_json *opt = gk_json_get(root, "options");
    if (opt) {
        if (opt->type != GK_JSON_OBJECT) {
            want_type(c, opt, GK_JSON_OBJECT);
        } else {
            const gk_json *dl = gk_json_get(opt, "detail_level");
            long long x;
            if (dl)
                int_value(c, dl, 1, 3, &x);
        }
    }
}

gk_model *gk_model_load_mem(const char *data, size_t len, const char *name,
                            gk_diags *diags)
{
    gk_json_limits jl = { data_limits.max_bytes, data_limits.max_depth,
                          data_limits.max_string, 1000000 };
    gk_error err;
    gk_error_clear(&err);
    if (!name)
        name = "-";
    gk_json_doc *doc = gk_json_parse(data, len, name, &jl, &err);
    if (!doc) {
        if (diags)
            gk_diags_add(diags, GK_SEV_ERROR, &err);
        return NULL;
    }
    gk_model *m = gk_xcalloc(1, sizeof(*m));
    gk_arena_init(&m->arena);
    m->doc = doc;
    m->file = gk_arena_strdup(&m->arena, name);
    m->root = gk_json_root(doc);
    m->decimals = 2;
    ctx c = { .m = m, .d = diags, .errors = 0 };
    const gk_json *root = m->root;
    if (root->type != GK_JSON_OBJECT) {
        ERR(&c, root, NULL, GK_TR("数据文件的顶层应为对象 {…}，实际是%s",
                                  "the data file must be an object {...}, got %s"),
            gk_json_type_name(root->type));
        gk_model_free(m);
        return NULL;
    }
    check_top(&c, root);
    check_sections(&c, root);
    const gk_json *tables = gk_json_get(root, "tables");
    if (tables && tables->type != GK_JSON_OBJECT) {
        want_type(&c, tables, GK_JSON_OBJECT);
        tables = NULL;
    }
    if (c.errors == 0 && tables) {
        m->ledgers = GK_ARENA_ARRAY(&m->arena, gk_ledger, tables->len ? tables->len : 1);
        for (size_t i = 0; i < tables->len; i++) {
            build_ledger(&c, tables->members[i].key, tables->members[i].value,
                         &m->ledgers[m->nledgers], data_limits.max_rows);
            m->nledgers++;
        }
    }
    if (c.errors) {
        gk_model_free(m);
        return NULL;
    }
    return m;
}

gk_model *gk_model_load(const char *path, gk_diags *diags)
{
    char *data = NULL;
    size_t len = 0;
    gk_error err;
    gk_error_clear(&err);
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (gk_read_file(path, data_limits.max_bytes, &data, &len, &err) != GK_OK) {
        if (strcmp(path, "-") == 0)
            memcpy(err.file, "<stdin>", sizeof "<stdin>");
        if (diags)
            gk_diags_add(diags, GK_SEV_ERROR, &err);
        return NULL;
    }
    gk_model *m = gk_model_load_mem(data, len, name, diags);
    free(data);
    return m;
}

void gk_model_free(gk_model *m)
{
    if (!m)
        return;
    gk_json_free(m->doc);
    gk_arena_release(&m->arena);
    free(m);
}

const char *gk_model_file(const gk_model *m) { return m->file; }
const gk_json *gk_model_root(const gk_model *m) { return m->root; }
gk_kind gk_model_kind(const gk_model *m) { return m->kind; }
int gk_model_year(const gk_model *m) { return m->year; }
gk_unit gk_model_unit(const gk_model *m) { return m->unit; }
int gk_model_decimals(const gk_model *m) { return m->decimals; }
bool gk_model_rounded(const gk_model *m) { return m->rounded; }
size_t gk_model_nledgers(const gk_model *m) { return m->nledgers; }

const gk_ledger *gk_model_ledger_at(const gk_model *m, size_t i)
{
    return i < m->nledgers ? &m->ledgers[i] : NULL;
}

const gk_ledger *gk_model_ledger(const gk_model *m, const char *id)
{
    for (size_t i = 0; i < m->nledgers; i++)
        if (strcmp(m->ledgers[i].id, id) == 0)
            return &m->ledgers[i];
    return NULL;
}
