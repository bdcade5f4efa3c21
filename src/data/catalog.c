/* The 科目 catalog: names of 支出功能分类 and 支出经济分类 codes, read once
 * (pthread_once) from gk_share_dir()/templates/catalog/{function,economic}.tsv.
 * Each line is CODE<TAB>NAME; '#' starts a comment line.  A missing file
 * leaves that scheme empty: names then come only from the data. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_private.h"

typedef struct cat_ent {
    const char *code;
    const char *name;
} cat_ent;

typedef struct catalog {
    cat_ent *ents;
    size_t n;
} catalog;

static catalog cats[2];
static gk_arena cat_arena;
static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

static int ent_cmp(const void *a, const void *b)
{
    return strcmp(((const cat_ent *)a)->code, ((const cat_ent *)b)->code);
}

static void load_one(catalog *c, const char *fname)
{
    gk_buf path = GK_BUF_INIT;
    gk_buf_printf(&path, "%s/templates/catalog/%s", gk_share_dir(), fname);
    char *data = NULL;
    size_t len = 0;
    gk_error err;
    if (gk_read_file(path.ptr, 4u << 20, &data, &len, &err) != GK_OK) {
        gk_buf_release(&path);
        return;
    }
    gk_buf_release(&path);
    size_t cap = 0;
    char *s = data, *end = data + len;
    while (s < end) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *le = nl ? nl : end;
        char *line = s;
        s = nl ? nl + 1 : end;
        if (le > line && le[-1] == '\r')
            le--;
        if (le == line || *line == '#')
            continue;
        char *tab = memchr(line, '\t', (size_t)(le - line));
        if (!tab || tab == line)
            continue;
        if (c->n == cap) {
            cap = cap ? cap * 2 : 256;
            c->ents = gk_xrealloc(c->ents, cap * sizeof(*c->ents));
        }
        c->ents[c->n].code = gk_arena_strndup(&cat_arena, line, (size_t)(tab - line));
        c->ents[c->n].name = gk_arena_strndup(&cat_arena, tab + 1, (size_t)(le - tab - 1));
        c->n++;
    }
    free(data);
    qsort(c->ents, c->n, sizeof(*c->ents), ent_cmp);
}

static void load_catalogs(void)
{
    gk_arena_init(&cat_arena);
    load_one(&cats[GK_CODE_FUNCTION], "function.tsv");
    load_one(&cats[GK_CODE_ECONOMIC], "economic.tsv");
}

const char *gk_catalog_name(gk_code_scheme scheme, const char *code)
{
    if (!code || (scheme != GK_CODE_FUNCTION && scheme != GK_CODE_ECONOMIC))
        return NULL;
    pthread_once(&cat_once, load_catalogs);
    const catalog *c = &cats[scheme];
    cat_ent key = { .code = code, .name = NULL };
    const cat_ent *e = c->n ? bsearch(&key, c->ents, c->n, sizeof(*c->ents), ent_cmp) : NULL;
    return e ? e->name : NULL;
}

size_t gk__catalog_size(gk_code_scheme scheme)
{
    pthread_once(&cat_once, load_catalogs);
    return cats[scheme].n;
}

int gk_code_level(gk_code_scheme scheme, const char *code)
{
    if (!code)
        return 0;
    size_t n = strlen(code);
    for (size_t i = 0; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    if (n == 3)
        return 1;
    if (n == 5)
        return 2;
    if (n == 7 && scheme == GK_CODE_FUNCTION)
        return 3;
    return 0;
}
