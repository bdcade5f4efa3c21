/*
 * gongkai — DOCX back end: word/document.xml from the document tree, and
 * gk_render_docx(), which writes every part and zips them.  See docx.h
 * for the split into files and render.h for the contract.
 *
 * Sections.  The blocks are cut into sections before anything is
 * written: the title page is a section of its own with no footer (so it
 * carries no page number), the section after it restarts numbering at 1,
 * and every run of landscape tables is a landscape section (page size
 * swapped, orient="landscape", margins turned with the page; the PDF
 * layout decides, through the page map, which tables need it, and their
 * column widths; each such table starts a page, as in the PDF).  A section's w:sectPr sits in the
 * pPr of its last paragraph; when a section ends with a table, a 1 pt
 * paragraph carries it.  Page breaks are applied lazily as
 * pageBreakBefore on the next paragraph, so a break right before a
 * section break does not leave a blank page.
 *
 * The TOC field's cached result is pre-filled with the page numbers of
 * the PDF layout (a gk_page_map, render.h), so the TOC reads right before
 * anyone updates it; the field is marked dirty and settings.xml asks Word
 * to update fields on opening, so Word recomputes them for its own
 * pagination.  The footers hold PAGE fields.
 *
 * Memory: everything written here is owned by a `dx` context on the
 * stack and released before gk_render_docx() returns.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx/docx.h"
#include "gongkai/chart.h"
#include "util/timing.h"

/* Chart pictures: 120 dpi is sharp on screen at 100 % (a 425 pt chart is
 * 709 px, shown at about 567) and readable in print (9 pt labels are
 * 15 px high).  Each chart costs about 3 ms once the thread's fonts are
 * warm (150 dpi: 1.5 times the pixels and the time), mostly deflate.  The
 * PDF draws the same charts as vectors. */
#define CHART_DPI 120.0
#define EMU_PER_PT 12700.0

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_WP "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_PIC "http://schemas.openxmlformats.org/drawingml/2006/picture"

/* Fixed relationship ids of word/_rels/document.xml.rels; images follow. */
#define RID_STYLES "rId1"
#define RID_SETTINGS "rId2"
#define RID_FONTS "rId3"
#define RID_FOOTER_DEFAULT "rId4"
#define RID_FOOTER_EVEN "rId5"
#define RID_FIRST_IMAGE 6

typedef struct section {
    size_t first, last;   /* block indices, inclusive */
    bool title;           /* the title page: no footer */
    bool restart;         /* page numbering starts at 1 */
    gk_orient orient;
} section;

typedef struct media {
    int number;           /* image<number>.png, rId<RID_FIRST_IMAGE + number - 1> */
    gk_buf png;
} media;

typedef struct dx {
    const gk_doc *doc;
    const gk_render_opts *opts;
    gk__xw x;
    gk_buf clean;          /* text without XML-forbidden characters */
    gk_buf frag;           /* a pre-escaped fragment being built (write_tc) */
    section *sects;
    size_t nsects;
    const section *closing; /* sectPr for the block's last paragraph */
    bool pending_break;     /* a page break waiting for the next paragraph */
    bool sect_has_content;
    int next_bookmark;
    int heading_ord;        /* headings written so far */
    int table_ord;          /* table blocks written so far */
    const gk_page_map *map; /* TOC page numbers, table grids and orientation;
                               NULL = no layout (see measure.c) */
    size_t block;           /* index of the block being written */
    bool has_parts;         /* a level-0 heading (第一部分) exists */
    bool toc_tables;        /* a TOC lists the numbered tables */
    int next_docpr;
    media *media;
    size_t nmedia, capmedia;
    bool footers, odd_even;
    gk_orient orient;       /* of the section being written */
    long title_space;       /* twips before the title page's first paragraph */
    bool cell_keep_next;    /* the table's last row stays with its note */
    bool *landscape;        /* per block: a table on a landscape page */
    double xml_t0;          /* stage clock of the XML (paused for charts) */
    gk_error chart_err;     /* the first chart that could not be drawn */
    bool chart_failed;
} dx;

/* ---------------- helpers ---------------- */

static void warn(dx *d, const gk_block *b, const char *fmt, ...) GK_PRINTF(3, 4);
static void warn(dx *d, const gk_block *b, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gk_error e;
    gk_error_clear(&e);
    gk_error_set(&e, GK_ERR_BACKEND, b ? b->src.file : NULL, b ? b->src.line : 0,
                 0, NULL, "%s", msg);
    if (d->opts && d->opts->warnings) {
        gk_diags_add(d->opts->warnings, GK_SEV_WARNING, &e);
    } else {
        gk_buf f = GK_BUF_INIT;
        gk_error_format(&e, &f);
        fprintf(stderr, "%s\n", f.ptr);
        gk_buf_release(&f);
    }
}

/* True when the text has characters Word may draw with the Latin font
 * (“ ” ‘ ’ — … · №): the run then asks for the East Asian font. */
static bool needs_ea_hint(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t at = i;
        int32_t cp = gk_utf8_next(s, n, &i);
        if (i == at)
            i++;
        if (cp >= 0xA1 && cp < 0x2E80)
            return true;
    }
    return false;
}

static const char *jc_val(int a)
{
    switch (a) {
    case GK_ALIGN_LEFT: return "left";
    case GK_ALIGN_CENTER: return "center";
    case GK_ALIGN_RIGHT: return "right";
    default: return "both";
    }
}

/* Page geometry of a section.  Landscape turns the portrait text block
 * a quarter turn, as the PDF does: 天头 and 地脚 become the side margins,
 * the binding margin the top. */
typedef struct geom {
    long w, h, top, right, bottom, left;
} geom;

static geom page_geom(const dx *d, gk_orient o)
{
    const gk_page_setup *p = &d->doc->page;
    geom g;
    if (o == GK_ORIENT_LANDSCAPE) {
        g.w = gk__tw_mm(p->height_mm);
        g.h = gk__tw_mm(p->width_mm);
        g.top = gk__tw_mm(p->left_mm);
        g.right = gk__tw_mm(p->bottom_mm);
        g.bottom = gk__tw_mm(p->right_mm);
        g.left = gk__tw_mm(p->top_mm);
    } else {
        g.w = gk__tw_mm(p->width_mm);
        g.h = gk__tw_mm(p->height_mm);
        g.top = gk__tw_mm(p->top_mm);
        g.right = gk__tw_mm(p->right_mm);
        g.bottom = gk__tw_mm(p->bottom_mm);
        g.left = gk__tw_mm(p->left_mm);
    }
    /* GB/T 9704 wants 22 lines of 29 pt in a 225 mm block, which is
     * 0.2 pt short of them; the PDF allows 1 pt, Word none: give Word the
     * missing twips from the bottom margin. */
    const gk_style *body = &d->doc->styles[GK_STYLE_BODY];
    long pitch = gk__tw_pt(body->line_pt > 0 ? body->line_pt : 1.5 * body->size_pt);
    long text_h = g.h - g.top - g.bottom;
    if (pitch > 20 && text_h > pitch) {
        long short_by = (text_h / pitch + 1) * pitch - text_h;
        if (short_by <= 20 && g.bottom > short_by)
            g.bottom -= short_by;
    }
    return g;
}

static long text_width(const dx *d, gk_orient o)
{
    geom g = page_geom(d, o);
    return g.w - g.left - g.right;
}

/* ---------------- runs ---------------- */

static void write_t(dx *d, const char *s, size_t n)
{
    if (n == 0)
        return;
    gk__xw *x = &d->x;
    gk__xw_start(x, "w:t");
    bool preserve = s[0] == ' ' || s[n - 1] == ' ';
    for (size_t i = 0; !preserve && i + 1 < n; i++)
        if (s[i] == ' ' && s[i + 1] == ' ')
            preserve = true;
    if (preserve)
        gk__xw_attr(x, "xml:space", "preserve");
    gk__xw_text(x, s, n);
    gk__xw_end(x);
}

/* Text of a run: tab → w:tab, newline → w:br. */
static void write_run_content(dx *d, const char *s)
{
    size_t start = 0, i = 0;
    for (; s[i]; i++) {
        if (s[i] != '\t' && s[i] != '\n')
            continue;
        write_t(d, s + start, i - start);
        gk__xw_empty(&d->x, s[i] == '\t' ? "w:tab" : "w:br");
        start = i + 1;
    }
    write_t(d, s + start, i - start);
}

