#include <stdio.h>
#include <string.h>
#include "onnx_layers.h"
#include "activations.h"
#include "conv_chain_layer.h"
#include "factorized_reduce_layer.h"
#include "layer_registry.h"
#include "nas_pool_layer.h"
#include "network.h"
#include "relnas_error.h"

const char *onnx_layer_section(layer l)
{
    static char name[64];
    if (l.type == PLUGIN) return relnas_layer_kind_at(l.plugin_kind)->section;
    snprintf(name, sizeof(name), "[%s]", get_layer_string(l.type));
    return name;
}

static const char *stem_of(int i, const char *part)
{
    static char stem[64];
    snprintf(stem, sizeof(stem), "layer%d%s%s", i, part[0] ? "." : "", part);
    return stem;
}

static onnx_bn bn_at(layer l, int offset)
{
    return (onnx_bn){l.scales + offset, l.biases + offset, l.rolling_mean + offset, l.rolling_variance + offset};
}

/* ---- the plugin's layers ----------------------------------------------------------------- */

/* Each stage: ReLU, the depthwise conv when it has one, the 1x1 conv and its batch norm. */
static int emit_conv_chain(onnx_context *x, int i, layer l)
{
    const relnas_chain_state *st = relnas_chain_state_of(l);
    const char *v = onnx_value_of(x, l.index);
    int c_in = l.c;
    for (int s = 0; s < st->nstages; ++s) {
        const relnas_stage *g = &st->stage[s];
        char part[32];
        snprintf(part, sizeof(part), "stage%d.relu", s);
        v = onnx_emit_unary(x, "Relu", v, stem_of(i, part));
        if (g->spec.ksize) {
            onnx_conv dw = {c_in, c_in, g->spec.ksize, g->spec.stride, g->dw.pad, g->spec.dilation, c_in,
                            l.weights + g->dw_offset, NULL};
            snprintf(part, sizeof(part), "stage%d.depthwise", s);
            v = onnx_emit_conv_bn(x, v, stem_of(i, part), &dw, NULL);
        }
        onnx_conv pw = {g->spec.c_out, c_in, 1, 1, 0, 1, 1, l.weights + g->pw_offset, NULL};
        onnx_bn bn = bn_at(l, (int)g->bn_offset);
        snprintf(part, sizeof(part), "stage%d.pointwise", s);
        v = onnx_emit_conv_bn(x, v, stem_of(i, part), &pw, &bn);
        c_in = g->spec.c_out;
    }
    x->value[i] = v;
    return 0;
}

static int emit_nas_pool(onnx_context *x, int i, layer l)
{
    const relnas_pool_state *st = l.plugin_state;
    const char *v = onnx_value_of(x, l.index);
    if (st->shape.relu_input) v = onnx_emit_unary(x, "Relu", v, stem_of(i, "relu"));
    x->value[i] = onnx_emit_pool(x, st->max, v, stem_of(i, ""), st->shape.size, st->shape.stride, st->shape.pad);
    return 0;
}

/* ReLU, two 1x1 stride-2 convs (the second on the input shifted a pixel), each with its half
 * of the batch norm, concatenated. */
static int emit_factorized_reduce(onnx_context *x, int i, layer l)
{
    const relnas_fr_state *st = l.plugin_state;
    int half = st->pw.c_out;
    const char *r = onnx_emit_unary(x, "Relu", onnx_value_of(x, l.index), stem_of(i, "relu"));
    const char *shifted = onnx_emit_crop(x, r, stem_of(i, "shift"), 1, 1, l.h, l.w);
    const char *paths[2];
    for (int k = 0; k < 2; ++k) {
        onnx_conv c = {half, l.c, 1, 2, 0, 1, 1, l.weights + (long)k * half * l.c, NULL};
        onnx_bn bn = bn_at(l, k * half);
        paths[k] = onnx_emit_conv_bn(x, k ? shifted : r, stem_of(i, k ? "conv_b" : "conv_a"), &c, &bn);
    }
    x->value[i] = onnx_emit_concat(x, paths, 2, stem_of(i, "concat"));
    return 0;
}

static int emit_plugin(onnx_context *x, int i, layer l, char *err, size_t errlen)
{
    const relnas_layer_kind *kind = relnas_layer_kind_at(l.plugin_kind);
    if (kind == &relnas_sep_conv_kind || kind == &relnas_dil_conv_kind || kind == &relnas_relu_conv_bn_kind)
        return emit_conv_chain(x, i, l);
    if (kind == &relnas_avg_pool_kind || kind == &relnas_max_pool_kind) return emit_nas_pool(x, i, l);
    if (kind == &relnas_factorized_reduce_kind) return emit_factorized_reduce(x, i, l);
    if (kind == &relnas_weighted_softmax_kind) {
        x->value[i] = onnx_emit_softmax(x, onnx_value_of(x, l.index), stem_of(i, "softmax"));
        return 0;
    }
    return relnas_errorf(err, errlen, "no ONNX form for this plugin layer");
}

/* ---- stock layers ------------------------------------------------------------------------ */

static int activation(onnx_context *x, int i, ACTIVATION a, const char *v, char *err, size_t errlen)
{
    x->value[i] = onnx_emit_activation(x, a, v, stem_of(i, ""));
    if (x->value[i]) return 0;
    return relnas_errorf(err, errlen, "activation=%s has no ONNX form here (linear, relu, leaky, logistic, tanh, "
                         "elu can be exported)", get_activation_string(a));
}

