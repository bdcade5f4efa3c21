/* DOCX: the parts around word/document.xml.  See docx.h.
 *
 * Child elements are written in the order the WordprocessingML schema
 * (ECMA-376 Part 1, transitional) requires; Word reports "unreadable
 * content" otherwise.  The orders used here:
 *   style: name, basedOn, next, uiPriority, qFormat, pPr, rPr, tblPr
 *   pPr:   pStyle, keepNext, pageBreakBefore, widowControl, tabs, kinsoku, overflowPunct,
 *          autoSpaceDE, autoSpaceDN, snapToGrid, spacing, ind, jc, outlineLvl
 *   rPr:   rFonts, b, bCs, i, iCs, kern, sz, szCs, u, lang
 *   settings: zoom, defaultTabStop, evenAndOddHeaders,
 *          characterSpacingControl, updateFields, compat, themeFontLang,
 *          decimalSymbol, listSeparator
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "docx/docx.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT "http://schemas.openxmlformats.org/package/2006/content-types"
#define LATIN_FONT "Times New Roman"

long gk__tw_pt(double pt) { return lround(pt * 20.0); }
long gk__tw_mm(double mm) { return lround(mm * 1440.0 / 25.4); }
long gk__hp(double pt) { return lround(pt * 2.0); }

/* ---------------- fonts ---------------- */

typedef struct font_desc {
    const char *name, *alt, *panose, *charset, *family, *pitch;
} font_desc;

/* The roles' names as Chinese Word and WPS know them.  altName is the
 * font to look for when the first is missing: 仿宋_GB2312 / 楷体_GB2312 on
 * older systems, and 宋体 for the 小标宋 of titles, which few machines
 * outside government offices have. */
static const font_desc role_fonts[GK_FONT_ROLE_COUNT] = {
    [GK_FONT_SONG] = {"宋体", "SimSun", "02010600030101010101", "86", "auto", "variable"},
    [GK_FONT_HEI] = {"黑体", "SimHei", "02010609060101010101", "86", "modern", "fixed"},
    [GK_FONT_KAI] = {"楷体", "楷体_GB2312", "02010609060101010101", "86", "modern", "fixed"},
    [GK_FONT_FANGSONG] = {"仿宋", "仿宋_GB2312", "02010609060101010101", "86", "modern", "fixed"},
    [GK_FONT_XBS] = {"方正小标宋简体", "宋体", "02000000000000000000", "86", "roman", "variable"},
};

const char *gk__docx_font_name(gk_font_role r)
{
    return (unsigned)r < GK_FONT_ROLE_COUNT ? role_fonts[r].name : role_fonts[0].name;
}

bool gk__part_font_table(gk_buf *out)
{
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "w:fonts");
    gk__xw_attr(&x, "xmlns:w", NS_W);
    static const font_desc latin = {LATIN_FONT, NULL, "02020603050405020304", "00",
                                    "roman", "variable"};
    for (int i = -1; i < GK_FONT_ROLE_COUNT; i++) {
        const font_desc *f = i < 0 ? &latin : &role_fonts[i];
        gk__xw_start(&x, "w:font");
        gk__xw_attr(&x, "w:name", f->name);
        if (f->alt)
            gk__xw_val(&x, "w:altName", f->alt);
        gk__xw_val(&x, "w:panose1", f->panose);
        gk__xw_val(&x, "w:charset", f->charset);
        gk__xw_val(&x, "w:family", f->family);
        gk__xw_val(&x, "w:pitch", f->pitch);
        gk__xw_end(&x);
    }
    gk__xw_end(&x);
    return gk__xw_finish(&x, out);
}

/* ---------------- styles ---------------- */

typedef struct style_desc {
    const char *id, *name;
    int outline;      /* -1 none */
    bool builtin;     /* a Word built-in style name */
    int ui_priority;
} style_desc;