static void write_run(dx *d, const char *text, unsigned flags, int font)
{
    const char *s = gk__xml_clean(text, &d->clean);
    if (!*s)
        return;
    gk__xw *x = &d->x;
    gk__xw_start(x, "w:r");
    bool hint = needs_ea_hint(s);
    bool bold = flags & (GK_RUN_BOLD | GK_RUN_EMPHASIS);
    if (hint || bold || font >= 0 || (flags & (GK_RUN_ITALIC | GK_RUN_UNDERLINE))) {
        gk__xw_start(x, "w:rPr");
        if (hint || font >= 0) {
            gk__xw_start(x, "w:rFonts");
            if (font >= 0 && font < GK_FONT_ROLE_COUNT)
                gk__xw_attr(x, "w:eastAsia", gk__docx_font_name((gk_font_role)font));
            if (hint)
                gk__xw_attr(x, "w:hint", "eastAsia");
            gk__xw_end(x);
        }
        if (bold) {
            gk__xw_empty(x, "w:b");
            gk__xw_empty(x, "w:bCs");
        }
        if (flags & GK_RUN_ITALIC) {
            gk__xw_empty(x, "w:i");
            gk__xw_empty(x, "w:iCs");
        }
        if (flags & GK_RUN_UNDERLINE)
            gk__xw_val(x, "w:u", "single");
        gk__xw_end(x);
    }
    write_run_content(d, s);
    gk__xw_end(x);
}

static void write_runs(dx *d, const gk_runs *runs)
{
    for (size_t i = 0; i < runs->len; i++)
        write_run(d, runs->items[i].text, runs->items[i].flags, runs->items[i].font);
}

/* ---------------- paragraphs and sections ---------------- */

static void write_sectpr(dx *d, const section *s)
{
    gk__xw *x = &d->x;
    const gk_page_setup *p = &d->doc->page;
    geom g = page_geom(d, s->orient);
    gk__xw_start(x, "w:sectPr");
    if (!s->title && d->footers) {
        gk__xw_start(x, "w:footerReference");
        gk__xw_attr(x, "w:type", "default");
        gk__xw_attr(x, "r:id", RID_FOOTER_DEFAULT);
        gk__xw_end(x);
        if (d->odd_even) {
            gk__xw_start(x, "w:footerReference");
            gk__xw_attr(x, "w:type", "even");
            gk__xw_attr(x, "r:id", RID_FOOTER_EVEN);
            gk__xw_end(x);
        }
    }
    gk__xw_val(x, "w:type", "nextPage");
    gk__xw_start(x, "w:pgSz");
    gk__xw_attri(x, "w:w", g.w);
    gk__xw_attri(x, "w:h", g.h);
    if (s->orient == GK_ORIENT_LANDSCAPE)
        gk__xw_attr(x, "w:orient", "landscape");
    gk__xw_end(x);
    /* The footer line sits footer_mm below the text block (GB/T 9704:
     * 7 mm); w:footer is the distance of its bottom from the page edge. */
    const gk_style *fs = &d->doc->styles[GK_STYLE_FOOTER];
    double fline = fs->line_pt > 0 ? fs->line_pt : 1.5 * fs->size_pt;
    long footer = g.bottom - gk__tw_mm(p->footer_mm) - gk__tw_pt(fline);
    if (footer < 240)
        footer = 240;
    long header = gk__tw_mm(15) < g.top / 2 ? gk__tw_mm(15) : g.top / 2;
    gk__xw_start(x, "w:pgMar");
    gk__xw_attri(x, "w:top", g.top);
    gk__xw_attri(x, "w:right", g.right);
    gk__xw_attri(x, "w:bottom", g.bottom);
    gk__xw_attri(x, "w:left", g.left);
    gk__xw_attri(x, "w:header", header);
    gk__xw_attri(x, "w:footer", footer);
    gk__xw_attri(x, "w:gutter", 0);
    gk__xw_end(x);
    if (s->restart) {
        gk__xw_start(x, "w:pgNumType");
        gk__xw_attr(x, "w:fmt", "decimal");
        gk__xw_attri(x, "w:start", 1);
        gk__xw_end(x);
    }
    gk__xw_start(x, "w:cols");
    gk__xw_attri(x, "w:space", 425);
    gk__xw_end(x);
    const gk_style *body = &d->doc->styles[GK_STYLE_BODY];
    gk__xw_start(x, "w:docGrid");
    gk__xw_attri(x, "w:linePitch",
                 gk__tw_pt(body->line_pt > 0 ? body->line_pt : 1.5 * body->size_pt));
    gk__xw_end(x);
    gk__xw_end(x);
}

typedef struct pp {
    gk_style_id style;
    int align;            /* -1 = the style's */
    bool keep_next;
    bool last;            /* the block's last paragraph: may close the section */
    bool in_cell;
    bool picture;         /* line height from the content, no indent */
    bool tiny;            /* 1 pt paragraph (carries a sectPr or a break) */
    long tab_right;       /* > 0: a right tab stop here */
    bool tab_dots;        /* the tab stop has a dot leader (TOC) */
    const char *style_id; /* overrides gk__docx_style_id(style) ("TOC3") */
    long line_tw;         /* > 0: exact line pitch (and before/after) in twips */
    long before_tw, after_tw;
    int indent_levels;    /* table cells: characters of left indent */
} pp;

static void p_open(dx *d, const pp *p)
{
    gk__xw *x = &d->x;
    const gk_style *st = &d->doc->styles[p->style];
    gk__xw_start(x, "w:p");
    bool closes = p->last && d->closing && !p->in_cell;
    bool breaks = !p->in_cell && d->pending_break;
    bool jc = p->align >= 0 && p->align != (int)st->align;
    long space_before = p->in_cell ? 0 : d->title_space;
    if (!p->in_cell)
        d->title_space = 0;
    if (p->style == GK_STYLE_BODY && !space_before && !(p->keep_next && !st->keep_with_next) && !breaks &&
        p->tab_right <= 0 && !p->picture && !p->tiny && p->indent_levels <= 0 && !jc &&
        !closes && p->line_tw <= 0) {
        if (!p->in_cell)
            d->sect_has_content = true;
        return; /* nothing to say: no w:pPr */
    }
    gk__xw_start(x, "w:pPr");
    if (p->style_id)
        gk__xw_val(x, "w:pStyle", p->style_id);
    else if (p->style != GK_STYLE_BODY)
        gk__xw_val(x, "w:pStyle", gk__docx_style_id(p->style));
    if (p->keep_next && !st->keep_with_next)
        gk__xw_empty(x, "w:keepNext");
    if (breaks) {
        gk__xw_empty(x, "w:pageBreakBefore");
        d->pending_break = false;
    }
    if (p->tab_right > 0) {
        gk__xw_start(x, "w:tabs");
        gk__xw_start(x, "w:tab");
        gk__xw_attr(x, "w:val", "right");
        if (p->tab_dots)
            gk__xw_attr(x, "w:leader", "dot");
        gk__xw_attri(x, "w:pos", p->tab_right);
        gk__xw_end(x);
        gk__xw_end(x);
    }
    if (p->line_tw > 0) {
        gk__xw_start(x, "w:spacing");
        gk__xw_attri(x, "w:before", p->before_tw);
        gk__xw_attri(x, "w:after", p->after_tw);
        gk__xw_attri(x, "w:line", p->line_tw);
        gk__xw_attr(x, "w:lineRule", "exact");
        gk__xw_end(x);
    } else if (space_before > 0 && !p->tiny) {
        gk__xw_start(x, "w:spacing");
        gk__xw_attri(x, "w:before", space_before);
        gk__xw_end(x);
    } else if (p->picture || p->tiny) {
        gk__xw_start(x, "w:spacing");
        gk__xw_attri(x, "w:before", 0);
        gk__xw_attri(x, "w:after", 0);
        gk__xw_attri(x, "w:line", p->tiny ? 20 : 240);
        gk__xw_attr(x, "w:lineRule", p->tiny ? "exact" : "auto");
        gk__xw_end(x);
        gk__xw_start(x, "w:ind");
        gk__xw_attri(x, "w:firstLineChars", 0);
        gk__xw_attri(x, "w:firstLine", 0);
        gk__xw_end(x);
    } else if (p->indent_levels > 0) {
        gk__xw_start(x, "w:ind");
        gk__xw_attri(x, "w:leftChars", 100L * p->indent_levels);
        gk__xw_attri(x, "w:left", gk__tw_pt(st->size_pt * p->indent_levels));
        gk__xw_end(x);
    }
    if (jc)
        gk__xw_val(x, "w:jc", jc_val(p->align));
    if (p->tiny) {
        gk__xw_start(x, "w:rPr"); /* the paragraph mark: rPr comes before sectPr */
        gk__xw_vali(x, "w:sz", 2);
        gk__xw_vali(x, "w:szCs", 2);
        gk__xw_end(x);
    }
    if (closes) {
        write_sectpr(d, d->closing);
        d->closing = NULL;
    }
    gk__xw_end(x); /* pPr */
    if (!p->in_cell)
        d->sect_has_content = true;
}

