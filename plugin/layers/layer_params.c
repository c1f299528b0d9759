#include <math.h>
#include "layer_params.h"
#include "blas.h"
#include "cuda.h"
#include "relnas_check.h"
#include "utils.h"

void relnas_params_alloc(layer *l, int nweights, int nbn)
{
    l->nweights = nweights;
    l->nbiases = nbn;
    l->weights = RELNAS_CALLOC(nweights, sizeof(float));
    l->weight_updates = RELNAS_CALLOC(nweights, sizeof(float));
    l->scales = RELNAS_CALLOC(nbn, sizeof(float));
    l->scale_updates = RELNAS_CALLOC(nbn, sizeof(float));
    l->biases = RELNAS_CALLOC(nbn, sizeof(float));
    l->bias_updates = RELNAS_CALLOC(nbn, sizeof(float));
    l->rolling_mean = RELNAS_CALLOC(nbn, sizeof(float));
    l->rolling_variance = RELNAS_CALLOC(nbn, sizeof(float));
    for (int i = 0; i < nbn; ++i) {
        l->scales[i] = 1;
        l->rolling_variance[i] = 1;
    }
#ifdef GPU
    if (gpu_index >= 0) {
        l->weights_gpu = cuda_make_array(l->weights, nweights);
        l->weight_updates_gpu = cuda_make_array(l->weight_updates, nweights);
        l->scales_gpu = cuda_make_array(l->scales, nbn);
        l->scale_updates_gpu = cuda_make_array(l->scale_updates, nbn);
        l->biases_gpu = cuda_make_array(l->biases, nbn);
        l->bias_updates_gpu = cuda_make_array(l->bias_updates, nbn);
        l->rolling_mean_gpu = cuda_make_array(l->rolling_mean, nbn);
        l->rolling_variance_gpu = cuda_make_array(l->rolling_variance, nbn);
    }
#endif
}

void relnas_params_init_uniform(float *weights, int n, int fan_in)
{
    /* Darknet's convolutional layer uses sqrt(2/fan_in) as the uniform range. */
    float scale = sqrtf(2.0f / fan_in);
    for (int i = 0; i < n; ++i) weights[i] = scale * rand_uniform(-1, 1);
}

void relnas_params_update(layer l, update_args a)
{
    float rate = a.learning_rate * l.learning_rate_scale;
    axpy_cpu(l.nbiases, rate / a.batch, l.bias_updates, 1, l.biases, 1);
    scal_cpu(l.nbiases, a.momentum, l.bias_updates, 1);
    axpy_cpu(l.nbiases, rate / a.batch, l.scale_updates, 1, l.scales, 1);
    scal_cpu(l.nbiases, a.momentum, l.scale_updates, 1);
    axpy_cpu(l.nweights, -a.decay * a.batch, l.weights, 1, l.weight_updates, 1);
    axpy_cpu(l.nweights, rate / a.batch, l.weight_updates, 1, l.weights, 1);
    scal_cpu(l.nweights, a.momentum, l.weight_updates, 1);
}

void relnas_params_save(layer l, FILE *fp)
{
#ifdef GPU
    if (l.weights_gpu) relnas_params_pull(l); /* the layer's own buffers, not the global gpu_index */
#endif
    fwrite(l.biases, sizeof(float), l.nbiases, fp);
    fwrite(l.scales, sizeof(float), l.nbiases, fp);
    fwrite(l.rolling_mean, sizeof(float), l.nbiases, fp);
    fwrite(l.rolling_variance, sizeof(float), l.nbiases, fp);
    fwrite(l.weights, sizeof(float), l.nweights, fp);
}

int relnas_params_load(layer l, FILE *fp)
{
    size_t n = (size_t)l.nbiases, got = 0;
    got += fread(l.biases, sizeof(float), n, fp);
    got += fread(l.scales, sizeof(float), n, fp);
    got += fread(l.rolling_mean, sizeof(float), n, fp);
    got += fread(l.rolling_variance, sizeof(float), n, fp);
    got += fread(l.weights, sizeof(float), l.nweights, fp);
    if (got != 4 * n + (size_t)l.nweights) return -1;
#ifdef GPU
    if (l.weights_gpu) relnas_params_push(l);
#endif
    return 0;
}

#ifdef GPU
void relnas_params_push(layer l)
{
    cuda_push_array(l.weights_gpu, l.weights, l.nweights);
    cuda_push_array(l.scales_gpu, l.scales, l.nbiases);
    cuda_push_array(l.biases_gpu, l.biases, l.nbiases);
    cuda_push_array(l.rolling_mean_gpu, l.rolling_mean, l.nbiases);
    cuda_push_array(l.rolling_variance_gpu, l.rolling_variance, l.nbiases);
}

void relnas_params_pull(layer l)
{
    cuda_pull_array(l.weights_gpu, l.weights, l.nweights);
    cuda_pull_array(l.scales_gpu, l.scales, l.nbiases);
    cuda_pull_array(l.biases_gpu, l.biases, l.nbiases);
    cuda_pull_array(l.rolling_mean_gpu, l.rolling_mean, l.nbiases);
    cuda_pull_array(l.rolling_variance_gpu, l.rolling_variance, l.nbiases);
}

void relnas_params_update_gpu(layer l, update_args a)
{
    float rate = a.learning_rate * l.learning_rate_scale;
    axpy_gpu(l.nbiases, rate / a.batch, l.bias_updates_gpu, 1, l.biases_gpu, 1);
    scal_gpu(l.nbiases, a.momentum, l.bias_updates_gpu, 1);
    axpy_gpu(l.nbiases, rate / a.batch, l.scale_updates_gpu, 1, l.scales_gpu, 1);
    scal_gpu(l.nbiases, a.momentum, l.scale_updates_gpu, 1);
    axpy_gpu(l.nweights, -a.decay * a.batch, l.weights_gpu, 1, l.weight_updates_gpu, 1);
    axpy_gpu(l.nweights, rate / a.batch, l.weight_updates_gpu, 1, l.weights_gpu, 1);
    scal_gpu(l.nweights, a.momentum, l.weight_updates_gpu, 1);
}
#endif
