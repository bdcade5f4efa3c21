/* Font map and glyph metrics.  See fonts.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <hb-subset.h>

#include "layout/fonts.h"

/* ------------------------------------------------------------------ */
/* Process-wide caches: the font folders scanned once, faces opened once. */

typedef struct found_file {
    char *name; /* base name, lower case */
    char *path;
} found_file;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static found_file *found;
static size_t nfound, capfound;
static bool scanned;
static gk__face **faces;
static size_t nfaces, capfaces;

static int is_dot(const struct dirent *d)
{
    return strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0;
}

static void scan_dir(const char *dir, int depth)
{
    if (depth > 6)
        return;
    struct dirent **list = NULL;
    int n = scandir(dir, &list, is_dot, alphasort);
    if (n < 0)
        return;
    for (int i = 0; i < n; i++) {
        gk_buf p = GK_BUF_INIT;
        gk_buf_printf(&p, "%s/%s", dir, list[i]->d_name);
        /* The entry's type from the listing itself; a stat only where the
         * file system does not say or for a symbolic link (a font folder
         * holds hundreds of files: one stat each was most of the cost). */
        struct stat st;
        unsigned char t = list[i]->d_type;
        bool known = t == DT_DIR || t == DT_REG;
        if (known || stat(p.ptr, &st) == 0) {
            bool is_dir = known ? t == DT_DIR : S_ISDIR(st.st_mode);
            bool is_reg = known ? t == DT_REG : S_ISREG(st.st_mode);
            if (is_dir) {
                scan_dir(p.ptr, depth + 1);
            } else if (is_reg) {
                if (nfound == capfound) {
                    capfound = capfound ? capfound * 2 : 256;
                    found = gk_xrealloc(found, capfound * sizeof(*found));
                }
                char *low = gk_xstrdup(list[i]->d_name);
                for (char *c = low; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
                found[nfound].name = low;
                found[nfound].path = gk_buf_detach(&p, NULL);
                nfound++;
            }
        }
        gk_buf_release(&p);
        free(list[i]);
    }
    free(list);
}

/* Path of a font file given by bare name, or NULL.  Caller holds no lock. */
static char *find_by_name(const char *name)
{
    pthread_mutex_lock(&cache_lock);
    if (!scanned) {
        scanned = true;
        scan_dir("/usr/share/fonts", 0);
        scan_dir("/usr/local/share/fonts", 0);
        const char *home = getenv("HOME");
        if (home && *home) {
            gk_buf p = GK_BUF_INIT;
            gk_buf_printf(&p, "%s/.fonts", home);
            scan_dir(p.ptr, 0);
            gk_buf_clear(&p);
            gk_buf_printf(&p, "%s/.local/share/fonts", home);
            scan_dir(p.ptr, 0);
            gk_buf_release(&p);
        }
    }
    char *res = NULL;
    for (size_t i = 0; i < nfound && !res; i++)
        if (strcasecmp(found[i].name, name) == 0)
            res = gk_xstrdup(found[i].path);
    pthread_mutex_unlock(&cache_lock);
    return res;
}

typedef enum face_err { FACE_OK, FACE_MISSING, FACE_BAD, FACE_NOT_TT } face_err;

static gk__face *open_face(const char *path, unsigned index, face_err *why)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < nfaces; i++)
        if (faces[i]->index == index && strcmp(faces[i]->path, path) == 0) {
            gk__face *f = faces[i];
            pthread_mutex_unlock(&cache_lock);
            *why = FACE_OK;
            return f;
        }
    gk__face *f = NULL;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = FACE_MISSING;
        goto out;
    }
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob) {
        *why = FACE_MISSING;
        goto out;
    }
    if (index >= hb_face_count(blob)) {
        hb_blob_destroy(blob);
        *why = FACE_BAD;
        goto out;
    }
    hb_face_t *face = hb_face_create(blob, index);
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    unsigned glyf_len = hb_blob_get_length(glyf);
    hb_blob_destroy(glyf);
    if (hb_face_get_glyph_count(face) == 0 || hb_face_get_upem(face) == 0) {
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        *why = FACE_BAD;
        goto out;
    }
    if (glyf_len == 0) {
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        *why = FACE_NOT_TT;
        goto out;
    }
    hb_face_make_immutable(face);
    f = gk_xcalloc(1, sizeof(*f));
    f->path = gk_xstrdup(path);
    f->index = index;
    f->blob = blob;
    f->face = face;
    f->font = hb_font_create(face);
    hb_font_make_immutable(f->font);
    f->upem = hb_face_get_upem(face);
    if (nfaces == capfaces) {
        capfaces = capfaces ? capfaces * 2 : 16;
        faces = gk_xrealloc(faces, capfaces * sizeof(*faces));
    }
    faces[nfaces++] = f;
    *why = FACE_OK;
