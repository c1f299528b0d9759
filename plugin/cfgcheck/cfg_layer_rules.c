/* Sections that transform one input: convolutions, pools, reshapes, element-wise and
 * fully connected layers, Darknet's recurrent layers. Output sizes follow Darknet's
 * make_*_layer; a size that would come out 0 or negative is an error here. */
#include <limits.h>
#include "cfg_sections.h"

static void check_bn(relnas_cfg_ctx *c)
{
    relnas_cfg_int(c, "batch_normalize", 0, 0, 1);
}

/* Output side of a window of `size` sliding by `stride` over `side` cells plus `extra`
 * padding cells; reports the key and returns 0 when no window fits. */
static int windows(relnas_cfg_ctx *c, const char *key, int side, int extra, int size, int stride)
{
    if (side + extra < size) {
        relnas_cfg_fail(c, key, "expected a window that fits the %d x %d input (with padding %d), found %d",
                        c->in.h, c->in.w, extra, size);
        return 0;
    }
    return (side + extra - size) / stride + 1;
}

/* The keys every convolution-like section reads. padding = size / 2 when pad=1 (Darknet's
 * [local] reads only pad). */
typedef struct kernel_keys {
    int n, size, stride, pad, padding;
} kernel_keys;

static kernel_keys read_kernel(relnas_cfg_ctx *c, int with_padding)
{
    kernel_keys k = {
        .n = relnas_cfg_int(c, "filters", 1, 1, RELNAS_CFG_MAX_COUNT),
        .size = relnas_cfg_int(c, "size", 1, 1, 4096),
        .stride = relnas_cfg_int(c, "stride", 1, 1, 4096),
        .pad = relnas_cfg_int(c, "pad", 0, 0, 1),
        .padding = with_padding ? relnas_cfg_int(c, "padding", 0, 0, 4096) : 0,
    };
    relnas_cfg_word(c, "activation", relnas_cfg_activations, 0);
    if (k.pad && with_padding) k.padding = k.size / 2;
    return k;
}

static void check_convolutional(relnas_cfg_ctx *c)
{
    kernel_keys k = read_kernel(c, 1);
    int n = k.n, size = k.size, stride = k.stride, padding = k.padding;
    int groups = relnas_cfg_int(c, "groups", 1, 1, RELNAS_CFG_MAX_COUNT);
    check_bn(c);
    relnas_cfg_int(c, "binary", 0, 0, 1);
    relnas_cfg_int(c, "xnor", 0, 0, 1);
    relnas_cfg_int(c, "flipped", 0, 0, 1);
    relnas_cfg_float(c, "dot", 0, -1e6f, 1e6f);
    relnas_cfg_float(c, "bn_momentum", .01f, 0, 1);
    if (!relnas_cfg_image_input(c)) return;
    if (c->in.c % groups)
        return relnas_cfg_fail(c, "groups", "expected a divisor of the %d input channels, found %d", c->in.c, groups);
    if (n % groups)
        return relnas_cfg_fail(c, "groups", "expected a divisor of filters = %d, found %d", n, groups);
    int oh = windows(c, "size", c->in.h, 2 * padding, size, stride);
    int ow = windows(c, "size", c->in.w, 2 * padding, size, stride);
    if (!oh || !ow) return;
    long long weights = (long long)c->in.c / groups * n * size * size;
    long long workspace = (long long)oh * ow * size * size * (c->in.c / groups);
    if (!relnas_cfg_fits_int(c, "filters", "weights", weights) ||
        !relnas_cfg_fits_int(c, "size", "im2col workspace values", workspace))
        return;
    relnas_cfg_set_out(c, oh, ow, n);
    c->out.weights = weights;
}

