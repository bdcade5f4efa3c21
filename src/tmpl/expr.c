/* The expression language: parser, load-time name check, evaluator.
 * See README.md ("Writing a template") ("Expressions") and internal.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/internal.h"

/* ------------------------------------------------------------------ */
/* lexer                                                               */

typedef enum tok_kind {
    TK_END, TK_INT, TK_DEC, TK_STR, TK_NAME, TK_PUNCT
} tok_kind;

typedef struct tok {
    tok_kind k;
    size_t pos, len;     /* byte offset and length in the source */
    char p[3];           /* TK_PUNCT text */
} tok;

typedef struct parser {
    gk_arena *a;
    const char *s;
    size_t len, pos;
    tok t;               /* current token */
    const char *file;
    int line;
    const char *src;     /* trimmed source, for messages */
    gk_error *err;
    bool failed;
    int depth;
} parser;

static int col_of(const parser *p, size_t pos)
{
    /* 1-based character column (UTF-8 aware). */
    int col = 1;
    size_t i = 0;
    while (i < pos && i < p->len) {
        if (gk_utf8_next(p->s, p->len, &i) < 0)
            i++;
        col++;
    }
    return col;
}

static void perr(parser *p, size_t pos, const char *zh, const char *en)
{
    if (p->failed)
        return;
    p->failed = true;
    gk_error_set(p->err, GK_ERR_EXPR, p->file, p->line, 0, NULL,
                 GK_TR("表达式“%s”第 %d 列：%s", "expression '%s' column %d: %s"),
                 p->src, col_of(p, pos), GK_TR(zh, en));
}

