/* The plugin's layer types as the registry sees them: one relnas_layer_kind each. */
#ifndef RELNAS_NAS_LAYERS_H
#define RELNAS_NAS_LAYERS_H

#include "layer_registry.h"

extern const relnas_layer_kind relnas_sep_conv_kind;          /* [sep_conv] */
extern const relnas_layer_kind relnas_dil_conv_kind;          /* [dil_conv] */
extern const relnas_layer_kind relnas_relu_conv_bn_kind;      /* [relu_conv_bn] */
extern const relnas_layer_kind relnas_avg_pool_kind;          /* [avg_pool] */
extern const relnas_layer_kind relnas_max_pool_kind;          /* [max_pool] */
extern const relnas_layer_kind relnas_factorized_reduce_kind; /* [factorized_reduce] */
extern const relnas_layer_kind relnas_weighted_softmax_kind;   /* [weighted_softmax] */

#endif
