/* Genotype -> cfg against the papers' figures: parameter counts of the published networks
 * (auxiliary head excluded), the unused s0 preprocessing of RelativeNAS reduction cells,
 * and the generated networks run forward. */
#include <math.h>
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "cfg_writer.h"
#include "genotype_parse.h"
#include "network_info.h"

typedef struct counted {
    long main_params, aux_params;
    int unused;
} counted;

static network *generate(const char *genotype, relnas_net_spec spec)
{
    relnas_genotype g;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype(genotype), &g, err, sizeof(err)), 0);
    char path[] = "/tmp/relnas-cfg-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(relnas_write_cfg(fp, &g, &spec, genotype, err, sizeof(err)), 0);
    fclose(fp);
    network *net = parse_network_cfg(path);
    unlink(path);
    return net;
}

static counted count(network *net)
{
    counted c = {0, 0, 0};
    relnas_layer_role *roles = calloc((size_t)net->n, sizeof(*roles));
    relnas_layer_roles(net, roles);
    for (int i = 0; i < net->n; ++i) {
        long p = relnas_layer_params(net->layers[i]);
        if (roles[i] == RELNAS_ROLE_AUXILIARY) c.aux_params += p;
        else c.main_params += p;
        c.unused += roles[i] == RELNAS_ROLE_UNUSED;
    }
    free(roles);
    return c;
}

static relnas_net_spec preset(const char *name, int batch)
{
    relnas_net_spec spec;
    assert_int_equal(relnas_net_preset(name, &spec), 0);
    spec.batch = batch;
    return spec;
}

/* Figures as the papers print them: M parameters to two decimals (one for DARTS). */
static void expect_millions(long params, double want, double digits)
{
    double shown = round(params / 1e6 * pow(10, digits)) / pow(10, digits);
    if (fabs(shown - want) > 1e-9) {
        printf("# %ld parameters show as %.*f M, the paper says %.*f M\n", params, (int)digits, shown,
               (int)digits, want);
        fail();
    }
}

static void test_relativenas_cifar10_is_3_93m(void **state)
{
    network *net = generate("RelativeNAS", preset("cifar", 1));
    counted c = count(net);
    expect_millions(c.main_params, 3.93, 2);
    assert_true(c.aux_params > 0);
    assert_int_equal(c.unused, 2); /* preprocess0 of both reduction cells */
    free_network(net);
}

static void test_relativenas_cifar100_is_3_98m(void **state)
{
    relnas_net_spec spec = preset("cifar", 1);
    spec.classes = 100;
    network *net = generate("RelativeNAS", spec);
    expect_millions(count(net).main_params, 3.98, 2);
    free_network(net);
}

static void test_relativenas_imagenet_is_5_05m(void **state)
{
    network *net = generate("RelativeNAS", preset("imagenet", 1));
    expect_millions(count(net).main_params, 5.05, 2);
    assert_int_equal(net->layers[net->n - 1].outputs, 1000);
    free_network(net);
}

static void test_darts_v2_cifar10_is_3_3m(void **state)
{
    network *net = generate("DARTS_V2", preset("cifar", 1));
    expect_millions(count(net).main_params, 3.3, 1);
    free_network(net);
}

/* A small generated network predicts a distribution, and its auxiliary head is off the
 * output path. */
static void test_small_network_runs(void **state)
{
    relnas_net_spec spec = preset("cifar", 2);
    spec.C = 4, spec.cells = 5;
    network *net = generate("RelativeNAS", spec);
    float *x = calloc((size_t)net->inputs * 2, sizeof(float));
    for (int i = 0; i < net->inputs * 2; ++i) x[i] = (float)(i % 7) / 7;
    float *y = network_predict(net, x);
    float sum = 0;
    for (int i = 0; i < 10; ++i) sum += y[i];
    assert_true(fabsf(sum - 1) < 1e-4f);
    free(x);
    free_network(net);
}

static void test_sizes_that_cannot_reduce_are_errors(void **state)
{
    relnas_genotype g;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype("DARTS_V2"), &g, err, sizeof(err)), 0);
    relnas_net_spec spec = preset("cifar", 1);
    spec.width = 30;
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(relnas_write_cfg(devnull, &g, &spec, "x", err, sizeof(err)), -1);
    fclose(devnull);
    assert_non_null(strstr(err, "width and height must be multiples of 4"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relativenas_cifar10_is_3_93m),
        cmocka_unit_test(test_relativenas_cifar100_is_3_98m),
        cmocka_unit_test(test_relativenas_imagenet_is_5_05m),
        cmocka_unit_test(test_darts_v2_cifar10_is_3_3m),
        cmocka_unit_test(test_small_network_runs),
        cmocka_unit_test(test_sizes_that_cannot_reduce_are_errors),
    };
    return cmocka_run_group_tests_name("cfg_writer", tests, NULL, NULL);
}
