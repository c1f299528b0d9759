/* CUDA kernels of the local average and max pools (local_pool.h, nas_ops_gpu.h); each
 * mirrors the CPU function of the same name, the reference the GPU test compares against. */
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

/* ---- pooling -------------------------------------------------------------------------- */

__global__ static void avgpool_forward_kernel(float *out, const float *in, relnas_pool_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int ox = i % s.out_w, oy = (i / s.out_w) % s.out_h;
    const float *plane = in + (i / ((long)s.out_w * s.out_h)) * s.h * s.w;
    int y0, y1, x0, x1;
    relnas_pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
    float sum = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) sum += act(plane[y * s.w + x], s.relu_input);
    int count = (y1 - y0) * (x1 - x0);
    out[i] = count > 0 ? sum / count : 0;
}

/* Backward passes gather: one thread per input element sums, in a fixed order, over the
 * outputs whose window holds it (overlapping windows with atomicAdd would sum in a
 * different order on every run). */
__device__ static void windows_holding(relnas_pool_shape s, int y, int x, int *oy0, int *oy1, int *ox0, int *ox1)
{
    /* oy * stride - pad <= y < oy * stride - pad + size */
    int ty = y + s.pad - s.size + 1, tx = x + s.pad - s.size + 1;
    *oy0 = ty <= 0 ? 0 : (ty + s.stride - 1) / s.stride;
    *ox0 = tx <= 0 ? 0 : (tx + s.stride - 1) / s.stride;
    *oy1 = min((y + s.pad) / s.stride + 1, s.out_h);
    *ox1 = min((x + s.pad) / s.stride + 1, s.out_w);
}

__global__ static void avgpool_backward_kernel(float *din, const float *dout, const float *in,
                                               relnas_pool_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    if (s.relu_input && in[i] <= 0) return;
    int x = i % s.w, y = (i / s.w) % s.h;
    const float *dplane = dout + (i / ((long)s.w * s.h)) * s.out_h * s.out_w;
    int oy0, oy1, ox0, ox1;
    windows_holding(s, y, x, &oy0, &oy1, &ox0, &ox1);
    float sum = 0;
    for (int oy = oy0; oy < oy1; ++oy)
        for (int ox = ox0; ox < ox1; ++ox) {
            int y0, y1, x0, x1;
            relnas_pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
            sum += dplane[oy * s.out_w + ox] / ((y1 - y0) * (x1 - x0));
        }
    din[i] += sum;
}

__global__ static void maxpool_forward_kernel(float *out, int *argmax, const float *in,
                                              relnas_pool_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int ox = i % s.out_w, oy = (i / s.out_w) % s.out_h;
    const float *plane = in + (i / ((long)s.out_w * s.out_h)) * s.h * s.w;
    int y0, y1, x0, x1, best = -1;
    relnas_pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
    float m = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            float v = act(plane[y * s.w + x], s.relu_input);
            if (best < 0 || v > m) {
                m = v;
                best = y * s.w + x;
            }
        }
    out[i] = best < 0 ? 0 : m;
    argmax[i] = s.relu_input && m <= 0 ? -1 : best;
}

__global__ static void maxpool_backward_kernel(float *din, const float *dout, const int *argmax,
                                               relnas_pool_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int x = i % s.w, y = (i / s.w) % s.h, at = y * s.w + x;
    long plane = (i / ((long)s.w * s.h)) * s.out_h * s.out_w;
    int oy0, oy1, ox0, ox1;
    windows_holding(s, y, x, &oy0, &oy1, &ox0, &ox1);
    float sum = 0;
    for (int oy = oy0; oy < oy1; ++oy)
        for (int ox = ox0; ox < ox1; ++ox)
            if (argmax[plane + oy * s.out_w + ox] == at) sum += dout[plane + oy * s.out_w + ox];
    din[i] += sum;
}

static long pool_inputs(relnas_pool_shape s)
{
    return (long)s.batch * s.channels * s.h * s.w;
}

static long pool_outputs(relnas_pool_shape s)
{
    return (long)s.batch * s.channels * s.out_h * s.out_w;
}

extern "C" void relnas_avgpool_forward_gpu(float *out, const float *in, relnas_pool_shape s)
{
    long n = pool_outputs(s);
    avgpool_forward_kernel<<<blocks_for(n), threads>>>(out, in, s, n);
    check_launch();
}

extern "C" void relnas_avgpool_backward_gpu(float *din, const float *dout, const float *in,
                                            relnas_pool_shape s)
{
    long n = pool_inputs(s);
    avgpool_backward_kernel<<<blocks_for(n), threads>>>(din, dout, in, s, n);
    check_launch();
}

extern "C" void relnas_maxpool_forward_gpu(float *out, int *argmax, const float *in, relnas_pool_shape s)
{
    long n = pool_outputs(s);
    maxpool_forward_kernel<<<blocks_for(n), threads>>>(out, argmax, in, s, n);
    check_launch();
}

extern "C" void relnas_maxpool_backward_gpu(float *din, const float *dout, const int *argmax,
                                            relnas_pool_shape s)
{
    long n = pool_inputs(s);
    maxpool_backward_kernel<<<blocks_for(n), threads>>>(din, dout, argmax, s, n);
    check_launch();
}
