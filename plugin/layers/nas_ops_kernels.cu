/* CUDA kernels of the plugin's ops; see nas_ops_gpu.h. Each mirrors the plain CPU function
 * of the same name, which is the reference the GPU test compares against. */
#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <stdio.h>
#include <stdlib.h>

extern "C" {
#include "nas_ops_gpu.h"
#include "tensor_layout.h"
#include "cuda.h"
}

static const int threads = 256;

static int blocks_for(long n)
{
    return (int)((n + threads - 1) / threads);
}

static void check_launch(void)
{
    check_error(cudaPeekAtLastError());
}

static void check_cublas(cublasStatus_t status)
{
    if (status != CUBLAS_STATUS_SUCCESS) {
        fprintf(stderr, "%s: cuBLAS error %d\n", __FILE__, (int)status);
        abort();
    }
}

/* ---- depthwise ------------------------------------------------------------------------ */

__device__ static float act(float x, int relu) { return relu && x < 0 ? 0.f : x; }

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

/* Scratch for the chunk sums, ordered on the default stream with the kernels (no sync). */
static float *bn_scratch(size_t floats)
{
    void *p = NULL;
    check_error(cudaMallocAsync(&p, sizeof(float) * floats, 0));
    return (float *)p;
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
    check_error(cudaFreeAsync(partial, 0));
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
    check_error(cudaFreeAsync(partial, 0));
}

/* ---- pooling -------------------------------------------------------------------------- */

__device__ static void pool_window(relnas_pool_shape s, int oy, int ox, int *y0, int *y1, int *x0, int *x1)
{
    *y0 = oy * s.stride - s.pad;
    *x0 = ox * s.stride - s.pad;
    *y1 = min(*y0 + s.size, s.h);
    *x1 = min(*x0 + s.size, s.w);
    *y0 = max(*y0, 0);
    *x0 = max(*x0, 0);
}

__global__ static void avgpool_forward_kernel(float *out, const float *in, relnas_pool_shape s, long n)
{
    long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int ox = i % s.out_w, oy = (i / s.out_w) % s.out_h;
    const float *plane = in + (i / ((long)s.out_w * s.out_h)) * s.h * s.w;
    int y0, y1, x0, x1;
    pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
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
            pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
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
    pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
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
    double *acc = NULL;
    check_error(cudaMalloc((void **)&acc, sizeof(double) * (1 + sum_squares_blocks)));
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
    check_error(cudaMemcpy(&total, acc, sizeof(double), cudaMemcpyDeviceToHost));
    check_error(cudaFree(acc));
    return total;
}
