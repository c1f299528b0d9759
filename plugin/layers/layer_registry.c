#include <string.h>
#include "layer_registry.h"
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

const char *relnas_layer_type_name(layer l)
{
    return l.type == PLUGIN ? relnas_layer_kind_at(l.plugin_kind)->section : get_layer_string(l.type);
}

double relnas_layer_multiply_adds(layer l)
{
    switch (l.type) {
    case CONVOLUTIONAL:
        return (double)l.out_h * l.out_w * l.n * l.size * l.size * (l.c / l.groups);
    case CONNECTED:
        return (double)l.inputs * l.outputs;
    case PLUGIN: {
        const relnas_layer_kind *kind = relnas_layer_kind_at(l.plugin_kind);
        return kind->multiply_adds ? kind->multiply_adds(l) : 0;
    }
    default:
        return 0;
    }
}
