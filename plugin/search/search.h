/* The RelativeNAS search (DESIGN.md §4): a population of architecture vectors, paired at
 * random each generation; both members of a pair load the weight set, train on the training
 * part with the generation's learning rate, and are scored on the validation part; the
 * lower validation loss is the fast learner, which teaches the weight set and pulls the slow
 * learner towards itself (slow-fast update). */
#ifndef RELNAS_SEARCH_H
#define RELNAS_SEARCH_H

#include <stdio.h>
#include "image_set.h"
#include "relnas_rng.h"

typedef struct relnas_search_settings {
    int population, generations;
    int batch, train_batches, valid_batches;
    int C, cells;
    double lr_max, lr_min;     /* cosine over the generations */
    double momentum, decay, clip, drop_path, train_portion;
    int cutout, pad, flip;
    unsigned long long seed;
} relnas_search_settings;

typedef struct relnas_search_result {
    double best_valid_loss, best_valid_accuracy;
    double vector[32];       /* the last generation's candidate with the lowest validation loss */
    double seconds, outside_seconds; /* total, and outside forward/backward/update */
    /* Per generation, when the caller gives arrays of `generations` values: mean validation
     * loss of the fast and of the slow learners (finite ones), and the diversity. */
    double *fast_loss, *slow_loss, *diversity;
} relnas_search_result;

/* The learning rate of generation gen of gens: cosine from lr_max to lr_min. */
double relnas_search_learning_rate(const relnas_search_settings *s, int gen);

/* Runs the search on data; writes a line per candidate to log_csv and log_jsonl (JSON lines;
 * either may be NULL), human progress to progress, each generation's population as
 * genotypes through write_population(gen, text, ctx). Returns 0, or -1 with a message. */
int relnas_search_run(const relnas_search_settings *s, const relnas_image_set *data, FILE *progress,
                      FILE *log_csv, FILE *log_jsonl, void (*write_population)(int gen, const char *text, void *ctx),
                      void *ctx, relnas_search_result *result, char *err, size_t errlen);

#endif
