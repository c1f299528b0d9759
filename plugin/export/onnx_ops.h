/* The ONNX nodes a Darknet layer becomes, one helper per operation, over an export context
 * that knows each layer's output name. Batch norm is folded into the convolution before it
 * (deployment) unless keep_bn asks for BatchNormalization nodes; both compute
 * gamma * (x - mean) / sqrt(var + 1e-5) + beta, the formula of the plugin's and the patched
 * stock batch norm (plugin/layers/batch_norm.h). */
#ifndef RELNAS_ONNX_OPS_H
#define RELNAS_ONNX_OPS_H

#include <stddef.h>
#include "darknet.h"
#include "onnx_model.h"

typedef struct relnas_export_options {
    int keep_bn;  /* BatchNormalization nodes instead of folding into the convolutions */
    int keep_aux; /* the auxiliary head's softmax as a second output (training-only otherwise) */
} relnas_export_options;

typedef struct onnx_context {
    relnas_onnx_model *m;
    const network *net;
    const char *cfg;          /* the cfg's path, for messages */
    const char *input;        /* the graph input's name */
    const char **value;       /* each layer's output name once emitted */
    relnas_export_options opt;
} onnx_context;

/* The name of layer k's output (k = -1: the network input). */
const char *onnx_value_of(const onnx_context *x, int k);

/* Per-channel batch-norm parameters (pointers into a layer's arrays). */
typedef struct onnx_bn {
    const float *gamma, *beta, *mean, *var;
} onnx_bn;

/* A convolution: weights [c_out][c_in / group][k][k], optional bias, symmetric pad. */
typedef struct onnx_conv {
    int c_out, c_in, ksize, stride, pad, dilation, group;
    const float *weights, *bias;
} onnx_conv;

/* conv(in), then bn when given (folded, or a BatchNormalization node). Returns the output name. */
const char *onnx_emit_conv_bn(onnx_context *x, const char *in, const char *stem, const onnx_conv *c,
                              const onnx_bn *bn);

/* A node with one input and no attributes (Relu, Sigmoid, Tanh, Flatten...). */
const char *onnx_emit_unary(onnx_context *x, const char *op, const char *in, const char *stem);

/* Darknet's activation a (linear: in itself). Returns NULL for one with no ONNX equivalent. */
const char *onnx_emit_activation(onnx_context *x, ACTIVATION a, const char *in, const char *stem);

/* AveragePool (padding not counted) or MaxPool, kernel k, stride s, symmetric pad. */
const char *onnx_emit_pool(onnx_context *x, int max, const char *in, const char *stem, int k, int s, int pad);

/* Concat along channels, Add, Softmax over axis 1 of a flattened input. */
const char *onnx_emit_concat(onnx_context *x, const char *const *ins, int n, const char *stem);
const char *onnx_emit_add(onnx_context *x, const char *a, const char *b, const char *stem);
const char *onnx_emit_softmax(onnx_context *x, const char *in, const char *stem);

/* in scaled by the constant s (s == 1: in itself). */
const char *onnx_emit_scale(onnx_context *x, const char *in, float s, const char *stem);

/* in[:, :, y0:, x0:] of an h x w input. */
const char *onnx_emit_crop(onnx_context *x, const char *in, const char *stem, int y0, int x0, int h, int w);

/* Nearest-neighbour upsampling by an integer factor, as Darknet's [upsample]. */
const char *onnx_emit_upsample(onnx_context *x, const char *in, const char *stem, int stride);

/* Gemm: out = in * W^T + b with W [outputs][inputs], b folded with bn when given. */
const char *onnx_emit_dense(onnx_context *x, const char *in, const char *stem, int outputs, int inputs,
                            const float *weights, const float *bias, const onnx_bn *bn);

#endif
