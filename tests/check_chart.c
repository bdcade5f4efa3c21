/* Unit tests of src/chart: geometry (angles, heights, label boxes), errors,
 * fonts, and the PNG (deterministic, opaque RGB, readable in grey).
 *
 * GK_CHART_SAMPLES=DIR writes the sample PNGs there to look at. */
#include <cairo.h>
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "chart/chart_int.h"
#include "gongkai/chart.h"

#define TWO_PI (2.0 * 3.14159265358979323846)

/* ---------------- fixtures ---------------- */

typedef struct fixture {
    gk_chart c;
    gk_chart_point p[32];
} fixture;

static void fx_init(fixture *f, gk_chart_kind kind, const char *caption)
{
    memset(f, 0, sizeof *f);
    f->c.kind = kind;
    f->c.caption = caption;
    f->c.title = caption;
    f->c.unit = GK_UNIT_WAN;
    f->c.decimals = 2;
    f->c.points = f->p;
    f->c.nseries = kind == GK_CHART_GROUPED_BAR ? 2 : 1;
    f->c.series[0] = "上年决算";
    f->c.series[1] = "本年决算";
}

static void fx_add(fixture *f, const char *label, gk_fen v0, gk_fen v1)
{
    gk_chart_point *p = &f->p[f->c.npoints++];
    memset(p, 0, sizeof *p);
    p->label = label;
    p->values[0] = v0;
    p->values[1] = v1;
}

/* 12 slices, several below 1 %, long names (万元: 1,000,000 fen). */
static void fx_pie12(fixture *f)
{
    static const char *names[12] = {
        "一般公共服务支出", "外交支出", "国防支出", "公共安全支出",
        "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
        "社会保障和就业支出", "卫生健康支出", "节能环保支出",
        "城乡社区支出", "农林水支出"};
    static const gk_fen v[12] = {900000000, 3000000, 2000000, 120000000,
                                 4000000,   1000000, 60000000, 150000000,
                                 90000000,  5000000, 250000000, 7000000};
    fx_init(f, GK_CHART_PIE, "图4：一般公共预算财政拨款支出决算结构");
    for (int i = 0; i < 12; i++)
        fx_add(f, names[i], v[i], 0);
}

/* Five slices, two of them tiny, one zero, one very long name. */
static void fx_pie5(fixture *f)
{
    fx_init(f, GK_CHART_PIE, "图2：支出决算结构");
    fx_add(f, "基本支出", 1264920000, 0);
    fx_add(f, "项目支出", 401940000, 0);
    fx_add(f, "上缴上级支出", 2100000, 0);
    fx_add(f, "事业单位经营支出", 0, 0);
    fx_add(f, "经营支出", 5300000, 0);
    fx_add(f, "对附属单位补助支出（含所属事业单位经费补助）", 150000000, 0);
}

static void fx_grouped10(fixture *f)
{
    static const char *names[10] = {
        "一般公共服务支出", "公共安全支出", "教育支出", "科学技术支出",
        "文化旅游体育与传媒支出", "社会保障和就业支出", "卫生健康支出",
        "节能环保支出", "城乡社区支出", "住房保障支出"};
    static const gk_fen a[10] = {312345600, 12345600, 2345600, 5600000, 8765400,
                                 45678900,  23456700, 1234500, 98765400, 34567800};
    static const gk_fen b[10] = {298765400, 15432100, 3456700, 4300000, 9876500,
                                 51234500,  21345600, 987600,  123456700, 35678900};
    fx_init(f, GK_CHART_GROUPED_BAR, "图3：一般公共预算财政拨款支出决算变动情况");
    for (int i = 0; i < 10; i++)
        fx_add(f, names[i], a[i], b[i]);
}

static void fx_bar3(fixture *f)
{
    fx_init(f, GK_CHART_BAR, "图1：收、支决算总计变动情况");
    fx_add(f, "收入总计", 1822160000, 0);
    fx_add(f, "支出总计", 1809820000, 0);
    fx_add(f, "财政拨款收入", 1700000000, 0);
}

/* ---------------- geometry checks ---------------- */

static double box_top(const gk_label *l) { return l->y - GK_CHART_ASCENT * l->size_pt; }

static void assert_labels_tidy(const gk_chart_geom *g, const char *what)
{
    const double eps = 1e-6;
    for (size_t i = 0; i < g->nlabels; i++) {
        const gk_label *a = &g->labels[i];
        ck_assert_msg(a->w > 0 && a->h > 0, "%s: empty label %zu", what, i);
        ck_assert_msg(a->x >= -eps && a->x + a->w <= g->width + eps &&
                          box_top(a) >= -eps && box_top(a) + a->h <= g->height + eps,
                      "%s: label \"%s\" (%.1f,%.1f %.1fx%.1f) outside %.1fx%.1f",
                      what, a->text, a->x, box_top(a), a->w, a->h, g->width,
                      g->height);
        for (size_t j = i + 1; j < g->nlabels; j++) {
            const gk_label *b = &g->labels[j];
            double ox = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
            double oy = fmin(box_top(a) + a->h, box_top(b) + b->h) -
                        fmax(box_top(a), box_top(b));
            ck_assert_msg(ox <= eps || oy <= eps,
                          "%s: labels \"%s\" and \"%s\" overlap", what, a->text,
                          b->text);
        }
    }
}

