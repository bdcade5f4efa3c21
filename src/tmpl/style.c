/* Style sheets (style.xml): page setup and named paragraph styles with
 * 号 font sizes.  See README.md ("Writing a template") ("Style sheet"). */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "tmpl/internal.h"

#define GK_STYLE_NS "urn:gongkai:style:1"

static const struct { const char *name; double pt; } hao[] = {
    {"初号", 42}, {"小初", 36}, {"一号", 26}, {"小一", 24}, {"二号", 22},
    {"小二", 18}, {"三号", 16}, {"小三", 15}, {"四号", 14}, {"小四", 12},
    {"五号", 10.5}, {"小五", 9}, {"六号", 7.5}, {"小六", 6.5}, {"七号", 5.5},
    {"八号", 5},
};

/* A plain non-negative decimal number followed by `suffix` (or nothing
 * when suffix_optional). */
static bool number_with(const char *s, const char *suffix, bool suffix_optional,
                        double *out)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return false;
    double v = strtod(s, &end);
    if (end == s || v < 0 || v > 10000)
        return false;
    if (*end == '\0' && suffix_optional) {
        *out = v;
        return true;
    }
    if (strcmp(end, suffix) != 0)
        return false;
    *out = v;
    return true;
}

bool gk__font_size(const char *s, double *pt)
{
    for (size_t i = 0; i < sizeof hao / sizeof hao[0]; i++)
        if (strcmp(s, hao[i].name) == 0) {
            *pt = hao[i].pt;
            return true;
        }
    double v;
    if (number_with(s, "pt", true, &v) && v >= 1 && v <= 200) {
        *pt = v;
        return true;
    }
    return false;
}

bool gk__length_mm(const char *s, double *mm)
{
    double v;
    if (number_with(s, "mm", true, &v)) { *mm = v; return true; }
    if (number_with(s, "cm", false, &v)) { *mm = v * 10; return true; }
    if (number_with(s, "pt", false, &v)) { *mm = v * 25.4 / 72; return true; }
    if (number_with(s, "in", false, &v)) { *mm = v * 25.4; return true; }
    return false;
}

bool gk__length_pt(const char *s, double *pt)
{
    double v;
    if (number_with(s, "pt", true, &v)) { *pt = v; return true; }
    if (number_with(s, "mm", false, &v)) { *pt = v * 72 / 25.4; return true; }
    if (number_with(s, "cm", false, &v)) { *pt = v * 720 / 25.4; return true; }
    return false;
}

static bool yes_no(const char *s, bool *out)
{
    if (strcmp(s, "yes") == 0 || strcmp(s, "true") == 0) { *out = true; return true; }
    if (strcmp(s, "no") == 0 || strcmp(s, "false") == 0) { *out = false; return true; }
    return false;
}

static bool parse_align(const char *s, gk_align *a)
{
    static const char *const names[] = {"justify", "left", "center", "right"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *a = (gk_align)i;
            return true;
        }
    return false;
}

static gk_status bad(gk_error *err, const char *file, xmlNodePtr x, const char *attr,
                     const char *val)
{
    long line = xmlGetLineNo(x);
    return gk_error_set(err, GK_ERR_TEMPLATE, file, line > 0 ? (int)line : 0, 0, NULL,
                        GK_TR("<%s> 的属性 %s=\"%s\" 无效", "<%s>: invalid %s=\"%s\""),
                        (const char *)x->name, attr, val);
}

static gk_status page_attr(gk_page_setup *pg, const char *file, xmlNodePtr x,
                           const char *name, const char *v, gk_error *err)
{
    static const struct { const char *n; double w, h; } sizes[] = {
        {"A4", 210, 297}, {"A3", 297, 420}, {"A5", 148, 210}, {"B5", 176, 250},
        {"16K", 185, 260}, {"Letter", 215.9, 279.4},
    };
    if (strcmp(name, "size") == 0) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            if (strcmp(v, sizes[i].n) == 0) {
                pg->width_mm = sizes[i].w;
                pg->height_mm = sizes[i].h;
                return GK_OK;
            }
        return bad(err, file, x, name, v);
    }
    double *mm = strcmp(name, "top") == 0      ? &pg->top_mm
                 : strcmp(name, "bottom") == 0 ? &pg->bottom_mm
                 : strcmp(name, "left") == 0   ? &pg->left_mm
                 : strcmp(name, "right") == 0  ? &pg->right_mm
                 : strcmp(name, "footer") == 0 ? &pg->footer_mm
                 : strcmp(name, "width") == 0  ? &pg->width_mm
                 : strcmp(name, "height") == 0 ? &pg->height_mm
                                               : NULL;
    if (mm)
        return gk__length_mm(v, mm) && *mm < 2000 ? GK_OK : bad(err, file, x, name, v);
    bool *flag = strcmp(name, "page-numbers") == 0 ? &pg->page_numbers
                 : strcmp(name, "odd-even") == 0   ? &pg->odd_even_footer
                                                   : NULL;
    if (flag)
        return yes_no(v, flag) ? GK_OK : bad(err, file, x, name, v);
    long line = xmlGetLineNo(x);
    return gk_error_set(err, GK_ERR_TEMPLATE, file, line > 0 ? (int)line : 0, 0, NULL,
                        GK_TR("<page> 没有属性“%s”", "<page> has no attribute '%s'"), name);
}

/* The page must leave a text block: libharu refuses pages under 3 pt,
 * and margins that meet leave no room for a line (tests/e2e: style). */
