/* CUDA kernels of batch norm, PyTorch's convention (batch_norm.h, nas_ops_gpu.h); each
 * mirrors the CPU function of the same name, the reference the GPU test compares against. */
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

/* ---- batch norm (PyTorch convention, batch_norm.h) -------------------------------------- */

__device__ static float block_sum(float v, float *shared)
{
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) shared[threadIdx.x] += shared[threadIdx.x + stride];
        __syncthreads();
    }
    float total = shared[0];
    __syncthreads();
    return total;
}

/* Element j of channel c (j = b * spatial + s) in each tensor's layout. */
__device__ static long bn_in(relnas_bn_shape s, int c, long j)
{
    return relnas_plane_offset(s.in_layout, (int)(j / s.spatial), c, s.batch, s.channels, s.spatial) + j % s.spatial;
}

__device__ static long bn_out(relnas_bn_shape s, int c, long j)
{
    return relnas_plane_offset(s.out_layout, (int)(j / s.spatial), c, s.batch, s.channels, s.spatial) + j % s.spatial;
}

/* Training statistics and the backward sums in three steps, all in a fixed order: blocks
 * (chunk, channel) reduce a chunk of one channel, one thread per channel merges the chunks
 * in order, then one thread per element applies the result. A chunk is at least
 * bn_chunk_min values; at most bn_chunks_max chunks per channel. (One block per channel
 * left most of a large GPU idle: 16 blocks at C=16.) */
enum { bn_chunk_min = 2048, bn_chunks_max = 64 };

static int bn_chunks(relnas_bn_shape s)
{
    long n = (long)s.batch * s.spatial, chunks = (n + bn_chunk_min - 1) / bn_chunk_min;
    return (int)(chunks < 1 ? 1 : chunks > bn_chunks_max ? bn_chunks_max : chunks);
}

/* The values [*j0, *j1) of channel c's chunk k. */
__device__ static void bn_chunk(relnas_bn_shape s, int k, int chunks, long *j0, long *j1)
{
    long n = (long)s.batch * s.spatial, len = (n + chunks - 1) / chunks;
    *j0 = k * len;
    *j1 = min(*j0 + len, n);
}

/* partial[c][k] = (count, mean, sum of squared deviations) of chunk k of channel c. */
__global__ static void bn_stats_partial_kernel(float *partial, const float *x, relnas_bn_shape s)
{
    __shared__ float shared[threads];
    int k = blockIdx.x, chunks = gridDim.x, c = blockIdx.y;
    long j0, j1;
    bn_chunk(s, k, chunks, &j0, &j1);
    float sum = 0;
    for (long j = j0 + threadIdx.x; j < j1; j += blockDim.x) sum += x[bn_in(s, c, j)];
    long count = j1 > j0 ? j1 - j0 : 0;
    float m = count ? block_sum(sum, shared) / count : 0;
    float sq = 0;
    for (long j = j0 + threadIdx.x; j < j1; j += blockDim.x) {
        float d = x[bn_in(s, c, j)] - m;
        sq += d * d;
    }
    float m2 = block_sum(sq, shared);
    if (threadIdx.x == 0) {
        float *p = partial + 3 * ((long)c * chunks + k);
        p[0] = (float)count, p[1] = m, p[2] = m2;
    }
}

/* Merges the chunks in order (Chan et al.'s pairwise update); updates the running stats. */
__global__ static void bn_stats_merge_kernel(float *mean, float *var, float *running_mean, float *running_var,
                                             const float *partial, int chunks, relnas_bn_shape s)
{
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= s.channels) return;
    float n = 0, m = 0, m2 = 0;
    for (int k = 0; k < chunks; ++k) {
        const float *p = partial + 3 * ((long)c * chunks + k);
        if (p[0] == 0) continue;
        float nb = p[0], d = p[1] - m, total = n + nb;
        m += d * nb / total;
        m2 += p[2] + d * d * n * nb / total;
        n = total;
    }
    float v = m2 / n, unbiased = n > 1 ? m2 / (n - 1) : v;
    mean[c] = m;
    var[c] = v;
    running_mean[c] = (1 - RELNAS_BN_MOMENTUM) * running_mean[c] + RELNAS_BN_MOMENTUM * m;
    running_var[c] = (1 - RELNAS_BN_MOMENTUM) * running_var[c] + RELNAS_BN_MOMENTUM * unbiased;
}

/* Threads enumerate (b, c, i) in NCHW order; element j = b * spatial + i of channel c. */
__global__ static void bn_normalize_kernel(float *out, float *x_hat, const float *x, const float *mean,
                                           const float *var, const float *gamma, const float *beta,
                                           relnas_bn_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int c = (i / s.spatial) % s.channels;
    long j = (i / ((long)s.spatial * s.channels)) * s.spatial + i % s.spatial, at = bn_in(s, c, j);
    float xh = (x[at] - mean[c]) * rsqrtf(var[c] + RELNAS_BN_EPS);
    x_hat[at] = xh;
    out[bn_out(s, c, j)] = gamma[c] * xh + beta[c];
}