static int emit_convolutional(onnx_context *x, int i, layer l, char *err, size_t errlen)
{
    onnx_conv c = {l.n, l.c, l.size, l.stride, l.pad, 1, l.groups, l.weights, l.batch_normalize ? NULL : l.biases};
    onnx_bn bn = bn_at(l, 0);
    const char *v = onnx_emit_conv_bn(x, onnx_value_of(x, i - 1), stem_of(i, "conv"), &c,
                                      l.batch_normalize ? &bn : NULL);
    return activation(x, i, l.activation, v, err, errlen);
}

static int emit_connected(onnx_context *x, int i, layer l, char *err, size_t errlen)
{
    onnx_bn bn = bn_at(l, 0);
    const char *v = onnx_emit_dense(x, onnx_value_of(x, i - 1), stem_of(i, "gemm"), l.outputs, l.inputs, l.weights,
                                    l.batch_normalize ? NULL : l.biases, l.batch_normalize ? &bn : NULL);
    return activation(x, i, l.activation, v, err, errlen);
}

static int emit_route(onnx_context *x, int i, layer l, char *err, size_t errlen)
{
    const char *ins[64];
    if (l.n > 64) return relnas_errorf(err, errlen, "%d layers: at most 64 can be exported", l.n);
    for (int k = 0; k < l.n; ++k) ins[k] = onnx_value_of(x, l.input_layers[k]);
    x->value[i] = l.n == 1 ? ins[0] : onnx_emit_concat(x, ins, l.n, stem_of(i, "concat"));
    return 0;
}

static int emit_shortcut(onnx_context *x, int i, layer l, char *err, size_t errlen)
{
    const layer *from = &x->net->layers[l.index];
    if (from->out_w != l.out_w || from->out_h != l.out_h || from->out_c != l.out_c)
        return relnas_errorf(err, errlen, "from=%d is %d x %d x %d, this layer %d x %d x %d: only equal shapes "
                             "can be exported", l.index, from->out_w, from->out_h, from->out_c, l.out_w, l.out_h,
                             l.out_c);
    const char *a = onnx_emit_scale(x, onnx_value_of(x, i - 1), l.alpha, stem_of(i, "alpha"));
    const char *b = onnx_emit_scale(x, onnx_value_of(x, l.index), l.beta, stem_of(i, "beta"));
    return activation(x, i, l.activation, onnx_emit_add(x, a, b, stem_of(i, "add")), err, errlen);
}

static int emit_softmax(onnx_context *x, int i, layer l, char *err, size_t errlen)
{
    if (l.groups != 1 || l.temperature != 1 || l.softmax_tree || l.spatial)
        return relnas_errorf(err, errlen, "only a plain softmax (groups=1, temperature=1, no tree) can be exported");
    x->value[i] = onnx_emit_softmax(x, onnx_value_of(x, i - 1), stem_of(i, "softmax"));
    return 0;
}

static int emit_upsample(onnx_context *x, int i, layer l, char *err, size_t errlen)
{
    if (l.reverse) return relnas_errorf(err, errlen, "a negative stride (downsampling) cannot be exported");
    const char *v = onnx_emit_upsample(x, onnx_value_of(x, i - 1), stem_of(i, "resize"), l.stride);
    x->value[i] = onnx_emit_scale(x, v, l.scale, stem_of(i, "scale"));
    return 0;
}

/* Darknet's [maxpool] pads padding/2 before and the rest after; cells outside never win. */
static int emit_maxpool(onnx_context *x, int i, layer l)
{
    const char *in = onnx_value_of(x, i - 1);
    relnas_onnx_node *n = relnas_onnx_add_node(x->m, "MaxPool", &in, 1, stem_of(i, "maxpool"));
    int64_t k[2] = {l.size, l.size}, s[2] = {l.stride, l.stride};
    int64_t pads[4] = {l.pad / 2, l.pad / 2, l.pad - l.pad / 2, l.pad - l.pad / 2};
    relnas_onnx_attr_ints(x->m, n, "kernel_shape", k, 2);
    relnas_onnx_attr_ints(x->m, n, "strides", s, 2);
    relnas_onnx_attr_ints(x->m, n, "pads", pads, 4);
    x->value[i] = relnas_onnx_node_output(n);
    return 0;
}

int onnx_emit_layer(onnx_context *x, int i, char *err, size_t errlen)
{
    layer l = x->net->layers[i];
    switch (l.type) {
    case PLUGIN: return emit_plugin(x, i, l, err, errlen);
    case CONVOLUTIONAL: return emit_convolutional(x, i, l, err, errlen);
    case CONNECTED: return emit_connected(x, i, l, err, errlen);
    case ROUTE: return emit_route(x, i, l, err, errlen);
    case SHORTCUT: return emit_shortcut(x, i, l, err, errlen);
    case SOFTMAX: return emit_softmax(x, i, l, err, errlen);
    case UPSAMPLE: return emit_upsample(x, i, l, err, errlen);
    case MAXPOOL: return emit_maxpool(x, i, l);
    case AVGPOOL: x->value[i] = onnx_emit_unary(x, "GlobalAveragePool", onnx_value_of(x, i - 1), stem_of(i, "gap"));
        return 0;
    case DROPOUT: /* the identity at inference */
    case YOLO:    /* the raw head: its input; the runtime applies the logistic (model metadata) */
        x->value[i] = onnx_value_of(x, i - 1);
        return 0;
    default: return relnas_errorf(err, errlen, "this layer type has no ONNX form in `relnas export`");
    }
}
