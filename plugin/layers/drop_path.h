/* Drop-path (DARTS): while training, each sample's op output is dropped whole with
 * probability p and kept ones are scaled by 1/(1-p); the gradient follows the same scales.
 * p grows linearly from 0 to the layer's maximum over training, following the network's
 * progress. Nothing is dropped when predicting. */
#ifndef RELNAS_DROP_PATH_H
#define RELNAS_DROP_PATH_H

#include "darknet.h"

typedef struct relnas_drop_path {
    float max_prob; /* reached at the end of training */
    float prob;     /* this iteration's; 0 when not training */
    float *scales;  /* per sample */
    int batch;      /* samples the scale buffers hold */
#ifdef GPU
    float *scales_gpu;
#endif
} relnas_drop_path;

/* Training progress in [0, 1]: batches done / max_batches (1 when max_batches is unset). */
float relnas_training_progress(network net);

relnas_drop_path relnas_drop_path_make(float max_prob, int batch);
void relnas_drop_path_free(relnas_drop_path *d);

/* The scale buffers follow a new batch size (resize, set_batch_network). */
void relnas_drop_path_resize(relnas_drop_path *d, int batch);

/* Draws this iteration's per-sample scales and applies them to output (batch samples of
 * sample_size values) when training. */
void relnas_drop_path_forward(relnas_drop_path *d, network net, float *output, int batch, int sample_size);

/* Scales the gradient as the forward pass scaled the output. */
void relnas_drop_path_backward(const relnas_drop_path *d, float *delta, int batch, int sample_size);

#ifdef GPU
void relnas_drop_path_forward_gpu(relnas_drop_path *d, network net, float *output_gpu, int batch,
                                  int sample_size);
void relnas_drop_path_backward_gpu(const relnas_drop_path *d, float *delta_gpu, int batch, int sample_size);
#endif

#endif
