/* One report end to end.  See include/gongkai/report.h. */
#define _GNU_SOURCE /* sched_getaffinity */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/stat.h>
#include <time.h>

#include "gongkai/render.h"
#include "gongkai/report.h"
#include "util/timing.h"

static const char *const format_ext[GK_FORMAT_COUNT] = {"txt", "pdf", "docx"};
static const char *const stage_names[GK_STAGE_COUNT] = {
    "parse", "check", "template", "txt", "pdf", "docx", "write",
};

const char *gk_format_ext(int i)
{
    return i >= 0 && i < GK_FORMAT_COUNT ? format_ext[i] : "?";
}

const char *gk_stage_name(int stage)
{
    return stage >= 0 && stage < GK_STAGE_COUNT ? stage_names[stage] : "?";
}

bool gk_format_parse(const char *list, unsigned *formats)
{
    unsigned f = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (int i = 0; i < GK_FORMAT_COUNT; i++)
            if (strlen(format_ext[i]) == n && strncmp(p, format_ext[i], n) == 0) {
                f |= 1u << i;
                found = true;
            }
        if (!found && n == 3 && strncmp(p, "all", 3) == 0) {
            f |= GK_FORMAT_ALL;
            found = true;
        }
        if (!found)
            return false;
        p += n;
        if (*p == ',')
            p++;
    }
    if (!f)
        return false;
    *formats = f;
    return true;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void gk_path_stem(const char *path, gk_buf *b)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    gk_buf_put(b, base, n);
}

static void add_error(gk_report_result *r, const gk_error *e)
{
    gk_diags_add(&r->diags, GK_SEV_ERROR, e);
}

/* ---------------- the layouts of the two kinds, cached ----------------
 *
 * When the caller gives no template, the layout of the data's kind is
 * loaded once per process and kept (loading means XML parsing, RELAX NG
 * validation and compiling: 4-8 ms, more than filling it in).  A cached
 * layout is used only while its folder is unchanged: every file under it
 * (report.xml, its includes and style sheet, which gk_template_load
 * confines to that folder) is listed with its size, mtime, inode and
 * device, and a use compares a fresh listing (a few stats).  A changed
 * folder loads the layout again; the old one is freed when the last
 * document filled from it is done.  Several threads may share a cached
 * layout (a template is read-only while rendering). */

typedef struct stamp {
    char *path;
    long long size, mtime_ns, ino, dev;
} stamp;

typedef struct stamps {
    stamp *v;
    size_t n, cap;
} stamps;

static void stamps_free(stamps *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].path);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* Every regular file under dir (sorted, a few levels deep); false when
 * the folder cannot be read. */
static bool stamps_of(const char *dir, int depth, stamps *s)
{
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0)
        return false;
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const char *e = ents[i]->d_name;
        char p[PATH_MAX];
        struct stat st;
        if (ok && strcmp(e, ".") != 0 && strcmp(e, "..") != 0 &&
            (size_t)snprintf(p, sizeof p, "%s/%s", dir, e) < sizeof p &&
            stat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                if (depth < 4)
                    ok = stamps_of(p, depth + 1, s);
            } else if (S_ISREG(st.st_mode)) {
                if (s->n == s->cap) {
                    s->cap = s->cap ? 2 * s->cap : 16;
                    s->v = gk_xrealloc(s->v, s->cap * sizeof *s->v);
                }
                s->v[s->n++] = (stamp){
                    .path = gk_xstrdup(p),
                    .size = (long long)st.st_size,
                    .mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL +
                                st.st_mtim.tv_nsec,
                    .ino = (long long)st.st_ino,
                    .dev = (long long)st.st_dev,
                };
            }
        }
        free(ents[i]);
    }
    free(ents);
    return ok;
}

static bool stamps_equal(const stamps *a, const stamps *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const stamp *x = &a->v[i], *y = &b->v[i];
        if (x->size != y->size || x->mtime_ns != y->mtime_ns || x->ino != y->ino ||
            x->dev != y->dev || strcmp(x->path, y->path) != 0)
            return false;
    }
    return true;
}

typedef struct cached_layout {
    gk_template *t;
    char *path;     /* report.xml as gk_template_default_path gave it */
    stamps files;   /* its folder when loaded */
    int users;      /* documents being filled from it */
    bool current;   /* still the one in the cache */
} cached_layout;

static pthread_mutex_t layout_lock = PTHREAD_MUTEX_INITIALIZER;
static cached_layout *layouts[2]; /* by gk_kind */

