#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "onnx.pb-c.h"
#include "onnx_model.h"
#include "output_file.h"
#include "relnas_check.h"
#include "relnas_error.h"

#define IR_VERSION 7 /* the IR version of opset 13 */

/* A growing array of message pointers (protobuf-c's repeated fields are a count and a pointer). */
typedef struct pointers {
    size_t count, capacity;
    void **at;
} pointers;

struct relnas_onnx_model {
    Onnx__ModelProto model;
    Onnx__GraphProto graph;
    Onnx__OperatorSetIdProto opset;
    Onnx__OperatorSetIdProto *opsets[1];
    pointers nodes, initializers, inputs, outputs, metadata;
    pointers blocks;           /* everything else allocated, freed with the model */
    char **names;              /* open-addressing set of the names given out */
    size_t names_capacity, names_count;
};

static void push(pointers *p, void *x)
{
    if (p->count == p->capacity) {
        p->capacity = p->capacity ? 2 * p->capacity : 64;
        void **grown = realloc(p->at, p->capacity * sizeof(*p->at));
        RELNAS_ASSERT(grown != NULL);
        p->at = grown;
    }
    p->at[p->count++] = x;
}

/* Zeroed memory that lives as long as the model. */
static void *hold(relnas_onnx_model *m, size_t n, size_t size)
{
    void *p = RELNAS_CALLOC(n, size);
    push(&m->blocks, p);
    return p;
}

static char *hold_string(relnas_onnx_model *m, const char *s)
{
    char *copy = hold(m, strlen(s) + 1, 1);
    memcpy(copy, s, strlen(s));
    return copy;
}

relnas_onnx_model *relnas_onnx_model_new(const char *graph_name, const char *doc)
{
    relnas_onnx_model *m = RELNAS_CALLOC(1, sizeof(*m));
    onnx__model_proto__init(&m->model);
    onnx__graph_proto__init(&m->graph);
    onnx__operator_set_id_proto__init(&m->opset);
    m->opset.domain = "", m->opset.has_version = 1, m->opset.version = RELNAS_ONNX_OPSET;
    m->opsets[0] = &m->opset;
    m->model.has_ir_version = 1, m->model.ir_version = IR_VERSION;
    m->model.n_opset_import = 1, m->model.opset_import = m->opsets;
    m->model.producer_name = "darknet relnas export";
    m->model.producer_version = "1";
    m->model.doc_string = hold_string(m, doc);
    m->model.graph = &m->graph;
    m->graph.name = hold_string(m, graph_name);
    return m;
}

void relnas_onnx_model_free(relnas_onnx_model *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->blocks.count; ++i) free(m->blocks.at[i]);
    free(m->blocks.at), free(m->nodes.at), free(m->initializers.at), free(m->inputs.at), free(m->outputs.at);
    free(m->metadata.at), free(m->names);
    free(m);
}

/* ---- unique names ------------------------------------------------------------------------ */

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; ++s) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static char **name_slot(char **names, size_t capacity, const char *s)
{
    size_t i = hash(s) & (capacity - 1);
    while (names[i] && strcmp(names[i], s) != 0) i = (i + 1) & (capacity - 1);
    return &names[i];
}

static void grow_names(relnas_onnx_model *m)
{
    size_t capacity = m->names_capacity ? 2 * m->names_capacity : 1024;
    char **names = RELNAS_CALLOC(capacity, sizeof(*names));
    for (size_t i = 0; i < m->names_capacity; ++i)
        if (m->names[i]) *name_slot(names, capacity, m->names[i]) = m->names[i];
    free(m->names);
    m->names = names, m->names_capacity = capacity;
}

const char *relnas_onnx_unique_name(relnas_onnx_model *m, const char *stem)
{
    if (2 * (m->names_count + 1) > m->names_capacity) grow_names(m);
    char name[512];
    snprintf(name, sizeof(name), "%s", stem);
    for (int k = 1; *name_slot(m->names, m->names_capacity, name); ++k) snprintf(name, sizeof(name), "%s_%d", stem, k);
    char *held = hold_string(m, name);
    *name_slot(m->names, m->names_capacity, held) = held;
    m->names_count++;
    return held;
}

/* ---- inputs, outputs, initializers ------------------------------------------------------ */

