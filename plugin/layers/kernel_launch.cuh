/* What the plugin kernel files share: the block size, the grid for n threads, the checks
 * after a launch or a cuBLAS call, and the optional ReLU on an input read. Included by the *_kernels.cu files only. */
#ifndef RELNAS_KERNEL_LAUNCH_CUH
#define RELNAS_KERNEL_LAUNCH_CUH

#include <cublas_v2.h>

static const int threads = 256;

static inline int blocks_for(long n)
{
    return (int)((n + threads - 1) / threads);
}

static inline void check_launch(void)
{
    check_error(cudaPeekAtLastError());
}

static inline void check_cublas(cublasStatus_t status)
{
    if (status != CUBLAS_STATUS_SUCCESS) {
        fprintf(stderr, "%s: cuBLAS error %d\n", __FILE__, (int)status);
        abort();
    }
}

/* x, through a ReLU when relu is set (the ops that begin with one read their input so). */
__device__ static inline float act(float x, int relu) { return relu && x < 0 ? 0.f : x; }

#endif
