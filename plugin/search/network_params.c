#include <math.h>
#include <string.h>
#include "network_params.h"
#include "blas.h"

relnas_layer_params relnas_layer_params_of(layer l)
{
    relnas_layer_params p = {0};
    if (l.type == PLUGIN) {
        p = (relnas_layer_params){l.nweights, l.nbiases, 1, l.weights, l.biases, l.scales, l.rolling_mean,
                                  l.rolling_variance, l.weight_updates, l.bias_updates, l.scale_updates};
    } else if (l.type == CONVOLUTIONAL) {
        p = (relnas_layer_params){l.nweights, l.n, l.batch_normalize, l.weights, l.biases, l.scales,
                                  l.rolling_mean, l.rolling_variance, l.weight_updates, l.bias_updates,
                                  l.scale_updates};
    } else if (l.type == CONNECTED) {
        p = (relnas_layer_params){l.inputs * l.outputs, l.outputs, 0, l.weights, l.biases, NULL, NULL,
                                  NULL, l.weight_updates, l.bias_updates, NULL};
    }
    if (!p.weights) memset(&p, 0, sizeof(p));
    return p;
}

/* Calls visit(buffer, n, ctx) for every update buffer of net, in a fixed order. */
static void each_update_buffer(const network *net, void (*visit)(float *, int, void *), void *ctx)
{
    for (int i = 0; i < net->n; ++i) {
        relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
        if (!p.weights) continue;
        visit(p.weight_updates, p.nweights, ctx);
        visit(p.bias_updates, p.nbiases, ctx);
        if (p.has_bn && p.scale_updates) visit(p.scale_updates, p.nbiases, ctx);
    }
}

static void count(float *x, int n, void *ctx) { *(long *)ctx += n; }

long relnas_network_gradient_size(const network *net)
{
    long n = 0;
    each_update_buffer(net, count, &n);
    return n;
}

static void sum_squares(float *x, int n, void *ctx)
{
    double s = 0;
    for (int i = 0; i < n; ++i) s += (double)x[i] * x[i];
    *(double *)ctx += s;
}

double relnas_gradient_norm(const network *net)
{
    double ss = 0;
    each_update_buffer(net, sum_squares, &ss);
    return sqrt(ss) / (net->batch * net->subdivisions);
}

static void scale(float *x, int n, void *ctx) { scal_cpu(n, *(float *)ctx, x, 1); }

double relnas_clip_gradient(network *net, double max_norm)
{
    double norm = relnas_gradient_norm(net);
    if (norm > max_norm) {
        float factor = (float)(max_norm / (norm + 1e-6));
        each_update_buffer(net, scale, &factor);
    }
    return norm;
}

typedef struct cursor {
    float *at;
} cursor;

static void save(float *x, int n, void *ctx)
{
    cursor *c = ctx;
    memcpy(c->at, x, sizeof(float) * (size_t)n);
    c->at += n;
}

static void add(float *x, int n, void *ctx)
{
    cursor *c = ctx;
    axpy_cpu(n, 1, c->at, 1, x, 1);
    c->at += n;
}

static void zero(float *x, int n, void *ctx) { memset(x, 0, sizeof(float) * (size_t)n); }

void relnas_save_updates(const network *net, float *dst)
{
    cursor c = {dst};
    each_update_buffer(net, save, &c);
}

void relnas_add_updates(network *net, const float *src)
{
    cursor c = {(float *)src};
    each_update_buffer(net, add, &c);
}

void relnas_zero_updates(network *net)
{
    each_update_buffer(net, zero, NULL);
}
