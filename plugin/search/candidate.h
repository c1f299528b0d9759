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

/* A layer that applies an earlier layer's parameters, and its own struct as parsed (for its
 * own parameters, given back by relnas_unshare_params before the network is freed). */
typedef struct relnas_tied_layer {
    int index, source;
    layer own;
} relnas_tied_layer;

typedef struct relnas_candidate {
    network *net;
    relnas_layer_key *keys; /* one per layer */
    float *momentum;        /* momentum x previous update, kept apart from the gradient */
    relnas_tied_layer *tied;
    int ntied;
} relnas_candidate;

/* Builds the network quietly (Darknet's per-layer listing is not printed). spec->batch,
 * sizes and classes must match the data. Returns 0, or -1 with a message.
 * A node that takes the same (input, op) twice applies ONE module twice, as the official
 * search network does (its ops are indexed by edge and op): the second layer shares the
 * first's parameters (relnas_share_params), so both gradients add into one set of weights,
 * each application draws its own drop-path mask, and the weight set holds one copy. */
int relnas_candidate_build(relnas_candidate *c, const relnas_genotype *g, const relnas_net_spec *spec,
                           char *err, size_t errlen);

/* The same network as a stand-alone one: every op its own parameters (as `relnas cfg` writes
 * it and `relnas train` trains it), none tied. For training a cell alone. */
int relnas_candidate_build_alone(relnas_candidate *c, const relnas_genotype *g, const relnas_net_spec *spec,
                                 char *err, size_t errlen);
void relnas_candidate_free(relnas_candidate *c);

typedef struct relnas_train_settings {
    float learning_rate, momentum, decay, clip;
    float progress;       /* of the whole search, for the drop-path schedule: gen / gens */
    relnas_augment augment;
    int batches;
    int anneal;           /* 1: the rate anneals from learning_rate to 0 over the batches (cosine,
                             as `relnas train`); 0: learning_rate throughout, progress for drop-path */
    volatile sig_atomic_t *stop; /* optional: when set, training ends at once, returning NAN */
} relnas_train_settings;

/* Trains on `batches` batches of the indices idx, drawn without replacement
 * (relnas_epoch_sampler: nidx / batch batches are one epoch, every image once); returns the mean training loss,
 * or NAN as soon as the loss is not finite or s.stop is set. Optimiser state starts fresh. */
double relnas_candidate_train(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                              relnas_train_settings s, relnas_rng *rng);

/* Replaces the candidate's BN running statistics by their mean over `batches` training-mode
 * forward passes on batches of idx (drawn as relnas_candidate_train draws them, without
 * augmentation or drop-path): the statistics of this network rather than of the networks
 * that trained the weight set before it. CPU networks only. */
void relnas_candidate_recompute_bn(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                                   int batches, relnas_rng *rng);

/* Mean loss and accuracy over `batches` consecutive batches of idx in inference mode
 * (batches <= 0: all whole batches). */
void relnas_candidate_validate(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                               int batches, double *loss, double *accuracy);

#endif
