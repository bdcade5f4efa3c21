/*
 * gongkai layout — the page map (render.h): the printed page number of
 * every heading and table in the PDF layout, for the DOCX's TOC, and
 * every table's column widths and orientation, for the DOCX's grid.
 *
 * A map holds the per-block page numbers and the anchors sorted by name
 * for bsearch; the anchors are copied into its arena, so the map refers
 * neither to the document nor to the layout it came from.  Building one
 * from a finished layout is a copy of its dests (microseconds).
 */
#include <stdlib.h>
#include <string.h>

#include "gongkai/render.h"
#include "layout/layout.h"

typedef struct anchor_page {
    const char *anchor;
    int page;
} anchor_page;

struct gk_page_map {
    size_t nblocks;
    int *block_page;        /* [nblocks]: printed page, 0 = none, -1 = no dest */
    size_t nanchors;
    anchor_page *anchors;   /* sorted by strcmp */
    size_t npages;
    double toc_scale;
    int *table_ncols;       /* [nblocks]: the layout's columns, 0 = no table */
    const double **table_w; /* [nblocks]: their widths in points (arena) */
    bool *table_land;       /* [nblocks]: on a landscape page */
    gk_arena arena;         /* anchor strings, column widths */
};

static int cmp_anchor(const void *a, const void *b)
{
    const anchor_page *x = a, *y = b;
    int c = strcmp(x->anchor, y->anchor);
    if (c)
        return c;
    return (x->page > y->page) - (x->page < y->page);
}

gk_page_map *gk__page_map_of(const gk_doc *doc, const gk__layout *L)
{
    gk_page_map *m = gk_xcalloc(1, sizeof *m);
    gk_arena_init(&m->arena);
    m->nblocks = doc->nblocks;
    m->npages = L->npages;
    m->toc_scale = L->toc_scale > 0 ? L->toc_scale : 1;
    m->block_page = gk_xcalloc(doc->nblocks + 1, sizeof(int));
    for (size_t i = 0; i < doc->nblocks; i++)
        m->block_page[i] = -1;
    m->table_ncols = gk_xcalloc(doc->nblocks + 1, sizeof(int));
    m->table_w = gk_xcalloc(doc->nblocks + 1, sizeof(double *));
    m->table_land = gk_xcalloc(doc->nblocks + 1, sizeof(bool));
    m->anchors = gk_xcalloc(L->ndests + 1, sizeof(anchor_page));
    for (size_t d = 0; d < L->ndests; d++) {
        const gk__dest *dest = &L->dests[d];
        if (dest->ncols > 0 && dest->colw && dest->block < doc->nblocks) {
            size_t n = (size_t)dest->ncols;
            double *w = GK_ARENA_ARRAY(&m->arena, double, n);
            memcpy(w, dest->colw, n * sizeof(double));
            m->table_ncols[dest->block] = dest->ncols;
            m->table_w[dest->block] = w;
            m->table_land[dest->block] = dest->landscape;
        }
        if (dest->page < 0 || (size_t)dest->page >= L->npages)
            continue;
        int page = L->pages[dest->page].number;
        if (dest->block < doc->nblocks)
            m->block_page[dest->block] = page;
        if (dest->anchor && *dest->anchor)
            m->anchors[m->nanchors++] =
                (anchor_page){ gk_arena_strdup(&m->arena, dest->anchor), page };
    }
    /* Sorted by name, then page: the first of equal anchors (a document
     * should have none) is the same on every run. */
    qsort(m->anchors, m->nanchors, sizeof(anchor_page), cmp_anchor);
    return m;
}

gk_status gk_page_map_build(const gk_doc *doc, gk_diags *warnings,
                            gk_page_map **out, gk_error *err)
{
    *out = NULL;
    gk_diags dropped = GK_DIAGS_INIT;
    gk__fonts fonts;
    gk_status st = gk__fonts_init(&fonts, gk__layout_roles(doc),
                                  warnings ? warnings : &dropped, err);
    if (!st) {
        gk__layout L;
        st = gk__layout_doc(doc, &fonts, &L, err);
        if (!st)
            *out = gk__page_map_of(doc, &L);
        gk__layout_release(&L);
    }
    gk__fonts_release(&fonts);
    gk_diags_release(&dropped);
    return st;
}

int gk_page_map_block(const gk_page_map *map, size_t index)
{
    if (!map || index >= map->nblocks)
        return -1;
    return map->block_page[index];
}

int gk_page_map_anchor(const gk_page_map *map, const char *anchor)
{
    if (!map || !anchor || !map->nanchors)
        return -1;
    size_t lo = 0, hi = map->nanchors;
    while (lo < hi) { /* first entry not below `anchor` */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(map->anchors[mid].anchor, anchor) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < map->nanchors && strcmp(map->anchors[lo].anchor, anchor) == 0)
        return map->anchors[lo].page;
    return -1;
}

size_t gk_page_map_pages(const gk_page_map *map)
{
    return map ? map->npages : 0;
}

double gk_page_map_toc_scale(const gk_page_map *map)
{
    return map ? map->toc_scale : 1;
}

bool gk_page_map_table(const gk_page_map *map, size_t index, int *ncols,
                       const double **widths_pt, bool *landscape)
{
    if (!map || index >= map->nblocks || map->table_ncols[index] <= 0)
        return false;
    if (ncols)
        *ncols = map->table_ncols[index];
    if (widths_pt)
        *widths_pt = map->table_w[index];
    if (landscape)
        *landscape = map->table_land[index];
    return true;
}

void gk_page_map_free(gk_page_map *map)
{
    if (!map)
        return;
    free(map->block_page);
    free(map->table_ncols);
    free(map->table_w);
    free(map->table_land);
    free(map->anchors);
    gk_arena_release(&map->arena);
    free(map);
}