static void check_deconvolutional(relnas_cfg_ctx *c)
{
    kernel_keys k = read_kernel(c, 1);
    int n = k.n, size = k.size, stride = k.stride, padding = k.padding;
    check_bn(c);
    if (!relnas_cfg_image_input(c)) return;
    long long oh = (long long)(c->in.h - 1) * stride + size - 2 * padding;
    long long ow = (long long)(c->in.w - 1) * stride + size - 2 * padding;
    if (oh < 1 || ow < 1)
        return relnas_cfg_fail(c, "padding", "expected padding below (size + (input - 1) x stride) / 2, found %d", padding);
    if (oh > RELNAS_CFG_MAX_SIDE || ow > RELNAS_CFG_MAX_SIDE)
        return relnas_cfg_fail(c, "stride", "expected an output of at most %d x %d, found %lld x %lld",
                               RELNAS_CFG_MAX_SIDE, RELNAS_CFG_MAX_SIDE, oh, ow);
    long long weights = (long long)c->in.c * n * size * size;
    if (!relnas_cfg_fits_int(c, "filters", "weights", weights)) return;
    relnas_cfg_set_out(c, (int)oh, (int)ow, n);
    c->out.weights = weights;
}

static void check_local(relnas_cfg_ctx *c)
{
    kernel_keys k = read_kernel(c, 0);
    int n = k.n, size = k.size, stride = k.stride, pad = k.pad;
    if (!relnas_cfg_image_input(c)) return;
    /* local_out_height: without pad the window must fit. */
    int oh = (c->in.h - (pad ? 1 : size)), ow = (c->in.w - (pad ? 1 : size));
    if (oh < 0 || ow < 0)
        return relnas_cfg_fail(c, "size", "expected a window that fits the %d x %d input, found %d",
                               c->in.h, c->in.w, size);
    oh = oh / stride + 1;
    ow = ow / stride + 1;
    long long weights = (long long)c->in.c * n * size * size * oh * ow;
    if (!relnas_cfg_fits_int(c, "filters", "weights", weights)) return;
    relnas_cfg_set_out(c, oh, ow, n);
    c->out.weights = weights;
}

static void same_shape(relnas_cfg_ctx *c)
{
    if (c->in.known) c->out = c->in;
}

static void check_activation(relnas_cfg_ctx *c)
{
    relnas_cfg_word(c, "activation", relnas_cfg_activations, 9 /* linear */);
    same_shape(c);
}

static void check_dropout(relnas_cfg_ctx *c)
{
    relnas_cfg_float(c, "probability", .5f, 0, .999999f);
    if (c->layer == 0)
        return relnas_cfg_fail(c, NULL, "expected an earlier layer whose output this one drops in place, "
                               "found a dropout as the first layer");
    same_shape(c);
}

static void check_image_same(relnas_cfg_ctx *c)
{
    if (relnas_cfg_image_input(c)) c->out = c->in;
}

static void check_normalization(relnas_cfg_ctx *c)
{
    relnas_cfg_float(c, "alpha", .0001f, -1e6f, 1e6f);
    relnas_cfg_float(c, "beta", .75f, -1e6f, 1e6f);
    relnas_cfg_float(c, "kappa", 1, -1e6f, 1e6f);
    relnas_cfg_int(c, "size", 5, 1, 4096);
    check_image_same(c);
}

static void check_maxpool(relnas_cfg_ctx *c)
{
    int stride = relnas_cfg_int(c, "stride", 1, 1, 4096);
    int size = relnas_cfg_int(c, "size", stride, 1, 4096);
    int padding = relnas_cfg_int(c, "padding", size - 1, 0, 4096);
    if (!relnas_cfg_image_input(c)) return;
    int oh = windows(c, "size", c->in.h, padding, size, stride);
    int ow = windows(c, "size", c->in.w, padding, size, stride);
    if (oh && ow) relnas_cfg_set_out(c, oh, ow, c->in.c);
}

static void check_avgpool(relnas_cfg_ctx *c)
{
    if (relnas_cfg_image_input(c)) relnas_cfg_set_out(c, 1, 1, c->in.c);
}

