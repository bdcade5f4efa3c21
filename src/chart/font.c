/*
 * Chart fonts: the font map (fonts/fontmap.conf, read here with a small
 * reader of its own so that charts do not depend on the PDF back end),
 * FreeType faces and cairo font faces for one rendering.
 *
 * The resolved file of each role is computed once per process (strings
 * only).  FreeType objects are made per gk__chart_fonts and never shared
 * between threads; gk_chart_png keeps one per thread
 * (gk__chart_fonts_thread); cairo may hold a face in
 * its caches after we let go, so every FT_Face is released by cairo's
 * user-data destroy callback, and the FT_Library under the faces is
 * reference counted and released with its last face.
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cairo-ft.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TAGS_H
#include FT_TRUETYPE_TABLES_H

#include "chart/chart_int.h"

#define MAX_FALLBACK 6
/* slots: the roles, then 西文 and 西文黑体, then the fallbacks */
#define ROLE_LATIN GK_FONT_ROLE_COUNT            /* 西文: ASCII with 宋 仿宋 楷 小标宋 */
#define ROLE_LATIN_SANS (GK_FONT_ROLE_COUNT + 1) /* 西文黑体: ASCII with 黑体 */
#define ROLE_FALLBACK (GK_FONT_ROLE_COUNT + 2)
#define MAX_SLOTS (ROLE_FALLBACK + MAX_FALLBACK)

typedef struct fspec {
    char *path; /* NULL = none */
    int index;
} fspec;

/* ---------------- resolving the map, once per process ---------------- */

static struct {
    fspec role[ROLE_FALLBACK]; /* the roles, 西文, 西文黑体 */
    fspec fallback[MAX_FALLBACK];
    int nfallback;
} resolved;
static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;

/* Debian fonts tried after the map's own lines (or without a map). */
static const char *const builtin[ROLE_FALLBACK + 1][3] = {
    [GK_FONT_SONG] = {"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
                      "/usr/share/fonts/truetype/arphic/uming.ttc:0",
                      "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0"},
    [GK_FONT_HEI] = {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0", NULL, NULL},
    [GK_FONT_KAI] = {"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
                     "/usr/share/fonts/truetype/arphic/ukai.ttc:0",
                     "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"},
    [GK_FONT_FANGSONG] = {"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
                          "/usr/share/fonts/truetype/arphic/uming.ttc:0", NULL},
    [GK_FONT_XBS] = {"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
                     "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0", NULL},
    [ROLE_LATIN] = {"/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                    NULL, NULL},
    [ROLE_LATIN_SANS] = {"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
                         NULL, NULL},
    [ROLE_FALLBACK] = {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc:0",
                            "/usr/share/fonts/truetype/arphic/uming.ttc:0",
                            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
};

/* Bare file names are looked up in one listing of the usual font
 * folders, made on the first bare name (only while resolving). */
typedef struct flist {
    char **name, **path;
    size_t n, cap;
    bool made;
} flist;

static void list_dir(flist *l, const char *dir, int depth)
{
    if (depth > 6)
        return;
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort); /* sorted: stable result */
    for (int i = 0; i < n; i++) {
        const char *e = ents[i]->d_name;
        char p[PATH_MAX];
        struct stat st;
        /* The type from the listing; a stat only for links and file
         * systems that do not say (one stat per font file was most of the
         * cost of resolving the map). */
        unsigned char t = ents[i]->d_type;
        bool known = t == DT_DIR || t == DT_REG;
        if (e[0] != '.' && (size_t)snprintf(p, sizeof p, "%s/%s", dir, e) < sizeof p &&
            (known || stat(p, &st) == 0)) {
            if (known ? t == DT_DIR : S_ISDIR(st.st_mode)) {
                list_dir(l, p, depth + 1);
            } else if (known ? t == DT_REG : S_ISREG(st.st_mode)) {
                if (l->n == l->cap) {
                    l->cap = l->cap ? 2 * l->cap : 64;
                    l->name = gk_xrealloc(l->name, l->cap * sizeof(char *));
                    l->path = gk_xrealloc(l->path, l->cap * sizeof(char *));
                }
                l->name[l->n] = gk_xstrdup(e);
                l->path[l->n++] = gk_xstrdup(p);
            }
        }
        free(ents[i]);
    }
    free(ents);
}

static void flist_make(flist *l)
{
    l->made = true;
    list_dir(l, "/usr/share/fonts", 0);
    list_dir(l, "/usr/local/share/fonts", 0);
    const char *home = getenv("HOME");
    char dir[PATH_MAX];
    if (home && (size_t)snprintf(dir, sizeof dir, "%s/.fonts", home) < sizeof dir)
        list_dir(l, dir, 0);
    if (home && (size_t)snprintf(dir, sizeof dir, "%s/.local/share/fonts", home) < sizeof dir)
        list_dir(l, dir, 0);
}

static void flist_free(flist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->name[i]);
        free(l->path[i]);
    }
    free(l->name);
    free(l->path);
}

