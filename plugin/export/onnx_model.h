/* An ONNX model under construction, over the protobuf-c structures generated from ONNX's own
 * onnx.proto (Debian's libonnx-dev; the build runs protoc-c on it): nodes, float
 * initializers, a float input with a dynamic batch, outputs and metadata, then written with
 * protobuf-c's packer. Everything it allocates belongs to the model and goes with it.
 * Opset 13, IR version 7. */
#ifndef RELNAS_ONNX_MODEL_H
#define RELNAS_ONNX_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define RELNAS_ONNX_OPSET 13

typedef struct relnas_onnx_model relnas_onnx_model;
typedef struct Onnx__NodeProto relnas_onnx_node;

relnas_onnx_model *relnas_onnx_model_new(const char *graph_name, const char *doc);
void relnas_onnx_model_free(relnas_onnx_model *m);

/* A name unique in the model, "<stem>" or "<stem>_<k>", held by the model. */
const char *relnas_onnx_unique_name(relnas_onnx_model *m, const char *stem);

/* The graph's input or an output: float, batch dimension "N", then dims[1..ndims-1]
 * (dims[0] is ignored). */
void relnas_onnx_add_input(relnas_onnx_model *m, const char *name, const int64_t *dims, int ndims);
void relnas_onnx_add_output(relnas_onnx_model *m, const char *name, const int64_t *dims, int ndims, const char *doc);

/* A float initializer (copied) named from stem; returns its name. */
const char *relnas_onnx_add_floats(relnas_onnx_model *m, const char *stem, const int64_t *dims, int ndims,
                                   const float *data);
/* An int64 initializer (copied), for shapes and indices; returns its name. */
const char *relnas_onnx_add_int64s(relnas_onnx_model *m, const char *stem, const int64_t *values, int n);

/* A node of op_type reading inputs[0..ninputs-1] ("" for an omitted optional input), writing one
 * output named from out_stem; returns the node (for attributes). Its output is
 * relnas_onnx_node_output(node). */
relnas_onnx_node *relnas_onnx_add_node(relnas_onnx_model *m, const char *op_type, const char *const *inputs,
                                       int ninputs, const char *out_stem);
const char *relnas_onnx_node_output(const relnas_onnx_node *node);

void relnas_onnx_attr_int(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, int64_t value);
void relnas_onnx_attr_ints(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, const int64_t *values,
                           int n);
void relnas_onnx_attr_float(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, float value);
void relnas_onnx_attr_string(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, const char *value);

/* A metadata_props entry (key, value copied). */
void relnas_onnx_add_metadata(relnas_onnx_model *m, const char *key, const char *value);

size_t relnas_onnx_node_count(const relnas_onnx_model *m);

/* Packs the model and writes it to path atomically. Returns 0, or -1 with a message naming
 * the path. */
int relnas_onnx_write(const relnas_onnx_model *m, const char *path, char *err, size_t errlen);

#endif
