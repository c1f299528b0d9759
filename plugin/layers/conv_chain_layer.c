#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "conv_chain_layer.h"
#include "blas.h"
#include "cuda.h"
#include "drop_path.h"
#include "layer_output.h"
#include "layer_params.h"
#include "layer_source.h"
#include "op_profile.h"
#include "relnas_check.h"
#include "tensor_layout.h"

relnas_chain_state *relnas_chain_state_of(layer l)
{
    return (relnas_chain_state *)l.plugin_state;
}

/* Shapes of every stage for an h x w x c input; returns the last stage's output size.
 * The layer's input and output are NCHW; everything between is CNHW (tensor_layout.h). */
static void plan_stages(relnas_chain_state *st, int batch, int h, int w, int c, int *oh, int *ow)
{
    long dw_off = 0, bn_off = 0;
    for (int i = 0; i < st->nstages; ++i) {
        relnas_stage *s = &st->stage[i];
        relnas_stage_spec sp = s->spec;
        int last = i == st->nstages - 1;
        int pad = sp.ksize ? sp.dilation * (sp.ksize - 1) / 2 : 0;
        s->dw = relnas_dw_shape_make(batch, c, h, w, sp.ksize ? sp.ksize : 1, sp.stride,
                                     sp.dilation, pad, 1);
        s->dw.in_layout = i ? RELNAS_CNHW : RELNAS_NCHW;
        int spatial = s->dw.out_h * s->dw.out_w;
        s->pw = relnas_pw_shape_make(batch, c, sp.c_out, spatial);
        s->bn = relnas_bn_shape_make(batch, sp.c_out, spatial, RELNAS_CNHW,
                                     last ? RELNAS_NCHW : RELNAS_CNHW);
        s->dw_offset = dw_off;
        s->pw_offset = dw_off + (sp.ksize ? (long)c * sp.ksize * sp.ksize : 0);
        s->bn_offset = bn_off;
        dw_off = s->pw_offset + (long)sp.c_out * c;
        bn_off += sp.c_out;
        h = s->dw.out_h;
        w = s->dw.out_w;
        c = sp.c_out;
    }
    *oh = h;
    *ow = w;
}

/* Values in a stage's input, its 1x1 conv's input, and its output. */
static long stage_input_size(const relnas_stage *s)
{
    return (long)s->dw.batch * s->dw.channels * s->dw.h * s->dw.w;
}

static long stage_mid_size(const relnas_stage *s)
{
    return (long)s->pw.c_in * s->pw.n;
}

static long stage_output_size(const relnas_stage *s)
{
    return (long)s->pw.c_out * s->pw.n;
}

/* Batch statistics, and the last stage's output, which is the layer's. */
static void alloc_stage_statistics(layer *l, relnas_chain_state *st)
{
    for (int i = 0; i < st->nstages; ++i) {
        relnas_stage *s = &st->stage[i];
        s->mean = RELNAS_CALLOC(s->bn.channels, sizeof(float));
        s->var = RELNAS_CALLOC(s->bn.channels, sizeof(float));
#ifdef GPU
        if (gpu_index >= 0) {
            s->mean_gpu = cuda_make_array(s->mean, s->bn.channels);
            s->var_gpu = cuda_make_array(s->var, s->bn.channels);
        }
#endif
    }
    relnas_stage *last = &st->stage[st->nstages - 1];
    last->out = l->output;
#ifdef GPU
    last->out_gpu = l->output_gpu;
#endif
}

/* What backward needs kept from forward: each stage's 1x1 input and normalised output, the
 * output between stages, and the delta. Made on the first training pass. */
static void alloc_training_buffers(layer *l, relnas_chain_state *st)
{
    for (int i = 0; i < st->nstages; ++i) {
        relnas_stage *s = &st->stage[i];
        long mid = stage_mid_size(s), out = stage_output_size(s);
        int last = i == st->nstages - 1;
        s->pw_in = RELNAS_CALLOC(mid, sizeof(float));
        s->x_hat = RELNAS_CALLOC(out, sizeof(float));
        if (!last) s->out = RELNAS_CALLOC(out, sizeof(float));
#ifdef GPU
        if (gpu_index >= 0) {
            s->pw_in_gpu = cuda_make_array(s->pw_in, mid);
            s->x_hat_gpu = cuda_make_array(s->x_hat, out);
            if (!last) s->out_gpu = cuda_make_array(s->out, out);
        }
#endif
    }
    if (!l->delta) relnas_alloc_delta(l); /* a training plan may have given it a shared one */
    st->training_buffers = 1;
}

