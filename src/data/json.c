/* Strict RFC 8259 JSON parser with positions and exact number text.
 * See include/gongkai/json.h.
 *
 * Positions: line and column are 1-based; the column counts UTF-8
 * characters (code points), not bytes, so that an editor showing 中文
 * lands on the right character.  A leading BOM is skipped and not
 * counted.  A tab counts as one column.
 *
 * Recursion is bounded by the depth limit (clamped to 4096), so hostile
 * input such as 200,000 '[' stops at the limit with a located error
 * long before the stack is at risk. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/json.h"

#define DEPTH_CAP 4096

struct gk_json_doc {
    gk_arena arena;
    gk_json *root;
    const char *file;
};

typedef struct dup_ent {
    const char *key; /* NULL = empty slot */
    uint32_t obj;
    int line, col;
} dup_ent;

typedef struct parser {
    const char *s;
    size_t len, pos, start;
    const char *file;
    gk_json_limits lim;
    gk_arena *a;
    gk_error *err;
    bool failed;
    /* position cache: (pc_off) is at (pc_line, pc_col) */
    size_t pc_off;
    int pc_line, pc_col;
    /* scratch stacks shared by every nesting level */
    gk_json **items;
    size_t nitems, capitems;
    gk_json_member *mems;
    size_t nmems, capmems;
    /* (object serial, key) -> first position, for duplicate keys */
    dup_ent *tab;
    size_t tabcap, tabn;
    uint32_t obj_serial;
    gk_buf sbuf;
} parser;

static void pos_at(parser *p, size_t off, int *line, int *col)
{
    if (off < p->pc_off) {
        p->pc_off = p->start;
        p->pc_line = 1;
        p->pc_col = 1;
    }
    const unsigned char *s = (const unsigned char *)p->s;
    size_t k = p->pc_off;
    int ln = p->pc_line, c = p->pc_col;
    for (; k < off && k < p->len; k++) {
        if (s[k] == '\n') {
            ln++;
            c = 1;
        } else if ((s[k] & 0xC0) != 0x80) {
            c++;
        }
    }
    p->pc_off = k;
    p->pc_line = ln;
    p->pc_col = c;
    *line = ln;
    *col = c;
}

static void fail_at(parser *p, size_t off, gk_status st, const char *fmt, ...)
    GK_PRINTF(4, 5);
static void fail_at(parser *p, size_t off, gk_status st, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    int line, col;
    pos_at(p, off, &line, &col);
    gk_buf b = GK_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    gk_error_set(p->err, st, p->file, line, col, NULL, "%s", b.ptr);
    gk_buf_release(&b);
}

#define SYNTAX GK_ERR_JSON_SYNTAX

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            p->pos++;
        else
            break;
    }
}

/* Describe the character at off for a message: “x”, or U+XXXX for
 * controls; reports invalid UTF-8 itself and returns false. */
static bool describe_char(parser *p, size_t off, gk_buf *out)
{
    size_t i = off;
    int32_t cp = gk_utf8_next(p->s, p->len, &i);
    if (cp < 0) {
        fail_at(p, off, SYNTAX,
                GK_TR("无效的 UTF-8 字节 0x%02X（文件应为 UTF-8 编码）",
                      "invalid UTF-8 byte 0x%02X (the file must be UTF-8)"),
                (unsigned char)p->s[off]);
        return false;
    }
    if (cp < 0x20 || cp == 0x7F)
        gk_buf_printf(out, "U+%04X", (unsigned)cp);
    else {
        gk_buf_puts(out, GK_TR("“", "'"));
        gk_buf_put(out, p->s + off, i - off);
        gk_buf_puts(out, GK_TR("”", "'"));
    }
    /* Full-width punctuation typed by a Chinese input method. */
    switch (cp) {
    case 0x201C: case 0x201D:
        gk_buf_puts(out, GK_TR("（JSON 的引号应为半角 \"）", " (JSON quotes are ASCII \")"));
        break;
    case 0xFF0C:
        gk_buf_puts(out, GK_TR("（应为半角逗号 ,）", " (use the ASCII comma ,)"));
        break;
    case 0xFF1A:
        gk_buf_puts(out, GK_TR("（应为半角冒号 :）", " (use the ASCII colon :)"));
        break;
    default:
        break;
    }
    return true;
}

