/* What a cfg needs in memory at its batch size, measured rather than estimated: the cfg is
 * built at batches 1 and 2 and run once (a training step, or a prediction), the heap in use
 * is read from the allocator, and the figure at the cfg's batch follows linearly (every
 * batch-sized buffer grows with the batch; parameters and the rest do not). Both with the
 * memory plans (memory_plan.h) and with stock Darknet's buffers, for comparison. CPU heap
 * only: BLAS and OpenMP thread buffers are not counted. */
#ifndef RELNAS_MEMORY_MEASURE_H
#define RELNAS_MEMORY_MEASURE_H

#include <stddef.h>

typedef struct relnas_memory_needs {
    int batch;                          /* the cfg's batch (per subdivision) */
    double train_planned, train_stock;  /* bytes */
    double infer_planned, infer_stock;
} relnas_memory_needs;

/* Measures cfgfile (which must parse). Returns 0, or -1 with a message. */
int relnas_measure_memory(const char *cfgfile, relnas_memory_needs *needs, char *err, size_t errlen);

#endif