static const gk_shape *first_wedge(const gk_chart_geom *g)
{
    for (size_t i = 0; i < g->nshapes; i++)
        if (g->shapes[i].kind == GK_SHAPE_WEDGE)
            return &g->shapes[i];
    return NULL;
}

static double seg_dist(double px, double py, const gk_shape *l)
{
    double dx = l->x1 - l->x0, dy = l->y1 - l->y0, l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((px - l->x0) * dx + (py - l->y0) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(l->x0 + t * dx - px, l->y0 + t * dy - py);
}

/* No label box touches the pie disc, no leader line crosses it, and the
 * disc is inside the canvas. */
static void assert_pie_clear(const gk_chart_geom *g, const char *what)
{
    const gk_shape *w = first_wedge(g);
    for (size_t i = 0; i < g->nshapes; i++)
        if (g->shapes[i].kind == GK_SHAPE_LINE)
            ck_assert_msg(seg_dist(w->cx, w->cy, &g->shapes[i]) >= w->r - 1,
                          "%s: a leader line crosses the pie", what);
    ck_assert_ptr_nonnull(w);
    ck_assert(w->cx - w->r >= 0 && w->cx + w->r <= g->width);
    ck_assert(w->cy - w->r >= 0 && w->cy + w->r <= g->height);
    for (size_t i = 0; i < g->nlabels; i++) {
        const gk_label *l = &g->labels[i];
        double qx = fmax(l->x, fmin(w->cx, l->x + l->w));
        double qy = fmax(box_top(l), fmin(w->cy, box_top(l) + l->h));
        ck_assert_msg(hypot(qx - w->cx, qy - w->cy) > w->r,
                      "%s: label \"%s\" over the pie", what, l->text);
    }
}

static size_t count_kind(const gk_chart_geom *g, gk_shape_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < g->nshapes; i++)
        n += g->shapes[i].kind == k;
    return n;
}

static bool has_label(const gk_chart_geom *g, const char *text)
{
    for (size_t i = 0; i < g->nlabels; i++)
        if (strcmp(g->labels[i].text, text) == 0)
            return true;
    return false;
}

static gk_chart_geom *layout_ok(const gk_chart *c, gk_text_measure_fn fn,
                                void *ctx)
{
    double w, h;
    gk_chart_size(c, 442, &w, &h);
    gk_chart_geom *g = NULL;
    gk_error err;
    gk_status st = gk_chart_layout(c, w, h, fn, ctx, &g, &err);
    ck_assert_msg(st == GK_OK, "layout failed: %s", err.msg);
    ck_assert_ptr_nonnull(g);
    ck_assert(g->width == w && g->height == h);
    return g;
}

/* ---------------- pie geometry ---------------- */

START_TEST(pie_angles_proportional_to_exact_values)
{
    fixture f;
    fx_pie12(&f);
    gk_chart_geom *g = layout_ok(&f.c, NULL, NULL);
    gk_fen total = 0;
    for (size_t i = 0; i < f.c.npoints; i++)
        total += f.p[i].values[0];
    ck_assert_uint_eq(count_kind(g, GK_SHAPE_WEDGE), 12);
    double sum = 0, prev_end = 0;
    size_t k = 0;
    for (size_t i = 0; i < g->nshapes; i++) {
        const gk_shape *s = &g->shapes[i];
        if (s->kind != GK_SHAPE_WEDGE)
            continue;
        double want = TWO_PI * (double)f.p[k].values[0] / (double)total;
        ck_assert_double_eq_tol(s->a1 - s->a0, want, 1e-9);
        if (k)
            ck_assert_double_eq_tol(s->a0, prev_end, 1e-12);
        prev_end = s->a1;
        sum += s->a1 - s->a0;
        k++;
    }
    ck_assert_double_eq_tol(sum, TWO_PI, 1e-9);
    gk_chart_geom_free(g);
}
END_TEST

START_TEST(pie_zero_slices_absent_and_labels_exact)
{
    fixture f;
    fx_pie5(&f);
    gk_chart_geom *g = layout_ok(&f.c, NULL, NULL);
    ck_assert_uint_eq(count_kind(g, GK_SHAPE_WEDGE), 5);
    for (size_t i = 0; i < g->nlabels; i++)
        ck_assert_msg(strstr(g->labels[i].text, "事业单位经营") == NULL,
                      "zero slice labelled");
    /* amounts and exact percentages (total 1824260000 fen) */
    ck_assert(has_label(g, "1264.92万元，占69.34%"));
    ck_assert(has_label(g, "2.10万元，占0.12%"));
    ck_assert(has_label(g, "5.30万元，占0.29%"));
    assert_labels_tidy(g, "pie5");
    assert_pie_clear(g, "pie5");
    gk_chart_geom_free(g);

    /* whole percentages are trimmed; the report's own value text is used */
    fixture h;
    fx_init(&h, GK_CHART_PIE, "图9：对半");
    fx_add(&h, "甲", 100, 0);
    fx_add(&h, "乙", 100, 0);
    h.p[1].value_text[0] = "0.0001";
    g = layout_ok(&h.c, NULL, NULL);
    ck_assert(has_label(g, "0.00万元，占50%"));
    ck_assert(has_label(g, "0.0001万元，占50%"));
    gk_chart_geom_free(g);
}
END_TEST

