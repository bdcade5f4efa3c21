/*
 * Chart geometry: pies with labels in two columns and leader lines,
 * vertical bars and grouped bars with nice axes.  Everything is in
 * points, origin top-left, y down.  See include/gongkai/chart.h and
 * docs/CHARTS.md.
 *
 * Numbers that are printed (amounts, percentages, tick values) are made
 * from exact fen with the money functions; doubles only place things.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_int.h"
#include "gongkai/money.h"

#define PI 3.14159265358979323846
#define TWO_PI (2.0 * PI)

#define MARGIN 4.0       /* canvas margin */
#define PITCH 1.25       /* line pitch in em */
#define ASC GK_CHART_ASCENT
#define MAXL 8           /* lines of one wrapped label */
#define COLGAP 18.0      /* pie edge to label column */
#define LEAD_OUT 7.0     /* radial part of a leader line */
/* Largest magnitude drawn: 10^17 fen (10^11 万元), so that axis
 * arithmetic in fen cannot overflow. */

/* Fonts of the chart text. */
#define FONT_LABEL GK_FONT_HEI
#define FONT_VALUE GK_FONT_HEI

static const gk_rgb C_TEXT = {0x26, 0x26, 0x26};
static const gk_rgb C_TEXT2 = {0x40, 0x40, 0x40};
static const gk_rgb C_LEADER = {0x7F, 0x7F, 0x7F};
static const gk_rgb C_GRID = {0xD9, 0xD9, 0xD9};
static const gk_rgb C_AXIS = {0x59, 0x59, 0x59};
static const gk_rgb C_WHITE = {0xFF, 0xFF, 0xFF};
static const gk_rgb C_HATCH_DARK = {0x26, 0x26, 0x26};

/* Blue-ish and calm; grey values 59 142 232 103 190 72 154 217: every
 * neighbour (including 7 -> 0) differs by at least 63 of 255. */
const gk_rgb gk__chart_palette[GK__CHART_NPAL] = {
    {0x1F, 0x3F, 0x73}, /* navy */
    {0x5B, 0x9B, 0xD5}, /* mid blue */
    {0xDE, 0xEB, 0xF7}, /* pale blue */
    {0x2E, 0x75, 0xB6}, /* blue */
    {0xF2, 0xB3, 0x6B}, /* muted gold */
    {0x3B, 0x4A, 0x5E}, /* slate */
    {0x7F, 0xA7, 0xA0}, /* grey green */
    {0xD9, 0xD9, 0xD9}, /* light grey */
};

/* Series of bar charts: the first (上年 / 年初预算) light, the second
 * (本年 / 决算) dark. */
static const gk_rgb series_colors[GK_CHART_MAX_SERIES] = {
    {0x9D, 0xC3, 0xE6}, {0x1F, 0x3F, 0x73}, {0xF2, 0xB3, 0x6B},
    {0x5B, 0x9B, 0xD5}};
static const int series_hatch[GK_CHART_MAX_SERIES] = {0, 0, 1, 0};
static const gk_rgb single_bar = {0x2E, 0x75, 0xB6};

double gk__chart_luma(gk_rgb c)
{
    return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
}

static gk_rgb hatch_color_for(gk_rgb fill)
{
    /* the fill blended 55 % towards white (dark fills) or black */
    gk_rgb t = gk__chart_luma(fill) < 128 ? C_WHITE : C_HATCH_DARK;
    gk_rgb r = {(unsigned char)((fill.r * 45 + t.r * 55 + 50) / 100),
                (unsigned char)((fill.g * 45 + t.g * 55 + 50) / 100),
                (unsigned char)((fill.b * 45 + t.b * 55 + 50) / 100)};
    return r;
}

/* ---------------- text measurement ---------------- */

double gk__chart_estimate(void *ctx, gk_font_role font, double size_pt,
                          const char *text)
{
    (void)ctx;
    (void)font;
    double w = 0;
    size_t len = strlen(text), i = 0;
    while (i < len) {
        int32_t cp = gk_utf8_next(text, len, &i);
        if (cp < 0)
            w += 1.0;
        else if (cp == ' ' || cp == '.' || cp == ',' || cp == ':' || cp == ';')
            w += 0.32;
        else if (cp < 0x80)
            w += 0.6;
        else if (cp >= 0xFF61 && cp <= 0xFFDC)
            w += 0.6;
        else
            w += 1.0;
    }
    return w * size_pt;
}

typedef struct meas {
    gk_text_measure_fn fn;
    void *ctx;
} meas;

static double mw(const meas *m, gk_font_role f, double size, const char *s)
{
    return m->fn ? m->fn(m->ctx, f, size, s)
                 : gk__chart_estimate(NULL, f, size, s);
}

/* ---------------- the geometry being built ---------------- */

typedef struct geom_priv {
    gk_chart_geom g; /* first: gk_chart_geom_free() casts back */
    gk_arena arena;  /* label strings */
    size_t capshapes, caplabels;
} geom_priv;

static geom_priv *geom_new(double w, double h)
{
    geom_priv *p = gk_xcalloc(1, sizeof *p);
    gk_arena_init(&p->arena);
    p->g.width = w;
    p->g.height = h;
    return p;
}

void gk_chart_geom_free(gk_chart_geom *g)
{
    if (!g)
        return;
    geom_priv *p = (geom_priv *)g;
    free(p->g.shapes);
    free(p->g.labels);
    gk_arena_release(&p->arena);
    free(p);
}

