/* Where a plugin layer reads its input and sends its gradient: layer l.index, or the
 * network's input when l.index is -1 (DARTS ops read any earlier cell state). */
#ifndef RELNAS_LAYER_SOURCE_H
#define RELNAS_LAYER_SOURCE_H

#include "darknet.h"

static inline float *relnas_source_output(layer l, network net)
{
    return l.index >= 0 ? net.layers[l.index].output : net.input;
}

/* NULL when nothing upstream wants a gradient (the network input). */
static inline float *relnas_source_delta(layer l, network net)
{
    return l.index >= 0 ? net.layers[l.index].delta : net.delta;
}

#ifdef GPU
static inline float *relnas_source_output_gpu(layer l, network net)
{
    return l.index >= 0 ? net.layers[l.index].output_gpu : net.input_gpu;
}

static inline float *relnas_source_delta_gpu(layer l, network net)
{
    return l.index >= 0 ? net.layers[l.index].delta_gpu : net.delta_gpu;
}
#endif

/* The input size of a layer reading `from`, after the layers before it were resized;
 * (w, h) is what resize_network passes: the previous layer's output size. */
static inline void relnas_source_size(network *net, int from, int *w, int *h)
{
    if (from >= 0) {
        *w = net->layers[from].out_w;
        *h = net->layers[from].out_h;
    }
}

#endif