static bool is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(int c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static void next(parser *p)
{
    const char *s = p->s;
    while (p->pos < p->len && (s[p->pos] == ' ' || s[p->pos] == '\t' ||
                               s[p->pos] == '\n' || s[p->pos] == '\r'))
        p->pos++;
    tok t = {.k = TK_END, .pos = p->pos};
    if (p->pos >= p->len) {
        p->t = t;
        return;
    }
    char c = s[p->pos];
    if (c >= '0' && c <= '9') {
        size_t i = p->pos;
        while (i < p->len && s[i] >= '0' && s[i] <= '9')
            i++;
        t.k = TK_INT;
        if (i + 1 < p->len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
            i++;
            while (i < p->len && s[i] >= '0' && s[i] <= '9')
                i++;
            t.k = TK_DEC;
        }
        if (i < p->len && is_name_char((unsigned char)s[i])) {
            perr(p, i, "数字后面不能紧跟字母", "letter right after a number");
        }
        t.len = i - p->pos;
        p->pos = i;
    } else if (c == '\'' || c == '"') {
        size_t i = p->pos + 1;
        while (i < p->len && s[i] != c) {
            if (s[i] == '\\' && i + 1 < p->len)
                i++;
            i++;
        }
        if (i >= p->len) {
            perr(p, p->pos, "字符串没有结束引号", "unterminated string");
            t.k = TK_END;
            p->t = t;
            return;
        }
        t.k = TK_STR;
        t.len = i + 1 - p->pos;
        p->pos = i + 1;
    } else if (is_name_start((unsigned char)c)) {
        size_t i = p->pos;
        while (i < p->len && is_name_char((unsigned char)s[i]))
            i++;
        t.k = TK_NAME;
        t.len = i - p->pos;
        p->pos = i;
    } else {
        static const char *const two[] = {"==", "!=", "<=", ">=", "&&", "||"};
        t.k = TK_PUNCT;
        for (size_t k = 0; k < sizeof two / sizeof two[0]; k++)
            if (p->pos + 1 < p->len && s[p->pos] == two[k][0] &&
                s[p->pos + 1] == two[k][1]) {
                memcpy(t.p, two[k], 2);
                t.len = 2;
                break;
            }
        if (!t.len) {
            if (strchr("+-*/()[].,<>!", c)) {
                t.p[0] = c;
                t.len = 1;
            } else {
                perr(p, p->pos, "无法识别的字符", "unexpected character");
                t.k = TK_END;
                p->t = t;
                return;
            }
        }
        p->pos += t.len;
    }
    p->t = t;
}

static bool is_punct(const parser *p, const char *x)
{
    return p->t.k == TK_PUNCT && strcmp(p->t.p, x) == 0;
}

static bool is_word(const parser *p, const char *w)
{
    return p->t.k == TK_NAME && p->t.len == strlen(w) &&
           memcmp(p->s + p->t.pos, w, p->t.len) == 0;
}

static gk__expr *node(parser *p, gk__op op, size_t pos)
{
    gk__expr *e = GK_ARENA_NEW(p->a, gk__expr);
    e->op = op;
    e->col = col_of(p, pos);
    return e;
}

/* ------------------------------------------------------------------ */
/* parser                                                              */

static gk__expr *parse_or(parser *p);

static gk__expr *parse_primary(parser *p)
{
    if (p->failed)
        return NULL;
    if (++p->depth > 64) {
        perr(p, p->t.pos, "表达式嵌套过深", "expression nested too deeply");
        return NULL;
    }
    tok t = p->t;
    gk__expr *e = NULL;
    switch (t.k) {
    case TK_INT: {
        int64_t v = 0;
        for (size_t i = 0; i < t.len; i++) {
            if (!gk_mul_ok(v, 10, &v) ||
                !gk_add_ok(v, p->s[t.pos + i] - '0', &v)) {
                perr(p, t.pos, "整数超出范围", "integer out of range");
                return NULL;
            }
        }
        e = node(p, GK_E_INT, t.pos);
        e->i = v;
        next(p);
        break;
    }
    case TK_DEC:
        e = node(p, GK_E_DEC, t.pos);
        e->name = gk_arena_strndup(p->a, p->s + t.pos, t.len);
        e->name_len = t.len;
        next(p);
        break;
    case TK_STR: {
        e = node(p, GK_E_STR, t.pos);
        gk_buf b = GK_BUF_INIT;
        for (size_t i = t.pos + 1; i + 1 < t.pos + t.len; i++) {
            char c = p->s[i];
            if (c == '\\' && i + 2 < t.pos + t.len) {
                char d = p->s[++i];
                gk_buf_putc(&b, d == 'n' ? '\n' : d == 't' ? '\t' : d);
            } else {
                gk_buf_putc(&b, c);
            }
        }
        e->name = gk_arena_strndup(p->a, b.ptr, b.len);
        e->name_len = b.len;
        gk_buf_release(&b);
        next(p);
        break;
    }
    case TK_NAME: {
        if (is_word(p, "null") || is_word(p, "true") || is_word(p, "false")) {
            e = node(p, is_word(p, "null") ? GK_E_NULL
                        : is_word(p, "true") ? GK_E_TRUE : GK_E_FALSE, t.pos);
            next(p);
            break;
        }
        if (is_word(p, "and") || is_word(p, "or") || is_word(p, "not")) {
            perr(p, t.pos, "此处缺少操作数", "operand expected here");
            return NULL;
        }
        next(p);
        if (is_punct(p, "(")) {
            int fn = gk__fn_find(p->s + t.pos, t.len);
            if (fn < 0) {
                char zh[160], en[160];
                snprintf(zh, sizeof zh, "未知函数 %.*s()", (int)(t.len > 60 ? 60 : t.len), p->s + t.pos);
                snprintf(en, sizeof en, "unknown function %.*s()", (int)(t.len > 60 ? 60 : t.len), p->s + t.pos);
                perr(p, t.pos, zh, en);
                return NULL;
            }
            e = node(p, GK_E_CALL, t.pos);
            e->fn = fn;
            e->name = gk_arena_strndup(p->a, p->s + t.pos, t.len);
            e->name_len = t.len;
            next(p);
            gk_vec args = {0};
            if (!is_punct(p, ")")) {
                for (;;) {
                    gk__expr *arg = parse_or(p);
                    if (!arg)
                        return NULL;
                    gk_vec_push(p->a, &args, arg);
                    if (is_punct(p, ",")) {
                        next(p);
                        continue;
                    }
                    break;
                }
            }
            if (!is_punct(p, ")")) {
                perr(p, p->t.pos, "函数参数后缺少“)”", "')' expected after arguments");
                return NULL;
            }
            next(p);
            e->nargs = args.len;
            e->args = (gk__expr **)args.items;
            const gk__fn *f = gk__fn_at(fn);
            if ((int)e->nargs < f->min_args ||
                (f->max_args >= 0 && (int)e->nargs > f->max_args)) {
                perr(p, t.pos, "函数参数个数不对", "wrong number of arguments");
                return NULL;
            }
        } else {
            e = node(p, GK_E_NAME, t.pos);
            e->name = gk_arena_strndup(p->a, p->s + t.pos, t.len);
            e->name_len = t.len;
        }
        break;
    }
    case TK_PUNCT:
        if (is_punct(p, "(")) {
            next(p);
            e = parse_or(p);
            if (!e)
                return NULL;
            if (!is_punct(p, ")")) {
                perr(p, p->t.pos, "缺少“)”", "')' expected");
                return NULL;
            }
            next(p);
            break;
        }
        if (is_punct(p, "!"))
            perr(p, t.pos, "请用 not 表示否定", "use 'not' for negation");
        else
            perr(p, t.pos, "此处缺少操作数", "operand expected here");
        return NULL;
    case TK_END:
        perr(p, t.pos, "表达式不完整", "incomplete expression");
        return NULL;
    }
    /* postfix: .name and [index] */
    while (e && !p->failed) {
        if (is_punct(p, ".")) {
            next(p);
            if (p->t.k != TK_NAME) {
                perr(p, p->t.pos, "“.”后面应为字段名", "field name expected after '.'");
                return NULL;
            }
            gk__expr *f = node(p, GK_E_FIELD, p->t.pos);
            f->a = e;
            f->name = gk_arena_strndup(p->a, p->s + p->t.pos, p->t.len);
            f->name_len = p->t.len;
            next(p);
            e = f;
        } else if (is_punct(p, "[")) {
            size_t at = p->t.pos;
            next(p);
            gk__expr *ix = parse_or(p);
            if (!ix)
                return NULL;
            if (!is_punct(p, "]")) {
                perr(p, p->t.pos, "缺少“]”", "']' expected");
                return NULL;
            }
            next(p);
            gk__expr *f = node(p, GK_E_INDEX, at);
            f->a = e;
            f->b = ix;
            e = f;
        } else {
            break;
        }
    }
    p->depth--;
    return p->failed ? NULL : e;
}

static gk__expr *parse_unary(parser *p)
{
    if (is_punct(p, "-")) {
        size_t at = p->t.pos;
        next(p);
        if (++p->depth > 64) {
            perr(p, at, "表达式嵌套过深", "expression nested too deeply");
            return NULL;
        }
        gk__expr *a = parse_unary(p);
        p->depth--;
        if (!a)
            return NULL;
        if (a->op == GK_E_INT) { /* fold -3 */
            a->i = -a->i;
            return a;
        }
        gk__expr *e = node(p, GK_E_NEG, at);
        e->a = a;
        return e;
    }
    return parse_primary(p);
}

static gk__expr *parse_mul(parser *p)
{
    gk__expr *l = parse_unary(p);
    while (l && (is_punct(p, "*") || is_punct(p, "/"))) {
        gk__expr *e = node(p, is_punct(p, "*") ? GK_E_MUL : GK_E_DIV, p->t.pos);
        next(p);
        e->a = l;
        e->b = parse_unary(p);
        if (!e->b)
            return NULL;
        l = e;
    }
    return l;
}

static gk__expr *parse_add(parser *p)
{
    gk__expr *l = parse_mul(p);
    while (l && (is_punct(p, "+") || is_punct(p, "-"))) {
        gk__expr *e = node(p, is_punct(p, "+") ? GK_E_ADD : GK_E_SUB, p->t.pos);
        next(p);
        e->a = l;
        e->b = parse_mul(p);
        if (!e->b)
            return NULL;
        l = e;
    }
    return l;
}

static gk__expr *parse_cmp(parser *p)
{
    gk__expr *l = parse_add(p);
    if (!l)
        return NULL;
    static const struct { const char *s; gk__op op; } ops[] = {
        {"==", GK_E_EQ}, {"!=", GK_E_NE}, {"<=", GK_E_LE}, {">=", GK_E_GE},
        {"<", GK_E_LT}, {">", GK_E_GT},
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
        if (is_punct(p, ops[k].s)) {
            gk__expr *e = node(p, ops[k].op, p->t.pos);
            next(p);
            e->a = l;
            e->b = parse_add(p);
            if (!e->b)
                return NULL;
            for (size_t j = 0; j < sizeof ops / sizeof ops[0]; j++)
                if (is_punct(p, ops[j].s)) {
                    perr(p, p->t.pos, "比较不能连写（a < b < c），请用 and",
                         "comparisons do not chain (a < b < c); use 'and'");
                    return NULL;
                }
            return e;
        }
    if (is_punct(p, "!") ) {
        perr(p, p->t.pos, "请用 not 表示否定", "use 'not' for negation");
        return NULL;
    }
    return l;
}

static gk__expr *parse_not(parser *p)
{
    if (is_word(p, "not")) {
        size_t at = p->t.pos;
        next(p);
        if (++p->depth > 64) {
            perr(p, at, "表达式嵌套过深", "expression nested too deeply");
            return NULL;
        }
        gk__expr *a = parse_not(p);
        p->depth--;
        if (!a)
            return NULL;
        gk__expr *e = node(p, GK_E_NOT, at);
        e->a = a;
        return e;
    }
    return parse_cmp(p);
}

static gk__expr *parse_and(parser *p)
{
    gk__expr *l = parse_not(p);
    while (l && (is_word(p, "and") || is_punct(p, "&&"))) {
        gk__expr *e = node(p, GK_E_AND, p->t.pos);
        next(p);
        e->a = l;
        e->b = parse_not(p);
        if (!e->b)
            return NULL;
        l = e;
    }
    return l;
}

static gk__expr *parse_or(parser *p)
{
    gk__expr *l = parse_and(p);
    while (l && (is_word(p, "or") || is_punct(p, "||"))) {
        gk__expr *e = node(p, GK_E_OR, p->t.pos);
        next(p);
        e->a = l;
        e->b = parse_and(p);
        if (!e->b)
            return NULL;
        l = e;
    }
    return l;
}

gk__code *gk__expr_parse(gk_arena *a, const char *src, size_t len,
                         const char *file, int line, gk_error *err)
{
    while (len > 0 && (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r')) {
        src++;
        len--;
    }
    while (len > 0 && (src[len - 1] == ' ' || src[len - 1] == '\t' ||
                       src[len - 1] == '\n' || src[len - 1] == '\r'))
        len--;
    parser p = {
        .a = a, .s = src, .len = len, .file = file, .line = line, .err = err,
    };
    p.src = gk_arena_strndup(a, src, len);
    p.s = p.src;
    if (len == 0) {
        gk_error_set(err, GK_ERR_EXPR, file, line, 0, NULL,
                     GK_TR("表达式为空", "empty expression"));
        return NULL;
    }
    next(&p);
    gk__expr *e = parse_or(&p);
    if (e && !p.failed && p.t.k != TK_END)
        perr(&p, p.t.pos, "表达式后有多余内容", "unexpected text after the expression");
    if (!e || p.failed)
        return NULL;
    gk__code *c = GK_ARENA_NEW(a, gk__code);
    c->root = e;
    c->src = p.src;
    c->file = file;
    c->line = line;
    return c;
}

/* ------------------------------------------------------------------ */
/* load-time check                                                     */

static const char *const data_keys[] = {
    "format", "kind", "year", "unit", "decimals", "rounded", "date",
    "department", "tables", "previous", "reasons", "summary", "fiscal",
    "three_public", "operating_costs", "procurement", "assets",
    "purchased_services", "performance", "performance_targets", "glossary",
    "options", "other_matters", "expenditure_notes", "data",
};

bool gk__is_data_key(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof data_keys / sizeof data_keys[0]; i++)
        if (strlen(data_keys[i]) == len && memcmp(data_keys[i], name, len) == 0)
            return true;
    return false;
}

static gk_status check_node(const gk__code *c, const gk__expr *e,
                            const gk__scope *sc, gk_error *err)
{
    if (!e)
        return GK_OK;
    if (e->op == GK_E_NAME) {
        for (const gk__scope *s = sc; s; s = s->up)
            if (strcmp(s->name, e->name) == 0)
                return GK_OK;
        if (gk__is_data_key(e->name, e->name_len))
            return GK_OK;
        return gk_error_set(
            err, GK_ERR_EXPR, c->file, c->line, 0, NULL,
            GK_TR("表达式“%s”第 %d 列：未知的路径“%s”：既不是变量（let/each），"
                  "也不是数据格式的顶层键（见 DATA.md；其他键请写 data.%s）",
                  "expression '%s' column %d: unknown path '%s': neither a "
                  "variable (let/each) nor a top-level key of the data format "
                  "(see DATA.md; write data.%s for other keys)"),
            c->src, e->col, e->name, e->name);
    }
    gk_status st = check_node(c, e->a, sc, err);
    if (!st)
        st = check_node(c, e->b, sc, err);
    for (size_t i = 0; !st && i < e->nargs; i++)
        st = check_node(c, e->args[i], sc, err);
    return st;
}

gk_status gk__expr_check(const gk__code *c, const gk__scope *sc, gk_error *err)
{
    return check_node(c, c->root, sc, err);
}

/* ------------------------------------------------------------------ */
/* values                                                              */

const char *gk__vtype_name(gk__vtype t)
{
    switch (t) {
    case GK_V_NULL: return "null";
    case GK_V_BOOL: return GK_TR("布尔值", "boolean");
    case GK_V_INT: return GK_TR("整数", "integer");
    case GK_V_MONEY: return GK_TR("金额", "amount");
    case GK_V_STR: return GK_TR("字符串", "string");
    case GK_V_JSON: return GK_TR("数据对象或列表", "data object or list");
    case GK_V_ROW: return GK_TR("表行", "ledger row");
    case GK_V_LIST: return GK_TR("列表", "list");
    case GK_V_OBJ: return GK_TR("对象", "object");
    }
    return "?";
}

void gk__eval_init(gk__ev *ev, const gk_model *m, gk_arena *a, gk_error *err)
{
    memset(ev, 0, sizeof(*ev));
    ev->m = m;
    ev->a = a;
    ev->err = err;
    ev->max_steps = GK_TMPL_MAX_STEPS;
}

gk_status gk__eval_fail(gk__ev *ev, gk_status st, const char *fmt, ...)
{
    gk_buf b = GK_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const gk__code *c = ev->code;
    if (c)
        gk_error_set(ev->err, st, c->file, c->line, 0, NULL,
                     GK_TR("表达式“%s”：%s", "expression '%s': %s"), c->src, b.ptr);
    else
        gk_error_set(ev->err, st, NULL, 0, 0, NULL, "%s", b.ptr);
    gk_buf_release(&b);
    return st;
}

gk_status gk__eval_steps(gk__ev *ev, long n)
{
    ev->steps += n;
    if (ev->steps > ev->max_steps)
        return gk__eval_fail(ev, GK_ERR_LIMIT,
                             GK_TR("求值步数超过上限 %ld（循环失控？）",
                                   "evaluation exceeds %ld steps (runaway loop?)"),
                             ev->max_steps);
    return GK_OK;
}

gk__val gk__str(gk__ev *ev, const char *s, size_t n)
{
    gk__val v = {.t = GK_V_STR};
    v.u.str.s = gk_arena_strndup(ev->a, s, n);
    v.u.str.n = n;
    return v;
}

bool gk__truthy(const gk__val *v)
{
    switch (v->t) {
    case GK_V_NULL: return false;
    case GK_V_BOOL: return v->u.b;
    case GK_V_INT: return v->u.i != 0;
    case GK_V_MONEY: return v->u.m != 0;
    case GK_V_STR: return v->u.str.n > 0;
    case GK_V_JSON: return v->u.j->len > 0;
    case GK_V_ROW: return true;
    case GK_V_LIST: return v->u.list->n > 0;
    case GK_V_OBJ: return v->u.obj->n > 0;
    }
    return false;
}

static bool is_int_lexeme(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i == n)
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool parse_int(const char *s, size_t n, int64_t *out)
{
    int64_t v = 0;
    bool neg = false;
    size_t i = 0;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    for (; i < n; i++)
        if (!gk_mul_ok(v, 10, &v) || !gk_add_ok(v, neg ? -(s[i] - '0') : s[i] - '0', &v))
            return false;
    *out = v;
    return true;
}

gk_status gk__from_json(gk__ev *ev, const gk_json *j, gk__val *out)
{
    memset(out, 0, sizeof(*out));
    if (!j) {
        out->t = GK_V_NULL;
        return GK_OK;
    }
    switch (j->type) {
    case GK_JSON_NULL:
        out->t = GK_V_NULL;
        return GK_OK;
    case GK_JSON_BOOL:
        out->t = GK_V_BOOL;
        out->u.b = j->boolean;
        return GK_OK;
    case GK_JSON_NUMBER: {
        if (is_int_lexeme(j->text, j->text_len) &&
            parse_int(j->text, j->text_len, &out->u.i)) {
            out->t = GK_V_INT;
            return GK_OK;
        }
        gk_fen f;
        gk_money_err me = gk_money_parse(j->text, j->text_len,
                                         gk_model_unit(ev->m), false, &f);
        if (me) {
            gk_buf path = GK_BUF_INIT;
            gk_json_path(j, &path);
            gk_status st = gk__eval_fail(
                ev, GK_ERR_DATA,
                GK_TR("数据 %s 的数值“%s”不能作为金额：%s",
                      "data %s: number '%s' is not an amount: %s"),
                path.ptr, j->text, gk_money_strerror(me));
            gk_buf_release(&path);
            return st;
        }
        out->t = GK_V_MONEY;
        out->u.m = f;
        return GK_OK;
    }
    case GK_JSON_STRING:
        out->t = GK_V_STR;
        out->u.str.s = j->text;
        out->u.str.n = j->text_len;
        return GK_OK;
    case GK_JSON_ARRAY:
    case GK_JSON_OBJECT:
        out->t = GK_V_JSON;
        out->u.j = j;
        return GK_OK;
    }
    out->t = GK_V_NULL;
    return GK_OK;
}

gk_status gk__to_money(gk__ev *ev, const gk__val *v, const char *what,
                       gk_fen *out)
{
    switch (v->t) {
    case GK_V_MONEY:
        *out = v->u.m;
        return GK_OK;
    case GK_V_INT:
        if (!gk_mul_ok(v->u.i, gk_unit_fen(gk_model_unit(ev->m)), out))
            return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("金额溢出", "amount overflow"));
        return GK_OK;
    case GK_V_STR: {
        gk_money_err me = gk_money_parse(v->u.str.s, v->u.str.n,
                                         gk_model_unit(ev->m), false, out);
        if (!me)
            return GK_OK;
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("%s是字符串“%s”，不是金额",
                                   "%s is the string '%s', not an amount"),
                             what, v->u.str.s);
    }
    case GK_V_NULL:
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("%s为 null（数据中没有此项？可用 default(x, 0) 或 if 判断）",
                                   "%s is null (missing in the data? use default(x, 0) or if)"),
                             what);
    default:
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：%s是%s，应为金额或整数",
                                   "type mismatch: %s is a %s, expected an amount or integer"),
                             what, gk__vtype_name(v->t));
    }
}

