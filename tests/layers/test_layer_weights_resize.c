/* Plugin layers in Darknet's .weights files and under resize_network:
 * - save -> load into a fresh network reproduces inference outputs bit for bit;
 * - a truncated file is an error naming the file, not a silent partial load;
 * - resizing to another size and back gives the original outputs bit for bit, and at the
 *   new size the outputs equal those of a network parsed at that size;
 * - set_batch_network beyond the batch a network was made for (drop-path scales and the
 *   plugin's scratch in net->workspace grow) trains as a network parsed at that batch. */
#include "relnas_test.h"
#include "layer_harness.h"

/* Every plugin layer type, some reading earlier layers. */
static const char *const body =
    "[relu_conv_bn]\nfilters=4\n"
    "[sep_conv]\nsize=3\nstride=1\n"
    "[dil_conv]\nsize=5\nstride=1\ninput=0\n"
    "[shortcut]\nfrom=1\n"
    "[max_pool]\nsize=3\nstride=1\ninput=0\n"
    "[avg_pool]\nsize=3\nstride=1\ninput=3\n"
    "[route]\nlayers=3,4,5\n"
    "[factorized_reduce]\nfilters=6\n"
    "[sep_conv]\nsize=5\nstride=2\nfilters=8\n";

static network *make_net(int size)
{
    char cfg[2048];
    snprintf(cfg, sizeof(cfg), "[net]\nbatch=2\nheight=%d\nwidth=%d\nchannels=3\n\n%s", size, size, body);
    return harness_network(cfg);
}

/* Gives every parameter and running statistic a distinct value, as training would. */
static void randomize_params(network *net)
{
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        if (l.type != PLUGIN || !l.nweights) continue;
        harness_fill(l.weights, l.nweights, 100 + i, 0);
        harness_fill(l.scales, l.nbiases, 200 + i, 0.5f);
        harness_fill(l.biases, l.nbiases, 300 + i, 0);
        harness_fill(l.rolling_mean, l.nbiases, 400 + i, 0);
        for (int k = 0; k < l.nbiases; ++k) l.rolling_variance[k] = 0.5f + (float)k / l.nbiases;
    }
}

static float *predict_copy(network *net, const float *input)
{
    layer out = net->layers[net->n - 1];
    long n = (long)out.outputs * net->batch;
    memcpy(net->input, input, sizeof(float) * net->inputs * net->batch);
    net->train = 0;
    forward_network(net);
    float *copy = malloc(sizeof(float) * n);
    memcpy(copy, out.output, sizeof(float) * n);
    return copy;
}

static float *make_input(network *net, unsigned seed)
{
    long n = (long)net->inputs * net->batch;
    float *x = malloc(sizeof(float) * n);
    harness_fill(x, n, seed, 0);
    return x;
}

static long output_size(network *net) { return (long)net->layers[net->n - 1].outputs * net->batch; }

static void test_save_load_round_trip_is_bit_exact(void **state)
{
    network *a = make_net(8);
    randomize_params(a);
    char path[] = "/tmp/relnas-weights-XXXXXX";
    close(mkstemp(path));
    save_weights(a, path);
    network *b = make_net(8);
    load_weights(b, path);
    unlink(path);
    float *x = make_input(a, 5);
    float *ya = predict_copy(a, x), *yb = predict_copy(b, x);
    assert_memory_equal(ya, yb, sizeof(float) * output_size(a));
    free(x), free(ya), free(yb);
    free_network(a), free_network(b);
}

static network *truncated_net;

static void load_into_truncated_net(const void *path)
{
    load_weights(truncated_net, (char *)path);
}

static void test_truncated_weights_are_an_error(void **state)
{
    network *a = make_net(8);
    char path[] = "/tmp/relnas-weights-XXXXXX";
    close(mkstemp(path));
    save_weights(a, path);
    FILE *fp = fopen(path, "r+");
    fseek(fp, 0, SEEK_END);
    assert_int_equal(ftruncate(fileno(fp), ftell(fp) - 40), 0);
    fclose(fp);
    char err[4096];
    truncated_net = a;
    int status = relnas_test_in_child(load_into_truncated_net, path, err, sizeof(err));
    unlink(path);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "ends inside the weights of a [sep_conv] layer"));
    free_network(a);
}

