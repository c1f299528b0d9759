/* A loaded Darknet network as an ONNX file (`darknet relnas export`): opset 13, a float input
 * "image" [N, C, H, W] with a dynamic batch N, and outputs named for what they hold:
 *   a classifier: "probabilities" [N, classes] (the [softmax]);
 *   a YOLO detector: "yolo_raw_stride8", ...16, ...32 [N, anchors*(5+classes), H, W], each
 *     [yolo] layer's input, as detector runtimes expect it; the anchors, masks, classes and
 *     the decoding are in the model's metadata;
 *   with keep_aux, also "aux_probabilities" (the auxiliary head's softmax).
 * Layers no output needs (the auxiliary head, unless kept) are left out. */
#ifndef RELNAS_ONNX_EXPORT_H
#define RELNAS_ONNX_EXPORT_H

#include <stddef.h>
#include "darknet.h"
#include "onnx_ops.h"

#define RELNAS_EXPORT_MAX_OUTPUTS 16

typedef struct relnas_export_output {
    char name[64];
    int layer;         /* the layer whose Darknet output equals this output */
    int64_t dims[4];   /* dims[0] is the batch */
    int ndims;
} relnas_export_output;

typedef struct relnas_export_plan {
    int noutputs;
    relnas_export_output output[RELNAS_EXPORT_MAX_OUTPUTS];
} relnas_export_plan;

typedef struct relnas_export_summary {
    size_t nodes;
    int layers_left_out;
    int aux_left_out; /* the auxiliary head's softmax was among them */
} relnas_export_summary;

/* The graph's outputs for net under opt. */
relnas_export_plan relnas_export_outputs(const network *net, const relnas_export_options *opt);

/* Writes net (from cfg, for messages and metadata) to path. Returns 0, or -1 with a message
 * naming the cfg line of a layer that cannot be exported, or the file that cannot be written. */
int relnas_onnx_export(const network *net, const char *cfg, const relnas_export_options *opt, const char *path,
                       relnas_export_summary *summary, char *err, size_t errlen);

#endif
