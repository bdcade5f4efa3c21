/* gk_check: every identity of the report, in the domain's words.
 * See include/gongkai/data.h and docs/CHECK.md (the list).
 *
 * Identities are exact on the stored fen.  When the file says
 * "rounded": true, a gap of at most half a display unit per summand is
 * a 尾差 warning naming both sides; anything larger stays an error. */
#include <stdlib.h>
#include <string.h>

#include "data/data_private.h"

typedef struct chk {
    const gk_model *m;
    gk_diags *d;
    size_t errors;
} chk;

typedef struct term {
    const char *label;
    gk_fen v;
    bool minus; /* subtracted: printed "− label v" with v as given */
} term;

#define MAX_TERMS 16

static void diag(chk *k, gk_severity sev, const gk_json *at, const char *key,
                 const char *fmt, ...) GK_PRINTF(5, 6);
static void diag(chk *k, gk_severity sev, const gk_json *at, const char *key,
                 const char *fmt, ...)
{
    gk_buf b = GK_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (sev == GK_SEV_ERROR)
        k->errors++;
    gk__diag(k->d, sev, GK_ERR_CHECK, k->m, at, key, "%s", b.ptr);
    gk_buf_release(&b);
}

static const gk_json *or_node(const gk_json *a, const gk_json *b) { return a ? a : b; }

static void amt(chk *k, gk_buf *b, gk_fen v) { gk__fmt_amount(k->m, v, b); }

/* Half a display unit in fen (0 when the display shows every fen). */
static gk_fen half_unit(const gk_model *m)
{
    int maxdec = gk_unit_max_decimals(m->unit);
    if (m->decimals >= maxdec)
        return 0;
    gk_fen u = 1;
    for (int i = 0; i < maxdec - m->decimals; i++)
        u *= 10;
    return u / 2;
}

static gk_fen absdiff(gk_fen a, gk_fen b)
{
    __int128 d = (__int128)a - b;
    if (d < 0)
        d = -d;
    return d > INT64_MAX ? INT64_MAX : (gk_fen)d;
}

static gk_fen sum_terms(const term *t, int n)
{
    __int128 s = 0;
    for (int i = 0; i < n; i++)
        s += t[i].minus ? -(__int128)t[i].v : t[i].v;
    if (s > INT64_MAX)
        return INT64_MAX;
    if (s < -INT64_MAX)
        return -INT64_MAX;
    return (gk_fen)s;
}

/* "a 1.00 + b 2.00" (or "共 N 项" when long) */
static void put_terms(chk *k, gk_buf *b, const term *t, int n)
{
    int show = n <= 6 ? n : 5;
    for (int i = 0; i < show; i++) {
        if (t[i].minus)
            gk_buf_puts(b, i ? " − " : "− ");
        else if (i)
            gk_buf_puts(b, " + ");
        gk_buf_printf(b, "%s ", t[i].label);
        amt(k, b, t[i].v);
    }
    if (show < n)
        gk_buf_printf(b, GK_TR(" + …（共 %d 项）", " + ... (%d terms)"), n);
}

/* Compare `lhs` with the sum of terms: an error naming both sides and the
 * difference; a 尾差 warning when the file is rounded and the gap fits.
 * `sum_label`, when given, names the sum before its terms. */
static void expect_sum(chk *k, const gk_json *at, const char *key, const char *lhs_label,
                       gk_fen lhs, const term *t, int n, const char *sum_label)
{
    gk_fen rhs = sum_terms(t, n);
    if (lhs == rhs)
        return;
    gk_fen gap = absdiff(lhs, rhs);
    gk_fen tol = half_unit(k->m) * (n > 0 ? n : 1);
    bool tail = k->m->rounded && gap <= tol;
    gk_buf b = GK_BUF_INIT;
    if (tail)
        gk_buf_puts(&b, GK_TR("尾差：", "rounding difference: "));
    gk_buf_printf(&b, "%s ", lhs_label);
    amt(k, &b, lhs);
    gk_buf_puts(&b, " ≠ ");
    if (sum_label) {
        gk_buf_printf(&b, "%s ", sum_label);
        amt(k, &b, rhs);
        gk_buf_puts(&b, GK_TR("（", " ("));
        put_terms(k, &b, t, n);
        gk_buf_puts(&b, GK_TR("）", ")"));
    } else {
        put_terms(k, &b, t, n);
    }
    gk_buf_puts(&b, GK_TR("（差 ", " (difference "));
    amt(k, &b, gap);
    gk_buf_printf(&b, GK_TR(" %s）", " %s)"), gk_unit_name(k->m->unit));
    diag(k, tail ? GK_SEV_WARNING : GK_SEV_ERROR, at, key, "%s", b.ptr);
    gk_buf_release(&b);
}

static void expect_eq(chk *k, const gk_json *at, const char *key, const char *lhs_label,
                      gk_fen lhs, const char *rhs_label, gk_fen rhs)
{
    term t = { rhs_label, rhs, false };
    expect_sum(k, at, key, lhs_label, lhs, &t, 1, NULL);
}

