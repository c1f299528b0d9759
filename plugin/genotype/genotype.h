/* A DARTS/RelativeNAS genotype: for the normal and the reduction cell, 4 nodes of two edges
 * (op, input state), and the states the cell output concatenates. States 0 and 1 are the
 * cell's inputs s0 and s1; node j is state 2 + j. Text form: the official code's repr,
 *   Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=range(2, 6), reduce=[...],
 *            reduce_concat=range(2, 6))
 * which relnas_genotype_format prints back exactly. */
#ifndef RELNAS_GENOTYPE_H
#define RELNAS_GENOTYPE_H

#include <stddef.h>

#define RELNAS_NODES 4
#define RELNAS_EDGES (2 * RELNAS_NODES)
#define RELNAS_MAX_CONCAT (2 + RELNAS_NODES)

/* PRIMITIVES of the search space, in the official order (index = position). */
typedef enum relnas_primitive {
    RELNAS_MAX_POOL_3X3,
    RELNAS_AVG_POOL_3X3,
    RELNAS_SKIP_CONNECT,
    RELNAS_SEP_CONV_3X3,
    RELNAS_SEP_CONV_5X5,
    RELNAS_DIL_CONV_3X3,
    RELNAS_DIL_CONV_5X5,
    RELNAS_PRIMITIVE_COUNT
} relnas_primitive;

/* One row of OPS: what a primitive is and the cfg section it becomes. */
typedef struct relnas_op {
    const char *name;    /* the PRIMITIVES name, e.g. "sep_conv_3x3" */
    const char *section; /* its cfg section, e.g. "[sep_conv]"; NULL: an identity at stride
                          * 1 and [factorized_reduce] at stride 2 (DARTS's skip_connect) */
    int size;            /* kernel size */
    int dilation;        /* written as dilation= when above 1 */
    int filters;         /* 1: the section sets its output channels (filters=C) */
} relnas_op;

/* OPS, indexed by relnas_primitive. */
extern const relnas_op relnas_ops[RELNAS_PRIMITIVE_COUNT];

/* Writes the primitives' names, ", "-separated, into buf (truncated if buflen is short). */
void relnas_primitive_list(char *buf, size_t buflen);

/* The primitive named `name`, or -1. */
int relnas_primitive_find(const char *name);

typedef struct relnas_edge {
    relnas_primitive op;
    int input; /* state index, < 2 + node */
} relnas_edge;

typedef struct relnas_cell_genotype {
    relnas_edge edges[RELNAS_EDGES]; /* node j: edges 2j and 2j + 1 */
    int concat[RELNAS_MAX_CONCAT];
    int nconcat;
    int concat_is_range; /* printed as range(a, b) rather than a list */
} relnas_cell_genotype;

typedef struct relnas_genotype {
    relnas_cell_genotype normal, reduce;
} relnas_genotype;

/* The edges of a cell's full DAG: every (node j, input state k < 2 + j), numbered as the
 * official search network numbers them, 2j + j(j-1)/2 + k: 14 for 4 nodes. */
#define RELNAS_DAG_EDGES (RELNAS_NODES * (RELNAS_NODES + 3) / 2)

/* The DAG edge of node j's input from state k. */
int relnas_dag_edge(int node, int state);

/* Writes the repr into buf (NUL-terminated; truncated if buflen is short); returns the
 * length it needs. */
size_t relnas_genotype_format(char *buf, size_t buflen, const relnas_genotype *g);

/* 1 if the two genotypes are the same architecture and text form. */
int relnas_genotype_equal(const relnas_genotype *a, const relnas_genotype *b);

#endif
