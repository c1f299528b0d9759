#include <stdio.h>
#include <stdlib.h>
#include "factorized_reduce_layer.h"
#include "cuda.h"
#include "drop_path.h"
#include "layer_options.h"
#include "layer_output.h"
#include "layer_params.h"
#include "layer_source.h"
#include "layer_registry.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "tensor_layout.h"

static relnas_fr_state *state_of(layer l) { return (relnas_fr_state *)l.plugin_state; }

static void setup_buffers(layer *l, relnas_fr_state *st, int h, int w)
{
    l->h = h;
    l->w = w;
    l->out_h = h / 2;
    l->out_w = w / 2;
    l->inputs = h * w * l->c;
    l->outputs = l->out_h * l->out_w * l->out_c;
    int spatial = l->out_h * l->out_w;
    st->pw = relnas_pw_shape_make(l->batch, l->c, l->out_c / 2, spatial);
    st->bn = relnas_bn_shape_make(l->batch, l->out_c, spatial, RELNAS_CNHW, RELNAS_NCHW);
    long n = (long)l->batch * l->outputs, nsub = (long)l->batch * l->c * spatial;
    relnas_alloc_output(l);
    relnas_alloc_delta(l);
    st->x_hat = RELNAS_CALLOC(n, sizeof(float));
    st->mean = RELNAS_CALLOC(l->out_c, sizeof(float));
    st->var = RELNAS_CALLOC(l->out_c, sizeof(float));
    for (int k = 0; k < 2; ++k) st->sub[k] = RELNAS_CALLOC(nsub, sizeof(float));
#ifdef GPU
    if (gpu_index >= 0) {
        st->x_hat_gpu = cuda_make_array(st->x_hat, n);
        st->mean_gpu = cuda_make_array(st->mean, l->out_c);
        st->var_gpu = cuda_make_array(st->var, l->out_c);
        for (int k = 0; k < 2; ++k) st->sub_gpu[k] = cuda_make_array(st->sub[k], nsub);
    }
#endif
    /* Backward scratch: the BN input gradient, then one half's 1x1 input gradient. */
    l->workspace_size = (size_t)(n + nsub) * sizeof(float);
}

/* Frees what setup_buffers made, except l.output and l.delta (free_layer frees those). */
static void free_buffers(layer l, relnas_fr_state *st)
{
    free(st->x_hat);
    free(st->mean);
    free(st->var);
    for (int k = 0; k < 2; ++k) free(st->sub[k]);
#ifdef GPU
    if (st->x_hat_gpu) {
        cuda_free(st->x_hat_gpu);
        cuda_free(st->mean_gpu);
        cuda_free(st->var_gpu);
        for (int k = 0; k < 2; ++k) cuda_free(st->sub_gpu[k]);
    }
#endif
}

layer relnas_make_factorized_reduce_layer(int batch, int from, int h, int w, int c, int filters,
                                          float drop_path)
{
    layer l = {0};
    relnas_fr_state *st = RELNAS_CALLOC(1, sizeof(*st));
    st->drop = relnas_drop_path_make(drop_path, batch);
    l.plugin_state = st;
    l.batch = batch;
    l.index = from;
    l.c = c;
    l.out_c = l.n = filters;
    l.size = 1;
    l.stride = 2;
    relnas_params_alloc(&l, filters * c, filters);
    relnas_params_init_uniform(l.weights, filters * c, c);
    setup_buffers(&l, st, h, w);
#ifdef GPU
    if (gpu_index >= 0) relnas_params_push(l);
#endif
    l.forward = relnas_forward_factorized_reduce_layer;
    l.backward = relnas_backward_factorized_reduce_layer;
    l.update = relnas_update_factorized_reduce_layer;
#ifdef GPU
    l.forward_gpu = relnas_forward_factorized_reduce_layer_gpu;
    l.backward_gpu = relnas_backward_factorized_reduce_layer_gpu;
    l.update_gpu = relnas_update_factorized_reduce_layer_gpu;
#endif
    return l;
}

/* sub[k] (CNHW) [c, b, y, x] = relu(in (NCHW) [b, c, 2y + k, 2x + k]). */
static void sample_relu(float *sub, const float *in, layer l, int k)
{
    long spatial = (long)l.out_h * l.out_w;
    #pragma omp parallel for schedule(static)
    for (int q = 0; q < l.batch * l.c; ++q) {
        int b = q / l.c, c = q % l.c;
        const float *src = in + relnas_plane_offset(RELNAS_NCHW, b, c, l.batch, l.c, (long)l.h * l.w);
        float *dst = sub + relnas_plane_offset(RELNAS_CNHW, b, c, l.batch, l.c, spatial);
        for (int y = 0; y < l.out_h; ++y)
            for (int x = 0; x < l.out_w; ++x) {
                float v = src[(2 * y + k) * l.w + 2 * x + k];
                dst[y * l.out_w + x] = v < 0 ? 0 : v; /* NaN stays NaN */
            }
    }
}

