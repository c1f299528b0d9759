/* CUDA kernels of the depthwise convolution (depthwise_conv.h, nas_ops_gpu.h); each mirrors
 * the CPU function of the same name, the reference the GPU test compares against. */
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

/* ---- depthwise ------------------------------------------------------------------------ */

/* Threads enumerate (b, c, y, x) in NCHW order; each tensor is read or written through its
 * own layout (tensor_layout.h). */
__device__ static long in_offset(relnas_dw_shape s, int b, int c)
{
    return relnas_plane_offset(s.in_layout, b, c, s.batch, s.channels, (long)s.h * s.w);
}

__device__ static long out_offset(relnas_dw_shape s, int b, int c)
{
    return relnas_plane_offset(s.out_layout, b, c, s.batch, s.channels, (long)s.out_h * s.out_w);
}

__global__ static void depthwise_forward_kernel(float *out, const float *in, const float *w,
                                                relnas_dw_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int ox = i % s.out_w, oy = (i / s.out_w) % s.out_h;
    long q = i / ((long)s.out_w * s.out_h);
    int b = q / s.channels, c = q % s.channels;
    const float *plane = in + in_offset(s, b, c);
    const float *k = w + c * s.ksize * s.ksize;
    float sum = 0;
    for (int ky = 0; ky < s.ksize; ++ky) {
        int iy = oy * s.stride - s.pad + ky * s.dilation;
        if (iy < 0 || iy >= s.h) continue;
        for (int kx = 0; kx < s.ksize; ++kx) {
            int ix = ox * s.stride - s.pad + kx * s.dilation;
            if (ix < 0 || ix >= s.w) continue;
            sum += k[ky * s.ksize + kx] * act(plane[iy * s.w + ix], s.relu_input);
        }
    }
    out[out_offset(s, b, c) + oy * s.out_w + ox] = sum;
}

__global__ static void depthwise_backward_input_kernel(float *din, const float *dout,
                                                       const float *in, const float *w,
                                                       relnas_dw_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int ix = i % s.w, iy = (i / s.w) % s.h;
    long q = i / ((long)s.w * s.h);
    int b = q / s.channels, c = q % s.channels;
    long at = in_offset(s, b, c) + iy * s.w + ix;
    if (s.relu_input && in[at] <= 0) return;
    const float *dplane = dout + out_offset(s, b, c);
    const float *k = w + c * s.ksize * s.ksize;
    float sum = 0;
    for (int ky = 0; ky < s.ksize; ++ky) {
        int ty = iy + s.pad - ky * s.dilation;
        if (ty < 0 || ty % s.stride) continue;
        int oy = ty / s.stride;
        if (oy >= s.out_h) continue;
        for (int kx = 0; kx < s.ksize; ++kx) {
            int tx = ix + s.pad - kx * s.dilation;
            if (tx < 0 || tx % s.stride) continue;
            int ox = tx / s.stride;
            if (ox >= s.out_w) continue;
            sum += k[ky * s.ksize + kx] * dplane[oy * s.out_w + ox];
        }
    }
    din[at] += sum;
}

/* One block per weight (channel, tap): reduces over batch and output positions. */
__global__ static void depthwise_backward_weights_kernel(float *dw, const float *dout,
                                                         const float *in, relnas_dw_shape s)
{
    __shared__ float partial[threads];
    int kk = s.ksize * s.ksize;
    int c = blockIdx.x / kk, t = blockIdx.x % kk, ky = t / s.ksize, kx = t % s.ksize;
    long per_plane = (long)s.out_h * s.out_w, n = per_plane * s.batch;
    float sum = 0;
    for (long j = threadIdx.x; j < n; j += blockDim.x) {
        int b = j / per_plane, o = j % per_plane, oy = o / s.out_w, ox = o % s.out_w;
        int iy = oy * s.stride - s.pad + ky * s.dilation, ix = ox * s.stride - s.pad + kx * s.dilation;
        if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
        sum += dout[out_offset(s, b, c) + o] * act(in[in_offset(s, b, c) + iy * s.w + ix], s.relu_input);
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) dw[blockIdx.x] += partial[0];
}

extern "C" void relnas_depthwise_forward_gpu(float *out, const float *in, const float *weights,
                                             relnas_dw_shape s)
{
    long n = (long)s.batch * s.channels * s.out_h * s.out_w;
    depthwise_forward_kernel<<<blocks_for(n), threads>>>(out, in, weights, s, n);
    check_launch();
}

extern "C" void relnas_depthwise_backward_input_gpu(float *din, const float *dout, const float *in,
                                                    const float *weights, relnas_dw_shape s)
{
    long n = (long)s.batch * s.channels * s.h * s.w;
    depthwise_backward_input_kernel<<<blocks_for(n), threads>>>(din, dout, in, weights, s, n);
    check_launch();
}

extern "C" void relnas_depthwise_backward_weights_gpu(float *dweights, const float *dout,
                                                      const float *in, relnas_dw_shape s)
{
    depthwise_backward_weights_kernel<<<s.channels * s.ksize * s.ksize, threads>>>(
        dweights, dout, in, s);
    check_launch();
}
