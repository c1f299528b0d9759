/* The 1x1 convolution on the GPU (pointwise_conv.h, nas_ops_gpu.h): cuBLAS GEMMs, checked
 * against the CPU functions of the same names by the GPU test. */
#include <cuda_runtime.h>
#include <cublas_v2.h> /* before Darknet's cuda.h, which includes it inside extern "C" */
#include <stdio.h>
#include <stdlib.h>

extern "C" {
#include "nas_ops_gpu.h"
#include "tensor_layout.h"
#include "cuda.h"
}
#include "kernel_launch.cuh"

/* ---- pointwise: one cuBLAS GEMM over the batch (CNHW); row-major C = A B is
 * column-major C^T = B^T A^T ---------------------------------------------------------------- */

extern "C" void relnas_pointwise_forward_gpu(float *out, const float *in, const float *weights,
                                             relnas_pw_shape s)
{
    const float one = 1, zero = 0;
    check_cublas(cublasSgemm(blas_handle(), CUBLAS_OP_N, CUBLAS_OP_N, (int)s.n, s.c_out, s.c_in, &one,
                             in, (int)s.n, weights, s.c_in, &zero, out, (int)s.n));
}

extern "C" void relnas_pointwise_backward_input_gpu(float *din, const float *dout,
                                                    const float *weights, relnas_pw_shape s)
{
    const float one = 1, zero = 0;
    check_cublas(cublasSgemm(blas_handle(), CUBLAS_OP_N, CUBLAS_OP_T, (int)s.n, s.c_in, s.c_out, &one,
                             dout, (int)s.n, weights, s.c_in, &zero, din, (int)s.n));
}

extern "C" void relnas_pointwise_backward_weights_gpu(float *dweights, const float *dout,
                                                      const float *in, relnas_pw_shape s)
{
    const float one = 1;
    check_cublas(cublasSgemm(blas_handle(), CUBLAS_OP_T, CUBLAS_OP_N, s.c_in, s.c_out, (int)s.n, &one,
                             in, (int)s.n, dout, (int)s.n, &one, dweights, s.c_in));
}
