/* Drop-path (DARTS): while training, each sample's op output is dropped whole with
 * probability p and kept ones are scaled by 1/(1-p). p grows linearly from 0 to the
 * layer's maximum over training, following the network's progress. */
#ifndef RELNAS_DROP_PATH_H
#define RELNAS_DROP_PATH_H

#include "darknet.h"

/* Training progress in [0, 1]: batches done / max_batches (1 when max_batches is unset). */
float relnas_training_progress(network net);

/* This iteration's drop probability for a layer whose maximum is max_prob. */
float relnas_drop_path_prob(float max_prob, network net);

/* Draws one scale per sample: 0 with probability prob, else 1/(1-prob). */
void relnas_drop_path_sample(float *scales, int batch, float prob);

/* x[b, :] *= scales[b] for each of `batch` samples of `sample_size` values. */
void relnas_drop_path_apply(float *x, const float *scales, int batch, int sample_size);

#endif
