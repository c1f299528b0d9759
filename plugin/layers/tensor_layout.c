#include "tensor_layout.h"

void relnas_relu_to_cnhw(float *out, const float *x, int batch, int channels, long spatial)
{
    #pragma omp parallel for schedule(static)
    for (int q = 0; q < batch * channels; ++q) {
        int b = q / channels, c = q % channels;
        const float *src = x + relnas_plane_offset(RELNAS_NCHW, b, c, batch, channels, spatial);
        float *dst = out + relnas_plane_offset(RELNAS_CNHW, b, c, batch, channels, spatial);
        for (long i = 0; i < spatial; ++i) dst[i] = src[i] < 0 ? 0 : src[i]; /* NaN stays NaN */
    }
}

void relnas_relu_grad_add_from_cnhw(float *dx, const float *g, const float *x, int batch,
                                    int channels, long spatial)
{
    #pragma omp parallel for schedule(static)
    for (int q = 0; q < batch * channels; ++q) {
        int b = q / channels, c = q % channels;
        long xo = relnas_plane_offset(RELNAS_NCHW, b, c, batch, channels, spatial);
        const float *src = g + relnas_plane_offset(RELNAS_CNHW, b, c, batch, channels, spatial);
        for (long i = 0; i < spatial; ++i) dx[xo + i] += x[xo + i] > 0 ? src[i] : 0;
    }
}