static void free_stage_buffers(relnas_chain_state *st)
{
    for (int i = 0; i < st->nstages; ++i) {
        relnas_stage *s = &st->stage[i];
        int last = i == st->nstages - 1;
        free(s->mean);
        free(s->var);
        if (st->training_buffers) {
            free(s->pw_in);
            free(s->x_hat);
            if (!last) free(s->out);
        }
#ifdef GPU
        if (s->mean_gpu) {
            cuda_free(s->mean_gpu);
            cuda_free(s->var_gpu);
        }
        if (st->training_buffers && s->pw_in_gpu) {
            cuda_free(s->pw_in_gpu);
            cuda_free(s->x_hat_gpu);
            if (!last) cuda_free(s->out_gpu);
        }
#endif
        memset(&s->pw_in, 0, sizeof(*s) - offsetof(relnas_stage, pw_in));
    }
    st->training_buffers = 0;
}

/* Backward scratch in net.workspace: the BN input gradient, the 1x1 input gradient, and the
 * gradient between two stages. */
static size_t workspace_floats(const relnas_chain_state *st, long *bn_grad, long *pw_grad)
{
    long a = 0, b = 0;
    for (int i = 0; i < st->nstages; ++i) {
        const relnas_stage *s = &st->stage[i];
        if (stage_output_size(s) > a) a = stage_output_size(s);
        if (stage_mid_size(s) > b) b = stage_mid_size(s);
    }
    *bn_grad = a;
    *pw_grad = b;
    long between = st->nstages > 1 ? stage_output_size(&st->stage[0]) : 0;
    return (size_t)(a + b + between);
}

typedef struct stage_buffers {
    float *pw_in, *x_hat, *out;
} stage_buffers;

/* Stage i's intermediates: its own while training (backward needs them), else the shared
 * workspace laid out as backward lays out its gradients: [x_hat | pw_in | between]. */
static stage_buffers stage_buffers_for(const relnas_chain_state *st, int i, float *workspace,
                                       int train, int gpu)
{
    const relnas_stage *s = &st->stage[i];
    long a, b;
    workspace_floats(st, &a, &b);
    int last = i == st->nstages - 1;
    (void)gpu;
#ifdef GPU
    if (gpu) {
        if (train) return (stage_buffers){s->pw_in_gpu, s->x_hat_gpu, s->out_gpu};
        return (stage_buffers){workspace + a, workspace, last ? s->out_gpu : workspace + a + b};
    }
#endif
    if (train) return (stage_buffers){s->pw_in, s->x_hat, s->out};
    return (stage_buffers){workspace + a, workspace, last ? s->out : workspace + a + b};
}

/* Sizes, output buffers and stage buffers for an h x w input. */
static void setup_buffers(layer *l, relnas_chain_state *st, int h, int w)
{
    int oh, ow;
    plan_stages(st, l->batch, h, w, l->c, &oh, &ow);
    l->h = h;
    l->w = w;
    l->out_h = oh;
    l->out_w = ow;
    l->inputs = h * w * l->c;
    l->outputs = oh * ow * l->out_c;
    relnas_alloc_output(l);
    alloc_stage_statistics(l, st);
    long a, b;
    l->workspace_size = workspace_floats(st, &a, &b) * sizeof(float);
}

