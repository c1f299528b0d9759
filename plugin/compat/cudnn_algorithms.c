#ifdef CUDNN
#include <stdio.h>
#include <stdlib.h>
#include "cudnn_algorithms.h"
#include "cuda.h"
#include "gpu_device.h"

void relnas_cudnn_check(cudnnStatus_t status, const char *call)
{
    if (status == CUDNN_STATUS_SUCCESS) return;
    fprintf(stderr, "darknet: %s failed: %s\n", call, cudnnGetErrorString(status));
    exit(EXIT_FAILURE);
}

/* An algorithm the settings allow: it ran in the heuristics, fits, is deterministic and
 * computes in plain FP32 (unless fast mode allows any). */
static int allowed(cudnnStatus_t status, size_t memory, cudnnDeterminism_t determinism,
                   cudnnMathType_t math, size_t limit, int fast)
{
    if (status != CUDNN_STATUS_SUCCESS || memory > limit) return 0;
    return fast || (determinism == CUDNN_DETERMINISTIC && math != CUDNN_TENSOR_OP_MATH &&
                    math != CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION);
}

/* The heuristics list algorithms from fastest to slowest; take the first allowed one, else
 * the deterministic fallback every cuDNN version supports. */
#define PICK_FIRST_ALLOWED(perf, count, limit, fast, fallback, out)                                  \
    do {                                                                                            \
        *(out) = (fallback);                                                                        \
        for (int i_ = 0; i_ < (count); ++i_) {                                                      \
            if (allowed((perf)[i_].status, (perf)[i_].memory, (perf)[i_].determinism,               \
                        (perf)[i_].mathType, (limit), (fast))) {                                   \
                *(out) = (perf)[i_].algo;                                                           \
                break;                                                                              \
            }                                                                                       \
        }                                                                                           \
    } while (0)

static size_t choose_forward(layer *l, size_t limit, int fast)
{
    cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
    int count = 0;
    size_t size = 0;
    relnas_cudnn_check(cudnnGetConvolutionForwardAlgorithm_v7(cudnn_handle(), l->srcTensorDesc, l->weightDesc,
                                                              l->convDesc, l->dstTensorDesc,
                                                              CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &count, perf),
                       "cudnnGetConvolutionForwardAlgorithm_v7");
    PICK_FIRST_ALLOWED(perf, count, limit, fast, CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM, &l->fw_algo);
    relnas_cudnn_check(cudnnGetConvolutionForwardWorkspaceSize(cudnn_handle(), l->srcTensorDesc, l->weightDesc,
                                                               l->convDesc, l->dstTensorDesc, l->fw_algo, &size),
                       "cudnnGetConvolutionForwardWorkspaceSize");
    return size;
}

static size_t choose_backward_data(layer *l, size_t limit, int fast)
{
    cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
    int count = 0;
    size_t size = 0;
    relnas_cudnn_check(cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnn_handle(), l->weightDesc,
                                                                   l->ddstTensorDesc, l->convDesc,
                                                                   l->dsrcTensorDesc,
                                                                   CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT,
                                                                   &count, perf),
                       "cudnnGetConvolutionBackwardDataAlgorithm_v7");
    PICK_FIRST_ALLOWED(perf, count, limit, fast, CUDNN_CONVOLUTION_BWD_DATA_ALGO_1, &l->bd_algo);
    relnas_cudnn_check(cudnnGetConvolutionBackwardDataWorkspaceSize(cudnn_handle(), l->weightDesc,
                                                                    l->ddstTensorDesc, l->convDesc,
                                                                    l->dsrcTensorDesc, l->bd_algo, &size),
                       "cudnnGetConvolutionBackwardDataWorkspaceSize");
    return size;
}

static size_t choose_backward_filter(layer *l, size_t limit, int fast)
{
    cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
    int count = 0;
    size_t size = 0;
    relnas_cudnn_check(cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnn_handle(), l->srcTensorDesc,
                                                                     l->ddstTensorDesc, l->convDesc,
                                                                     l->dweightDesc,
                                                                     CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT,
                                                                     &count, perf),
                       "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
    PICK_FIRST_ALLOWED(perf, count, limit, fast, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1, &l->bf_algo);
    relnas_cudnn_check(cudnnGetConvolutionBackwardFilterWorkspaceSize(cudnn_handle(), l->srcTensorDesc,
                                                                      l->ddstTensorDesc, l->convDesc,
                                                                      l->dweightDesc, l->bf_algo, &size),
                       "cudnnGetConvolutionBackwardFilterWorkspaceSize");
    return size;
}

void relnas_cudnn_choose_conv_algorithms(layer *l, size_t workspace_limit)
{
    if (gpu_index < 0) return; /* -nogpu in a GPU build: no descriptors, no device */
    int fast = relnas_gpu_fast();
    /* FMA math: no TF32 (default math lets cuDNN use it on sm_80+). The heuristics rank for
     * the descriptor's math type, so it is set first. */
    relnas_cudnn_check(cudnnSetConvolutionMathType(l->convDesc, fast ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH),
                       "cudnnSetConvolutionMathType");
    size_t sizes[3] = {choose_forward(l, workspace_limit, fast), choose_backward_data(l, workspace_limit, fast),
                       choose_backward_filter(l, workspace_limit, fast)};
    l->workspace_size = 0;
    for (int i = 0; i < 3; ++i)
        if (sizes[i] > l->workspace_size) l->workspace_size = sizes[i];
}
#endif
