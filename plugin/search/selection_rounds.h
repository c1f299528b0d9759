/* The arithmetic of the selection's successive halving (selection.h): which cells each round
 * trains, for how many batches, how they rank, and the work left. Pure functions of the state. */
#ifndef RELNAS_SELECTION_ROUNDS_H
#define RELNAS_SELECTION_ROUNDS_H

#include "member.h"
#include "search_state.h"

/* a ranks above b: a finite accuracy, then the higher accuracy, the lower loss, the lower
 * index (a diverged cell ranks last; an infinite loss with an accuracy still ranks). */
int relnas_selection_ranks_above(const relnas_member *a, const relnas_member *b);

/* The rounds the selection runs: settings.select_rounds, fewer when one more round would hold
 * a single cell (a function of the first round's size). */
int relnas_selection_rounds(const relnas_search_state *st);

/* Round `round`'s cells as archive indices into cells (room for archive.count + population):
 * round 0 every archive cell (select_all_cells) or each distinct cell of the last generation in
 * member order; round r > 0 the best 1/select_keep, rounded up, of round r - 1 by its records,
 * best first. Returns the count. */
int relnas_selection_cells(const relnas_search_state *st, int round, int *cells);

/* The size of the round after one of `size` cells: size / select_keep, rounded up. */
int relnas_selection_next_round_size(const relnas_search_settings *s, int size);

/* What each round keeps, as the logs say it: "half" (select_keep 2) or "1/K"; into buf. */
const char *relnas_selection_keep_text(const relnas_search_settings *s, char *buf, size_t len);

/* The count relnas_selection_cells returns for round `round`, without the ranking. */
int relnas_selection_round_size(const relnas_search_state *st, int round);

/* A cells array with room for any round (archive.count + population); the caller frees it. */
int *relnas_selection_alloc_cells(const relnas_search_state *st);

/* Round `round`'s training batches (select_batches * 2^round), and its validation batches
 * (select_valid_batches * 2^round, at most every whole batch of the nvalid images;
 * select_valid_batches 0: all of them). */
int relnas_selection_batches(const relnas_search_settings *s, int round);
int relnas_selection_valid_batches(const relnas_search_settings *s, int nvalid, int round);

/* Round `round`'s work per cell in training-step equivalents (a forward pass about a third). */
double relnas_selection_cell_work(const relnas_search_settings *s, int nvalid, int round);

/* The selection's work still to do, in training-step equivalents; before it begins, from the
 * largest first round the generations left can make. */
double relnas_selection_work_left(const relnas_search_state *st, int nvalid);

#endif