gk_status gk__to_int(gk__ev *ev, const gk__val *v, const char *what,
                     int64_t *out)
{
    if (v->t == GK_V_INT) {
        *out = v->u.i;
        return GK_OK;
    }
    if (v->t == GK_V_MONEY) {
        int64_t uf = gk_unit_fen(gk_model_unit(ev->m));
        if (v->u.m % uf == 0) {
            *out = v->u.m / uf;
            return GK_OK;
        }
    }
    if (v->t == GK_V_STR && is_int_lexeme(v->u.str.s, v->u.str.n) &&
        parse_int(v->u.str.s, v->u.str.n, out))
        return GK_OK;
    if (v->t == GK_V_NULL)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("%s为 null", "%s is null"), what);
    return gk__eval_fail(ev, GK_ERR_EXPR,
                         GK_TR("类型不符：%s是%s，应为整数",
                               "type mismatch: %s is a %s, expected an integer"),
                         what, gk__vtype_name(v->t));
}

gk_status gk__to_text(gk__ev *ev, const gk__val *v, bool allow_null,
                      gk_buf *b)
{
    switch (v->t) {
    case GK_V_NULL:
        if (allow_null)
            return GK_OK;
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("值为 null，不能输出（数据中没有此项？可用 default(x, '') 或 if 判断）",
                                   "the value is null and cannot be printed (missing in the data? use default(x, '') or if)"));
    case GK_V_BOOL:
        gk_buf_puts(b, v->u.b ? "true" : "false");
        return GK_OK;
    case GK_V_INT:
        gk_buf_printf(b, "%lld", (long long)v->u.i);
        return GK_OK;
    case GK_V_MONEY:
        gk_money_format(b, v->u.m, gk_model_unit(ev->m), gk_model_decimals(ev->m), false);
        return GK_OK;
    case GK_V_STR:
        gk_buf_put(b, v->u.str.s, v->u.str.n);
        return GK_OK;
    default:
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：%s不能直接输出为文字",
                                   "type mismatch: a %s cannot be printed as text"),
                             gk__vtype_name(v->t));
    }
}

