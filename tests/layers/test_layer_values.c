/* Plugin layers on small inputs whose outputs are worked out by hand, and drop-path's
 * behaviour (per sample, training only, scaled, scheduled by training progress). */
#include <math.h>
#include "relnas_test.h"
#include "layer_harness.h"

static network *net_for(const char *section, int h, int w, int c, int batch)
{
    char cfg[1024];
    snprintf(cfg, sizeof(cfg), "[net]\nbatch=%d\nheight=%d\nwidth=%d\nchannels=%d\n\n%s", batch, h, w, c, section);
    return harness_network(cfg);
}

static float *infer(network *net, const float *input)
{
    memcpy(net->input, input, sizeof(float) * net->inputs * net->batch);
    net->train = 0;
    forward_network(net);
    return net->layers[net->n - 1].output;
}

/* 3x3 input 1..9, 3x3 window, stride 1, pad 1: the corner averages its 4 inside cells
 * (1+2+4+5)/4 = 3, an edge its 6, the centre all 9 (count_include_pad would give 12/9). */
static void test_avg_pool_excludes_padding(void **state)
{
    network *net = net_for("[avg_pool]\nsize=3\nstride=1\n", 3, 3, 1, 1);
    float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float *y = infer(net, x);
    float want[9] = {3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7};
    for (int i = 0; i < 9; ++i) assert_float_equal(y[i], want[i], 1e-6);
    free_network(net);
}

/* The auxiliary head's pool: ReLU, 5x5 windows, stride 3, no padding, on 8x8 -> 2x2. */
static void test_aux_head_pool_relu_5x5_stride3(void **state)
{
    network *net = net_for("[avg_pool]\nsize=5\nstride=3\npad=0\nactivation=relu\n", 8, 8, 1, 1);
    float x[64];
    for (int i = 0; i < 64; ++i) x[i] = (i % 2) ? (float)i : -100; /* odd cells positive */
    float *y = infer(net, x);
    assert_int_equal(net->layers[0].out_w, 2);
    /* Window at (0,0) covers rows 0-4, cols 0-4: odd columns 1 and 3 of each row survive. */
    float sum = 0;
    for (int r = 0; r < 5; ++r) sum += (r * 8 + 1) + (r * 8 + 3);
    assert_float_equal(y[0], sum / 25, 1e-5);
    free_network(net);
}

/* 4x4 input, 3x3 window, stride 2, pad 1 -> 2x2; padded cells never win even when every
 * value is negative. */
static void test_max_pool_ignores_padding(void **state)
{
    network *net = net_for("[max_pool]\nsize=3\nstride=2\n", 4, 4, 1, 1);
    float x[16];
    for (int i = 0; i < 16; ++i) x[i] = -1 - (float)i;
    float *y = infer(net, x);
    float want[4] = {-1, -2, -5, -6}; /* windows start at (-1,-1), (-1,1), (1,-1), (1,1) */
    for (int i = 0; i < 4; ++i) assert_float_equal(y[i], want[i], 0);
    free_network(net);
}

/* With identity 1x1 weights and BN at its inference identity (mean 0, var 1 - eps, gamma 1,
 * beta 0), FactorizedReduce's first half samples even pixels, the second half odd ones. */
static void test_factorized_reduce_samples_shifted_pixels(void **state)
{
    network *net = net_for("[factorized_reduce]\nfilters=2\n", 4, 4, 1, 1);
    layer l = net->layers[0];
    l.weights[0] = l.weights[1] = 1;
    for (int c = 0; c < 2; ++c) l.rolling_variance[c] = 1 - 1e-5f;
    float x[16];
    for (int i = 0; i < 16; ++i) x[i] = (float)i;
    float *y = infer(net, x);
    float want[8] = {0, 2, 8, 10, 5, 7, 13, 15};
    for (int i = 0; i < 8; ++i) assert_float_equal(y[i], want[i], 1e-4);
    free_network(net);
}

/* dil_conv 3x3, dilation 2, pad 2 on a 5x5 plane with one channel: the depthwise taps sit
 * two pixels apart. Depthwise kernel all 1 but the centre 10; 1x1 weight 1; BN identity. */
static void test_dil_conv_taps_are_two_apart(void **state)
{
    network *net = net_for("[dil_conv]\nsize=3\nfilters=1\n", 5, 5, 1, 1);
    layer l = net->layers[0];
    for (int t = 0; t < 9; ++t) l.weights[t] = t == 4 ? 10 : 1;
    l.weights[9] = 1;
    l.rolling_variance[0] = 1 - 1e-5f;
    float x[25];
    for (int i = 0; i < 25; ++i) x[i] = (float)i;
    float *y = infer(net, x);
    /* out(0,0): centre x(0,0)*10 + x(0,2) + x(2,0) + x(2,2) = 0 + 2 + 10 + 12 = 24.
     * out(2,2): 10*12 + x(0,0)+x(0,2)+x(0,4)+x(2,0)+x(2,4)+x(4,0)+x(4,2)+x(4,4) = 120 + 96. */
    assert_float_equal(y[0], 24, 1e-3);
    assert_float_equal(y[12], 216, 1e-3);
    free_network(net);
}

