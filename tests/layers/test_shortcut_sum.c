/* The one-pass [shortcut] sum against Darknet's own forward_shortcut_layer and
 * backward_shortcut_layer, bit for bit: two inputs from different layers, both inputs one
 * layer (its gradients one buffer), and the shortcuts it must leave to Darknet (activation,
 * alpha or beta, another shape). */
#include "relnas_test.h"
#include "layers/layer_harness.h"
#include "shortcut_layer.h"
#include "shortcut_sum.h"

static const char *head = "[net]\nbatch=3\nheight=5\nwidth=4\nchannels=2\n\n"
                          "[convolutional]\nfilters=3\nsize=1\nactivation=linear\n\n"
                          "[convolutional]\nfilters=3\nsize=3\npad=1\nactivation=linear\n\n";

static network *net_with(const char *shortcut)
{
    char cfg[1024];
    snprintf(cfg, sizeof(cfg), "%s%s", head, shortcut);
    return harness_network(cfg);
}

static float *copy_of(const float *x, long n)
{
    float *c = malloc(sizeof(float) * n);
    memcpy(c, x, sizeof(float) * n);
    return c;
}

/* Runs layer 2 (the shortcut) both ways on the same inputs and compares outputs and both
 * input gradients. */
static void compare_with_darknet(network *net)
{
    layer *l = &net->layers[2];
    long n = (long)l->outputs * l->batch, nin = (long)net->layers[1].outputs * l->batch;
    harness_fill(net->layers[1].output, nin, 3, 0);
    harness_fill(net->layers[0].output, (long)net->layers[0].outputs * l->batch, 4, 0);
    harness_fill(net->layers[1].delta, nin, 5, 0);
    harness_fill(net->layers[0].delta, (long)net->layers[0].outputs * l->batch, 6, 0);
    harness_fill(l->delta, n, 7, 0);
    network run = *net;
    run.index = 2;
    run.input = net->layers[1].output;
    run.delta = net->layers[1].delta;
    float *from_delta = net->layers[l->index].delta;
    float *in_delta0 = copy_of(run.delta, nin), *from_delta0 = copy_of(from_delta, n);

    l->forward(*l, run);
    l->backward(*l, run);
    float *ours_out = copy_of(l->output, n), *ours_in = copy_of(run.delta, nin), *ours_from = copy_of(from_delta, n);

    memcpy(run.delta, in_delta0, sizeof(float) * nin);
    memcpy(from_delta, from_delta0, sizeof(float) * n); /* one buffer: the same bytes again */
    forward_shortcut_layer(*l, run);
    backward_shortcut_layer(*l, run);
    assert_memory_equal(ours_out, l->output, sizeof(float) * n);
    assert_memory_equal(ours_in, run.delta, sizeof(float) * nin);
    assert_memory_equal(ours_from, from_delta, sizeof(float) * n);
    free(in_delta0), free(from_delta0), free(ours_out), free(ours_in), free(ours_from);
}

static void test_sum_of_two_layers_equals_darknet(void **state)
{
    (void)state;
    network *net = net_with("[shortcut]\nfrom=-2\nactivation=linear\n");
    assert_ptr_equal(net->layers[2].forward, relnas_forward_shortcut_sum); /* the default options */
    assert_ptr_equal(net->layers[2].backward, relnas_backward_shortcut_sum);
    compare_with_darknet(net);
    free_network(net);
}

static void test_both_inputs_one_layer_equals_darknet(void **state)
{
    (void)state;
    network *net = net_with("[shortcut]\nfrom=-1\n");
    assert_ptr_equal(net->layers[2].forward, relnas_forward_shortcut_sum);
    compare_with_darknet(net);
    free_network(net);
}

static void test_other_shortcuts_stay_darknet(void **state)
{
    (void)state;
    const char *others[] = {"[shortcut]\nfrom=-2\nactivation=leaky\n", "[shortcut]\nfrom=-2\nalpha=0.5\n",
                            "[shortcut]\nfrom=-2\nbeta=2\n"};
    for (int i = 0; i < 3; ++i) {
        network *net = net_with(others[i]);
        assert_ptr_equal(net->layers[2].forward, forward_shortcut_layer);
        assert_ptr_equal(net->layers[2].backward, backward_shortcut_layer);
        free_network(net);
    }
    network *net = harness_network("[net]\nbatch=2\nheight=4\nwidth=4\nchannels=2\n\n"
                                   "[convolutional]\nfilters=4\nsize=1\nactivation=linear\n\n"
                                   "[convolutional]\nfilters=2\nsize=1\nactivation=linear\n\n"
                                   "[shortcut]\nfrom=-2\n"); /* 4 channels into 2 */
    assert_ptr_equal(net->layers[2].forward, forward_shortcut_layer);
    free_network(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_of_two_layers_equals_darknet),
        cmocka_unit_test(test_both_inputs_one_layer_equals_darknet),
        cmocka_unit_test(test_other_shortcuts_stay_darknet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
