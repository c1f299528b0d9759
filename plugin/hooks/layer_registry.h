/* The one table of plugin layer types. Adding a layer type means adding one entry here;
 * Darknet's patched parser, weights I/O, resize and free all go through it. */
#ifndef RELNAS_LAYER_REGISTRY_H
#define RELNAS_LAYER_REGISTRY_H

#include <stddef.h>
#include <stdio.h>
#include "darknet.h"
#include "parser.h"

typedef struct relnas_layer_kind {
    const char *section;   /* cfg section name with brackets, e.g. "[sep_conv]" */
    const char *summary;   /* one line for `darknet relnas layers` */
    /* Builds the layer from its options; on bad input returns -1 with a message in err. */
    int (*parse)(layer *l, list *options, size_params params, char *err, size_t errlen);
    void (*save_weights)(layer l, FILE *fp);           /* NULL: no weights */
    int (*load_weights)(layer l, FILE *fp);            /* returns -1 on a short read */
    void (*resize)(layer *l, network *net, int w, int h);
    void (*free_state)(layer l);                       /* NULL: nothing beyond shared buffers */
    double (*multiply_adds)(layer l);                  /* per image; NULL: none counted */
} relnas_layer_kind;

/* Number of plugin layer types. */
int relnas_layer_kind_count(void);

/* The i-th layer type, 0 <= i < relnas_layer_kind_count(). */
const relnas_layer_kind *relnas_layer_kind_at(int i);

/* The layer type for a section name such as "[sep_conv]", or -1. */
int relnas_layer_kind_find(const char *section);

/* One buffer of a plugin layer that the replicas of Darknet's multi-GPU training must agree
 * on: n floats on the host and, in a GPU build, on the device (NULL without one). */
typedef struct relnas_replica_buffer {
    float *host, *device;
    int n;
} relnas_replica_buffer;

enum { RELNAS_REPLICA_BUFFERS = 8 };

/* The buffers of plugin layer l to keep in sync across replicas, the same for every
 * registered kind (they keep parameters where layer_params.h says): weights, BN beta
 * (biases), gamma (scales), running mean and variance, and the update state (momentum x
 * last step, which Darknet's update leaves in the *_updates buffers). A layer that applies
 * another's parameters (relnas_share_params) has none of its own. Returns the count. */
int relnas_replica_buffers(layer l, relnas_replica_buffer out[RELNAS_REPLICA_BUFFERS]);

#endif
