#include <stdio.h>
#include <string.h>
#include "genotype.h"
#include "relnas_check.h"

const relnas_op relnas_ops[RELNAS_PRIMITIVE_COUNT] = {
    [RELNAS_MAX_POOL_3X3] = {.name = "max_pool_3x3", .section = "[max_pool]", .size = 3, .dilation = 1},
    [RELNAS_AVG_POOL_3X3] = {.name = "avg_pool_3x3", .section = "[avg_pool]", .size = 3, .dilation = 1},
    [RELNAS_SKIP_CONNECT] = {.name = "skip_connect", .section = NULL, .size = 1, .dilation = 1, .filters = 1},
    [RELNAS_SEP_CONV_3X3] = {.name = "sep_conv_3x3", .section = "[sep_conv]", .size = 3, .dilation = 1, .filters = 1},
    [RELNAS_SEP_CONV_5X5] = {.name = "sep_conv_5x5", .section = "[sep_conv]", .size = 5, .dilation = 1, .filters = 1},
    [RELNAS_DIL_CONV_3X3] = {.name = "dil_conv_3x3", .section = "[dil_conv]", .size = 3, .dilation = 2, .filters = 1},
    [RELNAS_DIL_CONV_5X5] = {.name = "dil_conv_5x5", .section = "[dil_conv]", .size = 5, .dilation = 2, .filters = 1},
};
_Static_assert(sizeof(relnas_ops) / sizeof(relnas_ops[0]) == RELNAS_PRIMITIVE_COUNT, "one row per primitive");

int relnas_primitive_find(const char *name)
{
    for (int i = 0; i < RELNAS_PRIMITIVE_COUNT; ++i)
        if (strcmp(relnas_ops[i].name, name) == 0) return i;
    return -1;
}

void relnas_primitive_list(char *buf, size_t buflen)
{
    size_t len = 0;
    if (buflen) buf[0] = '\0';
    for (int i = 0; i < RELNAS_PRIMITIVE_COUNT && len < buflen; ++i)
        len += (size_t)snprintf(buf + len, buflen - len, "%s%s", i ? ", " : "", relnas_ops[i].name);
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
        snprintf(item, sizeof(item), "%s('%s', %d)", e ? ", " : "", relnas_ops[c->edges[e].op].name,
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
