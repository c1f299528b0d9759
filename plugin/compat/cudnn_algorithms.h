/* Convolution algorithm choice for cuDNN 8 and 9, which removed the v6-era
 * cudnnGetConvolution*Algorithm calls Darknet makes. */
#ifndef RELNAS_CUDNN_ALGORITHMS_H
#define RELNAS_CUDNN_ALGORITHMS_H

#include <stddef.h>
#include "darknet.h"

#ifdef CUDNN
/* Sets l->fw_algo, l->bd_algo and l->bf_algo to the fastest algorithms cuDNN's heuristics
 * rank for the layer's descriptors whose workspace fits in workspace_limit bytes. */
void relnas_cudnn_choose_conv_algorithms(layer *l, size_t workspace_limit);
#endif

#endif