layer relnas_make_conv_chain_layer(int batch, int from, int h, int w, int c,
                                   const relnas_stage_spec *specs, int nstages, float drop_path)
{
    RELNAS_ASSERT(nstages >= 1 && nstages <= RELNAS_CHAIN_MAX_STAGES);
    layer l = {0};
    relnas_chain_state *st = RELNAS_CALLOC(1, sizeof(*st));
    st->nstages = nstages;
    st->drop = relnas_drop_path_make(drop_path, batch);
    for (int i = 0; i < nstages; ++i) st->stage[i].spec = specs[i];
    l.plugin_state = st;
    l.batch = batch;
    l.index = from;
    l.c = c;
    l.out_c = l.n = specs[nstages - 1].c_out;
    l.size = specs[0].ksize;
    l.stride = specs[0].stride;
    int oh, ow, nweights = 0, nbn = 0, cin = c;
    plan_stages(st, batch, h, w, c, &oh, &ow);
    for (int i = 0; i < nstages; ++i) {
        nweights += (specs[i].ksize ? cin * specs[i].ksize * specs[i].ksize : 0) + specs[i].c_out * cin;
        nbn += specs[i].c_out;
        cin = specs[i].c_out;
    }
    relnas_params_alloc(&l, nweights, nbn);
    for (int i = 0; i < nstages; ++i) {
        relnas_stage *s = &st->stage[i];
        int k = s->spec.ksize;
        if (k) relnas_params_init_uniform(l.weights + s->dw_offset, s->pw.c_in * k * k, k * k);
        relnas_params_init_uniform(l.weights + s->pw_offset, s->pw.c_out * s->pw.c_in, s->pw.c_in);
    }
#ifdef GPU
    if (gpu_index >= 0) relnas_params_push(l);
#endif
    setup_buffers(&l, st, h, w);
    l.forward = relnas_forward_conv_chain_layer;
    l.backward = relnas_backward_conv_chain_layer;
    l.update = relnas_update_conv_chain_layer;
#ifdef GPU
    l.forward_gpu = relnas_forward_conv_chain_layer_gpu;
    l.backward_gpu = relnas_backward_conv_chain_layer_gpu;
    l.update_gpu = relnas_update_conv_chain_layer_gpu;
#endif
    return l;
}

/* FLOPs of a depthwise pass (forward, or either backward) and values of a stage's 1x1 output:
 * what the op profile divides by time. */
static double depthwise_flops(const relnas_stage *s)
{
    return 2.0 * s->dw.batch * s->dw.channels * s->dw.out_h * s->dw.out_w * s->spec.ksize * s->spec.ksize;
}

static double pointwise_flops(const relnas_stage *s)
{
    return 2.0 * s->pw.c_in * s->pw.c_out * s->pw.n;
}

static double stage_bytes(long values)
{
    return 4.0 * values;
}

static void forward_stage(layer l, const relnas_stage *s, const float *x, stage_buffers b, int train)
{
    long in = stage_input_size(s), mid = stage_mid_size(s), out = stage_output_size(s);
    if (s->spec.ksize) {
        RELNAS_TIMED_OP("depthwise forward", depthwise_flops(s), stage_bytes(in + mid),
                        relnas_depthwise_forward(b.pw_in, x, l.weights + s->dw_offset, s->dw));
    } else {
        RELNAS_TIMED_OP("relu to CNHW forward", in, stage_bytes(in + mid),
                        relnas_relu_to_cnhw(b.pw_in, x, s->dw.batch, s->dw.channels, (long)s->dw.h * s->dw.w));
    }
    RELNAS_TIMED_OP("pointwise forward", pointwise_flops(s), stage_bytes(mid + out),
                    relnas_pointwise_forward(b.x_hat, b.pw_in, l.weights + s->pw_offset, s->pw));
    const float *gamma = l.scales + s->bn_offset, *beta = l.biases + s->bn_offset;
    float *rm = l.rolling_mean + s->bn_offset, *rv = l.rolling_variance + s->bn_offset;
    /* training: statistics (1 read), normalise in place (1 read, 1 write), scale (1 write) */
    if (train)
        RELNAS_TIMED_OP("batch norm forward", 5.0 * out, stage_bytes(4 * out),
                        relnas_bn_forward_train(b.out, b.x_hat, s->mean, s->var, b.x_hat, gamma, beta, rm, rv,
                                                s->bn));
    else
        RELNAS_TIMED_OP("batch norm forward", 2.0 * out, stage_bytes(2 * out),
                        relnas_bn_forward_infer(b.out, b.x_hat, gamma, beta, rm, rv, s->bn));
}

void relnas_forward_conv_chain_layer(layer l, network net)
{
    relnas_chain_state *st = relnas_chain_state_of(l);
    if (net.train && !st->training_buffers) alloc_training_buffers(&net.layers[net.index], st);
    st->stage[st->nstages - 1].out = l.output; /* an inference plan may have moved it */
    const float *x = relnas_source_output(l, net);
    for (int i = 0; i < st->nstages; ++i) {
        stage_buffers b = stage_buffers_for(st, i, net.workspace, net.train, 0);
        forward_stage(l, &st->stage[i], x, b, net.train);
        x = b.out;
    }
    relnas_drop_path_forward(&st->drop, net, l.output, l.batch, l.outputs);
}

