/*
 * gongkai — the format-neutral document tree.
 *
 * The template stage builds it; the text, PDF and DOCX renderers only read
 * it, so the formats can never disagree on a number or a sentence.  Like
 * cmark's AST, nothing in it is specific to one output format.
 *
 * Shape: a document holds a style sheet, page setup and a flat list of
 * blocks in reading order (title page blocks, TOC, headings, paragraphs,
 * tables, charts, page breaks).  Paragraph-like blocks hold runs of text.
 *
 * Ownership: every node, string and array lives in the document's arena
 * and is freed at once by gk_doc_free().  Strings are UTF-8.  Builders
 * (gk_doc_add_*) copy the strings they are given.
 */
#ifndef GONGKAI_DOC_H
#define GONGKAI_DOC_H

#include <stdbool.h>
#include <stdint.h>

#include "gongkai/money.h"
#include "gongkai/util.h"

/* ---------------- styles ---------------- */

/* Font roles of Chinese official documents; the font map (fonts/) turns a
 * role into a real font file for the PDF and a font name for the DOCX. */
typedef enum gk_font_role {
    GK_FONT_SONG = 0, /* 宋体 */
    GK_FONT_HEI,      /* 黑体 */
    GK_FONT_KAI,      /* 楷体 */
    GK_FONT_FANGSONG, /* 仿宋 */
    GK_FONT_XBS,      /* 小标宋 (titles); falls back to 宋体 or 黑体 */
    GK_FONT_ROLE_COUNT
} gk_font_role;

typedef enum gk_align {
    GK_ALIGN_JUSTIFY = 0,
    GK_ALIGN_LEFT,
    GK_ALIGN_CENTER,
    GK_ALIGN_RIGHT
} gk_align;

/* Named paragraph styles.  A style sheet gives each its values. */
typedef enum gk_style_id {
    GK_STYLE_BODY = 0,    /* 正文 */
    GK_STYLE_TITLE,       /* 封面/标题 */
    GK_STYLE_SUBTITLE,
    GK_STYLE_PART,        /* 第一部分 … */
    GK_STYLE_H1,          /* 一、 */
    GK_STYLE_H2,          /* （一） */
    GK_STYLE_H3,          /* 1. */
    GK_STYLE_H4,          /* （1） */
    GK_STYLE_TABLE_NUMBER,/* 公开01表 */
    GK_STYLE_TABLE_TITLE,
    GK_STYLE_TABLE_UNIT,  /* 单位：万元 */
    GK_STYLE_TABLE_HEADER,/* header cells */
    GK_STYLE_TABLE_TEXT,  /* body cells */
    GK_STYLE_TABLE_NOTE,  /* 注：… */
    GK_STYLE_CAPTION,     /* 图1：… */
    GK_STYLE_TOC_TITLE,
    GK_STYLE_TOC1,
    GK_STYLE_TOC2,
    GK_STYLE_FOOTER,      /* — 1 — */
    GK_STYLE_COUNT
} gk_style_id;

typedef struct gk_style {
    gk_font_role font;
    double size_pt;        /* 三号 = 16 */
    double line_pt;        /* line pitch in points; 0 = 1.5 × size */
    double indent_chars;   /* first-line indent in characters */
    double left_chars;     /* left indent of every line */
    double space_before_pt, space_after_pt;
    gk_align align;
    bool bold;
    bool keep_with_next;
} gk_style;

typedef struct gk_page_setup {
    double width_mm, height_mm;                   /* A4: 210 × 297 */
    double top_mm, bottom_mm, left_mm, right_mm;  /* GB/T 9704: 37 35 28 26 */
    bool page_numbers;        /* footer "— N —" */
    bool odd_even_footer;     /* odd right, even left (GB/T 9704) */
    double footer_mm;         /* distance of the footer line below the text block */
} gk_page_setup;

/* Default GB/T 9704 style sheet, used where the template's style sheet is
 * silent.  Fills styles[GK_STYLE_COUNT] and *page. */
