/* FactorizedReduce (DARTS): halves the resolution with two 1x1 stride-2 convs, the second
 * on the input shifted by one pixel, each to half of the output channels:
 *   out = BN(concat(conv_a(relu(x)[::2, ::2]), conv_b(relu(x)[1::2, 1::2])))
 * skip_connect in reduction cells and s0's preprocessing after one. Input height and width
 * must be even. BN follows PyTorch (batch_norm.h). */
#ifndef RELNAS_FACTORIZED_REDUCE_LAYER_H
#define RELNAS_FACTORIZED_REDUCE_LAYER_H

#include "darknet.h"
#include "batch_norm.h"
#include "drop_path.h"
#include "pointwise_conv.h"

typedef struct relnas_fr_state {
    relnas_pw_shape pw;   /* one half: c_in -> c_out / 2 at out_h x out_w, into the output */
    relnas_bn_shape bn;
    float *sub[2];        /* relu(x) sampled at even and odd pixels: [batch, c_in, oh, ow] */
    float *x_hat, *mean, *var;
    relnas_drop_path drop;
#ifdef GPU
    float *sub_gpu[2], *x_hat_gpu, *mean_gpu, *var_gpu;
#endif
} relnas_fr_state;

/* A FactorizedReduce layer reading layer `from` (-1: the network input) of even h x w x c,
 * to `filters` (even) channels. */
layer relnas_make_factorized_reduce_layer(int batch, int from, int h, int w, int c, int filters,
                                          float drop_path);

void relnas_forward_factorized_reduce_layer(layer l, network net);
void relnas_backward_factorized_reduce_layer(layer l, network net);
void relnas_update_factorized_reduce_layer(layer l, update_args a);
void relnas_resize_factorized_reduce_layer(layer *l, network *net, int w, int h);
void relnas_free_factorized_reduce_layer(layer l);

#ifdef GPU
void relnas_forward_factorized_reduce_layer_gpu(layer l, network net);
void relnas_backward_factorized_reduce_layer_gpu(layer l, network net);
void relnas_update_factorized_reduce_layer_gpu(layer l, update_args a);
#endif

#endif