static const style_desc style_descs[GK_STYLE_COUNT] = {
    [GK_STYLE_BODY] = {"Normal", "Normal", -1, true, 0},
    [GK_STYLE_TITLE] = {"Title", "Title", -1, true, 10},
    [GK_STYLE_SUBTITLE] = {"Subtitle", "Subtitle", -1, true, 11},
    /* Parts are outline level 0 so Word's navigation pane shows them at
     * the top and 一、 headings under them. */
    [GK_STYLE_PART] = {"Heading1", "heading 1", 0, true, 9},
    [GK_STYLE_H1] = {"Heading2", "heading 2", 1, true, 9},
    [GK_STYLE_H2] = {"Heading3", "heading 3", 2, true, 9},
    [GK_STYLE_H3] = {"Heading4", "heading 4", 3, true, 9},
    [GK_STYLE_H4] = {"Heading5", "heading 5", 4, true, 9},
    [GK_STYLE_TABLE_NUMBER] = {"TableNumber", "Table Number", -1, false, 20},
    [GK_STYLE_TABLE_TITLE] = {"TableTitle", "Table Title", -1, false, 20},
    [GK_STYLE_TABLE_UNIT] = {"TableUnit", "Table Unit", -1, false, 20},
    [GK_STYLE_TABLE_HEADER] = {"TableHeading", "Table Heading", -1, false, 20},
    [GK_STYLE_TABLE_TEXT] = {"TableText", "Table Text", -1, false, 20},
    [GK_STYLE_TABLE_NOTE] = {"TableNote", "Table Note", -1, false, 20},
    [GK_STYLE_CAPTION] = {"Caption", "caption", -1, true, 35},
    [GK_STYLE_TOC_TITLE] = {"TOCHeading", "TOC Heading", -1, true, 39},
    [GK_STYLE_TOC1] = {"TOC1", "toc 1", -1, true, 39},
    [GK_STYLE_TOC2] = {"TOC2", "toc 2", -1, true, 39},
    [GK_STYLE_FOOTER] = {"Footer", "footer", -1, true, 99},
};

const char *gk__docx_style_id(gk_style_id id)
{
    return (unsigned)id < GK_STYLE_COUNT ? style_descs[id].id : "Normal";
}

static const char *jc_val(gk_align a)
{
    switch (a) {
    case GK_ALIGN_LEFT: return "left";
    case GK_ALIGN_CENTER: return "center";
    case GK_ALIGN_RIGHT: return "right";
    case GK_ALIGN_JUSTIFY: default: return "both";
    }
}

static double line_of(const gk_style *s)
{
    return s->line_pt > 0 ? s->line_pt : 1.5 * s->size_pt;
}

static void write_rfonts(gk__xw *x, gk_font_role role)
{
    gk__xw_start(x, "w:rFonts");
    gk__xw_attr(x, "w:ascii", LATIN_FONT);
    gk__xw_attr(x, "w:hAnsi", LATIN_FONT);
    gk__xw_attr(x, "w:eastAsia", gk__docx_font_name(role));
    gk__xw_attr(x, "w:cs", LATIN_FONT);
    gk__xw_end(x);
}

