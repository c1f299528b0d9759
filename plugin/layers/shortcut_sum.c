#include "shortcut_sum.h"

void relnas_use_shortcut_sum(layer *l)
{
    int same_shape = l->w == l->out_w && l->h == l->out_h && l->c == l->out_c;
    if (l->type == SHORTCUT && same_shape && l->activation == LINEAR && l->alpha == 1 && l->beta == 1) {
        l->forward = relnas_forward_shortcut_sum;
        l->backward = relnas_backward_shortcut_sum;
    }
}

void relnas_forward_shortcut_sum(layer l, network net)
{
    const float *a = net.input, *b = net.layers[l.index].output;
    long n = (long)l.outputs * l.batch;
    #pragma omp parallel for simd schedule(static)
    for (long i = 0; i < n; ++i) l.output[i] = a[i] + b[i];
}

/* The two gradients may be one buffer (both inputs one layer, or a memory plan's sharing):
 * element by element, as Darknet's two passes add them. */
void relnas_backward_shortcut_sum(layer l, network net)
{
    float *da = net.delta, *db = net.layers[l.index].delta;
    long n = (long)l.outputs * l.batch;
    if (da) {
        #pragma omp parallel for schedule(static)
        for (long i = 0; i < n; ++i) {
            da[i] += l.delta[i];
            db[i] += l.delta[i];
        }
    } else {
        #pragma omp parallel for simd schedule(static)
        for (long i = 0; i < n; ++i) db[i] += l.delta[i];
    }
}
