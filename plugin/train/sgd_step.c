#include <math.h>
#include "sgd_step.h"
#include "network_params.h"

double relnas_sgd_step(network *net, float *momentum, float clip, int first)
{
    int subdivisions = net->subdivisions > 0 ? net->subdivisions : 1;
    long done = (long)(*net->seen / (size_t)net->batch); /* sub-batches before this one */
    if (first) relnas_zero_updates(net);
    if (done % subdivisions == 0) { /* a new batch: keep the momentum apart, gather the gradient */
        relnas_save_updates(net, momentum);
        relnas_zero_updates(net);
    }
    net->train = 1;
    forward_network(net);
    double loss = *net->cost / net->batch;
    if (!isfinite(loss)) return NAN;
    backward_network(net);
    *net->seen += net->batch;
    if ((done + 1) % subdivisions == 0) {
        if (clip > 0) relnas_clip_gradient(net, clip);
        relnas_add_updates(net, momentum);
        update_network(net);
    }
    return loss;
}
