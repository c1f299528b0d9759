/* Memory plans on generated networks (RelativeNAS, CIFAR preset with the auxiliary head,
 * whose layers read earlier layers through route, shortcut and input=): a planned network
 * predicts and trains bit for bit as the unplanned one (the same weights from the same
 * seed), needs much less memory, and can be resized and freed (under SANITIZE=1 a double
 * free or leak fails here). */
#include <math.h>
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "cfg_writer.h"
#include "genotype_parse.h"
#include "memory_plan.h"

static const char *generated_cfg(void)
{
    static char path[64];
    relnas_genotype g;
    relnas_net_spec spec;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype("RelativeNAS"), &g, err, sizeof(err)), 0);
    assert_int_equal(relnas_net_preset("cifar", &spec), 0);
    spec.C = 4, spec.cells = 5, spec.batch = 3, spec.auxiliary = 1, spec.drop_path = 0.2f;
    strcpy(path, "/tmp/relnas-plan-XXXXXX");
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(relnas_write_cfg(fp, &g, &spec, "test", err, sizeof(err)), 0);
    fclose(fp);
    return path;
}

/* The same network twice: Darknet draws initial weights with rand(). */
static network *parse_seeded(const char *cfg)
{
    srand(7);
    network *net = parse_network_cfg((char *)cfg);
    for (int i = 0; i < net->n; ++i) /* non-trivial running statistics */
        if (net->layers[i].rolling_variance)
            for (int c = 0; c < net->layers[i].out_c && c < net->layers[i].nbiases; ++c) {
                net->layers[i].rolling_mean[c] = 0.01f * (float)(c % 7);
                net->layers[i].rolling_variance[c] = 1.0f + 0.1f * (float)(c % 5);
            }
    return net;
}

static float *input_for(const network *net)
{
    float *x = malloc(sizeof(float) * (size_t)net->inputs * net->batch);
    for (int i = 0; i < net->inputs * net->batch; ++i) x[i] = (float)((i * 37) % 101) / 101.0f - 0.3f;
    return x;
}

static void test_inference_plan_predicts_the_same(void **state)
{
    const char *cfg = generated_cfg();
    network *plain = parse_seeded(cfg), *planned = parse_seeded(cfg);
    int keep = planned->n / 2;
    relnas_plan_memory m = relnas_plan_inference(planned, keep);
    printf("# inference: %.1f KiB of outputs and deltas -> %.1f KiB in %d shared buffers\n", m.before / 1024.0,
           m.after / 1024.0, m.buffers);
    assert_true(m.after * 4 < m.before);
    float *x = input_for(plain);
    float *want = network_predict(plain, x), *got = network_predict(planned, x);
    assert_memory_equal(want, got, sizeof(float) * (size_t)plain->outputs * plain->batch);
    assert_memory_equal(plain->layers[keep].output, planned->layers[keep].output,
                        sizeof(float) * (size_t)plain->layers[keep].outputs * plain->batch);
    got = network_predict(planned, x); /* a second pass over reused buffers */
    assert_memory_equal(want, got, sizeof(float) * (size_t)plain->outputs * plain->batch);
    free(x);
    free_network(plain);
    free_network(planned);
    unlink(cfg);
}

static void train_step(network *net, const float *x, unsigned seed)
{
    memcpy(net->input, x, sizeof(float) * (size_t)net->inputs * net->batch);
    memset(net->truth, 0, sizeof(float) * (size_t)net->truths * net->batch);
    for (int b = 0; b < net->batch; ++b) net->truth[b * net->truths + (b * 3) % net->truths] = 1;
    net->train = 1;
    *net->seen = 500 * (size_t)net->batch; /* drop-path active */
    net->max_batches = 1000;
    srand(seed); /* the same drop-path masks */
    forward_network(net);
    backward_network(net);
}

