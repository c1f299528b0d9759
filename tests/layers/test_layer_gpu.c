/* GPU against CPU for every layer case, and for GPU-only cases (shapes beyond one thread
 * block, odd sizes at stride 2, drop-path with a fixed mask, weighted_softmax, Darknet's
 * conv+BN): the same weights and input through a network built on the GPU and one built on
 * the CPU (the reference, checked against finite differences and PyTorch by the other
 * layer tests). Each case: training-mode forward, backward with a fixed probe, the update
 * step, inference forward; then again after set_batch_network to a smaller and a larger
 * batch and after resize_network.
 * The loss layer's gradient and the cost are compared too (weighted_softmax's loss_weight).
 * The GPU pass run twice on fresh networks gives the same bits (determinism), and again
 * after an update. Tolerance
 * 1e-4 + 1e-4 relative (float sums in another order). Skipped, saying why, in builds
 * without GPU=1 or on machines without a usable CUDA device. */
#include <math.h>
#include "relnas_test.h"
#include "layer_cases.h"
#include "layer_harness.h"

/* Cases only this test runs (the other layer tests' table stays small). */
static const layer_case gpu_cases[] = {
    {"sep_conv 3x3 beyond one block, BN over 2 chunks (8 x 30 x 30)", 30, 30, 8, "[sep_conv]\nsize=3\nstride=1\nfilters=8\n"},
    {"dil_conv 5x5 s2 beyond one block", 21, 21, 8, "[dil_conv]\nsize=5\nstride=2\nfilters=8\n"},
    {"dil_conv 5x5 s1", 9, 9, 4, "[dil_conv]\nsize=5\nstride=1\nfilters=4\n"},
    {"sep_conv 3x3, BN over 4 chunks (4 x 40 x 40)", 40, 40, 4, "[sep_conv]\nsize=3\nstride=1\nfilters=4\n"},
    {"sep_conv 3x3, BN at the 64-chunk cap (4 x 190 x 190)", 190, 190, 2, "[sep_conv]\nsize=3\nstride=1\nfilters=2\n"},
    {"avg_pool 3x3 s2 even", 16, 16, 4, "[avg_pool]\nsize=3\nstride=2\n"},
    {"max_pool 3x3 s2 even", 16, 16, 4, "[max_pool]\nsize=3\nstride=2\n"},
    {"max_pool 3x3 s2 odd beyond one block", 15, 15, 8, "[max_pool]\nsize=3\nstride=2\n"},
    {"avg_pool 3x3 s2 odd beyond one block", 15, 13, 8, "[avg_pool]\nsize=3\nstride=2\n"},
    {"factorized_reduce beyond one block", 20, 20, 8, "[factorized_reduce]\nfilters=8\n"},
    {"sep_conv drop_path 0.5 (fixed mask)", 6, 6, 3, "[sep_conv]\nsize=3\nfilters=4\ndrop_path=0.5\n"},
    {"max_pool drop_path 0.5 (fixed mask)", 7, 7, 2, "[max_pool]\nsize=3\nstride=2\ndrop_path=0.5\n"},
    {"factorized_reduce drop_path 0.5 (fixed mask)", 6, 6, 3, "[factorized_reduce]\nfilters=4\ndrop_path=0.5\n"},
    {"weighted_softmax", 1, 1, 6, "[weighted_softmax]\nloss_weight=0.4\n"},
    {"Darknet conv+BN 3x3", 6, 6, 3,
     "[convolutional]\nbatch_normalize=1\nfilters=4\nsize=3\nstride=1\npad=1\nactivation=relu\n"},
    {"Darknet conv+BN 2x2 (aux head) beyond one block", 4, 4, 16,
     "[convolutional]\nbatch_normalize=1\nfilters=24\nsize=2\nstride=1\npad=0\nactivation=relu\n"},
};

#ifdef GPU
#include "cuda.h"
#include "convolutional_layer.h"
#include "layer_params.h"
#include "device_scratch.h"

static void expect_match(const char *name, const char *what, const float *gpu, const float *cpu, long n)
{
    double worst = 0;
    long bad = 0;
    for (long i = 0; i < n; ++i) {
        double d = fabs((double)gpu[i] - cpu[i]);
        if (d > worst) worst = d;
        if (!(d <= 1e-4 + 1e-4 * fabs(cpu[i]))) ++bad;
    }
    printf("# %-50s %-28s max abs diff %.3g over %ld values\n", name, what, worst, n);
    if (bad) fail();
}