static void check_reorg(relnas_cfg_ctx *c)
{
    int stride = relnas_cfg_int(c, "stride", 1, 1, 4096);
    int reverse = relnas_cfg_int(c, "reverse", 0, 0, 1);
    relnas_cfg_int(c, "flatten", 0, 0, 1);
    int extra = relnas_cfg_int(c, "extra", 0, 0, RELNAS_CFG_MAX_COUNT);
    if (!relnas_cfg_image_input(c)) return;
    const relnas_cfg_shape in = c->in;
    if (extra) return relnas_cfg_set_flat(c, in.outputs + extra);
    if (reverse && in.c % (stride * stride))
        return relnas_cfg_fail(c, "stride", "expected stride x stride to divide the %d input channels, found %d",
                               in.c, stride);
    if (!reverse && (in.h % stride || in.w % stride))
        return relnas_cfg_fail(c, "stride", "expected a divisor of the %d x %d input, found %d", in.h, in.w, stride);
    if (reverse) {
        if ((long long)in.h * stride > RELNAS_CFG_MAX_SIDE || (long long)in.w * stride > RELNAS_CFG_MAX_SIDE)
            return relnas_cfg_fail(c, "stride", "expected an output of at most %d x %d, found stride %d",
                                   RELNAS_CFG_MAX_SIDE, RELNAS_CFG_MAX_SIDE, stride);
        return relnas_cfg_set_out(c, in.h * stride, in.w * stride, in.c / (stride * stride));
    }
    relnas_cfg_set_out(c, in.h / stride, in.w / stride, in.c * stride * stride);
}

static void check_upsample(relnas_cfg_ctx *c)
{
    int stride = relnas_cfg_int(c, "stride", 2, -4096, 4096);
    relnas_cfg_float(c, "scale", 1, -1e6f, 1e6f);
    if (stride == 0)
        return relnas_cfg_fail(c, "stride", "expected a factor other than 0 (negative: downsample), found 0");
    if (!relnas_cfg_image_input(c)) return;
    const relnas_cfg_shape in = c->in;
    if (stride < 0) {
        if (in.h % -stride || in.w % -stride)
            return relnas_cfg_fail(c, "stride", "expected a divisor of the %d x %d input, found %d", in.h, in.w, stride);
        return relnas_cfg_set_out(c, in.h / -stride, in.w / -stride, in.c);
    }
    if ((long long)in.h * stride > RELNAS_CFG_MAX_SIDE || (long long)in.w * stride > RELNAS_CFG_MAX_SIDE)
        return relnas_cfg_fail(c, "stride", "expected an output of at most %d x %d, found %d x %d x %d",
                               RELNAS_CFG_MAX_SIDE, RELNAS_CFG_MAX_SIDE, in.h, in.w, stride);
    relnas_cfg_set_out(c, in.h * stride, in.w * stride, in.c);
}

static void check_crop(relnas_cfg_ctx *c)
{
    int ch = relnas_cfg_int(c, "crop_height", 1, 1, RELNAS_CFG_MAX_SIDE);
    int cw = relnas_cfg_int(c, "crop_width", 1, 1, RELNAS_CFG_MAX_SIDE);
    relnas_cfg_int(c, "flip", 0, 0, 1);
    relnas_cfg_float(c, "angle", 0, -360, 360);
    relnas_cfg_float(c, "saturation", 1, 0, 1000);
    relnas_cfg_float(c, "exposure", 1, 0, 1000);
    relnas_cfg_int(c, "noadjust", 0, 0, 1);
    relnas_cfg_float(c, "shift", 0, -1e6f, 1e6f);
    if (!relnas_cfg_image_input(c)) return;
    if (ch > c->in.h) return relnas_cfg_fail(c, "crop_height", "expected at most the input height %d, found %d", c->in.h, ch);
    if (cw > c->in.w) return relnas_cfg_fail(c, "crop_width", "expected at most the input width %d, found %d", c->in.w, cw);
    relnas_cfg_set_out(c, ch, cw, c->in.c);
}

