/* Convolution algorithm choice for cuDNN 8 and 9, which removed the v6-era
 * cudnnGetConvolution*Algorithm calls Darknet makes; deterministic unless RELNAS_GPU_FAST=1
 * (gpu_device.h). */
#ifndef RELNAS_CUDNN_ALGORITHMS_H
#define RELNAS_CUDNN_ALGORITHMS_H

#include <stddef.h>
#include "darknet.h"

#ifdef CUDNN
#include <cudnn.h>

/* Sets l->fw_algo, l->bd_algo and l->bf_algo to the fastest algorithms cuDNN's heuristics
 * rank for the layer's descriptors whose workspace fits in workspace_limit bytes: only
 * deterministic ones, in FP32 without TF32 (FMA math), unless RELNAS_GPU_FAST=1. The
 * fallbacks (implicit GEMM, backward ALGO_1) are deterministic. Sets l->workspace_size to
 * what the chosen algorithms need. */
void relnas_cudnn_choose_conv_algorithms(layer *l, size_t workspace_limit);

/* Ends the process with one line naming the call and cuDNN's error unless status is
 * success (a convolution that did not run would leave a silently wrong output). */
void relnas_cudnn_check(cudnnStatus_t status, const char *call);
#endif

#endif