static void p_close(dx *d)
{
    gk__xw_end(&d->x);
}

/* An almost invisible paragraph that carries a pending page break or the
 * section's sectPr where no other paragraph can. */
static void tiny_paragraph(dx *d, bool last)
{
    pp p = { .style = GK_STYLE_BODY, .align = -1, .tiny = true, .last = last };
    p_open(d, &p);
    p_close(d);
}

static void simple_paragraph(dx *d, gk_style_id style, int align, const char *text,
                             bool last)
{
    pp p = { .style = style, .align = align, .last = last };
    p_open(d, &p);
    write_run(d, text, 0, -1);
    p_close(d);
}

static void bookmark_name(const char *anchor, int fallback, char out[48])
{
    int n = snprintf(out, 48, "_Toc");
    if (anchor && *anchor) {
        for (const char *s = anchor; *s && n < 40; s++) {
            char c = *s;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                (c >= '0' && c <= '9') || c == '_')
                out[n++] = c;
        }
        out[n] = '\0';
    } else {
        snprintf(out + n, (size_t)(48 - n), "gk%d", fallback);
    }
}

static void bookmark_start(dx *d, const char *name, int id)
{
    gk__xw_start(&d->x, "w:bookmarkStart");
    gk__xw_attri(&d->x, "w:id", id);
    gk__xw_attr(&d->x, "w:name", name);
    gk__xw_end(&d->x);
}

static void bookmark_end(dx *d, int id)
{
    gk__xw_start(&d->x, "w:bookmarkEnd");
    gk__xw_attri(&d->x, "w:id", id);
    gk__xw_end(&d->x);
}

/* ---------------- blocks ---------------- */

static void write_paragraph(dx *d, const gk_block *b)
{
    const gk_paragraph *para = &b->u.para;
    gk_style_id style = (unsigned)para->style < GK_STYLE_COUNT ? para->style : GK_STYLE_BODY;
    pp p = { .style = style, .align = para->align, .last = true };
    p_open(d, &p);
    write_runs(d, &para->runs);
    p_close(d);
}

static gk_style_id heading_style(int level)
{
    static const gk_style_id map[] = {GK_STYLE_PART, GK_STYLE_H1, GK_STYLE_H2,
                                      GK_STYLE_H3, GK_STYLE_H4};
    if (level < 0)
        level = 0;
    if (level > 4)
        level = 4;
    return map[level];
}

/* What separates the number from the text in `plain` ("第一部分 …"). */
static void heading_sep(const gk_heading *h, gk_buf *sep)
{
    gk_buf_clear(sep);
    const char *num = h->number ? h->number : "";
    size_t nlen = strlen(num);
    if (!h->plain || !nlen || strncmp(h->plain, num, nlen) != 0)
        return;
    size_t text_len = 0;
    for (size_t i = 0; i < h->runs.len; i++)
        text_len += strlen(h->runs.items[i].text);
    const char *rest = h->plain + nlen;
    size_t rlen = strlen(rest);
    if (rlen > text_len && rlen - text_len <= 8)
        gk_buf_put(sep, rest, rlen - text_len);
}

static void write_heading(dx *d, const gk_block *b)
{
    const gk_heading *h = &b->u.heading;
    pp p = { .style = heading_style(h->level), .align = -1, .last = true };
    p_open(d, &p);
    char name[48];
    int id = d->next_bookmark++;
    bookmark_name(h->anchor, ++d->heading_ord, name);
    bookmark_start(d, name, id);
    gk_buf num = GK_BUF_INIT;
    heading_sep(h, &num);
    if (h->number && *h->number) {
        gk_buf sep = num;
        gk_buf_init(&num);
        gk_buf_puts(&num, h->number);
        gk_buf_put(&num, sep.ptr, sep.len);
        gk_buf_release(&sep);
        write_run(d, num.ptr, 0, -1);
    }
    gk_buf_release(&num);
    write_runs(d, &h->runs);
    bookmark_end(d, id);
    p_close(d);
}

static void field_char(dx *d, const char *type, bool dirty)
{
    gk__xw *x = &d->x;
    gk__xw_start(x, "w:r");
    gk__xw_start(x, "w:fldChar");
    gk__xw_attr(x, "w:fldCharType", type);
    if (dirty)
        gk__xw_attr(x, "w:dirty", "true");
    gk__xw_end(x);
    gk__xw_end(x);
}

static void instr_text(dx *d, const char *instr)
{
    gk__xw *x = &d->x;
    gk__xw_start(x, "w:r");
    gk__xw_start(x, "w:instrText");
    gk__xw_attr(x, "xml:space", "preserve");
    gk__xw_text(x, instr, strlen(instr));
    gk__xw_end(x);
    gk__xw_end(x);
}

/* A field instruction's quoted argument: backslash and quote escaped. */
static void field_quoted(gk_buf *b, const char *s)
{
    gk_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            gk_buf_putc(b, '\\');
        gk_buf_putc(b, *s);
    }
    gk_buf_putc(b, '"');
}

/* A run holding a tab or text, hidden in Web layout (the TOC's \z). */
static void web_hidden_run(dx *d, const char *text)
{
    gk__xw *x = &d->x;
    gk__xw_start(x, "w:r");
    gk__xw_start(x, "w:rPr");
    gk__xw_empty(x, "w:webHidden");
    gk__xw_end(x);
    if (text)
        write_t(d, text, strlen(text));
    else
        gk__xw_empty(x, "w:tab");
    gk__xw_end(x);
}

/* The heading or table a TOC lists, chosen as the PDF layout chooses:
 * headings marked in_toc up to the TOC's level and, with `tables`, every
 * numbered table at level 1, in reading order; nothing on the title
 * page.  Fills *text (number + text) and *level; NULL = not listed. */
static bool toc_entry(const gk_toc *toc, int max_level, const gk_block *b,
                      gk_buf *text, gk_buf *sep, int *level)
{
    if (b->title_page)
        return false;
    gk_buf_clear(text);
    if (b->type == GK_BLOCK_HEADING) {
        const gk_heading *h = &b->u.heading;
        if (!h->in_toc || h->level > max_level)
            return false;
        if (h->plain && *h->plain) {
            gk_buf_puts(text, h->plain);
        } else {
            gk_buf_puts(text, h->number ? h->number : "");
            heading_sep(h, sep);
            gk_buf_put(text, sep->ptr, sep->len);
            for (size_t r = 0; r < h->runs.len; r++)
                gk_buf_puts(text, h->runs.items[r].text);
        }
        *level = h->level < 0 ? 0 : h->level;
        return true;
    }
    if (b->type == GK_BLOCK_TABLE && toc->tables && b->u.table.number &&
        b->u.table.number[0]) {
        const gk_table *t = &b->u.table;
        gk_buf_puts(text, t->number);
        if (t->title && *t->title) {
            gk_buf_putc(text, ' ');
            gk_buf_puts(text, t->title);
        }
        *level = 1;
        return true;
    }
    return false;
}

/* The bookmark a TOC entry links to: see write_heading and write_table. */
static void entry_bookmark(const gk_block *b, int heading_ord, int table_ord, char name[48])
{
    if (b->type == GK_BLOCK_HEADING)
        bookmark_name(b->u.heading.anchor, heading_ord, name);
    else
        bookmark_name(b->u.table.anchor, 100000 + table_ord, name);
}

