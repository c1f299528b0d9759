#include "pointwise_conv.h"
#include "relnas_sgemm.h"

relnas_pw_shape relnas_pw_shape_make(int batch, int c_in, int c_out, int spatial)
{
    relnas_pw_shape s = {c_in, c_out, (long)batch * spatial};
    return s;
}

void relnas_pointwise_forward(float *out, const float *in, const float *weights, relnas_pw_shape s)
{
    relnas_sgemm(0, 0, s.c_out, (int)s.n, s.c_in, 1, weights, s.c_in, in, (int)s.n, 0, out, (int)s.n);
}

void relnas_pointwise_backward_input(float *din, const float *dout, const float *weights,
                                     relnas_pw_shape s)
{
    relnas_sgemm(1, 0, s.c_in, (int)s.n, s.c_out, 1, weights, s.c_in, dout, (int)s.n, 0, din, (int)s.n);
}

void relnas_pointwise_backward_weights(float *dweights, const float *dout, const float *in,
                                       relnas_pw_shape s)
{
    relnas_sgemm(0, 1, s.c_out, s.c_in, (int)s.n, 1, dout, (int)s.n, in, (int)s.n, 1, dweights, s.c_in);
}
