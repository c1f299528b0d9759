#include <stdlib.h>
#include "layer_output.h"
#include "cuda.h"
#include "relnas_check.h"

void relnas_alloc_output(layer *l)
{
    long n = (long)l->batch * l->outputs;
    l->output = RELNAS_CALLOC(n, sizeof(float));
#ifdef GPU
    if (gpu_index >= 0) l->output_gpu = cuda_make_array(l->output, n);
#endif
}

void relnas_alloc_delta(layer *l)
{
    long n = (long)l->batch * l->outputs;
    l->delta = RELNAS_CALLOC(n, sizeof(float));
#ifdef GPU
    if (gpu_index >= 0) l->delta_gpu = cuda_make_array(l->delta, n);
#endif
}

void relnas_free_output(layer *l)
{
    free(l->output);
    free(l->delta);
    l->output = l->delta = NULL;
#ifdef GPU
    if (l->output_gpu) cuda_free(l->output_gpu);
    if (l->delta_gpu) cuda_free(l->delta_gpu);
    l->output_gpu = l->delta_gpu = NULL;
#endif
}

void relnas_pull_output(const network *net, layer l)
{
#ifdef GPU
    if (net->gpu_index >= 0 && l.output_gpu) cuda_pull_array(l.output_gpu, l.output, (size_t)l.batch * l.outputs);
#else
    (void)net, (void)l;
#endif
}