/* The TOC field.  Its cached result lists what the PDF's TOC lists, each
 * entry a hyperlink to the heading's (or table's) bookmark holding the
 * text, a dotted right tab and a PAGEREF field whose cached value is the
 * PDF layout's page number: the TOC reads right before anyone updates it.
 * The field is marked dirty (and settings.xml asks to update fields), so
 * Word recomputes the page numbers for its own pagination; numbered
 * tables reach its refresh through TC fields (write_table) that the
 * \f T switch collects.  Styles: TOC1 for the top level (parts, or 一、
 * when there are no parts), TOC2 below it, TOC3… one level deeper each
 * (parts.c), as the PDF indents them. */
static void write_toc(dx *d, const gk_block *b)
{
    const gk_toc *toc = &b->u.toc;
    const gk_doc *doc = d->doc;
    int max_level = toc->max_level < 0 ? 0 : toc->max_level > 4 ? 4 : toc->max_level;
    if (toc->title && *toc->title)
        simple_paragraph(d, GK_STYLE_TOC_TITLE, -1, toc->title, false);
    char instr[96];
    snprintf(instr, sizeof instr, " TOC \\o \"1-%d\" \\h \\z \\u %s", max_level + 1,
             toc->tables ? "\\f T \\l \"2-2\" " : "");

    gk_buf text = GK_BUF_INIT, sep = GK_BUF_INIT;
    size_t nentries = 0;
    int level;
    for (size_t i = 0; i < doc->nblocks; i++)
        if (toc_entry(toc, max_level, doc->blocks[i], &text, &sep, &level))
            nentries++;
    if (nentries == 0) {
        pp p = { .style = GK_STYLE_TOC1, .align = -1, .last = true };
        p_open(d, &p);
        field_char(d, "begin", true);
        instr_text(d, instr);
        field_char(d, "separate", false);
        field_char(d, "end", false);
        p_close(d);
        gk_buf_release(&text);
        gk_buf_release(&sep);
        return;
    }
    size_t k = 0;
    int hord = 0, tord = 0;
    long tab = text_width(d, d->orient) - 10; /* as Word sets its TOC's tab */
    double scale = d->map ? gk_page_map_toc_scale(d->map) : 1;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *hb = doc->blocks[i];
        if (hb->type == GK_BLOCK_HEADING)
            hord++;
        else if (hb->type == GK_BLOCK_TABLE)
            tord++;
        if (!toc_entry(toc, max_level, hb, &text, &sep, &level))
            continue;
        bool top = level == 0 || (!d->has_parts && level == 1);
        int depth = top ? 1 : 2 + level - (d->has_parts ? 1 : 2); /* TOC<depth> */
        char style_id[16];
        snprintf(style_id, sizeof style_id, "TOC%d", depth > 5 ? 5 : depth);
        pp p = { .style = top ? GK_STYLE_TOC1 : GK_STYLE_TOC2, .align = -1,
                 .last = k + 1 == nentries, .style_id = style_id };
        int page = d->map ? gk_page_map_block(d->map, i) : -1;
        if (d->map) {
            p.tab_right = tab;
            p.tab_dots = true;
        }
        if (scale < 1) {
            /* set tighter, as the PDF's TOC, to end on the same page */
            const gk_style *st = &doc->styles[p.style];
            double line = st->line_pt > 0 ? st->line_pt : 1.5 * st->size_pt;
            p.line_tw = (long)floor(line * scale * 20);
            p.before_tw = (long)floor(st->space_before_pt * scale * 20);
            p.after_tw = (long)floor(st->space_after_pt * scale * 20);
        }
        p_open(d, &p);
        if (k == 0) {
            field_char(d, "begin", true);
            instr_text(d, instr);
            field_char(d, "separate", false);
        }
        char name[48];
        entry_bookmark(hb, hord, tord, name);
        gk__xw_start(&d->x, "w:hyperlink");
        gk__xw_attr(&d->x, "w:anchor", name);
        gk__xw_attr(&d->x, "w:history", "1");
        write_run(d, text.ptr, 0, -1);
        if (d->map) {
            /* The number the PDF's TOC prints (a page without one: 1). */
            char num[16], ref[80];
            snprintf(num, sizeof num, "%d", page > 0 ? page : 1);
            snprintf(ref, sizeof ref, " PAGEREF %s \\h ", name);
            web_hidden_run(d, NULL);
            field_char(d, "begin", false);
            instr_text(d, ref);
            field_char(d, "separate", false);
            web_hidden_run(d, num);
            field_char(d, "end", false);
        }
        gk__xw_end(&d->x); /* hyperlink */
        if (k + 1 == nentries)
            field_char(d, "end", false);
        p_close(d);
        k++;
    }
    gk_buf_release(&text);
    gk_buf_release(&sep);
}

static void write_border(gk__xw *x, const char *side)
{
    gk__xw_start(x, side);
    gk__xw_attr(x, "w:val", "single");
    gk__xw_attri(x, "w:sz", 4);
    gk__xw_attri(x, "w:space", 0);
    gk__xw_attr(x, "w:color", "000000");
    gk__xw_end(x);
}

/* How a cell takes part in a vertical span.  A span whose text is taller
 * than half a page is drawn, not merged: the text in its first row and
 * the rows below it without the lines between them, because LibreOffice
 * cuts off a merged cell's text at a page break. */
enum { VM_NONE, VM_RESTART, VM_CONTINUE, VM_TALL_FIRST, VM_TALL_MID, VM_TALL_LAST };

static void write_tc(dx *d, const gk_table *t, const gk_row *row, const gk_cell *cell,
                     int c, int colspan, const long *cw, int vmerge)
{
    gk__xw *x = &d->x;
    long w = 0;
    for (int k = 0; k < colspan && c + k < t->ncols; k++)
        w += cw[c + k];
    gk__xw_start(x, "w:tc");
    /* The cell's properties are constants and numbers only: one
     * pre-escaped fragment (gk__xw_raw), the same bytes as element by
     * element, for a fraction of the writer's per-element cost (a table
     * cell is the most frequent element of a report). */
    char num[32];
    gk_buf *f = &d->frag;
    gk_buf_clear(f);
    gk_buf_puts(f, "<w:tcPr><w:tcW w:w=\"");
    gk_buf_puts(f, gk__xw_fmt(num, w));
    gk_buf_puts(f, "\" w:type=\"dxa\"/>");
    if (colspan > 1) {
        gk_buf_puts(f, "<w:gridSpan w:val=\"");
        gk_buf_puts(f, gk__xw_fmt(num, colspan));
        gk_buf_puts(f, "\"/>");
    }
    if (vmerge == VM_RESTART)
        gk_buf_puts(f, "<w:vMerge w:val=\"restart\"/>");
    else if (vmerge == VM_CONTINUE)
        gk_buf_puts(f, "<w:vMerge/>");
    if (vmerge >= VM_TALL_FIRST) {
        gk_buf_puts(f, "<w:tcBorders>");
        if (vmerge != VM_TALL_FIRST)
            gk_buf_puts(f, "<w:top w:val=\"nil\"/>");
        if (vmerge != VM_TALL_LAST)
            gk_buf_puts(f, "<w:bottom w:val=\"nil\"/>");
        gk_buf_puts(f, "</w:tcBorders>");
    }
    gk_buf_puts(f, vmerge == VM_TALL_FIRST ? "<w:vAlign w:val=\"top\"/>"
                                            : "<w:vAlign w:val=\"center\"/>");
    gk_buf_puts(f, "</w:tcPr>");
    gk__xw_raw(x, f->ptr, f->len);
    bool empty = vmerge == VM_CONTINUE || vmerge == VM_TALL_MID || vmerge == VM_TALL_LAST;

    bool header = row->kind == GK_ROW_HEADER;
    pp p = { .style = header ? GK_STYLE_TABLE_HEADER : GK_STYLE_TABLE_TEXT,
             .align = -1, .in_cell = true, .keep_next = d->cell_keep_next };
    if (!empty) {
        const gk_style *st = &d->doc->styles[p.style];
        if (cell->align >= 0 && cell->align <= GK_ALIGN_RIGHT)
            p.align = cell->align;
        else if (header)
            p.align = st->align == GK_ALIGN_JUSTIFY ? GK_ALIGN_CENTER : (int)st->align;
        else if (t->cols[c].numeric)
            p.align = GK_ALIGN_RIGHT;
        else
            p.align = t->cols[c].align == GK_ALIGN_JUSTIFY ? GK_ALIGN_LEFT
                                                           : (int)t->cols[c].align;
        p.indent_levels = cell->indent > 0 ? cell->indent : 0;
    }
    p_open(d, &p);
    if (!empty) {
        for (size_t i = 0; i < cell->runs.len; i++) {
            const gk_run *r = &cell->runs.items[i];
            write_run(d, r->text, r->flags | (cell->bold ? GK_RUN_BOLD : 0), r->font);
        }
    }
    p_close(d);
    gk__xw_end(x); /* tc */
}