out:
    pthread_mutex_unlock(&cache_lock);
    return f;
}

/* ------------------------------------------------------------------ */
/* The font map file. */

#define ROLE_LATIN GK_FONT_ROLE_COUNT          /* 西文: with 宋 仿宋 楷 小标宋 */
#define ROLE_LATIN_SANS (GK_FONT_ROLE_COUNT + 1) /* 西文黑体: with 黑体 */
#define ROLE_FALLBACK (GK_FONT_ROLE_COUNT + 2)

typedef struct cand {
    int role;          /* gk_font_role or ROLE_FALLBACK */
    char *spec;        /* as written */
    char *file;        /* without :INDEX */
    unsigned index;
    char *as;          /* stand-in typeface or NULL */
    bool bold;
    int line;
} cand;

typedef struct fontmap {
    cand *c;
    size_t n, cap;
} fontmap;

static void fontmap_free(fontmap *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->c[i].spec);
        free(m->c[i].file);
        free(m->c[i].as);
    }
    free(m->c);
}

/* Next whitespace-separated token of s (double quotes group); NULL at end
 * or at a comment. */
static char *next_token(char **s)
{
    char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (!*p || *p == '#') {
        *s = p;
        return NULL;
    }
    char *start;
    if (*p == '"') {
        start = ++p;
        while (*p && *p != '"')
            p++;
    } else {
        start = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r')
            p++;
    }
    if (*p)
        *p++ = '\0';
    *s = p;
    return start;
}

static gk_status fontmap_read(fontmap *m, const char *path, gk_error *err)
{
    char *data;
    size_t len;
    gk_status st = gk_read_file(path, 1 << 20, &data, &len, err);
    if (st)
        return gk_error_set(err, GK_ERR_FONT, path, 0, 0, NULL, "%s",
                            GK_TR("无法读取字体映射文件", "cannot read the font map"));
    int lineno = 0;
    char *save = data;
    while (save && *save) {
        char *line = save;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            save = nl + 1;
        } else {
            save = NULL;
        }
        lineno++;
        char *p = line;
        char *role = next_token(&p);
        if (!role)
            continue;
        char *file = next_token(&p);
        int r;
        gk_font_role fr;
        if (strcmp(role, "后备") == 0 || strcmp(role, "fallback") == 0)
            r = ROLE_FALLBACK;
        else if (strcmp(role, "西文") == 0 || strcmp(role, "latin") == 0)
            r = ROLE_LATIN;
        else if (strcmp(role, "西文黑体") == 0 || strcmp(role, "latin-sans") == 0)
            r = ROLE_LATIN_SANS;
        else if (gk_font_role_from_name(role, &fr))
            r = (int)fr;
        else {
            gk_status est = gk_error_set(err, GK_ERR_FONT, path, lineno, 1, NULL,
                                GK_TR("未知的字体角色“%s”（应为 宋体 黑体 楷体 仿宋 小标宋 西文 西文黑体 后备）",
                                      "unknown font role '%s' (expected 宋体 黑体 楷体 仿宋 小标宋 西文 西文黑体 后备)"),
                                role);
            free(data);
            return est;
        }
        if (!file) {
            gk_status est = gk_error_set(err, GK_ERR_FONT, path, lineno, 1, NULL,
                                GK_TR("“%s”后缺少字体文件", "font file missing after '%s'"),
                                role);
            free(data);
            return est;
        }
        cand c = { .role = r, .line = lineno };
        c.spec = gk_xstrdup(file);
        /* FILE:INDEX */
        char *colon = strrchr(file, ':');
        if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
            c.index = (unsigned)strtoul(colon + 1, NULL, 10);
            *colon = '\0';
        }
        c.file = gk_xstrdup(file);
        char *opt;
        while ((opt = next_token(&p))) {
            if (strncmp(opt, "as=", 3) == 0 && opt[3]) {
                free(c.as);
                c.as = gk_xstrdup(opt + 3);
            } else if (strcmp(opt, "bold") == 0) {
                c.bold = true;
            } else {
                free(c.spec);
                free(c.file);
                free(c.as);
                gk_status est = gk_error_set(err, GK_ERR_FONT, path, lineno, 1, NULL,
                                    GK_TR("未知的选项“%s”（可用 as=字体 与 bold）",
                                          "unknown option '%s' (known: as=ROLE, bold)"),
                                    opt);
                free(data);
                return est;
            }
        }
        if (m->n == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 32;
            m->c = gk_xrealloc(m->c, m->cap * sizeof(*m->c));
        }
        m->c[m->n++] = c;
    }
    free(data);
    return GK_OK;
}

