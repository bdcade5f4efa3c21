/* Measured text, break opportunities, line filling.  See text.h. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linebreak.h>

#include "layout/text.h"

#define MISSING_MARK 0x25A1u /* □ */

void gk__items_push(gk__items *it, const gk__item *item)
{
    if (it->n == it->cap) {
        it->cap = it->cap ? it->cap * 2 : 64;
        it->v = gk_xrealloc(it->v, it->cap * sizeof(*it->v));
    }
    it->v[it->n++] = *item;
}

/* ------------------------------------------------------------------ */
/* Character classes (clreq). */


#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Must not start a line: 点号, closing brackets and quotes, 间隔号,
 * 省略号 and the like (clreq "basic" + 省略号). */
static const uint32_t no_start[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B,
    0x201D, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0xFF3D, 0xFF5D, 0x3017,
    0x3019, 0x2019, 0x2026, 0x2025, 0x00B7, 0x30FB, 0xFF05, 0x2030, 0xFF0E,
    ',', '.', ';', ':', '?', '!', ')', ']', '}', '%',
};
/* Must not end a line: opening brackets and quotes. */
static const uint32_t no_end[] = {
    0xFF08, 0x300A, 0x201C, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0xFF3B,
    0xFF5B, 0x3016, 0x3018, 0x2018, '(', '[', '{',
};
/* Marks whose glyph sits in the left half in Chinese fonts and that may
 * lose their right half at a line end or before another mark. */
static const uint32_t hang_marks[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF09, 0x300B, 0x201D, 0x300D,
    0x300F, 0x3011, 0x3015, 0x3009, 0xFF3D, 0xFF5D, 0x2019,
};
/* Full-width marks (a compressible mark before one of these shrinks). */
static const uint32_t fw_marks[] = {
    0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B,
    0x201D, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0xFF3D, 0xFF5D, 0x2019,
    0xFF08, 0x300A, 0x201C, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0xFF3B,
    0xFF5B, 0x2018,
};

/* Units that stay with the number before them (clreq "Digits and their
 * Prefix and Suffix"), as UTF-8. */
static const char *const units[] = {
    "万元", "亿元", "千元", "元", "%", "％", "‰", "个", "人次", "人", "辆",
    "次", "项", "台", "套", "家", "天", "倍", "户", "名", "件", "份", "批",
    "场", "期", "所", "万", "亿", "平方米", "米", "岁",
};

static bool is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* Character classes in one table over the ranges the lists use. */
enum { C_NO_START = 1, C_NO_END = 2, C_HANG = 4, C_FW = 8 };

static uint8_t cls_latin[0x100], cls_2000[0x70], cls_3000[0x100], cls_ff00[0x70];
static uint32_t unit_cp[sizeof units / sizeof units[0]][4];
static uint8_t unit_len[sizeof units / sizeof units[0]];
static pthread_once_t cls_once = PTHREAD_ONCE_INIT;

static uint8_t *cls_slot(uint32_t cp)
{
    if (cp < 0x100)
        return &cls_latin[cp];
    if (cp >= 0x2000 && cp < 0x2070)
        return &cls_2000[cp - 0x2000];
    if (cp >= 0x3000 && cp < 0x3100)
        return &cls_3000[cp - 0x3000];
    if (cp >= 0xFF00 && cp < 0xFF70)
        return &cls_ff00[cp - 0xFF00];
    return NULL;
}

static void cls_mark(const uint32_t *list, size_t n, uint8_t bit)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t *p = cls_slot(list[i]);
        if (!p)
            GK_BUG("a line-breaking mark outside the class table");
        *p |= bit;
    }
}

static void cls_init(void)
{
    cls_mark(no_start, N(no_start), C_NO_START);
    cls_mark(no_end, N(no_end), C_NO_END);
    cls_mark(hang_marks, N(hang_marks), C_HANG);
    cls_mark(fw_marks, N(fw_marks), C_FW);
    for (size_t u = 0; u < N(units); u++) {
        size_t len = strlen(units[u]), bi = 0, k = 0;
        while (bi < len && k < 4)
            unit_cp[u][k++] = (uint32_t)gk_utf8_next(units[u], len, &bi);
        unit_len[u] = (uint8_t)k;
    }
}

