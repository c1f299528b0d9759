/* The RelativeNAS search (DESIGN.md §4): a population of architecture vectors, paired at
 * random each generation; both members of a pair load the weight set, train on the training
 * part with the generation's learning rate, and are scored on the validation part; the
 * lower validation loss is the fast learner, which teaches the weight set and pulls the slow
 * learner towards itself (slow-fast update).
 *
 * Everything the search carries from one pair to the next is a relnas_search_state, which a
 * checkpoint saves whole (checkpoint.h): a resumed search draws the same numbers. */
#ifndef RELNAS_SEARCH_H
#define RELNAS_SEARCH_H

#include <signal.h>
#include <stdio.h>
#include "image_set.h"
#include "population.h"
#include "relnas_rng.h"
#include "weight_set.h"

typedef struct relnas_search_settings {
    int population, generations;
    int batch, train_batches, valid_batches; /* per candidate; valid_batches 0: the whole half */
    int C, cells;
    double lr_max, lr_min;     /* cosine over the generations */
    double momentum, decay, clip, drop_path, train_portion;
    int cutout, pad, flip;
    unsigned long long seed;
    /* Beyond the paper (0: off, as in the paper profile), for short searches:
     * bn_batches: before a candidate is scored, its BN running statistics are recomputed as
     *   the mean over this many training batches in training mode (the statistics a candidate
     *   inherits were accumulated by other networks, which skews short-trained candidates);
     * warmup_batches: before generation 1, every member of the initial population in turn
     *   trains this many batches at lr_max and stores all its parameters into the weight set,
     *   so the first comparisons are not made on random weights. */
    int bn_batches, warmup_batches;
    /* select_batches (0: off, the paper's result): after the re-score, every distinct cell of
     *   the last generation is trained alone, from new weights (each op its own, as `relnas
     *   cfg` writes it), for this many batches of the training half with the learning rate
     *   annealed from select_lr to 0 (cosine), no drop-path, pad and flip as the search and
     *   cutout select_cutout (as `relnas train` trains), and scored on the validation
     *   batches; the result is the most accurate. Why: at CPU budgets the weight-shared
     *   losses rank a final population's cells against how they train alone
     *   (docs/search-efficacy.md), while the population holds good cells; DARTS chooses
     *   between its searches' cells the same way (a short training from scratch). */
    int select_batches, select_cutout;
    double select_lr;
    /* 1: a generation's pairs all train from the weight set of its start, over the ranks of
     * the job, and merge in pair order after it (search/parallel_pairs.h); the result of a
     * seed is the same for any number of ranks. 0: the paper's sequential algorithm. */
    int parallel_pairs;
} relnas_search_settings;

/* The settings of profile `name` (paper, quick, cpu: search_profiles.c). Returns 0, or -1 if
 * there is no such profile. */
int relnas_search_profile(const char *name, relnas_search_settings *s);

/* The profile names, comma-separated, for messages. */
extern const char relnas_search_profile_names[];

/* The data a search runs on, as a checkpoint records it: a resumed search reloads `name`
 * and refuses data of another shape. */
typedef struct relnas_data_signature {
    char name[1024];
    int count, w, h, c, classes;
} relnas_data_signature;

typedef struct relnas_search_state {
    relnas_search_settings settings;
    relnas_data_signature data;
    int warmed;                 /* members of the initial population warmed up so far */
    int generation, pair;       /* the next pair to evaluate; generation == generations: done */
    int rescored;               /* the last generation re-scored on the final weight set */
    int selected;               /* members of the last generation trained alone so far */
    int evaluated;              /* candidate evaluations so far */
    double seconds, outside_seconds; /* so far: total, and outside forward/backward/update */
    relnas_rng rng;
    relnas_population pop;
    /* This generation: the pairing, which member of each finished pair was fast (0/1), and
     * each member's validation loss and accuracy (NAN until evaluated). */
    int *pairs, *fast;
    double *losses, *accuracies;
    /* Per generation: mean validation loss of the fast and of the slow learners (finite
     * ones), and the diversity of the population before pairing (where the official code
     * measures it). */
    double *fast_loss, *slow_loss, *diversity;
    /* The last generation re-scored on the final weight set, on the same validation batches
     * for all (NAN until then): the result compares these, not losses measured on the
     * weight sets of different pairs. */
    double *final_losses, *final_accuracies;
    /* settings.select_batches: each last-generation member trained alone and validated (NAN
     * until then; a cell that appears twice is trained once, its copies take its figures). */
    double *select_losses, *select_accuracies;
    relnas_weight_set ws;
    long log_sizes[3];          /* bytes of the run's logs at this state (for a resume) */
} relnas_search_state;

/* Where the search writes, all optional. */
typedef struct relnas_search_io {
    FILE *progress;             /* human progress, also the text log */
    FILE *logs[3];              /* text log, CSV, JSON lines: flushed and measured at checkpoints */
    void (*write_population)(int gen, const char *text, void *ctx); /* each generation's genotypes */
    void *ctx;
    const char *checkpoint;     /* rewritten atomically after every pair */
    volatile sig_atomic_t *stop; /* when set, the search stops at the last checkpoint */
} relnas_search_io;

/* The learning rate of generation gen of gens: cosine from lr_max to lr_min. */
double relnas_search_learning_rate(const relnas_search_settings *s, int gen);

/* A new search: the population drawn from the seed. Returns 0, or -1 with a message for
 * settings the data cannot take. */
int relnas_search_state_init(relnas_search_state *st, const relnas_search_settings *s,
                             const relnas_image_set *data, const char *data_name, char *err, size_t errlen);

/* Allocates the arrays of a state whose settings (population, generations) are set. */
void relnas_search_state_alloc(relnas_search_state *st);
void relnas_search_state_free(relnas_search_state *st);

/* Checks that data is what the state was searching on. Returns 0, or -1 with a message. */
int relnas_search_check_data(const relnas_search_state *st, const relnas_image_set *data, char *err, size_t errlen);

/* Runs the search from where st stands to its end. Returns 0 when finished, 1 when stopped
 * through io->stop (the checkpoint holds the last finished pair), -1 with a message. */
int relnas_search_run(relnas_search_state *st, const relnas_image_set *data, const relnas_search_io *io,
                      char *err, size_t errlen);

/* The finished search's result: with settings.select_batches, the last generation's member
 * with the highest finite validation accuracy trained alone (select_accuracies; ties: the
 * lower select loss, then the lower index); without, the one with the lowest finite re-scored
 * validation loss (final_losses). Returns its index, or -1 if every one diverged. */
int relnas_search_best(const relnas_search_state *st);

#endif