static gk_shape *add_shape(geom_priv *p, gk_shape_kind kind)
{
    if (p->g.nshapes == p->capshapes) {
        p->capshapes = p->capshapes ? 2 * p->capshapes : 32;
        p->g.shapes = gk_xrealloc(p->g.shapes, p->capshapes * sizeof(gk_shape));
    }
    gk_shape *s = &p->g.shapes[p->g.nshapes++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    return s;
}

static void add_line(geom_priv *p, double x0, double y0, double x1, double y1,
                     gk_rgb color, double width)
{
    gk_shape *s = add_shape(p, GK_SHAPE_LINE);
    s->x0 = x0;
    s->y0 = y0;
    s->x1 = x1;
    s->y1 = y1;
    s->stroke = color;
    s->stroke_width = width;
}

static void add_rect(geom_priv *p, double x, double y, double w, double h,
                     gk_rgb fill, int hatch)
{
    gk_shape *s = add_shape(p, GK_SHAPE_RECT);
    s->x = x;
    s->y = y;
    s->w = w;
    s->h = h;
    s->fill = fill;
    s->stroke = fill;
    s->hatch = hatch;
    s->hatch_color = hatch_color_for(fill);
}

/* A label whose box top is `top`. */
static void add_label(geom_priv *p, const char *text, double x, double top,
                      double w, double size, gk_font_role font, gk_rgb color)
{
    if (p->g.nlabels == p->caplabels) {
        p->caplabels = p->caplabels ? 2 * p->caplabels : 32;
        p->g.labels = gk_xrealloc(p->g.labels, p->caplabels * sizeof(gk_label));
    }
    gk_label *l = &p->g.labels[p->g.nlabels++];
    memset(l, 0, sizeof *l);
    l->text = gk_arena_strdup(&p->arena, text);
    l->x = x;
    l->y = top + ASC * size;
    l->w = w;
    l->h = size;
    l->size_pt = size;
    l->font = font;
    l->color = color;
}

/* ---------------- wrapping Chinese labels ---------------- */

static bool is_close_punct(int32_t c)
{
    switch (c) {
    case ')': case ']': case '}': case ',': case '.': case ';': case ':':
    case '!': case '?': case '%':
    case 0xFF09: case 0xFF3D: case 0x3011: case 0x300B: case 0x3009:
    case 0x300D: case 0x300F: case 0x3001: case 0xFF0C: case 0x3002:
    case 0xFF1B: case 0xFF1A: case 0xFF01: case 0xFF1F: case 0xFF05:
    case 0x2026: case 0x201D: case 0x2019: case 0x00B7: case 0x30FB:
    case 0x2014:
        return true;
    default:
        return false;
    }
}

static bool is_open_punct(int32_t c)
{
    switch (c) {
    case '(': case '[': case '{':
    case 0xFF08: case 0xFF3B: case 0x3010: case 0x300A: case 0x3008:
    case 0x300C: case 0x300E: case 0x201C: case 0x2018:
        return true;
    default:
        return false;
    }
}

static bool is_word(int32_t c) { return c > 0x20 && c < 0x7F; }

static bool can_break(int32_t prev, int32_t cur)
{
    if (is_word(prev) && is_word(cur))
        return false;
    if (is_close_punct(cur) || is_open_punct(prev))
        return false;
    return true;
}

typedef struct wtext {
    const char *s;
    size_t n;        /* code points */
    size_t *off;     /* byte offset of each code point, off[n] = strlen */
    int32_t *cp;
    char *tmp;       /* scratch for substrings */
} wtext;

static void wtext_init(wtext *t, const char *s)
{
    size_t len = strlen(s), i = 0;
    t->s = s;
    t->n = 0;
    t->off = gk_xmalloc((len + 1) * sizeof(size_t));
    t->cp = gk_xmalloc((len + 1) * sizeof(int32_t));
    t->tmp = gk_xmalloc(len + 1);
    while (i < len) {
        t->off[t->n] = i;
        int32_t c = gk_utf8_next(s, len, &i);
        t->cp[t->n++] = c < 0 ? 0xFFFD : c;
    }
    t->off[t->n] = len;
}

static void wtext_release(wtext *t)
{
    free(t->off);
    free(t->cp);
    free(t->tmp);
}

/* Width of code points [a, b), trailing spaces left out. */
static double sub_width(const wtext *t, const meas *m, gk_font_role f,
                        double size, size_t a, size_t b)
{
    while (b > a && t->cp[b - 1] == ' ')
        b--;
    size_t n = t->off[b] - t->off[a];
    memcpy(t->tmp, t->s + t->off[a], n);
    t->tmp[n] = '\0';
    return mw(m, f, size, t->tmp);
}

/* Greedy line breaking at maxw; fills starts[] (code point index of
 * each line start, starts[nl] = n) and returns the number of lines, or
 * cap + 1 when more lines would be needed. */
static int greedy(const wtext *t, const meas *m, gk_font_role f, double size,
                  double maxw, size_t *starts, int cap)
{
    int nl = 0;
    size_t i = 0;
    while (i < t->n && t->cp[i] == ' ')
        i++;
    while (i < t->n) {
        if (nl == cap)
            return cap + 1;
        starts[nl++] = i;
        size_t best = 0;
        for (size_t j = i + 1; j <= t->n; j++) {
            if (j < t->n && !can_break(t->cp[j - 1], t->cp[j]))
                continue;
            if (sub_width(t, m, f, size, i, j) <= maxw + 1e-9)
                best = j;
            else
                break;
        }
        if (best == 0) {
            /* No break fits: cut inside the word, at least one char. */
            best = i + 1;
            while (best < t->n &&
                   sub_width(t, m, f, size, i, best + 1) <= maxw + 1e-9)
                best++;
        }
        i = best;
        while (i < t->n && t->cp[i] == ' ')
            i++;
    }
    starts[nl] = t->n;
    return nl;
}

typedef struct wrapped {
    int n;
    const char *line[MAXL];
    double w[MAXL];
    double maxw;
} wrapped;

/* Wrap `text` to lines no wider than maxw (a single character wider
 * than maxw still gets a line), balancing the lines so that a two-line
 * name splits near its middle.  Lines are copied into the arena. */
static void wrap_text(gk_arena *a, const meas *m, gk_font_role f, double size,
                      const char *text, double maxw, wrapped *out)
{
    wtext t;
    wtext_init(&t, text ? text : "");
    size_t starts[MAXL + 1];
    int nl = greedy(&t, m, f, size, maxw, starts, MAXL);
    if (nl > MAXL) {
        /* Give up balancing: fill MAXL lines, the last takes the rest. */
        nl = MAXL;
    } else if (nl >= 2) {
        double lo = 0, hi = maxw;
        for (int it = 0; it < 14; it++) {
            double mid = (lo + hi) / 2;
            size_t tmp[MAXL + 1];
            if (greedy(&t, m, f, size, mid, tmp, MAXL) == nl)
                hi = mid;
            else
                lo = mid;
        }
        (void)greedy(&t, m, f, size, hi, starts, MAXL);
    }
    if (t.n == 0)
        nl = 0;
    out->n = nl;
    out->maxw = 0;
    for (int k = 0; k < nl; k++) {
        size_t b = k + 1 < nl ? starts[k + 1] : t.n;
        size_t e = b;
        while (e > starts[k] && t.cp[e - 1] == ' ')
            e--;
        out->line[k] = gk_arena_strndup(a, text + t.off[starts[k]],
                                        t.off[e] - t.off[starts[k]]);
        out->w[k] = mw(m, f, size, out->line[k]);
        if (out->w[k] > out->maxw)
            out->maxw = out->w[k];
    }
    wtext_release(&t);
}

/* ---------------- numbers as text ---------------- */

static int chart_decimals(const gk_chart *c)
{
    int d = c->decimals, max = gk_unit_max_decimals(c->unit);
    return d < 0 ? 0 : d > max ? max : d;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

/* The value of point i, series s, as the report prints it. */
static char *value_text(gk_arena *a, const gk_chart *c, size_t i, int s,
                        bool with_unit)
{
    gk_buf b = GK_BUF_INIT;
    const char *vt = c->points[i].value_text[s];
    if (vt && *vt)
        gk_buf_puts(&b, vt);
    else
        gk_money_format(&b, c->points[i].values[s], c->unit, chart_decimals(c),
                        false);
    if (with_unit && !ends_with(b.ptr, gk_unit_name(c->unit)))
        gk_buf_puts(&b, gk_unit_name(c->unit));
    char *r = gk_arena_strdup(a, b.ptr);
    gk_buf_release(&b);
    return r;
}

static const char *caption_of(const gk_chart *c)
{
    if (c->caption && *c->caption)
        return c->caption;
    if (c->title && *c->title)
        return c->title;
    return "";
}

/* ---------------- emptiness ---------------- */

static int used_series(const gk_chart *c)
{
    if (c->kind != GK_CHART_GROUPED_BAR)
        return 1;
    int n = c->nseries;
    return n < 1 ? 1 : n > GK_CHART_MAX_SERIES ? GK_CHART_MAX_SERIES : n;
}

static bool point_nonzero(const gk_chart *c, size_t i)
{
    int ns = used_series(c);
    for (int s = 0; s < ns; s++)
        if (c->points[i].values[s] != 0)
            return true;
    return false;
}

bool gk_chart_is_empty(const gk_chart *c)
{
    for (size_t i = 0; c && i < c->npoints; i++)
        if (point_nonzero(c, i))
            return false;
    return true;
}

/* ---------------- 1-D placement without overlap ---------------- */

/* Blocks in order, with desired tops want[] and heights h[], separated
 * by at least gap, inside [lo, hi]: minimise the squared displacement
 * keeping the order (pool adjacent violators).  Returns false when they
 * cannot fit. */
static bool place_column(size_t n, const double *want, const double *h,
                         double gap, double lo, double hi, double *top)
{
    if (n == 0)
        return true;
    typedef struct cl { size_t first, last; double height, sum; } cl;
    cl *st = gk_xmalloc(n * sizeof(cl));
    size_t ns = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += h[i] + (i ? gap : 0);
    if (total > hi - lo + 1e-9) {
        free(st);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        cl c = {i, i, h[i], want[i]};
        st[ns++] = c;
        for (;;) {
            cl *cur = &st[ns - 1];
            double t = cur->sum / (double)(cur->last - cur->first + 1);
            if (t < lo)
                t = lo;
            if (t > hi - cur->height)
                t = hi - cur->height;
            if (ns >= 2) {
                cl *prev = &st[ns - 2];
                double pt = prev->sum / (double)(prev->last - prev->first + 1);
                if (pt < lo)
                    pt = lo;
                if (pt > hi - prev->height)
                    pt = hi - prev->height;
                if (pt + prev->height + gap > t + 1e-9) {
                    /* merge: offsets of cur's blocks grow by prev's height */
                    double off = prev->height + gap;
                    size_t k = cur->last - cur->first + 1;
                    prev->sum += cur->sum - off * (double)k;
                    prev->height += gap + cur->height;
                    prev->last = cur->last;
                    ns--;
                    continue;
                }
            }
            break;
        }
    }
    for (size_t c = 0; c < ns; c++) {
        double t = st[c].sum / (double)(st[c].last - st[c].first + 1);
        if (t < lo)
            t = lo;
        if (t > hi - st[c].height)
            t = hi - st[c].height;
        double y = t;
        for (size_t i = st[c].first; i <= st[c].last; i++) {
            top[i] = y;
            y += h[i] + gap;
        }
    }
    free(st);
    return true;
}

/* ---------------- pie ---------------- */

typedef struct pitem {
    size_t pt;            /* point index */
    gk_fen v;
    const char *name, *amount, *pct;
    wrapped lines;        /* name lines + value line(s) */
    double bw, bh;
    int color, hatch;
    /* per rotation */
    double a0, a1, mid;
    int side;             /* 0 right, 1 left */
    double key, want, top;
} pitem;

typedef struct pie_plan {
    double fs, R, cx, cy, start;
    double cost;
    bool ok;
} pie_plan;

static double seg_dist(double px, double py, double x0, double y0, double x1,
                       double y1)
{
    double dx = x1 - x0, dy = y1 - y0;
    double l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / l2 : 0;
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    double qx = x0 + t * dx - px, qy = y0 + t * dy - py;
    return sqrt(qx * qx + qy * qy);
}

static int cmp_key(const void *a, const void *b)
{
    const pitem *x = *(pitem *const *)a, *y = *(pitem *const *)b;
    if (x->key < y->key)
        return -1;
    if (x->key > y->key)
        return 1;
    return x->pt < y->pt ? -1 : x->pt > y->pt;
}

static double col_height(pitem **col, size_t n, double gap)
{
    double t = 0;
    for (size_t i = 0; i < n; i++)
        t += col[i]->bh + (i ? gap : 0);
    return t;
}

/* Angles, columns and label positions for one start angle.  Returns the
 * cost (displacement of labels from their slices, leader lines crossing
 * the pie) or HUGE_VAL when the labels do not fit. */
static double pie_try(pitem *it, size_t n, gk_fen total, double start,
                      double W, double H, double R, double fs, pitem **cols[2],
                      size_t ncol[2], int *crossings)
{
    *crossings = 0;
    double cx = W / 2, cy = H / 2, gap = 0.35 * fs;
    gk_fen cum = 0;
    ncol[0] = ncol[1] = 0;
    for (size_t i = 0; i < n; i++) {
        it[i].a0 = start + TWO_PI * ((double)cum / (double)total);
        cum += it[i].v;
        it[i].a1 = start + TWO_PI * ((double)cum / (double)total);
        double m = fmod((it[i].a0 + it[i].a1) / 2, TWO_PI);
        if (m < 0)
            m += TWO_PI;
        if (n == 1)
            m = PI / 2; /* a whole disc: label it at 3 o'clock */
        it[i].mid = m;
        if (m < PI) {
            it[i].side = 0;
            it[i].key = m;
        } else {
            it[i].side = 1;
            it[i].key = TWO_PI - m;
        }
        cols[it[i].side][ncol[it[i].side]++] = &it[i];
    }
    for (int s = 0; s < 2; s++)
        qsort(cols[s], ncol[s], sizeof(pitem *), cmp_key);

    /* Move labels across when a column overflows: the one nearest the
     * top or bottom of the pie goes to the top or bottom of the other. */
    double avail = H - 2 * MARGIN;
    for (size_t guard = 0; guard <= n; guard++) {
        int s;
        if (col_height(cols[0], ncol[0], gap) > avail)
            s = 0;
        else if (col_height(cols[1], ncol[1], gap) > avail)
            s = 1;
        else
            break;
        if (ncol[s] < 2)
            return HUGE_VAL;
        pitem *first = cols[s][0], *last = cols[s][ncol[s] - 1];
        /* distance of each from the vertical axis, in angle */
        double dfirst = s == 0 ? first->mid : TWO_PI - first->mid;
        double dlast = s == 0 ? PI - last->mid : last->mid - PI;
        pitem *mv;
        if (dfirst <= dlast) {
            mv = first;
            memmove(cols[s], cols[s] + 1, (ncol[s] - 1) * sizeof(pitem *));
            mv->key = -dfirst - 1.0;  /* top of the other column */
        } else {
            mv = last;
            mv->key = PI + dlast + 1.0; /* bottom of the other column */
        }
        ncol[s]--;
        mv->side = 1 - s;
        cols[1 - s][ncol[1 - s]++] = mv;
        qsort(cols[1 - s], ncol[1 - s], sizeof(pitem *), cmp_key);
        if (col_height(cols[1 - s], ncol[1 - s], gap) > avail)
            return HUGE_VAL;
    }

    double cost = 0;
    for (int s = 0; s < 2; s++) {
        size_t k = ncol[s];
        if (k == 0)
            continue;
        double *want = gk_xmalloc(k * sizeof(double));
        double *h = gk_xmalloc(k * sizeof(double));
        double *top = gk_xmalloc(k * sizeof(double));
        for (size_t i = 0; i < k; i++) {
            pitem *p = cols[s][i];
            double y = cy - cos(p->mid) * (R + LEAD_OUT + 4);
            p->want = y - p->bh / 2;
            want[i] = p->want;
            h[i] = p->bh;
        }
        bool ok = place_column(k, want, h, gap, MARGIN, H - MARGIN, top);
        for (size_t i = 0; ok && i < k; i++) {
            pitem *p = cols[s][i];
            p->top = top[i];
            cost += fabs(p->top - p->want);
            /* leader from just outside the arc to the label column */
            double x1 = cx + (R + LEAD_OUT) * sin(p->mid);
            double y1 = cy - (R + LEAD_OUT) * cos(p->mid);
            double x2 = s == 0 ? cx + R + COLGAP - 3 : cx - R - COLGAP + 3;
            double y2 = p->top + p->bh / 2;
            if (seg_dist(cx, cy, x1, y1, x2, y2) < R + 1.0) {
                cost += 1000;
                ++*crossings;
            }
        }
        free(want);
        free(h);
        free(top);
        if (!ok)
            return HUGE_VAL;
    }
    return cost;
}

/* Colours of the slices: the palette in order, a second round hatched;
 * the last slice, which also touches the first, takes the colour that
 * differs most in grey from both its neighbours when needed. */
static void pie_colors(pitem *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        it[i].color = (int)(i % GK__CHART_NPAL);
        it[i].hatch = (int)((i / GK__CHART_NPAL) % 2);
    }
    if (n < 3)
        return;
    pitem *last = &it[n - 1], *prev = &it[n - 2], *first = &it[0];
    double yl = gk__chart_luma(gk__chart_palette[last->color]);
    double y0 = gk__chart_luma(gk__chart_palette[first->color]);
    if (fabs(yl - y0) >= 50)
        return;
    double yp = gk__chart_luma(gk__chart_palette[prev->color]);
    int best = last->color;
    double bestd = -1;
    for (int k = 0; k < GK__CHART_NPAL; k++) {
        double y = gk__chart_luma(gk__chart_palette[k]);
        double d = fmin(fabs(y - yp), fabs(y - y0));
        if (d > bestd + 1e-9) {
            bestd = d;
            best = k;
        }
    }
    last->color = best;
}

static gk_status pie_texts(gk_arena *a, const gk_chart *c, pitem **out,
                           size_t *nout, gk_fen *total, gk_error *err)
{
    pitem *it = gk_xcalloc(c->npoints ? c->npoints : 1, sizeof(pitem));
    size_t n = 0;
    gk_fen sum = 0;
    for (size_t i = 0; i < c->npoints; i++) {
        gk_fen v = c->points[i].values[0];
        if (v < 0) {
            gk_buf b = GK_BUF_INIT;
            gk_money_format(&b, v, c->unit, chart_decimals(c), false);
            gk_error_set(err, GK_ERR_DATA, NULL, 0, 0, NULL,
                         GK_TR("图表“%s”：饼图的数值不能为负（“%s”为%s%s）",
                               "chart \"%s\": a pie cannot show a negative "
                               "value (\"%s\" is %s %s)"),
                         caption_of(c),
                         c->points[i].label ? c->points[i].label : "",
                         b.ptr, gk_unit_name(c->unit));
            gk_buf_release(&b);
            free(it);
            return GK_ERR_DATA;
        }
        if (v == 0)
            continue;
        if (!gk_add_ok(sum, v, &sum)) {
            free(it);
            return gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                                GK_TR("图表“%s”：合计超出范围",
                                      "chart \"%s\": the total overflows"),
                                caption_of(c));
        }
        it[n].pt = i;
        it[n].v = v;
        it[n].name = c->points[i].label ? c->points[i].label : "";
        it[n].amount = value_text(a, c, i, 0, true);
        n++;
    }
    for (size_t k = 0; k < n; k++) {
        gk_buf b = GK_BUF_INIT;
        gk_buf_puts(&b, "占"); /* chart text is the report's language */
        (void)gk_pct_format(&b, it[k].v, sum, 2, true);
        gk_buf_putc(&b, '%');
        it[k].pct = gk_arena_strdup(a, b.ptr);
        gk_buf_release(&b);
    }
    *out = it;
    *nout = n;
    *total = sum;
    return GK_OK;
}