static void write_style_ppr(gk__xw *x, gk_style_id id, const gk_style *s,
                            long tab_pos)
{
    const style_desc *d = &style_descs[id];
    gk__xw_start(x, "w:pPr");
    if (s->keep_with_next)
        gk__xw_empty(x, "w:keepNext");
    if (id == GK_STYLE_BODY)
        gk__xw_empty(x, "w:widowControl"); /* as the PDF layout */
    if (tab_pos > 0) {
        /* Word's TOC puts page numbers on a right tab with dot leader. */
        gk__xw_start(x, "w:tabs");
        gk__xw_start(x, "w:tab");
        gk__xw_attr(x, "w:val", "right");
        gk__xw_attr(x, "w:leader", "dot");
        gk__xw_attri(x, "w:pos", tab_pos);
        gk__xw_end(x);
        gk__xw_end(x);
    }
    if (id == GK_STYLE_BODY) {
        /* Chinese line breaking rules and hanging punctuation on; no
         * automatic gap between Chinese and Latin/digits, so the text is
         * set like the PDF. */
        gk__xw_empty(x, "w:kinsoku");
        gk__xw_empty(x, "w:overflowPunct");
        gk__xw_vali(x, "w:autoSpaceDE", 0);
        gk__xw_vali(x, "w:autoSpaceDN", 0);
        gk__xw_vali(x, "w:snapToGrid", 0);
    }
    gk__xw_start(x, "w:spacing");
    gk__xw_attri(x, "w:before", gk__tw_pt(s->space_before_pt));
    gk__xw_attri(x, "w:after", gk__tw_pt(s->space_after_pt));
    gk__xw_attri(x, "w:line", gk__tw_pt(line_of(s)));
    gk__xw_attr(x, "w:lineRule", "exact");
    gk__xw_end(x);
    gk__xw_start(x, "w:ind");
    gk__xw_attri(x, "w:leftChars", lround(s->left_chars * 100));
    gk__xw_attri(x, "w:left", gk__tw_pt(s->left_chars * s->size_pt));
    gk__xw_attri(x, "w:firstLineChars", lround(s->indent_chars * 100));
    gk__xw_attri(x, "w:firstLine", gk__tw_pt(s->indent_chars * s->size_pt));
    gk__xw_end(x);
    gk__xw_val(x, "w:jc", jc_val(s->align));
    if (d->outline >= 0)
        gk__xw_vali(x, "w:outlineLvl", d->outline);
    gk__xw_end(x);
}

static void write_style_rpr(gk__xw *x, const gk_style *s, bool is_default)
{
    gk__xw_start(x, "w:rPr");
    write_rfonts(x, s->font);
    if (s->bold) {
        gk__xw_empty(x, "w:b");
        gk__xw_empty(x, "w:bCs");
    } else if (!is_default) {
        gk__xw_vali(x, "w:b", 0);
        gk__xw_vali(x, "w:bCs", 0);
    }
    gk__xw_vali(x, "w:sz", gk__hp(s->size_pt));
    gk__xw_vali(x, "w:szCs", gk__hp(s->size_pt));
    gk__xw_end(x);
}

static void write_border(gk__xw *x, const char *side)
{
    gk__xw_start(x, side);
    gk__xw_attr(x, "w:val", "single");
    gk__xw_attri(x, "w:sz", 4); /* eighths of a point: 0.5 pt */
    gk__xw_attri(x, "w:space", 0);
    gk__xw_attr(x, "w:color", "000000");
    gk__xw_end(x);
}

