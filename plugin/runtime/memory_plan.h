/* Memory plans: stock Darknet keeps an output and a delta buffer for every layer, all the
 * time. A buffer only has to exist from the layer that makes it to the last layer that reads
 * it, so layers whose buffers are never needed at once can share one (greedy over the layer
 * order, best fit). A 20-cell network then holds a few cells' worth instead of all of them.
 *
 *   inference: deltas are freed (the loss layers' excepted: they write theirs whenever a
 *              truth is set) and outputs are shared. Same predictions, bit for bit; the
 *              network can no longer train.
 *   training:  outputs stay (backward reads them); deltas are shared, and zeroed before the
 *              backward pass of the last layer that reads them (Darknet's patched
 *              backward_network calls relnas_plan_before_backward). Same gradients, bit for bit.
 *
 * The plan hangs on net->plugin_plan: free_network and resize_network drop it (patch 0006),
 * so a planned network is freed and resized as any other. CPU only: a network on a GPU is
 * left as it is. Layer types the planner does not know keep their buffers, and whatever
 * they read stays alive to the end. */
#ifndef RELNAS_MEMORY_PLAN_H
#define RELNAS_MEMORY_PLAN_H

#include <stddef.h>
#include "darknet.h"

/* Bytes of layer outputs and deltas before and after a plan, and the shared buffers. */
typedef struct relnas_plan_memory {
    size_t before, after;
    int buffers;
} relnas_plan_memory;

/* Plans net to predict at its current batch. The output layer and keep_layer (or -1) keep
 * their values after a forward pass; other layers' outputs may be overwritten. */
relnas_plan_memory relnas_plan_inference(network *net, int keep_layer);

/* Plans net to train at its current batch (before its first training pass). */
relnas_plan_memory relnas_plan_training(network *net);

/* Before layer i's backward pass, zeroes the shared deltas whose use starts there. */
void relnas_plan_before_backward(network *net, int i);

/* Drops net's plan before a resize: layers that shared a buffer get their own. */
void relnas_plan_drop(network *net);

/* Drops net's plan before the network is freed: shared buffers are freed once and the
 * layers that used them are left without (free_layer skips them). */
void relnas_plan_free(network *net);

#endif
