/* The search's optimiser steps: keeping momentum apart from the gradient reproduces
 * Darknet's own SGD exactly when nothing is clipped, and clipping brings the gradient norm
 * to the limit by scaling every buffer alike. On a GPU the device path (norm summed on the
 * device, clipping, momentum kept apart, the update) equals the CPU path, and a network on a
 * GPU gets its buffers there whatever Darknet's global gpu_index says. */
#include <math.h>
#include "relnas_test.h"
#include "layers/layer_harness.h"
#include "network_params.h"
#include "relnas_hooks.h"
#ifdef GPU
#include "connected_layer.h"
#include "layer_params.h"
#endif

static const char *cfg =
    "[net]\nbatch=4\nheight=6\nwidth=6\nchannels=3\nlearning_rate=0.1\nmomentum=0.9\ndecay=0.0005\n\n"
    "[relu_conv_bn]\nfilters=4\n\n[sep_conv]\nsize=3\nstride=2\n\n[avgpool]\n\n"
    "[connected]\noutput=3\nactivation=linear\n\n[softmax]\n";

static void test_momentum_kept_apart_reproduces_darknet_sgd(void **state)
{
    network *a = harness_network(cfg), *b = harness_network(cfg);
    char path[] = "/tmp/relnas-np-XXXXXX";
    close(mkstemp(path));
    save_weights(a, path);
    load_weights(b, path);
    unlink(path);
    float *momentum = calloc((size_t)relnas_network_gradient_size(b), sizeof(float));
    for (int step = 0; step < 3; ++step) {
        harness_training_batch(a, 5);
        forward_network(a);
        backward_network(a);
        update_network(a);

        relnas_save_updates(b, momentum);
        relnas_zero_updates(b);
        harness_training_batch(b, 5);
        forward_network(b);
        backward_network(b);
        relnas_clip_gradient(b, 1e30);
        relnas_add_updates(b, momentum);
        update_network(b);
    }
    for (int i = 0; i < a->n; ++i) {
        relnas_layer_params pa = relnas_layer_params_of(a->layers[i]), pb = relnas_layer_params_of(b->layers[i]);
        for (int k = 0; k < pa.nweights; ++k) assert_float_equal(pa.weights[k], pb.weights[k], 1e-6);
        for (int k = 0; k < pa.nbiases; ++k) assert_float_equal(pa.biases[k], pb.biases[k], 1e-6);
    }
    free(momentum);
    free_network(a);
    free_network(b);
}

static void test_clipping_scales_to_the_limit(void **state)
{
    network *net = harness_network(cfg);
    harness_training_batch(net, 5);
    forward_network(net);
    backward_network(net);
    long n = relnas_network_gradient_size(net);
    float *before = malloc(sizeof(float) * n), *after = malloc(sizeof(float) * n);
    relnas_save_updates(net, before);
    double norm = relnas_gradient_norm(net);
    assert_true(norm > 0);
    double returned = relnas_clip_gradient(net, norm / 4);
    assert_float_equal(returned, norm, 1e-12);
    assert_float_equal(relnas_gradient_norm(net), norm / 4, norm * 1e-5);
    relnas_save_updates(net, after);
    double ss = 0;
    for (long i = 0; i < n; ++i) {
        ss += (double)before[i] * before[i];
        if (fabsf(before[i]) > 1e-6f) assert_float_equal(after[i] / before[i], 0.25, 1e-4);
    }
    assert_float_equal(sqrt(ss) / net->batch, norm, norm * 1e-9); /* the norm is of the mean gradient */
    assert_float_equal(relnas_clip_gradient(net, 1e9), norm / 4, norm * 1e-5); /* under the limit: unchanged */
    free(before);
    free(after);
    free_network(net);
}

#ifdef GPU
#include "cuda.h"


/* One clipped step with momentum kept apart, as relnas_sgd_step takes it; returns the norm
 * and leaves the clipped gradient (host copy) in grad. */
