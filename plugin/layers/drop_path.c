#include <stdlib.h>
#include <string.h>
#include "drop_path.h"
#include "cuda.h"
#include "nas_ops_gpu.h"
#include "relnas_check.h"
#include "utils.h"

float relnas_training_progress(network net)
{
    if (net.max_batches <= 0) return 1;
    float done = (float)get_current_batch(&net) / (float)net.max_batches;
    return done < 0 ? 0 : done > 1 ? 1 : done;
}

static void alloc_scales(relnas_drop_path *d, int batch)
{
    d->batch = batch;
    d->scales = RELNAS_CALLOC(batch, sizeof(float));
#ifdef GPU
    d->scales_gpu = gpu_index >= 0 ? cuda_make_array(d->scales, batch) : NULL;
#endif
}

relnas_drop_path relnas_drop_path_make(float max_prob, int batch)
{
    relnas_drop_path d;
    memset(&d, 0, sizeof(d));
    d.max_prob = max_prob;
    alloc_scales(&d, batch);
    return d;
}

void relnas_drop_path_free(relnas_drop_path *d)
{
    free(d->scales);
    d->scales = NULL;
#ifdef GPU
    if (d->scales_gpu) cuda_free(d->scales_gpu);
    d->scales_gpu = NULL;
#endif
}

void relnas_drop_path_resize(relnas_drop_path *d, int batch)
{
    if (batch == d->batch) return;
    relnas_drop_path_free(d);
    alloc_scales(d, batch);
}

/* Sets this iteration's probability and draws the scales; 0 when nothing is dropped. */
static int draw(relnas_drop_path *d, network net, int batch)
{
    d->prob = net.train ? d->max_prob * relnas_training_progress(net) : 0;
    if (d->prob <= 0) return 0;
    RELNAS_ASSERT(batch <= d->batch);
    for (int b = 0; b < batch; ++b) d->scales[b] = rand_uniform(0, 1) < d->prob ? 0 : 1 / (1 - d->prob);
    return 1;
}

static void apply(float *x, const float *scales, int batch, int sample_size)
{
    for (int b = 0; b < batch; ++b)
        for (int i = 0; i < sample_size; ++i) x[(long)b * sample_size + i] *= scales[b];
}

void relnas_drop_path_forward(relnas_drop_path *d, network net, float *output, int batch, int sample_size)
{
    if (draw(d, net, batch)) apply(output, d->scales, batch, sample_size);
}

void relnas_drop_path_backward(const relnas_drop_path *d, float *delta, int batch, int sample_size)
{
    if (d->prob > 0) apply(delta, d->scales, batch, sample_size);
}

#ifdef GPU
void relnas_drop_path_forward_gpu(relnas_drop_path *d, network net, float *output_gpu, int batch,
                                  int sample_size)
{
    if (!draw(d, net, batch)) return;
    cuda_push_array(d->scales_gpu, d->scales, batch);
    relnas_drop_path_apply_gpu(output_gpu, d->scales_gpu, batch, sample_size);
}

void relnas_drop_path_backward_gpu(const relnas_drop_path *d, float *delta_gpu, int batch, int sample_size)
{
    if (d->prob > 0) relnas_drop_path_apply_gpu(delta_gpu, d->scales_gpu, batch, sample_size);
}
#endif