START_TEST(pie_labels_tidy_nasty_inputs)
{
    gk__chart_fonts *fonts;
    gk_error err;
    ck_assert_int_eq(gk__chart_fonts_open(&fonts, &err), GK_OK);
    fixture f;
    fx_pie12(&f);
    for (int m = 0; m < 2; m++) {
        gk_text_measure_fn fn = m ? gk__chart_fonts_measure : NULL;
        gk_chart_geom *g = layout_ok(&f.c, fn, fonts);
        assert_labels_tidy(g, m ? "pie12 ft" : "pie12 estimate");
        assert_pie_clear(g, "pie12");
        gk_chart_geom_free(g);
    }
    /* one huge slice and eleven tiny ones, all crowded together */
    fixture t;
    fx_init(&t, GK_CHART_PIE, "图5：拥挤");
    fx_add(&t, "基本支出", 9000000000, 0);
    for (int i = 0; i < 11; i++)
        fx_add(&t, "文化旅游体育与传媒支出", 1000000 + i, 0);
    gk_chart_geom *g = layout_ok(&t.c, gk__chart_fonts_measure, fonts);
    assert_labels_tidy(g, "crowded");
    assert_pie_clear(g, "crowded");
    gk_chart_geom_free(g);
    /* a small canvas: either a tidy geometry or a clean refusal */
    for (double w = 160; w <= 440; w += 40) {
        g = NULL;
        gk_status st = gk_chart_layout(&f.c, w, w * 0.5, gk__chart_fonts_measure,
                                       fonts, &g, &err);
        if (st == GK_OK) {
            assert_labels_tidy(g, "small canvas");
            assert_pie_clear(g, "small canvas");
            gk_chart_geom_free(g);
        } else {
            ck_assert_int_eq(st, GK_ERR_LIMIT);
            ck_assert_ptr_null(g);
            ck_assert(strstr(err.msg, f.c.caption) != NULL);
        }
    }
    /* a single slice */
    fixture one;
    fx_init(&one, GK_CHART_PIE, "图6：唯一");
    fx_add(&one, "财政拨款收入", 5, 0);
    g = layout_ok(&one.c, gk__chart_fonts_measure, fonts);
    ck_assert_uint_eq(count_kind(g, GK_SHAPE_WEDGE), 1);
    ck_assert_double_eq_tol(first_wedge(g)->a1 - first_wedge(g)->a0, TWO_PI, 1e-12);
    ck_assert(has_label(g, "0.00万元，占100%"));
    assert_labels_tidy(g, "one");
    gk_chart_geom_free(g);
    gk__chart_fonts_close(fonts);
}
END_TEST

START_TEST(long_names_wrap)
{
    fixture f;
    fx_pie5(&f);
    gk_chart_geom *g = layout_ok(&f.c, NULL, NULL);
    /* the 22-character name is cut into lines, none wider than a quarter
     * of the chart, and together they still spell the name */
    gk_buf all = GK_BUF_INIT;
    int parts = 0;
    for (size_t i = 0; i < g->nlabels; i++)
        if (strstr("对附属单位补助支出（含所属事业单位经费补助）", g->labels[i].text) &&
            strstr(g->labels[i].text, "%") == NULL) {
            gk_buf_puts(&all, g->labels[i].text);
            ck_assert(g->labels[i].w <= 0.25 * g->width + 1e-9);
            parts++;
        }
    ck_assert_int_ge(parts, 2);
    ck_assert_str_eq(all.ptr, "对附属单位补助支出（含所属事业单位经费补助）");
    gk_buf_release(&all);
    gk_chart_geom_free(g);
}
END_TEST

/* ---------------- errors ---------------- */

START_TEST(all_zero_is_empty_and_refused)
{
    fixture f;
    fx_init(&f, GK_CHART_PIE, "图7：全为零");
    fx_add(&f, "甲", 0, 0);
    fx_add(&f, "乙", 0, 0);
    ck_assert(gk_chart_is_empty(&f.c));
    gk_chart_geom *g = (gk_chart_geom *)1;
    gk_error err;
    ck_assert_int_eq(gk_chart_layout(&f.c, 400, 300, NULL, NULL, &g, &err),
                     GK_ERR_DATA);
    ck_assert_ptr_null(g);
    ck_assert(strstr(err.msg, "图7：全为零") != NULL);
    gk_buf png = GK_BUF_INIT;
    ck_assert_int_eq(gk_chart_png(&f.c, 400, 300, 150, &png, &err), GK_ERR_DATA);
    ck_assert_uint_eq(png.len, 0);
    /* grouped bars are empty only when every series is zero */
    fixture b;
    fx_init(&b, GK_CHART_GROUPED_BAR, "图8");
    fx_add(&b, "甲", 0, 0);
    ck_assert(gk_chart_is_empty(&b.c));
    b.p[0].values[1] = 1;
    ck_assert(!gk_chart_is_empty(&b.c));
    fx_init(&b, GK_CHART_BAR, "图8");
    ck_assert(gk_chart_is_empty(&b.c)); /* no points at all */
}
END_TEST