/* Class bits of cp. */
static unsigned cls(uint32_t cp)
{
    const uint8_t *p = cls_slot(cp);
    return p ? *p : 0;
}

/* ------------------------------------------------------------------ */
/* Building. */

static void tb_push(gk__tb *tb, const gk__ch *c)
{
    if (tb->n == tb->cap) {
        tb->cap = tb->cap ? tb->cap * 2 : 64;
        tb->ch = gk_xrealloc(tb->ch, tb->cap * sizeof(*tb->ch));
    }
    tb->ch[tb->n++] = *c;
    tb->broken = false;
}

void gk__tb_add(gk__tctx *c, gk__tb *tb, const char *s, size_t len,
                gk_font_role role, double size, unsigned flags, bool bold)
{
    pthread_once(&cls_once, cls_init);
    size_t i = 0;
    bool b = bold || (flags & (GK_RUN_BOLD | GK_RUN_EMPHASIS)) ||
             c->fonts->role_bold[(unsigned)role < GK_FONT_ROLE_COUNT ? role : 0];
    while (i < len) {
        size_t at = i;
        int32_t cp = gk_utf8_next(s, len, &i);
        if (cp < 0) {
            cp = 0xFFFD;
            if (i == at)
                i++; /* a bad byte is one U+FFFD, not a stop */
        }
        gk__ch ch = {
            .cp = (uint32_t)cp, .font = -1, .brk = GK__BRK_NO, .bold = b,
            .italic = (flags & GK_RUN_ITALIC) != 0,
            .underline = (flags & GK_RUN_UNDERLINE) != 0,
            .size = (float)size,
        };
        if (cp == '\n') {
            tb_push(tb, &ch);
            continue;
        }
        if (cp == '\t')
            ch.cp = ' ';
        else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF ||
                 cp == 0x200B)
            continue;
        int w1000;
        int fi = ch.cp <= 0xFFFF ? gk__fonts_pick(c->fonts, role, ch.cp, &w1000) : -1;
        if (fi < 0) {
            gk__fonts_warn_missing(c->fonts, ch.cp, c->src);
            ch.cp = MISSING_MARK;
            fi = gk__fonts_pick(c->fonts, role, ch.cp, &w1000);
            if (fi < 0)
                continue;
        } else if (fi == c->fonts->role[role]) {
            gk__fonts_note_role(c->fonts, role);
        }
        ch.font = (int16_t)fi;
        ch.wn = ch.w = w1000 * size / 1000.0;
        ch.space = ch.cp == ' ';
        ch.wide = w1000 >= 800;
        ch.hang = (cls(ch.cp) & C_HANG) && gk__font_left_ink(c->fonts, fi, ch.cp);
        tb_push(tb, &ch);
    }
}

void gk__tb_add_runs(gk__tctx *c, gk__tb *tb, const gk_runs *runs,
                     gk_font_role role, double size, bool bold)
{
    for (size_t i = 0; i < runs->len; i++) {
        const gk_run *r = &runs->items[i];
        gk_font_role rr = r->font >= 0 && r->font < GK_FONT_ROLE_COUNT
                              ? (gk_font_role)r->font : role;
        gk__tb_add(c, tb, r->text, strlen(r->text), rr, size, r->flags, bold);
    }
}

void gk__tb_clear(gk__tb *tb)
{
    tb->n = 0;
    tb->broken = false;
}

void gk__tb_release(gk__tb *tb)
{
    free(tb->ch);
    *tb = (gk__tb)GK__TB_INIT;
}

/* ------------------------------------------------------------------ */
/* Break opportunities. */

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;

static void lb_init(void)
{
    init_linebreak();
}

/* Length in characters of the unit starting at ch[i], or 0. */
static size_t unit_at(const gk__ch *ch, size_t n, size_t i)
{
    size_t best = 0;
    for (size_t u = 0; u < N(units); u++) {
        size_t k = 0;
        while (k < unit_len[u] && i + k < n && ch[i + k].cp == unit_cp[u][k])
            k++;
        if (k == unit_len[u] && k > best)
            best = k;
    }
    return best;
}

