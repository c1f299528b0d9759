#include <stdio.h>
#include <stdlib.h>
#include "nas_pool_layer.h"
#include "cuda.h"
#include "drop_path.h"
#include "layer_options.h"
#include "layer_output.h"
#include "layer_source.h"
#include "layer_registry.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "tensor_layout.h"

static relnas_pool_state *state_of(layer l) { return (relnas_pool_state *)l.plugin_state; }

/* 1 / (number of window cells inside the input) for each output position. */
static void setup_average(layer *l, relnas_pool_state *st)
{
    relnas_pool_shape s = st->shape;
    st->sum_shape = relnas_dw_shape_make(l->batch, l->c, s.h, s.w, s.size, s.stride, 1, s.pad,
                                         s.relu_input);
    st->sum_shape.out_layout = RELNAS_NCHW;
    st->ones = RELNAS_CALLOC((size_t)l->c * s.size * s.size, sizeof(float));
    for (int i = 0; i < l->c * s.size * s.size; ++i) st->ones[i] = 1;
    st->inv_count = RELNAS_CALLOC((size_t)s.out_h * s.out_w, sizeof(float));
    for (int oy = 0; oy < s.out_h; ++oy)
        for (int ox = 0; ox < s.out_w; ++ox) {
            int y0, y1, x0, x1;
            relnas_pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
            int rows = y1 - y0, cols = x1 - x0;
            st->inv_count[oy * s.out_w + ox] = rows > 0 && cols > 0 ? 1.0f / (rows * cols) : 0;
        }
    l->workspace_size = sizeof(float) * (size_t)l->batch * l->outputs;
}

/* x[b, c, :] *= inv_count for every plane. */
static void scale_by_inv_count(float *out, const float *x, const relnas_pool_state *st, long planes)
{
    long spatial = (long)st->shape.out_h * st->shape.out_w;
    #pragma omp parallel for schedule(static)
    for (long p = 0; p < planes; ++p)
        for (long i = 0; i < spatial; ++i) out[p * spatial + i] = x[p * spatial + i] * st->inv_count[i];
}

static void setup_buffers(layer *l, relnas_pool_state *st, int h, int w)
{
    relnas_pool_shape s = st->shape;
    st->shape = relnas_pool_shape_make(l->batch, l->c, h, w, s.size, s.stride, s.pad, s.relu_input);
    l->h = h;
    l->w = w;
    l->out_h = st->shape.out_h;
    l->out_w = st->shape.out_w;
    l->inputs = h * w * l->c;
    l->outputs = l->out_h * l->out_w * l->out_c;
    long n = (long)l->batch * l->outputs;
    relnas_alloc_output(l);
    relnas_alloc_delta(l);
    st->argmax = st->max ? RELNAS_CALLOC(n, sizeof(int)) : NULL;
    if (!st->max) setup_average(l, st);
#ifdef GPU
    if (gpu_index >= 0) st->argmax_gpu = st->max ? cuda_make_int_array(st->argmax, n) : NULL;
#endif
}

static void free_buffers(layer l, relnas_pool_state *st)
{
    free(st->argmax);
    free(st->ones);
    free(st->inv_count);
    st->ones = st->inv_count = NULL;
#ifdef GPU
    if (st->argmax_gpu) cuda_free((float *)st->argmax_gpu);
#endif
}

layer relnas_make_pool_layer(int batch, int from, int h, int w, int c, int max, int size,
                             int stride, int pad, int relu_input, float drop_path)
{
    layer l = {0};
    relnas_pool_state *st = RELNAS_CALLOC(1, sizeof(*st));
    st->max = max;
    st->shape = relnas_pool_shape_make(batch, c, h, w, size, stride, pad, relu_input);
    st->drop = relnas_drop_path_make(drop_path, batch);
    l.plugin_state = st;
    l.batch = batch;
    l.index = from;
    l.c = l.out_c = l.n = c;
    l.size = size;
    l.stride = stride;
    l.pad = pad;
    setup_buffers(&l, st, h, w);
    l.forward = relnas_forward_pool_layer;
    l.backward = relnas_backward_pool_layer;
#ifdef GPU
    l.forward_gpu = relnas_forward_pool_layer_gpu;
    l.backward_gpu = relnas_backward_pool_layer_gpu;
#endif
    return l;
}

void relnas_forward_pool_layer(layer l, network net)
{
    relnas_pool_state *st = state_of(l);
    const float *x = relnas_source_output(l, net);
    if (st->max) {
        relnas_maxpool_forward(l.output, st->argmax, x, st->shape);
    } else {
        relnas_depthwise_forward(l.output, x, st->ones, st->sum_shape);
        scale_by_inv_count(l.output, l.output, st, (long)l.batch * l.c);
    }
    relnas_drop_path_forward(&st->drop, net, l.output, l.batch, l.outputs);
}

