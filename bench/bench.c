/*
 * gongkai benchmark (issue 9): `make bench` runs bench/run.sh, which
 * builds the scaled data and runs this program.  It prints a table and
 * writes bench/results.json (docs/BENCH.md explains every figure).
 *
 *   bench [options] EXAMPLE.json...
 *     --reps N          in-process repetitions per example and format (15)
 *     --fine-reps N     repetitions of the finer stage measurements (9)
 *     --cold-reps N     fresh `gongkai render` processes per example (5)
 *     --scaled FILE     a grown copy "<stem>-x<K>.json" (repeatable)
 *     --scale-reps N    repetitions per scaled file (3)
 *     --gongkai PATH    the optimised program, for cold runs and the batch
 *     --batch N         departments in the batch (100; 0 = skip)
 *     --soffice PATH    LibreOffice for the DOCX→PDF comparison ("" = skip)
 *     --work DIR        scratch folder (outputs, batch copies, LO profile)
 *     -o FILE           results (JSON)
 *
 * Stage times come from the library's own clocks (gk_report_result.ms:
 * parse, check, template, txt, pdf, docx, write).  The finer PDF and DOCX
 * stages are measured by calling, on the same document, the very
 * functions the back ends call (gk__fonts_init, gk__layout_doc,
 * gk_chart_layout, hb_subset_or_fail, HPDF_LoadTTFontFromFile,
 * gk_chart_png, gk__docx_zip) — outside the renderer, so the renderer's
 * own time minus their sum is reported as the remainder it is.  When the
 * renderers call the stage clocks of src/util/timing.h, those are
 * reported too ("hooks").
 *
 * Every time is wall-clock milliseconds (CLOCK_MONOTONIC) unless named
 * cpu_ms (CLOCK_PROCESS_CPUTIME_ID): on a shared machine the CPU time is
 * the steadier of the two.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hpdf.h>
#include <zip.h>

#include "docx/docx.h"
#include "gongkai/chart.h"
#include "gongkai/json.h"
#include "gongkai/render.h"
#include "gongkai/report.h"
#include "layout/fonts.h"
#include "layout/layout.h"
#include "util/timing.h"

/* Targets (issue 9); printed beside the figures, never asserted. */
#define TARGET_ONE_MS 50.0
#define TARGET_RSS_MB 64.0
#define TARGET_BATCH_S 5.0
#define TARGET_PDF_KB 300.0
#define TARGET_LO_RATIO 50.0


/* ------------------------------------------------------------------ */
/* clocks and statistics */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct samples {
    double *v;
    size_t n, cap;
} samples;