/* "unexpected X: <what was expected>" at the current position. */
static void fail_expect(parser *p, const char *expected, size_t open_off)
{
    if (p->failed)
        return;
    if (p->pos >= p->len) {
        int line = 0, col = 0;
        if (open_off != SIZE_MAX)
            pos_at(p, open_off, &line, &col);
        if (open_off != SIZE_MAX)
            fail_at(p, p->len, SYNTAX,
                    GK_TR("意外的文件结尾：%s（从第 %d 行第 %d 列开始）",
                          "unexpected end of file: %s (opened at %d:%d)"),
                    expected, line, col);
        else
            fail_at(p, p->len, SYNTAX,
                    GK_TR("意外的文件结尾：%s", "unexpected end of file: %s"),
                    expected);
        return;
    }
    gk_buf d = GK_BUF_INIT;
    if (describe_char(p, p->pos, &d))
        fail_at(p, p->pos, SYNTAX,
                GK_TR("意外的字符%s：%s", "unexpected character %s: %s"),
                d.ptr, expected);
    gk_buf_release(&d);
}

static gk_json *new_node(parser *p, gk_json_type t, size_t off, gk_json *parent,
                         int index)
{
    gk_json *n = GK_ARENA_NEW(p->a, gk_json);
    n->type = t;
    pos_at(p, off, &n->line, &n->col);
    n->parent = parent;
    n->index = index;
    return n;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int read_hex4(parser *p, size_t at)
{
    if (at + 4 > p->len)
        return -1;
    int v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval((unsigned char)p->s[at + (size_t)k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Parse a string at p->pos (a '"'); the decoded text goes to the arena. */
static const char *parse_string(parser *p, size_t *out_len)
{
    size_t open = p->pos;
    p->pos++;
    gk_buf *b = &p->sbuf;
    gk_buf_clear(b);
    for (;;) {
        if (p->pos >= p->len) {
            int line, col;
            pos_at(p, open, &line, &col);
            fail_at(p, p->len, SYNTAX,
                    GK_TR("字符串没有结束：缺少“\"”（从第 %d 行第 %d 列开始）",
                          "unterminated string: missing '\"' (opened at %d:%d)"),
                    line, col);
            return NULL;
        }
        if (b->len > p->lim.max_string) {
            fail_at(p, open, GK_ERR_LIMIT,
                    GK_TR("字符串超过 %zu 字节的上限", "string exceeds the limit of %zu bytes"),
                    p->lim.max_string);
            return NULL;
        }
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c < 0x20) {
            fail_at(p, p->pos, SYNTAX,
                    c == '\n' ? GK_TR("字符串中不能直接换行（换行写作 \\n，或者缺少“\"”）",
                                      "raw line break in a string (write \\n, or a '\"' is missing)")
                              : GK_TR("字符串中不能有未转义的控制字符 U+%04X",
                                      "unescaped control character U+%04X in a string"),
                    (unsigned)c);
            return NULL;
        }
        if (c == '\\') {
            size_t esc = p->pos;
            if (p->pos + 1 >= p->len) {
                p->pos = p->len;
                continue; /* reported as unterminated */
            }
            char e = p->s[p->pos + 1];
            p->pos += 2;
            switch (e) {
            case '"': gk_buf_putc(b, '"'); break;
            case '\\': gk_buf_putc(b, '\\'); break;
            case '/': gk_buf_putc(b, '/'); break;
            case 'b': gk_buf_putc(b, '\b'); break;
            case 'f': gk_buf_putc(b, '\f'); break;
            case 'n': gk_buf_putc(b, '\n'); break;
            case 'r': gk_buf_putc(b, '\r'); break;
            case 't': gk_buf_putc(b, '\t'); break;
            case 'u': {
                int u = read_hex4(p, p->pos);
                if (u < 0) {
                    fail_at(p, esc, SYNTAX,
                            GK_TR("“\\u”后应为 4 位十六进制数字",
                                  "'\\u' must be followed by 4 hex digits"));
                    return NULL;
                }
                p->pos += 4;
                uint32_t cp = (uint32_t)u;
                if (u >= 0xD800 && u <= 0xDBFF) {
                    int lo = -1;
                    if (p->pos + 1 < p->len && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u')
                        lo = read_hex4(p, p->pos + 2);
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        fail_at(p, esc, SYNTAX,
                                GK_TR("不成对的 UTF-16 代理项 \\u%04X", "unpaired UTF-16 surrogate \\u%04X"),
                                (unsigned)u);
                        return NULL;
                    }
                    p->pos += 6;
                    cp = 0x10000 + (((uint32_t)u - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                } else if (u >= 0xDC00 && u <= 0xDFFF) {
                    fail_at(p, esc, SYNTAX,
                            GK_TR("不成对的 UTF-16 代理项 \\u%04X", "unpaired UTF-16 surrogate \\u%04X"),
                            (unsigned)u);
                    return NULL;
                } else if (u == 0) {
                    fail_at(p, esc, SYNTAX,
                            GK_TR("字符串不能含 U+0000", "strings may not contain U+0000"));
                    return NULL;
                }
                gk_utf8_put(b, cp);
                break;
            }
            default: {
                gk_buf d = GK_BUF_INIT;
                if (describe_char(p, esc + 1, &d))
                    fail_at(p, esc, SYNTAX,
                            GK_TR("无效的转义“\\”+%s（可用 \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX）",
                                  "invalid escape '\\' + %s (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"),
                            d.ptr);
                gk_buf_release(&d);
                return NULL;
            }
            }
            continue;
        }
        if (c < 0x80) {
            /* Copy a run of plain ASCII at once. */
            size_t k = p->pos;
            while (k < p->len) {
                unsigned char d = (unsigned char)p->s[k];
                if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\')
                    break;
                k++;
            }
            gk_buf_put(b, p->s + p->pos, k - p->pos);
            p->pos = k;
            continue;
        }
        size_t at = p->pos;
        if (gk_utf8_next(p->s, p->len, &p->pos) < 0) {
            fail_at(p, at, SYNTAX,
                    GK_TR("无效的 UTF-8 字节 0x%02X（文件应为 UTF-8 编码）",
                          "invalid UTF-8 byte 0x%02X (the file must be UTF-8)"),
                    c);
            return NULL;
        }
        gk_buf_put(b, p->s + at, p->pos - at);
    }
    if (b->len > p->lim.max_string) {
        fail_at(p, open, GK_ERR_LIMIT,
                GK_TR("字符串超过 %zu 字节的上限", "string exceeds the limit of %zu bytes"),
                p->lim.max_string);
        return NULL;
    }
    *out_len = b->len;
    return gk_arena_strndup(p->a, b->ptr, b->len);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool parse_number(parser *p, gk_json *n)
{
    size_t st = p->pos, i = p->pos;
    if (i < p->len && p->s[i] == '-')
        i++;
    if (i < p->len && (p->s[i] == 'I' || p->s[i] == 'N')) {
        fail_at(p, st, SYNTAX,
                GK_TR("JSON 不允许 NaN 或 Infinity", "JSON has no NaN or Infinity"));
        return false;
    }
    if (i >= p->len || !is_digit(p->s[i])) {
        fail_at(p, i, SYNTAX, GK_TR("“-”后缺少数字", "missing digits after '-'"));
        return false;
    }
    if (p->s[i] == '0' && i + 1 < p->len && is_digit(p->s[i + 1])) {
        fail_at(p, st, SYNTAX,
                GK_TR("数字不能以 0 开头（写成字符串或去掉前导零）",
                      "numbers may not have leading zeros"));
        return false;
    }
    while (i < p->len && is_digit(p->s[i]))
        i++;
    if (i < p->len && p->s[i] == '.') {
        i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            fail_at(p, i, SYNTAX, GK_TR("小数点后缺少数字", "missing digits after '.'"));
            return false;
        }
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->len && (p->s[i] == '+' || p->s[i] == '-'))
            i++;
        if (i >= p->len || !is_digit(p->s[i])) {
            fail_at(p, i, SYNTAX, GK_TR("指数缺少数字", "missing exponent digits"));
            return false;
        }
        while (i < p->len && is_digit(p->s[i]))
            i++;
    }
    if (i - st > p->lim.max_string) {
        fail_at(p, st, GK_ERR_LIMIT,
                GK_TR("数字超过 %zu 个字符的上限", "number exceeds the limit of %zu characters"),
                p->lim.max_string);
        return false;
    }
    n->text = gk_arena_strndup(p->a, p->s + st, i - st);
    n->text_len = i - st;
    p->pos = i;
    return true;
}

static bool parse_literal(parser *p, gk_json *n)
{
    size_t st = p->pos, i = p->pos;
    while (i < p->len && ((p->s[i] >= 'a' && p->s[i] <= 'z') ||
                          (p->s[i] >= 'A' && p->s[i] <= 'Z') ||
                          is_digit(p->s[i]) || p->s[i] == '_'))
        i++;
    size_t w = i - st;
    const char *s = p->s + st;
    if (w == 4 && memcmp(s, "true", 4) == 0) {
        n->type = GK_JSON_BOOL;
        n->boolean = true;
    } else if (w == 5 && memcmp(s, "false", 5) == 0) {
        n->type = GK_JSON_BOOL;
    } else if (w == 4 && memcmp(s, "null", 4) == 0) {
        n->type = GK_JSON_NULL;
    } else if ((w == 3 && memcmp(s, "NaN", 3) == 0) ||
               (w == 8 && memcmp(s, "Infinity", 8) == 0)) {
        fail_at(p, st, SYNTAX, GK_TR("JSON 不允许 NaN 或 Infinity", "JSON has no NaN or Infinity"));
        return false;
    } else {
        if (w > 40)
            w = 40;
        fail_at(p, st, SYNTAX,
                GK_TR("意外的“%.*s”：应为一个 JSON 值（字符串要加引号；字面量只有 true、false、null）",
                      "unexpected '%.*s': expected a JSON value (strings need quotes; the literals are true, false, null)"),
                (int)w, s);
        return false;
    }
    p->pos = i;
    return true;
}

static void push_item(parser *p, gk_json *v)
{
    if (p->nitems == p->capitems) {
        p->capitems = p->capitems ? p->capitems * 2 : 64;
        p->items = gk_xrealloc(p->items, p->capitems * sizeof(*p->items));
    }
    p->items[p->nitems++] = v;
}

static void push_member(parser *p, const gk_json_member *m)
{
    if (p->nmems == p->capmems) {
        p->capmems = p->capmems ? p->capmems * 2 : 64;
        p->mems = gk_xrealloc(p->mems, p->capmems * sizeof(*p->mems));
    }
    p->mems[p->nmems++] = *m;
}

static uint64_t hash_key(uint32_t obj, const char *k)
{
    uint64_t h = 1469598103934665603ull ^ obj;
    for (; *k; k++) {
        h ^= (unsigned char)*k;
        h *= 1099511628211ull;
    }
    h ^= h >> 29;
    return h;
}

/* Insert (obj, key); returns the existing entry when the key is there. */
static const dup_ent *dup_insert(parser *p, uint32_t obj, const char *key,
                                 int line, int col)
{
    if ((p->tabn + 1) * 2 > p->tabcap) {
        size_t ncap = p->tabcap ? p->tabcap * 2 : 256;
        dup_ent *nt = gk_xcalloc(ncap, sizeof(*nt));
        for (size_t i = 0; i < p->tabcap; i++) {
            if (!p->tab[i].key)
                continue;
            size_t j = hash_key(p->tab[i].obj, p->tab[i].key) & (ncap - 1);
            while (nt[j].key)
                j = (j + 1) & (ncap - 1);
            nt[j] = p->tab[i];
        }
        free(p->tab);
        p->tab = nt;
        p->tabcap = ncap;
    }
    size_t j = hash_key(obj, key) & (p->tabcap - 1);
    while (p->tab[j].key) {
        if (p->tab[j].obj == obj && strcmp(p->tab[j].key, key) == 0)
            return &p->tab[j];
        j = (j + 1) & (p->tabcap - 1);
    }
    p->tab[j] = (dup_ent){ .key = key, .obj = obj, .line = line, .col = col };
    p->tabn++;
    return NULL;
}

static gk_json *parse_value(parser *p, gk_json *parent, int index, int depth);

static bool too_many(parser *p, size_t n, size_t open)
{
    if (n < p->lim.max_items)
        return false;
    fail_at(p, open, GK_ERR_LIMIT,
            GK_TR("数组或对象超过 %zu 项的上限", "array or object exceeds the limit of %zu items"),
            p->lim.max_items);
    return true;
}

static bool parse_array(parser *p, gk_json *n, int depth)
{
    size_t open = p->pos;
    size_t base = p->nitems;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        return true;
    }
    for (;;) {
        if (too_many(p, p->nitems - base, open))
            return false;
        gk_json *v = parse_value(p, n, (int)(p->nitems - base), depth + 1);
        if (!v)
            return false;
        push_item(p, v);
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            size_t comma = p->pos;
            p->pos++;
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ']') {
                fail_at(p, comma, SYNTAX,
                        GK_TR("数组的最后一项后面不能有“,”", "trailing ',' after the last array item"));
                return false;
            }
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == ']') {
            p->pos++;
            break;
        }
        fail_expect(p, GK_TR("缺少“,”或“]”（在数组中）", "expected ',' or ']' (in an array)"), open);
        return false;
    }
    n->len = p->nitems - base;
    n->items = GK_ARENA_ARRAY(p->a, gk_json *, n->len);
    memcpy(n->items, p->items + base, n->len * sizeof(*n->items));
    p->nitems = base;
    return true;
}

static bool parse_object(parser *p, gk_json *n, int depth)
{
    size_t open = p->pos;
    size_t base = p->nmems;
    uint32_t serial = ++p->obj_serial;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        return true;
    }
    for (;;) {
        if (too_many(p, p->nmems - base, open))
            return false;
        if (p->pos >= p->len || p->s[p->pos] != '"') {
            fail_expect(p, GK_TR("应为键（带引号的字符串）或“}”（在对象中）",
                                 "expected a key (a quoted string) or '}' (in an object)"),
                        open);
            return false;
        }
        gk_json_member m = { 0 };
        pos_at(p, p->pos, &m.key_line, &m.key_col);
        size_t klen;
        m.key = parse_string(p, &klen);
        if (!m.key)
            return false;
        const dup_ent *d = dup_insert(p, serial, m.key, m.key_line, m.key_col);
        if (d) {
            int kl = m.key_line, kc = m.key_col;
            /* fail_at locates by offset; the key's start is known. */
            p->failed = true;
            gk_error_set(p->err, SYNTAX, p->file, kl, kc, NULL,
                         GK_TR("键“%s”重复（第一次出现在第 %d 行第 %d 列）",
                               "duplicate key '%s' (first at %d:%d)"),
                         m.key, d->line, d->col);
            return false;
        }
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ':') {
            fail_expect(p, GK_TR("缺少“:”（在对象的键之后）", "expected ':' after the key"), open);
            return false;
        }
        p->pos++;
        m.value = parse_value(p, n, (int)(p->nmems - base), depth + 1);
        if (!m.value)
            return false;
        push_member(p, &m);
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            size_t comma = p->pos;
            p->pos++;
            skip_ws(p);
            if (p->pos < p->len && p->s[p->pos] == '}') {
                fail_at(p, comma, SYNTAX,
                        GK_TR("对象的最后一个成员后面不能有“,”",
                              "trailing ',' after the last object member"));
                return false;
            }
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == '}') {
            p->pos++;
            break;
        }
        fail_expect(p, GK_TR("缺少“,”或“}”（在对象中）", "expected ',' or '}' (in an object)"), open);
        return false;
    }
    n->len = p->nmems - base;
    n->members = GK_ARENA_ARRAY(p->a, gk_json_member, n->len);
    memcpy(n->members, p->mems + base, n->len * sizeof(*n->members));
    p->nmems = base;
    return true;
}

