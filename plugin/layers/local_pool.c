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

void relnas_maxpool_forward(float *out, int *argmax, const float *in, relnas_pool_shape s)
{
    #pragma omp parallel for schedule(static)
    for (int p = 0; p < s.batch * s.channels; ++p) {
        long base = (long)p * s.h * s.w;
        long obase = (long)p * s.out_h * s.out_w;
        for (int oy = 0; oy < s.out_h; ++oy)
            for (int ox = 0; ox < s.out_w; ++ox) {
                int y0, y1, x0, x1, best = -1;
                relnas_pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
                float max = -FLT_MAX;
                for (int y = y0; y < y1; ++y)
                    for (int x = x0; x < x1; ++x) {
                        float v = act(in[base + y * s.w + x], s.relu_input);
                        if (best < 0 || v > max) {
                            max = v;
                            best = y * s.w + x;
                        }
                    }
                out[obase + oy * s.out_w + ox] = best < 0 ? 0 : max;
                /* Through a ReLU a non-positive maximum has no gradient. */
                argmax[obase + oy * s.out_w + ox] = s.relu_input && max <= 0 ? -1 : best;
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
