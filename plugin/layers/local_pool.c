#include <float.h>
#include "local_pool.h"

relnas_pool_shape relnas_pool_shape_make(int batch, int channels, int h, int w, int size,
                                         int stride, int pad, int relu_input)
{
    relnas_pool_shape s = {batch, channels, h, w, size, stride, pad, 0, 0, relu_input};
    s.out_h = (h + 2 * pad - size) / stride + 1;
    s.out_w = (w + 2 * pad - size) / stride + 1;
    return s;
}

static inline float act(float x, int relu) { return relu && x < 0 ? 0 : x; }

/* Output (oy, ox) by its clipped window: the first maximum in row-major order wins; a NaN
 * there stays (nothing compares greater). */
static void max_one(float *out, int *argmax, const float *in, relnas_pool_shape s, int oy, int ox)
{
    int y0, y1, x0, x1, best = -1;
    relnas_pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
    float max = -FLT_MAX;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            float v = act(in[y * s.w + x], s.relu_input);
            if (best < 0 || v > max) {
                max = v;
                best = y * s.w + x;
            }
        }
    out[ox] = best < 0 ? 0 : max;
    /* Through a ReLU a non-positive maximum has no gradient. */
    argmax[ox] = s.relu_input && max <= 0 ? -1 : best;
}

/* Outputs [lo, hi) of a row whose windows lie whole inside the input, the same rule tap by tap
 * across the run of columns (no clipping, and the compiler vectorises the inner loop). */
static void max_run_inside(float *out, int *argmax, const float *in, relnas_pool_shape s, int oy, int lo,
                           int hi)
{
    int y0 = oy * s.stride - s.pad;
    for (int ky = 0; ky < s.size; ++ky)
        for (int kx = 0; kx < s.size; ++kx) {
            int first = ky == 0 && kx == 0, at = (y0 + ky) * s.w + kx - s.pad;
            for (int ox = lo; ox < hi; ++ox) { /* both stores unconditional: if-converted */
                int i = at + ox * s.stride;
                float v = act(in[i], s.relu_input);
                int take = first | (v > out[ox]);
                out[ox] = take ? v : out[ox];
                argmax[ox] = take ? i : argmax[ox];
            }
        }
    if (s.relu_input)
        for (int ox = lo; ox < hi; ++ox)
            if (out[ox] <= 0) argmax[ox] = -1;
}

/* The first output index whose window starts inside, and the end of those that also end inside. */
static void inside_range(int in, int size, int stride, int pad, int outs, int *lo, int *hi)
{
    *lo = (pad + stride - 1) / stride;
    *hi = in - size + pad >= 0 ? (in - size + pad) / stride + 1 : 0;
    if (*hi > outs) *hi = outs;
    if (*lo > *hi) *lo = *hi;
}

void relnas_maxpool_forward(float *out, int *argmax, const float *in, relnas_pool_shape s)
{
    int ylo, yhi, xlo, xhi;
    inside_range(s.h, s.size, s.stride, s.pad, s.out_h, &ylo, &yhi);
    inside_range(s.w, s.size, s.stride, s.pad, s.out_w, &xlo, &xhi);
    #pragma omp parallel for schedule(static)
    for (int p = 0; p < s.batch * s.channels; ++p) {
        const float *plane = in + (long)p * s.h * s.w;
        for (int oy = 0; oy < s.out_h; ++oy) {
            long o = (long)p * s.out_h * s.out_w + (long)oy * s.out_w;
            int inside = oy >= ylo && oy < yhi, lo = inside ? xlo : s.out_w, hi = inside ? xhi : s.out_w;
            for (int ox = 0; ox < lo; ++ox) max_one(out + o, argmax + o, plane, s, oy, ox);
            max_run_inside(out + o, argmax + o, plane, s, oy, lo, hi);
            for (int ox = hi; ox < s.out_w; ++ox) max_one(out + o, argmax + o, plane, s, oy, ox);
        }
    }
}

void relnas_maxpool_backward(float *din, const float *dout, const int *argmax, relnas_pool_shape s)
{
    /* Windows overlap, so samples-and-channels planes are the unit of parallel work. */
    #pragma omp parallel for schedule(static)
    for (int p = 0; p < s.batch * s.channels; ++p) {
        long base = (long)p * s.h * s.w;
        long obase = (long)p * s.out_h * s.out_w;
        for (int o = 0; o < s.out_h * s.out_w; ++o)
            if (argmax[obase + o] >= 0) din[base + argmax[obase + o]] += dout[obase + o];
    }
}
