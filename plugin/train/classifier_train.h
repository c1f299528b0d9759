/* Training a classifier cfg on an image set the DARTS way (`darknet relnas train`): shuffled
 * epochs of augmented batches, relnas_sgd_step (clipped gradients) with the cfg's policy,
 * momentum and decay, drop-path following the progress, a validation pass every few
 * epochs, weights in a backup directory as Darknet keeps them (NAME_last after every
 * validation, NAME_best, NAME_final; written atomically), and a chart. Resuming is loading
 * NAME_last.weights: the schedule continues from the images it has seen. */
#ifndef RELNAS_CLASSIFIER_TRAIN_H
#define RELNAS_CLASSIFIER_TRAIN_H

#include <signal.h>
#include <stdio.h>
#include "batch_sampler.h"
#include "darknet.h"
#include "image_set.h"

typedef struct relnas_train_options {
    float clip;                  /* gradient-norm bound (<= 0: none) */
    relnas_augment augment;
    int valid_every;             /* epochs between validation passes (and backups) */
    const char *backup;          /* directory of the weights and the chart */
    const char *name;            /* weights are NAME_last.weights, ... */
    unsigned long long seed;
    volatile sig_atomic_t *stop; /* when set: save NAME_last and return */
} relnas_train_options;

typedef struct relnas_train_result {
    int iterations, epochs;
    double last_accuracy, best_accuracy; /* top-1 on the validation set (NAN: none yet) */
    int best_epoch;
    double seconds;
    int stopped;                 /* ended through the stop flag */
} relnas_train_result;

/* Trains net (max_batches set, images of its size, net->outputs >= data classes) from the
 * batch its weights have reached to max_batches. Progress on `progress`. Returns 0, or -1
 * with a message (a loss that is not finite, a file that cannot be written). */
int relnas_train_classifier(network *net, const relnas_image_set *train, const relnas_image_set *valid,
                            const relnas_train_options *o, FILE *progress, relnas_train_result *r, char *err,
                            size_t errlen);

#endif