/* Lines of every label at font size fs, names wrapped at lmax. */
static void pie_label_lines(gk_arena *a, const meas *m, pitem *it, size_t n,
                            double fs, double lmax)
{
    for (size_t i = 0; i < n; i++) {
        wrapped *w = &it[i].lines;
        wrap_text(a, m, FONT_LABEL, fs, it[i].name, lmax, w);
        if (w->n > MAXL - 2)
            w->n = MAXL - 2;
        char *both = gk_arena_printf(a, "%s，%s", it[i].amount, it[i].pct);
        double wb = mw(m, FONT_VALUE, fs, both);
        if (wb <= lmax || w->n == 0) {
            w->line[w->n] = both;
            w->w[w->n++] = wb;
        } else {
            w->line[w->n] = it[i].amount;
            w->w[w->n++] = mw(m, FONT_VALUE, fs, it[i].amount);
            w->line[w->n] = it[i].pct;
            w->w[w->n++] = mw(m, FONT_VALUE, fs, it[i].pct);
        }
        it[i].bw = 0;
        for (int k = 0; k < w->n; k++)
            if (w->w[k] > it[i].bw)
                it[i].bw = w->w[k];
        it[i].bh = (w->n - 1) * PITCH * fs + fs;
    }
}

static void pie_emit(geom_priv *g, pitem *it, size_t n, double W, double H,
                     double R, double fs, pitem **cols[2], const size_t ncol[2])
{
    double cx = W / 2, cy = H / 2;
    for (size_t i = 0; i < n; i++) {
        gk_shape *s = add_shape(g, GK_SHAPE_WEDGE);
        s->cx = cx;
        s->cy = cy;
        s->r = R;
        s->a0 = it[i].a0;
        s->a1 = it[i].a1;
        s->fill = gk__chart_palette[it[i].color];
        s->stroke = C_WHITE;
        s->stroke_width = n > 1 ? 1.0 : 0;
        s->hatch = it[i].hatch;
        s->hatch_color = hatch_color_for(s->fill);
    }
    for (int side = 0; side < 2; side++)
        for (size_t k = 0; k < ncol[side]; k++) {
            pitem *p = cols[side][k];
            double sx = sin(p->mid), cy_ = cos(p->mid);
            double x0 = cx + (R - 0.5) * sx, y0 = cy - (R - 0.5) * cy_;
            double x1 = cx + (R + LEAD_OUT) * sx, y1 = cy - (R + LEAD_OUT) * cy_;
            double colx = side == 0 ? cx + R + COLGAP : cx - R - COLGAP;
            double x2 = side == 0 ? colx - 3 : colx + 3;
            double y2 = p->top + p->bh / 2;
            add_line(g, x0, y0, x1, y1, C_LEADER, 0.6);
            /* A leader that would cross the pie follows it round, 2° at a
             * time, towards the label until the way is clear. */
            double t = p->mid, rl = R + LEAD_OUT;
            double tl = atan2(x2 - cx, -(y2 - cy));
            double d = fmod(tl - t, TWO_PI);
            if (d > PI)
                d -= TWO_PI;
            if (d < -PI)
                d += TWO_PI;
            double stepa = (d >= 0 ? 1 : -1) * (2 * PI / 180);
            for (int guard = 0; guard < 180 && seg_dist(cx, cy, x1, y1, x2, y2) < R + 1.0; k++) {
                t += stepa;
                double nx = cx + rl * sin(t), ny = cy - rl * cos(t);
                add_line(g, x1, y1, nx, ny, C_LEADER, 0.6);
                x1 = nx;
                y1 = ny;
            }
            add_line(g, x1, y1, x2, y2, C_LEADER, 0.6);
            for (int l = 0; l < p->lines.n; l++) {
                double w = p->lines.w[l];
                double x = side == 0 ? colx : colx - w;
                bool value_line = l >= p->lines.n - 1 ||
                                  p->lines.line[l] == p->amount;
                add_label(g, p->lines.line[l], x, p->top + l * PITCH * fs, w,
                          fs, value_line ? FONT_VALUE : FONT_LABEL,
                          value_line ? C_TEXT2 : C_TEXT);
            }
        }
}

