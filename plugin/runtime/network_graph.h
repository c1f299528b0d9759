/* Which layers a layer reads, for any cfg: stock layers read the previous one ([route] its
 * `layers`, [shortcut] also its `from`); plugin layers read their `input=` layer. */
#ifndef RELNAS_NETWORK_GRAPH_H
#define RELNAS_NETWORK_GRAPH_H

#include "darknet.h"

/* Writes the indices of the layers layer i reads into inputs (at most max; -1 stands for
 * the network input); returns how many. */
int relnas_layer_inputs(const network *net, int i, int *inputs, int max);

/* Whether layer l computes a loss (softmax, cost, detection heads, our weighted softmax):
 * such layers write their delta in the forward pass whenever a truth is set. */
int relnas_layer_is_loss(layer l);

#endif
