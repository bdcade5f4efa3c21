/* DOCX: a thin layer over libxml2's xmlTextWriter.  See docx.h. */
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "docx/docx.h"

#define W(x) ((xmlTextWriterPtr)(x)->w)

void gk__xw_open(gk__xw *x)
{
    x->failed = false;
    gk_buf_init(&x->tmp);
    x->buf = xmlBufferCreateSize(16384);
    x->w = x->buf ? xmlNewTextWriterMemory((xmlBufferPtr)x->buf, 0) : NULL;
    if (!x->w || xmlTextWriterStartDocument(W(x), "1.0", "UTF-8", "yes") < 0)
        x->failed = true;
}

void gk__xw_discard(gk__xw *x)
{
    if (x->w)
        xmlFreeTextWriter(W(x));
    if (x->buf)
        xmlBufferFree((xmlBufferPtr)x->buf);
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
        xmlBufferPtr b = (xmlBufferPtr)x->buf;
        gk_buf_put(out, xmlBufferContent(b), (size_t)xmlBufferLength(b));
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

void gk__xw_attr(gk__xw *x, const char *name, const char *value)
{
    if (x->failed)
        return;
    const char *v = gk__xml_clean(value ? value : "", &x->tmp);
    if (xmlTextWriterWriteAttribute(W(x), BAD_CAST name, BAD_CAST v) < 0)
        x->failed = true;
}

void gk__xw_attri(gk__xw *x, const char *name, long long value)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", value);
    if (!x->failed &&
        xmlTextWriterWriteAttribute(W(x), BAD_CAST name, BAD_CAST num) < 0)
        x->failed = true;
}

void gk__xw_text(gk__xw *x, const char *s, size_t len)
{
    if (x->failed || len == 0)
        return;
    /* xmlTextWriterWriteString needs a NUL-terminated string. */
    gk_buf_clear(&x->tmp);
    gk_buf_put(&x->tmp, s, len);
    if (xmlTextWriterWriteString(W(x), BAD_CAST x->tmp.ptr) < 0)
        x->failed = true;
}

void gk__xw_empty(gk__xw *x, const char *name)
{
    gk__xw_start(x, name);
    gk__xw_end(x);
}

void gk__xw_val(gk__xw *x, const char *name, const char *val)
{
    gk__xw_start(x, name);
    gk__xw_attr(x, "w:val", val);
    gk__xw_end(x);
}

void gk__xw_vali(gk__xw *x, const char *name, long long val)
{
    gk__xw_start(x, name);
    gk__xw_attri(x, "w:val", val);
    gk__xw_end(x);
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