/* strict: only the natural font size (used to find the natural height). */
static gk_status layout_pie(const gk_chart *c, double W, double H, const meas *m,
                            bool strict, geom_priv **out, gk_error *err)
{
    gk_arena a;
    gk_arena_init(&a);
    pitem *it;
    size_t n;
    gk_fen total;
    gk_status st = pie_texts(&a, c, &it, &n, &total, err);
    if (st) {
        gk_arena_release(&a);
        return st;
    }
    static const double sizes[] = {9, 8.5, 8, 7.5, 7, 6.5};
    static const double lfrac[] = {0.25, 0.21, 0.17};
    size_t nsizes = strict ? 1 : sizeof sizes / sizeof sizes[0];
    size_t nl = strict ? 2 : sizeof lfrac / sizeof lfrac[0];
    pitem **cols[2] = {gk_xmalloc(n * sizeof(pitem *)),
                       gk_xmalloc(n * sizeof(pitem *))};
    size_t ncol[2];
    /* Pass 0 wants leader lines clear of the pie; pass 1 (not when
     * finding the natural size) takes what fits and routes the leaders
     * that would cross the pie around it. */
    bool done = false;
    for (int pass = 0; pass < (strict ? 1 : 2) && !done; pass++)
    for (size_t si = 0; si < nsizes && !done; si++)
        for (size_t li = 0; li < nl && !done; li++) {
            double fs = sizes[si];
            double lmax = fmax(lfrac[li] * W, 5 * fs);
            gk_arena_release(&a);
            /* texts live in the same arena: rebuild them */
            free(it);
            st = pie_texts(&a, c, &it, &n, &total, err);
            if (st)
                goto out;
            pie_colors(it, n);
            pie_label_lines(&a, m, it, n, fs, lmax);
            double maxbw = 0;
            for (size_t i = 0; i < n; i++)
                maxbw = fmax(maxbw, it[i].bw);
            double R = fmin((H - 2 * MARGIN) / 2 - LEAD_OUT - 2,
                            W / 2 - MARGIN - COLGAP - maxbw);
            double rmin = fmax(24, (strict ? 0.16 : 0.1) * fmin(W, H));
            if (R < rmin)
                continue;
            /* Pick the start angle: 12 o'clock unless turning the pie
             * lets crowded labels sit by their slices. */
            double best = HUGE_VAL, best_start = 0;
            for (int k = 0; k < 72; k++) {
                double start = k * (TWO_PI / 72);
                double deg = k * 5.0 > 180 ? 360 - k * 5.0 : k * 5.0;
                int cross;
                double cost = pie_try(it, n, total, start, W, H, R, fs, cols,
                                      ncol, &cross);
                if (cost == HUGE_VAL || (pass == 0 && cross > 0))
                    continue;
                cost += 0.5 * deg;
                if (cost < best - 1e-6) {
                    best = cost;
                    best_start = start;
                }
            }
            if (best == HUGE_VAL)
                continue;
            int cross;
            (void)pie_try(it, n, total, best_start, W, H, R, fs, cols, ncol, &cross);
            geom_priv *g = geom_new(W, H);
            pie_emit(g, it, n, W, H, R, fs, cols, ncol);
            *out = g;
            done = true;
        }
    if (!done)
        st = gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                          GK_TR("图表“%s”：%.0f×%.0f 磅的画布放不下全部标签",
                                "chart \"%s\": the labels do not fit a "
                                "%.0f x %.0f pt canvas"),
                          caption_of(c), W, H);