/* Resolve a candidate's file to a path, or NULL. */
static char *cand_path(const cand *c)
{
    if (c->file[0] == '/')
        return gk_xstrdup(c->file);
    if (c->file[0] == '~' && c->file[1] == '/') {
        const char *home = getenv("HOME");
        if (!home)
            return NULL;
        gk_buf b = GK_BUF_INIT;
        gk_buf_printf(&b, "%s%s", home, c->file + 1);
        return gk_buf_detach(&b, NULL);
    }
    if (strchr(c->file, '/'))
        return gk_xstrdup(c->file); /* relative path: as given */
    return find_by_name(c->file);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int slot_for(gk__fonts *fs, gk__face *face)
{
    for (int i = 0; i < fs->nfonts; i++)
        if (fs->font[i].face == face)
            return i;
    if (fs->nfonts == GK__MAX_FONTS)
        return -1;
    gk__font *f = &fs->font[fs->nfonts];
    f->face = face;
    f->label = base_name(face->path);
    f->w = gk_xcalloc(65536, sizeof(uint16_t));
    f->used = gk_xcalloc(65536 / 32, sizeof(uint32_t));
    return fs->nfonts++;
}

static gk_status open_role(gk__fonts *fs, const fontmap *m, int role,
                           gk_error *err)
{
    gk_buf tried = GK_BUF_INIT;
    int first_line = 0;
    for (size_t i = 0; i < m->n; i++) {
        const cand *c = &m->c[i];
        if (c->role != role)
            continue;
        if (!first_line)
            first_line = c->line;
        char *path = cand_path(c);
        face_err why = FACE_MISSING;
        gk__face *face = path ? open_face(path, c->index, &why) : NULL;
        free(path);
        if (face) {
            int slot = slot_for(fs, face);
            if (slot < 0)
                break;
            fs->role[role] = slot;
            fs->role_bold[role] = c->bold;
            fs->role_as[role] = c->as ? gk_xstrdup(c->as) : NULL;
            fs->role_line[role] = c->line;
            gk_buf_release(&tried);
            return GK_OK;
        }
        if (tried.len)
            gk_buf_puts(&tried, GK_TR("、", ", "));
        gk_buf_puts(&tried, c->spec);
        gk_buf_puts(&tried, why == FACE_MISSING ? GK_TR("（不存在）", " (not found)")
                            : why == FACE_NOT_TT ? GK_TR("（不是 TrueType 轮廓字体）", " (not TrueType outlines)")
                                                 : GK_TR("（无法读取）", " (unreadable)"));
    }
    gk_status st = gk_error_set(
        err, GK_ERR_FONT, fs->map_path, first_line, 0, NULL,
        GK_TR("找不到“%s”字体：已尝试 %s；请安装其中之一或修改字体映射文件",
              "no font for role %s: tried %s; install one of them or edit the font map"),
        gk_font_role_name((gk_font_role)role), tried.len ? tried.ptr : GK_TR("（无候选）", "(no candidates)"));
    gk_buf_release(&tried);
    return st;
}

static char *default_map_path(void)
{
    const char *env = getenv("GONGKAI_FONTMAP");
    gk_buf b = GK_BUF_INIT;
    if (env && *env)
        gk_buf_puts(&b, env);
    else
        gk_buf_printf(&b, "%s/fonts/fontmap.conf", gk_share_dir());
    return gk_buf_detach(&b, NULL);
}

static gk_status init_common(gk__fonts *fs, char *map_path, unsigned roles,
                             gk_diags *diags, gk_error *err)
{
    memset(fs, 0, sizeof(*fs));
    for (int r = 0; r < GK_FONT_ROLE_COUNT; r++)
        fs->role[r] = -1;
    fs->latin[0] = fs->latin[1] = -1;
    fs->map_path = map_path;
    fs->diags = diags;
    fontmap m = { 0 };
    gk_status st = fontmap_read(&m, map_path, err);
    if (st) {
        fontmap_free(&m);
        return st;
    }
    for (int r = 0; r < GK_FONT_ROLE_COUNT && !st; r++)
        if (roles & (1u << r))
            st = open_role(fs, &m, r, err);
    /* Latin fonts for ASCII: optional, the first that opens. */
    for (int k = 0; k < 2 && !st; k++) {
        fs->latin[k] = -1;
        for (size_t i = 0; i < m.n && fs->latin[k] < 0; i++) {
            if (m.c[i].role != (k ? ROLE_LATIN_SANS : ROLE_LATIN))
                continue;
            char *path = cand_path(&m.c[i]);
            face_err why;
            gk__face *face = path ? open_face(path, m.c[i].index, &why) : NULL;
            free(path);
            if (face)
                fs->latin[k] = slot_for(fs, face);
        }
    }
    /* Fallback candidates: resolve paths now, open lazily. */
    for (size_t i = 0; i < m.n && !st; i++) {
        if (m.c[i].role != ROLE_FALLBACK || fs->nfallback == GK__MAX_FALLBACK)
            continue;
        char *path = cand_path(&m.c[i]);
        if (!path)
            continue;
        fs->fallback[fs->nfallback] = -1;
        fs->fallback_spec[fs->nfallback] = path;
        fs->fallback_index[fs->nfallback] = m.c[i].index;
        fs->nfallback++;
    }
    /* Remember the whole map for roles opened later. */
    fontmap_free(&m);
    return st;
}

gk_status gk__fonts_init_map(gk__fonts *fs, const char *map_path,
                             unsigned roles, gk_diags *diags, gk_error *err)
{
    return init_common(fs, gk_xstrdup(map_path), roles, diags, err);
}

gk_status gk__fonts_init(gk__fonts *fs, unsigned roles, gk_diags *diags,
                         gk_error *err)
{
    return init_common(fs, default_map_path(), roles, diags, err);
}

void gk__fonts_release(gk__fonts *fs)
{
    for (int i = 0; i < fs->nfonts; i++) {
        free(fs->font[i].w);
        free(fs->font[i].used);
    }
    for (int r = 0; r < GK_FONT_ROLE_COUNT; r++)
        free((char *)fs->role_as[r]);
    for (int i = 0; i < fs->nfallback; i++)
        free(fs->fallback_spec[i]);
    free(fs->warned_cp);
    free(fs->map_path);
    memset(fs, 0, sizeof(*fs));
}

/* ------------------------------------------------------------------ */
/* Metrics. */

int gk__font_width(gk__fonts *fs, int fi, uint32_t cp)
{
    if (fi < 0 || cp > 0xFFFF)
        return -1;
    gk__font *f = &fs->font[fi];
    uint16_t v = f->w[cp];
    if (v == 0) {
        hb_codepoint_t gid;
        if (!hb_font_get_nominal_glyph(f->face->font, cp, &gid) || gid == 0) {
            v = 1;
        } else {
            unsigned adv = (unsigned)hb_font_get_glyph_h_advance(f->face->font, gid);
            unsigned w = adv * 1000u / f->face->upem;
            v = (uint16_t)(w > 65000 ? 65002 : w + 2);
        }
        f->w[cp] = v;
    }
    return v == 1 ? -1 : (int)v - 2;
}

bool gk__font_left_ink(gk__fonts *fs, int fi, uint32_t cp)
{
    if (fi < 0 || cp > 0xFFFF)
        return false;
    gk__face *face = fs->font[fi].face;
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(face->font, cp, &gid) || gid == 0)
        return false;
    hb_glyph_extents_t ext;
    if (!hb_font_get_glyph_extents(face->font, gid, &ext) || ext.width <= 0)
        return false;
    int adv = (int)hb_font_get_glyph_h_advance(face->font, gid);
    /* Ink entirely in the left half (a little tolerance). */
    return ext.x_bearing + ext.width <= adv / 2 + adv / 20;
}