const gk_ledger *gk__ledger_of(gk__ev *ev, const gk__val *v)
{
    if (v->t == GK_V_JSON) {
        size_t n = gk_model_nledgers(ev->m);
        for (size_t i = 0; i < n; i++) {
            const gk_ledger *l = gk_model_ledger_at(ev->m, i);
            if (l->node == v->u.j)
                return l;
        }
    }
    return NULL;
}

/* The amount columns DATA.md gives each table: a column no row of the
 * data carries is still a column, worth 0 in every row. */
static bool documented_column(const char *id, const char *key)
{
    static const struct { const char *id, *cols; } doc[] = {
        {"income", "fiscal superior business operating affiliated other fiscal_general "
                   "fiscal_fund fiscal_capital special_account carry_over"},
        {"expenditure", "basic project to_superior operating to_affiliated basic_personnel "
                        "basic_public"},
        {"general", "basic project budget personnel public capital_construction previous"},
        {"general_basic", "amount personnel public"},
        {"gov_fund", "carry_begin income basic project carry_end budget"},
        {"state_capital", "basic project budget"},
        {"projects", "fiscal_general fiscal_fund fiscal_capital carry_general carry_fund "
                     "carry_capital special_account own_funds"},
        {"purchased_services", "amount"},
        {"transfers", "amount"},
    };
    if (!id)
        return false;
    size_t n = strlen(key);
    for (size_t i = 0; i < sizeof doc / sizeof doc[0]; i++) {
        if (strcmp(doc[i].id, id) != 0)
            continue;
        for (const char *p = doc[i].cols; *p;) {
            size_t w = strcspn(p, " ");
            if (w == n && strncmp(p, key, n) == 0)
                return true;
            p += w;
            while (*p == ' ')
                p++;
        }
    }
    return false;
}

