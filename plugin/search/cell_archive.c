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
}

void relnas_cell_archive_free(relnas_cell_archive *a)
{
    free(a->x), free(a->born);
    memset(a, 0, sizeof(*a));
}

int relnas_cell_archive_find(const relnas_cell_archive *a, const double *x)
{
    relnas_genotype g, held;
    char err[256];
    if (relnas_genotype_from_vector(x, &g, err, sizeof(err))) return -1;
    for (int i = 0; i < a->count; ++i)
        if (relnas_genotype_from_vector(a->x[i], &held, err, sizeof(err)) == 0 && relnas_genotype_equal(&g, &held))
            return i;
    return -1;
}

int relnas_cell_archive_add(relnas_cell_archive *a, const double *x, int born)
{
    relnas_genotype g;
    char err[256];
    int at = relnas_cell_archive_find(a, x);
    if (at >= 0) return at;
    if (relnas_genotype_from_vector(x, &g, err, sizeof(err))) return -1;
    if (a->count == a->capacity) grow(a);
    memcpy(a->x[a->count], x, sizeof(*a->x));
    a->born[a->count] = born;
    return a->count++;
}

void relnas_cell_archive_add_population(relnas_cell_archive *a, const relnas_population *pop, int born)
{
    for (int i = 0; i < pop->size; ++i) relnas_cell_archive_add(a, pop->x[i], born);
}