void relnas_backward_pool_layer(layer l, network net)
{
    relnas_pool_state *st = state_of(l);
    float *dx = relnas_source_delta(l, net);
    if (!dx) return;
    relnas_drop_path_backward(&st->drop, l.delta, l.batch, l.outputs);
    if (st->max) {
        relnas_maxpool_backward(dx, l.delta, st->argmax, st->shape);
    } else {
        scale_by_inv_count(net.workspace, l.delta, st, (long)l.batch * l.c);
        relnas_depthwise_backward_input(dx, net.workspace, relnas_source_output(l, net), st->ones,
                                        st->sum_shape);
    }
}

void relnas_resize_pool_layer(layer *l, network *net, int w, int h)
{
    relnas_pool_state *st = state_of(*l);
    relnas_source_size(net, l->index, &w, &h);
    free_buffers(*l, st);
    relnas_free_output(l);
    relnas_drop_path_resize(&st->drop, l->batch);
    setup_buffers(l, st, h, w);
}

void relnas_free_pool_layer(layer l)
{
    relnas_pool_state *st = state_of(l);
    free_buffers(l, st);
    relnas_drop_path_free(&st->drop);
    free(st);
}

static int parse_pool(layer *l, list *options, size_params params, int max, char *err, size_t errlen)
{
    static const char *const activations[] = {"linear", "relu", NULL};
    int from, h, w, c, size, stride, pad, relu;
    float drop_path;
    if (relnas_opt_input(options, params, &from, &h, &w, &c, err, errlen)) return -1;
    if (relnas_opt_int(options, "size", 3, 1, RELNAS_DW_MAX_KERNEL, &size, err, errlen)) return -1;
    if (relnas_opt_int(options, "stride", 1, 1, 64, &stride, err, errlen)) return -1;
    if (relnas_opt_int(options, "pad", (size - 1) / 2, 0, size - 1, &pad, err, errlen)) return -1;
    if (relnas_opt_word(options, "activation", activations, &relu, err, errlen)) return -1;
    if (relnas_opt_float(options, "drop_path", 0, 0, 1, &drop_path, err, errlen)) return -1;
    if (h + 2 * pad < size || w + 2 * pad < size)
        return relnas_errorf(err, errlen, "size: expected a window that fits the %dx%d input with pad %d, found %dx%d",
                           w, h, pad, size, size);
    *l = relnas_make_pool_layer(params.batch, from, h, w, c, max, size, stride, pad, relu, drop_path);
    fprintf(stderr, "%-12s      %d x%d /%d p%d  %4d x%4d x%4d   ->  %4d x%4d x%4d  (input %d)\n",
            max ? "max_pool" : "avg_pool", size, size, stride, pad, l->w, l->h, l->c, l->out_w,
            l->out_h, l->out_c, from);
    return 0;
}

static int parse_avg_pool(layer *l, list *options, size_params params, char *err, size_t errlen)
{
    return parse_pool(l, options, params, 0, err, errlen);
}

static int parse_max_pool(layer *l, list *options, size_params params, char *err, size_t errlen)
{
    return parse_pool(l, options, params, 1, err, errlen);
}

const relnas_layer_kind relnas_avg_pool_kind = {
    .section = "[avg_pool]",
    .summary = "local average pool, padding not counted (DARTS avg_pool_3x3; aux head with activation=relu)",
    .parse = parse_avg_pool,
    .resize = relnas_resize_pool_layer,
    .free_state = relnas_free_pool_layer,
};

const relnas_layer_kind relnas_max_pool_kind = {
    .section = "[max_pool]",
    .summary = "local max pool reading any earlier layer, with drop-path (DARTS max_pool_3x3)",
    .parse = parse_max_pool,
    .resize = relnas_resize_pool_layer,
    .free_state = relnas_free_pool_layer,
};

#ifdef GPU
#include "nas_ops_gpu.h"

void relnas_forward_pool_layer_gpu(layer l, network net)
{
    relnas_pool_state *st = state_of(l);
    const float *x = relnas_source_output_gpu(l, net);
    if (st->max)
        relnas_maxpool_forward_gpu(l.output_gpu, st->argmax_gpu, x, st->shape);
    else
        relnas_avgpool_forward_gpu(l.output_gpu, x, st->shape);
    relnas_drop_path_forward_gpu(&st->drop, net, l.output_gpu, l.batch, l.outputs);
}

void relnas_backward_pool_layer_gpu(layer l, network net)
{
    relnas_pool_state *st = state_of(l);
    float *dx = relnas_source_delta_gpu(l, net);
    if (!dx) return;
    relnas_drop_path_backward_gpu(&st->drop, l.delta_gpu, l.batch, l.outputs);
    if (st->max)
        relnas_maxpool_backward_gpu(dx, l.delta_gpu, st->argmax_gpu, st->shape);
    else
        relnas_avgpool_backward_gpu(dx, l.delta_gpu, relnas_source_output_gpu(l, net), st->shape);
}
#endif
