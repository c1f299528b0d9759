/* 1x1 convolution without bias over a whole batch as one matrix product, CPU, through
 * relnas_sgemm (OpenBLAS when built with it). Tensors are CNHW (tensor_layout.h):
 * in [c_in, n], out [c_out, n] with n = batch * spatial; weights [c_out, c_in]. */
#ifndef RELNAS_POINTWISE_CONV_H
#define RELNAS_POINTWISE_CONV_H

typedef struct relnas_pw_shape {
    int c_in, c_out;
    long n; /* batch * spatial */
} relnas_pw_shape;

relnas_pw_shape relnas_pw_shape_make(int batch, int c_in, int c_out, int spatial);

/* out = weights x in (overwrites out). */
void relnas_pointwise_forward(float *out, const float *in, const float *weights, relnas_pw_shape s);

/* din = weights^T x dout (overwrites din). */
void relnas_pointwise_backward_input(float *din, const float *dout, const float *weights,
                                     relnas_pw_shape s);

/* dweights += dout x in^T. */
void relnas_pointwise_backward_weights(float *dweights, const float *dout, const float *in,
                                       relnas_pw_shape s);

#endif
