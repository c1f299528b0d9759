/* GPU against CPU for every layer case: the same weights and input through a network built
 * on the GPU and one built on the CPU (the reference, checked against finite differences
 * and PyTorch by the other layer tests), training-mode forward, backward with a fixed
 * probe, inference forward. Reports the max abs difference of each; tolerance 1e-4 +
 * 1e-4 relative (float sums in another order). Skipped, saying why, in builds without
 * GPU=1 or on machines without a CUDA device. */
#include <math.h>
#include "relnas_test.h"
#include "layer_cases.h"
#include "layer_harness.h"

#ifdef GPU
#include "cuda.h"

static void expect_match(const char *name, const char *what, const float *gpu, const float *cpu, long n)
{
    double worst = 0;
    long bad = 0;
    for (long i = 0; i < n; ++i) {
        double d = fabs((double)gpu[i] - cpu[i]);
        if (d > worst) worst = d;
        if (!(d <= 1e-4 + 1e-4 * fabs(cpu[i]))) ++bad;
    }
    printf("# %-50s %-18s max abs diff %.3g over %ld values\n", name, what, worst, n);
    if (bad) fail();
}

/* One pass on net: train forward, backward with probe (input gradient into dinput),
 * inference forward; the outputs are copied into out_train and out_eval. */
static void run_pass(network *net, const float *input, const float *probe, float *dinput,
                     float *out_train, float *out_eval)
{
    layer out = net->layers[net->n - 1];
    long nout = (long)out.outputs * out.batch, nin = (long)net->inputs * net->batch;
    memcpy(net->input, input, sizeof(float) * nin);
    net->train = 1;
    forward_network(net);
    out = net->layers[net->n - 1]; /* the first training pass gave it its delta */
    memcpy(out_train, net->output, sizeof(float) * nout);
    float *dinput_gpu = NULL;
    if (net->gpu_index >= 0) {
        cuda_push_array(out.delta_gpu, (float *)probe, nout);
        dinput_gpu = cuda_make_array(NULL, nin);
        net->delta_gpu = dinput_gpu;
    } else {
        memcpy(out.delta, probe, sizeof(float) * nout);
        memset(dinput, 0, sizeof(float) * nin);
        net->delta = dinput;
    }
    backward_network(net);
    if (dinput_gpu) {
        cuda_pull_array(dinput_gpu, dinput, nin);
        cuda_free(dinput_gpu);
        net->delta_gpu = NULL;
        for (int i = 0; i < net->n; ++i)
            if (net->layers[i].type == PLUGIN && net->layers[i].nweights) {
                layer l = net->layers[i];
                cuda_pull_array(l.weight_updates_gpu, l.weight_updates, l.nweights);
                cuda_pull_array(l.scale_updates_gpu, l.scale_updates, l.nbiases);
                cuda_pull_array(l.bias_updates_gpu, l.bias_updates, l.nbiases);
            }
    }
    net->delta = NULL;
    net->train = 0;
    forward_network(net);
    memcpy(out_eval, net->output, sizeof(float) * nout);
}

static void check_case(const layer_case *lc)
{
    char cfg[4096], path[] = "/tmp/relnas-gpu-weights-XXXXXX";
    layer_case_cfg(lc, 4, cfg, sizeof(cfg));
    gpu_index = -1;
    network *cpu = harness_network(cfg);
    gpu_index = 0;
    network *gpu = harness_network(cfg);
    close(mkstemp(path));
    save_weights(cpu, path);
    load_weights(gpu, path);
    unlink(path);
    long nin = (long)cpu->inputs * cpu->batch, nout = (long)cpu->outputs * cpu->batch;
    float *input = malloc(sizeof(float) * nin), *probe = malloc(sizeof(float) * nout);
    harness_fill(input, nin, 3, 0.05f);
    harness_fill(probe, nout, 4, 0);
    float *d[2], *train[2], *eval[2];
    network *nets[2] = {cpu, gpu};
    for (int k = 0; k < 2; ++k) {
        d[k] = malloc(sizeof(float) * nin);
        train[k] = malloc(sizeof(float) * nout);
        eval[k] = malloc(sizeof(float) * nout);
        run_pass(nets[k], input, probe, d[k], train[k], eval[k]);
    }
    expect_match(lc->name, "train output", train[1], train[0], nout);
    expect_match(lc->name, "input gradient", d[1], d[0], nin);
    expect_match(lc->name, "inference output", eval[1], eval[0], nout);
    for (int i = 0; i < cpu->n; ++i) {
        layer a = cpu->layers[i], b = gpu->layers[i];
        if (a.type != PLUGIN || !a.nweights) continue;
        expect_match(lc->name, "weight gradient", b.weight_updates, a.weight_updates, a.nweights);
        expect_match(lc->name, "BN scale gradient", b.scale_updates, a.scale_updates, a.nbiases);
        expect_match(lc->name, "BN bias gradient", b.bias_updates, a.bias_updates, a.nbiases);
    }
    for (int k = 0; k < 2; ++k) free(d[k]), free(train[k]), free(eval[k]);
    free(input), free(probe);
    free_network(cpu);
    free_network(gpu);
}

static int have_device(void)
{
    int count = 0;
    return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}
#endif

static void test_case(void **state)
{
#ifdef GPU
    if (!have_device()) RELNAS_SKIP("no GPU: no CUDA device on this machine");
    check_case((const layer_case *)*state);
#else
    RELNAS_SKIP("no GPU: built without GPU=1 (make test GPU=1 CUDNN=1 on a GPU machine runs it)");
#endif
}

int main(void)
{
    enum { n = sizeof(layer_cases) / sizeof(layer_cases[0]) };
    struct CMUnitTest tests[n];
    for (int i = 0; i < n; ++i)
        tests[i] = (struct CMUnitTest){layer_cases[i].name, test_case, NULL, NULL, (void *)&layer_cases[i]};
    return cmocka_run_group_tests_name("layer_gpu", tests, NULL, NULL);
}
