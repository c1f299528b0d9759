/* The trainable parameters of a plugin layer, kept where Darknet keeps a convolutional
 * layer's so its tools (partial, weight averaging) see them: l.weights (all conv weights,
 * with weight decay), and per BN channel l.scales (gamma), l.biases (beta),
 * l.rolling_mean and l.rolling_variance (nbiases of each). .weights files hold them in
 * Darknet's convolutional order: biases, scales, rolling means, rolling variances, weights. */
#ifndef RELNAS_LAYER_PARAMS_H
#define RELNAS_LAYER_PARAMS_H

#include <stdio.h>
#include "darknet.h"

/* Allocates nweights conv weights (zero; initialise each block with
 * relnas_params_init_uniform) and nbn BN channels (gamma 1, beta 0, running mean 0,
 * running variance 1), on the GPU too when one is in use. */
void relnas_params_alloc(layer *l, int nweights, int nbn);

/* Fills n weights uniformly in +-sqrt(2 / fan_in), as Darknet initialises convolutions. */
void relnas_params_init_uniform(float *weights, int n, int fan_in);

/* One SGD step with Darknet's momentum, decay (weights only) and batch scaling. */
void relnas_params_update(layer l, update_args a);

/* Writes the parameters in .weights order (pulls them from the GPU first). */
void relnas_params_save(layer l, FILE *fp);

/* Reads them back (pushes to the GPU); -1 if the file ends early. */
int relnas_params_load(layer l, FILE *fp);

#ifdef GPU
/* Copies the parameters to and from the GPU. */
void relnas_params_push(layer l);
void relnas_params_pull(layer l);

/* relnas_params_update on the GPU copies. */
void relnas_params_update_gpu(layer l, update_args a);
#endif

#endif
