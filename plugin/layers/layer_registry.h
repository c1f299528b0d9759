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

/* The plugin's layer types, one relnas_layer_kind each (defined beside their layers; listed
 * in layer_registry.c's table). */
extern const relnas_layer_kind relnas_sep_conv_kind;          /* [sep_conv] */
extern const relnas_layer_kind relnas_dil_conv_kind;          /* [dil_conv] */
extern const relnas_layer_kind relnas_relu_conv_bn_kind;      /* [relu_conv_bn] */
extern const relnas_layer_kind relnas_avg_pool_kind;          /* [avg_pool] */
extern const relnas_layer_kind relnas_max_pool_kind;          /* [max_pool] */
extern const relnas_layer_kind relnas_factorized_reduce_kind; /* [factorized_reduce] */
extern const relnas_layer_kind relnas_weighted_softmax_kind;  /* [weighted_softmax] */

/* Number of plugin layer types. */
int relnas_layer_kind_count(void);

/* The i-th layer type, 0 <= i < relnas_layer_kind_count(). */
const relnas_layer_kind *relnas_layer_kind_at(int i);

/* The layer type for a section name such as "[sep_conv]", or -1. */
int relnas_layer_kind_find(const char *section);

/* A layer's type as people read it: the plugin's section ("[sep_conv]") or Darknet's name. */
const char *relnas_layer_type_name(layer l);

/* Multiply-adds per image of one layer's convolutions and fully connected products. */
double relnas_layer_multiply_adds(layer l);

#endif
