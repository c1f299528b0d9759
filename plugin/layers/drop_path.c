#include "drop_path.h"
#include "utils.h"

float relnas_training_progress(network net)
{
    if (net.max_batches <= 0) return 1;
    float done = (float)get_current_batch(&net) / (float)net.max_batches;
    return done < 0 ? 0 : done > 1 ? 1 : done;
}

float relnas_drop_path_prob(float max_prob, network net)
{
    return max_prob * relnas_training_progress(net);
}

void relnas_drop_path_sample(float *scales, int batch, float prob)
{
    for (int b = 0; b < batch; ++b) scales[b] = rand_uniform(0, 1) < prob ? 0 : 1 / (1 - prob);
}

void relnas_drop_path_apply(float *x, const float *scales, int batch, int sample_size)
{
    for (int b = 0; b < batch; ++b)
        for (int i = 0; i < sample_size; ++i) x[(long)b * sample_size + i] *= scales[b];
}