static void sample_add(samples *s, double x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = gk_xrealloc(s->v, s->cap * sizeof(double));
    }
    s->v[s->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stats {
    double median, p10, p90, min, max;
    size_t n;
} stats;

static double quantile(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return 0;
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    double f = pos - (double)i;
    return i + 1 < n ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

static stats stats_of(const samples *s)
{
    stats st = {0};
    st.n = s->n;
    if (!s->n)
        return st;
    double *t = gk_xmalloc(s->n * sizeof(double));
    memcpy(t, s->v, s->n * sizeof(double));
    qsort(t, s->n, sizeof(double), cmp_double);
    st.median = quantile(t, s->n, 0.5);
    st.p10 = quantile(t, s->n, 0.1);
    st.p90 = quantile(t, s->n, 0.9);
    st.min = t[0];
    st.max = t[s->n - 1];
    free(t);
    return st;
}

static double median_of(const samples *s)
{
    return stats_of(s).median;
}

/* ------------------------------------------------------------------ */
/* JSON output */

static void j_str(gk_buf *b, const char *s)
{
    gk_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            gk_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            gk_buf_printf(b, "\\u%04x", *p);
        else
            gk_buf_putc(b, *p);
    }
    gk_buf_putc(b, '"');
}

static void j_key(gk_buf *b, bool *first, const char *k)
{
    if (!*first)
        gk_buf_putc(b, ',');
    *first = false;
    j_str(b, k);
    gk_buf_putc(b, ':');
}

static void j_num(gk_buf *b, double x)
{
    if (!isfinite(x))
        gk_buf_puts(b, "null");
    else if (fabs(x) >= 100)
        gk_buf_printf(b, "%.1f", x);
    else
        gk_buf_printf(b, "%.3f", x);
}

static void j_stats(gk_buf *b, const samples *s)
{
    stats st = stats_of(s);
    gk_buf_puts(b, "{\"median\":");
    j_num(b, st.median);
    gk_buf_puts(b, ",\"p10\":");
    j_num(b, st.p10);
    gk_buf_puts(b, ",\"p90\":");
    j_num(b, st.p90);
    gk_buf_puts(b, ",\"min\":");
    j_num(b, st.min);
    gk_buf_puts(b, ",\"max\":");
    j_num(b, st.max);
    gk_buf_printf(b, ",\"n\":%zu}", st.n);
}

/* ------------------------------------------------------------------ */
/* options */

typedef struct opts {
    int reps, fine_reps, cold_reps, scale_reps, batch;
    const char *gongkai, *soffice, *work, *out;
    const char **examples;
    int nexamples;
    const char **scaled;
    int nscaled;
} opts;

static void die(const char *fmt, ...) GK_PRINTF(1, 2) GK_NORETURN;
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static void path_stem(const char *path, char *out, size_t n)
{
    gk_buf b = GK_BUF_INIT;
    gk_path_stem(path, &b);
    snprintf(out, n, "%s", b.ptr);
    gk_buf_release(&b);
}

/* ------------------------------------------------------------------ */
/* one in-process configuration: N runs of gk_report_render_file */

static const char *const config_name[4] = {"txt", "pdf", "docx", "pdf+docx"};
static const unsigned config_formats[4] = {
    GK_FORMAT_TXT, GK_FORMAT_PDF, GK_FORMAT_DOCX, GK_FORMAT_PDF | GK_FORMAT_DOCX,
};

typedef struct run_set {
    samples total, cpu, stage[GK_STAGE_COUNT];
    samples hook[GK_TIMER_COUNT];
    bool hooks;
    size_t bytes[GK_FORMAT_COUNT];
    bool failed;
} run_set;

static void run_set_free(run_set *r)
{
    free(r->total.v);
    free(r->cpu.v);
    for (int i = 0; i < GK_STAGE_COUNT; i++)
        free(r->stage[i].v);
    for (int i = 0; i < GK_TIMER_COUNT; i++)
        free(r->hook[i].v);
}

static bool render_once(const char *json, unsigned formats, const char *out_dir,
                        run_set *rs, bool record)
{
    gk_report_opts ro = {.formats = formats, .out_dir = out_dir};
    gk_report_result r;
    memset(&r, 0, sizeof r);
    double h[GK_TIMER_COUNT];
    gk_timing_take(h);
    double c0 = cpu_ms(), t0 = now_ms();
    gk_status st = gk_report_render_file(json, &ro, &r);
    double t1 = now_ms(), c1 = cpu_ms();
    bool hooks = gk_timing_take(h);
    if (st) {
        fprintf(stderr, "bench: %s: render failed (%s)\n", json, gk_strerror(st));
        gk_diags_print(&r.diags, stderr);
        gk_report_result_release(&r);
        rs->failed = true;
        return false;
    }
    if (record) {
        sample_add(&rs->total, t1 - t0);
        sample_add(&rs->cpu, c1 - c0);
        for (int i = 0; i < GK_STAGE_COUNT; i++)
            sample_add(&rs->stage[i], r.ms[i]);
        if (hooks) {
            rs->hooks = true;
            for (int i = 0; i < GK_TIMER_COUNT; i++)
                sample_add(&rs->hook[i], h[i]);
        }
        for (int i = 0; i < GK_FORMAT_COUNT; i++)
            if (r.output_bytes[i])
                rs->bytes[i] = r.output_bytes[i];
    }
    gk_report_result_release(&r);
    return true;
}

static void j_run_set(gk_buf *b, const run_set *rs, bool stages_all)
{
    bool f = true;
    gk_buf_putc(b, '{');
    j_key(b, &f, "total_ms");
    j_stats(b, &rs->total);
    j_key(b, &f, "cpu_ms");
    j_stats(b, &rs->cpu);
    j_key(b, &f, "stages_ms");
    gk_buf_putc(b, '{');
    bool g = true;
    for (int i = 0; i < GK_STAGE_COUNT; i++) {
        if (!stages_all && median_of(&rs->stage[i]) == 0)
            continue;
        j_key(b, &g, gk_stage_name(i));
        j_stats(b, &rs->stage[i]);
    }
    gk_buf_putc(b, '}');
    if (rs->hooks) {
        j_key(b, &f, "hooks_ms");
        gk_buf_putc(b, '{');
        g = true;
        for (int i = 0; i < GK_TIMER_COUNT; i++) {
            j_key(b, &g, gk_timer_name(i));
            j_stats(b, &rs->hook[i]);
        }
        gk_buf_putc(b, '}');
    }
    j_key(b, &f, "bytes");
    gk_buf_putc(b, '{');
    g = true;
    for (int i = 0; i < GK_FORMAT_COUNT; i++)
        if (rs->bytes[i]) {
            j_key(b, &g, gk_format_ext(i));
            gk_buf_printf(b, "%zu", rs->bytes[i]);
        }
    gk_buf_puts(b, "}}");
}

/* ------------------------------------------------------------------ */
/* finer stages, measured outside the renderers on the same document */

enum {
    F_FONTS, F_LAYOUT, F_CHART_GEOM, F_SUBSET, F_PDF_REST, F_PDF_TOTAL,
    F_CHART_PNG, F_ZIP, F_DOCX_REST, F_DOCX_TOTAL,
    F_HPDF_FONT, F_HPDF_FONT_WRITE,
    F_COUNT
};
static const char *const fine_name[F_COUNT] = {
    "pdf.fonts_init", "pdf.layout", "pdf.chart_geometry", "pdf.font_subset",
    "pdf.rest", "pdf.total",
    "docx.chart_png", "docx.zip", "docx.rest", "docx.total",
    "ref.libharu_utf8_font_load", "ref.libharu_utf8_font_write",
};
static const char *const fine_what[F_COUNT] = {
    "gk__fonts_init: font map, faces, per-document width tables",
    "gk__layout_doc: line breaking, tables, pages, TOC passes",
    "gk_chart_layout of each chart with the PDF's font metrics",
    "hb_subset_or_fail of each font the document draws with (as src/pdf/pdf.c)",
    "gk_render_pdf minus the four stages above: loading the fonts into libharu, "
    "drawing the pages, deflating fonts and page contents, links, outline, "
    "writing the objects and xref",
    "gk_render_pdf, the whole back end",
    "gk_chart_png of each chart at the resolution the DOCX's pictures record "
    "(layout, cairo drawing, PNG encoding)",
    "gk__docx_zip of the DOCX's own parts (deflate; PNGs stored)",
    "gk_render_docx minus the two stages above: the XML parts through libxml2",
    "gk_render_docx, the whole back end",
    "reference, not part of pdf.total: libharu 2.3.0's own UTF-8 CID font path on "
    "the same subsets: HPDF_LoadTTFontFromFile + HPDF_GetFont(\"UTF-8\") "
    "(walks all 65,536 codes per font)",
    "reference, not part of pdf.total: HPDF_SaveToStream of a page-less PDF with just "
    "those fonts, every used glyph flagged (FontFile2, /W, 131 KB CIDToGIDMap, deflate)",
};

typedef struct fine_set {
    samples s[F_COUNT];
    double chart_dpi;
    size_t npages;
    size_t ncharts;
    size_t table_rows;
    bool ok;
} fine_set;

static void hpdf_err_cb(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    (void)d;
    HPDF_STATUS *p = u;
    if (!*p)
        *p = e;
}

static int mem_fd(const void *data, size_t len)
{
    int fd = memfd_create("bench-font", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (write(fd, data, len) != (ssize_t)len) {
        close(fd);
        return -1;
    }
    return fd;
}

static double portrait_text_width_pt(const gk_doc *doc)
{
    const gk_page_setup *p = &doc->page;
    long w = lround(p->width_mm * 1440.0 / 25.4), l = lround(p->left_mm * 1440.0 / 25.4),
         r = lround(p->right_mm * 1440.0 / 25.4);
    return (double)(w - l - r) / 20.0;
}

/* The resolution a PNG records in its pHYs chunk (0 = none). */
static double png_dpi(const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t pos = 8;
    while (pos + 12 <= len) {
        size_t n = (size_t)p[pos] << 24 | (size_t)p[pos + 1] << 16 | (size_t)p[pos + 2] << 8 |
                   p[pos + 3];
        if (!memcmp(p + pos + 4, "pHYs", 4) && n >= 9 && pos + 8 + 9 <= len && p[pos + 16] == 1) {
            const unsigned char *q = p + pos + 8;
            double ppm = (double)((uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
                                  (uint32_t)q[2] << 8 | q[3]);
            return (double)lround(ppm * 0.0254);
        }
        if (!memcmp(p + pos + 4, "IDAT", 4))
            break;
        pos += 12 + n;
    }
    return 0;
}

/* Unzip a DOCX from memory into parts (in archive order). */
typedef struct parts {
    gk__part *v;
    char **names;
    void **data;
    size_t n;
} parts;

static bool unzip_parts(const gk_buf *docx, parts *ps)
{
    memset(ps, 0, sizeof *ps);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(docx->ptr, docx->len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!za) {
        if (src)
            zip_source_free(src);
        return false;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    ps->v = gk_xcalloc((size_t)n, sizeof(gk__part));
    ps->names = gk_xcalloc((size_t)n, sizeof(char *));
    ps->data = gk_xcalloc((size_t)n, sizeof(void *));
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) < 0)
            break;
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
        if (!zf)
            break;
        void *d = gk_xmalloc(st.size + 1);
        zip_int64_t got = zip_fread(zf, d, st.size);
        zip_fclose(zf);
        if (got != (zip_int64_t)st.size) {
            free(d);
            break;
        }
        ps->names[ps->n] = gk_xstrdup(st.name);
        ps->data[ps->n] = d;
        ps->v[ps->n] = (gk__part){.name = ps->names[ps->n], .data = d,
                                  .len = st.size, .store = st.comp_method == ZIP_CM_STORE};
        ps->n++;
    }
    zip_close(za);
    return ps->n == (size_t)n;
}

static void parts_free(parts *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->names[i]);
        free(ps->data[i]);
    }
    free(ps->v);
    free(ps->names);
    free(ps->data);
}

