/* The trainable parameters of a network, whatever its layer types (plugin layers, stock
 * convolutional and connected layers): enumerated for the weight set, and the optimiser
 * steps the search needs beyond Darknet's update: gradient-norm clipping and momentum kept
 * apart from the gradient so only the gradient is clipped. */
#ifndef RELNAS_NETWORK_PARAMS_H
#define RELNAS_NETWORK_PARAMS_H

#include "darknet.h"

/* Pointers and sizes of one layer's parameters; weights is NULL for layers without. */
typedef struct relnas_layer_params {
    int nweights, nbiases, has_bn;
    float *weights, *biases, *scales, *rolling_mean, *rolling_variance;
    float *weight_updates, *bias_updates, *scale_updates;
} relnas_layer_params;

relnas_layer_params relnas_layer_params_of(layer l);

/* Makes plugin layer *dst apply *src's parameters: the same weights, biases, BN scales and
 * running statistics and the same update buffers (host and device), so the backward passes
 * of both add into one gradient, and no update of its own. A layer so made has no
 * parameters of its own for relnas_layer_params_of (and the functions below skip it); give
 * them back with relnas_unshare_params before free_network. For the search network, which applies one module
 * twice when a node takes the same (input, op) twice. */
void relnas_share_params(layer *dst, const layer *src);

/* Undoes relnas_share_params: *l gets back the parameters, update buffers and update of
 * `own`, its struct as it was before; everything the layer made since (its delta, made on
 * the first training pass, and its device copy) stays, for free_network to free. */
void relnas_unshare_params(layer *l, const layer *own);

/* The factor by which layer l's BN running statistics move towards a batch's (PyTorch's
 * momentum): the plugin's layers use RELNAS_BN_MOMENTUM, stock convolutional layers their
 * bn_momentum (Darknet's .01 when unset). */
float relnas_bn_momentum_of(layer l);

/* Total number of gradient values (weights, biases, BN scales) of net. */
long relnas_network_gradient_size(const network *net);

/* Euclidean norm of the mean-over-batch gradient held in the update buffers (Darknet sums
 * over the batch, so the buffers are divided by the batch size). */
double relnas_gradient_norm(const network *net);

/* Scales the update buffers so the gradient norm is at most max_norm (PyTorch's
 * clip_grad_norm_); returns the norm before clipping. */
double relnas_clip_gradient(network *net, double max_norm);

/* The buffers are the host's, or the device's for a network on a GPU (net->gpu_index >= 0).
 * Copies every update buffer into dst (relnas_network_gradient_size floats) or adds src
 * into them: with Darknet's update leaving momentum x previous step in the buffers, a step
 * is  save(m) ; zero ; backward ; clip ; add(m) ; update. */
void relnas_save_updates(const network *net, float *dst);
void relnas_add_updates(network *net, const float *src);
void relnas_zero_updates(network *net);

/* A buffer of relnas_network_gradient_size floats, zeroed, where the network computes (host,
 * or device for a network on a GPU): for relnas_save_updates / relnas_add_updates. */
float *relnas_updates_alloc(const network *net);
void relnas_updates_free(const network *net, float *buffer);

#endif
