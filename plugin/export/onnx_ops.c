#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "onnx_ops.h"
#include "relnas_check.h"

#define BN_EPS 1e-5f /* plugin/layers/batch_norm.h and patch 0004 */

const char *onnx_value_of(const onnx_context *x, int k)
{
    return k < 0 ? x->input : x->value[k];
}

static void ints2(relnas_onnx_model *m, relnas_onnx_node *n, const char *name, int a)
{
    int64_t v[2] = {a, a};
    relnas_onnx_attr_ints(m, n, name, v, 2);
}

static void pads4(relnas_onnx_model *m, relnas_onnx_node *n, int pad)
{
    int64_t v[4] = {pad, pad, pad, pad};
    relnas_onnx_attr_ints(m, n, "pads", v, 4);
}

/* gamma / sqrt(var + eps) per channel. */
static float *bn_scale(const onnx_bn *bn, int c)
{
    float *s = RELNAS_CALLOC((size_t)c, sizeof(float));
    for (int i = 0; i < c; ++i) s[i] = bn->gamma[i] / sqrtf(bn->var[i] + BN_EPS);
    return s;
}

static const char *emit_batch_norm(onnx_context *x, const char *in, const char *stem, int c, const onnx_bn *bn)
{
    char name[256];
    int64_t dims[1] = {c};
    const char *ins[5] = {in};
    const float *params[4] = {bn->gamma, bn->beta, bn->mean, bn->var};
    static const char *const part[4] = {"gamma", "beta", "mean", "var"};
    for (int k = 0; k < 4; ++k) {
        snprintf(name, sizeof(name), "%s.bn_%s", stem, part[k]);
        ins[k + 1] = relnas_onnx_add_floats(x->m, name, dims, 1, params[k]);
    }
    snprintf(name, sizeof(name), "%s.bn", stem);
    relnas_onnx_node *n = relnas_onnx_add_node(x->m, "BatchNormalization", ins, 5, name);
    relnas_onnx_attr_float(x->m, n, "epsilon", BN_EPS);
    return relnas_onnx_node_output(n);
}

/* The conv's weights and bias with bn folded in: w * s per output channel, b = (b - mean) * s + beta. */
static void fold(const onnx_conv *c, const onnx_bn *bn, float *w, float *b)
{
    float *s = bn_scale(bn, c->c_out);
    long per_out = (long)(c->c_in / c->group) * c->ksize * c->ksize;
    for (int o = 0; o < c->c_out; ++o) {
        for (long k = 0; k < per_out; ++k) w[o * per_out + k] = c->weights[o * per_out + k] * s[o];
        b[o] = ((c->bias ? c->bias[o] : 0) - bn->mean[o]) * s[o] + bn->beta[o];
    }
    free(s);
}

const char *onnx_emit_conv_bn(onnx_context *x, const char *in, const char *stem, const onnx_conv *c,
                              const onnx_bn *bn)
{
    char name[256];
    int64_t wdims[4] = {c->c_out, c->c_in / c->group, c->ksize, c->ksize}, bdims[1] = {c->c_out};
    long nw = (long)c->c_out * wdims[1] * c->ksize * c->ksize;
    int folded = bn && !x->opt.keep_bn;
    float *w = RELNAS_CALLOC((size_t)nw, sizeof(float)), *b = RELNAS_CALLOC((size_t)c->c_out, sizeof(float));
    if (folded) fold(c, bn, w, b);
    else memcpy(w, c->weights, (size_t)nw * sizeof(float));
    if (!folded && c->bias) memcpy(b, c->bias, (size_t)c->c_out * sizeof(float));
    const char *ins[3] = {in};
    snprintf(name, sizeof(name), "%s.weight", stem);
    ins[1] = relnas_onnx_add_floats(x->m, name, wdims, 4, w);
    int with_bias = folded || c->bias;
    snprintf(name, sizeof(name), "%s.bias", stem);
    if (with_bias) ins[2] = relnas_onnx_add_floats(x->m, name, bdims, 1, b);
    free(w), free(b);
    relnas_onnx_node *n = relnas_onnx_add_node(x->m, "Conv", ins, with_bias ? 3 : 2, stem);
    ints2(x->m, n, "kernel_shape", c->ksize);
    ints2(x->m, n, "strides", c->stride);
    ints2(x->m, n, "dilations", c->dilation);
    pads4(x->m, n, c->pad);
    relnas_onnx_attr_int(x->m, n, "group", c->group);
    const char *out = relnas_onnx_node_output(n);
    return bn && !folded ? emit_batch_norm(x, out, stem, c->c_out, bn) : out;
}