out:
    free(cols[0]);
    free(cols[1]);
    free(it);
    gk_arena_release(&a);
    return st;
}

/* ---------------- bars ---------------- */

typedef struct box { double x0, y0, x1, y1; } box;

static bool box_hit(box a, box b, double pad)
{
    return a.x0 < b.x1 + pad && b.x0 < a.x1 + pad && a.y0 < b.y1 + pad &&
           b.y0 < a.y1 + pad;
}

/* Nice step: 1, 2 or 5 × 10^k fen, at least `raw`. */
static gk_fen nice_step(gk_fen raw)
{
    gk_fen p = 1;
    for (;;) {
        if (p >= raw)
            return p;
        if (2 * p >= raw)
            return 2 * p;
        if (5 * p >= raw)
            return 5 * p;
        if (p > INT64_MAX / 100)
            return p * 10;
        p *= 10;
    }
}

static gk_fen next_nice(gk_fen step) { return nice_step(step + 1); }

static gk_fen floor_div(gk_fen a, gk_fen b)
{
    gk_fen q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

static gk_fen ceil_div(gk_fen a, gk_fen b)
{
    gk_fen q = a / b;
    return (a % b != 0 && a > 0) ? q + 1 : q;
}

typedef struct bar_params {
    double fc, fv, ft; /* category, value, tick font sizes */
} bar_params;

typedef struct bar_stats {
    double plot_h;
    bool fits;
} bar_stats;

typedef struct bval {
    const char *text;
    double w;
    gk_fen v;
    box bar, lab;
    double cx;
    int s;
    size_t pt;
} bval;

/* Value labels: drawn, and the layout refused when one would sit more
 * than a label's height away from its bar; drawn however far; left out. */
enum { VALUES_NEAR, VALUES_ANY, VALUES_NONE };

static gk_status layout_bars(const gk_chart *c, double W, double H,
                             const meas *m, const bar_params *bp, int values,
                             geom_priv **out, bar_stats *stats, gk_error *err)
{
    (void)err;
    gk_arena a;
    gk_arena_init(&a);
    int S = used_series(c);
    bool grouped = c->kind == GK_CHART_GROUPED_BAR;
    size_t *pts = gk_xmalloc((c->npoints + 1) * sizeof(size_t));
    size_t n = 0;
    gk_fen vmin = 0, vmax = 0;
    for (size_t i = 0; i < c->npoints; i++) {
        if (!point_nonzero(c, i))
            continue;
        pts[n++] = i;
        for (int s = 0; s < S; s++) {
            gk_fen v = c->points[i].values[s];
            if (v < vmin)
                vmin = v;
            if (v > vmax)
                vmax = v;
        }
    }
    double fc = bp->fc, fv = bp->fv, ft = bp->ft, fl = bp->fc;
    stats->fits = false;
    stats->plot_h = 0;

    /* header: unit at the left, legend at the right (or on a row below) */
    char *unit = gk_arena_printf(&a, "单位：%s", gk_unit_name(c->unit));
    double unit_w = mw(m, FONT_LABEL, ft, unit);
    double sw = 0.9 * fl; /* legend swatch */
    double legend_w = 0;
    double lw[GK_CHART_MAX_SERIES] = {0};
    const char *lname[GK_CHART_MAX_SERIES];
    if (grouped) {
        for (int s = 0; s < S; s++) {
            lname[s] = c->series[s] && *c->series[s]
                           ? c->series[s]
                           : gk_arena_printf(&a, "系列%d", s + 1);
            lw[s] = mw(m, FONT_LABEL, fl, lname[s]);
            legend_w += sw + 4 + lw[s] + (s ? 14 : 0);
        }
    }
    double row1 = MARGIN;
    double header_h = PITCH * fmax(ft, grouped ? fl : 0);
    double legend_top = row1;
    double header_bottom = row1 + header_h;
    double legend_x = W - MARGIN - legend_w;
    if (grouped && legend_x < MARGIN + unit_w + 16) {
        legend_x = (W - legend_w) / 2;
        legend_top = header_bottom;
        header_bottom += PITCH * fl;
    }
    if (grouped && legend_x < MARGIN) {
        gk_arena_release(&a);
        free(pts);
        return GK_OK; /* does not fit: caller tries smaller fonts */
    }

    /* axis */
    gk_fen span = vmax - vmin;
    gk_fen step = nice_step(span / 5 > 0 ? span / 5 : 1);
    gk_fen ufen = gk_unit_fen(c->unit);
    double top_room = PITCH * fv + 3, bottom_room = vmin < 0 ? PITCH * fv + 3 : 0;
    bval *bv = gk_xcalloc(n * S + 1, sizeof(bval));
    wrapped *cat = gk_xcalloc(n + 1, sizeof(wrapped));
    geom_priv *g = NULL;
    for (int iter = 0; iter < 40; iter++) {
        gk_fen amax = ceil_div(vmax, step) * step;
        gk_fen amin = floor_div(vmin, step) * step;
        if (amax == amin)
            amax = amin + step;
        int nint = (int)((amax - amin) / step);
        int dec = 0;
        for (gk_fen f = ufen; f > 1 && step % f != 0; f /= 10)
            dec++;
        double tick_w = 0;
        char **tick = gk_xcalloc((size_t)nint + 1, sizeof(char *));
        for (int k = 0; k <= nint; k++) {
            gk_buf b = GK_BUF_INIT;
            gk_money_format(&b, amin + step * k, c->unit, dec, false);
            tick[k] = gk_arena_strdup(&a, b.ptr);
            gk_buf_release(&b);
            tick_w = fmax(tick_w, mw(m, FONT_VALUE, ft, tick[k]));
        }
        double px0 = MARGIN + fmax(tick_w, unit_w * 0) + 5, px1 = W - MARGIN;
        double slot = (px1 - px0) / (double)n;
        double cat_h = 0;
        for (size_t i = 0; i < n; i++) {
            wrap_text(&a, m, FONT_LABEL, fc, c->points[pts[i]].label,
                      slot - 3, &cat[i]);
            double h = cat[i].n ? (cat[i].n - 1) * PITCH * fc + fc : 0;
            cat_h = fmax(cat_h, h);
        }
        bool cat_ok = true;
        for (size_t i = 0; i < n; i++)
            if (cat[i].maxw > slot - 1)
                cat_ok = false;
        double axis_bottom = H - MARGIN - cat_h - 5;
        double plot_top = header_bottom + top_room;
        double plot_bottom = axis_bottom - bottom_room;
        double plot_h = plot_bottom - plot_top;
        stats->plot_h = plot_h;
        if (!cat_ok || plot_h < 24) {
            free(tick);
            break;
        }
        if (plot_h / nint < 1.6 * ft) {
            /* ticks too dense: a bigger step */
            step = next_nice(step);
            free(tick);
            continue;
        }
        double scale = plot_h / (double)(amax - amin);
#define YV(v) (plot_bottom - (double)((v) - amin) * scale)
        double y0 = YV(0);
        /* bars */
        double gw = slot * (S == 1 ? 0.5 : 0.8);
        double bw = fmin(gw / S, S == 1 ? 44.0 : 34.0);
        gw = bw * S;
        size_t nb = 0;
        for (size_t i = 0; i < n; i++) {
            double xc = px0 + slot * (i + 0.5);
            for (int s = 0; s < S; s++) {
                bval *b = &bv[nb++];
                b->pt = pts[i];
                b->s = s;
                b->v = c->points[pts[i]].values[s];
                double x = xc - gw / 2 + s * bw;
                double yv = YV(b->v);
                b->bar.x0 = x + (S > 1 ? 0.5 : 0);
                b->bar.x1 = x + bw - (S > 1 ? 0.5 : 0);
                b->bar.y0 = fmin(yv, y0);
                b->bar.y1 = fmax(yv, y0);
                b->cx = (b->bar.x0 + b->bar.x1) / 2;
                b->text = value_text(&a, c, pts[i], s, false);
                b->w = mw(m, FONT_VALUE, fv, b->text);
            }
        }
        /* Value labels: a smaller size when they are wider than their
         * bars allow; centred above (below for negatives) their bar, or,
         * when a group's labels would touch, fanned out (the left half
         * right-aligned to its bar, the right half left-aligned); then
         * moved further out past any bar or label they would touch. */
        double allowed = S == 1 ? slot - 2 : bw + (slot - gw) / 2 - 0.5;
        double maxw = 0;
        for (size_t k = 0; k < nb; k++)
            maxw = fmax(maxw, bv[k].w);
        double fve = fv;
        if (maxw > allowed)
            fve = fmax(6.0, floor(2 * fv * allowed / maxw) / 2);
        if (fve != fv)
            for (size_t k = 0; k < nb; k++)
                bv[k].w = mw(m, FONT_VALUE, fve, bv[k].text);
        for (size_t g0 = 0; g0 < nb; g0 += (size_t)S) {
            bool fan = false;
            for (int s1 = 0; s1 + 1 < S; s1++) {
                bval *u = &bv[g0 + s1], *v = &bv[g0 + s1 + 1];
                if (u->cx + u->w / 2 + 0.8 > v->cx - v->w / 2)
                    fan = true;
            }
            for (int s1 = 0; s1 < S; s1++) {
                bval *b = &bv[g0 + s1];
                if (fan && 2 * s1 + 1 < S)
                    b->lab.x0 = b->bar.x1 - b->w;
                else if (fan && 2 * s1 + 1 > S)
                    b->lab.x0 = b->bar.x0;
                else
                    b->lab.x0 = b->cx - b->w / 2;
            }
            /* keep the group's labels apart and inside the plot */
            double lo = px0 + 1;
            for (int s1 = 0; s1 < S; s1++) {
                bval *b = &bv[g0 + s1];
                if (b->lab.x0 < lo)
                    b->lab.x0 = lo;
                lo = b->lab.x0 + b->w + (fan ? 1 : 0);
            }
            double hi = W - MARGIN;
            for (int s1 = S - 1; s1 >= 0; s1--) {
                bval *b = &bv[g0 + s1];
                if (b->lab.x0 + b->w > hi)
                    b->lab.x0 = hi - b->w;
                hi = b->lab.x0 - (fan ? 1 : 0);
            }
        }
        bool grow_top = false, grow_bottom = false, dense = false;
        for (size_t k = 0; k < nb && values != VALUES_NONE; k++) {
            bval *b = &bv[k];
            bool neg = b->v < 0;
            box l;
            l.x0 = b->lab.x0;
            l.x1 = l.x0 + b->w;
            if (!neg) {
                l.y1 = b->bar.y0 - 2;
                l.y0 = l.y1 - fve;
            } else {
                l.y0 = b->bar.y1 + 2;
                l.y1 = l.y0 + fve;
            }
            for (int guard = 0; guard < 400; guard++) {
                bool moved = false;
                for (size_t j = 0; j < nb; j++) {
                    box o[2] = {bv[j].bar, bv[j].lab};
                    for (int q = 0; q < 2; q++) {
                        if ((j == k && q == 0) || (q == 1 && j >= k))
                            continue;
                        if (q == 0 && bv[j].bar.y1 - bv[j].bar.y0 <= 0)
                            continue;
                        if (box_hit(l, o[q], q ? 0.8 : 0.5)) {
                            double hgt = l.y1 - l.y0;
                            if (!neg) {
                                l.y1 = o[q].y0 - (q ? 1.5 : 2);
                                l.y0 = l.y1 - hgt;
                            } else {
                                l.y0 = o[q].y1 + (q ? 1.5 : 2);
                                l.y1 = l.y0 + hgt;
                            }
                            moved = true;
                        }
                    }
                }
                if (!moved)
                    break;
            }
            double away = neg ? l.y0 - (b->bar.y1 + 2) : (b->bar.y0 - 2) - l.y1;
            if (away > 1.2 * fve + 2.5)
                dense = true;
            b->lab = l;
            if (l.y0 < header_bottom + 1)
                grow_top = true;
            if (l.y1 > axis_bottom - 1)
                grow_bottom = true;
        }
        if (dense && values == VALUES_NEAR) {
            free(tick); /* labels would stray from their bars */
            break;
        }
        if (grow_top || grow_bottom) {
            double need_t = 0, need_b = 0;
            for (size_t k = 0; k < nb; k++) {
                need_t = fmax(need_t, header_bottom + 1 - bv[k].lab.y0);
                need_b = fmax(need_b, bv[k].lab.y1 - (axis_bottom - 1));
            }
            if (grow_top)
                top_room += fmax(need_t, 1);
            if (grow_bottom)
                bottom_room += fmax(need_b, 1);
            free(tick);
            continue;
        }

        /* emit */
        g = geom_new(W, H);
        for (int k = 0; k <= nint; k++) {
            double y = YV(amin + step * k);
            if (amin + step * k != 0)
                add_line(g, px0, y, px1, y, C_GRID, 0.5);
            add_label(g, tick[k], px0 - 4 - mw(m, FONT_VALUE, ft, tick[k]),
                      y - ft / 2, mw(m, FONT_VALUE, ft, tick[k]), ft, FONT_VALUE,
                      C_TEXT2);
        }
        for (size_t k = 0; k < nb; k++) {
            bval *b = &bv[k];
            if (b->bar.y1 - b->bar.y0 > 0)
                add_rect(g, b->bar.x0, b->bar.y0, b->bar.x1 - b->bar.x0,
                         b->bar.y1 - b->bar.y0,
                         S == 1 ? single_bar : series_colors[b->s],
                         S == 1 ? 0 : series_hatch[b->s]);
        }
        add_line(g, px0, plot_top - 2, px0, plot_bottom, C_AXIS, 0.75);
        add_line(g, px0, y0, px1, y0, C_AXIS, 0.75);
        for (size_t k = 0; k < nb && values != VALUES_NONE; k++)
            add_label(g, bv[k].text, bv[k].lab.x0, bv[k].lab.y0, bv[k].w, fve,
                      FONT_VALUE, C_TEXT2);
        for (size_t i = 0; i < n; i++) {
            double xc = px0 + slot * (i + 0.5);
            for (int l = 0; l < cat[i].n; l++)
                add_label(g, cat[i].line[l], xc - cat[i].w[l] / 2,
                          axis_bottom + 5 + l * PITCH * fc, cat[i].w[l], fc,
                          FONT_LABEL, C_TEXT);
        }
        add_label(g, unit, MARGIN, row1 + (header_h - ft) / 2, unit_w, ft,
                  FONT_LABEL, C_TEXT2);
        if (grouped) {
            double x = legend_x, lh = PITCH * fl;
            for (int s = 0; s < S; s++) {
                add_rect(g, x, legend_top + (lh - sw) / 2, sw, sw,
                         series_colors[s], series_hatch[s]);
                x += sw + 4;
                add_label(g, lname[s], x, legend_top + (lh - fl) / 2, lw[s], fl,
                          FONT_LABEL, C_TEXT);
                x += lw[s] + 14;
            }
        }
#undef YV
        stats->fits = true;
        free(tick);
        break;
    }
    free(bv);
    free(cat);
    free(pts);
    gk_arena_release(&a);
    *out = g;
    return GK_OK;
}

static gk_status layout_bar_any(const gk_chart *c, double W, double H,
                                const meas *m, bool strict, geom_priv **out,
                                double *plot_h, gk_error *err)
{
    static const bar_params levels[] = {
        {9, 8, 8}, {8.5, 7.5, 7.5}, {8, 7, 7}, {7.5, 6.5, 7}, {7, 6, 6.5}};
    /* Smaller type until the values sit by their bars; a chart too dense
     * for that is drawn without values (the tables carry the numbers)
     * rather than with values strewn over it.  The natural size is found
     * with the values wherever they land. */
    size_t nlev = strict ? 1 : sizeof levels / sizeof levels[0];
    static const int strict_modes[] = {VALUES_ANY};
    static const int modes[] = {VALUES_NEAR, VALUES_NONE};
    const int *mv = strict ? strict_modes : modes;
    size_t nmodes = strict ? 1 : 2;
    for (size_t k = 0; k < nmodes; k++)
        for (size_t i = 0; i < nlev; i++) {
            geom_priv *g = NULL;
            bar_stats st;
            gk_status s = layout_bars(c, W, H, m, &levels[i], mv[k], &g, &st, err);
            if (s)
                return s;
            if (plot_h && i == 0 && k == 0)
                *plot_h = st.plot_h;
            if (g) {
                *out = g;
                return GK_OK;
            }
        }
    return gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                        GK_TR("图表“%s”：%.0f×%.0f 磅的画布放不下全部标签",
                              "chart \"%s\": the labels do not fit a "
                              "%.0f x %.0f pt canvas"),
                        caption_of(c), W, H);
}

