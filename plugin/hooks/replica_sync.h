/* Darknet's multi-GPU training (`-gpus 0,1,...`) keeps one network per GPU and every few
 * batches averages their weights (sync_layer in network.c), for convolutional and connected
 * layers only. Patch 0060 sends plugin layers here (relnas_sync_plugin_layer, relnas_hooks.h): every buffer relnas_replica_buffers
 * lists (parameters, BN statistics, update state) becomes the mean over the replicas. */
#ifndef RELNAS_REPLICA_SYNC_H
#define RELNAS_REPLICA_SYNC_H

#include "darknet.h"

/* One buffer of a plugin layer that the replicas of Darknet's multi-GPU training must agree
 * on: n floats on the host and, in a GPU build, on the device (NULL without one). */
typedef struct relnas_replica_buffer {
    float *host, *device;
    int n;
} relnas_replica_buffer;

enum { RELNAS_REPLICA_BUFFERS = 8 };

/* The buffers of plugin layer l to keep in sync across replicas, the same for every
 * registered kind (they keep parameters where layer_params.h says): weights, BN beta
 * (biases), gamma (scales), running mean and variance, and the update state (momentum x
 * last step, which Darknet's update leaves in the *_updates buffers). A layer that applies
 * another's parameters (relnas_share_params) has none of its own. Returns the count. */
int relnas_replica_buffers(layer l, relnas_replica_buffer out[RELNAS_REPLICA_BUFFERS]);

/* mean[k] = (replicas[0][k] + ... + replicas[n-1][k]) / n for k < count, summed in double. */
void relnas_replica_mean(float *mean, float *const *replicas, int n, int count);

/* How the replicas' buffers are read and written: from and to their GPUs in training, plain
 * host copies in the CPU tests. */
typedef struct relnas_replica_io {
    void (*pull)(int replica, const relnas_replica_buffer *b, float *dst, void *ctx);
    void (*push)(int replica, const relnas_replica_buffer *b, const float *src, void *ctx);
    void *ctx;
} relnas_replica_io;

/* Averages plugin layer replicas[0..n-1] (the same layer of each replica network): each
 * buffer pulled from every replica, averaged, and pushed to every replica. */
void relnas_sync_replicas(const layer *replicas, int n, relnas_replica_io io);

#endif