bool gk__part_styles(const gk_doc *doc, gk_buf *out)
{
    const gk_style *body = &doc->styles[GK_STYLE_BODY];
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "w:styles");
    gk__xw_attr(&x, "xmlns:w", NS_W);
    gk__xw_attr(&x, "xmlns:r", NS_R);

    gk__xw_start(&x, "w:docDefaults");
    gk__xw_start(&x, "w:rPrDefault");
    gk__xw_start(&x, "w:rPr");
    write_rfonts(&x, body->font);
    gk__xw_vali(&x, "w:kern", 2);
    gk__xw_vali(&x, "w:sz", gk__hp(body->size_pt));
    gk__xw_vali(&x, "w:szCs", gk__hp(body->size_pt));
    gk__xw_start(&x, "w:lang");
    gk__xw_attr(&x, "w:val", "en-US");
    gk__xw_attr(&x, "w:eastAsia", doc->info.lang && *doc->info.lang ? doc->info.lang : "zh-CN");
    gk__xw_attr(&x, "w:bidi", "ar-SA");
    gk__xw_end(&x);
    gk__xw_end(&x); /* rPr */
    gk__xw_end(&x); /* rPrDefault */
    gk__xw_start(&x, "w:pPrDefault");
    gk__xw_start(&x, "w:pPr");
    gk__xw_start(&x, "w:spacing");
    gk__xw_attri(&x, "w:after", 0);
    gk__xw_end(&x);
    gk__xw_end(&x);
    gk__xw_end(&x); /* pPrDefault */
    gk__xw_end(&x); /* docDefaults */

    /* Word's own defaults, written out so every reader agrees. */
    gk__xw_start(&x, "w:style");
    gk__xw_attr(&x, "w:type", "character");
    gk__xw_attr(&x, "w:default", "1");
    gk__xw_attr(&x, "w:styleId", "DefaultParagraphFont");
    gk__xw_val(&x, "w:name", "Default Paragraph Font");
    gk__xw_vali(&x, "w:uiPriority", 1);
    gk__xw_empty(&x, "w:semiHidden");
    gk__xw_empty(&x, "w:unhideWhenUsed");
    gk__xw_end(&x);

    gk__xw_start(&x, "w:style");
    gk__xw_attr(&x, "w:type", "table");
    gk__xw_attr(&x, "w:default", "1");
    gk__xw_attr(&x, "w:styleId", "TableNormal");
    gk__xw_val(&x, "w:name", "Normal Table");
    gk__xw_vali(&x, "w:uiPriority", 99);
    gk__xw_empty(&x, "w:semiHidden");
    gk__xw_empty(&x, "w:unhideWhenUsed");
    gk__xw_start(&x, "w:tblPr");
    gk__xw_start(&x, "w:tblInd");
    gk__xw_attri(&x, "w:w", 0);
    gk__xw_attr(&x, "w:type", "dxa");
    gk__xw_end(&x);
    gk__xw_start(&x, "w:tblCellMar");
    static const char *const mar[] = {"w:top", "w:left", "w:bottom", "w:right"};
    for (int i = 0; i < 4; i++) {
        gk__xw_start(&x, mar[i]);
        gk__xw_attri(&x, "w:w", 50); /* as the report tables (2.5 pt) */
        gk__xw_attr(&x, "w:type", "dxa");
        gk__xw_end(&x);
    }
    gk__xw_end(&x);
    gk__xw_end(&x); /* tblPr */
    gk__xw_end(&x);

    /* The report's grid table: 0.5 pt single lines everywhere. */
    gk__xw_start(&x, "w:style");
    gk__xw_attr(&x, "w:type", "table");
    gk__xw_attr(&x, "w:styleId", "TableGrid");
    gk__xw_val(&x, "w:name", "Table Grid");
    gk__xw_val(&x, "w:basedOn", "TableNormal");
    gk__xw_vali(&x, "w:uiPriority", 39);
    gk__xw_start(&x, "w:tblPr");
    gk__xw_start(&x, "w:tblBorders");
    static const char *const sides[] = {"w:top", "w:left", "w:bottom", "w:right",
                                        "w:insideH", "w:insideV"};
    for (int i = 0; i < 6; i++)
        write_border(&x, sides[i]);
    gk__xw_end(&x);
    gk__xw_end(&x); /* tblPr */
    gk__xw_end(&x);

    /* The portrait text block as the sections set it (page minus
     * margins, each rounded to twips), so the TOC paragraphs' own tab
     * stops (docx.c) fall on the styles'. */
    long text_w_tw = gk__tw_mm(doc->page.width_mm) - gk__tw_mm(doc->page.left_mm) -
                     gk__tw_mm(doc->page.right_mm);
    for (int id = 0; id < GK_STYLE_COUNT; id++) {
        const style_desc *d = &style_descs[id];
        const gk_style *s = &doc->styles[id];
        gk__xw_start(&x, "w:style");
        gk__xw_attr(&x, "w:type", "paragraph");
        if (id == GK_STYLE_BODY)
            gk__xw_attr(&x, "w:default", "1");
        if (!d->builtin)
            gk__xw_attr(&x, "w:customStyle", "1");
        gk__xw_attr(&x, "w:styleId", d->id);
        gk__xw_val(&x, "w:name", d->name);
        if (id != GK_STYLE_BODY) {
            gk__xw_val(&x, "w:basedOn", "Normal");
            gk__xw_val(&x, "w:next", "Normal");
        }
        if (d->ui_priority)
            gk__xw_vali(&x, "w:uiPriority", d->ui_priority);
        if (id != GK_STYLE_FOOTER)
            gk__xw_empty(&x, "w:qFormat");
        long tab = (id == GK_STYLE_TOC1 || id == GK_STYLE_TOC2) ? text_w_tw - 10 : 0;
        write_style_ppr(&x, (gk_style_id)id, s, tab);
        write_style_rpr(&x, s, id == GK_STYLE_BODY);
        gk__xw_end(&x);
    }
    /* toc 3 … toc 5: the TOC's deeper levels, toc 2 indented two more
     * characters a level, as the PDF indents them (and as Word names the
     * styles it uses when it rebuilds the TOC). */
    for (int k = 3; k <= 5; k++) {
        gk_style s = doc->styles[GK_STYLE_TOC2];
        s.left_chars += 2.0 * (k - 2);
        char id[16], name[16];
        snprintf(id, sizeof id, "TOC%d", k);
        snprintf(name, sizeof name, "toc %d", k);
        gk__xw_start(&x, "w:style");
        gk__xw_attr(&x, "w:type", "paragraph");
        gk__xw_attr(&x, "w:styleId", id);
        gk__xw_val(&x, "w:name", name);
        gk__xw_val(&x, "w:basedOn", "Normal");
        gk__xw_val(&x, "w:next", "Normal");
        gk__xw_vali(&x, "w:uiPriority", 39);
        gk__xw_empty(&x, "w:unhideWhenUsed");
        write_style_ppr(&x, GK_STYLE_TOC2, &s, text_w_tw - 10);
        write_style_rpr(&x, &s, false);
        gk__xw_end(&x);
    }
    gk__xw_end(&x); /* styles */
    return gk__xw_finish(&x, out);
}

