/* Batch normalisation as PyTorch's BatchNorm2d computes it (not Darknet's): training
 * normalises by the batch's biased variance as (x - mean) / sqrt(var + eps); running
 * statistics move by `momentum` towards the batch mean and the UNBIASED batch variance;
 * inference uses the running statistics the same way. The DARTS/RelativeNAS ops are
 * defined with it, so trained PyTorch weights carry over exactly.
 * Shapes: x and x_hat [batch, channels, spatial] in the input layout, out in the output
 * layout (tensor_layout.h), per-channel vectors [channels]. */
#ifndef RELNAS_BATCH_NORM_H
#define RELNAS_BATCH_NORM_H

#define RELNAS_BN_EPS 1e-5f
#define RELNAS_BN_MOMENTUM 0.1f

typedef struct relnas_bn_shape {
    int batch, channels, spatial;
    int in_layout, out_layout; /* RELNAS_NCHW or RELNAS_CNHW */
} relnas_bn_shape;

relnas_bn_shape relnas_bn_shape_make(int batch, int channels, int spatial, int in_layout,
                                     int out_layout);

/* x_hat = normalised x (may alias x), out = gamma * x_hat + beta; writes the batch mean and
 * biased variance, and updates the running statistics. */
void relnas_bn_forward_train(float *out, float *x_hat, float *mean, float *var, const float *x,
                             const float *gamma, const float *beta, float *running_mean,
                             float *running_var, relnas_bn_shape s);

/* out = gamma * (x - running_mean) / sqrt(running_var + eps) + beta (out may alias x). */
void relnas_bn_forward_infer(float *out, const float *x, const float *gamma, const float *beta,
                             const float *running_mean, const float *running_var,
                             relnas_bn_shape s);

/* From dout, the gradient at the output (output layout): writes dx (input layout, not
 * accumulated) and adds into dgamma, dbeta. x_hat and var are what
 * relnas_bn_forward_train left. */
void relnas_bn_backward(float *dx, float *dgamma, float *dbeta, const float *dout,
                        const float *x_hat, const float *gamma, const float *var,
                        relnas_bn_shape s);

#endif