/* CPU time of this thread: the fine stages are single-threaded, and on a
 * shared machine CPU time is far steadier than wall time. */
static double thread_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One repetition of every fine stage; returns false on a failure. */
static bool fine_once(const gk_doc *doc, fine_set *fs, bool record)
{
    gk_diags quiet = GK_DIAGS_INIT;
    gk_error err;
    gk_error_clear(&err);
    double t[F_COUNT] = {0};

    /* --- PDF, stage by stage --- */
    gk__fonts fonts;
    memset(&fonts, 0, sizeof fonts);
    double t0 = thread_ms();
    gk_status st = gk__fonts_init(&fonts, gk__layout_roles(doc), &quiet, &err);
    t[F_FONTS] = thread_ms() - t0;
    if (st) {
        fprintf(stderr, "bench: fonts: %s\n", err.msg);
        gk__fonts_release(&fonts);
        gk_diags_release(&quiet);
        return false;
    }
    gk__layout L;
    memset(&L, 0, sizeof L);
    t0 = thread_ms();
    st = gk__layout_doc(doc, &fonts, &L, &err);
    t[F_LAYOUT] = thread_ms() - t0;
    if (st) {
        fprintf(stderr, "bench: layout: %s\n", err.msg);
        gk__layout_release(&L);
        gk__fonts_release(&fonts);
        gk_diags_release(&quiet);
        return false;
    }
    fs->npages = L.npages;
    size_t ncharts = 0;
    t0 = thread_ms();
    for (size_t k = 0; k < L.npages; k++)
        for (size_t i = 0; i < L.pages[k].n; i++) {
            const gk__item *it = &L.pages[k].items[i];
            if (it->kind != GK__IT_CHART)
                continue;
            gk_chart_geom *g = NULL;
            gk_error cerr;
            gk_error_clear(&cerr);
            if (gk_chart_layout(&it->u.chart->u.chart, it->w, it->h, gk__measure,
                                &fonts, &g, &cerr) == GK_OK)
                gk_chart_geom_free(g);
            ncharts++;
        }
    t[F_CHART_GEOM] = thread_ms() - t0;

    hb_blob_t *blobs[GK__MAX_FONTS] = {0};
    t0 = thread_ms();
    for (int i = 0; i < fonts.nfonts; i++)
        if (fonts.font[i].used_any)
            blobs[i] = gk__font_subset(&fonts.font[i]);
    t[F_SUBSET] = thread_ms() - t0;

    HPDF_STATUS herr = 0;
    t0 = thread_ms();
    HPDF_Doc pdf = HPDF_New(hpdf_err_cb, &herr);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_Font hf[GK__MAX_FONTS] = {0};
    for (int i = 0; i < fonts.nfonts; i++) {
        if (!blobs[i])
            continue;
        unsigned len;
        const char *data = hb_blob_get_data(blobs[i], &len);
        int fd = mem_fd(data, len);
        if (fd < 0)
            continue;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
        close(fd);
        if (name)
            hf[i] = HPDF_GetFont(pdf, name, "UTF-8");
    }
    t[F_HPDF_FONT] = thread_ms() - t0;
    /* Flag every used glyph as drawn (TextWidth does), then write. */
    gk_buf text = GK_BUF_INIT;
    for (int i = 0; i < fonts.nfonts; i++) {
        if (!hf[i])
            continue;
        gk_buf_clear(&text);
        for (uint32_t cp = 32; cp < 65536; cp++)
            if (fonts.font[i].used[cp / 32] & (1u << (cp % 32)))
                gk_utf8_put(&text, cp);
        if (text.len)
            (void)HPDF_Font_TextWidth(hf[i], (const HPDF_BYTE *)text.ptr, (HPDF_UINT)text.len);
    }
    gk_buf_release(&text);
    t0 = thread_ms();
    HPDF_SaveToStream(pdf);
    t[F_HPDF_FONT_WRITE] = thread_ms() - t0;
    HPDF_Free(pdf);
    for (int i = 0; i < GK__MAX_FONTS; i++)
        if (blobs[i])
            hb_blob_destroy(blobs[i]);
    size_t rows = 0;
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i]->type == GK_BLOCK_TABLE)
            rows += doc->blocks[i]->u.table.nrows;
    fs->table_rows = rows;
    gk__layout_release(&L);
    gk__fonts_release(&fonts);

    /* --- the whole PDF back end --- */
    gk_render_opts ro = {.warnings = &quiet};
    gk_buf out = GK_BUF_INIT;
    t0 = thread_ms();
    st = gk_render_pdf(doc, &ro, &out, &err);
    t[F_PDF_TOTAL] = thread_ms() - t0;
    gk_buf_release(&out);
    if (st) {
        fprintf(stderr, "bench: pdf: %s\n", err.msg);
        gk_diags_release(&quiet);
        return false;
    }
    t[F_PDF_REST] = t[F_PDF_TOTAL] - t[F_FONTS] - t[F_LAYOUT] - t[F_CHART_GEOM] -
                    t[F_SUBSET];

    /* --- DOCX: the whole back end first, then its charts at the resolution
     * its pictures record (pHYs), then its zip --- */
    t0 = thread_ms();
    st = gk_render_docx(doc, &ro, &out, &err);
    t[F_DOCX_TOTAL] = thread_ms() - t0;
    if (st) {
        fprintf(stderr, "bench: docx: %s\n", err.msg);
        gk_buf_release(&out);
        gk_diags_release(&quiet);
        return false;
    }
    parts ps;
    double dpi = 0;
    if (unzip_parts(&out, &ps)) {
        for (size_t i = 0; i < ps.n && !dpi; i++)
            if (ps.v[i].len > 8 && !strncmp(ps.v[i].name, "word/media/", 11))
                dpi = png_dpi(ps.v[i].data, ps.v[i].len);
        gk_buf z = GK_BUF_INIT;
        t0 = thread_ms();
        if (gk__docx_zip(ps.v, ps.n, &z, &err) != GK_OK)
            fprintf(stderr, "bench: zip: %s\n", err.msg);
        t[F_ZIP] = thread_ms() - t0;
        gk_buf_release(&z);
    }
    parts_free(&ps);
    gk_buf_release(&out);
    fs->chart_dpi = dpi;

    double avail = portrait_text_width_pt(doc);
    size_t ndocx_charts = 0;
    t0 = thread_ms();
    for (size_t i = 0; i < doc->nblocks && dpi > 0; i++) {
        const gk_block *b = doc->blocks[i];
        if (b->type != GK_BLOCK_CHART)
            continue;
        double w = 0, h = 0;
        gk_chart_size(&b->u.chart, avail, &w, &h);
        gk_buf png = GK_BUF_INIT;
        gk_error cerr;
        gk_error_clear(&cerr);
        if (w > 0 && h > 0 && gk_chart_png(&b->u.chart, w, h, dpi, &png, &cerr) != GK_OK)
            fprintf(stderr, "bench: chart %d: %s\n", b->u.chart.number, cerr.msg);
        gk_buf_release(&png);
        ndocx_charts++;
    }
    t[F_CHART_PNG] = thread_ms() - t0;
    fs->ncharts = ndocx_charts > ncharts ? ndocx_charts : ncharts;
    t[F_DOCX_REST] = t[F_DOCX_TOTAL] - t[F_CHART_PNG] - t[F_ZIP];
    gk_diags_release(&quiet);

    if (record)
        for (int i = 0; i < F_COUNT; i++)
            sample_add(&fs->s[i], t[i]);
    fs->ok = true;
    return true;
}

