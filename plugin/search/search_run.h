/* What the stages of one search run share beyond the saved state (internal to
 * plugin/search): the data and its split, the candidate preset, where the run writes, the
 * job's ranks, and the steps every stage takes: build a member's network, train it, score it,
 * checkpoint, and agree over the ranks on a failure or a stop. */
#ifndef RELNAS_SEARCH_RUN_H
#define RELNAS_SEARCH_RUN_H

#include <signal.h>
#include <stdio.h>
#include "candidate.h"
#include "member.h"
#include "search_state.h"
#include "transport.h"

/* Where the search writes, all optional. */
typedef struct relnas_search_io {
    FILE *progress;             /* human progress, also the text log */
    FILE *logs[3];              /* text log, CSV, JSON lines: flushed and measured at checkpoints */
    void (*write_population)(int gen, const char *text, void *ctx); /* each generation's genotypes */
    void *ctx;
    const char *checkpoint;     /* rewritten atomically after every pair */
    volatile sig_atomic_t *stop; /* when set, the search stops at the last checkpoint */
} relnas_search_io;

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

/* A member under evaluation: its figures so far, its random stream (the search's, or the
 * task's in parallel mode), where layers the weight set lacks go (parallel mode) and its
 * network. */
typedef struct member_evaluation {
    relnas_member figures;
    const double *x;            /* the cell's vector; NULL: member figures.index's */
    relnas_rng *rng;
    relnas_weight_set *fresh;
    relnas_candidate c;
} member_evaluation;

/* The context of a run of st on data (the split, the preset, the ranks with
 * --parallel-pairs). Returns 0, or -1 with a message; free with search_context_free. */
int search_context_init(search_context *cx, relnas_search_state *st, const relnas_image_set *data,
                        const relnas_search_io *io, char *err, size_t errlen);
void search_context_free(search_context *cx);

/* The search's seconds so far: the state's before this run, and this run's. */
double search_elapsed(const search_context *cx);

/* What every rank does after a step that may have failed or stopped on some: -1 if any
 * failed, else 1 if any stopped, else 0. */
int search_agree(const search_context *cx, int rc, char *err, size_t errlen);

/* Whether the user asked the search to stop (Ctrl-C, SIGTERM). */
int search_stopped(const search_context *cx);

/* Decodes e->x (or member e->figures.index) and builds its network: with the weight set's parameters,
 * or (alone) the stand-alone network with new weights and no drop-path. Returns 0 or -1. */
int search_build_member(search_context *cx, member_evaluation *e, int alone, char *err, size_t errlen);

/* The search's optimiser settings at rate lr for `batches` batches. */
relnas_train_settings search_train_settings(const search_context *cx, double lr, float progress, int batches);

/* The validation loss and accuracy of a trained candidate (BN statistics recomputed first
 * if the settings ask), on the same validation batches for every candidate. */
void search_score(search_context *cx, relnas_candidate *c, relnas_rng *rng, double *loss, double *accuracy);

/* Flushes the logs and saves the state (atomically). Returns 0 or -1. */
int search_checkpoint(search_context *cx, char *err, size_t errlen);

/* A step's status, then a checkpoint (on success) and a stop request, agreed over the ranks:
 * 0 to go on, 1 stopped, -1 failed. */
int search_step_done(search_context *cx, int rc, char *err, size_t errlen);

#endif
