#include <math.h>
#include "batch_norm.h"

static const float *channel_plane(const float *x, relnas_bn_shape s, int b, int c)
{
    return x + ((long)b * s.channels + c) * s.spatial;
}

static void channel_moments(double *mean, double *var, const float *x, relnas_bn_shape s, int c)
{
    double sum = 0, sumsq = 0;
    for (int b = 0; b < s.batch; ++b) {
        const float *p = channel_plane(x, s, b, c);
        for (int i = 0; i < s.spatial; ++i) {
            sum += p[i];
            sumsq += (double)p[i] * p[i];
        }
    }
    long n = (long)s.batch * s.spatial;
    *mean = sum / n;
    *var = sumsq / n - *mean * *mean;
    if (*var < 0) *var = 0;
}

void relnas_bn_forward_train(float *out, float *x_hat, float *mean, float *var, const float *x,
                             const float *gamma, const float *beta, float *running_mean,
                             float *running_var, relnas_bn_shape s)
{
    long n = (long)s.batch * s.spatial;
    #pragma omp parallel for schedule(static)
    for (int c = 0; c < s.channels; ++c) {
        double m, v;
        channel_moments(&m, &v, x, s, c);
        mean[c] = (float)m;
        var[c] = (float)v;
        float inv_std = 1.0f / sqrtf((float)v + RELNAS_BN_EPS);
        for (int b = 0; b < s.batch; ++b) {
            long off = ((long)b * s.channels + c) * s.spatial;
            for (int i = 0; i < s.spatial; ++i) {
                float xh = (x[off + i] - (float)m) * inv_std;
                x_hat[off + i] = xh;
                out[off + i] = gamma[c] * xh + beta[c];
            }
        }
        double unbiased = n > 1 ? v * n / (n - 1) : v;
        running_mean[c] = (1 - RELNAS_BN_MOMENTUM) * running_mean[c] + RELNAS_BN_MOMENTUM * (float)m;
        running_var[c] = (1 - RELNAS_BN_MOMENTUM) * running_var[c] + RELNAS_BN_MOMENTUM * (float)unbiased;
    }
}

void relnas_bn_forward_infer(float *out, const float *x, const float *gamma, const float *beta,
                             const float *running_mean, const float *running_var,
                             relnas_bn_shape s)
{
    #pragma omp parallel for schedule(static)
    for (int p = 0; p < s.batch * s.channels; ++p) {
        int c = p % s.channels;
        float scale = gamma[c] / sqrtf(running_var[c] + RELNAS_BN_EPS);
        float shift = beta[c] - running_mean[c] * scale;
        long off = (long)p * s.spatial;
        for (int i = 0; i < s.spatial; ++i) out[off + i] = x[off + i] * scale + shift;
    }
}

void relnas_bn_backward(float *dx, float *dgamma, float *dbeta, const float *dout,
                        const float *x_hat, const float *gamma, const float *var,
                        relnas_bn_shape s)
{
    long n = (long)s.batch * s.spatial;
    #pragma omp parallel for schedule(static)
    for (int c = 0; c < s.channels; ++c) {
        double sum_dy = 0, sum_dy_xhat = 0;
        for (int b = 0; b < s.batch; ++b) {
            long off = ((long)b * s.channels + c) * s.spatial;
            for (int i = 0; i < s.spatial; ++i) {
                sum_dy += dout[off + i];
                sum_dy_xhat += (double)dout[off + i] * x_hat[off + i];
            }
        }
        dgamma[c] += (float)sum_dy_xhat;
        dbeta[c] += (float)sum_dy;
        float k = gamma[c] / sqrtf(var[c] + RELNAS_BN_EPS);
        float mean_dy = (float)(sum_dy / n), mean_dy_xhat = (float)(sum_dy_xhat / n);
        for (int b = 0; b < s.batch; ++b) {
            long off = ((long)b * s.channels + c) * s.spatial;
            for (int i = 0; i < s.spatial; ++i)
                dx[off + i] = k * (dout[off + i] - mean_dy - x_hat[off + i] * mean_dy_xhat);
        }
    }
}
