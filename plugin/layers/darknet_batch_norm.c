#include <math.h>
#include <string.h>
#include "darknet_batch_norm.h"

/* Channel f's plane of sample b. */
static float *plane(float *x, layer l, int b, int f)
{
    return x + ((long)b * l.out_c + f) * l.out_h * l.out_w;
}

/* Sums in Darknet's order (samples, then pixels) and precision. */
static float channel_sum(float *x, layer l, int f)
{
    int spatial = l.out_h * l.out_w;
    float sum = 0;
    for (int b = 0; b < l.batch; ++b) {
        const float *p = plane(x, l, b, f);
        for (int k = 0; k < spatial; ++k) sum += p[k];
    }
    return sum;
}

static float channel_variance(float *x, layer l, int f, float mean)
{
    int spatial = l.out_h * l.out_w;
    float scale = 1. / (l.batch * spatial - 1), var = 0;
    for (int b = 0; b < l.batch; ++b) {
        const float *p = plane(x, l, b, f);
        for (int k = 0; k < spatial; ++k) {
            float d = p[k] - mean;
            var += (double)d * d; /* Darknet: pow(d, 2), exact in double */
        }
    }
    return var * scale;
}

/* mean and variance of channel f, and Darknet's update of the rolling ones. */
static void channel_statistics(layer l, int f)
{
    float scale = 1. / (l.batch * l.out_h * l.out_w);
    l.mean[f] = channel_sum(l.output, l, f) * scale;
    l.variance[f] = channel_variance(l.output, l, f, l.mean[f]);
    float m = l.bn_momentum > 0 ? l.bn_momentum : .01; /* patch 0008: bn_momentum= */
    l.rolling_mean[f] *= 1 - m;
    l.rolling_mean[f] += m * l.mean[f];
    l.rolling_variance[f] *= 1 - m;
    l.rolling_variance[f] += m * l.variance[f];
}

void relnas_darknet_bn_forward(layer l, network net)
{
    int spatial = l.out_h * l.out_w;
    #pragma omp parallel for schedule(static)
    for (int f = 0; f < l.out_c; ++f) {
        for (int b = 0; b < l.batch; ++b) memcpy(plane(l.x, l, b, f), plane(l.output, l, b, f), sizeof(float) * spatial);
        if (net.train) channel_statistics(l, f);
        float mean = net.train ? l.mean[f] : l.rolling_mean[f];
        float sd = sqrtf((net.train ? l.variance[f] : l.rolling_variance[f]) + .00001f);
        for (int b = 0; b < l.batch; ++b) {
            float *p = plane(l.output, l, b, f), *n = plane(l.x_norm, l, b, f);
            for (int k = 0; k < spatial; ++k) {
                p[k] = (p[k] - mean) / sd;
                if (net.train) n[k] = p[k];
                p[k] *= l.scales[f];
                p[k] += l.biases[f];
            }
        }
    }
}

/* Darknet's backward_bias and backward_scale_cpu for channel f: the bias gradient adds one
 * sum per plane, the scale gradient one sum over the channel. */
static void channel_parameter_gradients(layer l, int f)
{
    int spatial = l.out_h * l.out_w;
    float scale_sum = 0;
    for (int b = 0; b < l.batch; ++b) {
        const float *d = plane(l.delta, l, b, f), *n = plane(l.x_norm, l, b, f);
        float plane_sum = 0;
        for (int k = 0; k < spatial; ++k) plane_sum += d[k];
        l.bias_updates[f] += plane_sum;
        for (int k = 0; k < spatial; ++k) scale_sum += d[k] * n[k];
    }
    l.scale_updates[f] += scale_sum;
}

void relnas_darknet_bn_backward(layer l, network net)
{
    float *mean = net.train ? l.mean : l.rolling_mean, *variance = net.train ? l.variance : l.rolling_variance;
    int spatial = l.out_h * l.out_w, count = l.batch * spatial;
    #pragma omp parallel for schedule(static)
    for (int f = 0; f < l.out_c; ++f) {
        channel_parameter_gradients(l, f);
        for (int b = 0; b < l.batch; ++b) {
            float *d = plane(l.delta, l, b, f);
            for (int k = 0; k < spatial; ++k) d[k] *= l.scales[f];
        }
        float mean_delta = channel_sum(l.delta, l, f), variance_delta = 0;
        mean_delta *= (-1. / sqrt(variance[f] + .00001f));
        for (int b = 0; b < l.batch; ++b) {
            const float *d = plane(l.delta, l, b, f), *x = plane(l.x, l, b, f);
            for (int k = 0; k < spatial; ++k) variance_delta += d[k] * (x[k] - mean[f]);
        }
        variance_delta *= -.5 * pow(variance[f] + .00001f, (float)(-3. / 2.));
        l.mean_delta[f] = mean_delta; /* kept, as Darknet keeps them */
        l.variance_delta[f] = variance_delta;
        double sd = sqrt(variance[f] + .00001f), vd2 = variance_delta * 2.;
        float md = mean_delta / count;
        for (int b = 0; b < l.batch; ++b) {
            float *d = plane(l.delta, l, b, f);
            const float *x = plane(l.x, l, b, f);
            for (int k = 0; k < spatial; ++k) d[k] = d[k] * 1. / sd + vd2 * (x[k] - mean[f]) / count + md;
        }
    }
}