static int open_fallback(gk__fonts *fs, int k)
{
    if (fs->fallback[k] >= 0 || !fs->fallback_spec[k])
        return fs->fallback[k];
    face_err why;
    gk__face *face = open_face(fs->fallback_spec[k], fs->fallback_index[k], &why);
    free(fs->fallback_spec[k]);
    fs->fallback_spec[k] = NULL;
    if (face)
        fs->fallback[k] = slot_for(fs, face);
    return fs->fallback[k];
}

static int role_font(gk__fonts *fs, gk_font_role r)
{
    if ((unsigned)r >= GK_FONT_ROLE_COUNT)
        r = GK_FONT_SONG;
    if (fs->role[r] < 0) {
        /* Not announced at init: try now; on failure use any open role. */
        fontmap m = { 0 };
        gk_error e;
        if (fontmap_read(&m, fs->map_path, &e) == GK_OK)
            (void)open_role(fs, &m, (int)r, &e);
        fontmap_free(&m);
        if (fs->role[r] < 0)
            for (int i = 0; i < GK_FONT_ROLE_COUNT; i++)
                if (fs->role[i] >= 0)
                    return fs->role[i];
    }
    return fs->role[r];
}

int gk__fonts_pick(gk__fonts *fs, gk_font_role r, uint32_t cp, int *w1000)
{
    int w;
    if (cp >= 0x20 && cp < 0x7F) {
        int lf = fs->latin[r == GK_FONT_HEI ? 1 : 0];
        if (lf >= 0 && (w = gk__font_width(fs, lf, cp)) >= 0) {
            *w1000 = w;
            return lf;
        }
    }
    int fi = role_font(fs, r);
    w = gk__font_width(fs, fi, cp);
    if (w >= 0) {
        *w1000 = w;
        return fi;
    }
    for (int k = 0; k < fs->nfallback; k++) {
        int f2 = open_fallback(fs, k);
        if (f2 < 0)
            continue;
        w = gk__font_width(fs, f2, cp);
        if (w >= 0) {
            *w1000 = w;
            return f2;
        }
    }
    *w1000 = 0;
    return -1;
}