/* dout: gradient at the stage output; adds the input gradient into dx (if any). */
static void backward_stage(layer l, const relnas_stage *s, const float *x, const float *dout,
                           float *dx, float *bn_grad, float *pw_grad)
{
    long in = stage_input_size(s), mid = stage_mid_size(s), out = stage_output_size(s);
    /* sums over dout and x_hat (2 reads), then the gradient (2 reads, 1 write) */
    RELNAS_TIMED_OP("batch norm backward", 6.0 * out, stage_bytes(5 * out),
                    relnas_bn_backward(bn_grad, l.scale_updates + s->bn_offset, l.bias_updates + s->bn_offset,
                                       dout, s->x_hat, l.scales + s->bn_offset, s->var, s->bn));
    RELNAS_TIMED_OP("pointwise backward weights", pointwise_flops(s), stage_bytes(out + mid),
                    relnas_pointwise_backward_weights(l.weight_updates + s->pw_offset, bn_grad, s->pw_in, s->pw));
    RELNAS_TIMED_OP("pointwise backward input", pointwise_flops(s), stage_bytes(out + mid),
                    relnas_pointwise_backward_input(pw_grad, bn_grad, l.weights + s->pw_offset, s->pw));
    if (s->spec.ksize) {
        RELNAS_TIMED_OP("depthwise backward weights", depthwise_flops(s), stage_bytes(mid + in),
                        relnas_depthwise_backward_weights(l.weight_updates + s->dw_offset, pw_grad, x, s->dw));
        if (dx)
            RELNAS_TIMED_OP("depthwise backward input", depthwise_flops(s), stage_bytes(mid + 2 * in),
                            relnas_depthwise_backward_input(dx, pw_grad, x, l.weights + s->dw_offset, s->dw));
    } else if (dx) {
        RELNAS_TIMED_OP("relu backward", in, stage_bytes(mid + 3 * in),
                        relnas_relu_grad_add_from_cnhw(dx, pw_grad, x, s->dw.batch, s->dw.channels,
                                                       (long)s->dw.h * s->dw.w));
    }
}

void relnas_backward_conv_chain_layer(layer l, network net)
{
    relnas_chain_state *st = relnas_chain_state_of(l);
    relnas_drop_path_backward(&st->drop, l.delta, l.batch, l.outputs);
    long a, b;
    workspace_floats(st, &a, &b);
    float *bn_grad = net.workspace, *pw_grad = net.workspace + a, *between = pw_grad + b;
    const float *dout = l.delta;
    for (int i = st->nstages - 1; i >= 0; --i) {
        const relnas_stage *s = &st->stage[i];
        const float *x = i ? st->stage[i - 1].out : relnas_source_output(l, net);
        float *dx = i ? between : relnas_source_delta(l, net);
        if (i) memset(between, 0, sizeof(float) * (size_t)stage_input_size(s));
        backward_stage(l, s, x, dout, dx, bn_grad, pw_grad);
        dout = between;
    }
}

double relnas_conv_chain_multiply_adds(layer l)
{
    relnas_chain_state *st = relnas_chain_state_of(l);
    double total = 0;
    for (int i = 0; i < st->nstages; ++i) {
        const relnas_stage *s = &st->stage[i];
        double spatial = (double)s->dw.out_h * s->dw.out_w;
        if (s->spec.ksize) total += spatial * s->dw.channels * s->spec.ksize * s->spec.ksize;
        total += spatial * s->pw.c_in * s->pw.c_out;
    }
    return total;
}

void relnas_update_conv_chain_layer(layer l, update_args a)
{
    relnas_params_update(l, a);
}

void relnas_resize_conv_chain_layer(layer *l, network *net, int w, int h)
{
    relnas_chain_state *st = relnas_chain_state_of(*l);
    relnas_source_size(net, l->index, &w, &h);
    free_stage_buffers(st);
    relnas_free_output(l);
    relnas_drop_path_resize(&st->drop, l->batch);
    setup_buffers(l, st, h, w);
}

void relnas_free_conv_chain_layer(layer l)
{
    relnas_chain_state *st = relnas_chain_state_of(l);
    free_stage_buffers(st);
    relnas_drop_path_free(&st->drop);
    free(st);
}

