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
