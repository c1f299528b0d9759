/* A chain of stages, each ReLU -> depthwise KxK (optional) -> 1x1 conv -> BN, reading any
 * earlier layer: the shared body of the DARTS ops
 *   sep_conv_KxK  = stage(K, stride, C_in -> C_in) + stage(K, 1, C_in -> C_out)
 *   dil_conv_KxK  = stage(K, stride, dilation 2, C_in -> C_out)
 *   relu_conv_bn  = stage(no depthwise, C_in -> C_out)      (cell preprocessing)
 * followed by drop-path while training. BN follows PyTorch (batch_norm.h).
 * Memory: a chain that only predicts keeps its output alone (intermediates go to the shared
 * workspace); its first training pass allocates what backward needs, l.delta included, in
 * net.layers[net.index]: copies of the layer struct taken before that pass lack them. */
#ifndef RELNAS_CONV_CHAIN_LAYER_H
#define RELNAS_CONV_CHAIN_LAYER_H

#include "darknet.h"
#include "batch_norm.h"
#include "depthwise_conv.h"
#include "drop_path.h"
#include "pointwise_conv.h"

#define RELNAS_CHAIN_MAX_STAGES 2

typedef struct relnas_stage_spec {
    int c_out;
    int ksize; /* 0: no depthwise conv */
    int stride, dilation;
} relnas_stage_spec;

typedef struct relnas_stage {
    relnas_stage_spec spec;
    relnas_dw_shape dw;
    relnas_pw_shape pw;
    relnas_bn_shape bn;
    long dw_offset, pw_offset, bn_offset; /* into l.weights / l.scales */
    /* pw_in, x_hat and (but for the last stage) out exist once the layer trains; when it
     * only predicts, they live in the shared workspace. out is l.output for the last stage. */
    float *pw_in, *x_hat, *out, *mean, *var;
#ifdef GPU
    float *pw_in_gpu, *x_hat_gpu, *out_gpu, *mean_gpu, *var_gpu;
#endif
} relnas_stage;

typedef struct relnas_chain_state {
    int nstages;
    int training_buffers; /* the stages' own buffers and the delta exist */
    relnas_stage stage[RELNAS_CHAIN_MAX_STAGES];
    relnas_drop_path drop;
} relnas_chain_state;

/* A chain layer reading layer `from` (-1: the network input) of size h x w x c. */
layer relnas_make_conv_chain_layer(int batch, int from, int h, int w, int c,
                                   const relnas_stage_spec *specs, int nstages, float drop_path);

void relnas_forward_conv_chain_layer(layer l, network net);
void relnas_backward_conv_chain_layer(layer l, network net);
void relnas_update_conv_chain_layer(layer l, update_args a);
void relnas_resize_conv_chain_layer(layer *l, network *net, int w, int h);
void relnas_free_conv_chain_layer(layer l);

#ifdef GPU
void relnas_forward_conv_chain_layer_gpu(layer l, network net);
void relnas_backward_conv_chain_layer_gpu(layer l, network net);
void relnas_update_conv_chain_layer_gpu(layer l, update_args a);
#endif

/* Multiply-adds per image of the depthwise and 1x1 convolutions. */
double relnas_conv_chain_multiply_adds(layer l);

/* The chain's state of a layer made by relnas_make_conv_chain_layer. */
relnas_chain_state *relnas_chain_state_of(layer l);

#endif