static void layout_drop(cached_layout *c)
{
    gk_template_free(c->t);
    free(c->path);
    stamps_free(&c->files);
    free(c);
}

/* The layout of `kind`, loaded or from the cache; release it with
 * layout_release().  NULL with err set when it cannot be loaded. */
static cached_layout *layout_get(gk_kind kind, gk_error *err)
{
    gk_buf path = GK_BUF_INIT;
    gk_template_default_path(kind, &path);
    gk_buf dir = GK_BUF_INIT;
    const char *slash = strrchr(path.ptr, '/');
    gk_buf_put(&dir, path.ptr, slash ? (size_t)(slash - path.ptr) : 0);
    if (!slash)
        gk_buf_puts(&dir, ".");
    stamps now = {0};
    bool listed = stamps_of(dir.ptr, 0, &now);
    gk_buf_release(&dir);

    pthread_mutex_lock(&layout_lock);
    cached_layout *c = layouts[kind];
    if (c && listed && strcmp(c->path, path.ptr) == 0 && stamps_equal(&c->files, &now)) {
        c->users++;
        pthread_mutex_unlock(&layout_lock);
        stamps_free(&now);
        gk_buf_release(&path);
        return c;
    }
    pthread_mutex_unlock(&layout_lock);

    /* Load outside the lock (another thread may load the same layout at
     * the same time; the later one replaces the earlier in the cache). */
    double tl = gk_timing_begin();
    gk_template *t = gk_template_load(path.ptr, err);
    gk_timing_end(GK_TIMER_TEMPLATE_LOAD, tl);
    if (!t) {
        stamps_free(&now);
        gk_buf_release(&path);
        return NULL;
    }
    c = gk_xcalloc(1, sizeof *c);
    c->t = t;
    c->path = gk_buf_detach(&path, NULL);
    c->files = now;
    c->users = 1;
    c->current = listed; /* an unlisted folder is never trusted again */
    if (c->current) {
        pthread_mutex_lock(&layout_lock);
        cached_layout *old = layouts[kind];
        layouts[kind] = c;
        if (old) {
            old->current = false;
            if (old->users == 0)
                layout_drop(old);
        }
        pthread_mutex_unlock(&layout_lock);
    }
    return c;
}

static void layout_release(cached_layout *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&layout_lock);
    bool drop = --c->users == 0 && !c->current;
    pthread_mutex_unlock(&layout_lock);
    if (drop)
        layout_drop(c);
}

static gk_status build_doc(const char *json_path, const gk_template *tmpl,
                           const gk_template *const *kind_tmpl, gk_doc **doc,
                           gk_buf *name, const char *name_pattern,
                           gk_report_result *r)
{
    *doc = NULL;
    double t0 = now_ms();
    gk_model *m = gk_model_load(json_path, &r->diags);
    r->ms[GK_STAGE_PARSE] += now_ms() - t0;
    if (!m || r->diags.errors) {
        gk_model_free(m);
        return r->status = GK_ERR_DATA;
    }
    r->year = gk_model_year(m);
    r->kind = gk_model_kind(m);
    const gk_json *dept = gk_json_at(gk_model_root(m), "department.name");
    if (dept && dept->type == GK_JSON_STRING && !r->department)
        r->department = gk_xstrdup(dept->text);

    t0 = now_ms();
    if (name)
        gk_report_name(name_pattern, json_path, gk_model_root(m), name);
    size_t nerr = gk_check(m, &r->diags);
    r->ms[GK_STAGE_CHECK] += now_ms() - t0;
    if (nerr || r->diags.errors) {
        gk_model_free(m);
        return r->status = GK_ERR_CHECK;
    }

    t0 = now_ms();
    cached_layout *own = NULL;
    gk_error err;
    gk_error_clear(&err);
    if (!tmpl && r->kind >= 0 && r->kind <= 1 && kind_tmpl)
        tmpl = kind_tmpl[r->kind];
    if (!tmpl) {
        gk_kind kind = gk_model_kind(m) == GK_KIND_YUSUAN ? GK_KIND_YUSUAN : GK_KIND_JUESUAN;
        own = layout_get(kind, &err);
        if (!own) {
            add_error(r, &err);
            gk_model_free(m);
            return r->status = err.status ? err.status : GK_ERR_TEMPLATE;
        }
        tmpl = own->t;
    }
    *doc = gk_template_render(tmpl, m, &err);
    r->ms[GK_STAGE_TEMPLATE] += now_ms() - t0;
    layout_release(own);
    gk_model_free(m);
    if (!*doc) {
        add_error(r, &err);
        return r->status = err.status ? err.status : GK_ERR_TEMPLATE;
    }
    return r->status = GK_OK;
}

