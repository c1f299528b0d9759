/* CUDA versions of the plugin's op functions (depthwise_conv.h, pointwise_conv.h,
 * batch_norm.h, local_pool.h, drop_path.h and the elementwise pieces), same arguments,
 * layouts (tensor_layout.h) and accumulate/overwrite contract, on device pointers. */
#ifndef RELNAS_NAS_OPS_GPU_H
#define RELNAS_NAS_OPS_GPU_H

#ifdef GPU
#include "batch_norm.h"
#include "depthwise_conv.h"
#include "local_pool.h"
#include "pointwise_conv.h"

#ifdef __cplusplus
extern "C" {
#endif

void relnas_depthwise_forward_gpu(float *out, const float *in, const float *weights, relnas_dw_shape s);
void relnas_depthwise_backward_input_gpu(float *din, const float *dout, const float *in,
                                         const float *weights, relnas_dw_shape s);
void relnas_depthwise_backward_weights_gpu(float *dweights, const float *dout, const float *in,
                                           relnas_dw_shape s);

void relnas_pointwise_forward_gpu(float *out, const float *in, const float *weights, relnas_pw_shape s);
void relnas_pointwise_backward_input_gpu(float *din, const float *dout, const float *weights,
                                         relnas_pw_shape s);
void relnas_pointwise_backward_weights_gpu(float *dweights, const float *dout, const float *in,
                                           relnas_pw_shape s);

void relnas_bn_forward_train_gpu(float *out, float *x_hat, float *mean, float *var, const float *x,
                                 const float *gamma, const float *beta, float *running_mean,
                                 float *running_var, relnas_bn_shape s);
void relnas_bn_forward_infer_gpu(float *out, const float *x, const float *gamma, const float *beta,
                                 const float *running_mean, const float *running_var,
                                 relnas_bn_shape s);
void relnas_bn_backward_gpu(float *dx, float *dgamma, float *dbeta, const float *dout,
                            const float *x_hat, const float *gamma, const float *var,
                            relnas_bn_shape s);

void relnas_avgpool_forward_gpu(float *out, const float *in, relnas_pool_shape s);
void relnas_avgpool_backward_gpu(float *din, const float *dout, const float *in, relnas_pool_shape s);
void relnas_maxpool_forward_gpu(float *out, int *argmax, const float *in, relnas_pool_shape s);
void relnas_maxpool_backward_gpu(float *din, const float *dout, const int *argmax, relnas_pool_shape s);

/* out (CNHW) = max(0, x (NCHW)). */
void relnas_relu_to_cnhw_gpu(float *out, const float *x, int batch, int channels, long spatial);
/* dx (NCHW) += x > 0 ? g (CNHW) : 0. */
void relnas_relu_grad_add_from_cnhw_gpu(float *dx, const float *g, const float *x, int batch,
                                        int channels, long spatial);
/* x[b, :] *= scales[b]. */
void relnas_drop_path_apply_gpu(float *x, const float *scales, int batch, int sample_size);
/* sub (CNHW) [c, b, y, x] = relu(in (NCHW) [b, c, 2y + k, 2x + k]). */
void relnas_sample_relu_gpu(float *sub, const float *in, int batch, int channels, int h, int w, int k);
/* din (NCHW) [b, c, 2y + k, 2x + k] += in > 0 ? dsub (CNHW) [c, b, y, x] : 0. */
void relnas_scatter_relu_grad_gpu(float *din, const float *dsub, const float *in, int batch,
                                  int channels, int h, int w, int k);

/* Sum of squares of many device buffers with one host sync: start makes a device total
 * (0), add queues x[0..n)'s sum of squares onto it (fixed order: deterministic), finish
 * returns it and frees it. */
double *relnas_sum_squares_start_gpu(void);
void relnas_sum_squares_add_gpu(double *acc, const float *x, long n);
double relnas_sum_squares_finish_gpu(double *acc);

#ifdef __cplusplus
}
#endif
#endif

#endif
