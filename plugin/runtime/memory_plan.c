#include <stdlib.h>
#include <string.h>
#include "memory_plan.h"
#include "layer_registry.h"
#include "network_graph.h"
#include "relnas_check.h"

typedef struct memory_plan {
    int n, nbuffers;
    float **buffers;
    char *shared_output, *shared_delta; /* per layer */
    int *last_use;                      /* per layer: the last layer that reads it */
} memory_plan;

/* Layer types known to write their whole output on every forward pass, to add (never
 * write) into the deltas of what they read, and to keep no other pointer to either. */
static int plannable(layer l)
{
    switch (l.type) {
    case CONVOLUTIONAL: case CONNECTED: case ROUTE: case SHORTCUT: case MAXPOOL: case AVGPOOL:
    case ACTIVE: case SOFTMAX: case PLUGIN:
        return 1;
    default:
        return 0;
    }
}

static size_t tensor_bytes(layer l)
{
    return sizeof(float) * (size_t)l.outputs * (size_t)l.batch;
}

/* last_use[i]: the last layer that reads layer i (itself if none; n - 1 to keep it). */
static void last_uses(const network *net, int keep_layer, int *last_use)
{
    int n = net->n;
    for (int i = 0; i < n; ++i) last_use[i] = i;
    for (int j = 0; j < n; ++j) {
        int inputs[64], k = relnas_layer_inputs(net, j, inputs, 64);
        for (int t = 0; t < k; ++t) {
            if (inputs[t] < 0 || inputs[t] >= n) continue;
            int until = plannable(net->layers[j]) ? j : n - 1; /* an unknown reader may keep an alias */
            if (until > last_use[inputs[t]]) last_use[inputs[t]] = until;
        }
    }
    last_use[n - 1] = n - 1;
    for (int i = n - 1; i >= 0; --i) /* Darknet's output layer: the last that is not a cost */
        if (net->layers[i].type != COST) {
            last_use[i] = n - 1;
            break;
        }
    if (keep_layer >= 0 && keep_layer < n) last_use[keep_layer] = n - 1;
}

/* Gives each layer with want[i] a buffer (assign[i]; -1 for none) alive over
 * [i, last_use[i]], sharing between disjoint intervals; returns the buffer count. */
static int assign_buffers(const network *net, const char *want, const int *last_use, int *assign, size_t *size)
{
    int *busy_until = RELNAS_CALLOC((size_t)net->n, sizeof(int)), nbuffers = 0;
    for (int i = 0; i < net->n; ++i) {
        assign[i] = -1;
        if (!want[i]) continue;
        size_t need = tensor_bytes(net->layers[i]);
        int best = -1;
        for (int b = 0; b < nbuffers; ++b) {
            if (busy_until[b] >= i) continue;
            int fits = size[b] >= need, best_fits = best >= 0 && size[best] >= need;
            if (best < 0 || (fits && (!best_fits || size[b] < size[best])) || (!fits && !best_fits && size[b] > size[best]))
                best = b;
        }
        if (best < 0) best = nbuffers++, size[best] = 0;
        if (need > size[best]) size[best] = need;
        busy_until[best] = last_use[i];
        assign[i] = best;
    }
    free(busy_until);
    return nbuffers;
}

static void unplan(network *net, int restore);

static memory_plan *new_plan(const network *net)
{
    memory_plan *p = RELNAS_CALLOC(1, sizeof(*p));
    p->n = net->n;
    p->shared_output = RELNAS_CALLOC((size_t)net->n, 1);
    p->shared_delta = RELNAS_CALLOC((size_t)net->n, 1);
    p->last_use = RELNAS_CALLOC((size_t)net->n, sizeof(int));
    return p;
}

static size_t buffer_bytes(const network *net)
{
    size_t total = 0;
    for (int i = 0; i < net->n; ++i)
        total += (net->layers[i].output ? tensor_bytes(net->layers[i]) : 0) +
                 (net->layers[i].delta ? tensor_bytes(net->layers[i]) : 0);
    return total;
}