/* Estimated height of a cell's text in points, in a grid span of width w. */
static double cell_height(const dx *d, const gk_table *t, size_t r, int c, const long *cw)
{
    const gk_row *row = &t->rows[r];
    const gk_cell *cell = &row->cells[c];
    const gk_style *s = &d->doc->styles[row->kind == GK_ROW_HEADER ? GK_STYLE_TABLE_HEADER
                                                                    : GK_STYLE_TABLE_TEXT];
    double line = s->line_pt > 0 ? s->line_pt : 1.5 * s->size_pt;
    long w = 0;
    for (int k = c; k < c + cell->colspan && k < t->ncols; k++)
        w += cw[k];
    double avail = (double)w / 20.0 - 4.0 - (cell->indent > 0 ? cell->indent : 0) * s->size_pt;
    if (avail < s->size_pt)
        avail = s->size_pt;
    double lines = ceil(gk__docx_runs_em(&cell->runs) * s->size_pt * 1.05 / avail);
    return (lines < 1 ? 1 : lines) * line + 5.0;
}

/* Estimated row heights in points: cells spanning rows push their excess
 * into their last row, as Word and LibreOffice do. */
static void row_heights(const dx *d, const gk_table *t, const long *cw,
                        const bool *tall, double *h)
{
    for (size_t r = 0; r < t->nrows; r++) {
        h[r] = 0;
        for (int c = 0; c < t->ncols; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (!cell->covered && (cell->rowspan <= 1 || tall[r * (size_t)t->ncols + (size_t)c]))
                h[r] = fmax(h[r], cell_height(d, t, r, c, cw));
        }
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered || cell->rowspan <= 1 || tall[r * (size_t)t->ncols + (size_t)c])
                continue;
            size_t end = r + (size_t)cell->rowspan;
            if (end > t->nrows)
                end = t->nrows;
            double sum = 0;
            for (size_t k = r; k < end; k++)
                sum += h[k];
            double need = cell_height(d, t, r, c, cw);
            if (need > sum)
                h[end - 1] += need - sum;
        }
}

static void write_table(dx *d, const gk_block *b)
{
    const gk_table *t = &b->u.table;
    gk__xw *x = &d->x;
    int ord = ++d->table_ord;
    if (t->ncols <= 0)
        return;
    long total = text_width(d, d->orient);
    size_t nbody = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (t->rows[r].kind != GK_ROW_HEADER)
            nbody++;
    bool empty_note = nbody == 0 && t->empty_note && *t->empty_note;
    bool note = t->note && *t->note;

    /* The bookmark (TOC links and PAGEREFs) holds the number, or the
     * title when there is no number. */
    bool number = t->number && *t->number;
    char name[48];
    bookmark_name(t->anchor, 100000 + ord, name);
    if (number) {
        pp p = { .style = GK_STYLE_TABLE_NUMBER, .align = GK_ALIGN_RIGHT, .keep_next = true };
        p_open(d, &p);
        int id = d->next_bookmark++;
        bookmark_start(d, name, id);
        write_run(d, t->number, 0, -1);
        bookmark_end(d, id);
        if (d->toc_tables && !b->title_page) {
            /* The TOC's entry when Word rebuilds it (TOC \f T \l "2-2"). */
            gk_buf code = GK_BUF_INIT;
            gk_buf_puts(&code, " TC ");
            gk_buf tc = GK_BUF_INIT;
            gk_buf_puts(&tc, t->number);
            if (t->title && *t->title) {
                gk_buf_putc(&tc, ' ');
                gk_buf_puts(&tc, t->title);
            }
            field_quoted(&code, gk__xml_clean(tc.ptr, &d->clean));
            gk_buf_puts(&code, " \\f T \\l 2 ");
            field_char(d, "begin", false);
            instr_text(d, code.ptr);
            field_char(d, "end", false);
            gk_buf_release(&tc);
            gk_buf_release(&code);
        }
        p_close(d);
    }
    if (t->title && *t->title) {
        pp p = { .style = GK_STYLE_TABLE_TITLE, .align = GK_ALIGN_CENTER, .keep_next = true };
        p_open(d, &p);
        int id = number ? 0 : d->next_bookmark++;
        if (!number)
            bookmark_start(d, name, id);
        write_run(d, t->title, 0, -1);
        if (!number)
            bookmark_end(d, id);
        p_close(d);
    }
    bool left = t->caption_left && *t->caption_left;
    bool unit = t->unit && *t->unit;
    if (left || unit) {
        /* 部门：…  on the left, 单位：万元 on the right of one line. */
        pp p = { .style = GK_STYLE_TABLE_UNIT, .align = GK_ALIGN_RIGHT, .keep_next = true };
        if (left) {
            p.align = GK_ALIGN_LEFT;
            p.tab_right = total;
        }
        p_open(d, &p);
        if (left)
            write_run(d, t->caption_left, 0, -1);
        if (unit) {
            if (left) {
                gk__xw_start(x, "w:r");
                gk__xw_empty(x, "w:tab");
                gk__xw_end(x);
            }
            write_run(d, t->unit, 0, -1);
        }
        p_close(d);
    }
    if (d->pending_break)
        tiny_paragraph(d, false);

    long *cw = gk_xcalloc((size_t)t->ncols, sizeof(long));
    gk__docx_table_widths(d->map, d->block, t, total, cw);

    gk__xw_start(x, "w:tbl");
    gk__xw_start(x, "w:tblPr");
    gk__xw_val(x, "w:tblStyle", "TableGrid");
    gk__xw_start(x, "w:tblW");
    gk__xw_attri(x, "w:w", total);
    gk__xw_attr(x, "w:type", "dxa");
    gk__xw_end(x);
    gk__xw_val(x, "w:jc", "center");
    gk__xw_start(x, "w:tblBorders");
    static const char *const sides[] = {"w:top", "w:left", "w:bottom", "w:right",
                                        "w:insideH", "w:insideV"};
    for (int i = 0; i < 6; i++)
        write_border(x, sides[i]);
    gk__xw_end(x);
    gk__xw_start(x, "w:tblLayout");
    gk__xw_attr(x, "w:type", "fixed");
    gk__xw_end(x);
    /* 2.5 pt padding above and below, as in the PDF; 2 pt at the sides,
     * where the PDF has 2.5 pt: the grid is the PDF layout's, cut to its
     * fonts' metrics, and Word and LibreOffice (other fonts, widths in
     * twips, the rules' width) would wrap a figure or a code that just
     * fits it; the spare point keeps it on one line. */
    gk__xw_start(x, "w:tblCellMar");
    static const char *const mar[] = {"w:top", "w:left", "w:bottom", "w:right"};
    for (int i = 0; i < 4; i++) {
        gk__xw_start(x, mar[i]);
        gk__xw_attri(x, "w:w", (i & 1) ? 40 : 50);
        gk__xw_attr(x, "w:type", "dxa");
        gk__xw_end(x);
    }
    gk__xw_end(x);
    gk__xw_start(x, "w:tblLook");
    gk__xw_attr(x, "w:val", "04A0");
    gk__xw_attr(x, "w:firstRow", "1");
    gk__xw_attr(x, "w:lastRow", "0");
    gk__xw_attr(x, "w:firstColumn", "1");
    gk__xw_attr(x, "w:lastColumn", "0");
    gk__xw_attr(x, "w:noHBand", "0");
    gk__xw_attr(x, "w:noVBand", "1");
    gk__xw_end(x);
    gk__xw_end(x); /* tblPr */
    gk__xw_start(x, "w:tblGrid");
    for (int c = 0; c < t->ncols; c++) {
        gk__xw_start(x, "w:gridCol");
        gk__xw_attri(x, "w:w", cw[c]);
        gk__xw_end(x);
    }
    gk__xw_end(x);

    /* Which cell covers each slot: the origin (row, column) of its span. */
    size_t nslots = t->nrows * (size_t)t->ncols;
    int *orow = gk_xmalloc((nslots ? nslots : 1) * sizeof(int));
    int *ocol = gk_xmalloc((nslots ? nslots : 1) * sizeof(int));
    for (size_t i = 0; i < nslots; i++)
        orow[i] = ocol[i] = -1;
    for (size_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (cell->covered)
                continue;
            for (int dr = 0; dr < cell->rowspan && r + (size_t)dr < t->nrows; dr++)
                for (int dc = 0; dc < cell->colspan && c + dc < t->ncols; dc++) {
                    size_t k = (r + (size_t)dr) * (size_t)t->ncols + (size_t)(c + dc);
                    orow[k] = (int)r;
                    ocol[k] = c;
                }
        }

    /* Rows never split across pages, except one that might not fit on a
     * page at all: LibreOffice cuts such a row off instead of breaking it. */
    geom g = page_geom(d, d->orient);
    double page_h = (double)(g.h - g.top - g.bottom) / 20.0;
    bool *tall = gk_xcalloc(nslots + 1, sizeof(bool));
    for (size_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const gk_cell *cell = &t->rows[r].cells[c];
            if (!cell->covered && cell->rowspan > 1 &&
                cell_height(d, t, r, c, cw) > 0.5 * page_h)
                tall[r * (size_t)t->ncols + (size_t)c] = true;
        }
    double *rowh = gk_xcalloc(t->nrows + 1, sizeof(double));
    row_heights(d, t, cw, tall, rowh);
    for (size_t r = 0; r < t->nrows; r++) {
        const gk_row *row = &t->rows[r];
        gk__xw_start(x, "w:tr");
        gk__xw_start(x, "w:trPr");
        if (rowh[r] < 0.5 * page_h)
            gk__xw_empty(x, "w:cantSplit");
        d->cell_keep_next = note && !empty_note && r + 1 == t->nrows;
        if (row->kind == GK_ROW_HEADER)
            gk__xw_empty(x, "w:tblHeader");
        gk__xw_end(x);
        int c = 0;
        while (c < t->ncols) {
            const gk_cell *cell = &row->cells[c];
            size_t k = r * (size_t)t->ncols + (size_t)c;
            if (!cell->covered) {
                int span = cell->colspan < 1 ? 1 : cell->colspan;
                if (c + span > t->ncols)
                    span = t->ncols - c;
                write_tc(d, t, row, cell, c, span, cw,
                         cell->rowspan <= 1 ? VM_NONE : tall[k] ? VM_TALL_FIRST : VM_RESTART);
                c += span;
            } else if (orow[k] >= 0 && (size_t)orow[k] < r && ocol[k] == c) {
                /* Continuation of a vertical merge. */
                const gk_cell *o = &t->rows[orow[k]].cells[c];
                int span = o->colspan < 1 ? 1 : o->colspan;
                if (c + span > t->ncols)
                    span = t->ncols - c;
                int vm = VM_CONTINUE;
                if (tall[(size_t)orow[k] * (size_t)t->ncols + (size_t)c])
                    vm = (size_t)orow[k] + (size_t)o->rowspan == r + 1 ? VM_TALL_LAST : VM_TALL_MID;
                write_tc(d, t, row, o, c, span, cw, vm);
                c += span;
            } else if (orow[k] < 0) {
                /* A covered slot nothing covers (the tree checker rejects
                 * this): keep the grid whole with an empty cell. */
                gk_cell blank = { .colspan = 1, .rowspan = 1, .align = -1 };
                write_tc(d, t, row, &blank, c, 1, cw, VM_NONE);
                c++;
            } else {
                c++; /* inside a horizontal span already written */
            }
        }
        gk__xw_end(x); /* tr */
    }
    if (empty_note) {
        /* No body rows: the note fills one full-width row, as in the PDF. */
        d->cell_keep_next = note;
        gk_cell blank = { .colspan = t->ncols, .rowspan = 1, .align = GK_ALIGN_CENTER };
        gk_row row = { .kind = GK_ROW_BODY, .cells = &blank };
        gk__xw_start(x, "w:tr");
        gk__xw_start(x, "w:trPr");
        gk__xw_empty(x, "w:cantSplit");
        gk__xw_end(x);
        gk_run run = { .text = t->empty_note, .flags = 0, .font = -1 };
        blank.runs = (gk_runs){ .items = &run, .len = 1, .cap = 1 };
        write_tc(d, t, &row, &blank, 0, t->ncols, cw, VM_NONE);
        gk__xw_end(x); /* tr */
    }
    d->cell_keep_next = false;
    gk__xw_end(x); /* tbl */
    free(orow);
    free(ocol);
    free(rowh);
    free(tall);
    free(cw);

    if (note) {
        pp p = { .style = GK_STYLE_TABLE_NOTE, .align = -1, .last = true };
        p_open(d, &p);
        write_run(d, t->note, 0, -1);
        p_close(d);
    }
}