START_TEST(negative_pie_is_a_located_error)
{
    fixture f;
    fx_init(&f, GK_CHART_PIE, "图2：收入决算结构");
    fx_add(&f, "财政拨款收入", 100000000, 0);
    fx_add(&f, "其他收入", -2500000, 0);
    gk_chart_geom *g = NULL;
    gk_error err;
    ck_assert_int_eq(gk_chart_layout(&f.c, 400, 300, NULL, NULL, &g, &err),
                     GK_ERR_DATA);
    ck_assert_ptr_null(g);
    ck_assert(strstr(err.msg, "图2：收入决算结构") != NULL);
    ck_assert(strstr(err.msg, "其他收入") != NULL);
    ck_assert(strstr(err.msg, "-2.50") != NULL);
    /* a bar chart may go below zero */
    f.c.kind = GK_CHART_BAR;
    g = layout_ok(&f.c, NULL, NULL);
    assert_labels_tidy(g, "negative bar");
    gk_chart_geom_free(g);
}
END_TEST

START_TEST(bad_arguments)
{
    fixture f;
    fx_bar3(&f);
    gk_chart_geom *g = NULL;
    gk_error err;
    ck_assert_int_eq(gk_chart_layout(&f.c, 0, 300, NULL, NULL, &g, &err),
                     GK_ERR_USAGE);
    ck_assert_int_eq(gk_chart_layout(&f.c, NAN, 300, NULL, NULL, &g, &err),
                     GK_ERR_USAGE);
    f.c.kind = (gk_chart_kind)7;
    ck_assert_int_eq(gk_chart_layout(&f.c, 400, 300, NULL, NULL, &g, &err),
                     GK_ERR_UNSUPPORTED);
    f.c.kind = GK_CHART_GROUPED_BAR;
    f.c.nseries = 5;
    ck_assert_int_eq(gk_chart_layout(&f.c, 400, 300, NULL, NULL, &g, &err),
                     GK_ERR_LIMIT);
    ck_assert_ptr_null(g);
    fx_bar3(&f);
    f.p[1].values[0] = INT64_MAX; /* axis arithmetic would overflow */
    ck_assert_int_eq(gk_chart_layout(&f.c, 400, 300, NULL, NULL, &g, &err),
                     GK_ERR_LIMIT);
    ck_assert(strstr(err.msg, "支出总计") != NULL);
    fx_init(&f, GK_CHART_PIE, "图11");
    fx_add(&f, "甲", INT64_MAX / 2 + 1, 0);
    fx_add(&f, "乙", INT64_MAX / 2 + 1, 0);
    ck_assert_int_eq(gk_chart_layout(&f.c, 400, 300, NULL, NULL, &g, &err),
                     GK_ERR_LIMIT);
    gk_buf png = GK_BUF_INIT;
    fx_bar3(&f);
    ck_assert_int_eq(gk_chart_png(&f.c, 400, 300, 0, &png, &err), GK_ERR_LIMIT);
    ck_assert_int_eq(gk_chart_png(&f.c, 400, 300, 1e5, &png, &err), GK_ERR_LIMIT);
    gk_buf_release(&png);
}
END_TEST

/* ---------------- bars ---------------- */

START_TEST(bar_heights_proportional)
{
    fixture f;
    fx_bar3(&f);
    gk_chart_geom *g = layout_ok(&f.c, NULL, NULL);
    double ratio = 0, base = -1;
    size_t k = 0;
    for (size_t i = 0; i < g->nshapes; i++) {
        const gk_shape *s = &g->shapes[i];
        if (s->kind != GK_SHAPE_RECT)
            continue;
        double r = s->h / (double)f.p[k].values[0];
        if (k == 0) {
            ratio = r;
            base = s->y + s->h;
        }
        ck_assert_double_eq_tol(r, ratio, 1e-12);
        ck_assert_double_eq_tol(s->y + s->h, base, 1e-9);
        k++;
    }
    ck_assert_uint_eq(k, 3);
    /* nice ticks: 0 500 1000 1500 2000 (万元) and the values on the bars */
    ck_assert(has_label(g, "0") && has_label(g, "500") && has_label(g, "2000"));
    ck_assert(has_label(g, "1822.16") && has_label(g, "1700.00"));
    ck_assert(has_label(g, "单位：万元"));
    assert_labels_tidy(g, "bar3");
    gk_chart_geom_free(g);
}
END_TEST