static Onnx__ValueInfoProto *float_value(relnas_onnx_model *m, const char *name, const int64_t *dims, int ndims)
{
    Onnx__TensorShapeProto *shape = hold(m, 1, sizeof(*shape));
    onnx__tensor_shape_proto__init(shape);
    shape->n_dim = (size_t)ndims;
    shape->dim = hold(m, (size_t)ndims, sizeof(*shape->dim));
    for (int i = 0; i < ndims; ++i) {
        Onnx__TensorShapeProto__Dimension *d = hold(m, 1, sizeof(*d));
        onnx__tensor_shape_proto__dimension__init(d);
        if (i == 0) d->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM, d->dim_param = "N";
        else d->value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE, d->dim_value = dims[i];
        shape->dim[i] = d;
    }
    Onnx__TypeProto__Tensor *tensor = hold(m, 1, sizeof(*tensor));
    onnx__type_proto__tensor__init(tensor);
    tensor->has_elem_type = 1, tensor->elem_type = ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT, tensor->shape = shape;
    Onnx__TypeProto *type = hold(m, 1, sizeof(*type));
    onnx__type_proto__init(type);
    type->value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE, type->tensor_type = tensor;
    Onnx__ValueInfoProto *v = hold(m, 1, sizeof(*v));
    onnx__value_info_proto__init(v);
    v->name = hold_string(m, name), v->type = type;
    return v;
}

void relnas_onnx_add_input(relnas_onnx_model *m, const char *name, const int64_t *dims, int ndims)
{
    push(&m->inputs, float_value(m, name, dims, ndims));
    m->graph.n_input = m->inputs.count, m->graph.input = (Onnx__ValueInfoProto **)m->inputs.at;
}

void relnas_onnx_add_output(relnas_onnx_model *m, const char *name, const int64_t *dims, int ndims, const char *doc)
{
    Onnx__ValueInfoProto *v = float_value(m, name, dims, ndims);
    if (doc) v->doc_string = hold_string(m, doc);
    push(&m->outputs, v);
    m->graph.n_output = m->outputs.count, m->graph.output = (Onnx__ValueInfoProto **)m->outputs.at;
}

static Onnx__TensorProto *tensor(relnas_onnx_model *m, const char *stem, const int64_t *dims, int ndims, int type)
{
    Onnx__TensorProto *t = hold(m, 1, sizeof(*t));
    onnx__tensor_proto__init(t);
    t->name = (char *)relnas_onnx_unique_name(m, stem);
    t->n_dims = (size_t)ndims;
    t->dims = hold(m, (size_t)ndims, sizeof(*t->dims));
    memcpy(t->dims, dims, (size_t)ndims * sizeof(*dims));
    t->has_data_type = 1, t->data_type = type;
    push(&m->initializers, t);
    m->graph.n_initializer = m->initializers.count, m->graph.initializer = (Onnx__TensorProto **)m->initializers.at;
    return t;
}

const char *relnas_onnx_add_floats(relnas_onnx_model *m, const char *stem, const int64_t *dims, int ndims,
                                   const float *data)
{
    Onnx__TensorProto *t = tensor(m, stem, dims, ndims, ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT);
    size_t n = 1;
    for (int i = 0; i < ndims; ++i) n *= (size_t)dims[i];
    t->n_float_data = n;
    t->float_data = hold(m, n, sizeof(float));
    memcpy(t->float_data, data, n * sizeof(float));
    return t->name;
}

const char *relnas_onnx_add_int64s(relnas_onnx_model *m, const char *stem, const int64_t *values, int n)
{
    int64_t dims[1] = {n};
    Onnx__TensorProto *t = tensor(m, stem, dims, 1, ONNX__TENSOR_PROTO__DATA_TYPE__INT64);
    t->n_int64_data = (size_t)n;
    t->int64_data = hold(m, (size_t)n, sizeof(int64_t));
    memcpy(t->int64_data, values, (size_t)n * sizeof(int64_t));
    return t->name;
}

/* ---- nodes and attributes ---------------------------------------------------------------- */

