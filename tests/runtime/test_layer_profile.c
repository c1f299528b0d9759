/* The layer profile on a small network: every layer's passes become rows named for its type,
 * with one call per layer per pass; the conv chains' own stages carry the FLOPs counted by hand
 * from the cfg's shapes; outputs are bit-identical with the profile on; unprofiling puts back
 * the layers' own functions. */
#include "relnas_test.h"
#include "layers/layer_harness.h"
#include "layer_profile.h"
#include "op_profile.h"

/* 6x6x3, batch 4: relu_conv_bn (1x1, 3 -> 4), sep_conv 3x3 stride 2 (4 -> 4, two stages, the
 * first 6x6 -> 3x3), global average, connected 4 -> 3. */
static const char *cfg =
    "[net]\nbatch=4\nheight=6\nwidth=6\nchannels=3\nlearning_rate=0.1\nmomentum=0.9\ndecay=0.0005\n\n"
    "[relu_conv_bn]\nfilters=4\n\n[sep_conv]\nsize=3\nstride=2\n\n[avgpool]\n\n"
    "[connected]\noutput=3\nactivation=linear\n\n[softmax]\n";

static const relnas_op_row *row(const relnas_op_row *rows, int n, const char *name)
{
    for (int i = 0; i < n; ++i)
        if (strcmp(rows[i].name, name) == 0) return &rows[i];
    fail_msg("no row '%s'", name);
    return NULL;
}

static void test_rows_calls_and_flops(void **state)
{
    (void)state;
    network *net = harness_network(cfg);
    relnas_profile_layers(net);
    relnas_op_profile_start();
    harness_training_batch(net, 7);
    forward_network(net);
    backward_network(net);
    relnas_op_profile_stop();
    relnas_op_row rows[64];
    int n = relnas_op_profile_rows(rows, 64);
    assert_int_equal(row(rows, n, "[relu_conv_bn] forward")->calls, 1);
    assert_int_equal(row(rows, n, "[sep_conv] backward")->calls, 1);
    assert_int_equal(row(rows, n, "connected forward")->calls, 1);
    assert_int_equal(row(rows, n, "softmax backward")->calls, 1);
    /* 1x1 convs, 2 x c_in x c_out x pixels x batch: 3 -> 4 at 6x6, then 4 -> 4 at 3x3 twice */
    const relnas_op_row *pw = row(rows, n, "pointwise forward");
    assert_int_equal(pw->calls, 3);
    assert_true(pw->flops == 2.0 * 3 * 4 * 36 * 4 + 2 * (2.0 * 4 * 4 * 9 * 4));
    assert_true(row(rows, n, "pointwise backward weights")->flops == pw->flops);
    /* 3x3 depthwise, 2 x 9 x channels x output pixels x batch, two stages */
    assert_true(row(rows, n, "depthwise forward")->flops == 2 * (2.0 * 9 * 4 * 9 * 4));
    assert_true(row(rows, n, "connected forward")->flops == 2.0 * 4 * 4 * 3);
    assert_true(row(rows, n, "connected backward")->flops == 2 * 2.0 * 4 * 4 * 3);
    assert_true(row(rows, n, "[sep_conv] forward")->flops == 0); /* its stages hold them */
    relnas_unprofile_layers(net);
    free_network(net);
}

static void test_profiled_outputs_equal_and_functions_restored(void **state)
{
    (void)state;
    network *plain = harness_network(cfg), *profiled = harness_network(cfg);
    char path[] = "/tmp/relnas-lp-XXXXXX";
    close(mkstemp(path));
    save_weights(plain, path);
    load_weights(profiled, path);
    unlink(path);
    void (*forward)(layer, network) = profiled->layers[1].forward;
    relnas_profile_layers(profiled);
    assert_ptr_not_equal(profiled->layers[1].forward, forward);
    relnas_op_profile_start();
    network *nets[2] = {plain, profiled};
    for (int k = 0; k < 2; ++k) {
        harness_training_batch(nets[k], 7);
        forward_network(nets[k]);
        backward_network(nets[k]);
    }
    relnas_op_profile_stop();
    layer last = plain->layers[plain->n - 1], sep = plain->layers[1];
    assert_memory_equal(last.output, profiled->layers[plain->n - 1].output, sizeof(float) * last.outputs * last.batch);
    assert_true(sep.nweights > 0);
    assert_memory_equal(sep.weight_updates, profiled->layers[1].weight_updates, sizeof(float) * sep.nweights);
    relnas_unprofile_layers(profiled);
    assert_ptr_equal(profiled->layers[1].forward, forward);
    free_network(plain);
    free_network(profiled);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_calls_and_flops),
        cmocka_unit_test(test_profiled_outputs_equal_and_functions_restored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