/* lhs ≤ rhs, else an error in the domain's words. */
static void expect_le(chk *k, const gk_json *at, const char *key, const char *lhs_label,
                      gk_fen lhs, const char *rhs_label, gk_fen rhs)
{
    if (lhs <= rhs)
        return;
    gk_buf b = GK_BUF_INIT;
    gk_buf_printf(&b, "%s ", lhs_label);
    amt(k, &b, lhs);
    gk_buf_printf(&b, GK_TR(" 大于 %s ", " exceeds %s "), rhs_label);
    amt(k, &b, rhs);
    gk_buf_puts(&b, GK_TR("（多 ", " (by "));
    amt(k, &b, absdiff(lhs, rhs));
    gk_buf_printf(&b, GK_TR(" %s）", " %s)"), gk_unit_name(k->m->unit));
    diag(k, GK_SEV_ERROR, at, key, "%s", b.ptr);
    gk_buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* JSON helpers (amounts were validated by the loader)                 */

static bool get_amt(const chk *k, const gk_json *obj, const char *key, gk_fen *out)
{
    const gk_json *v = gk_json_get(obj, key);
    *out = 0;
    if (!v || (v->type != GK_JSON_NUMBER && v->type != GK_JSON_STRING))
        return false;
    return gk_model_amount(k->m, v, out, NULL);
}

static gk_fen amt0(const chk *k, const gk_json *obj, const char *key)
{
    gk_fen v;
    get_amt(k, obj, key, &v);
    return v;
}

/* A number, or the sum of an object's amount members. */
static gk_fen amount_or_sum(const chk *k, const gk_json *n)
{
    gk_fen v = 0;
    if (!n)
        return 0;
    if (n->type == GK_JSON_OBJECT) {
        __int128 s = 0;
        for (size_t i = 0; i < n->len; i++) {
            gk_fen x;
            const gk_json *m = n->members[i].value;
            if ((m->type == GK_JSON_NUMBER || m->type == GK_JSON_STRING) &&
                gk_model_amount(k->m, m, &x, NULL))
                s += x;
        }
        return s > INT64_MAX ? INT64_MAX : s < -INT64_MAX ? -INT64_MAX : (gk_fen)s;
    }
    if (n->type == GK_JSON_NUMBER || n->type == GK_JSON_STRING)
        gk_model_amount(k->m, n, &v, NULL);
    return v;
}

/* ------------------------------------------------------------------ */
/* Ledgers                                                             */

static bool nonpart_col(const char *ledger, const char *col)
{
    /* capital_construction (基建项目) is part of project in 预算 表六. */
    static const char *const always[] = { "total", "budget", "previous", "adjusted_budget",
                                          "budget_adjusted", "capital_construction", NULL };
    for (const char *const *p = always; *p; p++)
        if (strcmp(*p, col) == 0)
            return true;
    if (strcmp(ledger, "gov_fund") == 0)
        return strcmp(col, "carry_begin") == 0 || strcmp(col, "income") == 0 ||
               strcmp(col, "carry_end") == 0;
    return false;
}

static bool basic_col(const char *col)
{
    return strcmp(col, "basic") == 0 || strcmp(col, "personnel") == 0 ||
           strcmp(col, "public") == 0 || strcmp(col, "basic_personnel") == 0 ||
           strcmp(col, "basic_public") == 0;
}

/* Terms of the part columns of a value vector (labels from the ledger). */
static int part_terms(const gk_ledger *L, const gk_fen *v, term *t, int max)
{
    int n = 0;
    for (int c = 0; c < L->ncols && n < max; c++)
        if (!nonpart_col(L->id, L->cols[c]))
            t[n++] = (term){ gk__col_label(L->id, L->cols[c]), v[c], false };
    return n;
}

static gk_fen parts_sum(const gk_ledger *L, const gk_fen *v)
{
    term t[MAX_TERMS * 4];
    int n = part_terms(L, v, t, MAX_TERMS * 4);
    return sum_terms(t, n);
}

static gk_fen ledger_parts_total(const gk_ledger *L)
{
    return L ? parts_sum(L, L->total) : 0;
}

static gk_fen col_total(const gk_ledger *L, const char *col)
{
    int c = gk_ledger_col(L, col);
    return c >= 0 ? L->total[c] : 0;
}

static gk_fen ledger_basic_total(const gk_ledger *L)
{
    gk_fen s = 0;
    if (!L)
        return 0;
    for (int c = 0; c < L->ncols; c++)
        if (basic_col(L->cols[c]))
            s += L->total[c];
    return s;
}

/* The first row with this code (rows with codes are sorted, parents
 * first, rows without codes last). */
static const gk_ledger_row *find_row(const gk_ledger *L, const char *code)
{
    size_t lo = 0, hi = L->nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = L->rows[mid].code[0] ? strcmp(L->rows[mid].code, code) : 1;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < L->nrows && L->rows[lo].code[0] && strcmp(L->rows[lo].code, code) == 0 ? &L->rows[lo] : NULL;
}

static const gk_json *row_col_node(const gk_ledger_row *r, const char *col)
{
    return r->node ? gk_json_get(r->node, col) : NULL;
}

static void row_label(const gk_ledger_row *r, gk_buf *b)
{
    gk_buf_puts(b, r->code);
    if (r->name[0])
        gk_buf_printf(b, " %s", r->name);
}

static const char *level_word(int level)
{
    if (level == 1)
        return GK_TR("类", "class");
    if (level == 2)
        return GK_TR("款", "section");
    return GK_TR("项", "item");
}

/* 类 = Σ款, 款 = Σ项 on every stated value of a given parent. */
static void check_hierarchy(chk *k, const gk_ledger *L)
{
    for (size_t i = 0; i < L->nrows; i++) {
        const gk_ledger_row *P = &L->rows[i];
        if (P->derived || P->level < 1 || P->level > 2 || !P->code[0])
            continue;
        /* A repeated parent code has no children (the loader refuses
         * that), so a run of duplicates is skipped in O(1) each. */
        if (i + 1 < L->nrows && strcmp(L->rows[i + 1].code, P->code) == 0)
            continue;
        size_t cl = strlen(P->code);
        size_t first = i + 1, nchild = 0;
        for (size_t j = first; j < L->nrows && strncmp(L->rows[j].code, P->code, cl) == 0; j++)
            if (L->rows[j].level == P->level + 1)
                nchild++;
        if (nchild == 0)
            continue;
        term *t = gk_xcalloc(nchild, sizeof(*t));
        gk_buf *labels = gk_xcalloc(nchild, sizeof(*labels));
        for (int c = 0; c < L->ncols; c++) {
            if (!P->stated[c])
                continue;
            size_t n = 0;
            for (size_t j = first; j < L->nrows && strncmp(L->rows[j].code, P->code, cl) == 0; j++) {
                const gk_ledger_row *C = &L->rows[j];
                if (C->level != P->level + 1)
                    continue;
                gk_buf_clear(&labels[n]);
                row_label(C, &labels[n]);
                t[n] = (term){ labels[n].ptr, C->values[c], false };
                n++;
            }
            gk_buf lhs = GK_BUF_INIT, sl = GK_BUF_INIT;
            gk_buf_printf(&lhs, "%s ", level_word(P->level));
            row_label(P, &lhs);
            gk_buf_printf(&lhs, GK_TR(" 的%s", " %s"), gk__col_label(L->id, L->cols[c]));
            gk_buf_printf(&sl, GK_TR("其下各%s之和", "sum of its %ss"), level_word(P->level + 1));
            expect_sum(k, row_col_node(P, L->cols[c]), NULL, lhs.ptr, P->values[c], t, (int)n, sl.ptr);
            gk_buf_release(&lhs);
            gk_buf_release(&sl);
        }
        for (size_t j = 0; j < nchild; j++)
            gk_buf_release(&labels[j]);
        free(labels);
        free(t);
    }
}

/* The stated 合计 against the sum of the 类 rows (all rows when the table
 * has no codes). */
static void check_total(chk *k, const gk_ledger *L)
{
    const gk_json *tot = gk_json_get(L->node, "total");
    size_t n1 = 0;
    for (size_t i = 0; i < L->nrows; i++)
        if (L->rows[i].level == 1)
            n1++;
    term *t = gk_xcalloc(n1 ? n1 : 1, sizeof(*t));
    gk_buf *labels = gk_xcalloc(n1 ? n1 : 1, sizeof(*labels));
    bool coded = false;
    for (size_t i = 0; i < L->nrows; i++)
        if (L->rows[i].code[0])
            coded = true;
    for (int c = 0; c < L->ncols; c++) {
        if (!L->total_stated[c])
            continue;
        size_t n = 0;
        for (size_t i = 0; i < L->nrows; i++) {
            const gk_ledger_row *R = &L->rows[i];
            if (R->level != 1)
                continue;
            gk_buf_clear(&labels[n]);
            if (R->code[0])
                row_label(R, &labels[n]);
            else
                gk_buf_puts(&labels[n], R->name[0] ? R->name : "…");
            t[n] = (term){ labels[n].ptr, R->values[c], false };
            n++;
        }
        gk_buf lhs = GK_BUF_INIT;
        gk_buf_printf(&lhs, GK_TR("%s 合计 %s", "%s total %s"), gk__ledger_label(k->m, L->id),
                      gk__col_label(L->id, L->cols[c]));
        expect_sum(k, gk_json_get(tot, L->cols[c]), NULL, lhs.ptr, L->total[c], t, (int)n,
                   coded ? GK_TR("各类之和", "sum of the classes")
                         : GK_TR("各行之和", "sum of the rows"));
        gk_buf_release(&lhs);
    }
    for (size_t i = 0; i < n1; i++)
        gk_buf_release(&labels[i]);
    free(labels);
    free(t);
}

/* A row (or the total) that states `total`: total = Σ part columns. */
static void check_row_totals(chk *k, const gk_ledger *L)
{
    int tc = gk_ledger_col(L, "total");
    if (tc < 0)
        return;
    term t[MAX_TERMS];
    for (size_t i = 0; i < L->nrows; i++) {
        const gk_ledger_row *R = &L->rows[i];
        if (!R->stated[tc])
            continue;
        int n = part_terms(L, R->values, t, MAX_TERMS);
        gk_buf lhs = GK_BUF_INIT;
        row_label(R, &lhs);
        gk_buf_printf(&lhs, " %s", gk__col_label(L->id, "total"));
        expect_sum(k, row_col_node(R, "total"), NULL, lhs.ptr, R->values[tc], t, n, NULL);
        gk_buf_release(&lhs);
    }
    if (L->total_stated[tc]) {
        int n = part_terms(L, L->total, t, MAX_TERMS);
        gk_buf lhs = GK_BUF_INIT;
        gk_buf_printf(&lhs, GK_TR("合计行 %s", "total row %s"), gk__col_label(L->id, "total"));
        expect_sum(k, gk_json_get(gk_json_get(L->node, "total"), "total"), NULL, lhs.ptr,
                   L->total[tc], t, n, NULL);
        gk_buf_release(&lhs);
    }
}

/* gov_fund: 年末 = 年初 + 本年收入 − 本年支出 on every row stating it. */
static void check_gov_fund_rows(chk *k, const gk_ledger *L)
{
    int ce = gk_ledger_col(L, "carry_end"), cb = gk_ledger_col(L, "carry_begin"),
        ci = gk_ledger_col(L, "income");
    if (ce < 0)
        return;
    for (size_t i = 0; i <= L->nrows; i++) {
        const gk_fen *v = i < L->nrows ? L->rows[i].values : L->total;
        bool stated = i < L->nrows ? L->rows[i].stated[ce] : L->total_stated[ce];
        if (!stated)
            continue;
        gk_fen spent = parts_sum(L, v);
        term t[3] = {
            { GK_TR("年初结转和结余", "balance at start"), cb >= 0 ? v[cb] : 0, false },
            { GK_TR("本年收入", "income"), ci >= 0 ? v[ci] : 0, false },
            { GK_TR("本年支出", "expenditure"), spent, true },
        };
        gk_buf lhs = GK_BUF_INIT;
        if (i < L->nrows)
            row_label(&L->rows[i], &lhs);
        else
            gk_buf_puts(&lhs, GK_TR("合计", "total"));
        gk_buf_printf(&lhs, " %s", GK_TR("年末结转和结余", "balance at end"));
        const gk_json *at = i < L->nrows ? row_col_node(&L->rows[i], "carry_end")
                                         : gk_json_get(gk_json_get(L->node, "total"), "carry_end");
        expect_sum(k, at, NULL, lhs.ptr, v[ce], t, 3, NULL);
        gk_buf_release(&lhs);
    }
}

/* Warnings on the codes of a ledger and on negative amounts. */
static void check_codes(chk *k, const gk_ledger *L)
{
    bool coded = false;
    for (size_t i = 0; i < L->nrows; i++)
        if (L->rows[i].code[0])
            coded = true;
    for (size_t i = 0; i < L->nrows; i++) {
        const gk_ledger_row *R = &L->rows[i];
        if (coded && !R->code[0]) {
            diag(k, GK_SEV_WARNING, R->node, NULL, "%s",
                 GK_TR("这一行没有科目编码，而表中其他行有：它不计入任何合计",
                       "this row has no code while others do: it is left out of every sum"));
        } else if (coded && R->level == 0) {
            diag(k, GK_SEV_WARNING, R->node, "code",
                 GK_TR("科目编码“%s”有 %zu 位，不合%s任何一级（%s）：它不计入任何合计",
                       "code '%s' has %zu digits and fits no level of the %s (%s): it is left out of every sum"),
                 R->code, strlen(R->code),
                 L->scheme == GK_CODE_ECONOMIC ? GK_TR("经济分类", "economic classification")
                                               : GK_TR("功能分类", "functional classification"),
                 L->scheme == GK_CODE_ECONOMIC ? GK_TR("类 3 位、款 5 位", "3 or 5 digits")
                                               : GK_TR("类 3 位、款 5 位、项 7 位", "3, 5 or 7 digits"));
        } else if (coded && !R->name[0]) {
            if (R->derived)
                diag(k, GK_SEV_WARNING, L->node, "rows",
                     GK_TR("上级科目“%s”由下级汇总而来，但数据和科目目录中都没有它的名称（请核对编码，或给出这一行的 name）",
                           "parent code '%s' is derived from its children but neither the data nor the catalog names it (check the code or give the row a name)"),
                     R->code);
            else
                diag(k, GK_SEV_WARNING, R->node, "code",
                     GK_TR("科目“%s”没有名称：数据未给出，科目目录中也没有（请核对编码）",
                           "code '%s' has no name: the data gives none and the catalog does not know it (check the code)"),
                     R->code);
        }
        if (!R->derived)
            for (int c = 0; c < L->ncols; c++)
                if (R->stated[c] && R->values[c] < 0) {
                    gk_buf b = GK_BUF_INIT;
                    amt(k, &b, R->values[c]);
                    diag(k, GK_SEV_WARNING, row_col_node(R, L->cols[c]), NULL,
                         GK_TR("金额为负数（%s）", "negative amount (%s)"), b.ptr);
                    gk_buf_release(&b);
                }
    }
}

/* ------------------------------------------------------------------ */
/* Percentages                                                         */

/* Compare a stated percentage with part/whole.  `abs_cmp` compares
 * magnitudes (a change whose sign is in the words 增长/下降). */
static void check_pct(chk *k, const gk_json *v, const char *what, gk_fen part, gk_fen whole,
                      bool abs_cmp)
{
    if (!v || (v->type != GK_JSON_STRING && v->type != GK_JSON_NUMBER))
        return;
    const char *s = v->text;
    const char *dot = strchr(s, '.');
    int dec = dot ? (int)strlen(dot + 1) : 0;
    if (dec > 6)
        dec = 6;
    gk_fen stated; /* parsed as 万元 so that 6 decimals fit: 1 = 0.000001 */
    if (gk_money_parse(s, v->text_len, GK_UNIT_WAN, false, &stated) != GK_MONEY_OK)
        return;
    gk_buf pb = GK_BUF_INIT, wb = GK_BUF_INIT;
    amt(k, &pb, part);
    amt(k, &wb, whole);
    if (whole == 0) {
        diag(k, GK_SEV_ERROR, v, NULL,
             GK_TR("%s写作 %s%%，但基数为 0：这个百分比无从计算（%s / 0）",
                   "%s is given as %s%% but the base is 0: no percentage exists (%s / 0)"),
             what, s, pb.ptr);
        goto out;
    }
    int64_t q;
    if (!gk_pct_scaled(part, whole, dec, &q))
        goto out;
    /* stated in units of 10^-dec percent */
    int64_t sq = stated;
    for (int i = 0; i < 6 - dec; i++)
        sq /= 10;
    int64_t a = abs_cmp ? (q < 0 ? -q : q) : q, b = abs_cmp ? (sq < 0 ? -sq : sq) : sq;
    if (a == b)
        goto out;
    gk_buf exact = GK_BUF_INIT;
    gk_pct_format(&exact, abs_cmp && part < 0 ? -part : part, whole, dec, false);
    bool tail = k->m->rounded && (a - b == 1 || b - a == 1);
    diag(k, tail ? GK_SEV_WARNING : GK_SEV_ERROR, v, NULL,
         GK_TR("%s%s写作 %s%%，按数据应为 %s%%（%s / %s）",
               "%s%s is given as %s%%, the data gives %s%% (%s / %s)"),
         tail ? GK_TR("尾差：", "rounding difference: ") : "", what, s, exact.ptr, pb.ptr, wb.ptr);
    gk_buf_release(&exact);
out:
    gk_buf_release(&pb);
    gk_buf_release(&wb);
}

static void unknown_pct(chk *k, const gk_json *v, const char *key)
{
    diag(k, GK_SEV_WARNING, v, NULL,
         GK_TR("不认识的百分比“%s”，未核对（可用的名称见 docs/CHECK.md）",
               "unknown percentage '%s', not checked (see docs/CHECK.md for the names)"),
         key);
}

static void check_ledger_pcts(chk *k, const gk_ledger *L)
{
    const gk_json *sp = gk_json_get(L->node, "stated_pct");
    gk_fen whole = ledger_parts_total(L);
    if (sp && sp->type == GK_JSON_OBJECT)
        for (size_t i = 0; i < sp->len; i++) {
            const char *key = sp->members[i].key;
            const gk_json *v = sp->members[i].value;
            int c = gk_ledger_col(L, key);
            gk_buf what = GK_BUF_INIT;
            if (c >= 0) {
                gk_buf_printf(&what, GK_TR("%s占比", "share of %s"), gk__col_label(L->id, key));
                check_pct(k, v, what.ptr, L->total[c], whole, false);
            } else {
                const gk_ledger_row *R = find_row(L, key);
                if (R) {
                    row_label(R, &what);
                    gk_buf_puts(&what, GK_TR(" 占比", " share"));
                    check_pct(k, v, what.ptr, parts_sum(L, R->values), whole, false);
                } else {
                    unknown_pct(k, v, key);
                }
            }
            gk_buf_release(&what);
        }
    int bc = gk_ledger_col(L, "budget"), pc = gk_ledger_col(L, "previous");
    for (size_t r = 0; r < L->nrows; r++) {
        const gk_ledger_row *R = &L->rows[r];
        const gk_json *rsp = R->node ? gk_json_get(R->node, "stated_pct") : NULL;
        if (!rsp || rsp->type != GK_JSON_OBJECT)
            continue;
        gk_fen actual = parts_sum(L, R->values);
        for (size_t i = 0; i < rsp->len; i++) {
            const char *key = rsp->members[i].key;
            const gk_json *v = rsp->members[i].value;
            gk_buf what = GK_BUF_INIT;
            row_label(R, &what);
            if (strcmp(key, "budget_rate") == 0 && bc >= 0) {
                gk_buf_puts(&what, GK_TR(" 完成预算", " share of budget"));
                check_pct(k, v, what.ptr, actual, R->values[bc], false);
            } else if (strcmp(key, "budget_change") == 0 && bc >= 0) {
                gk_buf_puts(&what, GK_TR(" 比年初预算增减", " change against the budget"));
                check_pct(k, v, what.ptr, actual - R->values[bc], R->values[bc], true);
            } else if (strcmp(key, "previous_change") == 0 && pc >= 0) {
                gk_buf_puts(&what, GK_TR(" 比上年增减", " change against last year"));
                check_pct(k, v, what.ptr, actual - R->values[pc], R->values[pc], true);
            } else if (strcmp(key, "share") == 0) {
                gk_buf_puts(&what, GK_TR(" 占比", " share"));
                check_pct(k, v, what.ptr, actual, whole, false);
            } else {
                unknown_pct(k, v, key);
            }
            gk_buf_release(&what);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Report-level identities                                             */

typedef struct figures {
    bool has_summary, has_income_total;
    gk_fen income_total;      /* 本年收入合计 */
    bool has_expenditure_total;
    gk_fen expenditure_total; /* 本年支出合计 */
    gk_fen grand_in, grand_out;
    gk_fen fiscal_income;     /* 财政拨款收入 */
} figures;

static const struct {
    const char *key, *zh, *en;
} income_keys[] = {
    { "fiscal_general", "一般公共预算财政拨款收入", "general public budget appropriation" },
    { "fiscal_fund", "政府性基金预算财政拨款收入", "government fund appropriation" },
    { "fiscal_capital", "国有资本经营预算财政拨款收入", "state capital appropriation" },
    { "special_account", "财政专户管理资金收入", "special account funds" },
    { "superior", "上级补助收入", "subsidy from the superior" },
    { "business", "事业收入", "business income" },
    { "operating", "经营收入", "operating income" },
    { "affiliated", "附属单位上缴收入", "income from affiliated units" },
    { "other", "其他收入", "other income" },
    { "carry_over", "上年结转", "carried over" },
};

static void check_summary(chk *k, figures *f)
{
    const gk_model *m = k->m;
    const gk_json *sum = gk_json_get(m->root, "summary");
    const gk_ledger *inc = gk_model_ledger(m, "income");
    const gk_ledger *exp = gk_model_ledger(m, "expenditure");
    const gk_json *inc_obj = gk_json_get(sum, "income");
    const char *inc_ledger = gk__ledger_label(m, "income");
    if (exp) {
        f->has_expenditure_total = true;
        f->expenditure_total = ledger_parts_total(exp);
    }
    if (inc_obj && inc_obj->type == GK_JSON_OBJECT) {
        term t[MAX_TERMS];
        int n = 0;
        for (size_t i = 0; i < sizeof income_keys / sizeof income_keys[0]; i++) {
            gk_fen v;
            if (get_amt(k, inc_obj, income_keys[i].key, &v))
                t[n++] = (term){ GK_TR(income_keys[i].zh, income_keys[i].en), v, false };
        }
        /* Unknown members count too: 本年收入合计 is every income row. */
        for (size_t i = 0; i < inc_obj->len && n < MAX_TERMS; i++) {
            bool known = false;
            for (size_t j = 0; j < sizeof income_keys / sizeof income_keys[0]; j++)
                if (strcmp(income_keys[j].key, inc_obj->members[i].key) == 0)
                    known = true;
            gk_fen v;
            if (!known && get_amt(k, inc_obj, inc_obj->members[i].key, &v))
                t[n++] = (term){ inc_obj->members[i].key, v, false };
        }
        f->has_income_total = true;
        f->income_total = sum_terms(t, n);
        f->fiscal_income = amt0(k, inc_obj, "fiscal_general") + amt0(k, inc_obj, "fiscal_fund") +
                           amt0(k, inc_obj, "fiscal_capital");
        const gk_json *st = gk_json_get(sum, "stated");
        gk_fen sv;
        if (get_amt(k, st, "income_total", &sv))
            expect_sum(k, gk_json_get(st, "income_total"), NULL,
                       GK_TR("本年收入合计", "total income of the year"), sv, t, n, NULL);
        /* Against the income table, column by column. */
        if (inc) {
            for (int c = 0; c < inc->ncols; c++) {
                const char *col = inc->cols[c];
                if (nonpart_col("income", col))
                    continue;
                gk_buf lhs = GK_BUF_INIT;
                gk_buf_printf(&lhs, GK_TR("%s 合计 %s", "%s total %s"), inc_ledger,
                              gk__col_label("income", col));
                const gk_json *at = gk_json_get(gk_json_get(inc->node, "total"), col);
                if (!at)
                    at = inc->node;
                if (strcmp(col, "fiscal") == 0) {
                    term ft[3] = {
                        { GK_TR(income_keys[0].zh, income_keys[0].en), amt0(k, inc_obj, "fiscal_general"), false },
                        { GK_TR(income_keys[1].zh, income_keys[1].en), amt0(k, inc_obj, "fiscal_fund"), false },
                        { GK_TR(income_keys[2].zh, income_keys[2].en), amt0(k, inc_obj, "fiscal_capital"), false },
                    };
                    expect_sum(k, at, NULL, lhs.ptr, inc->total[c], ft, 3, NULL);
                } else {
                    gk_buf rl = GK_BUF_INIT;
                    gk_buf_printf(&rl, GK_TR("收支总表 %s", "summary %s"), gk__col_label("income", col));
                    expect_eq(k, at, NULL, lhs.ptr, inc->total[c], rl.ptr, amt0(k, inc_obj, col));
                    gk_buf_release(&rl);
                }
                gk_buf_release(&lhs);
            }
            /* Summary rows the table lacks must be 0. */
            for (size_t i = 0; i < inc_obj->len; i++) {
                const char *key = inc_obj->members[i].key;
                if (strncmp(key, "fiscal_", 7) == 0 && gk_ledger_col(inc, "fiscal") >= 0)
                    continue;
                gk_fen v;
                if (gk_ledger_col(inc, key) < 0 && get_amt(k, inc_obj, key, &v) && v != 0) {
                    gk_buf b = GK_BUF_INIT;
                    amt(k, &b, v);
                    diag(k, GK_SEV_ERROR, inc_obj->members[i].value, NULL,
                         GK_TR("收支总表有 %s %s，而%s没有这一列", "the summary has %s %s but the %s has no such column"),
                         gk__col_label("income", key), b.ptr, inc_ledger);
                    gk_buf_release(&b);
                }
            }
        }
    } else if (inc) {
        f->has_income_total = true;
        f->income_total = ledger_parts_total(inc);
        int fc = gk_ledger_col(inc, "fiscal");
        f->fiscal_income = fc >= 0 ? inc->total[fc]
                                   : col_total(inc, "fiscal_general") + col_total(inc, "fiscal_fund") +
                                         col_total(inc, "fiscal_capital");
    }
    if (!sum)
        return;
    f->has_summary = true;
    const gk_json *st = gk_json_get(sum, "stated");
    gk_fen sv;
    if (get_amt(k, st, "expenditure_total", &sv)) {
        if (exp) {
            term t[MAX_TERMS];
            int n = part_terms(exp, exp->total, t, MAX_TERMS);
            gk_buf lhs = GK_BUF_INIT;
            gk_buf_printf(&lhs, GK_TR("收支总表 本年支出合计", "summary total expenditure"));
            gk_buf sl = GK_BUF_INIT;
            gk_buf_printf(&sl, GK_TR("%s 合计", "%s total"), gk__ledger_label(m, "expenditure"));
            expect_sum(k, gk_json_get(st, "expenditure_total"), NULL, lhs.ptr, sv, t, n, sl.ptr);
            gk_buf_release(&lhs);
            gk_buf_release(&sl);
        } else {
            f->has_expenditure_total = true;
            f->expenditure_total = sv;
        }
    }
    if (!f->has_income_total && get_amt(k, st, "income_total", &sv)) {
        f->has_income_total = true;
        f->income_total = sv;
    }
    /* 收入总计 = 支出总计 */
    if (f->has_income_total && f->has_expenditure_total) {
        gk_fen un = amt0(k, sum, "unused_nonfiscal_balance"), cb = amt0(k, sum, "carry_begin");
        gk_fen di = amt0(k, sum, "distribution"), ce = amt0(k, sum, "carry_end");
        f->grand_in = f->income_total + un + cb;
        f->grand_out = f->expenditure_total + di + ce;
        term in[3] = {
            { GK_TR("本年收入合计", "income of the year"), f->income_total, false },
            { GK_TR("使用非财政拨款结余", "non-fiscal balance used"), un, false },
            { GK_TR("年初结转和结余", "balance at start"), cb, false },
        };
        term out[3] = {
            { GK_TR("本年支出合计", "expenditure of the year"), f->expenditure_total, false },
            { GK_TR("结余分配", "balance distributed"), di, false },
            { GK_TR("年末结转和结余", "balance at end"), ce, false },
        };
        if (f->grand_in != f->grand_out) {
            gk_fen gap = absdiff(f->grand_in, f->grand_out);
            bool tail = m->rounded && gap <= half_unit(m) * 6;
            gk_buf b = GK_BUF_INIT;
            if (tail)
                gk_buf_puts(&b, GK_TR("尾差：", "rounding difference: "));
            gk_buf_puts(&b, GK_TR("收入总计 ", "grand total of income "));
            amt(k, &b, f->grand_in);
            gk_buf_puts(&b, GK_TR("（", " ("));
            put_terms(k, &b, in, 3);
            gk_buf_puts(&b, GK_TR("）≠ 支出总计 ", ") ≠ grand total of expenditure "));
            amt(k, &b, f->grand_out);
            gk_buf_puts(&b, GK_TR("（", " ("));
            put_terms(k, &b, out, 3);
            gk_buf_puts(&b, GK_TR("）（差 ", ") (difference "));
            amt(k, &b, gap);
            gk_buf_printf(&b, GK_TR(" %s）", " %s)"), gk_unit_name(m->unit));
            diag(k, tail ? GK_SEV_WARNING : GK_SEV_ERROR, sum, NULL, "%s", b.ptr);
            gk_buf_release(&b);
        }
        if (get_amt(k, st, "grand_total", &sv))
            expect_sum(k, gk_json_get(st, "grand_total"), NULL, GK_TR("收支总计", "grand total"), sv,
                       in, 3, GK_TR("收入总计", "grand total of income"));
    }
}

/* Fund balances: 年末 = 年初 + 本年收入 − 本年支出 per appropriation type,
 * tying the summary's fiscal income to tables general / gov_fund /
 * state_capital (公开04 against 05, 08, 09). */
static void check_fiscal(chk *k)
{
    const gk_model *m = k->m;
    const gk_json *fis = gk_json_get(m->root, "fiscal");
    const gk_json *sum_inc = gk_json_get(gk_json_get(m->root, "summary"), "income");
    if (!fis || fis->type != GK_JSON_OBJECT)
        return;
    const gk_json *cb = gk_json_get(fis, "carry_begin"), *ce = gk_json_get(fis, "carry_end");
    const gk_json *fin = gk_json_get(fis, "income");
    static const struct {
        const char *key, *inc, *ledger, *zh, *en;
    } types[] = {
        { "general", "fiscal_general", "general", "一般公共预算财政拨款", "general public budget appropriation" },
        { "fund", "fiscal_fund", "gov_fund", "政府性基金预算财政拨款", "government fund appropriation" },
        { "capital", "fiscal_capital", "state_capital", "国有资本经营预算财政拨款", "state capital appropriation" },
    };
    /* By type when the balances are given by type; otherwise (预算 表五
     * writes "carry_end": 0) as totals. */
    bool objects = (cb || ce) && (!cb || cb->type == GK_JSON_OBJECT) && (!ce || ce->type == GK_JSON_OBJECT);
    if ((cb || ce) && !objects) {
        gk_fen in = 0, spent = 0;
        for (size_t i = 0; i < 3; i++) {
            if (fin && fin->type == GK_JSON_OBJECT)
                in += amt0(k, fin, types[i].key);
            else
                in += amt0(k, sum_inc, types[i].inc);
            spent += ledger_parts_total(gk_model_ledger(m, types[i].ledger));
        }
        gk_fen b = amount_or_sum(k, cb), e = amount_or_sum(k, ce);
        if (in + b != spent + e) {
            term t[2] = { { GK_TR("财政拨款支出（一般公共预算、政府性基金、国有资本经营预算各表）",
                                  "appropriation expenditure (general, fund and capital tables)"), spent, false },
                          { GK_TR("年末结转和结余", "balance at end"), e, false } };
            expect_sum(k, ce ? ce : fis, NULL,
                       GK_TR("财政拨款收入 + 年初结转和结余", "appropriation income + balance at start"),
                       in + b, t, 2, NULL);
        }
    }
    for (size_t i = 0; i < 3 && objects; i++) {
        const gk_ledger *L = gk_model_ledger(m, types[i].ledger);
        gk_fen income;
        const char *inc_label;
        if (fin && fin->type == GK_JSON_OBJECT && gk_json_get(fin, types[i].key)) {
            income = amt0(k, fin, types[i].key);
            inc_label = GK_TR("财政拨款本年收入", "appropriation income");
        } else if (sum_inc) {
            income = amt0(k, sum_inc, types[i].inc);
            inc_label = GK_TR("本年收入（收支总表）", "income (summary)");
        } else {
            continue;
        }
        if (!L && income == 0)
            continue;
        gk_fen spent = L ? ledger_parts_total(L) : 0;
        gk_fen b = cb && cb->type == GK_JSON_OBJECT ? amt0(k, cb, types[i].key) : 0;
        gk_fen e = ce && ce->type == GK_JSON_OBJECT ? amt0(k, ce, types[i].key) : 0;
        gk_buf sl = GK_BUF_INIT, lhs = GK_BUF_INIT;
        gk_buf_printf(&sl, GK_TR("%s 本年支出", "%s expenditure"),
                      L ? gk__ledger_label(m, L->id) : types[i].ledger);
        term t[3] = {
            { GK_TR("年初结转和结余", "balance at start"), b, false },
            { inc_label, income, false },
            { sl.ptr, spent, true },
        };
        gk_buf_printf(&lhs, GK_TR("%s 年末结转和结余", "%s balance at end"), GK_TR(types[i].zh, types[i].en));
        const gk_json *at = ce && ce->type == GK_JSON_OBJECT && gk_json_get(ce, types[i].key)
                                ? gk_json_get(ce, types[i].key)
                                : fis;
        expect_sum(k, at, NULL, lhs.ptr, e, t, 3, NULL);
        gk_buf_release(&sl);
        gk_buf_release(&lhs);
        /* gov_fund's own balance columns agree with 公开04. */
        if (L && strcmp(L->id, "gov_fund") == 0) {
            if (gk_ledger_col(L, "carry_begin") >= 0)
                expect_eq(k, or_node(gk_json_get(gk_json_get(L->node, "total"), "carry_begin"), L->node), NULL,
                          GK_TR("政府性基金表 年初结转和结余", "government fund table balance at start"),
                          col_total(L, "carry_begin"),
                          GK_TR("财政拨款收支总表 年初结转和结余（基金）", "fiscal summary balance at start (fund)"), b);
            if (gk_ledger_col(L, "carry_end") >= 0)
                expect_eq(k, or_node(gk_json_get(gk_json_get(L->node, "total"), "carry_end"), L->node), NULL,
                          GK_TR("政府性基金表 年末结转和结余", "government fund table balance at end"),
                          col_total(L, "carry_end"),
                          GK_TR("财政拨款收支总表 年末结转和结余（基金）", "fiscal summary balance at end (fund)"), e);
            if (gk_ledger_col(L, "income") >= 0)
                expect_eq(k, or_node(gk_json_get(gk_json_get(L->node, "total"), "income"), L->node), NULL,
                          GK_TR("政府性基金表 本年收入", "government fund table income"), col_total(L, "income"),
                          inc_label, income);
        }
    }
    /* 04 balances are part of 01's balances. */
    const gk_json *sum = gk_json_get(m->root, "summary");
    if (sum && m->kind == GK_KIND_JUESUAN) {
        if (gk_json_get(sum, "carry_begin") && cb)
            expect_le(k, cb, NULL, GK_TR("年初财政拨款结转和结余", "appropriation balance at start"),
                      amount_or_sum(k, cb), GK_TR("收支总表 年初结转和结余", "summary balance at start"),
                      amt0(k, sum, "carry_begin"));
        if (gk_json_get(sum, "carry_end") && ce)
            expect_le(k, ce, NULL, GK_TR("年末财政拨款结转和结余", "appropriation balance at end"),
                      amount_or_sum(k, ce), GK_TR("收支总表 年末结转和结余", "summary balance at end"),
                      amt0(k, sum, "carry_end"));
    }
    /* Stated totals of the 预算 财政拨款收支总表. */
    const gk_json *st = gk_json_get(fis, "stated");
    gk_fen sv;
    if (st && fin && fin->type == GK_JSON_OBJECT) {
        gk_fen in = amount_or_sum(k, fin);
        if (get_amt(k, st, "income_total", &sv))
            expect_eq(k, gk_json_get(st, "income_total"), NULL,
                      GK_TR("财政拨款收入合计", "appropriation income total"), sv,
                      GK_TR("各项财政拨款收入之和", "sum of the appropriation incomes"), in);
        gk_fen spent = 0;
        for (size_t i = 0; i < 3; i++)
            spent += ledger_parts_total(gk_model_ledger(m, types[i].ledger));
        if (get_amt(k, st, "expenditure_total", &sv))
            expect_eq(k, gk_json_get(st, "expenditure_total"), NULL,
                      GK_TR("财政拨款支出合计", "appropriation expenditure total"), sv,
                      GK_TR("一般公共预算、政府性基金、国有资本经营预算支出之和",
                            "general + fund + capital expenditure"),
                      spent);
        if (get_amt(k, st, "grand_total", &sv))
            expect_eq(k, gk_json_get(st, "grand_total"), NULL,
                      GK_TR("财政拨款收支总计", "appropriation grand total"), sv,
                      GK_TR("财政拨款收入合计 + 年初结转", "appropriation income + balance at start"),
                      in + amount_or_sum(k, cb));
    }
}

/* 05 vs 03 and 06: subsets and the 基本支出 split. */
static void check_general(chk *k)
{
    const gk_model *m = k->m;
    const gk_ledger *G = gk_model_ledger(m, "general");
    const gk_ledger *E = gk_model_ledger(m, "expenditure");
    const gk_ledger *B = gk_model_ledger(m, "general_basic");
    if (G && E) {
        /* 一般公共预算财政拨款 is part of all spending, 类 by 类. */
        for (size_t i = 0; i < G->nrows; i++) {
            const gk_ledger_row *R = &G->rows[i];
            if (R->level != 1 || !R->code[0])
                continue;
            if (i > 0 && strcmp(G->rows[i - 1].code, R->code) == 0)
                continue; /* a repeated 类: compared once */
            const gk_ledger_row *X = find_row(E, R->code);
            gk_buf lhs = GK_BUF_INIT, rhs = GK_BUF_INIT;
            row_label(R, &lhs);
            gk_buf_printf(&lhs, GK_TR(" 的一般公共预算财政拨款支出", " general public budget expenditure"));
            gk_buf_printf(&rhs, GK_TR("%s 中同一科目的支出", "the same code in the %s"),
                          gk__ledger_label(m, "expenditure"));
            expect_le(k, R->node ? R->node : G->node, NULL, lhs.ptr, parts_sum(G, R->values), rhs.ptr,
                      X ? parts_sum(E, X->values) : 0);
            gk_buf_release(&lhs);
            gk_buf_release(&rhs);
        }
        expect_le(k, or_node(gk_json_get(G->node, "total"), G->node), NULL,
                  GK_TR("一般公共预算财政拨款基本支出", "general public budget basic expenditure"),
                  ledger_basic_total(G),
                  GK_TR("支出表 基本支出合计", "total basic expenditure"), ledger_basic_total(E));
    }
    if (G && B) {
        gk_fen gb = ledger_basic_total(G);
        term t[2];
        int n = 0;
        int ac = gk_ledger_col(B, "amount");
        if (ac >= 0 && B->scheme == GK_CODE_ECONOMIC) {
            gk_fen pers = 0, pub = 0;
            for (size_t i = 0; i < B->nrows; i++) {
                const gk_ledger_row *R = &B->rows[i];
                if (R->level != 1)
                    continue;
                if (strcmp(R->code, "301") == 0 || strcmp(R->code, "303") == 0)
                    pers += R->values[ac];
                else
                    pub += R->values[ac];
            }
            t[n++] = (term){ GK_TR("人员经费", "personnel"), pers, false };
            t[n++] = (term){ GK_TR("公用经费", "public"), pub, false };
        } else {
            for (int c = 0; c < B->ncols && n < 2; c++)
                if (!nonpart_col(B->id, B->cols[c]))
                    t[n++] = (term){ gk__col_label(B->id, B->cols[c]), B->total[c], false };
            if (n > 2)
                n = 2;
        }
        gk_buf lhs = GK_BUF_INIT, sl = GK_BUF_INIT;
        gk_buf_printf(&lhs, GK_TR("%s 基本支出", "%s basic expenditure"), gk__ledger_label(m, "general"));
        gk_buf_printf(&sl, GK_TR("%s 合计", "%s total"), gk__ledger_label(m, "general_basic"));
        const gk_json *at = gk_json_get(B->node, "total");
        expect_sum(k, at ? at : B->node, NULL, lhs.ptr, gb, t, n, sl.ptr);
        gk_buf_release(&lhs);
        gk_buf_release(&sl);
    }
    /* 预算 项目支出表 = 支出总表的项目支出. */
    const gk_ledger *P = gk_model_ledger(m, "projects");
    if (P && E && gk_ledger_col(E, "project") >= 0) {
        expect_eq(k, or_node(gk_json_get(P->node, "total"), P->node), NULL,
                  GK_TR("项目支出表 合计", "project table total"), ledger_parts_total(P),
                  GK_TR("支出总表 项目支出", "expenditure table project total"), col_total(E, "project"));
    }
    /* 预算: income table equals expenditure table. */
    const gk_ledger *I = gk_model_ledger(m, "income");
    if (m->kind == GK_KIND_YUSUAN && I && E) {
        const gk_json *sum = gk_json_get(m->root, "summary");
        gk_fen in = ledger_parts_total(I), out = ledger_parts_total(E);
        gk_fen cb = amt0(k, sum, "carry_begin"), ce = amt0(k, sum, "carry_end");
        if (in + cb != out + ce) {
            term t[2] = { { gk__ledger_label(m, "expenditure"), out, false },
                          { GK_TR("年末结转", "balance at end"), ce, false } };
            gk_buf lhs = GK_BUF_INIT;
            gk_buf_printf(&lhs, GK_TR("%s 合计", "%s total"), gk__ledger_label(m, "income"));
            if (cb)
                gk_buf_puts(&lhs, GK_TR(" + 上年结转", " + carried over"));
            expect_sum(k, or_node(gk_json_get(I->node, "total"), I->node), NULL, lhs.ptr, in + cb, t, ce ? 2 : 1,
                       NULL);
            gk_buf_release(&lhs);
        }
    }
}

static void check_three_public(chk *k)
{
    const gk_model *m = k->m;
    const gk_json *tp = gk_json_get(m->root, "three_public");
    if (!tp || tp->type != GK_JSON_OBJECT)
        return;
    static const char *const groups[] = { "budget", "actual", "previous" };
    for (size_t g = 0; g < 3; g++) {
        const gk_json *o = gk_json_get(tp, groups[g]);
        if (!o || o->type != GK_JSON_OBJECT)
            continue;
        gk_fen cp = amt0(k, o, "car_purchase"), co = amt0(k, o, "car_operation");
        gk_fen car;
        bool has_car = get_amt(k, o, "car", &car);
        if (has_car && (gk_json_get(o, "car_purchase") || gk_json_get(o, "car_operation"))) {
            term t[2] = { { GK_TR("公务用车购置费", "car purchase"), cp, false },
                          { GK_TR("公务用车运行费", "car operation"), co, false } };
            expect_sum(k, gk_json_get(o, "car"), NULL, GK_TR("公务用车购置及运行费", "official cars"), car, t, 2,
                       NULL);
        }
        gk_fen tot;
        if (get_amt(k, o, "total", &tot)) {
            term t[4];
            int n = 0;
            t[n++] = (term){ GK_TR("因公出国（境）费", "travel abroad"), amt0(k, o, "abroad"), false };
            if (gk_json_get(o, "car_purchase") || gk_json_get(o, "car_operation") || !has_car) {
                t[n++] = (term){ GK_TR("公务用车购置费", "car purchase"), cp, false };
                t[n++] = (term){ GK_TR("公务用车运行费", "car operation"), co, false };
            } else {
                t[n++] = (term){ GK_TR("公务用车购置及运行费", "official cars"), car, false };
            }
            t[n++] = (term){ GK_TR("公务接待费", "official reception"), amt0(k, o, "reception"), false };
            expect_sum(k, gk_json_get(o, "total"), NULL, GK_TR("“三公”经费合计", "three public expenses total"),
                       tot, t, n, NULL);
        }
    }
    /* 三公 is paid out of 一般公共预算财政拨款. */
    const gk_ledger *G = gk_model_ledger(m, "general");
    const char *grp = m->kind == GK_KIND_JUESUAN ? "actual" : "budget";
    const gk_json *o = gk_json_get(tp, grp);
    if (G && o && o->type == GK_JSON_OBJECT) {
        gk_fen tot;
        if (!get_amt(k, o, "total", &tot)) {
            tot = amt0(k, o, "abroad") + amt0(k, o, "reception");
            if (gk_json_get(o, "car_purchase") || gk_json_get(o, "car_operation"))
                tot += amt0(k, o, "car_purchase") + amt0(k, o, "car_operation");
            else
                tot += amt0(k, o, "car");
        }
        expect_le(k, o, NULL,
                  m->kind == GK_KIND_JUESUAN ? GK_TR("“三公”经费决算数", "three public expenses (actual)")
                                             : GK_TR("“三公”经费预算数", "three public expenses (budget)"),
                  tot, gk__ledger_label(m, "general"), ledger_parts_total(G));
    }
}

static gk_fen three_public_total(const chk *k, const gk_json *o)
{
    gk_fen tot;
    if (get_amt(k, o, "total", &tot))
        return tot;
    tot = amt0(k, o, "abroad") + amt0(k, o, "reception");
    if (gk_json_get(o, "car_purchase") || gk_json_get(o, "car_operation"))
        tot += amt0(k, o, "car_purchase") + amt0(k, o, "car_operation");
    else
        tot += amt0(k, o, "car");
    return tot;
}

static void check_procurement(chk *k, gk_fen *total_out)
{
    const gk_json *p = gk_json_get(k->m->root, "procurement");
    *total_out = 0;
    if (!p || p->type != GK_JSON_OBJECT)
        return;
    bool parts = gk_json_get(p, "goods") || gk_json_get(p, "works") || gk_json_get(p, "services");
    term t[3] = {
        { GK_TR("货物", "goods"), amt0(k, p, "goods"), false },
        { GK_TR("工程", "works"), amt0(k, p, "works"), false },
        { GK_TR("服务", "services"), amt0(k, p, "services"), false },
    };
    gk_fen total;
    if (get_amt(k, p, "total", &total)) {
        if (parts)
            expect_sum(k, gk_json_get(p, "total"), NULL, GK_TR("政府采购支出总额", "procurement total"), total, t,
                       3, NULL);
    } else if (parts) {
        total = sum_terms(t, 3);
    } else {
        return;
    }
    *total_out = total;
    gk_fen sme, sm;
    bool has_sme = get_amt(k, p, "sme", &sme);
    if (has_sme)
        expect_le(k, gk_json_get(p, "sme"), NULL, GK_TR("授予中小企业合同金额", "contracts to SMEs"), sme,
                  GK_TR("政府采购支出总额", "procurement total"), total);
    if (get_amt(k, p, "small_micro", &sm)) {
        if (has_sme)
            expect_le(k, gk_json_get(p, "small_micro"), NULL,
                      GK_TR("授予小微企业合同金额", "contracts to small and micro firms"), sm,
                      GK_TR("授予中小企业合同金额", "contracts to SMEs"), sme);
        else
            expect_le(k, gk_json_get(p, "small_micro"), NULL,
                      GK_TR("授予小微企业合同金额", "contracts to small and micro firms"), sm,
                      GK_TR("政府采购支出总额", "procurement total"), total);
    }
}

/* previous.X = 0 while this year's X is not: a change the report must
 * word without a percentage. */
static void zero_base(chk *k, const gk_json *prev, const char *key, const char *what, bool have,
                      gk_fen now)
{
    gk_fen p;
    if (!have || !get_amt(k, prev, key, &p) || p != 0 || now == 0)
        return;
    gk_buf b = GK_BUF_INIT;
    amt(k, &b, now);
    diag(k, GK_SEV_WARNING, gk_json_get(prev, key), NULL,
         GK_TR("上年%s为 0，本年为 %s %s：增减幅度无从计算，报告应写明原因（如“新分户单位”）",
               "last year's %s is 0 and this year's is %s %s: no percentage change exists; the report must say why"),
         what, b.ptr, gk_unit_name(k->m->unit));
    gk_buf_release(&b);
}

static void check_previous_and_pcts(chk *k, const figures *f, gk_fen procurement_total)
{
    const gk_model *m = k->m;
    const gk_json *prev = gk_json_get(m->root, "previous");
    const gk_ledger *G = gk_model_ledger(m, "general");
    const gk_json *oc = gk_json_get(m->root, "operating_costs");
    gk_fen ocv;
    bool has_oc = get_amt(k, oc, "amount", &ocv);
    if (prev && prev->type == GK_JSON_OBJECT) {
        zero_base(k, prev, "grand_total", GK_TR("收支总计", "grand total"), f->has_summary && f->has_income_total,
                  f->grand_in);
        zero_base(k, prev, "income_total", GK_TR("收入合计", "income"), f->has_income_total, f->income_total);
        zero_base(k, prev, "expenditure_total", GK_TR("支出合计", "expenditure"), f->has_expenditure_total,
                  f->expenditure_total);
        zero_base(k, prev, "fiscal_total", GK_TR("财政拨款收支总计", "appropriations"), f->has_income_total,
                  f->fiscal_income);
        zero_base(k, prev, "general_total", GK_TR("一般公共预算财政拨款支出", "general public budget expenditure"),
                  G != NULL, ledger_parts_total(G));
        zero_base(k, prev, "operating_costs", GK_TR("机关运行经费", "operating costs"), has_oc, ocv);
    }
    /* 三公: budget 0 against a nonzero actual. */
    const gk_json *tp = gk_json_get(m->root, "three_public");
    const gk_json *bud = gk_json_get(tp, "budget"), *act = gk_json_get(tp, "actual");
    if (m->kind == GK_KIND_JUESUAN && bud && act && bud->type == GK_JSON_OBJECT && act->type == GK_JSON_OBJECT) {
        gk_fen b = three_public_total(k, bud), a = three_public_total(k, act);
        if (b == 0 && a != 0) {
            gk_buf s = GK_BUF_INIT;
            amt(k, &s, a);
            diag(k, GK_SEV_WARNING, bud, NULL,
                 GK_TR("“三公”经费年初预算为 0，决算为 %s %s：完成预算的百分比无从计算",
                       "the three public expenses had a budget of 0 and cost %s %s: no share of budget exists"),
                 s.ptr, gk_unit_name(m->unit));
            gk_buf_release(&s);
        }
    }
    /* General rows with a budget of 0 but spending. */
    int bc = G ? gk_ledger_col(G, "budget") : -1;
    if (G && bc >= 0)
        for (size_t i = 0; i < G->nrows; i++) {
            const gk_ledger_row *R = &G->rows[i];
            gk_fen a = parts_sum(G, R->values);
            if (!R->stated[bc] || R->values[bc] != 0 || a == 0)
                continue;
            gk_buf s = GK_BUF_INIT, lab = GK_BUF_INIT;
            amt(k, &s, a);
            row_label(R, &lab);
            diag(k, GK_SEV_WARNING, row_col_node(R, "budget"), NULL,
                 GK_TR("%s 年初预算为 0，支出 %s %s：比年初预算增减的百分比无从计算",
                       "%s had a budget of 0 and spent %s %s: no percentage against the budget exists"),
                 lab.ptr, s.ptr, gk_unit_name(m->unit));
            gk_buf_release(&s);
            gk_buf_release(&lab);
        }

    /* Stated percentages outside the tables. */
    const gk_json *sum = gk_json_get(m->root, "summary");
    const gk_json *sp = gk_json_get(sum, "stated_pct");
    const gk_json *inc = gk_json_get(sum, "income");
    if (sp && sp->type == GK_JSON_OBJECT)
        for (size_t i = 0; i < sp->len; i++) {
            const char *key = sp->members[i].key;
            const gk_json *v = sp->members[i].value;
            gk_buf what = GK_BUF_INIT;
            bool known = true;
            if (strcmp(key, "fiscal") == 0) {
                check_pct(k, v, GK_TR("财政拨款收入占本年收入合计的比例", "share of appropriations in income"),
                          f->fiscal_income, f->income_total, false);
            } else if (inc && gk_json_get(inc, key)) {
                gk_buf_printf(&what, GK_TR("%s占本年收入合计的比例", "share of %s in income"),
                              gk__col_label("income", key));
                check_pct(k, v, what.ptr, amt0(k, inc, key), f->income_total, false);
            } else if (strcmp(key, "grand_total_change") == 0 && gk_json_get(prev, "grand_total")) {
                gk_fen p = amt0(k, prev, "grand_total");
                check_pct(k, v, GK_TR("收支总计比上年增减", "change of the grand total"), f->grand_in - p, p, true);
            } else if (strcmp(key, "income_total_change") == 0 && gk_json_get(prev, "income_total")) {
                gk_fen p = amt0(k, prev, "income_total");
                check_pct(k, v, GK_TR("本年收入合计比上年增减", "change of income"), f->income_total - p, p, true);
            } else if (strcmp(key, "expenditure_total_change") == 0 && gk_json_get(prev, "expenditure_total")) {
                gk_fen p = amt0(k, prev, "expenditure_total");
                check_pct(k, v, GK_TR("本年支出合计比上年增减", "change of expenditure"), f->expenditure_total - p,
                          p, true);
            } else if (strcmp(key, "fiscal_total_change") == 0 && gk_json_get(prev, "fiscal_total")) {
                gk_fen p = amt0(k, prev, "fiscal_total");
                check_pct(k, v, GK_TR("财政拨款收支总计比上年增减", "change of appropriations"), f->fiscal_income - p,
                          p, true);
            } else {
                known = false;
            }
            if (!known)
                unknown_pct(k, v, key);
            gk_buf_release(&what);
        }
    sp = gk_json_get(tp, "stated_pct");
    if (sp && sp->type == GK_JSON_OBJECT)
        for (size_t i = 0; i < sp->len; i++) {
            const char *key = sp->members[i].key;
            const gk_json *v = sp->members[i].value;
            const gk_json *pv = gk_json_get(tp, "previous");
            if (strcmp(key, "total_rate") == 0 && bud && act)
                check_pct(k, v, GK_TR("“三公”经费完成预算的比例", "three public expenses against budget"),
                          three_public_total(k, act), three_public_total(k, bud), false);
            else if (strcmp(key, "total_change") == 0 && bud && pv)
                check_pct(k, v, GK_TR("“三公”经费比上年增减", "change of the three public expenses"),
                          three_public_total(k, bud) - three_public_total(k, pv), three_public_total(k, pv), true);
            else
                unknown_pct(k, v, key);
        }
    const gk_json *pr = gk_json_get(m->root, "procurement");
    sp = gk_json_get(pr, "stated_pct");
    if (sp && sp->type == GK_JSON_OBJECT)
        for (size_t i = 0; i < sp->len; i++) {
            const char *key = sp->members[i].key;
            const gk_json *v = sp->members[i].value;
            if (strcmp(key, "sme") == 0)
                check_pct(k, v, GK_TR("授予中小企业合同金额占政府采购支出总额的比例", "share of SMEs"),
                          amt0(k, pr, "sme"), procurement_total, false);
            else if (strcmp(key, "small_micro") == 0)
                check_pct(k, v, GK_TR("授予小微企业合同金额占政府采购支出总额的比例", "share of small and micro firms"),
                          amt0(k, pr, "small_micro"), procurement_total, false);
            else
                unknown_pct(k, v, key);
        }
    sp = gk_json_get(oc, "stated_pct");
    if (sp && sp->type == GK_JSON_OBJECT)
        for (size_t i = 0; i < sp->len; i++) {
            const char *key = sp->members[i].key;
            const gk_json *v = sp->members[i].value;
            if (strcmp(key, "change") == 0 && gk_json_get(prev, "operating_costs")) {
                gk_fen p = amt0(k, prev, "operating_costs");
                check_pct(k, v, GK_TR("机关运行经费比上年增减", "change of operating costs"), ocv - p, p, true);
            } else {
                unknown_pct(k, v, key);
            }
        }
}

/* Negative amounts outside the tables. */
static void negatives(chk *k, const gk_json *n, int depth)
{
    if (!n || depth > 8)
        return;
    if (n->type == GK_JSON_OBJECT) {
        for (size_t i = 0; i < n->len; i++) {
            const char *key = n->members[i].key;
            if (strcmp(key, "stated_pct") == 0)
                continue;
            negatives(k, n->members[i].value, depth + 1);
        }
    } else if (n->type == GK_JSON_NUMBER && n->text[0] == '-') {
        gk_fen v;
        if (gk_model_amount(k->m, n, &v, NULL) && v < 0) {
            gk_buf b = GK_BUF_INIT;
            amt(k, &b, v);
            diag(k, GK_SEV_WARNING, n, NULL, GK_TR("金额为负数（%s）", "negative amount (%s)"), b.ptr);
            gk_buf_release(&b);
        }
    }
}

size_t gk_check(const gk_model *m, gk_diags *diags)
{
    chk k = { .m = m, .d = diags, .errors = 0 };
    for (size_t i = 0; i < m->nledgers; i++) {
        const gk_ledger *L = &m->ledgers[i];
        check_codes(&k, L);
        check_hierarchy(&k, L);
        check_total(&k, L);
        check_row_totals(&k, L);
        if (strcmp(L->id, "gov_fund") == 0)
            check_gov_fund_rows(&k, L);
        check_ledger_pcts(&k, L);
    }
    figures f = { 0 };
    check_summary(&k, &f);
    check_fiscal(&k);
    check_general(&k);
    check_three_public(&k);
    gk_fen ptotal;
    check_procurement(&k, &ptotal);
    check_previous_and_pcts(&k, &f, ptotal);
    static const char *const sections[] = { "summary", "fiscal", "three_public", "previous",
                                            "operating_costs", "procurement", "assets",
                                            "purchased_services", NULL };
    for (const char *const *s = sections; *s; s++)
        negatives(&k, gk_json_get(m->root, *s), 0);
    return k.errors;
}