/* A layer with `output` units fully connected to a flat input; Darknet shapes its output
 * 1 x 1 x output (connected) or leaves it flat (recurrent layers). */
static int dense(relnas_cfg_ctx *c, const char *key, int gates, long long *weights_out)
{
    int n = relnas_cfg_int(c, key, 1, 1, RELNAS_CFG_MAX_COUNT);
    check_bn(c);
    if (!c->in.known) return 0;
    long long weights = c->in.outputs * n * gates;
    if (!relnas_cfg_fits_int(c, key, "weights", weights)) return 0;
    *weights_out = weights;
    return n;
}

static void check_connected(relnas_cfg_ctx *c)
{
    relnas_cfg_word(c, "activation", relnas_cfg_activations, 0);
    long long weights = 0;
    int n = dense(c, "output", 1, &weights);
    if (n) relnas_cfg_set_out(c, 1, 1, n);
    c->out.weights = weights;
}

static void check_rnn(relnas_cfg_ctx *c)
{
    relnas_cfg_word(c, "activation", relnas_cfg_activations, 0);
    relnas_cfg_int(c, "shortcut", 0, 0, 1);
    long long weights = 0;
    int n = dense(c, "output", 2, &weights);
    if (n) relnas_cfg_set_flat(c, n);
    c->out.weights = weights;
}

static void check_gru(relnas_cfg_ctx *c)
{
    relnas_cfg_int(c, "tanh", 0, 0, 1);
    long long weights = 0;
    int n = dense(c, "output", 6, &weights);
    if (n) relnas_cfg_set_flat(c, n);
    c->out.weights = weights;
}

static void check_lstm(relnas_cfg_ctx *c)
{
    long long weights = 0;
    int n = dense(c, "output", 8, &weights);
    if (n) relnas_cfg_set_flat(c, n);
    c->out.weights = weights;
}

static void check_crnn(relnas_cfg_ctx *c)
{
    int out = relnas_cfg_int(c, "output_filters", 1, 1, RELNAS_CFG_MAX_COUNT);
    int hidden = relnas_cfg_int(c, "hidden_filters", 1, 1, RELNAS_CFG_MAX_COUNT);
    relnas_cfg_word(c, "activation", relnas_cfg_activations, 0);
    check_bn(c);
    relnas_cfg_int(c, "shortcut", 0, 0, 1);
    if (!relnas_cfg_image_input(c)) return;
    long long weights = 9LL * ((long long)c->in.c * hidden + (long long)hidden * hidden + (long long)hidden * out);
    if (!relnas_cfg_fits_int(c, "hidden_filters", "weights", weights)) return;
    relnas_cfg_set_out(c, c->in.h, c->in.w, out);
    c->out.weights = weights;
}

const relnas_cfg_rule relnas_cfg_layer_rules[] = {
    {.name = "[convolutional]", .alias = "[conv]", .check = check_convolutional},
    {.name = "[deconvolutional]", .alias = "[deconv]", .check = check_deconvolutional},
    {.name = "[local]", .check = check_local},
    {.name = "[activation]", .check = check_activation},
    {.name = "[logistic]", .check = same_shape},
    {.name = "[l2norm]", .check = same_shape},
    {.name = "[dropout]", .check = check_dropout},
    {.name = "[batchnorm]", .check = check_image_same},
    {.name = "[normalization]", .alias = "[lrn]", .check = check_normalization},
    {.name = "[maxpool]", .alias = "[max]", .check = check_maxpool},
    {.name = "[avgpool]", .alias = "[avg]", .check = check_avgpool},
    {.name = "[reorg]", .check = check_reorg},
    {.name = "[upsample]", .check = check_upsample},
    {.name = "[crop]", .check = check_crop},
    {.name = "[connected]", .alias = "[conn]", .check = check_connected},
    {.name = "[rnn]", .check = check_rnn},
    {.name = "[gru]", .check = check_gru},
    {.name = "[lstm]", .check = check_lstm},
    {.name = "[crnn]", .check = check_crnn},
    {0},
};
