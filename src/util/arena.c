/* gk_arena: bump allocator over chained blocks.  See util.h. */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai/util.h"

#define BLOCK_SIZE (64u * 1024u)
#define ALIGN alignof(max_align_t)

struct gk_arena_block {
    gk_arena_block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

void gk_arena_init(gk_arena *a)
{
    a->head = NULL;
    a->used_total = 0;
}

static gk_arena_block *block_new(size_t size)
{
    gk_arena_block *b = gk_xmalloc(sizeof(*b) + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

void *gk_arena_alloc(gk_arena *a, size_t n)
{
    if (n > SIZE_MAX - 2 * ALIGN)
        GK_BUG("arena request too large");
    n = (n + ALIGN - 1) & ~(ALIGN - 1);
    if (n == 0)
        n = ALIGN;
    gk_arena_block *b = a->head;
    if (n >= BLOCK_SIZE / 2) {
        /* A large request gets its own block, kept behind the current one
         * so the current block's free space is not wasted. */
        gk_arena_block *big = block_new(n);
        big->used = n;
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            a->head = big;
        }
        a->used_total += n;
        memset(big->data, 0, n);
        return big->data;
    }
    if (!b || b->size - b->used < n) {
        b = block_new(BLOCK_SIZE);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->used_total += n;
    memset(p, 0, n);
    return p;
}

char *gk_arena_strndup(gk_arena *a, const char *s, size_t n)
{
    char *p = gk_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *gk_arena_strdup(gk_arena *a, const char *s)
{
    return gk_arena_strndup(a, s, strlen(s));
}

char *gk_arena_printf(gk_arena *a, const char *fmt, ...)
{
    gk_buf b = GK_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    gk_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *p = gk_arena_strndup(a, b.ptr, b.len);
    gk_buf_release(&b);
    return p;
}

void gk_arena_release(gk_arena *a)
{
    gk_arena_block *b = a->head;
    while (b) {
        gk_arena_block *next = b->next;
        free(b);
        b = next;
    }
    gk_arena_init(a);
}

void gk_vec_push(gk_arena *a, gk_vec *v, void *item)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void **items = gk_arena_alloc(a, cap * sizeof(void *));
        if (v->len)
            memcpy(items, v->items, v->len * sizeof(void *));
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = item;
}