static gk_status row_field(gk__ev *ev, const gk_ledger *l, size_t r,
                           const char *name, size_t len, gk__val *out)
{
    const gk_ledger_row *row = &l->rows[r];
    memset(out, 0, sizeof(*out));
#define IS(k) (len == sizeof(k) - 1 && memcmp(name, k, len) == 0)
    if (IS("code")) {
        out->t = GK_V_STR;
        out->u.str.s = row->code ? row->code : "";
        out->u.str.n = strlen(out->u.str.s);
        return GK_OK;
    }
    if (IS("name")) {
        out->t = GK_V_STR;
        out->u.str.s = row->name ? row->name : "";
        out->u.str.n = strlen(out->u.str.s);
        return GK_OK;
    }
    if (IS("level")) {
        out->t = GK_V_INT;
        out->u.i = row->level;
        return GK_OK;
    }
    if (IS("derived")) {
        out->t = GK_V_BOOL;
        out->u.b = row->derived;
        return GK_OK;
    }
#undef IS
    char key[128];
    if (len < sizeof key) {
        memcpy(key, name, len);
        key[len] = '\0';
        int c = gk_ledger_col(l, key);
        if (c >= 0) {
            out->t = GK_V_MONEY;
            out->u.m = row->values[c];
            return GK_OK;
        }
        if (row->node) {
            gk_status st = gk__from_json(ev, gk_json_get(row->node, key), out);
            if (st || out->t != GK_V_NULL)
                return st;
        }
        if (documented_column(l->id, key)) {
            out->t = GK_V_MONEY;
            out->u.m = 0;
            return GK_OK;
        }
    }
    out->t = GK_V_NULL;
    return GK_OK;
}

gk_status gk__field(gk__ev *ev, const gk__val *v, const char *name,
                    size_t len, gk__val *out)
{
    memset(out, 0, sizeof(*out));
    switch (v->t) {
    case GK_V_NULL:
        out->t = GK_V_NULL;
        return GK_OK;
    case GK_V_JSON:
        if (v->u.j->type == GK_JSON_OBJECT) {
            for (size_t i = 0; i < v->u.j->len; i++) {
                const gk_json_member *mb = &v->u.j->members[i];
                if (strlen(mb->key) == len && memcmp(mb->key, name, len) == 0)
                    return gk__from_json(ev, mb->value, out);
            }
            out->t = GK_V_NULL;
            return GK_OK;
        }
        break;
    case GK_V_ROW:
        return row_field(ev, v->u.row.l, v->u.row.r, name, len, out);
    case GK_V_OBJ:
        for (size_t i = 0; i < v->u.obj->n; i++)
            if (strlen(v->u.obj->keys[i]) == len &&
                memcmp(v->u.obj->keys[i], name, len) == 0) {
                *out = v->u.obj->vals[i];
                return GK_OK;
            }
        out->t = GK_V_NULL;
        return GK_OK;
    default:
        break;
    }
    return gk__eval_fail(ev, GK_ERR_EXPR,
                         GK_TR("类型不符：%s没有字段“%.*s”",
                               "type mismatch: a %s has no field '%.*s'"),
                         gk__vtype_name(v->t), (int)len, name);
}

gk_status gk__items(gk__ev *ev, const gk__val *v, size_t *n, gk__val **items)
{
    *n = 0;
    *items = NULL;
    gk_status st;
    switch (v->t) {
    case GK_V_NULL:
        return GK_OK;
    case GK_V_LIST:
        *n = v->u.list->n;
        *items = v->u.list->items;
        return GK_OK;
    case GK_V_JSON: {
        const gk_json *j = v->u.j;
        gk__val *it = GK_ARENA_ARRAY(ev->a, gk__val, j->len ? j->len : 1);
        if (j->type == GK_JSON_ARRAY) {
            for (size_t i = 0; i < j->len; i++)
                if ((st = gk__from_json(ev, j->items[i], &it[i])))
                    return st;
        } else {
            for (size_t i = 0; i < j->len; i++) {
                gk__obj *o = GK_ARENA_NEW(ev->a, gk__obj);
                o->n = 2;
                o->keys = GK_ARENA_ARRAY(ev->a, const char *, 2);
                o->vals = GK_ARENA_ARRAY(ev->a, gk__val, 2);
                o->keys[0] = "key";
                o->keys[1] = "value";
                o->vals[0].t = GK_V_STR;
                o->vals[0].u.str.s = j->members[i].key;
                o->vals[0].u.str.n = strlen(j->members[i].key);
                if ((st = gk__from_json(ev, j->members[i].value, &o->vals[1])))
                    return st;
                it[i].t = GK_V_OBJ;
                it[i].u.obj = o;
            }
        }
        *n = j->len;
        *items = it;
        return GK_OK;
    }
    default:
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：%s不是列表", "type mismatch: a %s is not a list"),
                             gk__vtype_name(v->t));
    }
}