relnas_onnx_node *relnas_onnx_add_node(relnas_onnx_model *m, const char *op_type, const char *const *inputs,
                                       int ninputs, const char *out_stem)
{
    Onnx__NodeProto *node = hold(m, 1, sizeof(*node));
    onnx__node_proto__init(node);
    node->op_type = hold_string(m, op_type);
    node->n_input = (size_t)ninputs;
    node->input = hold(m, (size_t)ninputs, sizeof(char *));
    for (int i = 0; i < ninputs; ++i) node->input[i] = hold_string(m, inputs[i]);
    node->n_output = 1;
    node->output = hold(m, 1, sizeof(char *));
    node->output[0] = (char *)relnas_onnx_unique_name(m, out_stem);
    node->name = node->output[0];
    push(&m->nodes, node);
    m->graph.n_node = m->nodes.count, m->graph.node = (Onnx__NodeProto **)m->nodes.at;
    return node;
}

const char *relnas_onnx_node_output(const relnas_onnx_node *node)
{
    return node->output[0];
}

static Onnx__AttributeProto *attribute(relnas_onnx_model *m, relnas_onnx_node *node, const char *name,
                                       Onnx__AttributeProto__AttributeType type)
{
    Onnx__AttributeProto *a = hold(m, 1, sizeof(*a));
    onnx__attribute_proto__init(a);
    a->name = hold_string(m, name);
    a->has_type = 1, a->type = type;
    Onnx__AttributeProto **grown = hold(m, node->n_attribute + 1, sizeof(*grown));
    if (node->n_attribute) memcpy(grown, node->attribute, node->n_attribute * sizeof(*grown));
    grown[node->n_attribute++] = a; /* the old array stays held until the model goes: nodes have few attributes */
    node->attribute = grown;
    return a;
}

void relnas_onnx_attr_int(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, int64_t value)
{
    Onnx__AttributeProto *a = attribute(m, node, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT);
    a->has_i = 1, a->i = value;
}

void relnas_onnx_attr_ints(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, const int64_t *values,
                           int n)
{
    Onnx__AttributeProto *a = attribute(m, node, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS);
    a->n_ints = (size_t)n;
    a->ints = hold(m, (size_t)n, sizeof(int64_t));
    memcpy(a->ints, values, (size_t)n * sizeof(int64_t));
}

void relnas_onnx_attr_float(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, float value)
{
    Onnx__AttributeProto *a = attribute(m, node, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT);
    a->has_f = 1, a->f = value;
}

void relnas_onnx_attr_string(relnas_onnx_model *m, relnas_onnx_node *node, const char *name, const char *value)
{
    Onnx__AttributeProto *a = attribute(m, node, name, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING);
    a->has_s = 1, a->s.len = strlen(value), a->s.data = (uint8_t *)hold_string(m, value);
}

void relnas_onnx_add_metadata(relnas_onnx_model *m, const char *key, const char *value)
{
    Onnx__StringStringEntryProto *e = hold(m, 1, sizeof(*e));
    onnx__string_string_entry_proto__init(e);
    e->key = hold_string(m, key), e->value = hold_string(m, value);
    push(&m->metadata, e);
    m->model.n_metadata_props = m->metadata.count;
    m->model.metadata_props = (Onnx__StringStringEntryProto **)m->metadata.at;
}

size_t relnas_onnx_node_count(const relnas_onnx_model *m)
{
    return m->nodes.count;
}

/* ---- writing ----------------------------------------------------------------------------- */

int relnas_onnx_write(const relnas_onnx_model *m, const char *path, char *err, size_t errlen)
{
    size_t size = onnx__model_proto__get_packed_size(&m->model);
    uint8_t *bytes = malloc(size ? size : 1);
    if (!bytes) return relnas_errorf(err, errlen, "%s: out of memory packing %zu bytes", path, size);
    onnx__model_proto__pack(&m->model, bytes);
    relnas_output o;
    if (relnas_output_begin(&o, path, err, errlen)) return free(bytes), -1;
    FILE *fp = fopen(o.temp, "wb");
    int failed = !fp || fwrite(bytes, 1, size, fp) != size;
    if (fp && fclose(fp)) failed = 1;
    free(bytes);
    if (failed) {
        int e = errno;
        relnas_output_abort(&o);
        return relnas_errorf(err, errlen, "%s: cannot write: %s", path, strerror(e));
    }
    return relnas_output_commit(&o, err, errlen);
}
