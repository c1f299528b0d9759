/* Darknet's batch normalisation inside a [convolutional] layer on the CPU, the same
 * arithmetic (unbiased variance, Darknet's epsilon placement, its float and double steps) in
 * the same order per channel, so the results are equal bit for bit, but channel by channel
 * across OpenMP threads with each pass hoisting what is constant per channel. Stock Darknet
 * runs it on one thread with a pow() and a sqrt() per element: 60 % of the search network's
 * stem in scripts/bench-network --profile. Patch 0081 calls these from
 * forward/backward_convolutional_layer. */
#ifndef RELNAS_DARKNET_BATCH_NORM_H
#define RELNAS_DARKNET_BATCH_NORM_H

#include "darknet.h"

/* forward_batchnorm_layer(l, net) for a convolutional layer l (its output holds the conv). */
void relnas_darknet_bn_forward(layer l, network net);

/* backward_batchnorm_layer(l, net) for a convolutional layer l. */
void relnas_darknet_bn_backward(layer l, network net);

#endif
