/* The search's parallel mode (--parallel-pairs): the pairs of a generation spread over the
 * ranks of a job (util/transport.h: Open MPI, or one process), pair p on rank p mod N, each
 * with its own random stream drawn from the generation's, all trained from the weight set
 * of the generation's start. What a pair would write into the weight set (its new layers,
 * and the teacher's and student's trained parameters by the merge rule) travels to rank 0,
 * which applies the pairs' writes in pair order and broadcasts the blocks that changed with
 * the pairs' figures. Every rank then holds the same state, whatever N: a seed gives the
 * same search for any number of ranks, one included. */
#ifndef RELNAS_PARALLEL_PAIRS_H
#define RELNAS_PARALLEL_PAIRS_H

#include <stddef.h>
#include <stdint.h>
#include "relnas_rng.h"
#include "member.h"
#include "search_state.h"
#include "transport.h"
#include "weight_set.h"

/* Bytes of one generation's exchange: the pairs' writes (all ranks' together), the changed
 * blocks rank 0 sent back, and what the exchange moved with this job's N ranks (gathered
 * from other ranks + broadcast to N-1 ranks) against what an all-gather of the writes (every
 * rank merging) would have moved, (N-1) x writes. */
typedef struct relnas_exchange_bytes {
    size_t writes, changed, moved, allgather;
} relnas_exchange_bytes;

/* One generation's exchange on this rank. */
typedef struct relnas_pair_exchange {
    relnas_transport_info t;
    int npairs;
    struct relnas_binary_writer *writer; /* this rank's pairs, serialized */
} relnas_pair_exchange;

/* The random stream of task `task` (a pair, or a member re-scored) of a generation whose
 * seed the search drew: the same on whatever rank runs it. */
relnas_rng relnas_task_rng(uint64_t generation_seed, int task);

/* Whether this rank runs task `task` (round robin). */
int relnas_runs_task(const relnas_transport_info *t, int task);

void relnas_pair_exchange_begin(relnas_pair_exchange *ex, const relnas_transport_info *t, int npairs);

/* Records pair p done on this rank: its figures, the blocks it added (fresh: layers the
 * weight set did not have, with their initial values) and those its merge wrote (merged).
 * A stopped (status 1) or failed (-1, with its message) pair is recorded instead with
 * relnas_pair_exchange_fail. */
void relnas_pair_exchange_add(relnas_pair_exchange *ex, int p, const relnas_pair_result *r,
                              const relnas_weight_set *fresh, relnas_weight_set *merged);
void relnas_pair_exchange_fail(relnas_pair_exchange *ex, int status, const char *message);

/* Collective: applies every pair's writes to ws in pair order (fresh blocks only where ws
 * has none of the key, then the merge's) and fills results[npairs] on every rank. Returns
 * 0; 1 when a rank was stopped; -1 with the failing rank's message (ws is then unchanged). */
int relnas_pair_exchange_finish(relnas_pair_exchange *ex, relnas_weight_set *ws, relnas_pair_result *results,
                                relnas_exchange_bytes *bytes, char *err, size_t errlen);

/* Collective: members[i] of every i, each computed by the rank that runs task i, on every
 * rank. */
void relnas_share_members(const relnas_transport_info *t, relnas_member *members, int n);

/* Collective: rank 0's state (as its checkpoint holds it) replaces every other rank's.
 * Returns 0, or -1 with a message. */
int relnas_share_state(const relnas_transport_info *t, relnas_search_state *st, char *err, size_t errlen);

/* Collective: the largest of every rank's value (a stop or an error seen on any rank). */
int relnas_ranks_max(const relnas_transport_info *t, int value);

#endif