static void assert_same_gradients(const network *a, const network *b)
{
    for (int i = 0; i < a->n; ++i) {
        layer la = a->layers[i], lb = b->layers[i];
        if (la.weight_updates)
            assert_memory_equal(la.weight_updates, lb.weight_updates, sizeof(float) * (size_t)la.nweights);
        if (la.bias_updates)
            assert_memory_equal(la.bias_updates, lb.bias_updates, sizeof(float) * (size_t)la.nbiases);
    }
}

static void test_training_plan_trains_the_same(void **state)
{
    const char *cfg = generated_cfg();
    network *plain = parse_seeded(cfg), *planned = parse_seeded(cfg);
    relnas_plan_memory m = relnas_plan_training(planned);
    float *x = input_for(plain);
    for (int step = 0; step < 3; ++step) { /* buffers reused across steps start from zero again */
        train_step(plain, x, 11 + step);
        train_step(planned, x, 11 + step);
        printf("# step %d: cost %.9g vs %.9g\n", step, *plain->cost, *planned->cost);
        assert_true(*plain->cost == *planned->cost);
        assert_same_gradients(plain, planned);
        plain->learning_rate = planned->learning_rate = 0.01f;
        update_network(plain);
        update_network(planned);
    }
    printf("# training: %.1f KiB of outputs and deltas -> %.1f KiB (%d shared delta buffers)\n", m.before / 1024.0,
           m.after / 1024.0, m.buffers);
    assert_true(m.after < m.before);
    free(x);
    free_network(plain);
    free_network(planned);
    unlink(cfg);
}

/* set_batch_network (what detector test and classifier predict do) reaches the plugin
 * layers (patch 0009): one image at batch 1 predicts what it did as the first of 3. */
static void test_set_batch_network_reaches_plugin_layers(void **state)
{
    const char *cfg = generated_cfg();
    network *net = parse_seeded(cfg);
    float *x = input_for(net), want[10];
    memcpy(want, network_predict(net, x), sizeof(want)); /* the first image's 10 classes */
    set_batch_network(net, 1);
    relnas_plan_inference(net, -1);
    float *got = network_predict(net, x);
    for (int k = 0; k < 10; ++k) assert_float_equal(got[k], want[k], 1e-5 * (1 + fabsf(want[k])));
    free(x);
    free_network(net);
    unlink(cfg);
}

/* Stock Darknet cannot resize connected or softmax layers: a fully convolutional cfg. */
static const char resizable_cfg[] =
    "[net]\nbatch=2\nwidth=16\nheight=16\nchannels=3\n"
    "[convolutional]\nfilters=8\nsize=3\nstride=1\npad=1\nbatch_normalize=1\nactivation=relu\n"
    "[sep_conv]\ninput=0\nfilters=8\nsize=3\nstride=1\n"
    "[shortcut]\nfrom=0\nactivation=linear\n"
    "[max_pool]\ninput=2\nsize=3\nstride=2\n"
    "[route]\nlayers=-1\n"
    "[avgpool]\n";

static void test_planned_network_replans_resizes_and_frees(void **state)
{
    const char *cfg = relnas_test_write_temp(resizable_cfg);
    network *net = parse_network_cfg((char *)cfg);
    float *x = input_for(net);
    float want[16];
    memcpy(want, network_predict(net, x), sizeof(float) * (size_t)net->outputs * net->batch);
    relnas_plan_training(net);
    relnas_plan_inference(net, -1); /* re-planning gives the old plan's buffers back first */
    assert_memory_equal(network_predict(net, x), want, sizeof(float) * (size_t)net->outputs * net->batch);
    resize_network(net, 24, 24);
    assert_null(net->plugin_plan);
    free(x);
    x = input_for(net);
    network_predict(net, x);
    relnas_plan_inference(net, -1);
    network_predict(net, x);
    free(x);
    free_network(net);
    unlink(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inference_plan_predicts_the_same),
        cmocka_unit_test(test_training_plan_trains_the_same),
        cmocka_unit_test(test_planned_network_replans_resizes_and_frees),
        cmocka_unit_test(test_set_batch_network_reaches_plugin_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