__global__ static void bn_infer_kernel(float *out, const float *x, const float *gamma,
                                       const float *beta, const float *running_mean,
                                       const float *running_var, relnas_bn_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int c = (i / s.spatial) % s.channels;
    long j = (i / ((long)s.spatial * s.channels)) * s.spatial + i % s.spatial;
    float scale = gamma[c] * rsqrtf(running_var[c] + RELNAS_BN_EPS);
    out[bn_out(s, c, j)] = (x[bn_in(s, c, j)] - running_mean[c]) * scale + beta[c];
}

/* partial[c][k] = (sum of dy, sum of dy * x_hat) over chunk k of channel c. */
__global__ static void bn_backward_partial_kernel(float *partial, const float *dout, const float *x_hat,
                                                  relnas_bn_shape s)
{
    __shared__ float shared[threads];
    int k = blockIdx.x, chunks = gridDim.x, c = blockIdx.y;
    long j0, j1;
    bn_chunk(s, k, chunks, &j0, &j1);
    float sum_dy = 0, sum_dy_xhat = 0;
    for (long j = j0 + threadIdx.x; j < j1; j += blockDim.x) {
        float dy = dout[bn_out(s, c, j)];
        sum_dy += dy;
        sum_dy_xhat += dy * x_hat[bn_in(s, c, j)];
    }
    sum_dy = block_sum(sum_dy, shared);
    sum_dy_xhat = block_sum(sum_dy_xhat, shared);
    if (threadIdx.x == 0) {
        float *p = partial + 2 * ((long)c * chunks + k);
        p[0] = sum_dy, p[1] = sum_dy_xhat;
    }
}

/* Sums the chunks in order into dgamma, dbeta and the per-channel means dx needs. */
__global__ static void bn_backward_merge_kernel(float *means, float *dgamma, float *dbeta, const float *partial,
                                                int chunks, relnas_bn_shape s)
{
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= s.channels) return;
    float sum_dy = 0, sum_dy_xhat = 0;
    for (int k = 0; k < chunks; ++k) {
        sum_dy += partial[2 * ((long)c * chunks + k)];
        sum_dy_xhat += partial[2 * ((long)c * chunks + k) + 1];
    }
    long n = (long)s.batch * s.spatial;
    means[2 * c] = sum_dy / n;
    means[2 * c + 1] = sum_dy_xhat / n;
    dgamma[c] += sum_dy_xhat;
    dbeta[c] += sum_dy;
}

__global__ static void bn_backward_dx_kernel(float *dx, const float *dout, const float *x_hat, const float *gamma,
                                             const float *var, const float *means, relnas_bn_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int c = (i / s.spatial) % s.channels;
    long j = (i / ((long)s.spatial * s.channels)) * s.spatial + i % s.spatial, at = bn_in(s, c, j);
    float k = gamma[c] * rsqrtf(var[c] + RELNAS_BN_EPS);
    dx[at] = k * (dout[bn_out(s, c, j)] - means[2 * c] - x_hat[at] * means[2 * c + 1]);
}

/* Scratch for the chunk sums: one buffer per device, reused by every call, used in order on
 * the default stream with the kernels. */
static float *bn_scratch(size_t floats)
{
    return (float *)relnas_device_scratch(RELNAS_SCRATCH_BN_SUMS, sizeof(float) * floats);
}

extern "C" void relnas_bn_forward_train_gpu(float *out, float *x_hat, float *mean, float *var,
                                            const float *x, const float *gamma, const float *beta,
                                            float *running_mean, float *running_var, relnas_bn_shape s)
{
    int chunks = bn_chunks(s);
    long n = (long)s.batch * s.channels * s.spatial;
    float *partial = bn_scratch((size_t)3 * chunks * s.channels);
    bn_stats_partial_kernel<<<dim3(chunks, s.channels), threads>>>(partial, x, s);
    check_launch();
    bn_stats_merge_kernel<<<blocks_for(s.channels), threads>>>(mean, var, running_mean, running_var, partial,
                                                              chunks, s);
    check_launch();
    bn_normalize_kernel<<<blocks_for(n), threads>>>(out, x_hat, x, mean, var, gamma, beta, s, n);
    check_launch();
}

extern "C" void relnas_bn_forward_infer_gpu(float *out, const float *x, const float *gamma,
                                            const float *beta, const float *running_mean,
                                            const float *running_var, relnas_bn_shape s)
{
    long n = (long)s.batch * s.channels * s.spatial;
    bn_infer_kernel<<<blocks_for(n), threads>>>(out, x, gamma, beta, running_mean,
                                                                       running_var, s, n);
    check_launch();
}

extern "C" void relnas_bn_backward_gpu(float *dx, float *dgamma, float *dbeta, const float *dout,
                                       const float *x_hat, const float *gamma, const float *var,
                                       relnas_bn_shape s)
{
    int chunks = bn_chunks(s);
    long n = (long)s.batch * s.channels * s.spatial;
    float *partial = bn_scratch((size_t)2 * chunks * s.channels + 2 * s.channels), *means = partial + 2 * chunks * s.channels;
    bn_backward_partial_kernel<<<dim3(chunks, s.channels), threads>>>(partial, dout, x_hat, s);
    check_launch();
    bn_backward_merge_kernel<<<blocks_for(s.channels), threads>>>(means, dgamma, dbeta, partial, chunks, s);
    check_launch();
    bn_backward_dx_kernel<<<blocks_for(n), threads>>>(dx, dout, x_hat, gamma, var, means, s, n);
    check_launch();
}
