/* A plugin layer's output and delta buffers (and their GPU copies), sized batch x outputs. */
#ifndef RELNAS_LAYER_OUTPUT_H
#define RELNAS_LAYER_OUTPUT_H

#include "darknet.h"

/* Allocates l->output for l->batch x l->outputs values. */
void relnas_alloc_output(layer *l);

/* Allocates l->delta likewise: at once for layers that always train, or on the first
 * training pass for those that predict without one. */
void relnas_alloc_delta(layer *l);

/* Makes l.output hold l's output (any layer type): on a GPU network the device copy is
 * pulled (forward_network_gpu fills the host copy of the last layer only). */
void relnas_pull_output(const network *net, layer l);

/* Frees them, for a resize (free_layer frees them at the end). */
void relnas_free_output(layer *l);

#endif
