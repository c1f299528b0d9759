/* Every distinct cell a search has produced, in the order they appeared: the initial
 * population, then each generation's new cells. A selection may choose among all of them
 * (settings.select_all_cells), not only the last generation's: the generations' losses rank
 * cells poorly (docs/search-efficacy.md), so a good cell can leave the population. Two
 * vectors are the same cell when they decode to the same genotype. */
#ifndef RELNAS_CELL_ARCHIVE_H
#define RELNAS_CELL_ARCHIVE_H

#include "genotype.h"
#include "population.h"

typedef struct relnas_cell_archive {
    int count, capacity;
    double (*x)[RELNAS_DIM]; /* the vector that first gave each cell */
    int *born;               /* generations run before it appeared: 0 for the initial population */
    relnas_genotype *cells;  /* x decoded, so that finding a cell decodes only the vector asked */
} relnas_cell_archive;

/* An empty archive is all zeros; it grows as cells are added. */
void relnas_cell_archive_free(relnas_cell_archive *a);

/* The index of the held cell that x decodes to, or -1 (also for a vector that does not
 * decode). */
int relnas_cell_archive_find(const relnas_cell_archive *a, const double *x);

/* Adds x's cell unless held. Returns its index, or -1 for a vector that does not decode. */
int relnas_cell_archive_add(relnas_cell_archive *a, const double *x, int born);

/* Adds every member of pop, in member order. */
void relnas_cell_archive_add_population(relnas_cell_archive *a, const relnas_population *pop, int born);

#endif
