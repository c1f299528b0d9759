#include "depthwise_conv.h"

int relnas_conv_out_size(int in, int ksize, int stride, int dilation, int pad)
{
    return (in + 2 * pad - dilation * (ksize - 1) - 1) / stride + 1;
}

relnas_dw_shape relnas_dw_shape_make(int batch, int channels, int h, int w, int ksize, int stride,
                                     int dilation, int pad, int relu_input)
{
    relnas_dw_shape s = {batch, channels, h, w, ksize, stride, dilation, pad, 0, 0, relu_input};
    s.out_h = relnas_conv_out_size(h, ksize, stride, dilation, pad);
    s.out_w = relnas_conv_out_size(w, ksize, stride, dilation, pad);
    return s;
}

/* The range [*lo, *hi) of output columns whose input column ox*stride + offset is inside
 * [0, w): loops over it need no bounds checks and vectorise. */
static void valid_columns(int offset, int stride, int w, int out_w, int *lo, int *hi)
{
    int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    int last = (w - 1 - offset) < 0 ? -1 : (w - 1 - offset) / stride;
    *lo = first;
    *hi = last + 1 < out_w ? last + 1 : out_w;
    if (*hi < *lo) *hi = *lo;
}

static inline float act(float x, int relu) { return relu && x < 0 ? 0 : x; }

static void forward_plane(float *out, const float *in, const float *k, relnas_dw_shape s)
{
    for (int i = 0; i < s.out_h * s.out_w; ++i) out[i] = 0;
    for (int oy = 0; oy < s.out_h; ++oy) {
        float *orow = out + oy * s.out_w;
        for (int ky = 0; ky < s.ksize; ++ky) {
            int iy = oy * s.stride - s.pad + ky * s.dilation;
            if (iy < 0 || iy >= s.h) continue;
            const float *irow = in + iy * s.w;
            for (int kx = 0; kx < s.ksize; ++kx) {
                int offset = kx * s.dilation - s.pad, lo, hi;
                float kv = k[ky * s.ksize + kx];
                valid_columns(offset, s.stride, s.w, s.out_w, &lo, &hi);
                for (int ox = lo; ox < hi; ++ox)
                    orow[ox] += kv * act(irow[ox * s.stride + offset], s.relu_input);
            }
        }
    }
}

void relnas_depthwise_forward(float *out, const float *in, const float *weights, relnas_dw_shape s)
{
    int planes = s.batch * s.channels;
    #pragma omp parallel for schedule(static)
    for (int p = 0; p < planes; ++p) {
        int c = p % s.channels;
        forward_plane(out + (long)p * s.out_h * s.out_w, in + (long)p * s.h * s.w,
                      weights + c * s.ksize * s.ksize, s);
    }
}

static void backward_input_plane(float *din, const float *dout, const float *in, const float *k,
                                 relnas_dw_shape s)
{
    for (int oy = 0; oy < s.out_h; ++oy) {
        const float *drow = dout + oy * s.out_w;
        for (int ky = 0; ky < s.ksize; ++ky) {
            int iy = oy * s.stride - s.pad + ky * s.dilation;
            if (iy < 0 || iy >= s.h) continue;
            float *dirow = din + iy * s.w;
            const float *irow = in + iy * s.w;
            for (int kx = 0; kx < s.ksize; ++kx) {
                int offset = kx * s.dilation - s.pad, lo, hi;
                float kv = k[ky * s.ksize + kx];
                valid_columns(offset, s.stride, s.w, s.out_w, &lo, &hi);
                if (s.relu_input) {
                    for (int ox = lo; ox < hi; ++ox) {
                        int ix = ox * s.stride + offset;
                        dirow[ix] += irow[ix] > 0 ? kv * drow[ox] : 0;
                    }
                } else {
                    for (int ox = lo; ox < hi; ++ox) dirow[ox * s.stride + offset] += kv * drow[ox];
                }
            }
        }
    }
}

void relnas_depthwise_backward_input(float *din, const float *dout, const float *in,
                                     const float *weights, relnas_dw_shape s)
{
    int planes = s.batch * s.channels;
    #pragma omp parallel for schedule(static)
    for (int p = 0; p < planes; ++p) {
        int c = p % s.channels;
        backward_input_plane(din + (long)p * s.h * s.w, dout + (long)p * s.out_h * s.out_w,
                             in + (long)p * s.h * s.w, weights + c * s.ksize * s.ksize, s);
    }
}

static float weight_gradient(const float *dout, const float *in, int ky, int kx, relnas_dw_shape s)
{
    float sum = 0;
    int offset = kx * s.dilation - s.pad, lo, hi;
    valid_columns(offset, s.stride, s.w, s.out_w, &lo, &hi);
    for (int oy = 0; oy < s.out_h; ++oy) {
        int iy = oy * s.stride - s.pad + ky * s.dilation;
        if (iy < 0 || iy >= s.h) continue;
        const float *drow = dout + oy * s.out_w;
        const float *irow = in + iy * s.w + offset;
        for (int ox = lo; ox < hi; ++ox) sum += drow[ox] * act(irow[ox * s.stride], s.relu_input);
    }
    return sum;
}

void relnas_depthwise_backward_weights(float *dweights, const float *dout, const float *in,
                                       relnas_dw_shape s)
{
    int kk = s.ksize * s.ksize;
    #pragma omp parallel for schedule(static)
    for (int c = 0; c < s.channels; ++c) {
        for (int b = 0; b < s.batch; ++b) {
            long p = (long)b * s.channels + c;
            const float *dplane = dout + p * s.out_h * s.out_w;
            const float *iplane = in + p * s.h * s.w;
            for (int t = 0; t < kk; ++t)
                dweights[c * kk + t] += weight_gradient(dplane, iplane, t / s.ksize, t % s.ksize, s);
        }
    }
}
