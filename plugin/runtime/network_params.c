#include <math.h>
#include <string.h>
#include "network_params.h"
#include <stdlib.h>
#include "batch_norm.h"
#include "blas.h"
#include "relnas_check.h"
#ifdef GPU
#include "cuda.h"
#include "gpu_device.h"
#include "nas_ops_gpu.h"
#endif

/* A layer relnas_share_params made: parameters, but no update of its own. */
static int borrows_params(layer l)
{
    return l.type == PLUGIN && l.weights && !l.update;
}

void relnas_share_params(layer *dst, const layer *src)
{
    RELNAS_ASSERT(dst->type == PLUGIN && src->type == PLUGIN && dst->nweights == src->nweights &&
                  dst->nbiases == src->nbiases);
    dst->weights = src->weights, dst->biases = src->biases, dst->scales = src->scales;
    dst->rolling_mean = src->rolling_mean, dst->rolling_variance = src->rolling_variance;
    dst->weight_updates = src->weight_updates, dst->bias_updates = src->bias_updates;
    dst->scale_updates = src->scale_updates;
    dst->update = NULL;
#ifdef GPU
    dst->weights_gpu = src->weights_gpu, dst->biases_gpu = src->biases_gpu, dst->scales_gpu = src->scales_gpu;
    dst->rolling_mean_gpu = src->rolling_mean_gpu, dst->rolling_variance_gpu = src->rolling_variance_gpu;
    dst->weight_updates_gpu = src->weight_updates_gpu, dst->bias_updates_gpu = src->bias_updates_gpu;
    dst->scale_updates_gpu = src->scale_updates_gpu;
    dst->update_gpu = NULL;
#endif
}

void relnas_unshare_params(layer *l, const layer *own)
{
    RELNAS_ASSERT(l->type == PLUGIN && own->type == PLUGIN && !l->update); /* a pool has no parameters to share */
    l->weights = own->weights, l->biases = own->biases, l->scales = own->scales;
    l->rolling_mean = own->rolling_mean, l->rolling_variance = own->rolling_variance;
    l->weight_updates = own->weight_updates, l->bias_updates = own->bias_updates;
    l->scale_updates = own->scale_updates;
    l->update = own->update;
#ifdef GPU
    l->weights_gpu = own->weights_gpu, l->biases_gpu = own->biases_gpu, l->scales_gpu = own->scales_gpu;
    l->rolling_mean_gpu = own->rolling_mean_gpu, l->rolling_variance_gpu = own->rolling_variance_gpu;
    l->weight_updates_gpu = own->weight_updates_gpu, l->bias_updates_gpu = own->bias_updates_gpu;
    l->scale_updates_gpu = own->scale_updates_gpu;
    l->update_gpu = own->update_gpu;
#endif
}

