/* Helpers for layer tests: build a network from cfg text, run a forward/backward pass with
 * a fixed linear probe on the output, and measure derivatives by central differences. */
#ifndef RELNAS_LAYER_HARNESS_H
#define RELNAS_LAYER_HARNESS_H

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "darknet.h"

/* Parses cfg text (written to a temporary file) into a network. */
static inline network *harness_network(const char *cfg_text)
{
    char path[] = "/tmp/relnas-layer-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    FILE *fp = fdopen(fd, "w");
    fputs(cfg_text, fp);
    fclose(fp);
    network *net = parse_network_cfg(path);
    unlink(path);
    return net;
}

/* Darknet's set_batch_network keeps net->input and net->truth at the parsed batch (it is
 * meant to shrink); a test that grows the batch grows them too. */
static inline void harness_grow_input(network *net)
{
    free(net->input), free(net->truth);
    net->input = calloc((size_t)net->inputs * net->batch, sizeof(float));
    net->truth = calloc((size_t)net->truths * net->batch, sizeof(float));
}

/* Deterministic values in [-1, 1] from a seed; away from 0 by at least `gap` so that
 * ReLU kinks sit far from finite-difference steps. */
static inline void harness_fill(float *x, long n, unsigned seed, float gap)
{
    for (long i = 0; i < n; ++i) {
        seed = seed * 1664525u + 1013904223u;
        float u = (float)(seed >> 8) / (float)(1u << 24) * 2 - 1;
        float mag = gap + (1 - gap) * fabsf(u);
        x[i] = u < 0 ? -mag : mag;
    }
}

/* A training batch: input from harness_fill(seed), sample b labelled class b % truths. */
static inline void harness_training_batch(network *net, unsigned seed)
{
    harness_fill(net->input, (long)net->inputs * net->batch, seed, 0);
    memset(net->truth, 0, sizeof(float) * net->truths * net->batch);
    for (int b = 0; b < net->batch; ++b) net->truth[b * net->truths + b % net->truths] = 1;
    net->train = 1;
}

/* sum(probe * output of the last layer) after a training-mode forward pass on `input`. */
static inline double harness_loss(network *net, const float *input, const float *probe)
{
    memcpy(net->input, input, sizeof(float) * net->inputs * net->batch);
    net->train = 1;
    forward_network(net);
    layer out = net->layers[net->n - 1];
    double sum = 0;
    for (long i = 0; i < (long)out.outputs * out.batch; ++i) sum += (double)probe[i] * out.output[i];
    return sum;
}

/* Forward, then backward with the probe as the output gradient: dinput gets d loss/d input
 * and every layer's weight_updates etc. its parameter gradient (zeroed first). */
static inline void harness_gradients(network *net, const float *input, const float *probe, float *dinput)
{
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        if (l.weight_updates) memset(l.weight_updates, 0, sizeof(float) * l.nweights);
        if (l.scale_updates) memset(l.scale_updates, 0, sizeof(float) * l.nbiases);
        if (l.bias_updates) memset(l.bias_updates, 0, sizeof(float) * l.nbiases);
    }
    harness_loss(net, input, probe);
    layer out = net->layers[net->n - 1];
    memcpy(out.delta, probe, sizeof(float) * out.outputs * out.batch);
    memset(dinput, 0, sizeof(float) * net->inputs * net->batch);
    net->delta = dinput;
    backward_network(net);
    net->delta = NULL;
}

/* Finite differences of the loss in coordinate x[i] (restored after): the one-sided
 * slopes to the right and to the left of x[i]. Their mean is the central difference; when
 * they disagree a kink (ReLU, max) lies within eps and the value says nothing. */
typedef struct harness_slopes {
    double right, left;
} harness_slopes;

static inline harness_slopes harness_coordinate(network *net, float *x, long i, float eps,
                                         const float *input, const float *probe)
{
    float saved = x[i];
    double mid = harness_loss(net, input, probe);
    x[i] = saved + eps;
    double plus = harness_loss(net, input, probe);
    x[i] = saved - eps;
    double minus = harness_loss(net, input, probe);
    x[i] = saved;
    harness_slopes s = {(plus - mid) / eps, (mid - minus) / eps};
    return s;
}

#endif