/* ------------------------------------------------------------------ */
/* child processes */

typedef struct proc_result {
    double wall_ms, user_ms, sys_ms;
    long maxrss_kb;
    int status; /* exit code, or 128 + signal, or -1 */
} proc_result;

/* Run argv (stdout and stderr to `log`, appended), wait, measure. */
static proc_result run_proc(char *const argv[], const char *log)
{
    proc_result r = {.status = -1};
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0)
        return r;
    if (pid == 0) {
        int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int wst = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &wst, 0, &ru) < 0 && errno == EINTR)
        ;
    r.wall_ms = now_ms() - t0;
    r.user_ms = (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3;
    r.sys_ms = (double)ru.ru_stime.tv_sec * 1e3 + (double)ru.ru_stime.tv_usec / 1e3;
    r.maxrss_kb = ru.ru_maxrss;
    r.status = WIFEXITED(wst) ? WEXITSTATUS(wst) : WIFSIGNALED(wst) ? 128 + WTERMSIG(wst) : -1;
    return r;
}

static void mkdir_p(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(tmp, 0755);
            *p = '/';
        }
    mkdir(tmp, 0755);
}

static bool copy_file(const char *from, const char *to)
{
    char *data = NULL;
    size_t len = 0;
    gk_error err;
    gk_error_clear(&err);
    if (gk_read_file(from, 64u << 20, &data, &len, &err))
        return false;
    FILE *f = fopen(to, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f)
        ok = fclose(f) == 0 && ok;
    free(data);
    return ok;
}

static void rm_rf(const char *dir)
{
    char *argv[] = {"rm", "-rf", (char *)dir, NULL};
    (void)run_proc(argv, NULL);
}

/* ------------------------------------------------------------------ */
/* counting */

static size_t ledger_rows(const char *json)
{
    char *data = NULL;
    size_t len = 0;
    gk_error err;
    gk_error_clear(&err);
    if (gk_read_file(json, 64u << 20, &data, &len, &err))
        return 0;
    gk_json_doc *d = gk_json_parse(data, len, json, NULL, &err);
    free(data);
    if (!d)
        return 0;
    size_t n = 0;
    const gk_json *t = gk_json_get(gk_json_root(d), "tables");
    if (t && t->type == GK_JSON_OBJECT)
        for (size_t i = 0; i < t->len; i++) {
            const gk_json *rows = gk_json_get(t->members[i].value, "rows");
            if (rows && rows->type == GK_JSON_ARRAY)
                n += rows->len;
        }
    gk_json_free(d);
    return n;
}

static size_t count_pdf_pages(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    gk_error err;
    gk_error_clear(&err);
    if (gk_read_file(path, 256u << 20, &data, &len, &err))
        return 0;
    size_t n = 0;
    const char *p = data, *end = data + len;
    while ((p = memmem(p, (size_t)(end - p), "/Type /Page", 11)) != NULL) {
        p += 11;
        if (p >= end || *p != 's')
            n++;
    }
    free(data);
    return n;
}

/* ------------------------------------------------------------------ */

typedef struct example {
    const char *path;
    char stem[256];
    run_set cfg[4];
    fine_set fine;
    samples cold_wall, cold_cpu;
    long cold_rss_kb;
    bool cold_ok;
    double lo_ms, lo_cpu_ms;
    int lo_status;
    size_t lo_pdf_bytes;
    size_t rows, table_rows, pages;
} example;

typedef struct scaled {
    const char *path;
    char base[256];
    int k;
    size_t rows, table_rows, pages;
    run_set rs;
} scaled;

static void print_stats_line(const char *label, const samples *s, const char *note)
{
    stats st = stats_of(s);
    printf("  %-22s %9.1f  [%7.1f … %7.1f]  %s\n", label, st.median, st.p10, st.p90,
           note ? note : "");
}

static const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

static void read_loadavg(double la[3])
{
    la[0] = la[1] = la[2] = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf %lf %lf", &la[0], &la[1], &la[2]) != 3)
            la[0] = la[1] = la[2] = -1;
        fclose(f);
    }
}

static void cpu_model(char *out, size_t n)
{
    snprintf(out, n, "?");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10)) {
            char *c = strchr(line, ':');
            if (c) {
                c++;
                while (*c == ' ')
                    c++;
                c[strcspn(c, "\n")] = 0;
                snprintf(out, n, "%s", c);
            }
            break;
        }
    fclose(f);
}

static void git_head(char *out, size_t n)
{
    snprintf(out, n, "?");
    FILE *p = popen("git rev-parse --short=12 HEAD 2>/dev/null; git status --porcelain "
                    "--untracked-files=no 2>/dev/null | head -1", "r");
    if (!p)
        return;
    char line[128] = "", dirty[256] = "";
    if (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        if (fgets(dirty, sizeof dirty, p) && *dirty)
            snprintf(out, n, "%s+dirty", line);
        else
            snprintf(out, n, "%s", line);
    }
    pclose(p);
}