static bool find_font_file(flist *l, const char *file, char *out)
{
    struct stat st;
    if (file[0] == '/') {
        if (strlen(file) >= PATH_MAX)
            return false;
        strcpy(out, file);
        return stat(out, &st) == 0 && S_ISREG(st.st_mode);
    }
    const char *home = getenv("HOME");
    if (file[0] == '~' && file[1] == '/') {
        if (!home || (size_t)snprintf(out, PATH_MAX, "%s%s", home, file + 1) >= PATH_MAX)
            return false;
        return stat(out, &st) == 0 && S_ISREG(st.st_mode);
    }
    if (!l->made)
        flist_make(l);
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->name[i], file) == 0 && strlen(l->path[i]) < PATH_MAX) {
            strcpy(out, l->path[i]);
            return true;
        }
    return false;
}

/* A usable face: exists, opens, has TrueType outlines (the PDF back end
 * can only embed those, and the chart must use the same fonts). */
static bool usable(FT_Library lib, const char *path, int index)
{
    FT_Face face;
    if (FT_New_Face(lib, path, index, &face))
        return false;
    FT_ULong len = 0;
    bool ok = FT_Load_Sfnt_Table(face, TTAG_glyf, 0, NULL, &len) == 0 && len > 0 &&
              face->units_per_EM > 0;
    FT_Done_Face(face);
    return ok;
}

/* "FILE[:INDEX]" -> path (resolved) and index. */
static bool resolve_spec(FT_Library lib, flist *fl, const char *spec, fspec *out)
{
    char file[PATH_MAX], path[PATH_MAX];
    if (strlen(spec) >= sizeof file)
        return false;
    strcpy(file, spec);
    int index = 0;
    char *colon = strrchr(file, ':');
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        index = atoi(colon + 1);
        *colon = '\0';
    }
    if (!find_font_file(fl, file, path) || !usable(lib, path, index))
        return false;
    out->path = gk_xstrdup(path);
    out->index = index;
    return true;
}

static void consider(FT_Library lib, flist *fl, int role, const char *spec)
{
    if (role < ROLE_FALLBACK) {
        if (!resolved.role[role].path)
            (void)resolve_spec(lib, fl, spec, &resolved.role[role]);
        return;
    }
    if (resolved.nfallback == MAX_FALLBACK)
        return;
    fspec f;
    if (!resolve_spec(lib, fl, spec, &f))
        return;
    for (int i = 0; i < resolved.nfallback; i++)
        if (resolved.fallback[i].index == f.index &&
            strcmp(resolved.fallback[i].path, f.path) == 0) {
            free(f.path);
            return;
        }
    resolved.fallback[resolved.nfallback++] = f;
}

static void read_map(FT_Library lib, flist *fl, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    char line[2048];
    while (fgets(line, sizeof line, fp)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
            continue;
        char *save = NULL;
        char *role = strtok_r(p, " \t\r\n", &save);
        char *spec = strtok_r(NULL, " \t\r\n", &save);
        if (!role || !spec)
            continue;
        gk_font_role r;
        if (strcmp(role, "后备") == 0 || strcmp(role, "fallback") == 0)
            consider(lib, fl, ROLE_FALLBACK, spec);
        else if (strcmp(role, "西文") == 0 || strcmp(role, "latin") == 0)
            consider(lib, fl, ROLE_LATIN, spec);
        else if (strcmp(role, "西文黑体") == 0 || strcmp(role, "latin-sans") == 0)
            consider(lib, fl, ROLE_LATIN_SANS, spec);
        else if (gk_font_role_from_name(role, &r))
            consider(lib, fl, (int)r, spec);
    }
    fclose(fp);
}

static void resolve(void)
{
    FT_Library lib;
    if (FT_Init_FreeType(&lib))
        return;
    flist fl = {0};
    const char *env = getenv("GONGKAI_FONTMAP");
    if (env && *env) {
        read_map(lib, &fl, env);
    } else {
        gk_buf p = GK_BUF_INIT;
        gk_buf_printf(&p, "%s/fonts/fontmap.conf", gk_share_dir());
        read_map(lib, &fl, p.ptr);
        gk_buf_release(&p);
    }
    for (int r = 0; r <= ROLE_FALLBACK; r++)
        for (int k = 0; k < 3 && builtin[r][k]; k++)
            consider(lib, &fl, r, builtin[r][k]);
    flist_free(&fl);
    FT_Done_FreeType(lib);
}