void gk__font_use(gk__fonts *fs, int fi, uint32_t cp)
{
    if (fi < 0 || cp > 0xFFFF)
        return;
    gk__font *f = &fs->font[fi];
    f->used[cp >> 5] |= 1u << (cp & 31);
    f->used_any = true;
}

/* ------------------------------------------------------------------ */
/* Warnings. */

void gk__fonts_warn(gk__fonts *fs, const char *file, int line,
                    const char *fmt, ...)
{
    gk_error e;
    gk_error_clear(&e);
    e.status = GK_ERR_FONT;
    if (file)
        snprintf(e.file, sizeof e.file, "%s", file);
    e.line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    if (fs->diags) {
        gk_diags_add(fs->diags, GK_SEV_WARNING, &e);
    } else {
        gk_diags one = GK_DIAGS_INIT;
        gk_diags_add(&one, GK_SEV_WARNING, &e);
        gk_diags_print(&one, stderr);
        gk_diags_release(&one);
    }
}

void gk__fonts_note_role(gk__fonts *fs, gk_font_role r)
{
    if ((unsigned)r >= GK_FONT_ROLE_COUNT || !fs->role_as[r] ||
        (fs->warned_roles & (1u << r)) || fs->role[r] < 0)
        return;
    fs->warned_roles |= 1u << r;
    gk__fonts_warn(fs, fs->map_path, fs->role_line[r],
                   GK_TR("本机没有%s字体，用%s字体 %s 代替（可在字体映射文件中配置）",
                         "no %s font on this machine: %s font %s stands in (see the font map)"),
                   gk_font_role_name(r), fs->role_as[r],
                   fs->font[fs->role[r]].label);
}