static media *add_media(dx *d)
{
    if (d->nmedia == d->capmedia) {
        d->capmedia = d->capmedia ? 2 * d->capmedia : 4;
        d->media = gk_xrealloc(d->media, d->capmedia * sizeof(media));
    }
    media *m = &d->media[d->nmedia++];
    m->number = (int)d->nmedia;
    gk_buf_init(&m->png);
    return m;
}

static void write_picture(dx *d, const media *m, double w_pt, double h_pt,
                          const char *descr)
{
    gk__xw *x = &d->x;
    long long cx = llround(w_pt * EMU_PER_PT), cy = llround(h_pt * EMU_PER_PT);
    char rid[24], name[40];
    snprintf(rid, sizeof rid, "rId%d", RID_FIRST_IMAGE + m->number - 1);
    snprintf(name, sizeof name, "image%d.png", m->number);
    int id = d->next_docpr++;
    gk__xw_start(x, "w:r");
    gk__xw_start(x, "w:drawing");
    gk__xw_start(x, "wp:inline");
    gk__xw_attr(x, "distT", "0");
    gk__xw_attr(x, "distB", "0");
    gk__xw_attr(x, "distL", "0");
    gk__xw_attr(x, "distR", "0");
    gk__xw_start(x, "wp:extent");
    gk__xw_attri(x, "cx", cx);
    gk__xw_attri(x, "cy", cy);
    gk__xw_end(x);
    gk__xw_start(x, "wp:effectExtent");
    gk__xw_attr(x, "l", "0");
    gk__xw_attr(x, "t", "0");
    gk__xw_attr(x, "r", "0");
    gk__xw_attr(x, "b", "0");
    gk__xw_end(x);
    gk__xw_start(x, "wp:docPr");
    gk__xw_attri(x, "id", id);
    char pname[48];
    snprintf(pname, sizeof pname, "Chart %d", m->number);
    gk__xw_attr(x, "name", pname);
    gk__xw_attr(x, "descr", descr);
    gk__xw_end(x);
    gk__xw_start(x, "wp:cNvGraphicFramePr");
    gk__xw_start(x, "a:graphicFrameLocks");
    gk__xw_attr(x, "noChangeAspect", "1");
    gk__xw_end(x);
    gk__xw_end(x);
    gk__xw_start(x, "a:graphic");
    gk__xw_start(x, "a:graphicData");
    gk__xw_attr(x, "uri", NS_PIC);
    gk__xw_start(x, "pic:pic");
    gk__xw_start(x, "pic:nvPicPr");
    gk__xw_start(x, "pic:cNvPr");
    gk__xw_attri(x, "id", id);
    gk__xw_attr(x, "name", name);
    gk__xw_attr(x, "descr", descr);
    gk__xw_end(x);
    gk__xw_empty(x, "pic:cNvPicPr");
    gk__xw_end(x); /* nvPicPr */
    gk__xw_start(x, "pic:blipFill");
    gk__xw_start(x, "a:blip");
    gk__xw_attr(x, "r:embed", rid);
    gk__xw_end(x);
    gk__xw_start(x, "a:stretch");
    gk__xw_empty(x, "a:fillRect");
    gk__xw_end(x);
    gk__xw_end(x); /* blipFill */
    gk__xw_start(x, "pic:spPr");
    gk__xw_start(x, "a:xfrm");
    gk__xw_start(x, "a:off");
    gk__xw_attr(x, "x", "0");
    gk__xw_attr(x, "y", "0");
    gk__xw_end(x);
    gk__xw_start(x, "a:ext");
    gk__xw_attri(x, "cx", cx);
    gk__xw_attri(x, "cy", cy);
    gk__xw_end(x);
    gk__xw_end(x); /* xfrm */
    gk__xw_start(x, "a:prstGeom");
    gk__xw_attr(x, "prst", "rect");
    gk__xw_empty(x, "a:avLst");
    gk__xw_end(x);
    gk__xw_end(x); /* spPr */
    gk__xw_end(x); /* pic */
    gk__xw_end(x); /* graphicData */
    gk__xw_end(x); /* graphic */
    gk__xw_end(x); /* inline */
    gk__xw_end(x); /* drawing */
    gk__xw_end(x); /* r */
}