static gk_json *parse_value(parser *p, gk_json *parent, int index, int depth)
{
    skip_ws(p);
    if (p->pos >= p->len) {
        fail_expect(p, GK_TR("应为一个 JSON 值", "expected a JSON value"), SIZE_MAX);
        return NULL;
    }
    char c = p->s[p->pos];
    gk_json *n;
    switch (c) {
    case '{':
    case '[':
        if (depth >= p->lim.max_depth) {
            fail_at(p, p->pos, GK_ERR_LIMIT,
                    GK_TR("嵌套超过 %d 层的上限", "nesting exceeds the limit of %d levels"),
                    p->lim.max_depth);
            return NULL;
        }
        n = new_node(p, c == '{' ? GK_JSON_OBJECT : GK_JSON_ARRAY, p->pos, parent, index);
        if (!(c == '{' ? parse_object(p, n, depth) : parse_array(p, n, depth)))
            return NULL;
        return n;
    case '"': {
        n = new_node(p, GK_JSON_STRING, p->pos, parent, index);
        size_t len;
        n->text = parse_string(p, &len);
        if (!n->text)
            return NULL;
        n->text_len = len;
        return n;
    }
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        n = new_node(p, GK_JSON_NUMBER, p->pos, parent, index);
        return parse_number(p, n) ? n : NULL;
    default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            n = new_node(p, GK_JSON_NULL, p->pos, parent, index);
            return parse_literal(p, n) ? n : NULL;
        }
        if (c == '.' || c == '+') {
            fail_at(p, p->pos, SYNTAX,
                    GK_TR("数字必须以数字或“-”开头", "a number must start with a digit or '-'"));
            return NULL;
        }
        if (c == ']' || c == '}' || c == ',' || c == ':') {
            fail_expect(p, GK_TR("应为一个 JSON 值", "expected a JSON value"), SIZE_MAX);
            return NULL;
        }
        fail_expect(p, GK_TR("应为一个 JSON 值", "expected a JSON value"), SIZE_MAX);
        return NULL;
    }
}

