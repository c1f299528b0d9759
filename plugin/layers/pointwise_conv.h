/* 1x1 convolution without bias over a batch, CPU, through relnas_sgemm (OpenBLAS when
 * built with it). in: per sample [c_in, spatial] at in + b * in_stride; out: per sample
 * [c_out, spatial] at out + b * out_stride; weights [c_out, c_in]. The strides let a conv
 * write into a channel slice of a larger tensor (FactorizedReduce's halves). */
#ifndef RELNAS_POINTWISE_CONV_H
#define RELNAS_POINTWISE_CONV_H

typedef struct relnas_pw_shape {
    int batch, c_in, c_out, spatial;
    long in_stride, out_stride;
} relnas_pw_shape;

/* A shape with densely packed samples. */
relnas_pw_shape relnas_pw_shape_make(int batch, int c_in, int c_out, int spatial);

/* out = weights x in (overwrites out). */
void relnas_pointwise_forward(float *out, const float *in, const float *weights, relnas_pw_shape s);

/* din = weights^T x dout (overwrites din). */
void relnas_pointwise_backward_input(float *din, const float *dout, const float *weights,
                                     relnas_pw_shape s);

/* dweights += dout x in^T, summed over the batch. */
void relnas_pointwise_backward_weights(float *dweights, const float *dout, const float *in,
                                       relnas_pw_shape s);

#endif
