/* policy=cosine (patch 0007): the rate Darknet's get_current_rate gives at chosen batches,
 * against values worked out by hand from lr_min + (lr - lr_min) (1 + cos(pi t / T)) / 2. */
#include <math.h>
#include "relnas_test.h"

static network *cosine_net(const char *extra)
{
    char cfg[512];
    snprintf(cfg, sizeof(cfg), "[net]\nbatch=4\nsubdivisions=2\nwidth=1\nheight=1\nchannels=1\n"
             "learning_rate=0.025\npolicy=cosine\nmax_batches=100\n%s\n[connected]\noutput=2\n", extra);
    const char *path = relnas_test_write_temp(cfg);
    network *net = parse_network_cfg((char *)path);
    unlink(path);
    return net;
}

static float rate_at(network *net, int batch_num)
{
    *net->seen = (size_t)batch_num * net->batch * net->subdivisions;
    return get_current_rate(net);
}

static void test_cosine_to_zero(void **state)
{
    network *net = cosine_net("");
    assert_int_equal(net->policy, COSINE);
    assert_float_equal(rate_at(net, 0), 0.025, 1e-7);
    assert_float_equal(rate_at(net, 25), 0.0213388, 1e-6); /* 0.025 (1 + 0.7071068) / 2 */
    assert_float_equal(rate_at(net, 50), 0.0125, 1e-7);
    assert_float_equal(rate_at(net, 75), 0.0036612, 1e-6); /* 0.025 (1 - 0.7071068) / 2 */
    assert_float_equal(rate_at(net, 100), 0, 1e-9);
    assert_float_equal(rate_at(net, 150), 0, 1e-9);       /* past the end: stays at the minimum */
    free_network(net);
}

static void test_cosine_to_a_minimum(void **state)
{
    network *net = cosine_net("learning_rate_min=0.001\n");
    assert_float_equal(rate_at(net, 0), 0.025, 1e-7);
    assert_float_equal(rate_at(net, 50), 0.013, 1e-7);     /* 0.001 + 0.024 / 2 */
    assert_float_equal(rate_at(net, 100), 0.001, 1e-7);
    free_network(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cosine_to_zero),
        cmocka_unit_test(test_cosine_to_a_minimum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