/* drop_path=0.5 at full progress: each sample's output is either all 0 or exactly twice
 * the undropped output; both happen over 64 samples; nothing is dropped when predicting,
 * nor at progress 0. */
static void test_drop_path_per_sample_and_scheduled(void **state)
{
    int batch = 64;
    network *net = net_for("[max_pool]\nsize=3\nstride=1\ndrop_path=0.5\n", 4, 4, 2, batch);
    long n = (long)net->inputs * batch, per = net->layers[0].outputs;
    float *x = malloc(sizeof(float) * n), *ref = malloc(sizeof(float) * n);
    harness_fill(x, n, 21, 0.1f);
    memcpy(ref, infer(net, x), sizeof(float) * n);
    net->max_batches = 100;
    *net->seen = 0;
    memcpy(net->input, x, sizeof(float) * n);
    net->train = 1;
    forward_network(net);
    assert_memory_equal(net->layers[0].output, ref, sizeof(float) * n);
    *net->seen = (size_t)100 * net->batch * net->subdivisions;
    forward_network(net);
    int dropped = 0, kept = 0;
    for (int b = 0; b < batch; ++b) {
        const float *y = net->layers[0].output + b * per, *r = ref + b * per;
        int zero = 1, doubled = 1;
        for (int i = 0; i < per; ++i) {
            zero &= y[i] == 0;
            doubled &= fabsf(y[i] - 2 * r[i]) <= 1e-6f * fabsf(r[i]);
        }
        assert_true(zero || doubled);
        dropped += zero;
        kept += doubled && !zero;
    }
    assert_true(dropped > 0 && kept > 0);
    free(x);
    free(ref);
    free_network(net);
}

/* [weighted_softmax] loss_weight=w: the loss and the gradient into the layer below are w
 * times those of Darknet's [softmax] on the same input and labels; doubling w doubles them (the same weights: a
 * connected layer's count is inputs x outputs, its nweights is not set). */
static void test_weighted_softmax_scales_loss_and_gradient(void **state)
{
    double cost[3];
    float grad[3][2 * 4];
    const char *heads[3] = {"[softmax]\n", "[weighted_softmax]\nloss_weight=0.4\n",
                            "[weighted_softmax]\nloss_weight=0.8\n"};
    for (int k = 0; k < 3; ++k) {
        char cfg[256];
        snprintf(cfg, sizeof(cfg), "[connected]\noutput=4\nactivation=linear\n\n%s", heads[k]);
        network *net = net_for(cfg, 1, 1, 3, 2);
        layer fc = net->layers[0];
        for (int i = 0; i < fc.inputs * fc.outputs; ++i) fc.weights[i] = 0.1f * (float)(i % 5) - 0.2f;
        float x[6] = {0.5f, -1, 2, 1, 0, -0.5f}, truth[8] = {0, 1, 0, 0, 0, 0, 0, 1};
        memcpy(net->input, x, sizeof(x));
        memcpy(net->truth, truth, sizeof(truth));
        net->train = 1;
        forward_network(net);
        backward_network(net);
        cost[k] = *net->cost;
        memcpy(grad[k], fc.delta, sizeof(grad[k]));
        free_network(net);
    }
    assert_true(cost[0] > 0 && isfinite(cost[1])); /* cmocka's float comparison lets NaN through */
    assert_float_equal(cost[1], 0.4 * cost[0], 1e-6);
    for (int i = 0; i < 8; ++i) {
        assert_true(isfinite(grad[1][i]) && grad[0][i] != 0);
        assert_float_equal(grad[1][i], 0.4f * grad[0][i], 1e-7);
        assert_float_equal(grad[2][i], 2 * grad[1][i], 1e-7); /* twice the weight, twice the gradient */
    }
    assert_float_equal(cost[2], 2 * cost[1], 1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_avg_pool_excludes_padding),
        cmocka_unit_test(test_aux_head_pool_relu_5x5_stride3),
        cmocka_unit_test(test_max_pool_ignores_padding),
        cmocka_unit_test(test_factorized_reduce_samples_shifted_pixels),
        cmocka_unit_test(test_dil_conv_taps_are_two_apart),
        cmocka_unit_test(test_drop_path_per_sample_and_scheduled),
        cmocka_unit_test(test_weighted_softmax_scales_loss_and_gradient),
    };
    return cmocka_run_group_tests_name("layer_values", tests, NULL, NULL);
}
