/* One search candidate: the network of a genotype (the search preset, shaped to the data),
 * what each of its layers is (for the weight set), and its optimiser state; trained on
 * training batches and scored on validation batches, as one RelativeNAS pair member. */
#ifndef RELNAS_CANDIDATE_H
#define RELNAS_CANDIDATE_H

#include <signal.h>
#include "batch_sampler.h"
#include "cfg_writer.h"
#include "darknet.h"
#include "genotype.h"

typedef struct relnas_candidate {
    network *net;
    relnas_layer_key *keys; /* one per layer */
    float *momentum;        /* momentum x previous update, kept apart from the gradient */
} relnas_candidate;

/* Builds the network quietly (Darknet's per-layer listing is not printed). spec->batch,
 * sizes and classes must match the data. Returns 0, or -1 with a message. */
int relnas_candidate_build(relnas_candidate *c, const relnas_genotype *g, const relnas_net_spec *spec,
                           char *err, size_t errlen);
void relnas_candidate_free(relnas_candidate *c);

typedef struct relnas_train_settings {
    float learning_rate, momentum, decay, clip;
    float progress;       /* of the whole search, for the drop-path schedule: gen / gens */
    relnas_augment augment;
    int batches;
    volatile sig_atomic_t *stop; /* optional: when set, training ends at once, returning NAN */
} relnas_train_settings;

/* Trains on `batches` random batches of the indices idx; returns the mean training loss,
 * or NAN as soon as the loss is not finite or s.stop is set. Optimiser state starts fresh. */
double relnas_candidate_train(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                              relnas_train_settings s, relnas_rng *rng);

/* Mean loss and accuracy over `batches` consecutive batches of idx in inference mode
 * (batches <= 0: all whole batches). */
void relnas_candidate_validate(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                               int batches, double *loss, double *accuracy);

#endif
