/* The checks of each section type Darknet's parse_network_cfg builds: the keys it reads,
 * their ranges, the layers they refer to, and the output shape Darknet will compute. */
#ifndef RELNAS_CFG_SECTIONS_H
#define RELNAS_CFG_SECTIONS_H

#include "cfg_values.h"

typedef struct relnas_cfg_rule {
    const char *name;  /* section header, e.g. "[convolutional]" */
    const char *alias; /* Darknet's other name for it, or NULL */
    /* Reads and checks the section's keys, and sets c->out from c->in. */
    void (*check)(relnas_cfg_ctx *c);
} relnas_cfg_rule;

/* The NULL-terminated rule tables: layers on images and vectors, layers that read other
 * layers ([route], [shortcut]), and output heads. */
extern const relnas_cfg_rule relnas_cfg_layer_rules[];
extern const relnas_cfg_rule relnas_cfg_link_rules[];
extern const relnas_cfg_rule relnas_cfg_head_rules[];

/* The rule for a section header, or NULL. */
const relnas_cfg_rule *relnas_cfg_find_rule(const char *type);

/* [net]: sets c->batch, c->time_steps and c->out (the network input). */
void relnas_cfg_check_net(relnas_cfg_ctx *c);

/* A plugin section (plugin/layers/layer_registry.h), checked by the layer's own parser at
 * batch 1; 0 when `type` is not a plugin section. */
int relnas_cfg_check_plugin(relnas_cfg_ctx *c, const relnas_cfg_shape *net_input);

/* Shared helpers of the rule files. */
/* 1 when the input is known and is an image (h, w, c > 0); reports a flat input. */
int relnas_cfg_image_input(relnas_cfg_ctx *c);
/* Sets c->out to h x w x c (known). */
void relnas_cfg_set_out(relnas_cfg_ctx *c, int h, int w, int ch);
/* Sets c->out to a flat vector of n values (known). */
void relnas_cfg_set_flat(relnas_cfg_ctx *c, long long n);
/* A file the section names (tree=, map=) must be readable. */
void relnas_cfg_readable_file(relnas_cfg_ctx *c, const char *key);
/* Darknet computes sizes in int: a count above INT_MAX wraps and crashes later. */
int relnas_cfg_fits_int(relnas_cfg_ctx *c, const char *key, const char *what, long long n);

#define RELNAS_CFG_MAX_SIDE 65536
#define RELNAS_CFG_MAX_COUNT 1048576

#endif