static int has_params(layer l)
{
    return (l.type == PLUGIN || l.type == CONVOLUTIONAL) && l.nweights;
}

/* Host copies of every parameter and update buffer of a GPU network. */
static void pull_params(network *net)
{
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        if (!has_params(l) || !l.weights_gpu) continue;
        if (l.type == CONVOLUTIONAL) {
            pull_convolutional_layer(l);
            continue;
        }
        relnas_params_pull(l);
        cuda_pull_array(l.weight_updates_gpu, l.weight_updates, l.nweights);
        cuda_pull_array(l.scale_updates_gpu, l.scale_updates, l.nbiases);
        cuda_pull_array(l.bias_updates_gpu, l.bias_updates, l.nbiases);
    }
}

/* What one pass leaves: outputs, the output layer's delta after the training forward (a
 * loss layer's gradient, scaled by loss_weight in weighted_softmax; zero for others), the
 * network's cost, the input gradient, and every layer's parameters. */
typedef struct pass_result {
    float *train, *loss_delta, *dinput, *eval;
    double cost;
    long nout, nin;
} pass_result;

/* One-hot truths (class b mod classes for image b) where the network takes truths. */
static void set_one_hot_truths(network *net)
{
    if (!net->truth || net->truths <= 0) return;
    memset(net->truth, 0, sizeof(float) * net->truths * net->batch);
    for (int b = 0; b < net->batch; ++b) net->truth[(long)b * net->truths + b % net->truths] = 1;
}

/* Training forward, backward with probe, inference forward, on net's current batch. The
 * same seed before each pass: drop-path draws the same mask on the CPU and the GPU. */
static pass_result run_pass(network *net, const float *input, const float *probe)
{
    layer out = net->layers[net->n - 1];
    pass_result r = {NULL, NULL, NULL, NULL, 0, (long)out.outputs * net->batch, (long)net->inputs * net->batch};
    r.train = malloc(sizeof(float) * r.nout), r.eval = malloc(sizeof(float) * r.nout);
    r.loss_delta = calloc(r.nout, sizeof(float)), r.dinput = calloc(r.nin, sizeof(float));
    memcpy(net->input, input, sizeof(float) * r.nin);
    set_one_hot_truths(net);
    srand(7);
    net->train = 1;
    forward_network(net);
    out = net->layers[net->n - 1]; /* the first training pass gave it its delta */
    memcpy(r.train, net->output, sizeof(float) * r.nout);
    if (out.delta) memcpy(r.loss_delta, out.delta, sizeof(float) * r.nout);
    r.cost = net->cost ? *net->cost : 0;
    float *dinput_gpu = NULL;
    if (net->gpu_index >= 0) {
        cuda_pull_array(out.output_gpu, r.train, r.nout);
        if (out.delta_gpu) cuda_pull_array(out.delta_gpu, r.loss_delta, r.nout);
        cuda_push_array(out.delta_gpu, (float *)probe, r.nout);
        dinput_gpu = cuda_make_array(NULL, r.nin);
        net->delta_gpu = dinput_gpu;
    } else {
        memcpy(out.delta, probe, sizeof(float) * r.nout);
        net->delta = r.dinput;
    }
    backward_network(net);
    if (dinput_gpu) {
        cuda_pull_array(dinput_gpu, r.dinput, r.nin);
        cuda_free(dinput_gpu);
        net->delta_gpu = NULL;
        pull_params(net);
    }
    net->delta = NULL;
    net->train = 0;
    forward_network(net);
    memcpy(r.eval, net->output, sizeof(float) * r.nout);
    if (net->gpu_index >= 0) cuda_pull_array(out.output_gpu, r.eval, r.nout);
    return r;
}

static void free_result(pass_result r)
{
    free(r.train), free(r.loss_delta), free(r.dinput), free(r.eval);
}

