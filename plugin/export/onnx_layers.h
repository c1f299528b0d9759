/* Each Darknet layer the presets write, as ONNX nodes: the plugin's ops (the conv chains
 * [sep_conv], [dil_conv], [relu_conv_bn], the pools, [factorized_reduce], [weighted_softmax])
 * and the stock [convolutional], [connected], [route], [shortcut], [avgpool], [softmax],
 * [upsample], [maxpool], [dropout] and [yolo] (the raw head: a detector runtime applies the
 * logistic and the anchors). Inference only: drop-path is the identity. */
#ifndef RELNAS_ONNX_LAYERS_H
#define RELNAS_ONNX_LAYERS_H

#include <stddef.h>
#include "onnx_ops.h"

/* Emits layer i (its inputs emitted before) and sets x->value[i]. Returns 0, or -1 with what
 * cannot be exported in err (the caller adds where). */
int onnx_emit_layer(onnx_context *x, int i, char *err, size_t errlen);

/* The layer's section name as a cfg spells it ("[sep_conv]", "[convolutional]"...). */
const char *onnx_layer_section(layer l);

#endif
