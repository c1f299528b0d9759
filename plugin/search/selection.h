/* The search's result: the last generation re-scored on the final weight set and, with
 * settings.select_batches, a selection by successive halving over cells trained alone from
 * new weights (the last generation's distinct cells, or with settings.select_all_cells every
 * distinct cell of the archive). Round r trains its cells for select_batches * 2^r batches and
 * scores them on select_valid_batches * 2^r validation batches; the most accurate
 * 1/select_keep (rounded up) goes on; the rounds end at settings.select_rounds or when one
 * more would hold a single cell. */
#ifndef RELNAS_SELECTION_H
#define RELNAS_SELECTION_H

#include <stddef.h>
#include "search_run.h"

/* Every member of the last generation scored again on the final weight set (no training),
 * on the same validation batches: in parallel mode member i on rank i mod N with its own
 * random stream. Into st->final and the logs. Returns 0, 1 when stopped, -1. */
int search_rescore(search_context *cx, char *err, size_t errlen);

/* settings.select_batches: the selection's rounds from where the state stands, into
 * st->alone and the logs; a checkpoint after each cell (each round in parallel mode).
 * Returns 0, 1 when stopped, -1. */
int search_select_alone(search_context *cx, char *err, size_t errlen);

/* The finished search's chosen cell and the figures that chose it. */
typedef struct relnas_search_choice {
    const double *x;              /* its vector */
    const relnas_member *figures; /* trained alone in the last round, or re-scored */
    int member;                   /* without a selection: the member of the last generation, else -1 */
    int cell, round;              /* with a selection: the archive cell and its last round, else -1 */
} relnas_search_choice;

/* With settings.select_batches, the last round's most accurate cell (ties: the lower loss,
 * then the lower index); without, the last generation's member with the lowest finite
 * re-scored validation loss (ties: the lower index). Returns 0, or -1 if every one diverged. */
int relnas_search_result(const relnas_search_state *st, relnas_search_choice *c);

#endif
