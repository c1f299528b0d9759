/* The cfg check: every section of a network cfg (Darknet's and the plugin's) validated
 * before any layer is built: numbers, ranges, layer references, shapes. Problems are
 * printed in one format (cfg_report.h); all of them, not only the first. */
#ifndef RELNAS_CFG_CHECK_H
#define RELNAS_CFG_CHECK_H

#include <stdio.h>
#include "cfg_shape.h"

typedef struct relnas_cfg_check_options {
    int strict;      /* unknown and repeated keys are errors, not warnings */
    FILE *problems;  /* where problems go; NULL: counted only */
    FILE *shapes;    /* where each layer's input and output shapes go; NULL: not printed */
    relnas_cfg_shape *layer_shapes; /* if not NULL: the first max_layer_shapes outputs */
    int max_layer_shapes;
} relnas_cfg_check_options;

typedef struct relnas_cfg_check_result {
    int errors;   /* warnings included under strict */
    int warnings;
    int layers;
    int batch;    /* images per forward pass (batch / subdivisions x time_steps) */
} relnas_cfg_check_result;

/* A key Darknet's parse_network_cfg reads for every layer after the layer's own parser,
 * with its default and range ([lo, hi] for integers, [lo, hi) for reals). */
typedef struct relnas_common_key {
    const char *key;
    int real;
    double def, lo, hi;
} relnas_common_key;

/* The common keys; the NULL key ends them. */
extern const relnas_common_key relnas_common_keys[];

/* 1 if `key` is one of them. */
int relnas_is_common_key(const char *key);

/* Checks `path`; returns result.errors (0: Darknet will build the network). */
int relnas_cfg_check_file(const char *path, const relnas_cfg_check_options *options,
                          relnas_cfg_check_result *result);

#endif
