/* Everything a search carries from one pair to the next, which a checkpoint saves whole
 * (checkpoint.h): a resumed search draws the same numbers. */
#ifndef RELNAS_SEARCH_STATE_H
#define RELNAS_SEARCH_STATE_H

#include <stddef.h>
#include "cell_archive.h"
#include "image_set.h"
#include "member.h"
#include "population.h"
#include "relnas_rng.h"
#include "search_settings.h"
#include "weight_set.h"

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
    int select_round;           /* the selection's round under way (selection.h) */
    int selected;               /* cells of that round trained alone so far */
    int evaluated;              /* candidate evaluations so far */
    int generations_asked;      /* settings.time_budget ended the generations early: how many were
                                   asked (settings.generations is then those run); 0: not ended early */
    double seconds, outside_seconds; /* so far: total, and outside forward/backward/update */
    relnas_rng rng;
    relnas_population pop;
    /* This generation: the pairing and which member of each finished pair was fast (0/1). */
    int *pairs, *fast;
    /* Each member's figures, indexed by member (unscored until then): in its pair this
     * generation; the last generation re-scored on the final weight set, on the same
     * validation batches for all (the result compares these, not losses measured on the
     * weight sets of different pairs). */
    relnas_member *in_pair, *final;
    /* Every distinct cell so far, and once the selection (settings.select_batches) begins,
     * the cells' figures trained alone: round r's record of archive cell k at
     * alone[r * archive.count + k] (index k; unscored where the cell did not take part). */
    relnas_cell_archive archive;
    relnas_member *alone;
    /* Per generation: mean validation loss of the fast and of the slow learners (finite
     * ones), and the diversity of the population before pairing (where the official code
     * measures it). */
    double *fast_loss, *slow_loss, *diversity;
    relnas_weight_set ws;
    long log_sizes[3];          /* bytes of the run's logs at this state (for a resume) */
} relnas_search_state;

/* The learning rate of generation gen: cosine from lr_max to lr_min over the generations. */
double relnas_search_learning_rate(const relnas_search_settings *s, int gen);

/* A new search: the population drawn from the seed. Returns 0, or -1 with a message for
 * settings the data cannot take. */
int relnas_search_state_init(relnas_search_state *st, const relnas_search_settings *s,
                             const relnas_image_set *data, const char *data_name, char *err, size_t errlen);

/* Allocates the arrays of a state whose settings (population, generations) are set, every
 * member unscored, the archive empty, no selection records. */
void relnas_search_state_alloc(relnas_search_state *st);
void relnas_search_state_free(relnas_search_state *st);

/* The selection's records (settings.select_rounds per archive cell, unscored): allocated
 * once the generations are over and the archive complete. */
void relnas_search_state_alloc_selection(relnas_search_state *st);

/* Checks that data is what the state was searching on. Returns 0, or -1 with a message. */
int relnas_search_check_data(const relnas_search_state *st, const relnas_image_set *data, char *err, size_t errlen);

/* The training/validation split of data (indices into train and valid, each data->count
 * long): a function of the seed alone, so a resumed search recomputes it. */
void relnas_search_split(const relnas_search_settings *s, const relnas_image_set *data, int *train, int *ntrain,
                         int *valid, int *nvalid);

#endif