gk_status gk_report_build_doc(const char *json_path, const gk_template *tmpl,
                              gk_doc **doc, gk_report_result *r)
{
    return build_doc(json_path, tmpl, NULL, doc, NULL, NULL, r);
}

/* ---------------- PDF and DOCX side by side ----------------
 *
 * With a CPU to spare, the PDF is rendered in a helper thread while
 * this thread renders the DOCX: the DOCX starts as soon as the PDF's
 * layout hands over the page map (page_map_ready), so a report takes
 * about as long as its PDF instead of PDF + DOCX, for no extra work.
 * The DOCX stays on the calling thread, whose chart fonts and glyphs are
 * kept from one report to the next (gk_chart_png).  Warnings keep their
 * order: the PDF's, then the DOCX's. */

typedef struct pdf_job {
    const gk_doc *doc;
    gk_render_opts ro;
    gk_diags diags;
    gk_buf *out;
    gk_error err;
    gk_status st;
    double ms;                    /* wall time of gk_render_pdf */
    bool timing;                  /* the caller's stage clocks are on */
    double hooks[GK_TIMER_COUNT]; /* the helper thread's stage clocks */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    gk_page_map *map;
    bool map_set, done;
} pdf_job;

static void pdf_map_ready(void *ctx, gk_page_map *map)
{
    pdf_job *j = ctx;
    pthread_mutex_lock(&j->mu);
    j->map = map;
    j->map_set = true;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

static void *pdf_thread(void *arg)
{
    pdf_job *j = arg;
    gk_timing_enable(j->timing);
    double t0 = now_ms();
    j->st = gk_render_pdf(j->doc, &j->ro, j->out, &j->err);
    j->ms = now_ms() - t0;
    gk_timing_take(j->hooks);
    pthread_mutex_lock(&j->mu);
    j->done = true;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

static void diags_append(gk_diags *to, const gk_diags *from)
{
    size_t w = 0, e = 0;
    for (size_t i = 0; i < from->len; i++) {
        gk_diags_add(to, from->items[i].severity, &from->items[i].err);
        if (from->items[i].severity == GK_SEV_WARNING)
            w++;
        else
            e++;
    }
    to->warnings += from->warnings - w; /* those beyond from's cap */
    to->errors += from->errors - e;
    to->dropped += from->dropped;
}

/* Whether a CPU is free for a second thread: the CPUs this process may
 * run on, less the 1-minute load average, leave at least one.  On a busy
 * machine the helper thread only competes with others for the same CPUs
 * (measured with a load of 3.7 on 2 CPUs: no gain, up to 10 % slower;
 * at a load of 1.5: 72 -> 60 ms for a fresh quweiban, 80 -> 68 ms for
 * xinjiekou). */
static bool cpu_to_spare(void)
{
    cpu_set_t set;
    int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    double load[1];
    if (n < 2)
        return false;
    return getloadavg(load, 1) != 1 || (double)n - load[0] >= 1.0;
}

/* Render the PDF (helper thread) and the DOCX (this thread) into
 * pdf/docx.  Returns false when no thread could be started (nothing
 * done: render them one after the other). */
static bool render_side_by_side(const gk_doc *doc, const gk_render_opts *base,
                                gk_buf *pdf, gk_buf *docx, gk_report_result *r,
                                gk_status st[2], gk_error err[2])
{
    pdf_job j = {.doc = doc, .ro = *base, .out = pdf, .timing = gk_timing_enabled()};
    j.ro.warnings = &j.diags;
    j.ro.page_map_out = NULL;
    j.ro.page_map_ready = pdf_map_ready;
    j.ro.page_map_ctx = &j;
    gk_error_clear(&j.err);
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.cv, NULL);
    pthread_t th;
    if (pthread_create(&th, NULL, pdf_thread, &j) != 0) {
        pthread_cond_destroy(&j.cv);
        pthread_mutex_destroy(&j.mu);
        return false;
    }
    pthread_mutex_lock(&j.mu);
    while (!j.map_set && !j.done)
        pthread_cond_wait(&j.cv, &j.mu);
    gk_page_map *map = j.map;
    pthread_mutex_unlock(&j.mu);

    gk_diags dd = GK_DIAGS_INIT;
    gk_error_clear(&err[1]);
    st[1] = GK_OK;
    double t0 = now_ms();
    if (map) { /* else the PDF's layout failed: so does the report */
        gk_render_opts ro = *base;
        ro.warnings = &dd;
        ro.page_map = map;
        st[1] = gk_render_docx(doc, &ro, docx, &err[1]);
    }
    r->ms[GK_STAGE_DOCX] += now_ms() - t0;
    pthread_join(th, NULL);
    pthread_cond_destroy(&j.cv);
    pthread_mutex_destroy(&j.mu);
    gk_page_map_free(map);

    r->ms[GK_STAGE_PDF] += j.ms;
    for (int t = 0; t < GK_TIMER_COUNT; t++)
        if (j.hooks[t] > 0)
            gk_timing_add((gk_timer)t, j.hooks[t]);
    diags_append(&r->diags, &j.diags);
    diags_append(&r->diags, &dd);
    gk_diags_release(&j.diags);
    gk_diags_release(&dd);
    st[0] = j.st;
    err[0] = j.err;
    return true;
}

gk_status gk_report_render_file(const char *json_path,
                                const gk_report_opts *opts,
                                gk_report_result *r)
{
    gk_doc *doc = NULL;
    gk_buf stem = GK_BUF_INIT;
    if (build_doc(json_path, opts->tmpl, opts->kind_tmpl, &doc, &stem,
                  opts->name, r)) {
        gk_buf_release(&stem);
        return r->status;
    }
    if (opts->strict && r->diags.warnings) {
        gk_doc_free(doc);
        gk_buf_release(&stem);
        return r->status = GK_ERR_CHECK;
    }

    gk_render_opts ropts = {
        .source_date_epoch = opts->source_date_epoch,
        .warnings = &r->diags,
    };
    /* Render every format into memory first: files are written only when
     * all formats succeeded, so a run never publishes half a report. */
    gk_buf bytes[GK_FORMAT_COUNT] = {GK_BUF_INIT, GK_BUF_INIT, GK_BUF_INIT};
    gk_status st = GK_OK;
    /* PDF before DOCX: the DOCX's TOC takes its page numbers from the
     * PDF's layout instead of laying the document out again. */
    gk_page_map *page_map = NULL;
    bool both = (opts->formats & (1u << 1)) && (opts->formats & (1u << 2));
    bool side = both && !opts->one_thread && cpu_to_spare();
    for (int i = 0; i < GK_FORMAT_COUNT && !st; i++) {
        if (!(opts->formats & (1u << i)))
            continue;
        gk_status two[2];
        gk_error two_err[2];
        if (i == 1 && side &&
            render_side_by_side(doc, &ropts, &bytes[1], &bytes[2], r, two, two_err)) {
            /* As the loop would have: the PDF's outcome, then the DOCX's. */
            for (int k = 1; k <= 2 && !st; k++) {
                gk_status fs = two[k - 1];
                if (fs == GK_ERR_UNSUPPORTED && opts->keep_going_unsupported) {
                    r->skipped |= 1u << k;
                    gk_buf_release(&bytes[k]);
                } else if (fs) {
                    add_error(r, &two_err[k - 1]);
                    st = fs;
                }
            }
            break; /* the DOCX is done too */
        }
        double t0 = now_ms();
        gk_error err;
        gk_error_clear(&err);
        gk_status fs = GK_OK;
        if (i == 0)
            gk_render_text(doc, &bytes[i]);
        else if (i == 1) {
            ropts.page_map_out = both ? &page_map : NULL;
            fs = gk_render_pdf(doc, &ropts, &bytes[i], &err);
            ropts.page_map_out = NULL;
        } else {
            ropts.page_map = page_map;
            fs = gk_render_docx(doc, &ropts, &bytes[i], &err);
        }
        r->ms[GK_STAGE_TXT + i] += now_ms() - t0;
        if (fs == GK_ERR_UNSUPPORTED && opts->keep_going_unsupported) {
            r->skipped |= 1u << i;
            gk_buf_release(&bytes[i]);
        } else if (fs) {
            add_error(r, &err);
            st = fs;
        }
    }
    if (!st) {
        /* All formats are written, synced together and only then given
         * their names (gk_write_files_atomic). */
        double t0 = now_ms();
        gk_buf paths[GK_FORMAT_COUNT] = {GK_BUF_INIT, GK_BUF_INIT, GK_BUF_INIT};
        const char *pv[GK_FORMAT_COUNT];
        const void *dv[GK_FORMAT_COUNT];
        size_t lv[GK_FORMAT_COUNT];
        int fmt[GK_FORMAT_COUNT];
        size_t n = 0, published = 0;
        for (int i = 0; i < GK_FORMAT_COUNT; i++) {
            if (!(opts->formats & (1u << i)) || (r->skipped & (1u << i)))
                continue;
            gk_buf_printf(&paths[i], "%s/%s.%s", opts->out_dir ? opts->out_dir : ".",
                          stem.ptr, format_ext[i]);
            pv[n] = paths[i].ptr;
            dv[n] = bytes[i].ptr;
            lv[n] = bytes[i].len;
            fmt[n++] = i;
        }
        gk_error err;
        gk_error_clear(&err);
        st = gk_write_files_atomic(n, pv, dv, lv, &published, &err);
        if (st)
            add_error(r, &err);
        for (size_t k = 0; k < published; k++) {
            int i = fmt[k];
            r->output_bytes[i] = bytes[i].len;
            r->outputs[i] = gk_buf_detach(&paths[i], NULL);
        }
        for (int i = 0; i < GK_FORMAT_COUNT; i++)
            gk_buf_release(&paths[i]);
        r->ms[GK_STAGE_WRITE] += now_ms() - t0;
    }
    gk_page_map_free(page_map);
    gk_buf_release(&stem);
    for (int i = 0; i < GK_FORMAT_COUNT; i++)
        gk_buf_release(&bytes[i]);
    gk_doc_free(doc);
    return r->status = st;
}

void gk_report_result_release(gk_report_result *r)
{
    gk_diags_release(&r->diags);
    for (int i = 0; i < GK_FORMAT_COUNT; i++)
        free(r->outputs[i]);
    free(r->department);
    memset(r, 0, sizeof(*r));
}

static void put_sanitised(gk_buf *out, const char *s)
{
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t at = i;
        int32_t cp = gk_utf8_next(s, len, &i);
        if (cp < 0) {
            gk_buf_putc(out, '_');
            i = at + 1;
        } else if (cp < 0x20 || cp == 0x7F || cp == '/' || cp == '\\' ||
                   cp == ':' || cp == '*' || cp == '?' || cp == '"' ||
                   cp == '<' || cp == '>' || cp == '|') {
            gk_buf_putc(out, '_');
        } else {
            gk_buf_put(out, s + at, i - at);
        }
    }
}

