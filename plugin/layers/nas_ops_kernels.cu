/* CUDA kernels of the plugin's elementwise ops (ReLU and layout changes, drop-path) and of
 * the gradient norm's sum of squares; see nas_ops_gpu.h. Each mirrors the plain CPU function
 * of the same name, which is the reference the GPU test compares against. */
#include <cuda_runtime.h>
#include <cublas_v2.h> /* before Darknet's cuda.h, which includes it inside extern "C" */
#include <stdio.h>
#include <stdlib.h>

extern "C" {
#include "device_scratch.h"
#include "nas_ops_gpu.h"
#include "tensor_layout.h"
#include "cuda.h"
}
#include "kernel_launch.cuh"

/* ---- elementwise ---------------------------------------------------------------------- */

/* Threads enumerate (b, c, i) in NCHW order: x is NCHW, the other tensor CNHW. */
__global__ static void relu_to_cnhw_kernel(float *out, const float *x, int batch, int channels,
                                           long spatial, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    long q = i / spatial;
    int b = q / channels, c = q % channels;
    out[relnas_plane_offset(RELNAS_CNHW, b, c, batch, channels, spatial) + i % spatial] = x[i] < 0 ? 0 : x[i];
}

__global__ static void relu_grad_add_from_cnhw_kernel(float *dx, const float *g, const float *x,
                                                      int batch, int channels, long spatial, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n || x[i] <= 0) return;
    long q = i / spatial;
    int b = q / channels, c = q % channels;
    dx[i] += g[relnas_plane_offset(RELNAS_CNHW, b, c, batch, channels, spatial) + i % spatial];
}

__global__ static void drop_path_kernel(float *x, const float *scales, int sample_size, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] *= scales[i / sample_size];
}

/* Threads enumerate sub's (b, c, y, x) in NCHW order; sub is CNHW, in NCHW of h x w. */
__global__ static void sample_relu_kernel(float *sub, const float *in, int batch, int channels,
                                          int h, int w, int k, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int oh = h / 2, ow = w / 2, x = i % ow, y = (i / ow) % oh;
    long q = i / ((long)ow * oh);
    int b = q / channels, c = q % channels;
    float v = in[(q * h + 2 * y + k) * w + 2 * x + k];
    sub[relnas_plane_offset(RELNAS_CNHW, b, c, batch, channels, (long)oh * ow) + y * ow + x] = v < 0 ? 0 : v;
}

__global__ static void scatter_relu_grad_kernel(float *din, const float *dsub, const float *in,
                                                int batch, int channels, int h, int w, int k, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int oh = h / 2, ow = w / 2, x = i % ow, y = (i / ow) % oh;
    long q = i / ((long)ow * oh);
    int b = q / channels, c = q % channels;
    long j = (q * h + 2 * y + k) * w + 2 * x + k;
    if (in[j] > 0) din[j] += dsub[relnas_plane_offset(RELNAS_CNHW, b, c, batch, channels, (long)oh * ow) + y * ow + x];
}

extern "C" void relnas_relu_to_cnhw_gpu(float *out, const float *x, int batch, int channels, long spatial)
{
    long n = (long)batch * channels * spatial;
    relu_to_cnhw_kernel<<<blocks_for(n), threads>>>(out, x, batch, channels, spatial, n);
    check_launch();
}

extern "C" void relnas_relu_grad_add_from_cnhw_gpu(float *dx, const float *g, const float *x, int batch,
                                                   int channels, long spatial)
{
    long n = (long)batch * channels * spatial;
    relu_grad_add_from_cnhw_kernel<<<blocks_for(n), threads>>>(dx, g, x, batch, channels, spatial, n);
    check_launch();
}

extern "C" void relnas_drop_path_apply_gpu(float *x, const float *scales, int batch, int sample_size)
{
    long n = (long)batch * sample_size;
    drop_path_kernel<<<blocks_for(n), threads>>>(x, scales, sample_size, n);
    check_launch();
}

extern "C" void relnas_sample_relu_gpu(float *sub, const float *in, int batch, int channels, int h,
                                       int w, int k)
{
    long n = (long)batch * channels * (h / 2) * (w / 2);
    sample_relu_kernel<<<blocks_for(n), threads>>>(sub, in, batch, channels, h, w, k, n);
    check_launch();
}

extern "C" void relnas_scatter_relu_grad_gpu(float *din, const float *dsub, const float *in, int batch,
                                             int channels, int h, int w, int k)
{
    long n = (long)batch * channels * (h / 2) * (w / 2);
    scatter_relu_grad_kernel<<<blocks_for(n), threads>>>(din, dsub, in, batch, channels, h, w, k, n);
    check_launch();
}

/* ---- sums of squares (gradient norm): a fixed-order two-stage reduction per buffer into
 * a device total, so a whole network's norm costs one host sync, not one per buffer ------ */

enum { sum_squares_blocks = 128 };

__global__ static void sum_squares_partial_kernel(double *partial, const float *x, long n)
{
    __shared__ double shared[threads];
    double sum = 0;
    for (long i = (long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long)gridDim.x * blockDim.x)
        sum += (double)x[i] * x[i];
    shared[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) shared[threadIdx.x] += shared[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = shared[0];
}

__global__ static void sum_squares_finish_kernel(double *total, const double *partial)
{
    double sum = 0;
    for (int b = 0; b < sum_squares_blocks; ++b) sum += partial[b];
    *total += sum;
}

extern "C" double *relnas_sum_squares_start_gpu(void)
{
    double *acc = (double *)relnas_device_scratch(RELNAS_SCRATCH_SUM_SQUARES, sizeof(double) * (1 + sum_squares_blocks));
    check_error(cudaMemset(acc, 0, sizeof(double)));
    return acc;
}

extern "C" void relnas_sum_squares_add_gpu(double *acc, const float *x, long n)
{
    sum_squares_partial_kernel<<<sum_squares_blocks, threads>>>(acc + 1, x, n);
    check_launch();
    sum_squares_finish_kernel<<<1, 1>>>(acc, acc + 1);
    check_launch();
}

extern "C" double relnas_sum_squares_finish_gpu(double *acc)
{
    double total = 0;
    check_error(cudaMemcpy(&total, acc, sizeof(double), cudaMemcpyDeviceToHost)); /* acc is scratch: kept */
    return total;
}