START_TEST(grouped_bars_tidy)
{
    gk__chart_fonts *fonts;
    gk_error err;
    ck_assert_int_eq(gk__chart_fonts_open(&fonts, &err), GK_OK);
    fixture f;
    fx_grouped10(&f);
    for (int m = 0; m < 2; m++) {
        gk_chart_geom *g = layout_ok(&f.c, m ? gk__chart_fonts_measure : NULL, fonts);
        ck_assert_uint_eq(count_kind(g, GK_SHAPE_RECT), 20 + 2); /* + legend */
        ck_assert(has_label(g, "上年决算") && has_label(g, "本年决算"));
        ck_assert(has_label(g, "312.35") && has_label(g, "0.99"));
        /* heights proportional across both series */
        double ratio = 0;
        size_t k = 0;
        for (size_t i = 0; i < g->nshapes && k < 20; i++) {
            const gk_shape *s = &g->shapes[i];
            if (s->kind != GK_SHAPE_RECT)
                continue;
            double r = s->h / (double)f.p[k / 2].values[k % 2];
            if (k == 0)
                ratio = r;
            ck_assert_double_eq_tol(r, ratio, 1e-9);
            k++;
        }
        assert_labels_tidy(g, "grouped10");
        gk_chart_geom_free(g);
    }
    /* 24 categories of 4 series with big numbers */
    fixture d;
    fx_init(&d, GK_CHART_GROUPED_BAR, "图9：密集");
    d.c.nseries = 4;
    d.c.series[2] = "预算调整";
    d.c.series[3] = "执行";
    for (int i = 0; i < 24; i++) {
        fx_add(&d, i % 3 ? "社会保障和就业支出" : "其他", 1234567890 + i * 7654321,
               987654321 - i * 12345678);
        d.p[i].values[2] = (gk_fen)(i * 10000000);
        d.p[i].values[3] = 555555555;
    }
    gk_chart_geom *g = layout_ok(&d.c, gk__chart_fonts_measure, fonts);
    assert_labels_tidy(g, "dense");
    /* values are shown for every bar or (too dense) for none */
    size_t nvalues = 0;
    for (size_t i = 0; i < g->nlabels; i++)
        nvalues += strcmp(g->labels[i].text, "555.56") == 0;
    ck_assert_msg(nvalues == 0 || nvalues == 24, "%zu of 24 values", nvalues);
    gk_chart_geom_free(g);
    gk__chart_fonts_close(fonts);
}
END_TEST

START_TEST(natural_size)
{
    fixture f;
    fx_pie5(&f);
    double w, h;
    gk_chart_size(&f.c, 442, &w, &h);
    ck_assert(w > 400 && w <= 442);
    ck_assert(h >= 0.5 * w && h <= 0.9 * w);
    gk_chart_size(&f.c, 300, &w, &h);
    ck_assert(w == 300);
    fixture g;
    fx_grouped10(&g);
    gk_chart_size(&g.c, 442, &w, &h);
    ck_assert(h >= 0.55 * w && h <= 1.0 * w);
}
END_TEST

/* Random charts (fixed seed): tidy at their natural size, or a clean
 * GK_ERR_LIMIT; never a label outside or on top of another. */
START_TEST(random_charts)
{
    static const char *names[] = {
        "基本支出", "项目支出", "一般公共服务支出", "教育", "文化旅游体育与传媒支出",
        "其他收入", "上级补助收入", "事业收入（含教育收费）", "A", "社会保障和就业支出",
        "住房保障支出", "科学技术支出", "使用非财政拨款结余和专用结余"};
    const size_t nn = sizeof names / sizeof names[0];
    uint64_t seed = 12345;
#define RND() (seed = seed * 6364136223846793005ULL + 1442695040888963407ULL, seed >> 33)
    gk__chart_fonts *fonts;
    gk_error err;
    ck_assert_int_eq(gk__chart_fonts_open(&fonts, &err), GK_OK);
    int ok = 0, refused = 0;
    for (int it = 0; it < 300; it++) {
        fixture f;
        gk_chart_kind kind = (gk_chart_kind)(RND() % 3);
        fx_init(&f, kind, "图12：随机");
        if (kind == GK_CHART_GROUPED_BAR)
            f.c.nseries = 1 + (int)(RND() % 4);
        size_t n = 1 + RND() % (kind == GK_CHART_PIE ? 24 : 16);
        for (size_t i = 0; i < n; i++) {
            fx_add(&f, names[RND() % nn], 0, 0);
            for (int s = 0; s < GK_CHART_MAX_SERIES; s++) {
                uint64_t mag = RND() % 4;
                gk_fen v = (gk_fen)(RND() % (mag == 0 ? 100 : mag == 1 ? 100000000 :
                                             mag == 2 ? 10000000000ULL : 1000));
                if (kind != GK_CHART_PIE && RND() % 8 == 0)
                    v = -v;
                f.p[i].values[s] = v;
            }
        }
        if (gk_chart_is_empty(&f.c))
            continue;
        double w, h;
        gk_chart_size(&f.c, 300 + (double)(RND() % 150), &w, &h);
        gk_chart_geom *g = NULL;
        gk_status st = gk_chart_layout(&f.c, w, h, (it & 1) ? gk__chart_fonts_measure : NULL,
                                       fonts, &g, &err);
        if (st == GK_OK) {
            assert_labels_tidy(g, "random");
            if (kind == GK_CHART_PIE)
                assert_pie_clear(g, "random");
            gk_chart_geom_free(g);
            ok++;
        } else {
            ck_assert_msg(st == GK_ERR_LIMIT, "random %d: %s", it, err.msg);
            refused++;
        }
    }
#undef RND
    printf("random charts: %d laid out, %d refused as too crowded\n", ok, refused);
    ck_assert_int_gt(ok, 250);
    gk__chart_fonts_close(fonts);
}
END_TEST

/* ---------------- fonts ---------------- */

