/* The two memory layouts of [batch, channels, spatial] tensors inside the plugin:
 * NCHW (Darknet's: every layer's output and delta) and CNHW (channel-major across the
 * batch: the ops' internal buffers, so a 1x1 conv over the whole batch is ONE matrix
 * product [c_out, c_in] x [c_in, batch * spatial] instead of one small GEMM per sample). */
#ifndef RELNAS_TENSOR_LAYOUT_H
#define RELNAS_TENSOR_LAYOUT_H

#ifdef __CUDACC__
#define RELNAS_HOST_DEVICE __host__ __device__
#else
#define RELNAS_HOST_DEVICE
/* out (CNHW) = max(0, x (NCHW)). */
void relnas_relu_to_cnhw(float *out, const float *x, int batch, int channels, long spatial);

/* dx (NCHW) += x > 0 ? g (CNHW) : 0. */
void relnas_relu_grad_add_from_cnhw(float *dx, const float *g, const float *x, int batch,
                                    int channels, long spatial);

#endif

enum { RELNAS_NCHW = 0, RELNAS_CNHW = 1 };

/* Offset of the (b, c) plane of `spatial` values. */
static inline RELNAS_HOST_DEVICE long relnas_plane_offset(int layout, int b, int c, int batch,
                                                          int channels, long spatial)
{
    return (layout == RELNAS_CNHW ? (long)c * batch + b : (long)b * channels + c) * spatial;
}

/* out (CNHW) = max(0, x (NCHW)). */
void relnas_relu_to_cnhw(float *out, const float *x, int batch, int channels, long spatial);

/* dx (NCHW) += x > 0 ? g (CNHW) : 0. */
void relnas_relu_grad_add_from_cnhw(float *dx, const float *g, const float *x, int batch,
                                    int channels, long spatial);

#endif