gk_json_doc *gk_json_parse(const char *data, size_t len, const char *file,
                           const gk_json_limits *limits, gk_error *err)
{
    static const gk_json_limits defaults = GK_JSON_LIMITS_DEFAULT;
    parser p = { 0 };
    p.s = data;
    p.len = len;
    p.file = file ? file : "-";
    p.lim = limits ? *limits : defaults;
    if (p.lim.max_depth <= 0 || p.lim.max_depth > DEPTH_CAP)
        p.lim.max_depth = p.lim.max_depth <= 0 ? defaults.max_depth : DEPTH_CAP;
    p.err = err;
    p.pc_line = p.pc_col = 1;
    p.sbuf = (gk_buf)GK_BUF_INIT;

    gk_json_doc *doc = gk_xcalloc(1, sizeof(*doc));
    gk_arena_init(&doc->arena);
    doc->file = gk_arena_strdup(&doc->arena, p.file);
    p.a = &doc->arena;

    if (len > p.lim.max_bytes) {
        gk_error_set(err, GK_ERR_LIMIT, p.file, 0, 0, NULL,
                     GK_TR("输入有 %zu 字节，超过 %zu 字节的上限",
                           "the input has %zu bytes, over the limit of %zu"),
                     len, p.lim.max_bytes);
        goto fail;
    }
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF))) {
        gk_error_set(err, SYNTAX, p.file, 1, 1, NULL,
                     GK_TR("文件是 UTF-16 编码，应为 UTF-8", "the file is UTF-16; it must be UTF-8"));
        goto fail;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        p.start = p.pos = p.pc_off = 3;
    skip_ws(&p);
    if (p.pos >= p.len) {
        gk_error_set(err, SYNTAX, p.file, 1, 1, NULL,
                     p.start == p.len && len == p.start
                         ? GK_TR("文件是空的：应为一个 JSON 值", "the file is empty: expected a JSON value")
                         : GK_TR("文件只有空白：应为一个 JSON 值",
                                 "the file holds only white space: expected a JSON value"));
        goto fail;
    }
    doc->root = parse_value(&p, NULL, 0, 0);
    if (!doc->root)
        goto fail;
    skip_ws(&p);
    if (p.pos < p.len) {
        gk_buf d = GK_BUF_INIT;
        if (describe_char(&p, p.pos, &d))
            fail_at(&p, p.pos, SYNTAX,
                    GK_TR("JSON 值之后还有多余的内容（%s）", "extra content after the JSON value (%s)"),
                    d.ptr);
        gk_buf_release(&d);
        goto fail;
    }
    free(p.items);
    free(p.mems);
    free(p.tab);
    gk_buf_release(&p.sbuf);
    return doc;
fail:
    free(p.items);
    free(p.mems);
    free(p.tab);
    gk_buf_release(&p.sbuf);
    gk_json_free(doc);
    return NULL;
}