/* ------------------------------------------------------------------ */
/* evaluation                                                          */

static gk_status eval(gk__ev *ev, const gk__expr *e, const gk__env *env,
                      gk__val *out);

static gk_status lookup(gk__ev *ev, const gk__expr *e, const gk__env *env,
                        gk__val *out)
{
    for (const gk__env *x = env; x; x = x->up)
        if (strcmp(x->name, e->name) == 0) {
            *out = x->v;
            return GK_OK;
        }
    const gk_json *root = gk_model_root(ev->m);
    if (strcmp(e->name, "data") == 0)
        return gk__from_json(ev, root, out);
    if (gk__is_data_key(e->name, e->name_len))
        return gk__from_json(ev, gk_json_get(root, e->name), out);
    return gk__eval_fail(ev, GK_ERR_EXPR, GK_TR("未知的变量“%s”", "unknown variable '%s'"),
                         e->name);
}

static bool numeric(const gk__val *v)
{
    return v->t == GK_V_INT || v->t == GK_V_MONEY;
}

static gk_status arith(gk__ev *ev, const gk__expr *e, gk__val *a, gk__val *b,
                       gk__val *out)
{
    static const char *const opname[] = {"+", "-", "*", "/"};
    const char *op = opname[e->op - GK_E_ADD];
    memset(out, 0, sizeof(*out));
    if (a->t == GK_V_NULL || b->t == GK_V_NULL)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("“%s”的%s操作数为 null（数据中没有此项？可用 default(x, 0) 或 if 判断）",
                                   "'%s': the %s operand is null (missing in the data? use default(x, 0) or if)"),
                             op, a->t == GK_V_NULL ? GK_TR("左", "left") : GK_TR("右", "right"));
    if (e->op == GK_E_ADD && a->t == GK_V_STR && b->t == GK_V_STR) {
        if (a->u.str.n + b->u.str.n > GK_TMPL_MAX_STRING)
            return gk__eval_fail(ev, GK_ERR_LIMIT,
                                 GK_TR("拼接的字符串有 %zu 字节，超过 %d 字节的上限",
                                       "the joined string has %zu bytes, more than the limit of %d"),
                                 a->u.str.n + b->u.str.n, GK_TMPL_MAX_STRING);
        gk_buf s = GK_BUF_INIT;
        gk_buf_put(&s, a->u.str.s, a->u.str.n);
        gk_buf_put(&s, b->u.str.s, b->u.str.n);
        *out = gk__str(ev, s.ptr, s.len);
        gk_buf_release(&s);
        return GK_OK;
    }
    /* an amount written as a JSON string ("3819.053886") is an amount */
    gk__val ca = *a, cb = *b;
    gk_fen f;
    if (ca.t == GK_V_STR && numeric(&cb) &&
        !gk_money_parse(ca.u.str.s, ca.u.str.n, gk_model_unit(ev->m), false, &f)) {
        ca.t = GK_V_MONEY;
        ca.u.m = f;
    }
    if (cb.t == GK_V_STR && numeric(&ca) &&
        !gk_money_parse(cb.u.str.s, cb.u.str.n, gk_model_unit(ev->m), false, &f)) {
        cb.t = GK_V_MONEY;
        cb.u.m = f;
    }
    a = &ca;
    b = &cb;
    if (!numeric(a) || !numeric(b))
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：不能计算 %s %s %s",
                                   "type mismatch: cannot compute %s %s %s"),
                             gk__vtype_name(a->t), op, gk__vtype_name(b->t));
    bool ok = true;
    if (a->t == GK_V_INT && b->t == GK_V_INT) {
        out->t = GK_V_INT;
        switch (e->op) {
        case GK_E_ADD: ok = gk_add_ok(a->u.i, b->u.i, &out->u.i); break;
        case GK_E_SUB: ok = gk_sub_ok(a->u.i, b->u.i, &out->u.i); break;
        case GK_E_MUL: ok = gk_mul_ok(a->u.i, b->u.i, &out->u.i); break;
        default:
            if (b->u.i == 0)
                return gk__eval_fail(ev, GK_ERR_EXPR,
                                     GK_TR("除数为零（请先用 if 判断）",
                                           "division by zero (guard it with if)"));
            if (a->u.i == INT64_MIN && b->u.i == -1)
                ok = false;
            else
                out->u.i = gk_div_round(a->u.i, b->u.i);
        }
    } else {
        out->t = GK_V_MONEY;
        gk_fen x, y;
        gk_status st;
        switch (e->op) {
        case GK_E_ADD:
        case GK_E_SUB:
            if ((st = gk__to_money(ev, a, GK_TR("左操作数", "the left operand"), &x)) ||
                (st = gk__to_money(ev, b, GK_TR("右操作数", "the right operand"), &y)))
                return st;
            ok = e->op == GK_E_ADD ? gk_add_ok(x, y, &out->u.m) : gk_sub_ok(x, y, &out->u.m);
            break;
        case GK_E_MUL:
            if (a->t == GK_V_MONEY && b->t == GK_V_MONEY)
                return gk__eval_fail(ev, GK_ERR_EXPR,
                                     GK_TR("类型不符：金额不能乘以金额（金额 × 整数）",
                                           "type mismatch: an amount cannot be multiplied by an amount (amount × integer)"));
            ok = a->t == GK_V_MONEY ? gk_mul_ok(a->u.m, b->u.i, &out->u.m)
                                    : gk_mul_ok(a->u.i, b->u.m, &out->u.m);
            break;
        default:
            if (b->t == GK_V_MONEY)
                return gk__eval_fail(ev, GK_ERR_EXPR,
                                     GK_TR("类型不符：不能除以金额（占比请用 pct）",
                                           "type mismatch: cannot divide by an amount (use pct for shares)"));
            if (b->u.i == 0)
                return gk__eval_fail(ev, GK_ERR_EXPR,
                                     GK_TR("除数为零（请先用 if 判断）",
                                           "division by zero (guard it with if)"));
            if (a->u.m == INT64_MIN && b->u.i == -1)
                ok = false;
            else
                out->u.m = gk_div_round(a->u.m, b->u.i);
        }
    }
    if (!ok)
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("算术溢出（%s）", "arithmetic overflow (%s)"), op);
    return GK_OK;
}