static void test_resize_there_and_back_and_against_a_fresh_parse(void **state)
{
    network *net = make_net(8);
    randomize_params(net);
    float *x8 = make_input(net, 9);
    float *before = predict_copy(net, x8);
    long n8 = output_size(net);

    resize_network(net, 12, 12);
    network *fresh = make_net(12);
    char path[] = "/tmp/relnas-weights-XXXXXX";
    close(mkstemp(path));
    save_weights(net, path);
    load_weights(fresh, path);
    unlink(path);
    float *x12 = make_input(fresh, 10);
    float *resized = predict_copy(net, x12), *parsed = predict_copy(fresh, x12);
    assert_int_equal(output_size(net), output_size(fresh));
    assert_memory_equal(resized, parsed, sizeof(float) * output_size(fresh));

    resize_network(net, 8, 8);
    float *after = predict_copy(net, x8);
    assert_int_equal(output_size(net), n8);
    assert_memory_equal(before, after, sizeof(float) * n8);
    free(x8), free(x12), free(before), free(after), free(resized), free(parsed);
    free_network(net), free_network(fresh);
}

/* A training pass (drop-path drawn after srand(5)): output and input gradient. */
static void train_pass(network *net, float **out, float **dinput)
{
    long nin = (long)net->inputs * net->batch, nout = output_size(net);
    float *x = make_input(net, 11), *probe = malloc(sizeof(float) * nout);
    harness_fill(probe, nout, 12, 0);
    *dinput = malloc(sizeof(float) * nin);
    srand(5);
    harness_gradients(net, x, probe, *dinput);
    *out = malloc(sizeof(float) * nout);
    memcpy(*out, net->layers[net->n - 1].output, sizeof(float) * nout);
    free(x), free(probe);
}

static void test_set_batch_beyond_the_parsed_batch(void **state)
{
    static const char *const drop_body = "[sep_conv]\nsize=3\nfilters=4\ndrop_path=0.5\n"
                                         "[max_pool]\nsize=3\nstride=1\ndrop_path=0.5\n"
                                         "[factorized_reduce]\nfilters=6\ndrop_path=0.5\n";
    char cfg[1024];
    snprintf(cfg, sizeof(cfg), "[net]\nbatch=2\nheight=8\nwidth=8\nchannels=3\n\n%s", drop_body);
    network *net = harness_network(cfg);
    snprintf(cfg, sizeof(cfg), "[net]\nbatch=6\nheight=8\nwidth=8\nchannels=3\n\n%s", drop_body);
    network *fresh = harness_network(cfg);
    randomize_params(net);
    char path[] = "/tmp/relnas-weights-XXXXXX";
    close(mkstemp(path));
    save_weights(net, path);
    load_weights(fresh, path);
    unlink(path);
    set_batch_network(net, 6);
    harness_grow_input(net);
    float *out, *din, *fresh_out, *fresh_din;
    train_pass(net, &out, &din);
    train_pass(fresh, &fresh_out, &fresh_din);
    assert_memory_equal(out, fresh_out, sizeof(float) * output_size(fresh));
    assert_memory_equal(din, fresh_din, sizeof(float) * fresh->inputs * fresh->batch);
    free(out), free(din), free(fresh_out), free(fresh_din);
    free_network(net), free_network(fresh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_load_round_trip_is_bit_exact),
        cmocka_unit_test(test_truncated_weights_are_an_error),
        cmocka_unit_test(test_resize_there_and_back_and_against_a_fresh_parse),
        cmocka_unit_test(test_set_batch_beyond_the_parsed_batch),
    };
    return cmocka_run_group_tests_name("layer_weights_resize", tests, NULL, NULL);
}