void gk__tb_breaks(gk__tb *tb)
{
    if (tb->broken)
        return;
    tb->broken = true;
    size_t n = tb->n;
    if (n == 0)
        return;
    pthread_once(&lb_once, lb_init);
    pthread_once(&cls_once, cls_init);
    utf32_t stack_cp[512];
    char stack_brk[512];
    utf32_t *cps = n <= 512 ? stack_cp : gk_xmalloc(n * sizeof(utf32_t));
    char *brks = n <= 512 ? stack_brk : gk_xmalloc(n);
    for (size_t i = 0; i < n; i++)
        cps[i] = tb->ch[i].cp;
    set_linebreaks_utf32(cps, n, "zh", brks);
    gk__ch *ch = tb->ch;
    for (size_t i = 0; i < n; i++) {
        ch[i].brk = brks[i] == LINEBREAK_MUSTBREAK ? GK__BRK_MUST
                    : brks[i] == LINEBREAK_ALLOWBREAK ? GK__BRK_ALLOW
                                                      : GK__BRK_NO;
        /* Full-width marks: compression before another mark. */
        ch[i].w = ch[i].wn;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t a = ch[i].cp, b = ch[i + 1].cp;
        if (ch[i].brk == GK__BRK_ALLOW) {
            if ((cls(b) & C_NO_START) || (cls(a) & C_NO_END))
                ch[i].brk = GK__BRK_NO;
            /* Two-em dash and ellipsis pairs never split. */
            if (a == b && (a == 0x2014 || a == 0x2026))
                ch[i].brk = GK__BRK_NO;
            /* 第1, 第12 … */
            if (a == 0x7B2C && is_digit(b))
                ch[i].brk = GK__BRK_NO;
        }
        if (is_digit(a) && !is_digit(b) && b > 0x24) {
            size_t u = unit_at(ch, n, i + 1);
            if (u) {
                for (size_t k = i; k < i + u && k + 1 < n; k++)
                    if (ch[k].brk == GK__BRK_ALLOW)
                        ch[k].brk = GK__BRK_NO;
            }
        }
        if (ch[i].hang && (cls(b) & C_FW))
            ch[i].w = ch[i].wn / 2;
    }
    ch[n - 1].brk = GK__BRK_MUST;
    if (cps != stack_cp) {
        free(cps);
        free(brks);
    }
}

double gk__tb_natural(gk__tb *tb)
{
    gk__tb_breaks(tb);
    double best = 0, acc = 0, vis = 0;
    for (size_t i = 0; i < tb->n; i++) {
        const gk__ch *c = &tb->ch[i];
        acc += c->w;
        if (!c->space && c->cp != '\n')
            vis = acc;
        if (c->brk == GK__BRK_MUST) {
            if (vis > best)
                best = vis;
            acc = vis = 0;
        }
    }
    return best;
}

double gk__tb_min_width(gk__tb *tb)
{
    gk__tb_breaks(tb);
    double best = 0, acc = 0;
    for (size_t i = 0; i < tb->n; i++) {
        const gk__ch *c = &tb->ch[i];
        if (!c->space && c->cp != '\n')
            acc += c->w;
        if (c->brk != GK__BRK_NO) {
            double w = acc - (c->hang ? c->w / 2 : 0);
            if (w > best)
                best = w;
            acc = 0;
        }
    }
    return best;
}

/* ------------------------------------------------------------------ */
/* Lines. */

static void lines_push(gk__lines *out, const gk__line *l)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->v = gk_xrealloc(out->v, out->cap * sizeof(*out->v));
    }
    out->v[out->n++] = *l;
}

/* Width of characters [a, b) as a line: trailing spaces and the newline
 * left out, a hanging mark at the end counted half. */
static double line_width(const gk__tb *tb, size_t a, size_t b, size_t *vis_end)
{
    size_t e = b;
    while (e > a && (tb->ch[e - 1].space || tb->ch[e - 1].cp == '\n'))
        e--;
    double w = 0;
    for (size_t i = a; i < e; i++)
        w += tb->ch[i].w;
    if (e > a && tb->ch[e - 1].hang && tb->ch[e - 1].w == tb->ch[e - 1].wn)
        w -= tb->ch[e - 1].wn / 2;
    if (vis_end)
        *vis_end = e;
    return w;
}

/* How much a mark inside a line can give up: half its width when its
 * ink sits in its left half and it is not compressed already. */
static double squeeze_cap(const gk__ch *c)
{
    return c->hang && c->w == c->wn ? c->wn / 2 : 0;
}