/* ---------------- public entry points ---------------- */

static gk_status check_chart(const gk_chart *c, double W, double H,
                             gk_error *err)
{
    if (!(W > 0 && H > 0 && isfinite(W) && isfinite(H)))
        return gk_error_set(err, GK_ERR_USAGE, NULL, 0, 0, NULL,
                            GK_TR("图表“%s”：画布尺寸无效", "chart \"%s\": bad canvas size"),
                            caption_of(c));
    if (c->kind != GK_CHART_PIE && c->kind != GK_CHART_BAR &&
        c->kind != GK_CHART_GROUPED_BAR)
        return gk_error_set(err, GK_ERR_UNSUPPORTED, NULL, 0, 0, NULL,
                            GK_TR("图表“%s”：不支持的图表类型 %d",
                                  "chart \"%s\": unsupported chart kind %d"),
                            caption_of(c), (int)c->kind);
    if (c->kind == GK_CHART_GROUPED_BAR &&
        (c->nseries < 1 || c->nseries > GK_CHART_MAX_SERIES))
        return gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                            GK_TR("图表“%s”：分组柱状图需要 1 到 %d 个系列，实有 %d 个",
                                  "chart \"%s\": a grouped bar chart needs 1 "
                                  "to %d series, not %d"),
                            caption_of(c), GK_CHART_MAX_SERIES, c->nseries);
    if (c->npoints > GK_CHART_MAX_POINTS)
        return gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                            GK_TR("图表“%s”：数据点过多（%zu 个，最多 %d 个）",
                                  "chart \"%s\": too many points (%zu, at most %d)"),
                            caption_of(c), c->npoints, GK_CHART_MAX_POINTS);
    for (size_t i = 0; i < c->npoints; i++)
        for (int s = 0; s < used_series(c); s++)
            if (c->points[i].values[s] > GK_CHART_MAX_FEN ||
                c->points[i].values[s] < -GK_CHART_MAX_FEN)
                return gk_error_set(err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                                    GK_TR("图表“%s”：“%s”的数值过大，无法作图",
                                          "chart \"%s\": the value of \"%s\" "
                                          "is too large to draw"),
                                    caption_of(c),
                                    c->points[i].label ? c->points[i].label : "");
    if (gk_chart_is_empty(c))
        return gk_error_set(err, GK_ERR_DATA, NULL, 0, 0, NULL,
                            GK_TR("图表“%s”：没有非零数据，应当省略此图",
                                  "chart \"%s\": no non-zero value; omit the chart"),
                            caption_of(c));
    return GK_OK;
}