void gk_style_defaults(gk_style *styles, gk_page_setup *page);
const char *gk_style_name(gk_style_id id);       /* "body", "h1", ... */
bool gk_style_from_name(const char *name, gk_style_id *id);
const char *gk_font_role_name(gk_font_role r);   /* "宋体", "黑体", ... */
bool gk_font_role_from_name(const char *name, gk_font_role *r);

/* ---------------- inline runs ---------------- */

enum {
    GK_RUN_BOLD = 1 << 0,
    GK_RUN_ITALIC = 1 << 1,
    GK_RUN_UNDERLINE = 1 << 2,
    GK_RUN_EMPHASIS = 1 << 3 /* <em>: bold in this product's style */
};

typedef struct gk_run {
    const char *text; /* UTF-8, never NULL */
    unsigned flags;   /* GK_RUN_* */
    int font;         /* -1 = the paragraph style's font, else gk_font_role */
} gk_run;

typedef struct gk_runs {
    gk_run *items;
    size_t len, cap;
} gk_runs;

/* ---------------- blocks ---------------- */

typedef enum gk_block_type {
    GK_BLOCK_PARAGRAPH,
    GK_BLOCK_HEADING,
    GK_BLOCK_TABLE,
    GK_BLOCK_CHART,
    GK_BLOCK_TOC,
    GK_BLOCK_PAGE_BREAK
} gk_block_type;

/* Where a block came from, so layout and back-end errors still point at
 * the input: template file and line. */
typedef struct gk_src {
    const char *file;
    int line;
} gk_src;

typedef struct gk_paragraph {
    gk_style_id style;
    int align;          /* -1 = the style's, else gk_align */
    gk_runs runs;
} gk_paragraph;

typedef struct gk_heading {
    int level;          /* 0 = part (第一部分), 1..4 = 一、（一）1.（1） */
    const char *number; /* "一、", "（一）", "1.", "（1）" or "" when unnumbered */
    gk_runs runs;       /* the heading text without its number */
    const char *plain;  /* number + text as plain UTF-8, for TOC and outline */
    const char *anchor; /* unique id "h12", for TOC links and bookmarks */
    bool in_toc;
} gk_heading;

typedef struct gk_cell {
    gk_runs runs;
    int colspan, rowspan;  /* >= 1 */
    int align;             /* -1 = the column's, else gk_align */
    int indent;            /* indent level (类 0, 款 1, 项 2) */
    bool bold;
    bool covered;          /* a grid slot covered by a span: renderers skip it */
} gk_cell;

typedef enum gk_row_kind {
    GK_ROW_HEADER = 0,  /* repeated on every page */
    GK_ROW_BODY,
    GK_ROW_TOTAL        /* 合计 / 总计 rows */
} gk_row_kind;

typedef struct gk_row {
    gk_row_kind kind;
    int level;          /* 科目 level of the row: 1 类, 2 款, 3 项, 0 other */
    gk_cell *cells;     /* exactly ncols cells: spans are marked `covered` */
} gk_row;

typedef struct gk_column {
    double width;       /* relative weight, or 0 = from content */
    gk_align align;
    bool numeric;       /* right-aligned figures */
} gk_column;

typedef enum gk_orient { GK_ORIENT_PORTRAIT = 0, GK_ORIENT_LANDSCAPE } gk_orient;

typedef struct gk_table {
    const char *number;  /* "公开01表" / "表一" / "" */
    const char *title;   /* "收入支出决算总表" */
    const char *caption_left;  /* "部门：区委办公室" or "" */
    const char *unit;    /* "单位：万元" or "" */
    gk_orient orient;
    int ncols;
    gk_column *cols;
    size_t nrows, header_rows; /* header rows come first */
    gk_row *rows;
    const char *note;    /* "注：本表…" or "" */
    const char *empty_note; /* printed when the table has no body rows */
    const char *anchor;  /* for TOC and bookmarks */
} gk_table;

