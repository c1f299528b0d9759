/* Genotype -> Darknet .cfg: the DARTS/RelativeNAS networks (NetworkCIFAR, NetworkImageNet,
 * and the search proxy) written with the plugin's layer types and stock [route],
 * [shortcut], [convolutional], [avgpool], [connected] and [softmax]; and YOLOv3-style
 * detectors on the ImageNet backbone ([upsample], [yolo]). */
#ifndef RELNAS_CFG_WRITER_H
#define RELNAS_CFG_WRITER_H

#include <stdio.h>
#include "genotype.h"

typedef enum relnas_network_kind {
    RELNAS_NETWORK_CIFAR,    /* 3x3 stem to 3C, cells, global pool, classifier */
    RELNAS_NETWORK_IMAGENET, /* two stride-2 stems, cells after a reduction, 7x7 pool */
    RELNAS_NETWORK_YOLO,     /* the ImageNet backbone with YOLOv3 heads at strides 8, 16, 32 */
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
    char anchors[512];         /* YOLO: 9 w,h pairs in pixels; empty: YOLOv3's, scaled from 416 */
} relnas_net_spec;

/* What a layer of a generated network is, so weights can be shared between networks of
 * different genotypes (the search's weight set). Ops are named by cell, DAG edge (node j's
 * input from state k: 2j + j(j-1)/2 + k, as merge_rule.h numbers them) and primitive; other
 * layers with parameters by their place (cell preprocessing, stem, classifier, auxiliary). */
typedef enum relnas_key_kind {
    RELNAS_KEY_NONE,   /* no parameters worth sharing (sums, concats, softmax) */
    RELNAS_KEY_OP,     /* cell, edge, op */
    RELNAS_KEY_SHARED, /* cell (or one of the places below), slot */
} relnas_key_kind;

enum { RELNAS_PLACE_STEM = -1, RELNAS_PLACE_CLASSIFIER = -2, RELNAS_PLACE_AUXILIARY = -3 };

typedef struct relnas_layer_key {
    relnas_key_kind kind;
    int cell;     /* cell index, or a RELNAS_PLACE_* */
    int slot;     /* OP: DAG edge; SHARED: 0/1 = preprocess0/1 in a cell, else the n-th layer */
    int op;       /* OP: relnas_primitive */
} relnas_layer_key;

/* The preset called `name` (cifar, imagenet, search, yolo); returns 0, or -1 if unknown. */
int relnas_net_preset(const char *name, relnas_net_spec *spec);

/* Writes the cfg; `genotype_source` is recorded in its header comment. Returns 0, or -1
 * with a message in err for a spec that cannot be built (e.g. an odd size before a
 * reduction). */
int relnas_write_cfg(FILE *out, const relnas_genotype *g, const relnas_net_spec *spec,
                     const char *genotype_source, char *err, size_t errlen);

/* relnas_write_cfg that also says what each layer is: keys[i] for layer i (capacity
 * entries), *nlayers the count. */
int relnas_write_cfg_keyed(FILE *out, const relnas_genotype *g, const relnas_net_spec *spec,
                           const char *genotype_source, relnas_layer_key *keys, int capacity,
                           int *nlayers, char *err, size_t errlen);

#endif