const char *onnx_emit_unary(onnx_context *x, const char *op, const char *in, const char *stem)
{
    return relnas_onnx_node_output(relnas_onnx_add_node(x->m, op, &in, 1, stem));
}

const char *onnx_emit_activation(onnx_context *x, ACTIVATION a, const char *in, const char *stem)
{
    char name[256];
    relnas_onnx_node *n;
    switch (a) {
    case LINEAR: return in;
    case RELU: snprintf(name, sizeof(name), "%s.relu", stem); return onnx_emit_unary(x, "Relu", in, name);
    case LOGISTIC: snprintf(name, sizeof(name), "%s.sigmoid", stem); return onnx_emit_unary(x, "Sigmoid", in, name);
    case TANH: snprintf(name, sizeof(name), "%s.tanh", stem); return onnx_emit_unary(x, "Tanh", in, name);
    case ELU: snprintf(name, sizeof(name), "%s.elu", stem); return onnx_emit_unary(x, "Elu", in, name);
    case LEAKY:
        snprintf(name, sizeof(name), "%s.leaky", stem);
        n = relnas_onnx_add_node(x->m, "LeakyRelu", &in, 1, name);
        relnas_onnx_attr_float(x->m, n, "alpha", 0.1f); /* Darknet's leaky slope */
        return relnas_onnx_node_output(n);
    default: return NULL;
    }
}

const char *onnx_emit_pool(onnx_context *x, int max, const char *in, const char *stem, int k, int s, int pad)
{
    relnas_onnx_node *n = relnas_onnx_add_node(x->m, max ? "MaxPool" : "AveragePool", &in, 1, stem);
    ints2(x->m, n, "kernel_shape", k);
    ints2(x->m, n, "strides", s);
    pads4(x->m, n, pad);
    if (!max) relnas_onnx_attr_int(x->m, n, "count_include_pad", 0);
    return relnas_onnx_node_output(n);
}

const char *onnx_emit_concat(onnx_context *x, const char *const *ins, int n, const char *stem)
{
    relnas_onnx_node *node = relnas_onnx_add_node(x->m, "Concat", ins, n, stem);
    relnas_onnx_attr_int(x->m, node, "axis", 1);
    return relnas_onnx_node_output(node);
}

const char *onnx_emit_add(onnx_context *x, const char *a, const char *b, const char *stem)
{
    const char *ins[2] = {a, b};
    return relnas_onnx_node_output(relnas_onnx_add_node(x->m, "Add", ins, 2, stem));
}

const char *onnx_emit_softmax(onnx_context *x, const char *in, const char *stem)
{
    char name[256];
    snprintf(name, sizeof(name), "%s.flatten", stem);
    relnas_onnx_node *f = relnas_onnx_add_node(x->m, "Flatten", &in, 1, name);
    relnas_onnx_attr_int(x->m, f, "axis", 1);
    const char *flat = relnas_onnx_node_output(f);
    relnas_onnx_node *n = relnas_onnx_add_node(x->m, "Softmax", &flat, 1, stem);
    relnas_onnx_attr_int(x->m, n, "axis", 1);
    return relnas_onnx_node_output(n);
}