/* din (NCHW) [b, c, 2y + k, 2x + k] += dsub (CNHW) [c, b, y, x] where the input was positive. */
static void scatter_relu_grad(float *din, const float *dsub, const float *in, layer l, int k)
{
    long spatial = (long)l.out_h * l.out_w;
    #pragma omp parallel for schedule(static)
    for (int q = 0; q < l.batch * l.c; ++q) {
        int b = q / l.c, c = q % l.c;
        long base = relnas_plane_offset(RELNAS_NCHW, b, c, l.batch, l.c, (long)l.h * l.w);
        const float *g = dsub + relnas_plane_offset(RELNAS_CNHW, b, c, l.batch, l.c, spatial);
        for (int y = 0; y < l.out_h; ++y)
            for (int x = 0; x < l.out_w; ++x) {
                long i = base + (2 * y + k) * l.w + 2 * x + k;
                if (in[i] > 0) din[i] += g[y * l.out_w + x];
            }
    }
}

void relnas_forward_factorized_reduce_layer(layer l, network net)
{
    relnas_fr_state *st = state_of(l);
    const float *x = relnas_source_output(l, net);
    long half = (long)st->pw.c_out * st->pw.n;
    for (int k = 0; k < 2; ++k) {
        sample_relu(st->sub[k], x, l, k);
        relnas_pointwise_forward(st->x_hat + k * half, st->sub[k], l.weights + k * st->pw.c_out * l.c, st->pw);
    }
    if (net.train)
        relnas_bn_forward_train(l.output, st->x_hat, st->mean, st->var, st->x_hat, l.scales, l.biases,
                                l.rolling_mean, l.rolling_variance, st->bn);
    else
        relnas_bn_forward_infer(l.output, st->x_hat, l.scales, l.biases, l.rolling_mean,
                                l.rolling_variance, st->bn);
    relnas_drop_path_forward(&st->drop, net, l.output, l.batch, l.outputs);
}

void relnas_backward_factorized_reduce_layer(layer l, network net)
{
    relnas_fr_state *st = state_of(l);
    relnas_drop_path_backward(&st->drop, l.delta, l.batch, l.outputs);
    float *bn_grad = net.workspace, *sub_grad = net.workspace + (long)l.batch * l.outputs;
    relnas_bn_backward(bn_grad, l.scale_updates, l.bias_updates, l.delta, st->x_hat, l.scales,
                       st->var, st->bn);
    const float *x = relnas_source_output(l, net);
    float *dx = relnas_source_delta(l, net);
    long half = (long)st->pw.c_out * st->pw.n;
    for (int k = 0; k < 2; ++k) {
        float *weights = l.weights + k * st->pw.c_out * l.c;
        float *updates = l.weight_updates + k * st->pw.c_out * l.c;
        relnas_pointwise_backward_weights(updates, bn_grad + k * half, st->sub[k], st->pw);
        if (!dx) continue;
        relnas_pointwise_backward_input(sub_grad, bn_grad + k * half, weights, st->pw);
        scatter_relu_grad(dx, sub_grad, x, l, k);
    }
}

void relnas_update_factorized_reduce_layer(layer l, update_args a)
{
    relnas_params_update(l, a);
}

void relnas_resize_factorized_reduce_layer(layer *l, network *net, int w, int h)
{
    relnas_source_size(net, l->index, &w, &h);
    RELNAS_ASSERT(h % 2 == 0 && w % 2 == 0); /* resize_network cannot report; parse checked */
    free_buffers(*l, state_of(*l));
    relnas_free_output(l);
    relnas_drop_path_resize(&state_of(*l)->drop, l->batch);
    setup_buffers(l, state_of(*l), h, w);
}

void relnas_free_factorized_reduce_layer(layer l)
{
    relnas_fr_state *st = state_of(l);
    free_buffers(l, st);
    relnas_drop_path_free(&st->drop);
    free(st);
}

static double factorized_reduce_multiply_adds(layer l)
{
    return (double)l.out_h * l.out_w * l.c * l.out_c; /* two 1x1 convs, each to out_c / 2 */
}

