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

/* A conv chain times its stages itself (conv_chain_layer.c): what is left of its time is
 * drop path and copies, with no FLOPs or bytes to speak of. */
static void count_layer(wrapped_layer *w, layer l)
{
    int chain = l.forward == relnas_forward_conv_chain_layer;
    w->flops = chain ? 0 : 2.0 * l.batch * relnas_layer_multiply_adds(l);
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
        snprintf(w->forward_name, sizeof(w->forward_name), "%s forward", relnas_layer_type_name(*l));
        snprintf(w->backward_name, sizeof(w->backward_name), "%s backward", relnas_layer_type_name(*l));
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