/* ---------------- per-rendering faces ---------------- */

typedef struct ftlib {
    FT_Library lib;
    atomic_int refs;
    pthread_mutex_t mu; /* FT_Done_Face may run on another thread */
} ftlib;

static void ftlib_unref(ftlib *l)
{
    if (atomic_fetch_sub(&l->refs, 1) == 1) {
        FT_Done_FreeType(l->lib);
        pthread_mutex_destroy(&l->mu);
        free(l);
    }
}

typedef struct facebox {
    FT_Face face;
    ftlib *lib;
} facebox;

static void facebox_destroy(void *p)
{
    facebox *b = p;
    pthread_mutex_lock(&b->lib->mu);
    FT_Done_Face(b->face);
    pthread_mutex_unlock(&b->lib->mu);
    ftlib_unref(b->lib);
    free(b);
}

static const cairo_user_data_key_t face_key;

typedef struct slot {
    const fspec *spec;
    FT_Face face;
    cairo_font_face_t *cf;
    bool tried;
} slot;

struct gk__chart_fonts {
    ftlib *lib;
    slot slots[MAX_SLOTS];
    int alias[MAX_SLOTS];  /* slot that really holds the face (same file) */
};

static slot *load_slot(gk__chart_fonts *f, int i)
{
    i = f->alias[i];
    slot *s = &f->slots[i];
    if (s->tried)
        return s->face ? s : NULL;
    s->tried = true;
    if (!s->spec || !s->spec->path)
        return NULL;
    FT_Face face;
    pthread_mutex_lock(&f->lib->mu);
    FT_Error e = FT_New_Face(f->lib->lib, s->spec->path, s->spec->index, &face);
    pthread_mutex_unlock(&f->lib->mu);
    if (e)
        return NULL;
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(
        face, FT_LOAD_NO_BITMAP);
    facebox *b = gk_xmalloc(sizeof *b);
    b->face = face;
    b->lib = f->lib;
    atomic_fetch_add(&f->lib->refs, 1);
    if (cairo_font_face_set_user_data(cf, &face_key, b, facebox_destroy) !=
        CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cf);
        facebox_destroy(b);
        return NULL;
    }
    s->face = face;
    s->cf = cf;
    return s;
}

gk_status gk__chart_fonts_open(gk__chart_fonts **out, gk_error *err)
{
    pthread_once(&resolve_once, resolve);
    *out = NULL;
    gk__chart_fonts *f = gk_xcalloc(1, sizeof *f);
    f->lib = gk_xcalloc(1, sizeof *f->lib);
    if (FT_Init_FreeType(&f->lib->lib)) {
        free(f->lib);
        free(f);
        return gk_error_set(err, GK_ERR_FONT, NULL, 0, 0, NULL, "FreeType");
    }
    atomic_init(&f->lib->refs, 1);
    pthread_mutex_init(&f->lib->mu, NULL);
    for (int i = 0; i < MAX_SLOTS; i++) {
        f->slots[i].spec = i < ROLE_FALLBACK
                               ? &resolved.role[i]
                               : (i - ROLE_FALLBACK < resolved.nfallback
                                      ? &resolved.fallback[i - ROLE_FALLBACK]
                                      : NULL);
        f->alias[i] = i;
        for (int j = 0; j < i; j++)
            if (f->slots[i].spec && f->slots[i].spec->path && f->slots[j].spec &&
                f->slots[j].spec->path &&
                f->slots[i].spec->index == f->slots[j].spec->index &&
                strcmp(f->slots[i].spec->path, f->slots[j].spec->path) == 0) {
                f->alias[i] = f->alias[j];
                break;
            }
    }
    /* Charts need at least one CJK face that opens. */
    bool any = false;
    for (int i = 0; i < MAX_SLOTS && !any; i++)
        if (i != ROLE_LATIN && i != ROLE_LATIN_SANS)
            any = load_slot(f, i) != NULL;
    if (!any) {
        gk__chart_fonts_close(f);
        return gk_error_set(err, GK_ERR_FONT, NULL, 0, 0, NULL,
                            GK_TR("图表：找不到可用的中文字体（字体映射 fonts/fontmap.conf）",
                                  "charts: no usable Chinese font (font map "
                                  "fonts/fontmap.conf)"));
    }
    *out = f;
    return GK_OK;
}

/* Per thread: one set of faces kept open for the life of the thread (or
 * process), so that cairo's scaled fonts and glyph cache, keyed by these
 * font faces, survive from chart to chart and from document to document
 * instead of every label glyph being rasterised again for every chart.
 * The pointer is also thread-local so that leak checkers see it; the
 * key's destructor closes the set when a thread other than the main one
 * ends.  A `batch` worker forked after its parent drew a chart inherits
 * the parent's set (fork copies the calling thread's storage). */
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;
static _Thread_local gk__chart_fonts *thread_fonts;

