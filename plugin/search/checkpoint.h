/* The search's checkpoint: a relnas_search_state whole (settings, data signature, position,
 * RNG, population and velocities, this generation's pairing and results, per-generation
 * figures, log sizes, weight set), in a binary_file (atomic, checksummed). */
#ifndef RELNAS_CHECKPOINT_H
#define RELNAS_CHECKPOINT_H

#include <stddef.h>
#include "binary_file.h"
#include "search_state.h"

/* Writes st to path atomically. Returns 0, or -1 with a message. */
int relnas_checkpoint_save(const char *path, const relnas_search_state *st, char *err, size_t errlen);

/* Reads a checkpoint into st (allocated here; free with relnas_search_state_free). Returns
 * 0, or -1 with a message naming the file and the field that is wrong. */
int relnas_checkpoint_load(const char *path, relnas_search_state *st, char *err, size_t errlen);

/* The same bytes in memory (*bytes malloc'ed), and back: how the ranks of a parallel search
 * share rank 0's state (search/parallel_pairs.h). name stands for the path in messages. */
void relnas_checkpoint_to_memory(const relnas_search_state *st, void **bytes, size_t *size);
int relnas_checkpoint_from_memory(const void *bytes, size_t size, const char *name, relnas_search_state *st,
                                  char *err, size_t errlen);

#endif
