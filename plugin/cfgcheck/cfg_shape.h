/* The shape of a layer's output as the cfg check computes it: what the check's entry point
 * (cfg_check.h) returns and what each section's check (cfg_values.h) reads and sets. */
#ifndef RELNAS_CFG_SHAPE_H
#define RELNAS_CFG_SHAPE_H

/* A layer's output as Darknet will build it. known = 0: a problem left it unknown, and the
 * checks that need it are skipped (one mistake, one message). */
typedef struct relnas_cfg_shape {
    int h, w, c;        /* 0 x 0 x 0 for a flat vector */
    long long outputs;
    long long weights;  /* learnable values, about (Darknet's stock layers and the plugin's) */
    int known;
} relnas_cfg_shape;

#endif