relnas_layer_params relnas_layer_params_of(layer l)
{
    relnas_layer_params p = {0};
    if (borrows_params(l)) return p;
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

float relnas_bn_momentum_of(layer l)
{
    if (l.type == PLUGIN) return RELNAS_BN_MOMENTUM;
    return l.bn_momentum > 0 ? l.bn_momentum : .01f;
}

struct visit;

/* The few vector operations the optimiser steps need, on the host or on the device: the
 * one place where the CPU and GPU paths differ (chosen per network). A sum of squares is
 * begun, added to per buffer and ended, so the device sums without a host sync per buffer. */
typedef struct vector_ops {
    void (*sum_squares_begin)(struct visit *v);
    void (*sum_squares_add)(struct visit *v, const float *x, int n);
    double (*sum_squares_end)(struct visit *v);
    void (*scale)(float *x, int n, float a);
    void (*copy)(float *dst, const float *src, int n);
    void (*add)(float *dst, const float *src, int n);
    void (*zero)(float *x, int n);
} vector_ops;

/* A visit's context: the operations, a running sum (on the host, or on the device), a
 * factor, a cursor into a flat array. */
typedef struct visit {
    const vector_ops *ops;
    double sum;
    double *sum_device;
    float factor;
    float *at;
} visit;

static void sum_squares_begin_cpu(visit *v) { v->sum = 0; }
static double sum_squares_end_cpu(visit *v) { return v->sum; }

static void sum_squares_add_cpu(visit *v, const float *x, int n)
{
    double s = 0;
    for (int i = 0; i < n; ++i) s += (double)x[i] * x[i];
    v->sum += s;
}

static void scale_cpu(float *x, int n, float a) { scal_cpu(n, a, x, 1); }
static void copy_to_cpu(float *dst, const float *src, int n) { memcpy(dst, src, sizeof(float) * (size_t)n); }
static void add_cpu(float *dst, const float *src, int n) { axpy_cpu(n, 1, (float *)src, 1, dst, 1); }
static void zero_cpu(float *x, int n) { memset(x, 0, sizeof(float) * (size_t)n); }

static const vector_ops cpu_ops = {
    .sum_squares_begin = sum_squares_begin_cpu, .sum_squares_add = sum_squares_add_cpu,
    .sum_squares_end = sum_squares_end_cpu, .scale = scale_cpu, .copy = copy_to_cpu, .add = add_cpu,
    .zero = zero_cpu,
};

#ifdef GPU
static void sum_squares_begin_device(visit *v) { v->sum_device = relnas_sum_squares_start_gpu(); }
static void sum_squares_add_device(visit *v, const float *x, int n) { relnas_sum_squares_add_gpu(v->sum_device, x, n); }
static double sum_squares_end_device(visit *v) { return relnas_sum_squares_finish_gpu(v->sum_device); }

static void scale_device(float *x, int n, float a) { scal_gpu(n, a, x, 1); }
static void copy_device(float *dst, const float *src, int n) { copy_gpu(n, (float *)src, 1, dst, 1); }
static void add_device(float *dst, const float *src, int n) { axpy_gpu(n, 1, (float *)src, 1, dst, 1); }
static void zero_device(float *x, int n) { fill_gpu(n, 0, x, 1); }

static const vector_ops gpu_ops = {
    .sum_squares_begin = sum_squares_begin_device, .sum_squares_add = sum_squares_add_device,
    .sum_squares_end = sum_squares_end_device, .scale = scale_device, .copy = copy_device,
    .add = add_device, .zero = zero_device,
};
#endif

#ifdef GPU
static int on_gpu(const network *net)
{
    return net->gpu_index >= 0;
}
#endif

static const vector_ops *ops_for(const network *net)
{
    (void)net;
#ifdef GPU
    if (on_gpu(net)) return &gpu_ops;
#endif
    return &cpu_ops;
}

/* The update buffers of layer l where the network computes: host or device. */
static void update_buffers(const network *net, layer l, relnas_layer_params p, float *out[3])
{
    out[0] = p.weight_updates, out[1] = p.bias_updates, out[2] = p.has_bn ? p.scale_updates : NULL;
#ifdef GPU
    if (on_gpu(net)) {
        out[0] = l.weight_updates_gpu, out[1] = l.bias_updates_gpu;
        out[2] = p.has_bn && p.scale_updates ? l.scale_updates_gpu : NULL;
    }
#else
    (void)net, (void)l;
#endif
}

/* Calls fn(buffer, n, ctx) for every update buffer of net, in a fixed order. */
static void each_update_buffer(const network *net, void (*fn)(float *, int, void *), void *ctx)
{
    for (int i = 0; i < net->n; ++i) {
        relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
        if (!p.weights) continue;
        float *buffers[3];
        int sizes[3] = {p.nweights, p.nbiases, p.nbiases};
        update_buffers(net, net->layers[i], p, buffers);
        for (int k = 0; k < 3; ++k)
            if (buffers[k]) fn(buffers[k], sizes[k], ctx);
    }
}

static void count(float *x, int n, void *ctx) { *(long *)ctx += n; }

long relnas_network_gradient_size(const network *net)
{
    long n = 0;
    each_update_buffer(net, count, &n);
    return n;
}

static void sum_squares(float *x, int n, void *ctx) { ((visit *)ctx)->ops->sum_squares_add(ctx, x, n); }
static void scale(float *x, int n, void *ctx) { ((visit *)ctx)->ops->scale(x, n, ((visit *)ctx)->factor); }
static void zero(float *x, int n, void *ctx) { ((visit *)ctx)->ops->zero(x, n); }

static void save(float *x, int n, void *ctx)
{
    visit *v = ctx;
    v->ops->copy(v->at, x, n);
    v->at += n;
}

static void add(float *x, int n, void *ctx)
{
    visit *v = ctx;
    v->ops->add(x, v->at, n);
    v->at += n;
}

double relnas_gradient_norm(const network *net)
{
    visit v = {ops_for(net), 0, NULL, 0, NULL};
    v.ops->sum_squares_begin(&v);
    each_update_buffer(net, sum_squares, &v);
    return sqrt(v.ops->sum_squares_end(&v)) / (net->batch * net->subdivisions);
}

double relnas_clip_gradient(network *net, double max_norm)
{
    double norm = relnas_gradient_norm(net);
    if (norm > max_norm) {
        visit v = {ops_for(net), 0, NULL, (float)(max_norm / (norm + 1e-6)), NULL};
        each_update_buffer(net, scale, &v);
    }
    return norm;
}

void relnas_save_updates(const network *net, float *dst)
{
    visit v = {ops_for(net), 0, NULL, 0, dst};
    each_update_buffer(net, save, &v);
}

void relnas_add_updates(network *net, const float *src)
{
    visit v = {ops_for(net), 0, NULL, 0, (float *)src};
    each_update_buffer(net, add, &v);
}

void relnas_zero_updates(network *net)
{
    visit v = {ops_for(net), 0, NULL, 0, NULL};
    each_update_buffer(net, zero, &v);
}

float *relnas_updates_alloc(const network *net)
{
    size_t n = (size_t)relnas_network_gradient_size(net);
#ifdef GPU
    if (on_gpu(net)) return RELNAS_DEVICE_CALLOC(net->gpu_index, n);
#endif
    return RELNAS_CALLOC(n, sizeof(float));
}

void relnas_updates_free(const network *net, float *buffer)
{
#ifdef GPU
    if (on_gpu(net)) {
        relnas_device_free(buffer);
        return;
    }
#endif
    free(buffer);
}
