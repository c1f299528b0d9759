/* Genotype -> Darknet .cfg: the DARTS/RelativeNAS networks (NetworkCIFAR, NetworkImageNet,
 * and the search proxy) written with the plugin's layer types and stock [route],
 * [shortcut], [convolutional], [avgpool], [connected] and [softmax]. */
#ifndef RELNAS_CFG_WRITER_H
#define RELNAS_CFG_WRITER_H

#include <stdio.h>
#include "genotype.h"

typedef enum relnas_network_kind {
    RELNAS_NETWORK_CIFAR,    /* 3x3 stem to 3C, cells, global pool, classifier */
    RELNAS_NETWORK_IMAGENET, /* two stride-2 stems, cells after a reduction, 7x7 pool */
} relnas_network_kind;

typedef struct relnas_net_spec {
    const char *preset;        /* cifar, imagenet, search */
    relnas_network_kind kind;
    int C, cells, classes, auxiliary;
    float drop_path;           /* maximum, ramped over training */
    int width, height, channels;
    int batch;
    float learning_rate;
    int max_batches;
} relnas_net_spec;

/* The preset called `name` (cifar, imagenet, search); returns 0, or -1 if unknown. */
int relnas_net_preset(const char *name, relnas_net_spec *spec);

/* Writes the cfg; `genotype_source` is recorded in its header comment. Returns 0, or -1
 * with a message in err for a spec that cannot be built (e.g. an odd size before a
 * reduction). */
int relnas_write_cfg(FILE *out, const relnas_genotype *g, const relnas_net_spec *spec,
                     const char *genotype_source, char *err, size_t errlen);

#endif
