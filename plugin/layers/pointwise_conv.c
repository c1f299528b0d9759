#include "pointwise_conv.h"
#include "relnas_sgemm.h"

relnas_pw_shape relnas_pw_shape_make(int batch, int c_in, int c_out, int spatial)
{
    relnas_pw_shape s = {batch, c_in, c_out, spatial, (long)c_in * spatial, (long)c_out * spatial};
    return s;
}

void relnas_pointwise_forward(float *out, const float *in, const float *weights, relnas_pw_shape s)
{
    for (int b = 0; b < s.batch; ++b)
        relnas_sgemm(0, 0, s.c_out, s.spatial, s.c_in, 1, weights, s.c_in, in + b * s.in_stride,
                     s.spatial, 0, out + b * s.out_stride, s.spatial);
}

void relnas_pointwise_backward_input(float *din, const float *dout, const float *weights,
                                     relnas_pw_shape s)
{
    for (int b = 0; b < s.batch; ++b)
        relnas_sgemm(1, 0, s.c_in, s.spatial, s.c_out, 1, weights, s.c_in,
                     dout + b * s.out_stride, s.spatial, 0, din + b * s.in_stride, s.spatial);
}

void relnas_pointwise_backward_weights(float *dweights, const float *dout, const float *in,
                                       relnas_pw_shape s)
{
    for (int b = 0; b < s.batch; ++b)
        relnas_sgemm(0, 1, s.c_out, s.c_in, s.spatial, 1, dout + b * s.out_stride, s.spatial,
                     in + b * s.in_stride, s.spatial, 1, dweights, s.c_in);
}
