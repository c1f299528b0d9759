/* The RelativeNAS search (docs/design.md, "The search"): a population of architecture
 * vectors, paired at random each generation; both members of a pair load the weight set,
 * train on the training part with the generation's learning rate, and are scored on the
 * validation part; the lower validation loss is the fast learner, which teaches the weight
 * set and pulls the slow learner towards itself (slow-fast update). After the generations,
 * the result is chosen (selection.h). */
#ifndef RELNAS_SEARCH_H
#define RELNAS_SEARCH_H

#include <stddef.h>
#include "image_set.h"
#include "search_run.h"
#include "search_state.h"

/* Runs the search from where st stands to its end, its result chosen. Returns 0 when
 * finished, 1 when stopped through io->stop (the checkpoint holds the last finished step),
 * -1 with a message. */
int relnas_search_run(relnas_search_state *st, const relnas_image_set *data, const relnas_search_io *io,
                      char *err, size_t errlen);

#endif
