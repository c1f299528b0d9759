/* One step of SGD as the DARTS family trains: forward, backward, the gradient norm clipped
 * (PyTorch's clip_grad_norm_), then Darknet's update (momentum, weight decay, the rate of
 * the network's policy). With subdivisions, gradients add up over that many sub-batches
 * and the update comes after the last, as in Darknet's own training.
 *
 * Darknet leaves momentum x previous step in its update buffers; clipping must see the
 * gradient alone, so that momentum is kept apart in `momentum` (relnas_updates_alloc) and
 * added back after clipping. */
#ifndef RELNAS_SGD_STEP_H
#define RELNAS_SGD_STEP_H

#include "darknet.h"

/* Trains on the sub-batch net->input and net->truth hold and advances *net->seen; returns
 * its mean loss, or NAN (nothing updated) when it is not finite. first: a fresh optimiser
 * state. */
double relnas_sgd_step(network *net, float *momentum, float clip, int first);

#endif