static int parse_factorized_reduce(layer *l, list *options, size_params params, char *err, size_t errlen)
{
    int from, h, w, c, filters;
    float drop_path;
    if (relnas_opt_input(options, params, &from, &h, &w, &c, err, errlen)) return -1;
    if (relnas_opt_int(options, "filters", c, 2, 1 << 20, &filters, err, errlen)) return -1;
    if (relnas_opt_float(options, "drop_path", 0, 0, 1, &drop_path, err, errlen)) return -1;
    if (filters % 2)
        return relnas_errorf(err, errlen, "filters: expected an even number (two halves), found %d", filters);
    if (h % 2 || w % 2)
        return relnas_errorf(err, errlen, "expected an input of even height and width (FactorizedReduce halves it), found %d x %d",
                           w, h);
    *l = relnas_make_factorized_reduce_layer(params.batch, from, h, w, c, filters, drop_path);
    fprintf(stderr, "%-12s %4d 1 x1 /2 x2   %4d x%4d x%4d   ->  %4d x%4d x%4d  (input %d)\n",
            "fact_reduce", filters, l->w, l->h, l->c, l->out_w, l->out_h, l->out_c, from);
    return 0;
}

const relnas_layer_kind relnas_factorized_reduce_kind = {
    .section = "[factorized_reduce]",
    .summary = "ReLU, two 1x1 stride-2 convs (one shifted a pixel), concat, BN (DARTS FactorizedReduce)",
    .parse = parse_factorized_reduce,
    .save_weights = relnas_params_save,
    .load_weights = relnas_params_load,
    .resize = relnas_resize_factorized_reduce_layer,
    .free_state = relnas_free_factorized_reduce_layer,
    .multiply_adds = factorized_reduce_multiply_adds,
};

#ifdef GPU
#include "nas_ops_gpu.h"

void relnas_forward_factorized_reduce_layer_gpu(layer l, network net)
{
    relnas_fr_state *st = state_of(l);
    const float *x = relnas_source_output_gpu(l, net);
    long half = (long)st->pw.c_out * st->pw.n;
    for (int k = 0; k < 2; ++k) {
        relnas_sample_relu_gpu(st->sub_gpu[k], x, l.batch, l.c, l.h, l.w, k);
        relnas_pointwise_forward_gpu(st->x_hat_gpu + k * half, st->sub_gpu[k],
                                     l.weights_gpu + k * st->pw.c_out * l.c, st->pw);
    }
    if (net.train)
        relnas_bn_forward_train_gpu(l.output_gpu, st->x_hat_gpu, st->mean_gpu, st->var_gpu,
                                    st->x_hat_gpu, l.scales_gpu, l.biases_gpu, l.rolling_mean_gpu,
                                    l.rolling_variance_gpu, st->bn);
    else
        relnas_bn_forward_infer_gpu(l.output_gpu, st->x_hat_gpu, l.scales_gpu, l.biases_gpu,
                                    l.rolling_mean_gpu, l.rolling_variance_gpu, st->bn);
    relnas_drop_path_forward_gpu(&st->drop, net, l.output_gpu, l.batch, l.outputs);
}

void relnas_backward_factorized_reduce_layer_gpu(layer l, network net)
{
    relnas_fr_state *st = state_of(l);
    relnas_drop_path_backward_gpu(&st->drop, l.delta_gpu, l.batch, l.outputs);
    float *bn_grad = net.workspace, *sub_grad = net.workspace + (long)l.batch * l.outputs;
    relnas_bn_backward_gpu(bn_grad, l.scale_updates_gpu, l.bias_updates_gpu, l.delta_gpu,
                           st->x_hat_gpu, l.scales_gpu, st->var_gpu, st->bn);
    const float *x = relnas_source_output_gpu(l, net);
    float *dx = relnas_source_delta_gpu(l, net);
    long half = (long)st->pw.c_out * st->pw.n;
    for (int k = 0; k < 2; ++k) {
        relnas_pointwise_backward_weights_gpu(l.weight_updates_gpu + k * st->pw.c_out * l.c,
                                              bn_grad + k * half, st->sub_gpu[k], st->pw);
        if (!dx) continue;
        relnas_pointwise_backward_input_gpu(sub_grad, bn_grad + k * half,
                                            l.weights_gpu + k * st->pw.c_out * l.c, st->pw);
        relnas_scatter_relu_grad_gpu(dx, sub_grad, x, l.batch, l.c, l.h, l.w, k);
    }
}

void relnas_update_factorized_reduce_layer_gpu(layer l, update_args a)
{
    relnas_params_update_gpu(l, a);
}
#endif