/* ---------------- settings ---------------- */

bool gk__part_settings(const gk_doc *doc, bool odd_even, gk_buf *out)
{
    (void)doc;
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "w:settings");
    gk__xw_attr(&x, "xmlns:w", NS_W);
    gk__xw_attr(&x, "xmlns:r", NS_R);
    gk__xw_start(&x, "w:zoom");
    gk__xw_attri(&x, "w:percent", 100);
    gk__xw_end(&x);
    gk__xw_vali(&x, "w:defaultTabStop", 420);
    if (odd_even)
        gk__xw_empty(&x, "w:evenAndOddHeaders");
    gk__xw_val(&x, "w:characterSpacingControl", "compressPunctuation");
    /* The TOC holds headings without page numbers: Word offers to update
     * the fields when the file opens. */
    gk__xw_vali(&x, "w:updateFields", 1);
    gk__xw_start(&x, "w:compat");
    gk__xw_start(&x, "w:compatSetting");
    gk__xw_attr(&x, "w:name", "compatibilityMode");
    gk__xw_attr(&x, "w:uri", "http://schemas.microsoft.com/office/word");
    gk__xw_attr(&x, "w:val", "15");
    gk__xw_end(&x);
    gk__xw_end(&x);
    gk__xw_start(&x, "w:themeFontLang");
    gk__xw_attr(&x, "w:val", "en-US");
    gk__xw_attr(&x, "w:eastAsia", "zh-CN");
    gk__xw_end(&x);
    gk__xw_val(&x, "w:decimalSymbol", ".");
    gk__xw_val(&x, "w:listSeparator", ",");
    gk__xw_end(&x);
    return gk__xw_finish(&x, out);
}

/* ---------------- footers ---------------- */

static void field_run(gk__xw *x, const char *type, bool dirty)
{
    gk__xw_start(x, "w:r");
    gk__xw_start(x, "w:fldChar");
    gk__xw_attr(x, "w:fldCharType", type);
    if (dirty)
        gk__xw_attr(x, "w:dirty", "true");
    gk__xw_end(x);
    gk__xw_end(x);
}

