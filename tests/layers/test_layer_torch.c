/* Every DARTS primitive against PyTorch 1.13 (Debian's python3-torch), on random tensors:
 * training-mode output, gradients of sum(probe * output) for the input and every parameter,
 * running statistics after that step, and inference-mode output. Reference files come from
 * tests/layers/torch_reference.py (run by `make test` into build/golden).
 *
 * BN convention: the plugin's layers follow PyTorch's BatchNorm2d (eps 1e-5 inside the
 * square root, momentum 0.1, unbiased running variance), so no convention gap is left to
 * absorb: the tolerance is float rounding only, 2e-4 absolute + 1e-4 relative, elementwise. */
#include <math.h>
#include "relnas_test.h"

#define MAX_TENSORS 16

typedef struct gold {
    int count;
    char names[MAX_TENSORS][32];
    float *data[MAX_TENSORS];
    uint32_t sizes[MAX_TENSORS];
} gold;

static const char *golden_dir(void)
{
    const char *dir = getenv("RELNAS_GOLDEN_DIR");
    return dir ? dir : "build/golden";
}

static int read_gold(const char *path, gold *g)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    char magic[8];
    uint32_t version, count;
    int ok = fread(magic, 1, 8, fp) == 8 && memcmp(magic, "RNASGOLD", 8) == 0 &&
             fread(&version, 4, 1, fp) == 1 && version == 1 && fread(&count, 4, 1, fp) == 1 &&
             count <= MAX_TENSORS;
    g->count = ok ? (int)count : 0;
    for (int i = 0; ok && i < g->count; ++i) {
        uint32_t len;
        ok = fread(&len, 4, 1, fp) == 1 && len < 32 && fread(g->names[i], 1, len, fp) == len;
        if (!ok) break;
        g->names[i][len] = '\0';
        ok = fread(&g->sizes[i], 4, 1, fp) == 1;
        g->data[i] = malloc(sizeof(float) * (g->sizes[i] + 1));
        ok = ok && fread(g->data[i], 4, g->sizes[i], fp) == g->sizes[i];
    }
    fclose(fp);
    return ok ? 0 : -1;
}

static const float *tensor(const gold *g, const char *name, long expect_size)
{
    for (int i = 0; i < g->count; ++i)
        if (strcmp(g->names[i], name) == 0) {
            if ((long)g->sizes[i] != expect_size) {
                printf("# tensor %s has %u values, the layer has %ld\n", name, g->sizes[i], expect_size);
                fail();
            }
            return g->data[i];
        }
    printf("# tensor %s missing from the reference file\n", name);
    fail();
    return NULL;
}

/* Elementwise within tolerance; prints the worst difference either way. */
static void expect_match(const char *what, const char *name, const float *got, const float *want, long n)
{
    double worst = 0;
    long bad = 0;
    for (long i = 0; i < n; ++i) {
        double diff = fabs((double)got[i] - want[i]);
        if (diff > worst) worst = diff;
        if (!(diff <= 2e-4 + 1e-4 * fabs(want[i]))) ++bad;
    }
    printf("# %-22s %-16s max abs diff %.3g over %ld values\n", name, what, worst, n);
    if (bad) {
        printf("# %s: %ld of %ld values out of tolerance\n", what, bad, n);
        fail();
    }
}

static void check_case(const char *name)
{
    char cfg[1024], weights[1024], goldfile[1024];
    snprintf(cfg, sizeof(cfg), "%s/%s.cfg", golden_dir(), name);
    snprintf(weights, sizeof(weights), "%s/%s.weights", golden_dir(), name);
    snprintf(goldfile, sizeof(goldfile), "%s/%s.gold", golden_dir(), name);
    gold g;
    assert_int_equal(read_gold(goldfile, &g), 0);
    network *net = parse_network_cfg(cfg);
    load_weights(net, weights);
    layer l = net->layers[0];
    long nin = (long)net->inputs * net->batch, nout = (long)l.outputs * l.batch;

    memcpy(net->input, tensor(&g, "input", nin), sizeof(float) * nin);
    net->train = 1;
    forward_network(net);
    expect_match("train output", name, l.output, tensor(&g, "output_train", nout), nout);

    float *dinput = calloc(nin, sizeof(float));
    l = net->layers[0]; /* the first training pass gave it its delta */
    memcpy(l.delta, tensor(&g, "probe", nout), sizeof(float) * nout);
    net->delta = dinput;
    backward_network(net);
    net->delta = NULL;
    expect_match("input gradient", name, dinput, tensor(&g, "grad_input", nin), nin);
    if (l.nweights) {
        expect_match("weight gradient", name, l.weight_updates, tensor(&g, "grad_weights", l.nweights), l.nweights);
        expect_match("BN scale gradient", name, l.scale_updates, tensor(&g, "grad_scales", l.nbiases), l.nbiases);
        expect_match("BN bias gradient", name, l.bias_updates, tensor(&g, "grad_biases", l.nbiases), l.nbiases);
        expect_match("running mean", name, l.rolling_mean, tensor(&g, "rolling_mean", l.nbiases), l.nbiases);
        expect_match("running variance", name, l.rolling_variance, tensor(&g, "rolling_variance", l.nbiases), l.nbiases);
    }
    net->train = 0;
    forward_network(net);
    expect_match("inference output", name, l.output, tensor(&g, "output_eval", nout), nout);
    free(dinput);
    for (int i = 0; i < g.count; ++i) free(g.data[i]);
    free_network(net);
}

static char skip_reason[512];

static void test_case(void **state)
{
    if (skip_reason[0]) RELNAS_SKIP(skip_reason);
    check_case((const char *)*state);
}

int main(void)
{
    static char names[64][64];
    int n = 0;
    char path[1024];
    snprintf(path, sizeof(path), "%s/SKIPPED", golden_dir());
    FILE *fp = fopen(path, "r");
    if (fp) {
        if (!fgets(skip_reason, sizeof(skip_reason), fp)) strcpy(skip_reason, "no PyTorch");
        skip_reason[strcspn(skip_reason, "\n")] = '\0';
        fclose(fp);
        strcpy(names[n++], "pytorch reference");
    } else {
        snprintf(path, sizeof(path), "%s/CASES", golden_dir());
        fp = fopen(path, "r");
        if (!fp) {
            fprintf(stderr, "%s missing: run tests/layers/torch_reference.py %s (make test does)\n",
                    path, golden_dir());
            return 1;
        }
        while (n < 64 && fgets(names[n], sizeof(names[n]), fp)) {
            names[n][strcspn(names[n], "\n")] = '\0';
            if (names[n][0]) ++n;
        }
        fclose(fp);
    }
    struct CMUnitTest tests[64];
    for (int i = 0; i < n; ++i) tests[i] = (struct CMUnitTest){names[i], test_case, NULL, NULL, names[i]};
    return _cmocka_run_group_tests("layer_torch", tests, (size_t)n, NULL, NULL);
}