static const char *json_str(const gk_json *root, const char *path)
{
    const gk_json *n = root ? gk_json_at(root, path) : NULL;
    return n && (n->type == GK_JSON_STRING || n->type == GK_JSON_NUMBER) ? n->text : "";
}

void gk_report_name(const char *pattern, const char *json_path,
                    const gk_json *root, gk_buf *out)
{
    gk_buf raw = GK_BUF_INIT;
    if (!pattern || !*pattern)
        pattern = "{stem}";
    for (const char *p = pattern; *p;) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            if (end) {
                size_t n = (size_t)(end - p - 1);
                const char *key = p + 1;
                gk_buf val = GK_BUF_INIT;
                if (n == 4 && !strncmp(key, "stem", 4))
                    gk_path_stem(json_path, &val);
                else if (n == 4 && !strncmp(key, "year", 4))
                    gk_buf_puts(&val, json_str(root, "year"));
                else if (n == 10 && !strncmp(key, "department", 10))
                    gk_buf_puts(&val, json_str(root, "department.name"));
                else if (n == 5 && !strncmp(key, "short", 5))
                    gk_buf_puts(&val, json_str(root, "department.short_name"));
                else if (n == 4 && !strncmp(key, "kind", 4))
                    gk_buf_puts(&val, json_str(root, "kind"));
                else if (n == 4 && !strncmp(key, "code", 4))
                    gk_buf_puts(&val, json_str(root, "department.code"));
                else
                    gk_buf_put(&val, p, n + 2); /* unknown field: literal */
                put_sanitised(&raw, val.ptr);
                gk_buf_release(&val);
                p = end + 1;
                continue;
            }
        }
        char c[2] = {*p, 0};
        put_sanitised(&raw, c);
        p++;
    }
    /* No hidden or relative names ("..", ".x"), at most 180 bytes cut on
     * a character boundary, never empty. */
    const char *s = raw.ptr;
    while (*s == '.' || *s == ' ' || *s == '_')
        s++;
    size_t n = strlen(s);
    if (n > 180) {
        n = 180;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    if (n == 0)
        gk_buf_puts(out, "report");
    else
        gk_buf_put(out, s, n);
    gk_buf_release(&raw);
}
