#include <stdlib.h>
#include <string.h>
#include "depthwise_conv.h"
#include "relnas_check.h"
#include "tensor_layout.h"

int relnas_conv_out_size(int in, int ksize, int stride, int dilation, int pad)
{
    return (in + 2 * pad - dilation * (ksize - 1) - 1) / stride + 1;
}

relnas_dw_shape relnas_dw_shape_make(int batch, int channels, int h, int w, int ksize, int stride,
                                     int dilation, int pad, int relu_input)
{
    relnas_dw_shape s = {batch, channels, h, w, ksize, stride, dilation, pad, 0, 0, relu_input,
                         RELNAS_NCHW, RELNAS_CNHW};
    s.out_h = relnas_conv_out_size(h, ksize, stride, dilation, pad);
    s.out_w = relnas_conv_out_size(w, ksize, stride, dilation, pad);
    return s;
}

/* Planes are copied into a zero-bordered scratch plane (through the ReLU), so the inner
 * loops run over output columns with no bounds checks and vectorise; on small planes
 * (8x8 in the search network) the checks otherwise cost more than the arithmetic. */
typedef struct padded {
    int pw, ph;  /* padded width and height */
    float *data;
} padded;

/* Stride-2 vector loads read 8 floats past the last one they use: room for them. */
#define LOAD_SLACK 16

static padded padded_alloc(int pw, int ph)
{
    padded p = {pw, ph, NULL};
    p.data = RELNAS_CALLOC((size_t)pw * ph + LOAD_SLACK, sizeof(float));
    return p;
}

static padded padded_input(relnas_dw_shape s)
{
    return padded_alloc(s.w + 2 * s.pad, s.h + 2 * s.pad);
}

static void padded_fill(padded p, const float *plane, relnas_dw_shape s)
{
    for (int y = 0; y < s.h; ++y) {
        float *row = p.data + (long)(y + s.pad) * p.pw + s.pad;
        const float *src = plane + (long)y * s.w;
        if (s.relu_input)
            for (int x = 0; x < s.w; ++x) row[x] = src[x] < 0 ? 0 : src[x]; /* NaN stays NaN */
        else
            memcpy(row, src, sizeof(float) * s.w);
    }
}

static long in_plane(relnas_dw_shape s, int b, int c)
{
    return relnas_plane_offset(s.in_layout, b, c, s.batch, s.channels, (long)s.h * s.w);
}

static long out_plane(relnas_dw_shape s, int b, int c)
{
    return relnas_plane_offset(s.out_layout, b, c, s.batch, s.channels, (long)s.out_h * s.out_w);
}

/* Hot loops are compiled twice, for AVX2 and for any x86-64, and picked at load time. */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define RELNAS_HOT __attribute__((target_clones("avx2", "default")))
#else
#define RELNAS_HOT
#endif

/* Output columns are computed BLOCK at a time in a vector register across all K x K taps,
 * so each output value is stored once instead of once per tap. GCC's vector extension
 * makes that explicit (the auto-vectoriser kept the block in memory). */
/* The 8-wide loads are macros: clang refuses even an inlined function returning an AVX
 * vector in the clone built for any x86-64. */
#pragma GCC diagnostic ignored "-Wpsabi"
#define BLOCK 8
typedef float v8sf __attribute__((vector_size(BLOCK * sizeof(float))));

#define load8(p) ({ v8sf v_; memcpy(&v_, (p), sizeof(v_)); v_; })

/* base[0], base[stride], ... base[7 * stride] for stride 1 and 2. */
#define load8_strided(p, stride)                                                               \
    ((stride) == 1 ? load8(p)                                                                  \
                   : __builtin_shufflevector(load8(p), load8((p) + BLOCK), 0, 2, 4, 6, 8, 10, 12, 14))

typedef float v4sf __attribute__((vector_size(4 * sizeof(float))));

/* p[0], p[stride], p[2 * stride], p[3 * stride] for stride 1 and 2. */
static inline v4sf load4_strided(const float *p, int stride)
{
    v4sf lo, hi;
    memcpy(&lo, p, sizeof(lo));
    if (stride == 1) return lo;
    memcpy(&hi, p + 4, sizeof(hi));
    return __builtin_shufflevector(lo, hi, 0, 2, 4, 6);
}

/* One output row: out[ox] = sum over taps of k * p[row(ky)][ox * stride + kx * dilation].
 * Blocks of 8, then of 4 (the 4x4 maps of reduction cells), then single columns. */