static void compare_params(const char *name, const char *when, network *cpu, network *gpu)
{
    char what[64];
    for (int i = 0; i < cpu->n; ++i) {
        layer a = cpu->layers[i], b = gpu->layers[i];
        if (!has_params(a)) continue;
        int nbn = a.type == PLUGIN ? a.nbiases : a.n;
        snprintf(what, sizeof(what), "%s weights", when);
        expect_match(name, what, b.weights, a.weights, a.nweights);
        snprintf(what, sizeof(what), "%s weight grad", when);
        expect_match(name, what, b.weight_updates, a.weight_updates, a.nweights);
        snprintf(what, sizeof(what), "%s bias grad", when);
        expect_match(name, what, b.bias_updates, a.bias_updates, nbn);
        if (a.scale_updates) {
            snprintf(what, sizeof(what), "%s BN scale grad", when);
            expect_match(name, what, b.scale_updates, a.scale_updates, nbn);
            snprintf(what, sizeof(what), "%s BN running var", when);
            expect_match(name, what, b.rolling_variance, a.rolling_variance, nbn);
        }
    }
}

static void compare_pass(const char *name, const char *when, pass_result c, pass_result g)
{
    char what[64];
    snprintf(what, sizeof(what), "%s train output", when);
    expect_match(name, what, g.train, c.train, c.nout);
    snprintf(what, sizeof(what), "%s loss gradient", when);
    expect_match(name, what, g.loss_delta, c.loss_delta, c.nout);
    snprintf(what, sizeof(what), "%s cost", when);
    float gc = (float)g.cost, cc = (float)c.cost;
    if (!isnan(cc)) expect_match(name, what, &gc, &cc, 1);
    else if (!isnan(gc)) { /* no loss layer: Darknet's mean over no costs is 0/0 on both devices */
        printf("# %s %s: NaN on the CPU (no loss layer), %g on the GPU\n", name, what, gc);
        fail();
    }
    snprintf(what, sizeof(what), "%s input gradient", when);
    expect_match(name, what, g.dinput, c.dinput, c.nin);
    snprintf(what, sizeof(what), "%s inference output", when);
    expect_match(name, what, g.eval, c.eval, c.nout);
}

/* The CPU network's weights, saved with the CPU's gpu_index (Darknet's savers test the
 * global), loaded into a GPU network. */
static network *gpu_copy(network *cpu, const char *cfg)
{
    char path[] = "/tmp/relnas-gpu-weights-XXXXXX";
    close(mkstemp(path));
    gpu_index = -1;
    save_weights(cpu, path);
    gpu_index = 0;
    network *gpu = harness_network(cfg);
    load_weights(gpu, path);
    gpu_index = -1;
    unlink(path);
    return gpu;
}

static void update(network *net)
{
    net->learning_rate = 0.05f, net->momentum = 0.9f, net->decay = 0.0005f;
    update_network(net);
    if (net->gpu_index >= 0) pull_params(net);
}

static int same_bits(pass_result a, pass_result b)
{
    return !memcmp(a.train, b.train, sizeof(float) * a.nout) && !memcmp(a.dinput, b.dinput, sizeof(float) * a.nin) &&
           !memcmp(a.eval, b.eval, sizeof(float) * a.nout) && !memcmp(a.loss_delta, b.loss_delta, sizeof(float) * a.nout);
}

/* Runs both networks on fresh input and probe of their current shape and compares. */
static void compare_on(const char *name, const char *when, network *cpu, network *gpu)
{
    long nin = (long)cpu->inputs * cpu->batch, nout = (long)cpu->outputs * cpu->batch;
    float *input = malloc(sizeof(float) * nin), *probe = malloc(sizeof(float) * nout);
    harness_fill(input, nin, 3, 0.05f);
    harness_fill(probe, nout, 4, 0);
    pass_result c = run_pass(cpu, input, probe), g = run_pass(gpu, input, probe);
    compare_pass(name, when, c, g);
    compare_params(name, when, cpu, gpu);
    free_result(c), free_result(g);
    free(input), free(probe);
}

/* set_batch_network and resize_network with the global gpu_index each network was made
 * with (plugin layers and Darknet's allocators read it). */
static void set_batch(network *net, int batch)
{
    gpu_index = net->gpu_index;
    int grow = batch > net->batch;
    set_batch_network(net, batch);
    if (grow) {
        harness_grow_input(net);
        if (net->gpu_index >= 0) {
            cuda_free(net->input_gpu), cuda_free(net->truth_gpu);
            net->input_gpu = cuda_make_array(net->input, (size_t)net->inputs * batch);
            net->truth_gpu = cuda_make_array(net->truth, (size_t)net->truths * batch);
        }
    }
    gpu_index = -1;
}

