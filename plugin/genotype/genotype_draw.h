/* A genotype as a Graphviz graph, like the papers' cell figures: the normal and the
 * reduction cell, inputs c_{k-2} and c_{k-1}, nodes 0..3 with their two op-labelled edges,
 * and the concatenated output c_{k}. */
#ifndef RELNAS_GENOTYPE_DRAW_H
#define RELNAS_GENOTYPE_DRAW_H

#include <stdio.h>
#include "genotype.h"

/* Writes the graph in the DOT language. */
void relnas_genotype_write_dot(FILE *out, const relnas_genotype *g);

#endif