static inline void conv_row(float *orow, const float *prow0, long row_step, const float *k,
                            int ksize, int dilation, int stride, int out_w)
{
    int x0 = 0;
    if (stride <= 2)
        for (; x0 + BLOCK <= out_w; x0 += BLOCK) {
            v8sf acc = {0};
            for (int ky = 0; ky < ksize; ++ky) {
                const float *prow = prow0 + ky * row_step + (long)x0 * stride;
                for (int kx = 0; kx < ksize; ++kx)
                    acc += k[ky * ksize + kx] * load8_strided(prow + kx * dilation, stride);
            }
            memcpy(orow + x0, &acc, sizeof(acc));
        }
    if (stride <= 2)
        for (; x0 + 4 <= out_w; x0 += 4) {
            v4sf acc = {0};
            for (int ky = 0; ky < ksize; ++ky) {
                const float *prow = prow0 + ky * row_step + (long)x0 * stride;
                for (int kx = 0; kx < ksize; ++kx)
                    acc += k[ky * ksize + kx] * load4_strided(prow + kx * dilation, stride);
            }
            memcpy(orow + x0, &acc, sizeof(acc));
        }
    for (; x0 < out_w; ++x0) {
        float sum = 0;
        for (int ky = 0; ky < ksize; ++ky)
            for (int kx = 0; kx < ksize; ++kx)
                sum += k[ky * ksize + kx] * prow0[ky * row_step + (long)x0 * stride + kx * dilation];
        orow[x0] = sum;
    }
}

RELNAS_HOT
static void forward_plane(float *out, padded p, const float *k, relnas_dw_shape s)
{
    for (int oy = 0; oy < s.out_h; ++oy)
        conv_row(out + oy * s.out_w, p.data + (long)oy * s.stride * p.pw,
                 (long)s.dilation * p.pw, k, s.ksize, s.dilation, s.stride, s.out_w);
}

void relnas_depthwise_forward(float *out, const float *in, const float *weights, relnas_dw_shape s)
{
    #pragma omp parallel
    {
        padded p = padded_input(s);
        #pragma omp for schedule(static)
        for (int q = 0; q < s.batch * s.channels; ++q) {
            int b = q / s.channels, c = q % s.channels;
            padded_fill(p, in + in_plane(s, b, c), s);
            forward_plane(out + out_plane(s, b, c), p, weights + c * s.ksize * s.ksize, s);
        }
        free(p.data);
    }
}

/* Stride 1: the input gradient is a convolution of the output gradient, zero-bordered by
 * (K-1)*dilation, with the flipped kernel; computed row by row like the forward pass. */
RELNAS_HOT
static void backward_plane_stride1(float *din, const float *dout, const float *x, const float *k,
                                   relnas_dw_shape s, padded q, float *row)
{
    int border = (s.ksize - 1) * s.dilation, kk = s.ksize * s.ksize;
    float flipped[RELNAS_DW_MAX_KERNEL * RELNAS_DW_MAX_KERNEL];
    for (int t = 0; t < kk; ++t) flipped[t] = k[kk - 1 - t];
    memset(q.data, 0, sizeof(float) * q.pw * q.ph);
    for (int oy = 0; oy < s.out_h; ++oy)
        memcpy(q.data + (long)(oy + border) * q.pw + border, dout + (long)oy * s.out_w,
               sizeof(float) * s.out_w);
    for (int iy = 0; iy < s.h; ++iy) {
        conv_row(row, q.data + (long)(iy + s.pad) * q.pw + s.pad, (long)s.dilation * q.pw, flipped,
                 s.ksize, s.dilation, 1, s.w);
        float *d = din + (long)iy * s.w;
        const float *xi = x + (long)iy * s.w;
        if (s.relu_input)
            for (int i = 0; i < s.w; ++i) d[i] += xi[i] > 0 ? row[i] : 0;
        else
            for (int i = 0; i < s.w; ++i) d[i] += row[i];
    }
}

/* Other strides: scatter into a zero-bordered gradient plane, keep its interior. */
static void backward_plane_strided(float *din, const float *dout, const float *x, const float *k,
                                   relnas_dw_shape s, padded dp)
{
    memset(dp.data, 0, sizeof(float) * dp.pw * dp.ph);
    for (int oy = 0; oy < s.out_h; ++oy) {
        const float *drow = dout + oy * s.out_w;
        for (int ky = 0; ky < s.ksize; ++ky) {
            float *prow = dp.data + (long)(oy * s.stride + ky * s.dilation) * dp.pw;
            for (int kx = 0; kx < s.ksize; ++kx) {
                float *base = prow + kx * s.dilation, kv = k[ky * s.ksize + kx];
                for (int ox = 0; ox < s.out_w; ++ox) base[ox * s.stride] += kv * drow[ox];
            }
        }
    }
    for (int y = 0; y < s.h; ++y) {
        const float *g = dp.data + (long)(y + s.pad) * dp.pw + s.pad;
        float *d = din + (long)y * s.w;
        const float *xi = x + (long)y * s.w;
        if (s.relu_input)
            for (int i = 0; i < s.w; ++i) d[i] += xi[i] > 0 ? g[i] : 0;
        else
            for (int i = 0; i < s.w; ++i) d[i] += g[i];
    }
}

