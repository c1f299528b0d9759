/* The search's result: the last generation re-scored on the final weight set and, with
 * settings.select_batches, its distinct cells trained alone; the member the result names. */
#ifndef RELNAS_SELECTION_H
#define RELNAS_SELECTION_H

#include <stddef.h>
#include "search_run.h"

/* Every member of the last generation scored again on the final weight set (no training),
 * on the same validation batches: in parallel mode member i on rank i mod N with its own
 * random stream. Into st->final and the logs. Returns 0, 1 when stopped, -1. */
int search_rescore(search_context *cx, char *err, size_t errlen);

/* settings.select_batches: every distinct cell of the last generation trained alone and
 * scored, into st->alone and the logs; a copy of an earlier cell takes its figures. Returns
 * 0, 1 when stopped, -1. */
int search_select_alone(search_context *cx, char *err, size_t errlen);

/* The finished search's result: with settings.select_batches, the last generation's member
 * with the highest finite validation accuracy trained alone (ties: the lower loss, then the
 * lower index); without, the one with the lowest finite re-scored validation loss. Returns
 * its index, or -1 if every one diverged. */
int relnas_search_best(const relnas_search_state *st);

#endif