void gk_json_free(gk_json_doc *doc)
{
    if (!doc)
        return;
    gk_arena_release(&doc->arena);
    free(doc);
}

const gk_json *gk_json_root(const gk_json_doc *doc) { return doc ? doc->root : NULL; }

const char *gk_json_file(const gk_json_doc *doc) { return doc ? doc->file : NULL; }

const gk_json *gk_json_get(const gk_json *obj, const char *key)
{
    if (!obj || obj->type != GK_JSON_OBJECT || !key)
        return NULL;
    for (size_t i = 0; i < obj->len; i++)
        if (strcmp(obj->members[i].key, key) == 0)
            return obj->members[i].value;
    return NULL;
}

const gk_json *gk_json_at(const gk_json *root, const char *path)
{
    const gk_json *n = root;
    const char *s = path;
    if (!n || !s)
        return NULL;
    if (*s == '$')
        s++;
    while (*s && n) {
        if (*s == '.') {
            s++;
            continue;
        }
        if (*s == '[') {
            s++;
            if (!is_digit(*s))
                return NULL;
            size_t idx = 0;
            while (is_digit(*s)) {
                idx = idx * 10 + (size_t)(*s - '0');
                if (idx > (size_t)1 << 40)
                    return NULL;
                s++;
            }
            if (*s != ']')
                return NULL;
            s++;
            if (n->type != GK_JSON_ARRAY || idx >= n->len)
                return NULL;
            n = n->items[idx];
            continue;
        }
        const char *e = s;
        while (*e && *e != '.' && *e != '[')
            e++;
        const gk_json *next = NULL;
        if (n->type == GK_JSON_OBJECT)
            for (size_t i = 0; i < n->len; i++) {
                const char *k = n->members[i].key;
                if (strlen(k) == (size_t)(e - s) && memcmp(k, s, (size_t)(e - s)) == 0) {
                    next = n->members[i].value;
                    break;
                }
            }
        n = next;
        s = e;
    }
    return n;
}

