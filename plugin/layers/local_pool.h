/* Local pooling shapes, and max pooling on the CPU, NCHW, any size, stride and padding:
 * padded cells never win. With relu_input the input is read through max(0, x). (Average
 * pooling on the CPU is a depthwise conv with ones, see nas_pool_layer.c; the GPU kernels
 * in local_pool_kernels.cu do both.) */
#ifndef RELNAS_LOCAL_POOL_H
#define RELNAS_LOCAL_POOL_H

typedef struct relnas_pool_shape {
    int batch, channels, h, w;
    int size, stride, pad; /* pad on each side */
    int out_h, out_w;
    int relu_input;
} relnas_pool_shape;

/* nvcc compiles relnas_pool_window for the GPU kernels too: one rule for both. */
#ifdef __CUDACC__
#define RELNAS_POOL_HD __host__ __device__
#else
#define RELNAS_POOL_HD
#endif

/* The window of output (oy, ox) clipped to the input: rows [*y0, *y1), columns [*x0, *x1);
 * empty where it lies in the padding. */
static inline RELNAS_POOL_HD void relnas_pool_window(relnas_pool_shape s, int oy, int ox, int *y0, int *y1,
                                                     int *x0, int *x1)
{
    *y0 = oy * s.stride - s.pad;
    *x0 = ox * s.stride - s.pad;
    *y1 = *y0 + s.size < s.h ? *y0 + s.size : s.h;
    *x1 = *x0 + s.size < s.w ? *x0 + s.size : s.w;
    if (*y0 < 0) *y0 = 0;
    if (*x0 < 0) *x0 = 0;
}

/* Fills out_h and out_w from the other fields. */
relnas_pool_shape relnas_pool_shape_make(int batch, int channels, int h, int w, int size,
                                         int stride, int pad, int relu_input);

/* out = maximum over each window; argmax gets the input offset of each maximum. */
void relnas_maxpool_forward(float *out, int *argmax, const float *in, relnas_pool_shape s);

/* din[argmax] += dout. */
void relnas_maxpool_backward(float *din, const float *dout, const int *argmax, relnas_pool_shape s);

#endif
