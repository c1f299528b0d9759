/* What the stages of one search run share (internal to plugin/search): search.c runs the
 * warm-up and the generations, search_result.c the re-score and the selection that give
 * the result. */
#ifndef RELNAS_SEARCH_CONTEXT_H
#define RELNAS_SEARCH_CONTEXT_H

#include "candidate.h"
#include "parallel_pairs.h"
#include "search.h"

/* What one run of the loop shares, beyond the saved state. */
typedef struct search_context {
    relnas_search_state *st;
    relnas_transport_info ranks; /* the job's processes (one unless --parallel-pairs under mpirun) */
    const relnas_image_set *data;
    const relnas_search_io *io;
    relnas_net_spec spec;
    int *train, ntrain, *valid, nvalid;
    double start, seconds_before; /* this process's start; the state's seconds then */
    /* the ETA's pace: candidates evaluated since pace_start (the warm-up's members are
     * another kind of work, and a warm-up of minutes would make the first ETAs hours) */
    double pace_start;
    int evaluated_before, warmed_before;
} search_context;

typedef struct search_member {
    int index;
    relnas_rng *rng;            /* the search's stream, or the pair's in parallel mode */
    relnas_weight_set *fresh;   /* parallel mode: where layers the weight set lacks go */
    relnas_candidate c;
    double train_loss, valid_loss, valid_accuracy, seconds;
    char genotype[1024];
} search_member;

/* What every rank does after a step that may have failed or stopped on some: -1 if any
 * failed, else 1 if any stopped, else 0. */
int relnas_search_agree(const search_context *cx, int rc, char *err, size_t errlen);

/* Whether the user asked the search to stop (Ctrl-C, SIGTERM). */
int relnas_search_stopped(const search_context *cx);

/* Decodes member m->index and builds its network: with the weight set's parameters, or
 * (alone) the stand-alone network with new weights and no drop-path. Returns 0 or -1. */
int relnas_search_build_member(search_context *cx, search_member *m, int alone, char *err, size_t errlen);

/* The search's optimiser settings at rate lr for `batches` batches. */
relnas_train_settings relnas_search_train_settings(const search_context *cx, double lr, float progress, int batches);

/* The validation loss and accuracy of a trained candidate (BN statistics recomputed first
 * if the settings ask). */
void relnas_search_score(search_context *cx, relnas_candidate *c, relnas_rng *rng, double *loss, double *accuracy);

/* m->genotype: member m->index's cell as text (empty if its vector does not decode). */
void relnas_search_name_member(const relnas_search_state *st, search_member *m);

/* A row of log.csv and log.jsonl. */
void relnas_search_log_member(search_context *cx, const search_member *m, int gen, int pair, const char *role);

/* Flushes the logs and saves the state (atomically). Returns 0 or -1. */
int relnas_search_checkpoint(search_context *cx, char *err, size_t errlen);

/* search_result.c. The last generation scored again on the final weight set. Returns 0, 1
 * when stopped, -1. */
int relnas_search_rescore(search_context *cx, char *err, size_t errlen);

/* search_result.c. Every distinct cell of the last generation trained alone and scored
 * (settings.select_batches). Returns 0, 1 when stopped, -1. */
int relnas_search_select_alone(search_context *cx, char *err, size_t errlen);

#endif