static void write_chart(dx *d, const gk_block *b)
{
    const gk_chart *c = &b->u.chart;
    const char *caption = c->caption && *c->caption ? c->caption : c->title;
    {
        double avail = (double)text_width(d, GK_ORIENT_PORTRAIT) / 20.0;
        double w = 0, h = 0;
        gk_chart_size(c, avail, &w, &h);
        media *m = add_media(d);
        gk_error cerr;
        gk_error_clear(&cerr);
        gk_timing_end(GK_TIMER_DOCX_XML, d->xml_t0); /* the chart has its own */
        bool drawn = w > 0 && h > 0 &&
                     gk_chart_png(c, w, h, CHART_DPI, &m->png, &cerr) == GK_OK && m->png.len;
        d->xml_t0 = gk_timing_begin();
        if (drawn) {
            pp p = { .style = GK_STYLE_BODY, .align = GK_ALIGN_CENTER,
                     .keep_next = true, .picture = true };
            p_open(d, &p);
            write_picture(d, m, w, h, caption ? caption : "");
            p_close(d);
        } else {
            /* As in the PDF: a report is never published without one of
             * its charts. */
            if (!d->chart_failed) {
                d->chart_failed = true;
                d->chart_err = cerr;
                if (!cerr.msg[0])
                    gk_error_set(&d->chart_err, GK_ERR_LIMIT, NULL, 0, 0, NULL,
                                 GK_TR("图%d 的画布太小（%.0f × %.0f 磅）",
                                       "chart %d: the canvas is too small (%.0f × %.0f pt)"),
                                 c->number, w, h);
                if (!d->chart_err.file[0] && b->src.file) {
                    snprintf(d->chart_err.file, sizeof d->chart_err.file, "%s", b->src.file);
                    d->chart_err.line = b->src.line;
                }
            }
            gk_buf_release(&m->png);
            d->nmedia--;
        }
    }
    if (caption && *caption) {
        /* Centred unless the style sheet says left or right, as in the PDF. */
        gk_align a = d->doc->styles[GK_STYLE_CAPTION].align;
        simple_paragraph(d, GK_STYLE_CAPTION, a == GK_ALIGN_JUSTIFY ? GK_ALIGN_CENTER : (int)a,
                         caption, true);
    }
}

static void write_block(dx *d, const gk_block *b)
{
    switch (b->type) {
    case GK_BLOCK_PARAGRAPH: write_paragraph(d, b); break;
    case GK_BLOCK_HEADING: write_heading(d, b); break;
    case GK_BLOCK_TABLE:
        /* Like the PDF, every landscape table starts a page of its own. */
        if (d->orient == GK_ORIENT_LANDSCAPE && d->sect_has_content)
            d->pending_break = true;
        write_table(d, b);
        break;
    case GK_BLOCK_CHART: write_chart(d, b); break;
    case GK_BLOCK_TOC:
        /* Like the PDF, the TOC stands on its own page(s). */
        if (d->sect_has_content)
            d->pending_break = true;
        write_toc(d, b);
        d->pending_break = true;
        break;
    case GK_BLOCK_PAGE_BREAK:
        if (d->sect_has_content)
            d->pending_break = true;
        break;
    }
}

/* ---------------- sections ---------------- */

static void plan_sections(dx *d)
{
    const gk_doc *doc = d->doc;
    d->sects = gk_xcalloc(doc->nblocks + 1, sizeof(section));
    d->nsects = 0;
    d->landscape = gk_xcalloc(doc->nblocks + 1, sizeof(bool));
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i]->type == GK_BLOCK_TABLE)
            d->landscape[i] = gk__docx_table_landscape(d->map, i, &doc->blocks[i]->u.table);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        section *cur = d->nsects ? &d->sects[d->nsects - 1] : NULL;
        if (b->type == GK_BLOCK_PAGE_BREAK && cur) {
            cur->last = i;
            continue;
        }
        gk_orient o = d->landscape[i] ? GK_ORIENT_LANDSCAPE : GK_ORIENT_PORTRAIT;
        if (!cur || cur->title != b->title_page || cur->orient != o) {
            d->sects[d->nsects++] = (section){ .first = i, .last = i,
                                               .title = b->title_page, .orient = o };
        } else {
            cur->last = i;
        }
    }
    if (d->nsects == 0)
        d->sects[d->nsects++] = (section){ .first = 1, .last = 0 };
    for (size_t s = 0; s < d->nsects; s++)
        if (!d->sects[s].title) {
            d->sects[s].restart = true;
            break;
        }
}

/* What the TOC and the tables need before anything is written: whether
 * the document has parts and lists its tables, and the page map: the
 * caller's, else one laid out here (*own, freed by the caller).  Without
 * the PDF fonts there is no layout: the TOC's page numbers are then left
 * for Word, and the tables' columns share the width by their weights. */
static void plan_map(dx *d, gk_page_map **own)
{
    const gk_doc *doc = d->doc;
    const gk_block *toc = NULL, *table = NULL;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        if (b->type == GK_BLOCK_HEADING && b->u.heading.level == 0)
            d->has_parts = true;
        if (b->type == GK_BLOCK_TABLE && b->u.table.ncols > 0 && !table)
            table = b;
        if (b->type == GK_BLOCK_TOC) {
            toc = toc ? toc : b;
            if (b->u.toc.tables)
                d->toc_tables = true;
        }
    }
    if (!toc && !table)
        return;
    if (d->opts && d->opts->page_map) {
        d->map = d->opts->page_map;
        return;
    }
    gk_error e;
    gk_error_clear(&e);
    if (gk_page_map_build(doc, NULL, own, &e) == GK_OK) {
        d->map = *own;
        return;
    }
    if (toc)
        warn(d, toc, table ? GK_TR("目录的页码留给 Word 更新，表格按列权重分宽：排不出版面（%s）",
                                   "the TOC's page numbers are left for Word to fill in and "
                                   "the tables' columns are sized by their weights: "
                                   "no layout (%s)")
                           : GK_TR("目录的页码留给 Word 更新：排不出版面（%s）",
                                   "the TOC's page numbers are left for Word to fill in: "
                                   "no layout (%s)"),
             e.msg);
    else
        warn(d, table, GK_TR("表格按列权重分宽：排不出版面（%s）",
                             "the tables' columns are sized by their weights: "
                             "no layout (%s)"),
             e.msg);
}

/* The title page's content sits a little above the middle of the text
 * block, as in the PDF: 30 % of the free height goes above it. */
static long title_space(const dx *d, const section *sec)
{
    const gk_doc *doc = d->doc;
    double tw = (double)text_width(d, GK_ORIENT_PORTRAIT) / 20.0;
    geom g = page_geom(d, GK_ORIENT_PORTRAIT);
    double th = (double)(g.h - g.top - g.bottom) / 20.0;
    double total = 0;
    bool first = true;
    for (size_t i = sec->first; i <= sec->last && i < doc->nblocks; i++) {
        const gk_block *b = doc->blocks[i];
        if (b->type == GK_BLOCK_PAGE_BREAK)
            continue;
        if (b->type != GK_BLOCK_PARAGRAPH)
            return 0;
        gk_style_id sid = (unsigned)b->u.para.style < GK_STYLE_COUNT ? b->u.para.style
                                                                      : GK_STYLE_BODY;
        const gk_style *s = &doc->styles[sid];
        double line = s->line_pt > 0 ? s->line_pt : 1.5 * s->size_pt;
        double width = gk__docx_runs_em(&b->u.para.runs) * s->size_pt +
                       s->indent_chars * s->size_pt;
        double lines = width > 0 ? ceil(width / (tw - s->left_chars * s->size_pt)) : 1;
        total += lines * line + s->space_after_pt + (first ? 0 : s->space_before_pt);
        first = false;
    }
    if (first || total >= th)
        return 0;
    return gk__tw_pt((th - total) * 0.3);
}