static double clipped_step(network *net, float *grad)
{
    long n = relnas_network_gradient_size(net);
    float *momentum = relnas_updates_alloc(net), *saved = relnas_updates_alloc(net);
    relnas_save_updates(net, momentum);
    relnas_zero_updates(net);
    harness_training_batch(net, 5);
    forward_network(net);
    backward_network(net);
    double norm = relnas_clip_gradient(net, relnas_gradient_norm(net) / 4);
    relnas_save_updates(net, saved);
    if (net->gpu_index >= 0) cuda_pull_array(saved, grad, (size_t)n);
    else memcpy(grad, saved, sizeof(float) * (size_t)n);
    relnas_add_updates(net, momentum);
    update_network(net);
    relnas_updates_free(net, momentum);
    relnas_updates_free(net, saved);
    return norm;
}
#endif

#ifdef GPU
/* A network on GPU 0 while Darknet's global gpu_index is -1 (as after a test's setup, or
 * once -nogpu networks are built beside it): its buffers must be made on its device. Exit
 * status 0: made (there is a GPU); 3: NULL given back without a word; else the allocation
 * failed and said where. */
static void alloc_for_device_network(const void *what)
{
    network *net = harness_network(cfg);
    net->gpu_index = 0;
    if (strcmp(what, "updates") == 0) {
        float *buffer = relnas_updates_alloc(net);
        if (!buffer) _exit(3);
        relnas_updates_free(net, buffer);
    } else {
        net->workspace = NULL; /* the host one it was built with is not for cudaFree */
        relnas_fit_workspace(net);
        if (!net->workspace) _exit(3);
    }
    _exit(0);
}
#endif

static void test_device_buffers_follow_the_network(void **state)
{
#ifndef GPU
    RELNAS_SKIP("no GPU code: built without GPU=1 (the GPU build checks this without a GPU, too)");
#else
    const char *what[] = {"updates", "workspace"};
    for (int k = 0; k < 2; ++k) {
        char err[4096];
        int status = relnas_test_in_child(alloc_for_device_network, what[k], err, sizeof(err));
        printf("# %s of a network on GPU 0, global gpu_index -1: exit %d%s%s", what[k], status, *err ? ", " : "\n",
               err);
        assert_int_not_equal(status, 3);
        if (status != 0) assert_non_null(strstr(err, "cannot allocate"));
    }
#endif
}

static void test_gpu_optimiser_step_equals_the_cpu(void **state)
{
#ifndef GPU
    RELNAS_SKIP("no GPU: built without GPU=1 (make test GPU=1 CUDNN=1 on a GPU machine runs it)");
#else
    if (!relnas_test_have_gpu()) RELNAS_SKIP("no GPU: no usable CUDA device on this machine");
    network *cpu = harness_network(cfg);
    char path[] = "/tmp/relnas-np-XXXXXX";
    close(mkstemp(path));
    save_weights(cpu, path);
    gpu_index = 0;
    network *gpu = harness_network(cfg);
    load_weights(gpu, path);
    gpu_index = -1;
    unlink(path);
    long n = relnas_network_gradient_size(cpu);
    assert_int_equal(n, relnas_network_gradient_size(gpu));
    float *gc = malloc(sizeof(float) * n), *gg = malloc(sizeof(float) * n);
    for (int step = 0; step < 2; ++step) {
        double nc = clipped_step(cpu, gc), ng = clipped_step(gpu, gg);
        assert_float_equal(ng, nc, nc * 1e-4);
        for (long i = 0; i < n; ++i) assert_float_equal(gg[i], gc[i], 1e-5 + 1e-4 * fabsf(gc[i]));
    }
    for (int i = 0; i < cpu->n; ++i) {
        layer l = gpu->layers[i];
        if (l.type == PLUGIN && l.nweights) relnas_params_pull(l);
        if (l.type == CONNECTED) pull_connected_layer(l);
        relnas_layer_params pc = relnas_layer_params_of(cpu->layers[i]), pg = relnas_layer_params_of(l);
        for (int k = 0; k < pc.nweights; ++k) assert_float_equal(pg.weights[k], pc.weights[k], 1e-5);
    }
    free(gc), free(gg);
    free_network(cpu), free_network(gpu);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_momentum_kept_apart_reproduces_darknet_sgd),
        cmocka_unit_test(test_clipping_scales_to_the_limit),
        cmocka_unit_test(test_device_buffers_follow_the_network), /* before any CUDA call: it forks */
        cmocka_unit_test(test_gpu_optimiser_step_equals_the_cpu),
    };
    return cmocka_run_group_tests_name("network_params", tests, NULL, NULL);
}