/* Moves the outputs (deltas = 0) or deltas (1) of the layers with want[i] into shared buffers. */
static void share(network *net, memory_plan *p, const char *want, int deltas, relnas_plan_memory *m)
{
    int *assign = RELNAS_CALLOC((size_t)net->n, sizeof(int));
    size_t *size = RELNAS_CALLOC((size_t)net->n, sizeof(size_t));
    p->nbuffers = assign_buffers(net, want, p->last_use, assign, size);
    p->buffers = RELNAS_CALLOC((size_t)p->nbuffers, sizeof(float *));
    for (int b = 0; b < p->nbuffers; ++b) p->buffers[b] = RELNAS_CALLOC(size[b], 1), m->after += size[b];
    for (int i = 0; i < net->n; ++i) {
        if (assign[i] < 0) continue;
        float **slot = deltas ? &net->layers[i].delta : &net->layers[i].output;
        m->after -= tensor_bytes(net->layers[i]); /* counted in before, made or not */
        free(*slot);
        *slot = p->buffers[assign[i]];
        (deltas ? p->shared_delta : p->shared_output)[i] = 1;
    }
    m->buffers = p->nbuffers;
    free(assign), free(size);
}

relnas_plan_memory relnas_plan_inference(network *net, int keep_layer)
{
    if (net->plugin_plan) unplan(net, 1);
    relnas_plan_memory m = {buffer_bytes(net), 0, 0};
    for (int i = 0; i < net->n; ++i) {
        layer *l = &net->layers[i];
        if (l->delta && !relnas_layer_is_loss(*l) && net->gpu_index < 0) free(l->delta), l->delta = NULL;
    }
    m.after = buffer_bytes(net);
    if (net->gpu_index >= 0) return m;
    memory_plan *p = new_plan(net);
    char *want = RELNAS_CALLOC((size_t)net->n, 1);
    for (int i = 0; i < net->n; ++i) want[i] = plannable(net->layers[i]);
    last_uses(net, keep_layer, p->last_use);
    share(net, p, want, 0, &m);
    free(want);
    net->plugin_plan = p;
    net->output = get_network_output_layer(net).output;
    return m;
}

relnas_plan_memory relnas_plan_training(network *net)
{
    if (net->plugin_plan) unplan(net, 1);
    relnas_plan_memory m = {buffer_bytes(net), 0, 0};
    for (int i = 0; i < net->n; ++i) /* deltas made on the first training pass count too */
        if (net->layers[i].output && !net->layers[i].delta) m.before += tensor_bytes(net->layers[i]);
    m.after = m.before;
    if (net->gpu_index >= 0) return m;
    memory_plan *p = new_plan(net);
    char *want = RELNAS_CALLOC((size_t)net->n, 1);
    for (int i = 0; i < net->n; ++i) want[i] = plannable(net->layers[i]) && !relnas_layer_is_loss(net->layers[i]);
    last_uses(net, -1, p->last_use);
    share(net, p, want, 1, &m);
    free(want);
    net->plugin_plan = p;
    return m;
}

void relnas_plan_before_backward(network *net, int i)
{
    const memory_plan *p = net->plugin_plan;
    for (int k = 0; k <= i; ++k)
        if (p->shared_delta[k] && p->last_use[k] == i) memset(net->layers[k].delta, 0, tensor_bytes(net->layers[k]));
}

/* Drops the plan; layers that shared a buffer get their own (restore) or none. */
static void unplan(network *net, int restore)
{
    memory_plan *p = net->plugin_plan;
    for (int i = 0; i < p->n && i < net->n; ++i) {
        layer *l = &net->layers[i];
        size_t floats = (size_t)l->outputs * l->batch;
        if (p->shared_output[i]) l->output = restore ? RELNAS_CALLOC(floats, sizeof(float)) : NULL;
        if (p->shared_delta[i]) l->delta = restore ? RELNAS_CALLOC(floats, sizeof(float)) : NULL;
    }
    for (int b = 0; b < p->nbuffers; ++b) free(p->buffers[b]);
    free(p->buffers), free(p->shared_output), free(p->shared_delta), free(p->last_use);
    free(p);
    net->plugin_plan = NULL;
    if (restore) net->output = get_network_output_layer(net).output;
}

void relnas_plan_drop(network *net)
{
    unplan(net, 1);
}

void relnas_plan_free(network *net)
{
    unplan(net, 0);
}
