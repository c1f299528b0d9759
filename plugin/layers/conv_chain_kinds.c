/* [sep_conv], [dil_conv] and [relu_conv_bn]: cfg options -> a conv chain layer. */
#include <stdio.h>
#include "conv_chain_layer.h"
#include "depthwise_conv.h"
#include "layer_options.h"
#include "layer_params.h"
#include "layer_registry.h"
#include "relnas_error.h"

/* Options every op layer shares: input, filters (default: input channels), drop_path. */
typedef struct op_common {
    int from, h, w, c, filters;
    float drop_path;
} op_common;

static int parse_common(list *options, size_params params, op_common *op, char *err, size_t errlen)
{
    if (relnas_opt_input(options, params, &op->from, &op->h, &op->w, &op->c, err, errlen)) return -1;
    if (relnas_opt_int(options, "filters", op->c, 1, 1 << 20, &op->filters, err, errlen)) return -1;
    return relnas_opt_float(options, "drop_path", 0, 0, 1, &op->drop_path, err, errlen);
}

static int parse_size_stride(list *options, int *size, int *stride, char *err, size_t errlen)
{
    if (relnas_opt_int(options, "size", 3, 1, RELNAS_DW_MAX_KERNEL, size, err, errlen)) return -1;
    if (*size % 2 == 0) return relnas_errorf(err, errlen, "size: expected an odd kernel size, found %d", *size);
    return relnas_opt_int(options, "stride", 1, 1, 2, stride, err, errlen);
}

static void print_layer(const char *name, layer l, int dilation)
{
    fprintf(stderr, "%-12s %4d %d x%d /%d d%d  %4d x%4d x%4d   ->  %4d x%4d x%4d  (input %d)\n", name,
            l.out_c, l.size, l.size, l.stride, dilation, l.w, l.h, l.c, l.out_w, l.out_h, l.out_c,
            l.index);
}

static int parse_sep_conv(layer *l, list *options, size_params params, char *err, size_t errlen)
{
    op_common op;
    int size, stride;
    if (parse_common(options, params, &op, err, errlen) || parse_size_stride(options, &size, &stride, err, errlen))
        return -1;
    relnas_stage_spec specs[2] = {{op.c, size, stride, 1}, {op.filters, size, 1, 1}};
    *l = relnas_make_conv_chain_layer(params.batch, op.from, op.h, op.w, op.c, specs, 2, op.drop_path);
    print_layer("sep_conv", *l, 1);
    return 0;
}

static int parse_dil_conv(layer *l, list *options, size_params params, char *err, size_t errlen)
{
    op_common op;
    int size, stride, dilation;
    if (parse_common(options, params, &op, err, errlen) || parse_size_stride(options, &size, &stride, err, errlen))
        return -1;
    if (relnas_opt_int(options, "dilation", 2, 1, 16, &dilation, err, errlen)) return -1;
    relnas_stage_spec spec = {op.filters, size, stride, dilation};
    *l = relnas_make_conv_chain_layer(params.batch, op.from, op.h, op.w, op.c, &spec, 1, op.drop_path);
    print_layer("dil_conv", *l, dilation);
    return 0;
}

static int parse_relu_conv_bn(layer *l, list *options, size_params params, char *err, size_t errlen)
{
    op_common op;
    if (parse_common(options, params, &op, err, errlen)) return -1;
    relnas_stage_spec spec = {op.filters, 0, 1, 1};
    *l = relnas_make_conv_chain_layer(params.batch, op.from, op.h, op.w, op.c, &spec, 1, op.drop_path);
    print_layer("relu_conv_bn", *l, 1);
    return 0;
}

#define CHAIN_KIND(parse_fn)                                                                  \
    .parse = parse_fn, .save_weights = relnas_params_save, .load_weights = relnas_params_load, \
    .resize = relnas_resize_conv_chain_layer, .free_state = relnas_free_conv_chain_layer, \
    .multiply_adds = relnas_conv_chain_multiply_adds

const relnas_layer_kind relnas_sep_conv_kind = {
    .section = "[sep_conv]",
    .summary = "ReLU, depthwise KxK (stride), 1x1, BN, ReLU, depthwise KxK, 1x1, BN (DARTS sep_conv_KxK)",
    CHAIN_KIND(parse_sep_conv),
};

const relnas_layer_kind relnas_dil_conv_kind = {
    .section = "[dil_conv]",
    .summary = "ReLU, depthwise KxK dilated (stride), 1x1, BN (DARTS dil_conv_KxK)",
    CHAIN_KIND(parse_dil_conv),
};

const relnas_layer_kind relnas_relu_conv_bn_kind = {
    .section = "[relu_conv_bn]",
    .summary = "ReLU, 1x1 conv, BN (DARTS cell preprocessing ReLUConvBN)",
    CHAIN_KIND(parse_relu_conv_bn),
};
