#include <string.h>
#include "layer_registry.h"
#include "nas_layers.h"
#include "network_params.h"
#include "relnas_check.h"

static const relnas_layer_kind *const kinds[] = {
    &relnas_sep_conv_kind,
    &relnas_dil_conv_kind,
    &relnas_relu_conv_bn_kind,
    &relnas_avg_pool_kind,
    &relnas_max_pool_kind,
    &relnas_factorized_reduce_kind,
    &relnas_weighted_softmax_kind,
    NULL, /* end */
};

int relnas_layer_kind_count(void)
{
    return (int)(sizeof(kinds) / sizeof(kinds[0])) - 1;
}

const relnas_layer_kind *relnas_layer_kind_at(int i)
{
    return kinds[i];
}

int relnas_layer_kind_find(const char *section)
{
    for (int i = 0; kinds[i]; ++i)
        if (strcmp(kinds[i]->section, section) == 0) return i;
    return -1;
}

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