static void text_run(gk__xw *x, const char *text)
{
    gk__xw_start(x, "w:r");
    gk__xw_start(x, "w:t");
    size_t n = strlen(text);
    if (n && (text[0] == ' ' || text[n - 1] == ' '))
        gk__xw_attr(x, "xml:space", "preserve");
    gk__xw_text(x, text, n);
    gk__xw_end(x);
    gk__xw_end(x);
}

bool gk__part_footer(const gk_doc *doc, int kind, gk_buf *out)
{
    const gk_style *s = &doc->styles[GK_STYLE_FOOTER];
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "w:ftr");
    gk__xw_attr(&x, "xmlns:w", NS_W);
    gk__xw_attr(&x, "xmlns:r", NS_R);
    gk__xw_start(&x, "w:p");
    gk__xw_start(&x, "w:pPr");
    gk__xw_val(&x, "w:pStyle", gk__docx_style_id(GK_STYLE_FOOTER));
    /* GB/T 9704: odd page numbers on the right, even on the left, one
     * character in from the edge of the text block. */
    if (kind != 0) {
        gk__xw_start(&x, "w:ind");
        if (kind == 1) {
            gk__xw_attri(&x, "w:rightChars", 100);
            gk__xw_attri(&x, "w:right", gk__tw_pt(s->size_pt));
        } else {
            gk__xw_attri(&x, "w:leftChars", 100);
            gk__xw_attri(&x, "w:left", gk__tw_pt(s->size_pt));
        }
        gk__xw_attri(&x, "w:firstLineChars", 0);
        gk__xw_attri(&x, "w:firstLine", 0);
        gk__xw_end(&x);
        gk__xw_val(&x, "w:jc", kind == 1 ? "right" : "left");
    }
    gk__xw_end(&x); /* pPr */
    text_run(&x, "— ");
    field_run(&x, "begin", false);
    gk__xw_start(&x, "w:r");
    gk__xw_start(&x, "w:instrText");
    gk__xw_attr(&x, "xml:space", "preserve");
    gk__xw_text(&x, " PAGE ", 6);
    gk__xw_end(&x);
    gk__xw_end(&x);
    field_run(&x, "separate", false);
    text_run(&x, kind == 2 ? "2" : "1");
    field_run(&x, "end", false);
    text_run(&x, " —");
    gk__xw_end(&x); /* p */
    gk__xw_end(&x); /* ftr */
    return gk__xw_finish(&x, out);
}

/* ---------------- package metadata ---------------- */

/* "2024-08-19" → "2024-08-19T00:00:00Z"; else from SOURCE_DATE_EPOCH;
 * else no date at all (never the clock). */