#ifdef GPU
#include "nas_ops_gpu.h"

static void forward_stage_gpu(layer l, const relnas_stage *s, const float *x, stage_buffers b, int train)
{
    if (s->spec.ksize)
        relnas_depthwise_forward_gpu(b.pw_in, x, l.weights_gpu + s->dw_offset, s->dw);
    else
        relnas_relu_to_cnhw_gpu(b.pw_in, x, s->dw.batch, s->dw.channels, (long)s->dw.h * s->dw.w);
    relnas_pointwise_forward_gpu(b.x_hat, b.pw_in, l.weights_gpu + s->pw_offset, s->pw);
    long o = s->bn_offset;
    if (train)
        relnas_bn_forward_train_gpu(b.out, b.x_hat, s->mean_gpu, s->var_gpu, b.x_hat, l.scales_gpu + o,
                                    l.biases_gpu + o, l.rolling_mean_gpu + o, l.rolling_variance_gpu + o,
                                    s->bn);
    else
        relnas_bn_forward_infer_gpu(b.out, b.x_hat, l.scales_gpu + o, l.biases_gpu + o,
                                    l.rolling_mean_gpu + o, l.rolling_variance_gpu + o, s->bn);
}

void relnas_forward_conv_chain_layer_gpu(layer l, network net)
{
    relnas_chain_state *st = relnas_chain_state_of(l);
    if (net.train && !st->training_buffers) alloc_training_buffers(&net.layers[net.index], st);
    st->stage[st->nstages - 1].out_gpu = l.output_gpu;
    const float *x = relnas_source_output_gpu(l, net);
    for (int i = 0; i < st->nstages; ++i) {
        stage_buffers b = stage_buffers_for(st, i, net.workspace, net.train, 1);
        forward_stage_gpu(l, &st->stage[i], x, b, net.train);
        x = b.out;
    }
    relnas_drop_path_forward_gpu(&st->drop, net, l.output_gpu, l.batch, l.outputs);
}

static void backward_stage_gpu(layer l, const relnas_stage *s, const float *x, const float *dout,
                               float *dx, float *bn_grad, float *pw_grad)
{
    long o = s->bn_offset;
    relnas_bn_backward_gpu(bn_grad, l.scale_updates_gpu + o, l.bias_updates_gpu + o, dout,
                           s->x_hat_gpu, l.scales_gpu + o, s->var_gpu, s->bn);
    relnas_pointwise_backward_weights_gpu(l.weight_updates_gpu + s->pw_offset, bn_grad, s->pw_in_gpu, s->pw);
    relnas_pointwise_backward_input_gpu(pw_grad, bn_grad, l.weights_gpu + s->pw_offset, s->pw);
    if (s->spec.ksize) {
        relnas_depthwise_backward_weights_gpu(l.weight_updates_gpu + s->dw_offset, pw_grad, x, s->dw);
        if (dx) relnas_depthwise_backward_input_gpu(dx, pw_grad, x, l.weights_gpu + s->dw_offset, s->dw);
    } else if (dx) {
        relnas_relu_grad_add_from_cnhw_gpu(dx, pw_grad, x, s->dw.batch, s->dw.channels,
                                           (long)s->dw.h * s->dw.w);
    }
}

void relnas_backward_conv_chain_layer_gpu(layer l, network net)
{
    relnas_chain_state *st = relnas_chain_state_of(l);
    relnas_drop_path_backward_gpu(&st->drop, l.delta_gpu, l.batch, l.outputs);
    long a, b;
    workspace_floats(st, &a, &b);
    float *bn_grad = net.workspace, *pw_grad = net.workspace + a, *between = pw_grad + b;
    const float *dout = l.delta_gpu;
    for (int i = st->nstages - 1; i >= 0; --i) {
        const relnas_stage *s = &st->stage[i];
        const float *x = i ? st->stage[i - 1].out_gpu : relnas_source_output_gpu(l, net);
        float *dx = i ? between : relnas_source_delta_gpu(l, net);
        if (i) fill_gpu((int)stage_input_size(s), 0, between, 1);
        backward_stage_gpu(l, s, x, dout, dx, bn_grad, pw_grad);
        dout = between;
    }
}

void relnas_update_conv_chain_layer_gpu(layer l, update_args a)
{
    relnas_params_update_gpu(l, a);
}
#endif
