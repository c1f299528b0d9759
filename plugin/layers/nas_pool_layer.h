/* Local max or average pooling reading any earlier layer, with an optional ReLU on its
 * input and drop-path: DARTS max_pool_3x3 / avg_pool_3x3 (count_include_pad=False) and the
 * auxiliary head's ReLU + 5x5/3 average pool. */
#ifndef RELNAS_NAS_POOL_LAYER_H
#define RELNAS_NAS_POOL_LAYER_H

#include "darknet.h"
#include "depthwise_conv.h"
#include "drop_path.h"
#include "local_pool.h"

typedef struct relnas_pool_state {
    int max;          /* 1: max pooling, 0: average */
    relnas_pool_shape shape;
    int *argmax;      /* max pooling: input offset of each output's maximum */
    /* Average pooling on the CPU runs as a depthwise conv with all-ones kernels (the fast
     * kernel we have), then scales each output by 1 / (cells of its window inside). */
    relnas_dw_shape sum_shape;
    float *ones, *inv_count;
    relnas_drop_path drop;
#ifdef GPU
    int *argmax_gpu;
#endif
} relnas_pool_state;

/* A pooling layer reading layer `from` (-1: the network input) of size h x w x c. */
layer relnas_make_pool_layer(int batch, int from, int h, int w, int c, int max, int size,
                             int stride, int pad, int relu_input, float drop_path);

void relnas_forward_pool_layer(layer l, network net);
void relnas_backward_pool_layer(layer l, network net);
void relnas_resize_pool_layer(layer *l, network *net, int w, int h);
void relnas_free_pool_layer(layer l);

#ifdef GPU
void relnas_forward_pool_layer_gpu(layer l, network net);
void relnas_backward_pool_layer_gpu(layer l, network net);
#endif

#endif