static void resize(network *net, int w, int h)
{
    gpu_index = net->gpu_index;
    resize_network(net, w, h);
    gpu_index = -1;
}

static int only_plugin_layers(const network *net)
{
    for (int i = 0; i < net->n; ++i)
        if (net->layers[i].type != PLUGIN) return 0;
    return 1;
}

static void check_case(const layer_case *lc)
{
    char cfg[4096];
    layer_case_cfg(lc, 4, cfg, sizeof(cfg));
    gpu_index = -1;
    network *cpu = harness_network(cfg);
    network *gpu = gpu_copy(cpu, cfg), *again = gpu_copy(cpu, cfg);
    long nin = (long)cpu->inputs * cpu->batch, nout = (long)cpu->outputs * cpu->batch;
    float *input = malloc(sizeof(float) * nin), *probe = malloc(sizeof(float) * nout);
    harness_fill(input, nin, 3, 0.05f);
    harness_fill(probe, nout, 4, 0);
    pass_result c = run_pass(cpu, input, probe), g = run_pass(gpu, input, probe), g2 = run_pass(again, input, probe);
    compare_pass(lc->name, "", c, g);
    compare_params(lc->name, "", cpu, gpu);
    if (!same_bits(g, g2)) {
        printf("# %s: the GPU pass run twice gave different bits\n", lc->name);
        fail();
    }
    free_result(c), free_result(g), free_result(g2);

    update(cpu), update(gpu), update(again);
    compare_params(lc->name, "after update", cpu, gpu);
    /* A second pass after the update: the GPU still agrees with the CPU, and with itself
     * (buffers reused from the first pass, such as scratch or workspace, leave nothing). */
    int scratch_allocations = relnas_device_scratch_allocations();
    c = run_pass(cpu, input, probe), g = run_pass(gpu, input, probe), g2 = run_pass(again, input, probe);
    compare_pass(lc->name, "second pass:", c, g);
    if (relnas_device_scratch_allocations() != scratch_allocations) { /* issue 31: no allocation per call */
        printf("# %s: the second pass of the same shapes allocated device scratch again (%d -> %d)\n", lc->name,
               scratch_allocations, relnas_device_scratch_allocations());
        fail();
    }
    if (!same_bits(g, g2)) {
        printf("# %s: the second GPU pass run twice gave different bits\n", lc->name);
        fail();
    }
    free_result(c), free_result(g), free_result(g2);
    free(input), free(probe);
    update(cpu), update(gpu);
    set_batch(cpu, 2), set_batch(gpu, 2);
    compare_on(lc->name, "batch 2:", cpu, gpu);
    if (only_plugin_layers(cpu)) { /* larger than made for: the plugin's buffers grow (Darknet's do not) */
        set_batch(cpu, 6), set_batch(gpu, 6);
        compare_on(lc->name, "batch 6:", cpu, gpu);
    }
    resize(cpu, lc->w + 2, lc->h + 2), resize(gpu, lc->w + 2, lc->h + 2);
    compare_on(lc->name, "resized +2:", cpu, gpu);
    free_network(cpu), free_network(gpu), free_network(again);
}

#endif

static void test_case(void **state)
{
    const layer_case *lc = *state;
    char why[256];
#ifdef GPU
    snprintf(why, sizeof(why), "no GPU (no usable CUDA device on this machine): %s", lc->name);
    if (!relnas_test_have_gpu()) RELNAS_SKIP(why);
    check_case(lc);
#else
    snprintf(why, sizeof(why), "no GPU (built without GPU=1; make test GPU=1 CUDNN=1 on a GPU machine runs it): %s",
             lc->name);
    RELNAS_SKIP(why);
#endif
}

int main(void)
{
    enum { n = sizeof(layer_cases) / sizeof(layer_cases[0]), m = sizeof(gpu_cases) / sizeof(gpu_cases[0]) };
    struct CMUnitTest tests[n + m];
    for (int i = 0; i < n; ++i)
        tests[i] = (struct CMUnitTest){layer_cases[i].name, test_case, NULL, NULL, (void *)&layer_cases[i]};
    for (int i = 0; i < m; ++i)
        tests[n + i] = (struct CMUnitTest){gpu_cases[i].name, test_case, NULL, NULL, (void *)&gpu_cases[i]};
    return cmocka_run_group_tests_name("layer_gpu", tests, NULL, NULL);
}