static gk_status compare(gk__ev *ev, const gk__expr *e, gk__val *a,
                         gk__val *b, gk__val *out)
{
    static const char *const opname[] = {"==", "!=", "<", "<=", ">", ">="};
    const char *op = opname[e->op - GK_E_EQ];
    bool eqop = e->op == GK_E_EQ || e->op == GK_E_NE;
    int c = 0;
    memset(out, 0, sizeof(*out));
    out->t = GK_V_BOOL;
    if (a->t == GK_V_NULL || b->t == GK_V_NULL) {
        if (!eqop)
            return gk__eval_fail(ev, GK_ERR_EXPR,
                                 GK_TR("“%s”的操作数为 null（可用 default(x, 0) 或 exists(x)）",
                                       "'%s': an operand is null (use default(x, 0) or exists(x))"),
                                 op);
        bool same = a->t == b->t;
        out->u.b = e->op == GK_E_EQ ? same : !same;
        return GK_OK;
    }
    if (numeric(a) && numeric(b)) {
        if (a->t == GK_V_INT && b->t == GK_V_INT) {
            c = a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
        } else {
            gk_fen x, y;
            gk_status st;
            if ((st = gk__to_money(ev, a, "", &x)) || (st = gk__to_money(ev, b, "", &y)))
                return st;
            c = x < y ? -1 : x > y;
        }
    } else if ((numeric(a) && b->t == GK_V_STR) || (a->t == GK_V_STR && numeric(b))) {
        gk_fen x, y;
        gk_status st;
        if ((st = gk__to_money(ev, a, GK_TR("左操作数", "the left operand"), &x)) ||
            (st = gk__to_money(ev, b, GK_TR("右操作数", "the right operand"), &y)))
            return st;
        c = x < y ? -1 : x > y;
    } else if (a->t == GK_V_STR && b->t == GK_V_STR) {
        size_t n = a->u.str.n < b->u.str.n ? a->u.str.n : b->u.str.n;
        c = memcmp(a->u.str.s, b->u.str.s, n);
        if (c == 0)
            c = a->u.str.n < b->u.str.n ? -1 : a->u.str.n > b->u.str.n;
        c = c < 0 ? -1 : c > 0;
    } else if (a->t == GK_V_BOOL && b->t == GK_V_BOOL && eqop) {
        c = a->u.b != b->u.b;
    } else if (eqop && a->t == b->t &&
               (a->t == GK_V_JSON || a->t == GK_V_ROW)) {
        c = a->t == GK_V_JSON ? a->u.j != b->u.j
                              : !(a->u.row.l == b->u.row.l && a->u.row.r == b->u.row.r);
    } else {
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：不能比较 %s %s %s",
                                   "type mismatch: cannot compare %s %s %s"),
                             gk__vtype_name(a->t), op, gk__vtype_name(b->t));
    }
    switch (e->op) {
    case GK_E_EQ: out->u.b = c == 0; break;
    case GK_E_NE: out->u.b = c != 0; break;
    case GK_E_LT: out->u.b = c < 0; break;
    case GK_E_LE: out->u.b = c <= 0; break;
    case GK_E_GT: out->u.b = c > 0; break;
    default: out->u.b = c >= 0; break;
    }
    return GK_OK;
}