typedef enum gk_chart_kind {
    GK_CHART_PIE = 0,
    GK_CHART_BAR,        /* one series, vertical bars */
    GK_CHART_GROUPED_BAR /* several series side by side */
} gk_chart_kind;

#define GK_CHART_MAX_SERIES 4
/* What a chart can draw; the template stage refuses more, at the <chart>,
 * so the PDF and the DOCX never disagree about a chart. */
#define GK_CHART_MAX_POINTS 200
#define GK_CHART_MAX_FEN 100000000000000000LL /* |value| ≤ 10^15 元 */

typedef struct gk_chart_point {
    const char *label;
    gk_fen values[GK_CHART_MAX_SERIES];
    const char *value_text[GK_CHART_MAX_SERIES]; /* as the text prints it */
} gk_chart_point;

typedef struct gk_chart {
    gk_chart_kind kind;
    int number;          /* 图N */
    const char *caption; /* "图1：收入决算结构" as printed */
    const char *title;   /* "收入决算结构" */
    gk_unit unit;
    int decimals;
    int nseries;
    const char *series[GK_CHART_MAX_SERIES];
    size_t npoints;
    gk_chart_point *points; /* zero points are already left out */
} gk_chart;

typedef struct gk_toc {
    const char *title;   /* "目录" */
    int max_level;       /* 0 = parts only, 1 = 一、 … */
    bool tables;         /* also list every numbered table (number + title,
                            e.g. "表一 部门收支总体情况表") where it stands in
                            reading order, at level 1 */
} gk_toc;

typedef struct gk_block {
    gk_block_type type;
    gk_src src;
    bool title_page;     /* part of the title page (before numbering starts) */
    union {
        gk_paragraph para;
        gk_heading heading;
        gk_table table;
        gk_chart chart;
        gk_toc toc;
    } u;
} gk_block;

typedef struct gk_doc_info {
    const char *title;      /* "2023年度北京市西城区委办公室部门决算" */
    const char *author;     /* department name */
    const char *subject;    /* "部门决算" */
    const char *date;       /* "2024-08-19" from the data, or NULL */
    const char *lang;       /* "zh-CN" */
} gk_doc_info;

typedef struct gk_doc {
    gk_arena arena;
    gk_doc_info info;
    gk_page_setup page;
    gk_style styles[GK_STYLE_COUNT];
    size_t nblocks, cap;
    gk_block **blocks;
    int nheadings, ntables, ncharts;
} gk_doc;

/* A new empty document with the default style sheet.  Caller frees with
 * gk_doc_free(), which releases every block and string. */
gk_doc *gk_doc_new(void);
void gk_doc_free(gk_doc *doc);

/* Builders.  Returned pointers are owned by the document. */
gk_block *gk_doc_add_block(gk_doc *doc, gk_block_type type, gk_src src);
gk_block *gk_doc_add_paragraph(gk_doc *doc, gk_style_id style, gk_src src);
gk_block *gk_doc_add_heading(gk_doc *doc, int level, const char *number,
                             gk_src src);
void gk_runs_add(gk_doc *doc, gk_runs *runs, const char *text, size_t len,
                 unsigned flags, int font);
/* Concatenated text of runs, owned by the document arena. */
const char *gk_runs_text(gk_doc *doc, const gk_runs *runs);
/* Allocate a table grid of nrows × ncols cells, all 1×1 with empty runs. */
void gk_table_alloc(gk_doc *doc, gk_table *t, int ncols, size_t nrows);
char *gk_doc_strdup(gk_doc *doc, const char *s);

/* Check the tree's invariants (spans inside the grid, covered slots
 * consistent, header rows first, levels in range); fills err on the
 * first problem.  Used by tests and after the template stage. */
gk_status gk_doc_check(const gk_doc *doc, gk_error *err);

/* The plain-text renderer: reading order, tables as aligned text (East
 * Asian wide characters count two columns).  Appends to out. */
void gk_render_text(const gk_doc *doc, gk_buf *out);

/* Display width of UTF-8 text in terminal columns (CJK = 2). */
size_t gk_text_width(const char *s);

#endif
