/*
 * gongkai layout — fonts: the font map (fonts/fontmap.conf) and glyph
 * metrics from the font files themselves (HarfBuzz), so line breaking and
 * drawing use the same numbers.
 *
 * Widths are kept in integer thousandths of an em, truncated exactly as
 * libharu computes the /W widths it writes (advance * 1000 / upem), so a
 * string drawn with one text operator advances exactly as measured.
 *
 * Ownership: a gk__fonts is caller-allocated; gk__fonts_init() fills it
 * and gk__fonts_release() frees what it holds.  The font files themselves
 * (HarfBuzz blobs and faces) are opened once per process and shared,
 * read-only, by every document and thread.
 */
#ifndef GK_LAYOUT_FONTS_H
#define GK_LAYOUT_FONTS_H

#include <stdbool.h>
#include <stdint.h>

#include <hb.h>

#include "gongkai/doc.h"
#include "gongkai/util.h"

#define GK__MAX_FONTS 16
#define GK__MAX_FALLBACK 8

/* One font file (face of a .ttc), shared by the whole process. */
typedef struct gk__face {
    char *path;
    unsigned index;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    unsigned upem;
} gk__face;

/* A font as one document uses it. */
typedef struct gk__font {
    gk__face *face;
    const char *label;  /* file name for messages, e.g. "gbsn00lp.ttf" */
    uint16_t *w;        /* per code point: 0 unknown, 1 no glyph, else 2 + width */
    uint32_t *used;     /* bitset of the BMP code points drawn with it */
    bool used_any;
} gk__font;

typedef struct gk__fonts {
    gk__font font[GK__MAX_FONTS];
    int nfonts;
    int role[GK_FONT_ROLE_COUNT];           /* font index, -1 = not opened */
    bool role_bold[GK_FONT_ROLE_COUNT];     /* synthetic bold (stand-in) */
    const char *role_as[GK_FONT_ROLE_COUNT];/* stand-in typeface or NULL */
    int role_line[GK_FONT_ROLE_COUNT];      /* fontmap line of the choice */
    int latin[2];                           /* ASCII: 西文 (serif), 西文黑体; -1 */
    int fallback[GK__MAX_FALLBACK];         /* font indexes, lazily opened */
    int nfallback;
    char *fallback_spec[GK__MAX_FALLBACK];  /* resolved paths not yet opened */
    unsigned fallback_index[GK__MAX_FALLBACK];
    unsigned warned_roles;                  /* stand-in warned (bit per role) */
    char *map_path;                         /* the font map read */
    gk_diags *diags;                        /* warnings; NULL = stderr */
    uint32_t *warned_cp;                    /* missing characters warned */
} gk__fonts;

/* Read the font map and open the fonts of the roles in `roles` (bit per
 * gk_font_role).  The map is $GONGKAI_FONTMAP if set, else
 * gk_share_dir()/fonts/fontmap.conf.  A role none of whose candidates
 * exists is GK_ERR_FONT naming the role and every file tried. */
gk_status gk__fonts_init(gk__fonts *fs, unsigned roles, gk_diags *diags,
                         gk_error *err) GK_WARN_UNUSED;
/* The same with an explicit font map file (tests). */
gk_status gk__fonts_init_map(gk__fonts *fs, const char *map_path,
                             unsigned roles, gk_diags *diags,
                             gk_error *err) GK_WARN_UNUSED;
void gk__fonts_release(gk__fonts *fs);

/* The font that draws `cp` in role `r`: for ASCII the role's Latin font
 * (西文, or 西文黑体 for 黑体) when the map names one; the role's font when it
 * has the glyph, else the first fallback font that has it; -1 when none has it.
 * *w1000 gets the advance in thousandths of an em.  Opens the role on
 * first use when gk__fonts_init() was not told about it (errors then
 * turn into -1). */
int gk__fonts_pick(gk__fonts *fs, gk_font_role r, uint32_t cp, int *w1000);
/* Advance of `cp` in font `fi` (thousandths of an em); -1 = no glyph. */
int gk__font_width(gk__fonts *fs, int fi, uint32_t cp);
/* Whether the glyph of `cp` in font `fi` has its ink in the left half of
 * its advance (，。、）》 in Chinese fonts): such a mark may give up the
 * right half of its width at the end of a line or before another mark. */
bool gk__font_left_ink(gk__fonts *fs, int fi, uint32_t cp);
/* Mark `cp` as drawn with font `fi` (the subset keeps it). */
void gk__font_use(gk__fonts *fs, int fi, uint32_t cp);

/* Warn once per document that role `r` is drawn by a stand-in. */
void gk__fonts_note_role(gk__fonts *fs, gk_font_role r);
/* Warn (once per character per document) that no font has `cp`. */
void gk__fonts_warn_missing(gk__fonts *fs, uint32_t cp, gk_src src);

/* Send one warning to fs->diags (or stderr). */
void gk__fonts_warn(gk__fonts *fs, const char *file, int line,
                    const char *fmt, ...) GK_PRINTF(4, 5);

/* The font cut down (HarfBuzz hb-subset, no hinting) to the characters
 * marked in f->used, keeping only the tables libharu needs.  NULL on
 * failure; the caller destroys the blob.  The PDF embeds exactly this. */
hb_blob_t *gk__font_subset(const gk__font *f);

#endif
