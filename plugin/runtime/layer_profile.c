#include <stdio.h>
#include <stdlib.h>
#include "layer_profile.h"
#include "conv_chain_layer.h"
#include "layer_registry.h"
#include "op_profile.h"
#include "relnas_check.h"

typedef struct wrapped_layer {
    void (*forward)(layer, network);
    void (*backward)(layer, network);
    char forward_name[64], backward_name[64];
    double flops, bytes; /* of a forward pass; backward: twice */
} wrapped_layer;

static wrapped_layer *wrapped; /* one per layer of the network profiled, by net.index */
static int nwrapped;

static const char *type_name(layer l)
{
    return l.type == PLUGIN ? relnas_layer_kind_at(l.plugin_kind)->section : get_layer_string(l.type);
}

/* Forward FLOPs, from the multiply-adds Darknet's convolution and connected layers and the
 * plugin's layer kinds count. */
static double layer_flops(layer l)
{
    if (l.type == CONVOLUTIONAL)
        return 2.0 * l.batch * l.n * (l.c / (l.groups ? l.groups : 1)) * l.size * l.size * l.out_h * l.out_w;
    if (l.type == CONNECTED) return 2.0 * l.batch * l.inputs * l.outputs;
    if (l.type == PLUGIN && relnas_layer_kind_at(l.plugin_kind)->multiply_adds)
        return 2.0 * l.batch * relnas_layer_kind_at(l.plugin_kind)->multiply_adds(l);
    return 0;
}

/* A conv chain times its stages itself (conv_chain_layer.c): what is left of its time is
 * drop path and copies, with no FLOPs or bytes to speak of. */
static void count_layer(wrapped_layer *w, layer l)
{
    int chain = l.forward == relnas_forward_conv_chain_layer;
    w->flops = chain ? 0 : layer_flops(l);
    w->bytes = chain ? 0 : 4.0 * l.batch * ((double)l.inputs + l.outputs);
}

static void profiled_forward(layer l, network net)
{
    RELNAS_ASSERT(net.index < nwrapped);
    wrapped_layer *w = &wrapped[net.index];
    RELNAS_TIMED_OP(w->forward_name, w->flops, w->bytes, w->forward(l, net));
}

static void profiled_backward(layer l, network net)
{
    RELNAS_ASSERT(net.index < nwrapped);
    wrapped_layer *w = &wrapped[net.index];
    RELNAS_TIMED_OP(w->backward_name, 2 * w->flops, 2 * w->bytes, w->backward(l, net));
}

void relnas_profile_layers(network *net)
{
    RELNAS_ASSERT(!wrapped);
    nwrapped = net->n;
    wrapped = RELNAS_CALLOC(nwrapped, sizeof(*wrapped));
    for (int i = 0; i < net->n; ++i) {
        layer *l = &net->layers[i];
        wrapped_layer *w = &wrapped[i];
        w->forward = l->forward;
        w->backward = l->backward;
        count_layer(w, *l);
        snprintf(w->forward_name, sizeof(w->forward_name), "%s forward", type_name(*l));
        snprintf(w->backward_name, sizeof(w->backward_name), "%s backward", type_name(*l));
        l->forward = profiled_forward;
        if (l->backward) l->backward = profiled_backward;
    }
}

void relnas_unprofile_layers(network *net)
{
    RELNAS_ASSERT(wrapped && nwrapped == net->n);
    for (int i = 0; i < net->n; ++i) {
        net->layers[i].forward = wrapped[i].forward;
        net->layers[i].backward = wrapped[i].backward;
    }
    free(wrapped);
    wrapped = NULL;
    nwrapped = 0;
}
