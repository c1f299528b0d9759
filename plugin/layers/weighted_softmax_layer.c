/* [weighted_softmax]: Darknet's softmax with cross-entropy whose loss (and so gradient) is
 * scaled by loss_weight: the DARTS auxiliary head's loss counts 0.4. Darknet sums every
 * layer's cost, so the network's loss is main + loss_weight * auxiliary. */
#include <stdio.h>
#include "blas.h"
#include "layer_options.h"
#include "layer_registry.h"
#include "relnas_check.h"
#include "softmax_layer.h"

typedef struct weighted_softmax_state {
    float loss_weight;
} weighted_softmax_state;

static float weight_of(layer l) { return ((weighted_softmax_state *)l.plugin_state)->loss_weight; }

static void scale_loss(layer l, network net)
{
    if (!net.truth) return;
    scal_cpu(l.batch * l.inputs, weight_of(l), l.loss, 1);
    l.cost[0] *= weight_of(l);
}

static void forward_weighted_softmax(layer l, network net)
{
    forward_softmax_layer(l, net);
    if (!net.truth) return;
    scal_cpu(l.batch * l.inputs, weight_of(l), l.delta, 1);
    scale_loss(l, net);
}

static void backward_weighted_softmax(layer l, network net)
{
    backward_softmax_layer(l, net);
}

#ifdef GPU
static void forward_weighted_softmax_gpu(layer l, network net)
{
    forward_softmax_layer_gpu(l, net);
    if (!net.truth) return;
    scal_gpu(l.batch * l.inputs, weight_of(l), l.delta_gpu, 1);
    scale_loss(l, net);
}

static void backward_weighted_softmax_gpu(layer l, network net)
{
    backward_softmax_layer_gpu(l, net);
}
#endif

static void resize_weighted_softmax(layer *l, network *net, int w, int h)
{
    /* Its input is a fully connected layer's output: no size to follow. */
}

static void free_weighted_softmax(layer l)
{
    free(l.plugin_state);
}

static int parse_weighted_softmax(layer *l, list *options, size_params params, char *err, size_t errlen)
{
    float weight;
    if (relnas_opt_float(options, "loss_weight", 1, 0, 1000, &weight, err, errlen)) return -1;
    *l = make_softmax_layer(params.batch, params.inputs, 1);
    l->temperature = 1; /* make_softmax_layer leaves it 0 (parse_softmax sets it): exp(x / 0) */
    weighted_softmax_state *st = RELNAS_CALLOC(1, sizeof(*st));
    st->loss_weight = weight;
    l->plugin_state = st;
    l->index = params.index - 1; /* plugin layers name their source; this one reads the previous */
    l->forward = forward_weighted_softmax;
    l->backward = backward_weighted_softmax;
#ifdef GPU
    l->forward_gpu = forward_weighted_softmax_gpu;
    l->backward_gpu = backward_weighted_softmax_gpu;
#endif
    fprintf(stderr, "weighted_softmax %d, loss weight %g\n", params.inputs, weight);
    return 0;
}

const relnas_layer_kind relnas_weighted_softmax_kind = {
    .section = "[weighted_softmax]",
    .summary = "softmax + cross-entropy with its loss scaled by loss_weight (DARTS auxiliary head: 0.4)",
    .parse = parse_weighted_softmax,
    .resize = resize_weighted_softmax,
    .free_state = free_weighted_softmax,
};
