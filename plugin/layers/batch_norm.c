#include <math.h>
#include "batch_norm.h"
#include "tensor_layout.h"

relnas_bn_shape relnas_bn_shape_make(int batch, int channels, int spatial, int in_layout,
                                     int out_layout)
{
    relnas_bn_shape s = {batch, channels, spatial, in_layout, out_layout};
    return s;
}

static long in_plane(relnas_bn_shape s, int b, int c)
{
    return relnas_plane_offset(s.in_layout, b, c, s.batch, s.channels, s.spatial);
}

static long out_plane(relnas_bn_shape s, int b, int c)
{
    return relnas_plane_offset(s.out_layout, b, c, s.batch, s.channels, s.spatial);
}

/* Sums with 8 partial sums: vectorises without reassociating float math. */
static float plane_sum(const float *p, long n)
{
    float acc[8] = {0};
    long i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) acc[k] += p[i + k];
    float sum = 0;
    for (; i < n; ++i) sum += p[i];
    for (int k = 0; k < 8; ++k) sum += acc[k];
    return sum;
}

static float plane_squared_deviation(const float *p, long n, float mean)
{
    float acc[8] = {0};
    long i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) acc[k] += (p[i + k] - mean) * (p[i + k] - mean);
    float sum = 0;
    for (; i < n; ++i) sum += (p[i] - mean) * (p[i] - mean);
    for (int k = 0; k < 8; ++k) sum += acc[k];
    return sum;
}

/* Mean and biased variance of channel c, in two passes (the second around the mean). */
static void channel_moments(double *mean, double *var, const float *x, relnas_bn_shape s, int c)
{
    double sum = 0, sq = 0;
    for (int b = 0; b < s.batch; ++b) sum += plane_sum(x + in_plane(s, b, c), s.spatial);
    long n = (long)s.batch * s.spatial;
    *mean = sum / n;
    for (int b = 0; b < s.batch; ++b)
        sq += plane_squared_deviation(x + in_plane(s, b, c), s.spatial, (float)*mean);
    *var = sq / n;
}

/* sum of dout and of dout * x_hat over one plane, with partial sums as above. */
static void plane_grad_sums(const float *dout, const float *x_hat, long n, double *sum_dy,
                            double *sum_dy_xhat)
{
    float a[8] = {0}, b[8] = {0};
    long i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k) {
            a[k] += dout[i + k];
            b[k] += dout[i + k] * x_hat[i + k];
        }
    float sa = 0, sb = 0;
    for (; i < n; ++i) {
        sa += dout[i];
        sb += dout[i] * x_hat[i];
    }
    for (int k = 0; k < 8; ++k) {
        sa += a[k];
        sb += b[k];
    }
    *sum_dy += sa;
    *sum_dy_xhat += sb;
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
        float inv_std = 1.0f / sqrtf((float)v + RELNAS_BN_EPS), fm = (float)m;
        for (int b = 0; b < s.batch; ++b) {
            long ip = in_plane(s, b, c), op = out_plane(s, b, c);
            for (int i = 0; i < s.spatial; ++i) {
                float xh = (x[ip + i] - fm) * inv_std;
                x_hat[ip + i] = xh;
                out[op + i] = gamma[c] * xh + beta[c];
            }
        }
        double unbiased = n > 1 ? v * n / (n - 1) : v;
        running_mean[c] = (1 - RELNAS_BN_MOMENTUM) * running_mean[c] + RELNAS_BN_MOMENTUM * fm;
        running_var[c] = (1 - RELNAS_BN_MOMENTUM) * running_var[c] + RELNAS_BN_MOMENTUM * (float)unbiased;
    }
}

void relnas_bn_forward_infer(float *out, const float *x, const float *gamma, const float *beta,
                             const float *running_mean, const float *running_var,
                             relnas_bn_shape s)
{
    #pragma omp parallel for schedule(static)
    for (int q = 0; q < s.batch * s.channels; ++q) {
        int b = q / s.channels, c = q % s.channels;
        float scale = gamma[c] / sqrtf(running_var[c] + RELNAS_BN_EPS);
        float shift = beta[c] - running_mean[c] * scale;
        long ip = in_plane(s, b, c), op = out_plane(s, b, c);
        for (int i = 0; i < s.spatial; ++i) out[op + i] = x[ip + i] * scale + shift;
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
        for (int b = 0; b < s.batch; ++b)
            plane_grad_sums(dout + out_plane(s, b, c), x_hat + in_plane(s, b, c), s.spatial,
                            &sum_dy, &sum_dy_xhat);
        dgamma[c] += (float)sum_dy_xhat;
        dbeta[c] += (float)sum_dy;
        float k = gamma[c] / sqrtf(var[c] + RELNAS_BN_EPS);
        float mean_dy = (float)(sum_dy / n), mean_dy_xhat = (float)(sum_dy_xhat / n);
        for (int b = 0; b < s.batch; ++b) {
            long ip = in_plane(s, b, c), op = out_plane(s, b, c);
            for (int i = 0; i < s.spatial; ++i)
                dx[ip + i] = k * (dout[op + i] - mean_dy - x_hat[ip + i] * mean_dy_xhat);
        }
    }
}