static gk_status check_page(const gk_page_setup *pg, const char *file, xmlNodePtr x,
                            gk_error *err)
{
    double w = pg->width_mm - pg->left_mm - pg->right_mm;
    double h = pg->height_mm - pg->top_mm - pg->bottom_mm;
    if (pg->width_mm >= 50 && pg->height_mm >= 50 && pg->left_mm >= 0 && pg->right_mm >= 0 &&
        pg->top_mm >= 0 && pg->bottom_mm >= 0 && w >= 20 && h >= 20)
        return GK_OK;
    long line = xmlGetLineNo(x);
    return gk_error_set(err, GK_ERR_TEMPLATE, file, line > 0 ? (int)line : 0, 0, NULL,
                        GK_TR("<page> 的页面 %.0f×%.0f 毫米、边距 上%.0f 下%.0f 左%.0f 右%.0f 毫米，"
                              "留给正文的版心为 %.0f×%.0f 毫米：页面至少 50×50 毫米，边距不能为负，版心至少 20×20 毫米",
                              "<page>: a %.0fx%.0f mm page with margins top %.0f bottom %.0f left %.0f right %.0f mm "
                              "leaves a %.0fx%.0f mm text block: the page must be at least 50x50 mm, margins not "
                              "negative, the text block at least 20x20 mm"),
                        pg->width_mm, pg->height_mm, pg->top_mm, pg->bottom_mm, pg->left_mm,
                        pg->right_mm, w, h);
}

static gk_status style_attr(gk_style *s, const char *file, xmlNodePtr x,
                            const char *name, const char *v, gk_error *err)
{
    bool ok;
    if (strcmp(name, "name") == 0)
        return GK_OK;
    if (strcmp(name, "font") == 0) {
        ok = gk_font_role_from_name(v, &s->font);
    } else if (strcmp(name, "size") == 0) {
        ok = gk__font_size(v, &s->size_pt);
    } else if (strcmp(name, "line") == 0) {
        ok = gk__length_pt(v, &s->line_pt);
    } else if (strcmp(name, "indent") == 0) {
        ok = number_with(v, "", true, &s->indent_chars);
    } else if (strcmp(name, "left") == 0) {
        ok = number_with(v, "", true, &s->left_chars);
    } else if (strcmp(name, "before") == 0) {
        ok = gk__length_pt(v, &s->space_before_pt);
    } else if (strcmp(name, "after") == 0) {
        ok = gk__length_pt(v, &s->space_after_pt);
    } else if (strcmp(name, "align") == 0) {
        ok = parse_align(v, &s->align);
    } else if (strcmp(name, "bold") == 0) {
        ok = yes_no(v, &s->bold);
    } else if (strcmp(name, "keep-with-next") == 0) {
        ok = yes_no(v, &s->keep_with_next);
    } else {
        long line = xmlGetLineNo(x);
        return gk_error_set(err, GK_ERR_TEMPLATE, file, line > 0 ? (int)line : 0, 0, NULL,
                            GK_TR("<style> 没有属性“%s”", "<style> has no attribute '%s'"),
                            name);
    }
    return ok ? GK_OK : bad(err, file, x, name, v);
}

gk_status gk__style_load(const char *path, const char *root_dir, gk_style *styles,
                         gk_page_setup *page, gk_error *err)
{
    (void)root_dir;
    xmlDocPtr doc = gk__xml_read(path, err);
    if (!doc)
        return err ? err->status : GK_ERR_TEMPLATE;
    gk_status st = GK_OK;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "styles") != 0 || !root->ns ||
        strcmp((const char *)root->ns->href, GK_STYLE_NS) != 0) {
        long line = root ? xmlGetLineNo(root) : 0;
        st = gk_error_set(err, GK_ERR_TEMPLATE, path, line > 0 ? (int)line : 0, 0, NULL,
                          GK_TR("样式表的根元素应为 <styles xmlns=\"%s\">",
                                "the root of a style sheet must be <styles xmlns=\"%s\">"),
                          GK_STYLE_NS);
    }
    if (!st)
        st = gk__xml_validate(doc, path, "gongkai-style.rng", err);
    for (xmlNodePtr x = root ? root->children : NULL; x && !st; x = x->next) {
        if (x->type != XML_ELEMENT_NODE)
            continue;
        long line = xmlGetLineNo(x);
        gk_style *target = NULL;
        bool is_page = strcmp((const char *)x->name, "page") == 0;
        if (!is_page) {
            if (strcmp((const char *)x->name, "style") != 0) {
                st = gk_error_set(err, GK_ERR_TEMPLATE, path, (int)line, 0, NULL,
                                  GK_TR("样式表中的未知元素 <%s>", "unknown element <%s> in a style sheet"),
                                  (const char *)x->name);
                break;
            }
            xmlChar *nm = xmlGetProp(x, (const xmlChar *)"name");
            gk_style_id id;
            if (!nm || !gk_style_from_name((const char *)nm, &id)) {
                st = gk_error_set(err, GK_ERR_TEMPLATE, path, (int)line, 0, NULL,
                                  GK_TR("未知样式名“%s”", "unknown style name '%s'"),
                                  nm ? (const char *)nm : "");
                xmlFree(nm);
                break;
            }
            xmlFree(nm);
            target = &styles[id];
        }
        for (xmlAttrPtr at = x->properties; at && !st; at = at->next) {
            xmlChar *v = xmlNodeListGetString(doc, at->children, 1);
            const char *vs = v ? (const char *)v : "";
            st = is_page ? page_attr(page, path, x, (const char *)at->name, vs, err)
                         : style_attr(target, path, x, (const char *)at->name, vs, err);
            xmlFree(v);
        }
        if (!st && is_page)
            st = check_page(page, path, x, err);
    }
    xmlFreeDoc(doc);
    return st;
}