const char *onnx_emit_scale(onnx_context *x, const char *in, float s, const char *stem)
{
    if (s == 1) return in;
    char name[256];
    snprintf(name, sizeof(name), "%s.factor", stem);
    const char *ins[2] = {in, relnas_onnx_add_floats(x->m, name, NULL, 0, &s)};
    return relnas_onnx_node_output(relnas_onnx_add_node(x->m, "Mul", ins, 2, stem));
}

const char *onnx_emit_crop(onnx_context *x, const char *in, const char *stem, int y0, int x0, int h, int w)
{
    char name[256];
    int64_t starts[2] = {y0, x0}, ends[2] = {h, w}, axes[2] = {2, 3};
    const char *ins[4] = {in};
    snprintf(name, sizeof(name), "%s.starts", stem);
    ins[1] = relnas_onnx_add_int64s(x->m, name, starts, 2);
    snprintf(name, sizeof(name), "%s.ends", stem);
    ins[2] = relnas_onnx_add_int64s(x->m, name, ends, 2);
    snprintf(name, sizeof(name), "%s.axes", stem);
    ins[3] = relnas_onnx_add_int64s(x->m, name, axes, 2);
    return relnas_onnx_node_output(relnas_onnx_add_node(x->m, "Slice", ins, 4, stem));
}

const char *onnx_emit_upsample(onnx_context *x, const char *in, const char *stem, int stride)
{
    char name[256];
    float scales[4] = {1, 1, (float)stride, (float)stride};
    int64_t dims[1] = {4};
    const char *ins[3] = {in, "", NULL};
    snprintf(name, sizeof(name), "%s.scales", stem);
    ins[2] = relnas_onnx_add_floats(x->m, name, dims, 1, scales);
    relnas_onnx_node *n = relnas_onnx_add_node(x->m, "Resize", ins, 3, stem);
    relnas_onnx_attr_string(x->m, n, "mode", "nearest");
    relnas_onnx_attr_string(x->m, n, "coordinate_transformation_mode", "asymmetric");
    relnas_onnx_attr_string(x->m, n, "nearest_mode", "floor");
    return relnas_onnx_node_output(n);
}

const char *onnx_emit_dense(onnx_context *x, const char *in, const char *stem, int outputs, int inputs,
                            const float *weights, const float *bias, const onnx_bn *bn)
{
    char name[256];
    onnx_conv as_conv = {.c_out = outputs, .c_in = inputs, .ksize = 1, .group = 1, .weights = weights, .bias = bias};
    float *w = RELNAS_CALLOC((size_t)outputs * inputs, sizeof(float)), *b = RELNAS_CALLOC((size_t)outputs, sizeof(float));
    if (bn) fold(&as_conv, bn, w, b); /* always folded: BatchNormalization wants a channel axis */
    else memcpy(w, weights, sizeof(float) * (size_t)outputs * inputs), memcpy(b, bias, sizeof(float) * (size_t)outputs);
    snprintf(name, sizeof(name), "%s.flatten", stem);
    relnas_onnx_node *f = relnas_onnx_add_node(x->m, "Flatten", &in, 1, name);
    relnas_onnx_attr_int(x->m, f, "axis", 1);
    int64_t wdims[2] = {outputs, inputs}, bdims[1] = {outputs};
    const char *ins[3] = {relnas_onnx_node_output(f)};
    snprintf(name, sizeof(name), "%s.weight", stem);
    ins[1] = relnas_onnx_add_floats(x->m, name, wdims, 2, w);
    snprintf(name, sizeof(name), "%s.bias", stem);
    ins[2] = relnas_onnx_add_floats(x->m, name, bdims, 1, b);
    free(w), free(b);
    relnas_onnx_node *n = relnas_onnx_add_node(x->m, "Gemm", ins, 3, stem);
    relnas_onnx_attr_int(x->m, n, "transB", 1);
    return relnas_onnx_node_output(n);
}
