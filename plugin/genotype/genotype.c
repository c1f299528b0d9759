#include <stdio.h>
#include <string.h>
#include "genotype.h"
#include "relnas_check.h"

const char *const relnas_primitive_names[RELNAS_PRIMITIVE_COUNT] = {
    "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3",
    "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5",
};
_Static_assert(sizeof(relnas_primitive_names) / sizeof(relnas_primitive_names[0]) ==
                   RELNAS_PRIMITIVE_COUNT,
               "one name per primitive");

int relnas_primitive_find(const char *name)
{
    for (int i = 0; i < RELNAS_PRIMITIVE_COUNT; ++i)
        if (strcmp(relnas_primitive_names[i], name) == 0) return i;
    return -1;
}

int relnas_dag_edge(int node, int state)
{
    RELNAS_ASSERT(node >= 0 && node < RELNAS_NODES && state >= 0 && state < 2 + node);
    return 2 * node + node * (node - 1) / 2 + state;
}

/* Appends with snprintf semantics, tracking the length needed. */
typedef struct text {
    char *buf;
    size_t len, cap;
} text;

static void put(text *t, const char *s)
{
    if (t->len < t->cap) snprintf(t->buf + t->len, t->cap - t->len, "%s", s);
    t->len += strlen(s);
}

static void put_cell(text *t, const char *name, const relnas_cell_genotype *c)
{
    char item[64];
    put(t, name);
    put(t, "=[");
    for (int e = 0; e < RELNAS_EDGES; ++e) {
        snprintf(item, sizeof(item), "%s('%s', %d)", e ? ", " : "", relnas_primitive_names[c->edges[e].op],
                 c->edges[e].input);
        put(t, item);
    }
    put(t, "], ");
    put(t, name);
    if (c->concat_is_range) {
        snprintf(item, sizeof(item), "_concat=range(%d, %d)", c->concat[0], c->concat[c->nconcat - 1] + 1);
        put(t, item);
        return;
    }
    put(t, "_concat=[");
    for (int i = 0; i < c->nconcat; ++i) {
        snprintf(item, sizeof(item), "%s%d", i ? ", " : "", c->concat[i]);
        put(t, item);
    }
    put(t, "]");
}

size_t relnas_genotype_format(char *buf, size_t buflen, const relnas_genotype *g)
{
    text t = {buf, 0, buflen};
    if (buflen) buf[0] = '\0';
    put(&t, "Genotype(");
    put_cell(&t, "normal", &g->normal);
    put(&t, ", ");
    put_cell(&t, "reduce", &g->reduce);
    put(&t, ")");
    return t.len;
}

static int cells_equal(const relnas_cell_genotype *a, const relnas_cell_genotype *b)
{
    if (a->nconcat != b->nconcat || a->concat_is_range != b->concat_is_range) return 0;
    for (int e = 0; e < RELNAS_EDGES; ++e)
        if (a->edges[e].op != b->edges[e].op || a->edges[e].input != b->edges[e].input) return 0;
    for (int i = 0; i < a->nconcat; ++i)
        if (a->concat[i] != b->concat[i]) return 0;
    return 1;
}

int relnas_genotype_equal(const relnas_genotype *a, const relnas_genotype *b)
{
    return cells_equal(&a->normal, &b->normal) && cells_equal(&a->reduce, &b->reduce);
}