void gk__fonts_warn_missing(gk__fonts *fs, uint32_t cp, gk_src src)
{
    if (cp > 0x10FFFF)
        cp = 0xFFFD;
    if (!fs->warned_cp)
        fs->warned_cp = gk_xcalloc(0x110000 / 32, sizeof(uint32_t));
    if (fs->warned_cp[cp >> 5] & (1u << (cp & 31)))
        return;
    fs->warned_cp[cp >> 5] |= 1u << (cp & 31);
    gk_buf ch = GK_BUF_INIT;
    if (cp >= 0x20 && cp != 0x7F)
        gk_utf8_put(&ch, cp);
    if (cp > 0xFFFF)
        gk__fonts_warn(fs, src.file, src.line,
                       GK_TR("字符 U+%04X“%s”在基本多文种平面之外，PDF 无法显示，以□代替",
                             "character U+%04X '%s' is outside the BMP and cannot be shown in the PDF; drawn as □"),
                       (unsigned)cp, ch.ptr);
    else
        gk__fonts_warn(fs, src.file, src.line,
                       GK_TR("没有字体包含字符 U+%04X“%s”，以□代替",
                             "no font has character U+%04X '%s'; drawn as □"),
                       (unsigned)cp, ch.ptr);
    gk_buf_release(&ch);
}

/* Tables a TrueType subset keeps for libharu 2.3.0: the glyph outlines and
 * what it reads; everything else (layout, hinting, colour) is dropped. */
static const hb_tag_t keep_tables[] = {
    HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
    HB_TAG('m', 'a', 'x', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('O', 'S', '/', '2'),
    HB_TAG('p', 'o', 's', 't'),
};

hb_blob_t *gk__font_subset(const gk__font *f)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (uint32_t w = 0; w < 65536 / 32; w++) {
        uint32_t bits = f->used[w];
        while (bits) {
            int b = __builtin_ctz(bits);
            hb_set_add(u, w * 32 + (uint32_t)b);
            bits &= bits - 1;
        }
    }
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    unsigned start = 0, count;
    do {
        count = 64;
        unsigned total = hb_face_get_table_tags(f->face->face, start, &count, tags);
        for (unsigned i = 0; i < count; i++) {
            bool keep = false;
            for (size_t k = 0; k < sizeof keep_tables / sizeof keep_tables[0]; k++)
                if (tags[i] == keep_tables[k])
                    keep = true;
            if (!keep)
                hb_set_add(drop, tags[i]);
        }
        start += count;
        if (start >= total)
            break;
    } while (count == 64);
    hb_face_t *sub = hb_subset_or_fail(f->face->face, in);
    hb_subset_input_destroy(in);
    if (!sub)
        return NULL;
    hb_blob_t *blob = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    return blob;
}
