#include <stdlib.h>
#include <string.h>
#include "replica_sync.h"
#include "layer_registry.h"
#include "network_params.h"
#include "relnas_check.h"
#include "relnas_hooks.h"
#ifdef GPU
#include "cuda.h"
#endif

int relnas_replica_buffers(layer l, relnas_replica_buffer out[RELNAS_REPLICA_BUFFERS])
{
    RELNAS_ASSERT(l.type == PLUGIN && l.plugin_kind >= 0 && l.plugin_kind < relnas_layer_kind_count());
    relnas_layer_params p = relnas_layer_params_of(l);
    if (!p.weights) return 0;
    float *host[RELNAS_REPLICA_BUFFERS] = {p.weights, p.biases, p.scales, p.rolling_mean, p.rolling_variance,
                                           p.weight_updates, p.bias_updates, p.scale_updates};
    float *device[RELNAS_REPLICA_BUFFERS] = {NULL};
#ifdef GPU
    float *gpu[RELNAS_REPLICA_BUFFERS] = {l.weights_gpu, l.biases_gpu, l.scales_gpu, l.rolling_mean_gpu,
                                          l.rolling_variance_gpu, l.weight_updates_gpu, l.bias_updates_gpu,
                                          l.scale_updates_gpu};
    memcpy(device, gpu, sizeof(gpu));
#endif
    int count = 0;
    for (int k = 0; k < RELNAS_REPLICA_BUFFERS; ++k)
        if (host[k])
            out[count++] = (relnas_replica_buffer){host[k], device[k], k == 0 || k == 5 ? p.nweights : p.nbiases};
    return count;
}

void relnas_replica_mean(float *mean, float *const *replicas, int n, int count)
{
    for (int k = 0; k < count; ++k) {
        double sum = 0;
        for (int i = 0; i < n; ++i) sum += replicas[i][k];
        mean[k] = (float)(sum / n);
    }
}

void relnas_sync_replicas(const layer *replicas, int n, relnas_replica_io io)
{
    relnas_replica_buffer (*buffers)[RELNAS_REPLICA_BUFFERS] = RELNAS_CALLOC((size_t)n, sizeof(*buffers));
    int count = relnas_replica_buffers(replicas[0], buffers[0]);
    for (int i = 1; i < n; ++i) RELNAS_ASSERT(relnas_replica_buffers(replicas[i], buffers[i]) == count);
    float **copies = RELNAS_CALLOC((size_t)n, sizeof(*copies));
    for (int b = 0; b < count; ++b) {
        int size = buffers[0][b].n;
        for (int i = 0; i < n; ++i) {
            RELNAS_ASSERT(buffers[i][b].n == size);
            copies[i] = RELNAS_CALLOC((size_t)size, sizeof(float));
            io.pull(i, &buffers[i][b], copies[i], io.ctx);
        }
        float *mean = RELNAS_CALLOC((size_t)size, sizeof(float));
        relnas_replica_mean(mean, copies, n, size);
        for (int i = 0; i < n; ++i) io.push(i, &buffers[i][b], mean, io.ctx), free(copies[i]);
        free(mean);
    }
    free(copies), free(buffers);
}

#ifdef GPU
static void pull_from_gpu(int replica, const relnas_replica_buffer *b, float *dst, void *ctx)
{
    network **nets = ctx;
    cuda_set_device(nets[replica]->gpu_index);
    cuda_pull_array(b->device, dst, b->n);
}

/* The host copy too: Darknet saves replica 0's host weights after pulling them. */
static void push_to_gpu(int replica, const relnas_replica_buffer *b, const float *src, void *ctx)
{
    network **nets = ctx;
    cuda_set_device(nets[replica]->gpu_index);
    cuda_push_array(b->device, (float *)src, b->n);
    memcpy(b->host, src, sizeof(float) * (size_t)b->n);
}

void relnas_sync_plugin_layer(network **nets, int n, int j)
{
    layer *replicas = RELNAS_CALLOC((size_t)n, sizeof(*replicas));
    for (int i = 0; i < n; ++i) replicas[i] = nets[i]->layers[j];
    relnas_sync_replicas(replicas, n, (relnas_replica_io){pull_from_gpu, push_to_gpu, nets});
    free(replicas);
}
#endif