static void thread_fonts_destroy(void *p)
{
    gk__chart_fonts_close(p);
    thread_fonts = NULL;
}

static void thread_key_make(void)
{
    (void)pthread_key_create(&thread_key, thread_fonts_destroy);
}

gk_status gk__chart_fonts_thread(gk__chart_fonts **out, gk_error *err)
{
    if (thread_fonts) {
        *out = thread_fonts;
        return GK_OK;
    }
    gk_status st = gk__chart_fonts_open(out, err);
    if (st)
        return st;
    pthread_once(&thread_key_once, thread_key_make);
    thread_fonts = *out;
    (void)pthread_setspecific(thread_key, thread_fonts);
    return GK_OK;
}

void gk__chart_fonts_close(gk__chart_fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < MAX_SLOTS; i++)
        if (f->slots[i].cf)
            cairo_font_face_destroy(f->slots[i].cf);
    ftlib_unref(f->lib);
    free(f);
}

const char *gk__chart_fonts_file(const gk__chart_fonts *f, int r)
{
    (void)f;
    pthread_once(&resolve_once, resolve);
    if ((unsigned)r >= ROLE_FALLBACK || !resolved.role[r].path)
        return "";
    return resolved.role[r].path;
}

struct _cairo_font_face *gk__chart_fonts_cairo(gk__chart_fonts *f, int face)
{
    if (face < 0 || face >= MAX_SLOTS)
        return NULL;
    slot *s = load_slot(f, face);
    return s ? s->cf : NULL;
}

/* The slot and glyph drawing cp in role r, as the PDF picks it: ASCII
 * from 西文 (西文黑体 for 黑体) when the map has it, else the role's
 * face, else the first fallback that has it, else the role's (or any)
 * face's .notdef. */
static int pick(gk__chart_fonts *f, gk_font_role r, uint32_t cp,
                FT_UInt *gid)
{
    int first = -1;
    int order[MAX_SLOTS + 1];
    int n = 0;
    if (cp >= 0x20 && cp < 0x7F)
        order[n++] = r == GK_FONT_HEI ? ROLE_LATIN_SANS : ROLE_LATIN;
    order[n++] = (int)r;
    for (int i = ROLE_FALLBACK; i < MAX_SLOTS; i++)
        order[n++] = i;
    for (int k = 0; k < n; k++) {
        slot *s = load_slot(f, order[k]);
        if (!s)
            continue;
        int real = f->alias[order[k]];
        if (first < 0 && order[k] == (int)r)
            first = real;
        FT_UInt g = FT_Get_Char_Index(s->face, cp);
        if (g) {
            *gid = g;
            return real;
        }
    }
    if (first < 0) /* no role or fallback face: any face at all */
        for (int i = 0; i < MAX_SLOTS && first < 0; i++)
            if (load_slot(f, i))
                first = f->alias[i];
    *gid = 0;
    return first;
}

size_t gk__chart_fonts_shape(gk__chart_fonts *f, gk_font_role font,
                             double size_pt, const char *text,
                             gk__chart_glyph *out, size_t cap, double *width)
{
    size_t len = strlen(text), i = 0, n = 0;
    long units = 0; /* thousandths of an em, truncated like the PDF's /W */
    if ((unsigned)font >= GK_FONT_ROLE_COUNT)
        font = GK_FONT_SONG;
    while (i < len) {
        int32_t cp = gk_utf8_next(text, len, &i);
        if (cp < 0)
            cp = 0xFFFD;
        FT_UInt gid;
        int s = pick(f, font, (uint32_t)cp, &gid);
        if (s < 0)
            break;
        FT_Face face = f->slots[s].face;
        FT_Fixed adv = 0;
        if (FT_Get_Advance(face, gid, FT_LOAD_NO_SCALE, &adv))
            adv = face->units_per_EM;
        if (out && n < cap) {
            out[n].face = s;
            out[n].gid = gid;
            out[n].x = (double)units * size_pt / 1000.0;
        }
        n++;
        units += (long)(adv * 1000 / face->units_per_EM);
    }
    if (width)
        *width = (double)units * size_pt / 1000.0;
    return n < cap ? n : cap;
}

double gk__chart_fonts_measure(void *ctx, gk_font_role font, double size_pt,
                               const char *text)
{
    double w = 0;
    (void)gk__chart_fonts_shape(ctx, font, size_pt, text, NULL, 0, &w);
    return w;
}
