#ifdef CUDNN
#include "cudnn_algorithms.h"
#include "cuda.h"

/* The heuristics list algorithms from fastest to slowest; take the first that works
 * within the workspace limit, else the fallback every cuDNN version supports. */
#define PICK_FIRST_FITTING(perf, count, limit, fallback, out)                               \
    do {                                                                                     \
        *(out) = (fallback);                                                                 \
        for (int i_ = 0; i_ < (count); ++i_) {                                               \
            if ((perf)[i_].status == CUDNN_STATUS_SUCCESS && (perf)[i_].memory <= (limit)) { \
                *(out) = (perf)[i_].algo;                                                    \
                break;                                                                       \
            }                                                                                \
        }                                                                                    \
    } while (0)

static void choose_forward(layer *l, size_t limit)
{
    cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
    int count = 0;
    cudnnGetConvolutionForwardAlgorithm_v7(cudnn_handle(), l->srcTensorDesc, l->weightDesc,
                                           l->convDesc, l->dstTensorDesc,
                                           CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &count, perf);
    PICK_FIRST_FITTING(perf, count, limit, CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM, &l->fw_algo);
}

static void choose_backward_data(layer *l, size_t limit)
{
    cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
    int count = 0;
    cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnn_handle(), l->weightDesc,
                                                l->ddstTensorDesc, l->convDesc,
                                                l->dsrcTensorDesc,
                                                CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &count, perf);
    PICK_FIRST_FITTING(perf, count, limit, CUDNN_CONVOLUTION_BWD_DATA_ALGO_0, &l->bd_algo);
}

static void choose_backward_filter(layer *l, size_t limit)
{
    cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
    int count = 0;
    cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnn_handle(), l->srcTensorDesc,
                                                  l->ddstTensorDesc, l->convDesc,
                                                  l->dweightDesc,
                                                  CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &count,
                                                  perf);
    PICK_FIRST_FITTING(perf, count, limit, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0, &l->bf_algo);
}

void relnas_cudnn_choose_conv_algorithms(layer *l, size_t workspace_limit)
{
    choose_forward(l, workspace_limit);
    choose_backward_data(l, workspace_limit);
    choose_backward_filter(l, workspace_limit);
}
#endif
