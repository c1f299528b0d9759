/* The ONNX builder and the batch-norm fold: a written model read back by protobuf-c's own
 * unpacker holds what was built (opset 13, IR 7, input "image" with a symbolic batch,
 * initializers bit for bit, attributes, metadata); names are made unique; a conv followed by
 * batch norm folds to the weights and bias worked out by hand; --keep-bn keeps the
 * parameters in a BatchNormalization node instead; a file that cannot be written is an
 * error naming it. */
#include <math.h>
#include "relnas_test.h"
#include "onnx.pb-c.h"
#include "onnx_model.h"
#include "onnx_ops.h"

static Onnx__ModelProto *read_back(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static uint8_t bytes[1 << 16];
    size_t n = fread(bytes, 1, sizeof(bytes), fp);
    fclose(fp);
    Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, n, bytes);
    assert_non_null(m);
    return m;
}

static const Onnx__TensorProto *initializer(const Onnx__GraphProto *g, const char *name)
{
    for (size_t i = 0; i < g->n_initializer; ++i)
        if (strcmp(g->initializer[i]->name, name) == 0) return g->initializer[i];
    fail_msg("no initializer %s", name);
    return NULL;
}

static void test_unique_names(void **state)
{
    relnas_onnx_model *m = relnas_onnx_model_new("g", "doc");
    assert_string_equal(relnas_onnx_unique_name(m, "x"), "x");
    assert_string_equal(relnas_onnx_unique_name(m, "x"), "x_1");
    assert_string_equal(relnas_onnx_unique_name(m, "x"), "x_2");
    assert_string_equal(relnas_onnx_unique_name(m, "y"), "y");
    for (int i = 0; i < 3000; ++i) relnas_onnx_unique_name(m, "many"); /* through several rehashes */
    assert_string_equal(relnas_onnx_unique_name(m, "many"), "many_3000");
    relnas_onnx_model_free(m);
}

/* conv 2 -> 2 channels, 1x1, weights [[1, 2], [3, 4]], bias [0.5, -1]; BN gamma [2, 1],
 * beta [0.1, 0.2], mean [1, -1], var [3, 0] (eps 1e-5). By hand:
 *   s = gamma / sqrt(var + eps) = [2 / sqrt(3.00001), 1 / sqrt(0.00001)]
 *   w' = w * s per output row, b' = (b - mean) * s + beta. */
static const float w[4] = {1, 2, 3, 4}, bias[2] = {0.5f, -1};
static const float gamma_[2] = {2, 1}, beta[2] = {0.1f, 0.2f}, mean[2] = {1, -1}, var[2] = {3, 0};

static Onnx__ModelProto *conv_bn_model(int keep_bn, const char *path)
{
    relnas_onnx_model *m = relnas_onnx_model_new("g", "doc");
    onnx_context x = {.m = m, .input = "image", .opt = {.keep_bn = keep_bn}};
    int64_t dims[4] = {1, 2, 4, 4};
    relnas_onnx_add_input(m, "image", dims, 4);
    onnx_conv c = {2, 2, 1, 1, 0, 1, 1, w, bias};
    onnx_bn bn = {gamma_, beta, mean, var};
    const char *out = onnx_emit_conv_bn(&x, "image", "layer0.conv", &c, &bn);
    relnas_onnx_node *id = relnas_onnx_add_node(m, "Identity", &out, 1, "output");
    relnas_onnx_add_output(m, relnas_onnx_node_output(id), dims, 4, "what it is");
    relnas_onnx_add_metadata(m, "key", "value");
    char err[512];
    assert_int_equal(relnas_onnx_write(m, path, err, sizeof(err)), 0);
    relnas_onnx_model_free(m);
    return read_back(path);
}

static void test_conv_bn_folds_by_hand(void **state)
{
    char path[] = "/tmp/relnas-onnx-test-XXXXXX";
    close(mkstemp(path));
    Onnx__ModelProto *m = conv_bn_model(0, path);
    assert_int_equal(m->ir_version, 7);
    assert_int_equal(m->n_opset_import, 1);
    assert_int_equal(m->opset_import[0]->version, 13);
    assert_string_equal(m->metadata_props[0]->key, "key");
    const Onnx__GraphProto *g = m->graph;
    assert_int_equal(g->n_input, 1);
    assert_string_equal(g->input[0]->name, "image");
    const Onnx__TensorShapeProto *shape = g->input[0]->type->tensor_type->shape;
    assert_int_equal(shape->n_dim, 4);
    assert_int_equal(shape->dim[0]->value_case, ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM);
    assert_int_equal(shape->dim[1]->dim_value, 2);
    assert_int_equal(g->n_node, 2); /* Conv (BN folded in), Identity */
    assert_string_equal(g->node[0]->op_type, "Conv");
    assert_string_equal(g->output[0]->name, "output");
    const Onnx__TensorProto *wt = initializer(g, "layer0.conv.weight"), *bt = initializer(g, "layer0.conv.bias");
    assert_int_equal(wt->n_dims, 4);
    assert_int_equal(wt->dims[0], 2), assert_int_equal(wt->dims[1], 2), assert_int_equal(wt->dims[2], 1);
    double s0 = 2 / sqrt(3.00001), s1 = 1 / sqrt(0.00001);
    double want_w[4] = {1 * s0, 2 * s0, 3 * s1, 4 * s1}, want_b[2] = {(0.5 - 1) * s0 + 0.1, (-1 + 1) * s1 + 0.2};
    for (int i = 0; i < 4; ++i) assert_true(fabs(wt->float_data[i] - want_w[i]) <= 1e-5 * fabs(want_w[i]));
    for (int i = 0; i < 2; ++i) assert_true(fabs(bt->float_data[i] - want_b[i]) <= 1e-6);
    onnx__model_proto__free_unpacked(m, NULL);
    unlink(path);
}

static void test_keep_bn_writes_the_parameters(void **state)
{
    char path[] = "/tmp/relnas-onnx-test-XXXXXX";
    close(mkstemp(path));
    Onnx__ModelProto *m = conv_bn_model(1, path);
    const Onnx__GraphProto *g = m->graph;
    assert_int_equal(g->n_node, 3);
    assert_string_equal(g->node[1]->op_type, "BatchNormalization");
    assert_int_equal(g->node[1]->n_input, 5);
    assert_float_equal(g->node[1]->attribute[0]->f, 1e-5f, 1e-12);
    const Onnx__TensorProto *wt = initializer(g, "layer0.conv.weight"), *bt = initializer(g, "layer0.conv.bias");
    for (int i = 0; i < 4; ++i) assert_float_equal(wt->float_data[i], w[i], 0);
    for (int i = 0; i < 2; ++i) assert_float_equal(bt->float_data[i], bias[i], 0);
    const float *want[4] = {gamma_, beta, mean, var};
    for (int k = 0; k < 4; ++k) {
        const Onnx__TensorProto *t = initializer(g, g->node[1]->input[k + 1]);
        for (int i = 0; i < 2; ++i) assert_float_equal(t->float_data[i], want[k][i], 0);
    }
    onnx__model_proto__free_unpacked(m, NULL);
    unlink(path);
}

static void test_unwritable_path_is_named(void **state)
{
    relnas_onnx_model *m = relnas_onnx_model_new("g", "doc");
    char err[4400] = "";
    assert_int_equal(relnas_onnx_write(m, "/nonexistent-dir/x.onnx", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/x.onnx"));
    relnas_onnx_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique_names),
        cmocka_unit_test(test_conv_bn_folds_by_hand),
        cmocka_unit_test(test_keep_bn_writes_the_parameters),
        cmocka_unit_test(test_unwritable_path_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
