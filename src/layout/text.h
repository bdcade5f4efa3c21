/*
 * gongkai layout — text: runs turned into measured characters, break
 * opportunities (libunibreak, lang "zh", plus the clreq prohibitions and
 * number+unit glue), greedy line filling with line-end punctuation
 * compression, and positioned text items for one line.
 *
 * Ownership: a gk__tb is caller-allocated (GK__TB_INIT) and owns its
 * character array until gk__tb_release().  Items are appended to a
 * caller-owned gk__items; their strings live in the given arena.
 */
#ifndef GK_LAYOUT_TEXT_H
#define GK_LAYOUT_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "layout/fonts.h"
#include "layout/layout.h"

enum { GK__BRK_NO = 0, GK__BRK_ALLOW = 1, GK__BRK_MUST = 2 };

typedef struct gk__ch {
    uint32_t cp;       /* what is drawn (□ for a character no font has) */
    int16_t font;      /* gk__fonts index, -1 = not drawn ('\n') */
    uint8_t brk;       /* break after this character: GK__BRK_* */
    bool bold, italic, underline;
    bool space;        /* U+0020: trimmed at line ends, stretchable */
    bool wide;         /* advance of about one em (CJK) */
    bool hang;         /* line-end mark whose right half may be given up */
    float size;
    double wn;         /* advance of the glyph */
    double w;          /* advance in the line (less when compressed) */
} gk__ch;

/* Text being laid out. */
typedef struct gk__tb {
    gk__ch *ch;
    size_t n, cap;
    bool broken;       /* break opportunities computed */
} gk__tb;
#define GK__TB_INIT { NULL, 0, 0, false }

typedef struct gk__line {
    size_t start, end; /* characters [start, end) */
    size_t vis_end;    /* end without trailing spaces / newline */
    double width;      /* natural width, line-end compression applied */
    bool last;         /* last line of the text, or ends in a forced break */
} gk__line;

typedef struct gk__lines {
    gk__line *v;
    size_t n, cap;
} gk__lines;

/* A growable list of items (arena-free, caller releases with free()). */
typedef struct gk__items {
    gk__item *v;
    size_t n, cap;
} gk__items;

void gk__items_push(gk__items *it, const gk__item *item);

typedef struct gk__tctx {
    gk__fonts *fonts;
    gk_arena *arena;   /* strings of emitted items */
    gk_src src;        /* the block being laid out, for warnings */
} gk__tctx;

/* Append UTF-8 text drawn in `role` at `size` with GK_RUN_* `flags`
 * (plus `bold`).  '\n' is a forced line break; other controls are
 * dropped. */
void gk__tb_add(gk__tctx *c, gk__tb *tb, const char *s, size_t len,
                gk_font_role role, double size, unsigned flags, bool bold);
void gk__tb_add_runs(gk__tctx *c, gk__tb *tb, const gk_runs *runs,
                     gk_font_role role, double size, bool bold);
void gk__tb_clear(gk__tb *tb);
void gk__tb_release(gk__tb *tb);

/* Compute the break opportunities (done by the functions below when
 * needed). */
void gk__tb_breaks(gk__tb *tb);

/* Width of the whole text on one line (up to the first forced break). */
double gk__tb_natural(gk__tb *tb);
/* Width of the widest piece that can never be broken. */
double gk__tb_min_width(gk__tb *tb);

/* Break into lines: the first `first_w` wide, the others `w` wide.
 * Appends to *out (cleared first). */
void gk__tb_lines(gk__tb *tb, double first_w, double w, gk__lines *out);

/* Emit text items for one line: `x` is the left edge, `avail` the width
 * of the line, `baseline` the y of the baseline; `justify` stretches the
 * line to `avail` (never the last line). */
void gk__tb_emit(gk__tctx *c, gk__tb *tb, const gk__line *ln, double x,
                 double avail, gk_align align, double baseline,
                 gk__items *out);

#endif