START_TEST(font_map_and_measure)
{
    /* main() pointed GONGKAI_FONTMAP at a map whose first 黑体 line
     * names a missing file: the next line wins. */
    const char *hei = gk__chart_fonts_file(NULL, GK_FONT_HEI);
    if (access("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", R_OK) == 0)
        ck_assert_str_eq(hei, "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc");
    /* a bare file name is found under /usr/share/fonts, any case */
    if (access("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", R_OK) == 0)
        ck_assert_str_eq(gk__chart_fonts_file(NULL, GK_FONT_SONG),
                         "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf");
    if (access("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", R_OK) == 0)
        ck_assert_str_eq(gk__chart_fonts_file(NULL, GK_FONT_KAI),
                         "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    gk__chart_fonts *fonts;
    gk_error err;
    ck_assert_int_eq(gk__chart_fonts_open(&fonts, &err), GK_OK);
    double w1 = gk__chart_fonts_measure(fonts, GK_FONT_HEI, 10, "支出");
    double w2 = gk__chart_fonts_measure(fonts, GK_FONT_HEI, 20, "支出");
    ck_assert_double_eq_tol(w1, 20, 0.5); /* two ideographs, 1 em each */
    ck_assert_double_eq_tol(w2, 2 * w1, 1e-9);
    ck_assert(gk__chart_fonts_measure(fonts, GK_FONT_HEI, 10, "1.5") < 20);
    /* a character the 宋体 lacks (€ in AR PL SungtiL) comes from a fallback */
    gk__chart_glyph gl[4];
    double w;
    ck_assert_uint_eq(gk__chart_fonts_shape(fonts, GK_FONT_SONG, 10, "€元", gl, 4, &w), 2);
    ck_assert_uint_ne(gl[0].gid, 0);
    ck_assert_uint_ne(gl[1].gid, 0);
    /* labels of a geometry made with the fonts measure as they draw */
    fixture f;
    fx_pie12(&f);
    gk_chart_geom *g = layout_ok(&f.c, gk__chart_fonts_measure, fonts);
    for (size_t i = 0; i < g->nlabels; i++)
        ck_assert_double_eq_tol(g->labels[i].w,
                                gk__chart_fonts_measure(fonts, g->labels[i].font,
                                                        g->labels[i].size_pt,
                                                        g->labels[i].text),
                                1e-9);
    gk_chart_geom_free(g);
    gk__chart_fonts_close(fonts);
}
END_TEST

/* ---------------- PNG ---------------- */

typedef struct rd { const gk_buf *b; size_t off; } rd;

static cairo_status_t read_mem(void *closure, unsigned char *data,
                               unsigned int len)
{
    rd *r = closure;
    if (r->off + len > r->b->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->b->ptr + r->off, len);
    r->off += len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *decode(const gk_buf *png)
{
    rd r = {png, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &r);
    ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

static double grey_at(cairo_surface_t *s, double x, double y)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int ix = (int)x, iy = (int)y;
    ck_assert(ix >= 0 && iy >= 0 && ix < w && iy < h);
    const unsigned char *d = cairo_image_surface_get_data(s);
    uint32_t v = ((const uint32_t *)(d + (size_t)iy * cairo_image_surface_get_stride(s)))[ix];
    gk_rgb c = {(unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
    return gk__chart_luma(c);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void save_sample(const gk_buf *png, const char *name)
{
    const char *dir = getenv("GK_CHART_SAMPLES");
    if (!dir || !*dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (fp) {
        fwrite(png->ptr, 1, png->len, fp);
        fclose(fp);
    }
}

static void render(const gk_chart *c, double dpi, gk_buf *png, double *w,
                   double *h)
{
    gk_chart_size(c, 442, w, h);
    gk_error err;
    gk_status st = gk_chart_png(c, *w, *h, dpi, png, &err);
    ck_assert_msg(st == GK_OK, "png: %s", err.msg);
}

START_TEST(png_deterministic_opaque_rgb)
{
    fixture f;
    fx_grouped10(&f);
    gk_buf a = GK_BUF_INIT, b = GK_BUF_INIT;
    double w, h;
    render(&f.c, 200, &a, &w, &h);
    render(&f.c, 200, &b, &w, &h);
    ck_assert_uint_gt(a.len, 1000);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert(memcmp(a.ptr, b.ptr, a.len) == 0);
    ck_assert(memcmp(a.ptr, "\x89PNG\r\n\x1a\n", 8) == 0);
    ck_assert_int_eq((unsigned char)a.ptr[25], 2); /* colour type RGB, no alpha */
    ck_assert(memcmp(a.ptr + 33 + 4, "pHYs", 4) == 0); /* right after IHDR */
    cairo_surface_t *s = decode(&a);
    ck_assert_int_eq(cairo_image_surface_get_format(s), CAIRO_FORMAT_RGB24);
    ck_assert_int_eq(cairo_image_surface_get_width(s), (int)ceil(w * 200 / 72 - 1e-6));
    ck_assert_int_eq(cairo_image_surface_get_height(s), (int)ceil(h * 200 / 72 - 1e-6));
    /* the corner is white paper, the first bar is not */
    ck_assert_double_eq_tol(grey_at(s, 0, cairo_image_surface_get_height(s) - 1), 255, 1e-9);
    cairo_surface_destroy(s);
    save_sample(&a, "chart-grouped10.png");
    gk_buf_release(&a);
    gk_buf_release(&b);
}
END_TEST

/* Grey value of a slice: the mean along its middle ray (hatch included). */
static double slice_grey(cairo_surface_t *s, const gk_shape *w, double scale)
{
    double m = (w->a0 + w->a1) / 2, sum = 0;
    int n = 0;
    for (double r = 0.35; r <= 0.85; r += 0.01, n++)
        sum += grey_at(s, (w->cx + r * w->r * sin(m)) * scale,
                       (w->cy - r * w->r * cos(m)) * scale);
    return sum / n;
}

static void check_grey(const gk_chart *c, const char *sample)
{
    gk_buf png = GK_BUF_INIT;
    double w, h, dpi = 150, scale = dpi / 72;
    render(c, dpi, &png, &w, &h);
    save_sample(&png, sample);
    cairo_surface_t *s = decode(&png);
    /* the geometry the PNG was drawn from */
    gk__chart_fonts *fonts;
    gk_error err;
    ck_assert_int_eq(gk__chart_fonts_open(&fonts, &err), GK_OK);
    gk_chart_geom *g = NULL;
    ck_assert_int_eq(gk_chart_layout(c, w, h, gk__chart_fonts_measure, fonts, &g, &err), GK_OK);
    const gk_shape *wd[64];
    size_t n = 0;
    for (size_t i = 0; i < g->nshapes && n < 64; i++)
        if (g->shapes[i].kind == GK_SHAPE_WEDGE)
            wd[n++] = &g->shapes[i];
    for (size_t i = 0; n > 1 && i < n; i++) {
        const gk_shape *a = wd[i], *b = wd[(i + 1) % n];
        if (n == 2 && i == 1)
            break;
        /* slices too thin to sample at this resolution are skipped */
        if (a->a1 - a->a0 < 0.05 || b->a1 - b->a0 < 0.05)
            continue;
        double ga = slice_grey(s, a, scale), gb = slice_grey(s, b, scale);
        ck_assert_msg(fabs(ga - gb) >= 0.15 * 255,
                      "%s: slices %zu and %zu are %.0f and %.0f in grey", sample,
                      i, (i + 1) % n, ga, gb);
    }
    gk_chart_geom_free(g);
    gk__chart_fonts_close(fonts);
    cairo_surface_destroy(s);
    gk_buf_release(&png);
}

START_TEST(png_slices_differ_in_grey)
{
    fixture f;
    fx_pie5(&f);
    check_grey(&f.c, "chart-pie5.png");
    fx_pie12(&f);
    check_grey(&f.c, "chart-pie12.png");
    /* every slice count from 2 to 17, equal slices (wrap-around pairs) */
    for (int n = 2; n <= 17; n++) {
        fixture e;
        fx_init(&e, GK_CHART_PIE, "图10：等分");
        for (int i = 0; i < n; i++)
            fx_add(&e, "类", 1000000, 0);
        check_grey(&e.c, "chart-equal.png");
    }
}
END_TEST

START_TEST(png_timing)
{
    fixture f;
    fx_pie12(&f);
    double w, h;
    gk_buf png = GK_BUF_INIT;
    render(&f.c, 200, &png, &w, &h); /* warm the glyph caches */
    const int n = 5;
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        gk_buf_clear(&png);
        render(&f.c, 200, &png, &w, &h);
    }
    double ms = (now_ms() - t0) / n;
    printf("chart png: 12-slice pie %.0fx%.0f pt at 200 dpi (%dx%d px): "
           "%.1f ms, %zu bytes\n", w, h, (int)ceil(w * 200 / 72 - 1e-6),
           (int)ceil(h * 200 / 72 - 1e-6), ms, png.len);
    /* a figure for the log, not a test: speed is `make bench`'s */
    ck_assert(png.len > 8 && memcmp(png.ptr, "\x89PNG", 4) == 0);
    save_sample(&png, "chart-pie12-200dpi.png");
    gk_buf_clear(&png);
    fx_bar3(&f);
    render(&f.c, 200, &png, &w, &h);
    save_sample(&png, "chart-bar3.png");
    gk_buf_release(&png);
}
END_TEST

/* Charts drawn on several threads at once (as batch does) come out byte
 * for byte as on one thread. */
typedef struct job {
    const gk_chart *c;
    gk_buf png;
    gk_status st;
} job;

static void *draw_job(void *arg)
{
    job *j = arg;
    double w, h;
    gk_error err;
    gk_chart_size(j->c, 442, &w, &h);
    for (int i = 0; i < 3 && j->st == GK_OK; i++) {
        gk_buf_clear(&j->png);
        j->st = gk_chart_png(j->c, w, h, 96, &j->png, &err);
    }
    return NULL;
}

START_TEST(png_threads)
{
    fixture f[4];
    fx_pie12(&f[0]);
    fx_grouped10(&f[1]);
    fx_pie5(&f[2]);
    fx_bar3(&f[3]);
    job solo[4], par[8];
    pthread_t th[8];
    for (int i = 0; i < 4; i++) {
        solo[i] = (job){&f[i].c, GK_BUF_INIT, GK_OK};
        draw_job(&solo[i]);
        ck_assert_int_eq(solo[i].st, GK_OK);
    }
    for (int i = 0; i < 8; i++) {
        par[i] = (job){&f[i % 4].c, GK_BUF_INIT, GK_OK};
        ck_assert_int_eq(pthread_create(&th[i], NULL, draw_job, &par[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(par[i].st, GK_OK);
        ck_assert_uint_eq(par[i].png.len, solo[i % 4].png.len);
        ck_assert(memcmp(par[i].png.ptr, solo[i % 4].png.ptr, par[i].png.len) == 0);
        gk_buf_release(&par[i].png);
    }
    for (int i = 0; i < 4; i++)
        gk_buf_release(&solo[i].png);
}
END_TEST

/* gk__png_deflate: zlib inflates every kind of input back exactly. */
static void roundtrip(const unsigned char *in, size_t n, size_t rowlen)
{
    size_t cap = 2 * n + 1024;
    unsigned char *z = malloc(cap), *back = malloc(n + 1);
    uint32_t *tok = malloc((n + 1) * sizeof *tok);
    size_t zn = gk__png_deflate(in, n, rowlen, z, cap, tok);
    ck_assert_msg(zn > 0, "n=%zu rowlen=%zu: no output", n, rowlen);
    uLongf got = n;
    int zr = uncompress(back, &got, z, zn);
    ck_assert_msg(zr == Z_OK && got == n && memcmp(back, in, n) == 0,
                  "n=%zu rowlen=%zu: inflate %d, %lu bytes", n, rowlen, zr, (unsigned long)got);
    /* the same input gives the same bytes */
    unsigned char *z2 = malloc(cap);
    ck_assert_uint_eq(gk__png_deflate(in, n, rowlen, z2, cap, tok), zn);
    ck_assert(memcmp(z, z2, zn) == 0);
    /* too small a buffer is refused, not overrun */
    if (zn > 16)
        ck_assert_uint_eq(gk__png_deflate(in, n, rowlen, z2, zn / 2, tok), 0);
    free(z2);
    free(z);
    free(back);
    free(tok);
}

START_TEST(png_deflate_roundtrip)
{
    size_t n = 3 * 1000 * 300 + 1000;
    unsigned char *b = malloc(n);
    unsigned seed = 12345;
    /* random bytes (all literals), short inputs, one byte repeated */
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 16);
    roundtrip(b, n, 3001);
    roundtrip(b, 1, 1);
    roundtrip(b, 2, 7);
    roundtrip(b, 5, 4);
    memset(b, 0xFF, n);
    roundtrip(b, n, 3001);
    roundtrip(b, 100000, 24001); /* 8000 pixels a row: the farthest distance */
    /* picture-like rows: bands, edges, a few noisy pixels, every length */
    size_t rowlen = 1 + 3 * 517, rows = 311;
    for (size_t y = 0; y < rows; y++) {
        unsigned char *r = b + y * rowlen;
        r[0] = 0;
        for (size_t x = 0; x < 517; x++) {
            unsigned char v = (unsigned char)(x < 100 + y % 37 ? 255 : (x / 50) * 20);
            if ((x * 7 + y * 13) % 97 == 0)
                v = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 16);
            r[1 + 3 * x] = v;
            r[2 + 3 * x] = (unsigned char)(v ^ (y & 8 ? 0x10 : 0));
            r[3 + 3 * x] = (unsigned char)(x % 3 == 0 ? v : 255 - v);
        }
    }
    roundtrip(b, rowlen * rows, rowlen);
    for (size_t len = 250; len < 270; len++)
        roundtrip(b, len, rowlen);
    free(b);
}
END_TEST

int main(void)
{
    /* A font map of our own: comments, a missing file first, then the
     * Debian font (see font_map_and_measure). */
    char map[] = "/tmp/gk-chart-map.XXXXXX";
    int fd = mkstemp(map);
    if (fd >= 0) {
        FILE *fp = fdopen(fd, "w");
        fputs("# test map\n"
              "黑体    no-such-font-anywhere.ttf\n"
              "黑体    /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0\n"
              "宋体    /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf\n"
              "楷体    DEJAVUSANS.TTF\n"
              "后备    /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0   as=黑体\n",
              fp);
        fclose(fp);
        setenv("GONGKAI_FONTMAP", map, 1);
    }
    Suite *s = suite_create("chart");
    TCase *tc = tcase_create("chart");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, font_map_and_measure);
    tcase_add_test(tc, pie_angles_proportional_to_exact_values);
    tcase_add_test(tc, pie_zero_slices_absent_and_labels_exact);
    tcase_add_test(tc, pie_labels_tidy_nasty_inputs);
    tcase_add_test(tc, long_names_wrap);
    tcase_add_test(tc, all_zero_is_empty_and_refused);
    tcase_add_test(tc, negative_pie_is_a_located_error);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, bar_heights_proportional);
    tcase_add_test(tc, grouped_bars_tidy);
    tcase_add_test(tc, natural_size);
    tcase_add_test(tc, random_charts);
    tcase_add_test(tc, png_deterministic_opaque_rgb);
    tcase_add_test(tc, png_slices_differ_in_grey);
    tcase_add_test(tc, png_timing);
    tcase_add_test(tc, png_threads);
    tcase_add_test(tc, png_deflate_roundtrip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (fd >= 0)
        unlink(map);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