static bool plain_key(const char *k)
{
    if (!*k || is_digit(*k))
        return false;
    for (; *k; k++) {
        unsigned char c = (unsigned char)*k;
        if (c == '.' || c == '[' || c == ']' || c == '"' || c == '\\' || c <= ' ')
            return false;
    }
    return true;
}

void gk_json_path(const gk_json *node, gk_buf *b)
{
    if (!node)
        return;
    if (!node->parent) {
        gk_buf_putc(b, '$');
        return;
    }
    gk_json_path(node->parent, b);
    if (node->parent->type == GK_JSON_ARRAY) {
        gk_buf_printf(b, "[%d]", node->index);
    } else {
        const char *k = node->parent->members[node->index].key;
        if (plain_key(k)) {
            gk_buf_printf(b, ".%s", k);
        } else {
            gk_buf_puts(b, "[\"");
            for (; *k; k++) {
                if (*k == '"' || *k == '\\')
                    gk_buf_putc(b, '\\');
                if ((unsigned char)*k < 0x20)
                    gk_buf_printf(b, "\\u%04x", (unsigned char)*k);
                else
                    gk_buf_putc(b, *k);
            }
            gk_buf_puts(b, "\"]");
        }
    }
}

const char *gk_json_type_name(gk_json_type t)
{
    switch (t) {
    case GK_JSON_NULL: return "null";
    case GK_JSON_BOOL: return GK_TR("布尔值", "boolean");
    case GK_JSON_NUMBER: return GK_TR("数字", "number");
    case GK_JSON_STRING: return GK_TR("字符串", "string");
    case GK_JSON_ARRAY: return GK_TR("数组", "array");
    case GK_JSON_OBJECT: return GK_TR("对象", "object");
    }
    return "?";
}
