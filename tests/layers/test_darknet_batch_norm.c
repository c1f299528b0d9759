/* relnas_darknet_bn_forward/backward against Darknet's own forward_batchnorm_layer and
 * backward_batchnorm_layer on a [convolutional] layer, bit for bit over every buffer they touch,
 * training and predicting, with nonzero rolling statistics, scales, biases and gradients
 * already accumulated; and a network's convolution uses them (patch 0081). */
#include "relnas_test.h"
#include "layers/layer_harness.h"
#include "batchnorm_layer.h"
#include "darknet_batch_norm.h"

static const char *cfg = "[net]\nbatch=3\nheight=7\nwidth=6\nchannels=3\n\n"
                         "[convolutional]\nfilters=5\nsize=3\npad=1\nbatch_normalize=1\nbn_momentum=0.1\n"
                         "activation=linear\n";

typedef struct buffers {
    float *at[12];
    long n[12];
} buffers;

static buffers buffers_of(layer l)
{
    long big = (long)l.outputs * l.batch, c = l.out_c;
    buffers b = {{l.output, l.x, l.x_norm, l.delta, l.mean, l.variance, l.rolling_mean, l.rolling_variance,
                  l.bias_updates, l.scale_updates, l.mean_delta, l.variance_delta},
                 {big, big, big, big, c, c, c, c, c, c, c, c}};
    return b;
}

static float *snapshot(buffers b)
{
    long total = 0;
    for (int i = 0; i < 12; ++i) total += b.n[i];
    float *s = malloc(sizeof(float) * total), *p = s;
    for (int i = 0; i < 12; ++i, p += b.n[i - 1]) memcpy(p, b.at[i], sizeof(float) * b.n[i]);
    return s;
}

static void restore(buffers b, const float *s)
{
    for (int i = 0; i < 12; s += b.n[i], ++i) memcpy(b.at[i], s, sizeof(float) * b.n[i]);
}

static void fill_state(layer l)
{
    buffers b = buffers_of(l);
    for (int i = 0; i < 12; ++i) harness_fill(b.at[i], b.n[i], 11 + i, 0);
    for (int f = 0; f < l.out_c; ++f) {
        l.rolling_variance[f] = 0.5f + f;
        l.scales[f] = 0.7f + 0.1f * f;
        l.biases[f] = 0.05f * f - 0.1f;
    }
    for (long i = 0; i < (long)l.outputs * l.batch; ++i) l.output[i] = 3 * l.output[i] + 0.01f * (i % 17);
}

static void compare(int train)
{
    network *net = harness_network(cfg);
    layer l = net->layers[0];
    net->train = train;
    fill_state(l);
    buffers b = buffers_of(l);
    float *start = snapshot(b);
    relnas_darknet_bn_forward(l, *net);
    relnas_darknet_bn_backward(l, *net);
    float *ours = snapshot(b);
    restore(b, start);
    forward_batchnorm_layer(l, *net);
    backward_batchnorm_layer(l, *net);
    float *theirs = snapshot(b);
    long offset = 0;
    for (int i = 0; i < 12; offset += b.n[i], ++i)
        if (memcmp(ours + offset, theirs + offset, sizeof(float) * b.n[i]))
            fail_msg("train=%d: buffer %d differs (first value %g, Darknet's %g)", train, i, ours[offset],
                     theirs[offset]);
    free(start), free(ours), free(theirs);
    free_network(net);
}

static void test_training_equals_darknet(void **state)
{
    (void)state;
    compare(1);
}

static void test_predicting_equals_darknet(void **state)
{
    (void)state;
    compare(0);
}

/* The convolution's own forward pass goes through the same normalisation: its output for a
 * batch equals convolution-without-BN's output normalised by Darknet's function. */
static void test_convolution_calls_it(void **state)
{
    (void)state;
    network *net = harness_network(cfg);
    layer *l = &net->layers[0];
    harness_fill(net->input, (long)net->inputs * net->batch, 4, 0);
    net->train = 1;
    forward_network(net);
    long n = (long)l->outputs * l->batch;
    float *ours = malloc(sizeof(float) * n);
    memcpy(ours, l->output, sizeof(float) * n);
    memcpy(l->output, l->x, sizeof(float) * n); /* the convolution before normalising */
    for (int f = 0; f < l->out_c; ++f) /* undo this pass's rolling update (0.9 r + 0.1 m, r was 0 / 1) */
        l->rolling_mean[f] = 0, l->rolling_variance[f] = 1;
    forward_batchnorm_layer(*l, *net);
    assert_memory_equal(ours, l->output, sizeof(float) * n);
    free(ours);
    free_network(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_training_equals_darknet),
        cmocka_unit_test(test_predicting_equals_darknet),
        cmocka_unit_test(test_convolution_calls_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