static size_t count_main(const gk__tb *tb, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        if (!tb->ch[i].space && tb->ch[i].cp != '\n' && !(cls(tb->ch[i].cp) & C_NO_START))
            n++;
    return n;
}

void gk__tb_lines(gk__tb *tb, double first_w, double w, gk__lines *out)
{
    gk__tb_breaks(tb);
    out->n = 0;
    size_t n = tb->n, pos = 0;
    const double eps = 0.01;
    if (n == 0) {
        gk__line l = { 0, 0, 0, 0, true };
        lines_push(out, &l);
        return;
    }
    size_t seg_first = 0; /* first line of the current forced-break segment */
    while (pos < n) {
        double avail = out->n == 0 ? first_w : w;
        double acc = 0, vis = 0, sq = 0;
        size_t best = SIZE_MAX, fit_last = SIZE_MAX;
        for (size_t j = pos; j < n; j++) {
            const gk__ch *c = &tb->ch[j];
            acc += c->w;
            if (!c->space && c->cp != '\n')
                vis = acc;
            double lw = vis;
            if (!c->space && c->cp != '\n' && c->hang && c->w == c->wn)
                lw -= c->wn / 2;
            /* Marks inside the line may give up half their width to take
             * in what follows ("先挤进，后推出"). */
            bool fits = lw - sq <= avail + eps;
            sq += squeeze_cap(c);
            if (fits)
                fit_last = j;
            if (c->brk == GK__BRK_MUST) {
                if (fits)
                    best = j;
                break;
            }
            if (c->brk == GK__BRK_ALLOW && fits)
                best = j;
            if (vis - c->wn / 2 - sq > avail + eps)
                break;
        }
        if (best == SIZE_MAX) {
            /* Nothing breakable fits: cut inside the piece, but never
             * before a mark that may not start a line. */
            best = fit_last == SIZE_MAX ? pos : fit_last;
            while (best > pos && best + 1 < n && (cls(tb->ch[best + 1].cp) & C_NO_START))
                best--;
        }
        gk__line l = { .start = pos, .end = best + 1 };
        l.width = line_width(tb, l.start, l.end, &l.vis_end);
        l.last = tb->ch[best].brk == GK__BRK_MUST;
        lines_push(out, &l);
        pos = best + 1;
        if (l.last) {
            /* A segment's last line holding one lone character: take an
             * opportunity earlier on the line before (clreq). */
            size_t nl = out->n - seg_first;
            gk__line *last = &out->v[out->n - 1];
            if (nl >= 2 && count_main(tb, last->start, last->vis_end) == 1) {
                gk__line *prev = &out->v[out->n - 2];
                for (size_t k = last->start - 1; k > prev->start; k--) {
                    if (tb->ch[k - 1].brk != GK__BRK_ALLOW)
                        continue;
                    size_t ve;
                    double lw = line_width(tb, k, last->end, &ve);
                    if (lw <= w + eps && count_main(tb, prev->start, k) >= 2) {
                        prev->end = k;
                        prev->width = line_width(tb, prev->start, k, &prev->vis_end);
                        last->start = k;
                        last->width = lw;
                        last->vis_end = ve;
                    }
                    break;
                }
            }
            seg_first = out->n;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Emission. */

static bool stretchable(const gk__ch *a, const gk__ch *b)
{
    if (a->cp == b->cp && (a->cp == 0x2014 || a->cp == 0x2026))
        return false;
    return a->wide || b->wide || a->space;
}

/* Chinese text next to a digit or a Latin letter (not punctuation, not a
 * space): 年|2023, 1582.35|万. */
static bool cjk_latin_seam(const gk__ch *a, const gk__ch *b)
{
    const gk__ch *w = a->wide ? a : b, *n = a->wide ? b : a;
    if (a->wide == b->wide || a->space || b->space)
        return false;
    if (cls(w->cp) & (C_FW | C_NO_START | C_NO_END))
        return false;
    uint32_t cp = n->cp;
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

void gk__tb_emit(gk__tctx *c, gk__tb *tb, const gk__line *ln, double x,
                 double avail, gk_align align, double baseline,
                 gk__items *out)
{
    size_t a = ln->start, e = ln->vis_end;
    if (e <= a)
        return;
    const gk__ch *ch = tb->ch;
    double off = 0, extra = 0;
    if (align == GK_ALIGN_CENTER)
        off = (avail - ln->width) / 2;
    else if (align == GK_ALIGN_RIGHT)
        off = avail - ln->width;
    if (off < 0 && align != GK_ALIGN_RIGHT)
        off = 0;
    /* A line wider than the measure was fitted by squeezing its marks. */
    double squeeze = 0;
    if (ln->width > avail + 0.01) {
        double cap = 0;
        for (size_t i = a; i + 1 < e; i++)
            cap += squeeze_cap(&ch[i]);
        if (cap > 0)
            squeeze = fmin(1, (ln->width - avail) / cap);
        off = 0;
    }
    /* A line ended early by an unbreakable figure ("…增加" / "269.82万元")
     * is loose.  Its room goes first to where Chinese meets a figure or a
     * Latin word, up to a quarter em each (as Word's "adjust space between
     * Asian text and numbers" would set it), the rest to every gap, so the
     * characters do not drift apart evenly across the whole line. */
    double seam = 0;
    if (align == GK_ALIGN_JUSTIFY && !ln->last && avail > ln->width) {
        size_t gaps = 0, seams = 0;
        double quarter = 0;
        for (size_t i = a; i + 1 < e; i++) {
            if (stretchable(&ch[i], &ch[i + 1]))
                gaps++;
            if (cjk_latin_seam(&ch[i], &ch[i + 1])) {
                seams++;
                quarter = fmax(quarter, fmax(ch[i].size, ch[i + 1].size) / 4);
            }
        }
        double room = avail - ln->width;
        if (seams) {
            seam = fmin(quarter, room / (double)seams);
            room -= seam * (double)seams;
        }
        if (gaps)
            extra = room / (double)gaps;
        else if (seams)
            seam += room / (double)seams;
    }
    double stack_pos[256];
    double *pos = e - a <= 256 ? stack_pos : gk_xmalloc((e - a) * sizeof(double));
    double cx = x + off;
    for (size_t i = a; i < e; i++) {
        pos[i - a] = cx;
        cx += ch[i].w;
        if (squeeze > 0 && i + 1 < e)
            cx -= squeeze * squeeze_cap(&ch[i]);
        if (i + 1 < e && extra > 0 && stretchable(&ch[i], &ch[i + 1]))
            cx += extra;
        if (i + 1 < e && seam > 0 && cjk_latin_seam(&ch[i], &ch[i + 1]))
            cx += seam;
    }
    gk_buf s = GK_BUF_INIT;
    size_t i = a;
    while (i < e) {
        if (ch[i].font < 0) {
            i++;
            continue;
        }
        size_t j = i + 1;
        double tc = 0;
        if (j < e && ch[j].font == ch[i].font)
            tc = pos[j - a] - pos[i - a] - ch[i].wn;
        if (fabs(tc) < 1e-6)
            tc = 0;
        while (j < e && ch[j].font == ch[i].font && ch[j].size == ch[i].size &&
               ch[j].bold == ch[i].bold && ch[j].italic == ch[i].italic &&
               ch[j].underline == ch[i].underline &&
               fabs(pos[j - a] - pos[j - 1 - a] - ch[j - 1].wn - tc) < 1e-4)
            j++;
        gk_buf_clear(&s);
        for (size_t k = i; k < j; k++) {
            gk_utf8_put(&s, ch[k].cp);
            gk__font_use(c->fonts, ch[k].font, ch[k].cp);
        }
        gk__item it = {
            .kind = GK__IT_TEXT, .x = pos[i - a], .y = baseline,
            .w = pos[j - 1 - a] + ch[j - 1].wn - pos[i - a],
        };
        it.u.t = (gk__text){
            .font = ch[i].font, .size = ch[i].size, .tc = (float)tc,
            .bold = ch[i].bold, .italic = ch[i].italic,
            .s = gk_arena_strndup(c->arena, s.ptr, s.len), .len = s.len,
        };
        gk__items_push(out, &it);
        if (ch[i].underline) {
            gk__item u = {
                .kind = GK__IT_LINE, .x = it.x, .y = baseline + ch[i].size * 0.12,
                .w = it.w, .h = 0, .lw = ch[i].size / 20.0,
            };
            gk__items_push(out, &u);
        }
        i = j;
    }
    gk_buf_release(&s);
    if (pos != stack_pos)
        free(pos);
}
