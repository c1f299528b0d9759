/* Darknet's multi-GPU sync for plugin layers (patch 0060 -> replica_sync.h), on CPU
 * buffers: which buffers the registry lists (parameters, BN statistics, update state; none
 * for a layer applying another's parameters), the mean of the replicas (hand-computed), and
 * a sync of three replica networks leaving every buffer of every replica at that mean
 * while stock layers are left to Darknet. The GPU path is the same loop with GPU copies. */
#include "relnas_test.h"
#include "network_params.h"
#include "replica_sync.h"

static const char cfg[] =
    "[net]\nbatch=2\nwidth=8\nheight=8\nchannels=3\n\n"
    "[relu_conv_bn]\nfilters=4\n\n[sep_conv]\nsize=3\nstride=2\n\n[avgpool]\n\n"
    "[connected]\noutput=3\nactivation=linear\n\n[softmax]\n";

static network *replica(void)
{
    const char *path = relnas_test_write_temp(cfg);
    network *net = parse_network_cfg((char *)path);
    unlink(path);
    return net;
}

/* Buffer b of replica r holds r * 100 + b + k / 1000 at position k. */
static void fill(network *net, int r)
{
    for (int j = 0; j < net->n; ++j) {
        if (net->layers[j].type != PLUGIN) continue;
        relnas_replica_buffer bufs[RELNAS_REPLICA_BUFFERS];
        int count = relnas_replica_buffers(net->layers[j], bufs);
        for (int b = 0; b < count; ++b)
            for (int k = 0; k < bufs[b].n; ++k) bufs[b].host[k] = (float)(r * 100 + b) + k / 1000.f;
    }
}

static void test_mean_by_hand(void **state)
{
    float a[3] = {1, -2, 0.5f}, b[3] = {3, 2, 0.25f}, c[3] = {-1, 3, 0.75f}, mean[3];
    float *replicas[3] = {a, b, c};
    relnas_replica_mean(mean, replicas, 3, 3);
    assert_float_equal(mean[0], 1.0f, 1e-7);
    assert_float_equal(mean[1], 1.0f, 1e-7);
    assert_float_equal(mean[2], 0.5f, 1e-7);
    relnas_replica_mean(mean, replicas, 1, 3); /* one replica: itself */
    assert_float_equal(mean[1], -2.0f, 0);
}

/* relu_conv_bn: 1x1 conv 3->4 and BN of 4: weights, beta, gamma, mean, variance and the
 * three update buffers, in that order. */
static void test_buffers_listed(void **state)
{
    network *net = replica();
    relnas_replica_buffer bufs[RELNAS_REPLICA_BUFFERS];
    layer l = net->layers[0];
    assert_int_equal(relnas_replica_buffers(l, bufs), 8);
    float *want[8] = {l.weights, l.biases, l.scales, l.rolling_mean, l.rolling_variance, l.weight_updates,
                      l.bias_updates, l.scale_updates};
    int sizes[8] = {12, 4, 4, 4, 4, 12, 4, 4};
    for (int b = 0; b < 8; ++b) {
        assert_ptr_equal(bufs[b].host, want[b]);
        assert_int_equal(bufs[b].n, sizes[b]);
    }
    /* a layer that applies another's parameters has none of its own to sync */
    layer tied = l;
    relnas_share_params(&tied, &l);
    assert_int_equal(relnas_replica_buffers(tied, bufs), 0);
    free_network(net);
}

static void host_pull(int replica, const relnas_replica_buffer *b, float *dst, void *ctx)
{
    memcpy(dst, b->host, sizeof(float) * (size_t)b->n);
}

static void host_push(int replica, const relnas_replica_buffer *b, const float *src, void *ctx)
{
    memcpy(b->host, src, sizeof(float) * (size_t)b->n);
}

static void test_sync_three_replicas(void **state)
{
    network *nets[3];
    for (int r = 0; r < 3; ++r) nets[r] = replica(), fill(nets[r], r);
    float connected_before = nets[2]->layers[3].weights[0];
    for (int j = 0; j < nets[0]->n; ++j) {
        if (nets[0]->layers[j].type != PLUGIN) continue;
        layer replicas[3] = {nets[0]->layers[j], nets[1]->layers[j], nets[2]->layers[j]};
        relnas_sync_replicas(replicas, 3, (relnas_replica_io){host_pull, host_push, NULL});
    }
    for (int j = 0; j < 2; ++j) /* both plugin layers: (0 + 100 + 200) / 3 + b + k / 1000 */
        for (int r = 0; r < 3; ++r) {
            relnas_replica_buffer bufs[RELNAS_REPLICA_BUFFERS];
            int count = relnas_replica_buffers(nets[r]->layers[j], bufs);
            assert_true(count >= 5);
            for (int b = 0; b < count; ++b)
                for (int k = 0; k < bufs[b].n; ++k) assert_float_equal(bufs[b].host[k], 100 + b + k / 1000.f, 1e-4);
        }
    assert_float_equal(nets[2]->layers[3].weights[0], connected_before, 0); /* Darknet's own sync does these */
    for (int r = 0; r < 3; ++r) free_network(nets[r]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_by_hand),
        cmocka_unit_test(test_buffers_listed),
        cmocka_unit_test(test_sync_three_replicas),
    };
    return cmocka_run_group_tests_name("replica_sync", tests, NULL, NULL);
}