gk_status gk_chart_layout(const gk_chart *c, double width, double height,
                          gk_text_measure_fn measure, void *measure_ctx,
                          gk_chart_geom **out, gk_error *err)
{
    *out = NULL;
    gk_status st = check_chart(c, width, height, err);
    if (st)
        return st;
    meas m = {measure, measure_ctx};
    geom_priv *g = NULL;
    if (c->kind == GK_CHART_PIE)
        st = layout_pie(c, width, height, &m, false, &g, err);
    else
        st = layout_bar_any(c, width, height, &m, false, &g, NULL, err);
    if (st == GK_OK)
        *out = &g->g;
    return st;
}

#define DEFAULT_WIDTH 425.2 /* 15 cm */

void gk_chart_size(const gk_chart *c, double avail_width, double *width,
                   double *height)
{
    double W = avail_width > 0 && avail_width < DEFAULT_WIDTH ? avail_width
                                                              : DEFAULT_WIDTH;
    double H = 0.55 * W;
    *width = W;
    *height = H;
    gk_error err;
    if (!c || check_chart(c, W, H, &err) != GK_OK)
        return;
    meas m = {NULL, NULL};
    if (c->kind == GK_CHART_PIE) {
        for (; H < 1.6 * W; H += 0.04 * W) {
            geom_priv *g = NULL;
            if (layout_pie(c, W, H, &m, true, &g, &err) == GK_OK) {
                gk_chart_geom_free(&g->g);
                break;
            }
        }
    } else {
        double target = 0.36 * W;
        H = 0.6 * W;
        for (int i = 0; i < 8; i++) {
            geom_priv *g = NULL;
            double ph = 0;
            gk_status st = layout_bar_any(c, W, H, &m, true, &g, &ph, &err);
            if (st == GK_OK)
                gk_chart_geom_free(&g->g);
            if (st == GK_OK && ph >= target - 0.5)
                break;
            H += fmax(target - ph, 0.04 * W);
            if (H > 1.4 * W) {
                H = 1.4 * W;
                break;
            }
        }
    }
    *height = ceil(H);
}
