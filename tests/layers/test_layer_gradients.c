/* Every plugin layer's backward against central differences of its forward, for the
 * input and every parameter group, in training mode (batch statistics), stride 1 and 2,
 * odd and even sizes; and gradient flow through a whole cell whose states feed several
 * consumers (docs/design.md, 'Memory plans': every consumer must add into the shared delta).
 *
 * Check: for up to 24 coordinates i of each buffer p, spread over it, the central
 * difference (L(p + eps e_i) - L(p - eps e_i)) / 2eps must equal dL/dp_i within 1% plus
 * 3e-3 (float forward passes: ~1e-7 relative noise on L ~ 10-50, over 2 eps = 2e-3), with
 * L = sum(probe * output) for a fixed random probe. Where the right and left slopes differ
 * by more than 1% + 1e-2 (the check's own tolerance; the absolute part is one-sided float
 * noise), a ReLU or max kink lies within eps and the coordinate is not judged: in stacked
 * layers with batch norm one weight moves every output of a channel, and a max that
 * switches within eps skews the central difference by a few percent. At most a quarter of
 * the coordinates may be skipped that way. */
#include "relnas_test.h"
#include "layer_harness.h"

#include "layer_cases.h"

static const int coordinates = 24;
static const float eps = 1e-3f;

static int judged, skipped_at_kinks;

static void expect_close(const char *what, const layer_case *gc, harness_slopes s, double analytic)
{
    double numeric = (s.right + s.left) / 2;
    if (fabs(s.right - s.left) > 0.01 * fabs(numeric) + 1e-2) {
        ++skipped_at_kinks;
        return;
    }
    ++judged;
    if (fabs(numeric - analytic) > 1e-2 * fabs(analytic) + 3e-3) {
        printf("# %s: %s: numeric %.6g vs backward %.6g\n", gc->name, what, numeric, analytic);
        fail();
    }
}

/* Checks one buffer p of n values whose gradient is grad. */
static void check_buffer(network *net, const layer_case *gc, const char *what, float *p,
                         const float *grad, long n, const float *input, const float *probe)
{
    long m = n < coordinates ? n : coordinates;
    for (long k = 0; k < m; ++k) {
        long i = k * n / m;
        char where[64];
        snprintf(where, sizeof(where), "%s[%ld]", what, i);
        expect_close(where, gc, harness_coordinate(net, p, i, eps, input, probe), grad[i]);
    }
}

static void check_case(const layer_case *gc)
{
    char cfg[4096];
    layer_case_cfg(gc, 2, cfg, sizeof(cfg));
    network *net = harness_network(cfg);
    assert_non_null(net);
    long nin = (long)net->inputs * net->batch;
    layer out = net->layers[net->n - 1];
    float *input = malloc(sizeof(float) * nin), *dinput = malloc(sizeof(float) * nin);
    float *probe = malloc(sizeof(float) * out.outputs * out.batch);
    harness_fill(input, nin, 7, 0.05f);
    harness_fill(probe, (long)out.outputs * out.batch, 11, 0);
    harness_gradients(net, input, probe, dinput);
    judged = skipped_at_kinks = 0;
    check_buffer(net, gc, "input", input, dinput, nin, input, probe);
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        if (l.type != PLUGIN || !l.nweights) continue;
        char what[64];
        snprintf(what, sizeof(what), "layer %d weights", i);
        check_buffer(net, gc, what, l.weights, l.weight_updates, l.nweights, input, probe);
        snprintf(what, sizeof(what), "layer %d BN scales", i);
        check_buffer(net, gc, what, l.scales, l.scale_updates, l.nbiases, input, probe);
        snprintf(what, sizeof(what), "layer %d BN biases", i);
        check_buffer(net, gc, what, l.biases, l.bias_updates, l.nbiases, input, probe);
    }
    printf("# %s: %d coordinates judged, %d skipped at kinks\n", gc->name, judged, skipped_at_kinks);
    assert_true(skipped_at_kinks * 3 <= judged);
    free(input);
    free(dinput);
    free(probe);
    free_network(net);
}

static void test_case(void **state)
{
    check_case((const layer_case *)*state);
}

int main(void)
{
    enum { n = sizeof(layer_cases) / sizeof(layer_cases[0]) };
    struct CMUnitTest tests[n];
    for (int i = 0; i < n; ++i)
        tests[i] = (struct CMUnitTest){layer_cases[i].name, test_case, NULL, NULL, (void *)&layer_cases[i]};
    return cmocka_run_group_tests_name("layer_gradients", tests, NULL, NULL);
}
