/* Stock Darknet still works with the patches: its own cifar.test.cfg parses and predicts. */
#include <math.h>
#include <stdlib.h>
#include "relnas_test.h"
#include "darknet.h"
#include "blas.h"

static void test_cifar_test_cfg_predicts_a_distribution(void **state)
{
    const char *root = getenv("RELNAS_ROOT");
    char path[4096];
    snprintf(path, sizeof(path), "%s/build/darknet/cfg/cifar.test.cfg", root ? root : ".");
    network *net = parse_network_cfg(path);
    set_batch_network(net, 1);
    assert_int_equal(net->w, 32);
    assert_int_equal(net->outputs, 10);
    /* A fresh network's running variances are 0, so inference would divide by ~1e-6;
     * give them the value trained weights would bring. */
    for (int i = 0; i < net->n; ++i)
        if (net->layers[i].batch_normalize)
            fill_cpu(net->layers[i].out_c, 1, net->layers[i].rolling_variance, 1);
    float *input = calloc((size_t)net->inputs, sizeof(float));
    for (int i = 0; i < net->inputs; ++i) input[i] = (float)(i % 17) / 17.0f;
    float *out = network_predict(net, input);
    float sum = 0;
    for (int i = 0; i < 10; ++i) {
        assert_true(isfinite(out[i]) && out[i] >= 0 && out[i] <= 1);
        sum += out[i];
    }
    assert_true(fabsf(sum - 1) < 1e-4f);
    free(input);
    free_network(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cifar_test_cfg_predicts_a_distribution),
    };
    return cmocka_run_group_tests_name("stock_network", tests, NULL, NULL);
}
