/* DOCX: a thin layer over libxml2's xmlTextWriter.  See docx.h.
 *
 * The writer's output goes through an xmlOutputBuffer whose write
 * callback appends to a gk_buf (amortised doubling): libxml2's memory
 * writer grew its xmlBuffer by the few kilobytes of each flush, moving
 * the whole part every time (quadratic on a large table).  Attribute
 * values that are plain ASCII skip the cleaning copy, and numbers are
 * formatted without printf. */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "docx/docx.h"

#define W(x) ((xmlTextWriterPtr)(x)->w)

static int out_write(void *ctx, const char *data, int len)
{
    gk_buf_put(ctx, data, (size_t)len);
    return len;
}

void gk__xw_open(gk__xw *x)
{
    x->failed = false;
    gk_buf_init(&x->tmp);
    gk_buf *b = gk_xmalloc(sizeof *b);
    gk_buf_init(b);
    x->buf = b;
    xmlOutputBufferPtr out = xmlOutputBufferCreateIO(out_write, NULL, b, NULL);
    x->w = out ? xmlNewTextWriter(out) : NULL; /* owns out from here */
    if (!x->w && out)
        xmlOutputBufferClose(out);
    if (!x->w || xmlTextWriterStartDocument(W(x), "1.0", "UTF-8", "yes") < 0)
        x->failed = true;
}

void gk__xw_discard(gk__xw *x)
{
    if (x->w)
        xmlFreeTextWriter(W(x));
    if (x->buf) {
        gk_buf_release(x->buf);
        free(x->buf);
    }
    x->w = x->buf = NULL;
    gk_buf_release(&x->tmp);
}

bool gk__xw_finish(gk__xw *x, gk_buf *out)
{
    if (!x->failed && x->w && xmlTextWriterEndDocument(W(x)) < 0)
        x->failed = true;
    if (x->w) {
        xmlFreeTextWriter(W(x)); /* flushes into the buffer */
        x->w = NULL;
    }
    bool ok = !x->failed && x->buf;
    if (ok) {
        gk_buf *b = x->buf;
        if (out->len == 0) { /* hand the bytes over */
            gk_buf_release(out);
            *out = *b;
            gk_buf_init(b);
        } else {
            gk_buf_put(out, b->ptr, b->len);
        }
    }
    gk__xw_discard(x);
    return ok;
}

void gk__xw_start(gk__xw *x, const char *name)
{
    if (!x->failed && xmlTextWriterStartElement(W(x), BAD_CAST name) < 0)
        x->failed = true;
}

void gk__xw_end(gk__xw *x)
{
    if (!x->failed && xmlTextWriterEndElement(W(x)) < 0)
        x->failed = true;
}

/* Printable ASCII only: nothing for gk__xml_clean to remove. */
static bool plain_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F)
            return false;
    return true;
}

void gk__xw_attr(gk__xw *x, const char *name, const char *value)
{
    if (x->failed)
        return;
    const char *v = value ? value : "";
    if (!plain_ascii(v))
        v = gk__xml_clean(v, &x->tmp);
    if (xmlTextWriterWriteAttribute(W(x), BAD_CAST name, BAD_CAST v) < 0)
        x->failed = true;
}

/* Decimal digits of v into the end of buf[32]; returns the start. */
char *gk__xw_fmt(char buf[32], long long v)
{
    char *p = buf + 31;
    *p = '\0';
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return p;
}

void gk__xw_attri(gk__xw *x, const char *name, long long value)
{
    char num[32];
    if (!x->failed &&
        xmlTextWriterWriteAttribute(W(x), BAD_CAST name, BAD_CAST gk__xw_fmt(num, value)) < 0)
        x->failed = true;
}

