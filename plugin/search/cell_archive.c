#include <stdlib.h>
#include <string.h>
#include "cell_archive.h"
#include "genotype.h"
#include "genotype_parse.h"
#include "relnas_check.h"

static void grow(relnas_cell_archive *a)
{
    a->capacity = a->capacity ? 2 * a->capacity : 16;
    a->x = RELNAS_REALLOC(a->x, (size_t)a->capacity, sizeof(*a->x));
    a->born = RELNAS_REALLOC(a->born, (size_t)a->capacity, sizeof(*a->born));
    a->cells = RELNAS_REALLOC(a->cells, (size_t)a->capacity, sizeof(*a->cells));
}

void relnas_cell_archive_free(relnas_cell_archive *a)
{
    free(a->x), free(a->born), free(a->cells);
    memset(a, 0, sizeof(*a));
}

static int find_genotype(const relnas_cell_archive *a, const relnas_genotype *g)
{
    for (int i = 0; i < a->count; ++i)
        if (relnas_genotype_equal(g, &a->cells[i])) return i;
    return -1;
}

int relnas_cell_archive_find(const relnas_cell_archive *a, const double *x)
{
    relnas_genotype g;
    char err[256];
    if (relnas_genotype_from_vector(x, &g, err, sizeof(err))) return -1;
    return find_genotype(a, &g);
}

int relnas_cell_archive_add(relnas_cell_archive *a, const double *x, int born)
{
    relnas_genotype g;
    char err[256];
    if (relnas_genotype_from_vector(x, &g, err, sizeof(err))) return -1;
    int at = find_genotype(a, &g);
    if (at >= 0) return at;
    if (a->count == a->capacity) grow(a);
    memcpy(a->x[a->count], x, sizeof(*a->x));
    a->cells[a->count] = g;
    a->born[a->count] = born;
    return a->count++;
}

void relnas_cell_archive_add_population(relnas_cell_archive *a, const relnas_population *pop, int born)
{
    for (int i = 0; i < pop->size; ++i) relnas_cell_archive_add(a, pop->x[i], born);
}