static gk_status eval(gk__ev *ev, const gk__expr *e, const gk__env *env,
                      gk__val *out)
{
    gk_status st = gk__eval_steps(ev, 1);
    if (st)
        return st;
    memset(out, 0, sizeof(*out));
    gk__val a, b;
    switch (e->op) {
    case GK_E_NULL:
        out->t = GK_V_NULL;
        return GK_OK;
    case GK_E_TRUE:
    case GK_E_FALSE:
        out->t = GK_V_BOOL;
        out->u.b = e->op == GK_E_TRUE;
        return GK_OK;
    case GK_E_INT:
        out->t = GK_V_INT;
        out->u.i = e->i;
        return GK_OK;
    case GK_E_DEC: {
        gk_money_err me = gk_money_parse(e->name, e->name_len,
                                         gk_model_unit(ev->m), false, &out->u.m);
        if (me)
            return gk__eval_fail(ev, GK_ERR_EXPR,
                                 GK_TR("数值 %s 不能作为%s金额：%s",
                                       "%s is not an amount in %s: %s"),
                                 e->name, gk_unit_name(gk_model_unit(ev->m)),
                                 gk_money_strerror(me));
        out->t = GK_V_MONEY;
        return GK_OK;
    }
    case GK_E_STR:
        out->t = GK_V_STR;
        out->u.str.s = e->name;
        out->u.str.n = e->name_len;
        return GK_OK;
    case GK_E_NAME:
        return lookup(ev, e, env, out);
    case GK_E_FIELD:
        if ((st = eval(ev, e->a, env, &a)))
            return st;
        return gk__field(ev, &a, e->name, e->name_len, out);
    case GK_E_INDEX: {
        if ((st = eval(ev, e->a, env, &a)) || (st = eval(ev, e->b, env, &b)))
            return st;
        if (a.t == GK_V_NULL) {
            out->t = GK_V_NULL;
            return GK_OK;
        }
        if (b.t == GK_V_STR && (a.t == GK_V_JSON || a.t == GK_V_ROW || a.t == GK_V_OBJ))
            return gk__field(ev, &a, b.u.str.s, b.u.str.n, out);
        if (a.t == GK_V_LIST || (a.t == GK_V_JSON && a.u.j->type == GK_JSON_ARRAY)) {
            if (b.t != GK_V_INT)
                return gk__eval_fail(ev, GK_ERR_EXPR,
                                     GK_TR("类型不符：下标是%s，应为整数",
                                           "type mismatch: the index is a %s, expected an integer"),
                                     gk__vtype_name(b.t));
            size_t n = a.t == GK_V_LIST ? a.u.list->n : a.u.j->len;
            if (b.u.i < 0 || (uint64_t)b.u.i >= n) {
                out->t = GK_V_NULL;
                return GK_OK;
            }
            if (a.t == GK_V_LIST) {
                *out = a.u.list->items[b.u.i];
                return GK_OK;
            }
            return gk__from_json(ev, a.u.j->items[b.u.i], out);
        }
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：%s不是列表，不能用下标",
                                   "type mismatch: a %s is not a list and cannot be indexed"),
                             gk__vtype_name(a.t));
    }
    case GK_E_CALL: {
        if (e->nargs == 3 && strcmp(e->name, "cond") == 0) {
            /* lazy: only the chosen branch is evaluated */
            if ((st = eval(ev, e->args[0], env, &a)))
                return st;
            return eval(ev, e->args[gk__truthy(&a) ? 1 : 2], env, out);
        }
        gk__val stackv[8];
        gk__val *argv = e->nargs <= 8 ? stackv
                                      : GK_ARENA_ARRAY(ev->a, gk__val, e->nargs);
        for (size_t i = 0; i < e->nargs; i++)
            if ((st = eval(ev, e->args[i], env, &argv[i])))
                return st;
        return gk__fn_at(e->fn)->impl(ev, e->nargs, argv, out);
    }
    case GK_E_NEG:
        if ((st = eval(ev, e->a, env, &a)))
            return st;
        if (a.t == GK_V_INT && a.u.i != INT64_MIN) {
            out->t = GK_V_INT;
            out->u.i = -a.u.i;
            return GK_OK;
        }
        if (a.t == GK_V_MONEY && a.u.m != INT64_MIN) {
            out->t = GK_V_MONEY;
            out->u.m = -a.u.m;
            return GK_OK;
        }
        return gk__eval_fail(ev, GK_ERR_EXPR,
                             GK_TR("类型不符：不能对%s取负", "type mismatch: cannot negate a %s"),
                             gk__vtype_name(a.t));
    case GK_E_NOT:
        if ((st = eval(ev, e->a, env, &a)))
            return st;
        out->t = GK_V_BOOL;
        out->u.b = !gk__truthy(&a);
        return GK_OK;
    case GK_E_AND:
    case GK_E_OR:
        if ((st = eval(ev, e->a, env, &a)))
            return st;
        out->t = GK_V_BOOL;
        if (gk__truthy(&a) == (e->op == GK_E_OR)) {
            out->u.b = e->op == GK_E_OR;
            return GK_OK;
        }
        if ((st = eval(ev, e->b, env, &b)))
            return st;
        out->u.b = gk__truthy(&b);
        return GK_OK;
    case GK_E_ADD:
    case GK_E_SUB:
    case GK_E_MUL:
    case GK_E_DIV:
        if ((st = eval(ev, e->a, env, &a)) || (st = eval(ev, e->b, env, &b)))
            return st;
        return arith(ev, e, &a, &b, out);
    default:
        if ((st = eval(ev, e->a, env, &a)) || (st = eval(ev, e->b, env, &b)))
            return st;
        return compare(ev, e, &a, &b, out);
    }
}

gk_status gk__eval(gk__ev *ev, const gk__code *c, const gk__env *env,
                   gk__val *out)
{
    const gk__code *saved = ev->code;
    ev->code = c;
    gk_status st = eval(ev, c->root, env, out);
    ev->code = saved;
    return st;
}

/* ------------------------------------------------------------------ */
/* templated strings                                                   */

gk_status gk__tstr_parse(gk_arena *a, const char *text, const char *file,
                         int line, gk__tstr *out, gk_error *err)
{
    gk_vec parts = {0};
    const char *p = text;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            gk__tpart *t = GK_ARENA_NEW(a, gk__tpart);
            t->len = strlen(p);
            t->lit = gk_arena_strndup(a, p, t->len);
            gk_vec_push(a, &parts, t);
            break;
        }
        if (open > p) {
            gk__tpart *t = GK_ARENA_NEW(a, gk__tpart);
            t->len = (size_t)(open - p);
            t->lit = gk_arena_strndup(a, p, t->len);
            gk_vec_push(a, &parts, t);
        }
        /* find the closing }} outside quotes */
        const char *q = open + 2;
        char quote = 0;
        while (*q) {
            if (quote) {
                if (*q == '\\' && q[1])
                    q++;
                else if (*q == quote)
                    quote = 0;
            } else if (*q == '\'' || *q == '"') {
                quote = *q;
            } else if (q[0] == '}' && q[1] == '}') {
                break;
            }
            q++;
        }
        if (!*q)
            return gk_error_set(err, GK_ERR_EXPR, file, line, 0, NULL,
                                GK_TR("“{{”没有对应的“}}”：%s",
                                      "'{{' without a matching '}}': %s"),
                                open);
        gk__tpart *t = GK_ARENA_NEW(a, gk__tpart);
        t->code = gk__expr_parse(a, open + 2, (size_t)(q - open - 2), file, line, err);
        if (!t->code)
            return err ? err->status : GK_ERR_EXPR;
        gk_vec_push(a, &parts, t);
        p = q + 2;
    }
    out->n = parts.len;
    out->parts = GK_ARENA_ARRAY(a, gk__tpart, parts.len ? parts.len : 1);
    for (size_t i = 0; i < parts.len; i++)
        out->parts[i] = *(gk__tpart *)parts.items[i];
    return GK_OK;
}

gk_status gk__tstr_check(const gk__tstr *t, const gk__scope *sc, gk_error *err)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->parts[i].code) {
            gk_status st = gk__expr_check(t->parts[i].code, sc, err);
            if (st)
                return st;
        }
    return GK_OK;
}

gk_status gk__tstr_eval(gk__ev *ev, const gk__tstr *t, const gk__env *env,
                        gk_buf *out)
{
    for (size_t i = 0; i < t->n; i++) {
        const gk__tpart *p = &t->parts[i];
        if (p->lit) {
            gk_buf_put(out, p->lit, p->len);
            continue;
        }
        gk__val v;
        gk_status st = gk__eval(ev, p->code, env, &v);
        if (st)
            return st;
        const gk__code *saved = ev->code;
        ev->code = p->code;
        st = gk__to_text(ev, &v, false, out);
        ev->code = saved;
        if (st)
            return st;
    }
    return GK_OK;
}