static bool write_document(dx *d, gk_buf *out)
{
    gk__xw *x = &d->x;
    gk__xw_open(x);
    gk__xw_start(x, "w:document");
    gk__xw_attr(x, "xmlns:w", NS_W);
    gk__xw_attr(x, "xmlns:r", NS_R);
    gk__xw_attr(x, "xmlns:wp", NS_WP);
    gk__xw_attr(x, "xmlns:a", NS_A);
    gk__xw_attr(x, "xmlns:pic", NS_PIC);
    gk__xw_start(x, "w:body");
    for (size_t s = 0; s < d->nsects; s++) {
        const section *sec = &d->sects[s];
        bool last_sect = s + 1 == d->nsects;
        d->pending_break = false;
        d->sect_has_content = false;
        d->orient = sec->orient;
        d->title_space = sec->title ? title_space(d, sec) : 0;
        for (size_t i = sec->first; i <= sec->last && i < d->doc->nblocks; i++) {
            d->closing = (!last_sect && i == sec->last) ? sec : NULL;
            d->block = i;
            write_block(d, d->doc->blocks[i]);
            if (d->closing) {
                d->pending_break = false; /* the section break is one */
                tiny_paragraph(d, true);
            }
            d->closing = NULL;
        }
        if (last_sect) {
            if (d->pending_break)
                d->pending_break = false; /* a break at the very end: nothing follows */
            write_sectpr(d, sec);
        }
    }
    gk__xw_end(x); /* body */
    gk__xw_end(x); /* document */
    return gk__xw_finish(x, out);
}

static bool write_document_rels(const dx *d, gk_buf *out)
{
    gk__xw x;
    gk__xw_open(&x);
    gk__xw_start(&x, "Relationships");
    gk__xw_attr(&x, "xmlns", "http://schemas.openxmlformats.org/package/2006/relationships");
    struct { const char *id, *type, *target; } fixed[] = {
        {RID_STYLES, NS_R "/styles", "styles.xml"},
        {RID_SETTINGS, NS_R "/settings", "settings.xml"},
        {RID_FONTS, NS_R "/fontTable", "fontTable.xml"},
        {RID_FOOTER_DEFAULT, NS_R "/footer", "footer1.xml"},
        {RID_FOOTER_EVEN, NS_R "/footer", "footer2.xml"},
    };
    int nfixed = 3 + (d->footers ? (d->odd_even ? 2 : 1) : 0);
    for (int i = 0; i < nfixed; i++) {
        gk__xw_start(&x, "Relationship");
        gk__xw_attr(&x, "Id", fixed[i].id);
        gk__xw_attr(&x, "Type", fixed[i].type);
        gk__xw_attr(&x, "Target", fixed[i].target);
        gk__xw_end(&x);
    }
    for (size_t i = 0; i < d->nmedia; i++) {
        char id[24], target[40];
        snprintf(id, sizeof id, "rId%d", RID_FIRST_IMAGE + d->media[i].number - 1);
        snprintf(target, sizeof target, "media/image%d.png", d->media[i].number);
        gk__xw_start(&x, "Relationship");
        gk__xw_attr(&x, "Id", id);
        gk__xw_attr(&x, "Type", NS_R "/image");
        gk__xw_attr(&x, "Target", target);
        gk__xw_end(&x);
    }
    gk__xw_end(&x);
    return gk__xw_finish(&x, out);
}

/* ---------------- entry point ---------------- */

void gk_render_warm(void)
{
    gk_chart_warm(CHART_DPI);
}

enum {
    P_CT, P_RELS, P_CORE, P_APP, P_DOC, P_DOC_RELS, P_STYLES, P_SETTINGS,
    P_FONTS, P_FOOTER1, P_FOOTER2, P_FIXED
};

gk_status gk_render_docx(const gk_doc *doc, const gk_render_opts *opts,
                         gk_buf *out, gk_error *err)
{
    dx d = { .doc = doc, .opts = opts, .next_bookmark = 1, .next_docpr = 1 };
    gk_buf_init(&d.clean);
    gk_buf_init(&d.frag);
    d.footers = doc->page.page_numbers;
    d.odd_even = d.footers && doc->page.odd_even_footer;
    gk_page_map *own_map = NULL;
    plan_map(&d, &own_map);
    plan_sections(&d);

    gk_buf bufs[P_FIXED];
    for (int i = 0; i < P_FIXED; i++)
        gk_buf_init(&bufs[i]);
    int nfooters = d.footers ? (d.odd_even ? 2 : 1) : 0;
    d.xml_t0 = gk_timing_begin();
    bool ok = write_document(&d, &bufs[P_DOC]);
    ok = ok && write_document_rels(&d, &bufs[P_DOC_RELS]);
    ok = ok && gk__part_content_types(nfooters, d.nmedia > 0, &bufs[P_CT]);
    ok = ok && gk__part_root_rels(&bufs[P_RELS]);
    ok = ok && gk__part_core(doc, opts, &bufs[P_CORE]);
    ok = ok && gk__part_app(doc, &bufs[P_APP]);
    ok = ok && gk__part_styles(doc, &bufs[P_STYLES]);
    ok = ok && gk__part_settings(doc, d.odd_even, &bufs[P_SETTINGS]);
    ok = ok && gk__part_font_table(&bufs[P_FONTS]);
    if (ok && nfooters >= 1)
        ok = gk__part_footer(doc, d.odd_even ? 1 : 0, &bufs[P_FOOTER1]);
    if (ok && nfooters == 2)
        ok = gk__part_footer(doc, 2, &bufs[P_FOOTER2]);
    gk_timing_end(GK_TIMER_DOCX_XML, d.xml_t0);

    gk_status st = GK_OK;
    if (ok && d.chart_failed) {
        st = d.chart_err.status ? d.chart_err.status : GK_ERR_BACKEND;
        if (err)
            *err = d.chart_err;
    } else if (!ok) {
        gk__xw_discard(&d.x);
        st = gk_error_set(err, GK_ERR_BACKEND, NULL, 0, 0, NULL, "%s",
                          GK_TR("libxml2 写 DOCX 的 XML 失败",
                                "libxml2 failed to write the DOCX XML"));
    } else {
        static const char *const names[P_FIXED] = {
            "[Content_Types].xml", "_rels/.rels", "docProps/core.xml",
            "docProps/app.xml", "word/document.xml", "word/_rels/document.xml.rels",
            "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
            "word/footer1.xml", "word/footer2.xml",
        };
        size_t nparts = 0;
        gk__part *parts = gk_xcalloc(P_FIXED + d.nmedia, sizeof(gk__part));
        char (*media_names)[40] = gk_xcalloc(d.nmedia + 1, sizeof *media_names);
        for (int i = 0; i < P_FIXED; i++) {
            if ((i == P_FOOTER1 && nfooters < 1) || (i == P_FOOTER2 && nfooters < 2))
                continue;
            parts[nparts++] = (gk__part){ names[i], bufs[i].ptr, bufs[i].len, false };
        }
        for (size_t i = 0; i < d.nmedia; i++) {
            snprintf(media_names[i], 40, "word/media/image%d.png", d.media[i].number);
            parts[nparts++] = (gk__part){ media_names[i], d.media[i].png.ptr,
                                          d.media[i].png.len, true };
        }
        double t0 = gk_timing_begin();
        st = gk__docx_zip(parts, nparts, out, err);
        gk_timing_end(GK_TIMER_ZIP, t0);
        free(parts);
        free(media_names);
    }

    for (int i = 0; i < P_FIXED; i++)
        gk_buf_release(&bufs[i]);
    for (size_t i = 0; i < d.nmedia; i++)
        gk_buf_release(&d.media[i].png);
    free(d.media);
    free(d.sects);
    free(d.landscape);
    gk_page_map_free(own_map);
    gk_buf_release(&d.clean);
    gk_buf_release(&d.frag);
    return st;
}