void relnas_depthwise_backward_input(float *din, const float *dout, const float *in,
                                     const float *weights, relnas_dw_shape s)
{
    RELNAS_ASSERT(s.ksize <= RELNAS_DW_MAX_KERNEL);
    int border = (s.ksize - 1) * s.dilation;
    #pragma omp parallel
    {
        padded scratch = padded_input(s);
        padded q = padded_alloc(s.out_w + 2 * border, s.out_h + 2 * border);
        float *row = RELNAS_CALLOC((size_t)s.w, sizeof(float));
        #pragma omp for schedule(static)
        for (int p = 0; p < s.batch * s.channels; ++p) {
            int b = p / s.channels, c = p % s.channels;
            const float *k = weights + c * s.ksize * s.ksize, *g = dout + out_plane(s, b, c);
            long ip = in_plane(s, b, c);
            if (s.stride == 1)
                backward_plane_stride1(din + ip, g, in + ip, k, s, q, row);
            else
                backward_plane_strided(din + ip, g, in + ip, k, s, scratch);
        }
        free(scratch.data);
        free(q.data);
        free(row);
    }
}

/* dk[tap] += sum over the plane of dout[oy][ox] * p[oy * stride + ky * d][ox * stride + kx * d]
 * for all taps in one pass over dout, with a vector of partial sums per tap. */
RELNAS_HOT
static void weight_gradient_plane(float *dk, const float *dout, padded p, relnas_dw_shape s)
{
    int kk = s.ksize * s.ksize;
    v8sf acc[RELNAS_DW_MAX_KERNEL * RELNAS_DW_MAX_KERNEL];
    v4sf acc4[RELNAS_DW_MAX_KERNEL * RELNAS_DW_MAX_KERNEL];
    float tail[RELNAS_DW_MAX_KERNEL * RELNAS_DW_MAX_KERNEL];
    for (int t = 0; t < kk; ++t) {
        acc[t] = (v8sf){0};
        acc4[t] = (v4sf){0};
        tail[t] = 0;
    }
    for (int oy = 0; oy < s.out_h; ++oy) {
        const float *drow = dout + oy * s.out_w;
        const float *prow = p.data + (long)oy * s.stride * p.pw;
        int ox = 0;
        if (s.stride <= 2)
            for (; ox + BLOCK <= s.out_w; ox += BLOCK) {
                v8sf d = load8(drow + ox);
                for (int ky = 0; ky < s.ksize; ++ky)
                    for (int kx = 0; kx < s.ksize; ++kx)
                        acc[ky * s.ksize + kx] +=
                            d * load8_strided(prow + (long)ky * s.dilation * p.pw + kx * s.dilation +
                                                  (long)ox * s.stride, s.stride);
            }
        if (s.stride <= 2)
            for (; ox + 4 <= s.out_w; ox += 4) {
                v4sf d;
                memcpy(&d, drow + ox, sizeof(d));
                for (int ky = 0; ky < s.ksize; ++ky)
                    for (int kx = 0; kx < s.ksize; ++kx)
                        acc4[ky * s.ksize + kx] +=
                            d * load4_strided(prow + (long)ky * s.dilation * p.pw + kx * s.dilation +
                                                  (long)ox * s.stride, s.stride);
            }
        for (; ox < s.out_w; ++ox)
            for (int ky = 0; ky < s.ksize; ++ky)
                for (int kx = 0; kx < s.ksize; ++kx)
                    tail[ky * s.ksize + kx] += drow[ox] * prow[(long)ky * s.dilation * p.pw +
                                                                kx * s.dilation + (long)ox * s.stride];
    }
    for (int t = 0; t < kk; ++t) {
        float sum = tail[t];
        for (int i = 0; i < BLOCK; ++i) sum += acc[t][i];
        for (int i = 0; i < 4; ++i) sum += acc4[t][i];
        dk[t] += sum;
    }
}

void relnas_depthwise_backward_weights(float *dweights, const float *dout, const float *in,
                                       relnas_dw_shape s)
{
    RELNAS_ASSERT(s.ksize <= RELNAS_DW_MAX_KERNEL);
    int kk = s.ksize * s.ksize;
    #pragma omp parallel
    {
        padded p = padded_input(s);
        #pragma omp for schedule(static)
        for (int c = 0; c < s.channels; ++c) {
            for (int b = 0; b < s.batch; ++b) {
                padded_fill(p, in + in_plane(s, b, c), s);
                weight_gradient_plane(dweights + c * kk, dout + out_plane(s, b, c), p, s);
            }
        }
        free(p.data);
    }
}