void gk__xw_text(gk__xw *x, const char *s, size_t len)
{
    if (x->failed || len == 0)
        return;
    /* xmlTextWriterWriteString needs a NUL-terminated string: copy only
     * when s is a piece of a longer one. */
    const char *z = s;
    if (s[len] != '\0') {
        gk_buf_clear(&x->tmp);
        gk_buf_put(&x->tmp, s, len);
        z = x->tmp.ptr;
    }
    if (xmlTextWriterWriteString(W(x), BAD_CAST z) < 0)
        x->failed = true;
}

/* Whether xmlTextWriter would write s exactly as it is, inside an
 * attribute value or as a name: printable ASCII without < > & ". */
static bool verbatim(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '&' || c == '"')
            return false;
    }
    return true;
}

/* An empty element <name/> or <name w:val="val"/>, the most frequent
 * elements of document.xml (run and cell properties), handed to the
 * writer as one pre-escaped fragment (xmlTextWriterWriteRaw) instead of
 * a start, an attribute and an end, each of which costs the writer
 * allocations and several buffer writes.  The writer still closes an
 * open start tag before the fragment and keeps its element stack, and
 * the bytes are exactly those its own calls would write: the fragment
 * is used only when name and value need no escaping (verbatim), else
 * the element goes through the ordinary calls. */
static void leaf(gk__xw *x, const char *name, const char *val)
{
    if (x->failed)
        return;
    char frag[160];
    size_t nl = strlen(name), vl = val ? strlen(val) : 0;
    if (nl + vl + 16 <= sizeof frag && verbatim(name) && (!val || verbatim(val))) {
        char *p = frag;
        *p++ = '<';
        memcpy(p, name, nl);
        p += nl;
        if (val) {
            memcpy(p, " w:val=\"", 8);
            p += 8;
            memcpy(p, val, vl);
            p += vl;
            *p++ = '"';
        }
        *p++ = '/';
        *p++ = '>';
        if (xmlTextWriterWriteRawLen(W(x), BAD_CAST frag, (int)(p - frag)) < 0)
            x->failed = true;
        return;
    }
    gk__xw_start(x, name);
    if (val)
        gk__xw_attr(x, "w:val", val);
    gk__xw_end(x);
}

void gk__xw_raw(gk__xw *x, const char *xml, size_t len)
{
    if (!x->failed && len && xmlTextWriterWriteRawLen(W(x), BAD_CAST xml, (int)len) < 0)
        x->failed = true;
}

void gk__xw_empty(gk__xw *x, const char *name)
{
    leaf(x, name, NULL);
}

void gk__xw_val(gk__xw *x, const char *name, const char *val)
{
    leaf(x, name, val ? val : "");
}

void gk__xw_vali(gk__xw *x, const char *name, long long val)
{
    char num[32];
    leaf(x, name, gk__xw_fmt(num, val));
}

void gk__xw_elem_text(gk__xw *x, const char *name, const char *text)
{
    gk__xw_start(x, name);
    if (text && *text) {
        gk_buf clean = GK_BUF_INIT;
        gk__xml_clean(text, &clean);
        gk__xw_text(x, clean.ptr, clean.len);
        gk_buf_release(&clean);
    }
    gk__xw_end(x);
}

const char *gk__xml_clean(const char *s, gk_buf *out)
{
    gk_buf_clear(out);
    size_t n = strlen(s);
    /* Fast path: nothing to remove. */
    size_t bad;
    bool plain = gk_utf8_valid(s, n, &bad);
    for (size_t i = 0; plain && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n') ||
            (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
             ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)))
            plain = false;
    }
    if (plain) {
        gk_buf_put(out, s, n);
        return out->ptr;
    }
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        int32_t cp = gk_utf8_next(s, n, &i);
        if (i == start)
            i++; /* never stall on a bad byte */
        if (cp < 0)
            continue;
        if (cp < 0x20 && cp != '\t' && cp != '\n')
            continue;
        if (cp == 0xFFFE || cp == 0xFFFF)
            continue;
        gk_buf_put(out, s + start, i - start);
    }
    return out->ptr;
}