static bool w3cdtf(const gk_doc *doc, const gk_render_opts *opts, char out[32])
{
    const char *d = doc->info.date;
    if (d && strlen(d) >= 10) {
        bool ok = true;
        for (int i = 0; i < 10; i++) {
            bool dash = i == 4 || i == 7;
            if (dash ? d[i] != '-' : (d[i] < '0' || d[i] > '9'))
                ok = false;
        }
        if (ok && (d[10] == '\0' || d[10] == 'T' || d[10] == ' ')) {
            snprintf(out, 32, "%.10sT00:00:00Z", d);
            return true;
        }
    }
    if (opts && opts->source_date_epoch > 0) {
        time_t t = (time_t)opts->source_date_epoch;
        struct tm tm;
        if (gmtime_r(&t, &tm) && strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
            return true;
    }
    return false;
}

bool gk__part_core(const gk_doc *doc, const gk_render_opts *opts, gk_buf *out)
{
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "cp:coreProperties");
    gk__xw_attr(&x, "xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    gk__xw_attr(&x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
    gk__xw_attr(&x, "xmlns:dcterms", "http://purl.org/dc/terms/");
    gk__xw_attr(&x, "xmlns:dcmitype", "http://purl.org/dc/dcmitype/");
    gk__xw_attr(&x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    if (doc->info.title && *doc->info.title)
        gk__xw_elem_text(&x, "dc:title", doc->info.title);
    if (doc->info.subject && *doc->info.subject)
        gk__xw_elem_text(&x, "dc:subject", doc->info.subject);
    if (doc->info.author && *doc->info.author)
        gk__xw_elem_text(&x, "dc:creator", doc->info.author);
    gk__xw_elem_text(&x, "dc:language",
                     doc->info.lang && *doc->info.lang ? doc->info.lang : "zh-CN");
    char date[32];
    if (w3cdtf(doc, opts, date)) {
        static const char *const el[] = {"dcterms:created", "dcterms:modified"};
        for (int i = 0; i < 2; i++) {
            gk__xw_start(&x, el[i]);
            gk__xw_attr(&x, "xsi:type", "dcterms:W3CDTF");
            gk__xw_text(&x, date, strlen(date));
            gk__xw_end(&x);
        }
    }
    gk__xw_end(&x);
    return gk__xw_finish(&x, out);
}

bool gk__part_app(const gk_doc *doc, gk_buf *out)
{
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "Properties");
    gk__xw_attr(&x, "xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
    gk__xw_attr(&x, "xmlns:vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
    gk__xw_elem_text(&x, "Application", "gongkai");
    gk__xw_elem_text(&x, "DocSecurity", "0");
    gk__xw_elem_text(&x, "ScaleCrop", "false");
    if (doc->info.author && *doc->info.author)
        gk__xw_elem_text(&x, "Company", doc->info.author);
    gk__xw_elem_text(&x, "LinksUpToDate", "false");
    gk__xw_elem_text(&x, "SharedDoc", "false");
    gk__xw_elem_text(&x, "HyperlinksChanged", "false");
    gk__xw_end(&x);
    return gk__xw_finish(&x, out);
}

static void relationship(gk__xw *x, const char *id, const char *type,
                         const char *target)
{
    gk__xw_start(x, "Relationship");
    gk__xw_attr(x, "Id", id);
    gk__xw_attr(x, "Type", type);
    gk__xw_attr(x, "Target", target);
    gk__xw_end(x);
}

bool gk__part_root_rels(gk_buf *out)
{
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "Relationships");
    gk__xw_attr(&x, "xmlns", NS_PKG_REL);
    relationship(&x, "rId1", NS_R "/officeDocument", "word/document.xml");
    relationship(&x, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                 "docProps/core.xml");
    relationship(&x, "rId3", NS_R "/extended-properties", "docProps/app.xml");
    gk__xw_end(&x);
    return gk__xw_finish(&x, out);
}

static void override(gk__xw *x, const char *part, const char *type)
{
    gk__xw_start(x, "Override");
    gk__xw_attr(x, "PartName", part);
    gk__xw_attr(x, "ContentType", type);
    gk__xw_end(x);
}

static void deflt(gk__xw *x, const char *ext, const char *type)
{
    gk__xw_start(x, "Default");
    gk__xw_attr(x, "Extension", ext);
    gk__xw_attr(x, "ContentType", type);
    gk__xw_end(x);
}

#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."

bool gk__part_content_types(int nfooters, bool has_png, gk_buf *out)
{
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "Types");
    gk__xw_attr(&x, "xmlns", NS_CT);
    deflt(&x, "rels", "application/vnd.openxmlformats-package.relationships+xml");
    deflt(&x, "xml", "application/xml");
    if (has_png)
        deflt(&x, "png", "image/png");
    override(&x, "/word/document.xml", CT_WML "document.main+xml");
    override(&x, "/word/styles.xml", CT_WML "styles+xml");
    override(&x, "/word/settings.xml", CT_WML "settings+xml");
    override(&x, "/word/fontTable.xml", CT_WML "fontTable+xml");
    for (int i = 1; i <= nfooters; i++) {
        char name[32];
        snprintf(name, sizeof name, "/word/footer%d.xml", i);
        override(&x, name, CT_WML "footer+xml");
    }
    override(&x, "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
    override(&x, "/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml");
    gk__xw_end(&x);
    return gk__xw_finish(&x, out);
}