int main(int argc, char **argv)
{
    opts o = {.reps = 15, .fine_reps = 9, .cold_reps = 5, .scale_reps = 3, .batch = 100,
              .gongkai = "build/bench/gongkai", .soffice = "soffice",
              .work = "build/bench/work", .out = "bench/results.json"};
    o.examples = gk_xcalloc((size_t)argc, sizeof(char *));
    o.scaled = gk_xcalloc((size_t)argc, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (die("%s needs a value", a), ""))
        if (!strcmp(a, "--reps"))
            o.reps = atoi(ARG());
        else if (!strcmp(a, "--fine-reps"))
            o.fine_reps = atoi(ARG());
        else if (!strcmp(a, "--cold-reps"))
            o.cold_reps = atoi(ARG());
        else if (!strcmp(a, "--scale-reps"))
            o.scale_reps = atoi(ARG());
        else if (!strcmp(a, "--batch"))
            o.batch = atoi(ARG());
        else if (!strcmp(a, "--gongkai"))
            o.gongkai = ARG();
        else if (!strcmp(a, "--soffice"))
            o.soffice = ARG();
        else if (!strcmp(a, "--work"))
            o.work = ARG();
        else if (!strcmp(a, "--scaled"))
            o.scaled[o.nscaled++] = ARG();
        else if (!strcmp(a, "-o"))
            o.out = ARG();
        else if (a[0] == '-')
            die("unknown option %s", a);
        else
            o.examples[o.nexamples++] = a;
#undef ARG
    }
    if (!o.nexamples)
        die("usage: bench [options] EXAMPLE.json...");
    if (o.reps < 1)
        o.reps = 1;

    double load0[3];
    read_loadavg(load0);
    double bench_t0 = now_ms();
    char work_out[4096];
    snprintf(work_out, sizeof work_out, "%s/out", o.work);
    mkdir_p(work_out);
    char log[4096];
    snprintf(log, sizeof log, "%s/children.log", o.work);
    unlink(log);

    example *ex = gk_xcalloc((size_t)o.nexamples, sizeof(example));
    printf("gongkai bench: %d example(s), %d in-process runs each (median [p10 … p90] ms, "
           "wall clock)\n", o.nexamples, o.reps);
    gk_timing_enable(true);

    /* 1. in-process, per example and format.  Repetitions are interleaved
     * (rep 1 of every example and format, then rep 2, ...) so a burst of
     * load from elsewhere spreads over all figures instead of one. */
    for (int e = 0; e < o.nexamples; e++) {
        example *x = &ex[e];
        x->path = o.examples[e];
        path_stem(x->path, x->stem, sizeof x->stem);
        x->rows = ledger_rows(x->path);
        for (int c = 0; c < 4; c++)
            render_once(x->path, config_formats[c], work_out, &x->cfg[c], false);
    }
    for (int i = 0; i < o.reps; i++)
        for (int e = 0; e < o.nexamples; e++)
            for (int c = 0; c < 4; c++)
                if (!ex[e].cfg[c].failed)
                    render_once(ex[e].path, config_formats[c], work_out, &ex[e].cfg[c], true);
    /* finer stages, interleaved the same way */
    gk_doc **docs = gk_xcalloc((size_t)o.nexamples, sizeof(gk_doc *));
    for (int e = 0; e < o.nexamples; e++) {
        gk_report_result r;
        memset(&r, 0, sizeof r);
        if (gk_report_build_doc(ex[e].path, NULL, &docs[e], &r) != GK_OK)
            docs[e] = NULL;
        gk_report_result_release(&r);
        if (docs[e])
            fine_once(docs[e], &ex[e].fine, false);
    }
    for (int i = 0; i < o.fine_reps; i++)
        for (int e = 0; e < o.nexamples; e++)
            if (docs[e] && ex[e].fine.ok && !fine_once(docs[e], &ex[e].fine, true))
                ex[e].fine.ok = false;
    for (int e = 0; e < o.nexamples; e++) {
        gk_doc_free(docs[e]);
        ex[e].table_rows = ex[e].fine.table_rows;
    }
    free(docs);

    for (int e = 0; e < o.nexamples; e++) {
        example *x = &ex[e];
        printf("\n%s (%zu ledger rows, %zu table rows)\n", x->stem, x->rows, x->table_rows);
        for (int c = 0; c < 4; c++) {
            char label[64];
            snprintf(label, sizeof label, "%s total", config_name[c]);
            char note[256];
            snprintf(note, sizeof note, "cpu %6.1f", median_of(&x->cfg[c].cpu));
            if (c == 3)
                snprintf(note + strlen(note), sizeof note - strlen(note),
                         "  target ≤ %.0f ms: %s", TARGET_ONE_MS,
                         verdict(median_of(&x->cfg[c].total) <= TARGET_ONE_MS));
            print_stats_line(label, &x->cfg[c].total, note);
        }
        run_set *pd = &x->cfg[3];
        printf("  pdf+docx by stage:");
        for (int s = 0; s < GK_STAGE_COUNT; s++)
            printf(" %s %.1f", gk_stage_name(s), median_of(&pd->stage[s]));
        printf("\n");
        char pdfpath[4400];
        snprintf(pdfpath, sizeof pdfpath, "%s/%s.pdf", work_out, x->stem);
        x->pages = count_pdf_pages(pdfpath);
        printf("  sizes: pdf %zu B (%zu pages; target ≤ %.0f KB: %s), docx %zu B, txt %zu B\n",
               pd->bytes[1], x->pages, TARGET_PDF_KB,
               verdict((double)pd->bytes[1] <= TARGET_PDF_KB * 1024), pd->bytes[2],
               x->cfg[0].bytes[0]);
        if (x->fine.ok) {
            printf("  finer stages (CPU ms, measured outside the renderer, %d runs):\n", o.fine_reps);
            for (int f = 0; f < F_COUNT; f++)
                printf("    %-30s %8.1f\n", fine_name[f], median_of(&x->fine.s[f]));
        }
    }

    /* 2. fresh processes: wall and peak memory of `gongkai render` PDF+DOCX */
    bool have_cli = access(o.gongkai, X_OK) == 0;
    if (have_cli) {
        printf("\nfresh processes: %s render -f pdf,docx (%d runs each)\n", o.gongkai,
               o.cold_reps);
        for (int e = 0; e < o.nexamples; e++)
            ex[e].cold_ok = true;
        for (int i = 0; i < o.cold_reps; i++)
            for (int e = 0; e < o.nexamples; e++) {
                example *x = &ex[e];
                if (!x->cold_ok)
                    continue;
                char *argv_[] = {(char *)o.gongkai, "render", "-q", "-f", "pdf,docx",
                                 (char *)x->path, "-o", work_out, NULL};
                proc_result pr = run_proc(argv_, log);
                if (pr.status != 0) {
                    x->cold_ok = false;
                    continue;
                }
                sample_add(&x->cold_wall, pr.wall_ms);
                sample_add(&x->cold_cpu, pr.user_ms + pr.sys_ms);
                if (pr.maxrss_kb > x->cold_rss_kb)
                    x->cold_rss_kb = pr.maxrss_kb;
            }
        for (int e = 0; e < o.nexamples; e++) {
            example *x = &ex[e];
            printf("  %-34s wall %7.1f ms  cpu %7.1f ms  peak RSS %6.1f MB (target ≤ %.0f MB: %s)%s\n",
                   x->stem, median_of(&x->cold_wall), median_of(&x->cold_cpu),
                   (double)x->cold_rss_kb / 1024, TARGET_RSS_MB,
                   verdict((double)x->cold_rss_kb / 1024 <= TARGET_RSS_MB),
                   x->cold_ok ? "" : "  FAILED");
        }
    }

    /* 3. batch: N departments, -j 1 and -j 2 */
    proc_result batch[2];
    memset(batch, 0, sizeof batch);
    bool batch_ok[2] = {false, false};
    if (have_cli && o.batch > 0) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/batch-in", o.work);
        rm_rf(dir);
        mkdir_p(dir);
        for (int i = 0; i < o.batch; i++) {
            char to[4200];
            snprintf(to, sizeof to, "%s/dept-%03d.json", dir, i + 1);
            if (!copy_file(o.examples[i % o.nexamples], to))
                die("cannot write %s", to);
        }
        printf("\nbatch: %d departments (copies of the examples), pdf+docx\n", o.batch);
        for (int j = 0; j < 2; j++) {
            char outdir[4096], jobs[8];
            snprintf(outdir, sizeof outdir, "%s/batch-out-j%d", o.work, j + 1);
            snprintf(jobs, sizeof jobs, "%d", j + 1);
            rm_rf(outdir);
            char *argv_[] = {(char *)o.gongkai, "batch", dir, "-o", outdir, "-j", jobs,
                             "-q", NULL};
            batch[j] = run_proc(argv_, log);
            batch_ok[j] = batch[j].status == 0;
            printf("  -j %d: wall %6.2f s  cpu %6.2f s  (%.0f ms per department)%s%s\n", j + 1,
                   batch[j].wall_ms / 1e3, (batch[j].user_ms + batch[j].sys_ms) / 1e3,
                   batch[j].wall_ms / o.batch, batch_ok[j] ? "" : "  FAILED",
                   j == 1 ? "" : "");
            if (j == 1)
                printf("        target ≤ %.0f s: %s\n", TARGET_BATCH_S,
                       verdict(batch_ok[1] && batch[1].wall_ms / 1e3 <= TARGET_BATCH_S));
        }
    }

    /* 4. scaling */
    scaled *sc = gk_xcalloc((size_t)o.nscaled + 1, sizeof(scaled));
    if (o.nscaled)
        printf("\nscaling: pdf+docx in-process, %d runs each (median)\n", o.scale_reps);
    char scaled_out[4096];
    snprintf(scaled_out, sizeof scaled_out, "%s/scaled", o.work);
    mkdir_p(scaled_out);
    for (int i = 0; i < o.nscaled; i++) {
        scaled *s = &sc[i];
        s->path = o.scaled[i];
        char stem[256];
        path_stem(s->path, stem, sizeof stem);
        char *x = strrchr(stem, 'x');
        s->k = x && x > stem && x[-1] == '-' ? atoi(x + 1) : 1;
        if (x && x > stem && x[-1] == '-')
            x[-1] = 0;
        snprintf(s->base, sizeof s->base, "%s", stem);
        s->rows = ledger_rows(s->path);
        gk_doc *doc = NULL;
        gk_report_result r;
        memset(&r, 0, sizeof r);
        if (gk_report_build_doc(s->path, NULL, &doc, &r) == GK_OK) {
            for (size_t b = 0; b < doc->nblocks; b++)
                if (doc->blocks[b]->type == GK_BLOCK_TABLE)
                    s->table_rows += doc->blocks[b]->u.table.nrows;
            gk_doc_free(doc);
        }
        gk_report_result_release(&r);
        render_once(s->path, GK_FORMAT_PDF | GK_FORMAT_DOCX, scaled_out, &s->rs, false);
    }
    for (int rep = 0; rep < o.scale_reps; rep++)
        for (int i = 0; i < o.nscaled; i++)
            if (!sc[i].rs.failed)
                render_once(sc[i].path, GK_FORMAT_PDF | GK_FORMAT_DOCX, scaled_out, &sc[i].rs,
                            true);
    for (int i = 0; i < o.nscaled; i++) {
        scaled *s = &sc[i];
        char pdfpath[4400];
        gk_buf sp = GK_BUF_INIT;
        gk_path_stem(s->path, &sp);
        snprintf(pdfpath, sizeof pdfpath, "%s/%s.pdf", scaled_out, sp.ptr);
        gk_buf_release(&sp);
        s->pages = count_pdf_pages(pdfpath);
        double t = median_of(&s->rs.total);
        printf("  %-34s x%-4d %6zu ledger rows %6zu table rows %5zu pages  %9.1f ms  "
               "(cpu %9.1f)  %6.3f ms/table row%s\n",
               s->base, s->k, s->rows, s->table_rows, s->pages, t, median_of(&s->rs.cpu),
               s->table_rows ? t / (double)s->table_rows : 0, s->rs.failed ? "  FAILED" : "");
    }

    /* 5. LibreOffice DOCX -> PDF */
    bool have_lo = o.soffice && *o.soffice;
    if (have_lo) {
        char prof[4096], url[6400], lo_out[4096];
        snprintf(prof, sizeof prof, "%s/lo-profile", o.work);
        if (prof[0] == '/')
            snprintf(url, sizeof url, "-env:UserInstallation=file://%s", prof);
        else {
            char cwd[2048];
            if (!getcwd(cwd, sizeof cwd))
                snprintf(cwd, sizeof cwd, ".");
            snprintf(url, sizeof url, "-env:UserInstallation=file://%s/%s", cwd, prof);
        }
        snprintf(lo_out, sizeof lo_out, "%s/lo-out", o.work);
        rm_rf(prof);
        mkdir_p(lo_out);
        printf("\nLibreOffice (%s) DOCX → PDF, one process per file, after one untimed "
               "warm-up that creates the profile\n", o.soffice);
        for (int e = -1; e < o.nexamples && have_lo; e++) {
            const example *x = &ex[e < 0 ? 0 : e];
            char docx[4400];
            snprintf(docx, sizeof docx, "%s/%s.docx", work_out, x->stem);
            char *argv_[] = {"timeout", "300", (char *)o.soffice, "--headless", "--norestore",
                             url, "--convert-to", "pdf", "--outdir", lo_out, docx, NULL};
            proc_result pr = run_proc(argv_, log);
            if (pr.status == 127 || (e < 0 && pr.status != 0)) {
                printf("  LibreOffice did not run (status %d); skipped\n", pr.status);
                have_lo = false;
                break;
            }
            if (e < 0)
                continue;
            ex[e].lo_ms = pr.wall_ms;
            ex[e].lo_cpu_ms = pr.user_ms + pr.sys_ms;
            ex[e].lo_status = pr.status;
            char lopdf[4400];
            snprintf(lopdf, sizeof lopdf, "%s/%s.pdf", lo_out, x->stem);
            struct stat stt;
            ex[e].lo_pdf_bytes = stat(lopdf, &stt) == 0 ? (size_t)stt.st_size : 0;
            double ours_warm = median_of(&ex[e].cfg[3].total);
            double ours_cold = median_of(&ex[e].cold_wall);
            printf("  %-34s %8.0f ms  = %5.1f× our warm PDF+DOCX, %5.1f× our fresh process "
                   "(target ≥ %.0f×: %s)\n",
                   x->stem, pr.wall_ms, pr.wall_ms / ours_warm,
                   ours_cold > 0 ? pr.wall_ms / ours_cold : NAN, TARGET_LO_RATIO,
                   verdict(ours_cold > 0 && pr.wall_ms / ours_cold >= TARGET_LO_RATIO));
        }
    }

    double load1[3];
    read_loadavg(load1);
    double bench_s = (now_ms() - bench_t0) / 1e3;

    /* ---------------- results.json ---------------- */
    gk_buf b = GK_BUF_INIT;
    bool f = true;
    gk_buf_putc(&b, '{');
    j_key(&b, &f, "format");
    j_str(&b, "gongkai-bench/1");
    {
        char date[64], git[128], cpu[256];
        time_t now = time(NULL);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
        git_head(git, sizeof git);
        cpu_model(cpu, sizeof cpu);
        struct utsname un;
        uname(&un);
        j_key(&b, &f, "date");
        j_str(&b, date);
        j_key(&b, &f, "git");
        j_str(&b, git);
        j_key(&b, &f, "machine");
        bool g = true;
        gk_buf_putc(&b, '{');
        j_key(&b, &g, "cpu");
        j_str(&b, cpu);
        j_key(&b, &g, "cpus_online");
        gk_buf_printf(&b, "%ld", sysconf(_SC_NPROCESSORS_ONLN));
        j_key(&b, &g, "kernel");
        j_str(&b, un.release);
        j_key(&b, &g, "loadavg_start");
        gk_buf_printf(&b, "[%.2f,%.2f,%.2f]", load0[0], load0[1], load0[2]);
        j_key(&b, &g, "loadavg_end");
        gk_buf_printf(&b, "[%.2f,%.2f,%.2f]", load1[0], load1[1], load1[2]);
        gk_buf_putc(&b, '}');
    }
    j_key(&b, &f, "config");
    gk_buf_printf(&b, "{\"reps\":%d,\"fine_reps\":%d,\"cold_reps\":%d,\"scale_reps\":%d,"
                      "\"build\":\"build/bench: -O2 -g -DNDEBUG, no sanitizers\","
                      "\"times\":\"wall-clock ms (CLOCK_MONOTONIC) unless cpu_ms; "
                      "in-process runs follow one untimed warm-up\",\"seconds\":%.1f}",
                  o.reps, o.fine_reps, o.cold_reps, o.scale_reps, bench_s);
    j_key(&b, &f, "targets");
    gk_buf_printf(&b, "{\"one_department_pdf_docx_ms\":%.0f,\"peak_rss_mb\":%.0f,"
                      "\"batch_100_j2_s\":%.0f,\"pdf_kb\":%.0f,\"libreoffice_ratio\":%.0f}",
                  TARGET_ONE_MS, TARGET_RSS_MB, TARGET_BATCH_S, TARGET_PDF_KB, TARGET_LO_RATIO);
    j_key(&b, &f, "fine_stages");
    {
        bool g = true;
        gk_buf_putc(&b, '{');
        for (int i = 0; i < F_COUNT; i++) {
            j_key(&b, &g, fine_name[i]);
            j_str(&b, fine_what[i]);
        }
        gk_buf_putc(&b, '}');
    }
    j_key(&b, &f, "examples");
    gk_buf_putc(&b, '[');
    for (int e = 0; e < o.nexamples; e++) {
        example *x = &ex[e];
        if (e)
            gk_buf_putc(&b, ',');
        bool g = true;
        gk_buf_putc(&b, '{');
        j_key(&b, &g, "name");
        j_str(&b, x->stem);
        j_key(&b, &g, "file");
        j_str(&b, x->path);
        j_key(&b, &g, "ledger_rows");
        gk_buf_printf(&b, "%zu", x->rows);
        j_key(&b, &g, "table_rows");
        gk_buf_printf(&b, "%zu", x->table_rows);
        j_key(&b, &g, "pages");
        gk_buf_printf(&b, "%zu", x->pages);
        j_key(&b, &g, "charts");
        gk_buf_printf(&b, "%zu", x->fine.ncharts);
        j_key(&b, &g, "docx_chart_dpi");
        j_num(&b, x->fine.chart_dpi);
        j_key(&b, &g, "in_process");
        gk_buf_putc(&b, '{');
        bool h = true;
        for (int c = 0; c < 4; c++) {
            j_key(&b, &h, config_name[c]);
            j_run_set(&b, &x->cfg[c], false);
        }
        gk_buf_putc(&b, '}');
        j_key(&b, &g, "fine_cpu_ms");
        gk_buf_putc(&b, '{');
        h = true;
        if (x->fine.ok)
            for (int i = 0; i < F_COUNT; i++) {
                j_key(&b, &h, fine_name[i]);
                j_stats(&b, &x->fine.s[i]);
            }
        gk_buf_putc(&b, '}');
        j_key(&b, &g, "fresh_process");
        if (x->cold_wall.n) {
            gk_buf_puts(&b, "{\"wall_ms\":");
            j_stats(&b, &x->cold_wall);
            gk_buf_puts(&b, ",\"cpu_ms\":");
            j_stats(&b, &x->cold_cpu);
            gk_buf_printf(&b, ",\"peak_rss_kb\":%ld,\"ok\":%s}", x->cold_rss_kb,
                          x->cold_ok ? "true" : "false");
        } else {
            gk_buf_puts(&b, "null");
        }
        j_key(&b, &g, "libreoffice");
        if (have_lo && x->lo_ms > 0) {
            gk_buf_puts(&b, "{\"wall_ms\":");
            j_num(&b, x->lo_ms);
            gk_buf_puts(&b, ",\"cpu_ms\":");
            j_num(&b, x->lo_cpu_ms);
            gk_buf_puts(&b, ",\"cpu_ratio_to_fresh_process\":");
            j_num(&b, x->cold_cpu.n ? x->lo_cpu_ms / median_of(&x->cold_cpu) : NAN);
            gk_buf_printf(&b, ",\"status\":%d,\"pdf_bytes\":%zu,\"ratio_to_warm\":", x->lo_status,
                          x->lo_pdf_bytes);
            j_num(&b, x->lo_ms / median_of(&x->cfg[3].total));
            gk_buf_puts(&b, ",\"ratio_to_fresh_process\":");
            j_num(&b, x->cold_wall.n ? x->lo_ms / median_of(&x->cold_wall) : NAN);
            gk_buf_putc(&b, '}');
        } else {
            gk_buf_puts(&b, "null");
        }
        gk_buf_putc(&b, '}');
    }
    gk_buf_putc(&b, ']');
    j_key(&b, &f, "batch");
    if (have_cli && o.batch > 0) {
        gk_buf_printf(&b, "{\"departments\":%d,\"formats\":\"pdf,docx\"", o.batch);
        for (int j = 0; j < 2; j++) {
            gk_buf_printf(&b, ",\"j%d\":{\"wall_s\":", j + 1);
            j_num(&b, batch[j].wall_ms / 1e3);
            gk_buf_puts(&b, ",\"cpu_s\":");
            j_num(&b, (batch[j].user_ms + batch[j].sys_ms) / 1e3);
            gk_buf_puts(&b, ",\"idle_estimate_s\":");
            j_num(&b, (batch[j].user_ms + batch[j].sys_ms) / 1e3 / (j + 1));
            gk_buf_printf(&b, ",\"peak_rss_kb\":%ld,\"ok\":%s}", batch[j].maxrss_kb,
                          batch_ok[j] ? "true" : "false");
        }
        gk_buf_putc(&b, '}');
    } else {
        gk_buf_puts(&b, "null");
    }
    j_key(&b, &f, "scaling");
    gk_buf_putc(&b, '[');
    for (int i = 0; i < o.nscaled; i++) {
        scaled *s = &sc[i];
        if (i)
            gk_buf_putc(&b, ',');
        double t = median_of(&s->rs.total);
        gk_buf_puts(&b, "{\"base\":");
        j_str(&b, s->base);
        gk_buf_printf(&b, ",\"k\":%d,\"ledger_rows\":%zu,\"table_rows\":%zu,\"pages\":%zu,"
                          "\"ok\":%s,\"pdf_docx\":",
                      s->k, s->rows, s->table_rows, s->pages, s->rs.failed ? "false" : "true");
        j_run_set(&b, &s->rs, false);
        gk_buf_puts(&b, ",\"ms_per_table_row\":");
        j_num(&b, s->table_rows ? t / (double)s->table_rows : NAN);
        gk_buf_puts(&b, ",\"cpu_ms_per_table_row\":");
        j_num(&b, s->table_rows ? median_of(&s->rs.cpu) / (double)s->table_rows : NAN);
        /* the cost of each added row against the previous size of the same data */
        gk_buf_puts(&b, ",\"marginal_cpu_ms_per_added_row\":");
        if (i > 0 && !strcmp(sc[i - 1].base, s->base) && s->table_rows > sc[i - 1].table_rows)
            j_num(&b, (median_of(&s->rs.cpu) - median_of(&sc[i - 1].rs.cpu)) /
                          (double)(s->table_rows - sc[i - 1].table_rows));
        else
            gk_buf_puts(&b, "null");
        gk_buf_putc(&b, '}');
    }
    gk_buf_putc(&b, ']');

    /* verdicts */
    j_key(&b, &f, "verdicts");
    gk_buf_putc(&b, '[');
    bool first_v = true;
