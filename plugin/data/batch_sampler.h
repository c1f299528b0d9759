/* Turning an image set into network batches: a seeded split into training and validation
 * parts, and batches of floats in [0, 1] (NCHW) with one-hot labels, augmented the way
 * DARTS/RelativeNAS train on CIFAR: random crop after zero padding, horizontal flip,
 * cutout. Shared by the search and by training. */
#ifndef RELNAS_BATCH_SAMPLER_H
#define RELNAS_BATCH_SAMPLER_H

#include "image_set.h"
#include "relnas_rng.h"

typedef struct relnas_augment {
    int pad;    /* random crop: shift by up to pad pixels, zeros outside (0: none) */
    int flip;   /* mirror left-right with probability 1/2 */
    int cutout; /* zero a square of this side at a random centre, clipped (0: none) */
} relnas_augment;

/* Shuffles 0..count-1 with rng; the first round(portion * count) go to train, the rest to
 * valid. The arrays need count entries between them. */
void relnas_split_indices(int count, double portion, relnas_rng *rng, int *train, int *ntrain,
                          int *valid, int *nvalid);

/* Fisher-Yates shuffle of x[0..n-1] with rng. */
void relnas_shuffle(int *x, int n, relnas_rng *rng);

/* Batches without replacement, as a shuffling data loader gives them: a permutation of the
 * indices is drawn, consecutive batches are taken from it, and a new permutation is drawn
 * when fewer than a batch are left (the remainder is dropped). So nidx / batch batches see
 * every index at most once, and exactly once when batch divides nidx. */
typedef struct relnas_epoch_sampler {
    const int *idx;
    int nidx, next; /* next: position in order */
    int *order;
} relnas_epoch_sampler;

relnas_epoch_sampler relnas_epoch_sampler_make(const int *idx, int nidx);
void relnas_epoch_sampler_free(relnas_epoch_sampler *s);

/* batch[0..n-1] = the next n indices (n <= nidx). */
void relnas_epoch_sampler_next(relnas_epoch_sampler *s, int *batch, int n, relnas_rng *rng);

/* input[b] = augmented image idx[b] / 255; truth[b] = one-hot of its label over
 * s->classes. */
void relnas_fill_batch(float *input, float *truth, const relnas_image_set *s, const int *idx,
                       int batch, relnas_augment aug, relnas_rng *rng);

#endif