#define VERDICT(what, val, target, ok)                                          \
    do {                                                                        \
        if (!first_v)                                                           \
            gk_buf_putc(&b, ',');                                               \
        first_v = false;                                                        \
        gk_buf_puts(&b, "{\"target\":");                                       \
        j_str(&b, what);                                                        \
        gk_buf_puts(&b, ",\"measured\":");                                     \
        j_num(&b, val);                                                         \
        gk_buf_puts(&b, ",\"limit\":");                                        \
        j_num(&b, target);                                                      \
        gk_buf_printf(&b, ",\"met\":%s}", (ok) ? "true" : "false");            \
    } while (0)
    printf("\ntargets (judged, never asserted):\n");
    for (int e = 0; e < o.nexamples; e++) {
        example *x = &ex[e];
        char what[512];
        double v = median_of(&x->cfg[3].total);
        snprintf(what, sizeof what, "%s: PDF+DOCX in process, median wall ms ≤ %.0f", x->stem,
                 TARGET_ONE_MS);
        VERDICT(what, v, TARGET_ONE_MS, v <= TARGET_ONE_MS);
        printf("  %-70s %8.1f  %s\n", what, v, verdict(v <= TARGET_ONE_MS));
        if (x->cold_wall.n) {
            v = median_of(&x->cold_wall);
            snprintf(what, sizeof what, "%s: PDF+DOCX fresh process, median wall ms ≤ %.0f",
                     x->stem, TARGET_ONE_MS);
            VERDICT(what, v, TARGET_ONE_MS, v <= TARGET_ONE_MS);
            printf("  %-70s %8.1f  %s\n", what, v, verdict(v <= TARGET_ONE_MS));
            v = (double)x->cold_rss_kb / 1024;
            snprintf(what, sizeof what, "%s: peak RSS MB ≤ %.0f", x->stem, TARGET_RSS_MB);
            VERDICT(what, v, TARGET_RSS_MB, v <= TARGET_RSS_MB);
            printf("  %-70s %8.1f  %s\n", what, v, verdict(v <= TARGET_RSS_MB));
        }
        v = (double)x->cfg[3].bytes[1] / 1024;
        snprintf(what, sizeof what, "%s: PDF KB ≤ %.0f", x->stem, TARGET_PDF_KB);
        VERDICT(what, v, TARGET_PDF_KB, v <= TARGET_PDF_KB);
        printf("  %-70s %8.1f  %s\n", what, v, verdict(v <= TARGET_PDF_KB));
        if (have_lo && x->lo_ms > 0 && x->cold_wall.n) {
            v = x->lo_ms / median_of(&x->cold_wall);
            snprintf(what, sizeof what,
                     "%s: LibreOffice DOCX→PDF ÷ our fresh-process PDF+DOCX ≥ %.0f", x->stem,
                     TARGET_LO_RATIO);
            VERDICT(what, v, TARGET_LO_RATIO, v >= TARGET_LO_RATIO);
            printf("  %-70s %8.1f  %s\n", what, v, verdict(v >= TARGET_LO_RATIO));
        }
    }
    if (have_cli && o.batch > 0) {
        char what[256];
        double v = batch[1].wall_ms / 1e3;
        snprintf(what, sizeof what, "%d departments -j 2, wall s ≤ %.0f", o.batch,
                 TARGET_BATCH_S);
        VERDICT(what, v, TARGET_BATCH_S, batch_ok[1] && v <= TARGET_BATCH_S);
        printf("  %-70s %8.2f  %s\n", what, v, verdict(batch_ok[1] && v <= TARGET_BATCH_S));
    }
#undef VERDICT
    gk_buf_puts(&b, "]}\n");

    gk_error err;
    gk_error_clear(&err);
    if (gk_write_file_atomic(o.out, b.ptr, b.len, &err)) {
        gk_buf eb = GK_BUF_INIT;
        gk_error_format(&err, &eb);
        fprintf(stderr, "bench: %s\n", eb.ptr);
        return 3;
    }
    printf("\nload average %.2f %.2f %.2f at the start, %.2f %.2f %.2f at the end; "
           "%.0f s; wrote %s\n",
           load0[0], load0[1], load0[2], load1[0], load1[1], load1[2], bench_s, o.out);
    gk_buf_release(&b);
    for (int e = 0; e < o.nexamples; e++) {
        for (int c = 0; c < 4; c++)
            run_set_free(&ex[e].cfg[c]);
        for (int i = 0; i < F_COUNT; i++)
            free(ex[e].fine.s[i].v);
        free(ex[e].cold_wall.v);
        free(ex[e].cold_cpu.v);
    }
    for (int i = 0; i < o.nscaled; i++)
        run_set_free(&sc[i].rs);
    free(sc);
    free(ex);
    free(o.examples);
    free(o.scaled);
    return 0;
}
