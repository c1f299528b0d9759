/* What a network costs, per stage: output shape, parameters, multiply-adds per image; which
 * layers are off the path to the output (an auxiliary head feeding its own loss, or layers
 * whose output nothing reads, like the s0 preprocessing of a cell that never reads s0).
 * Works for any cfg; stages come from `# stage: NAME` comments, which generated cfgs carry. */
#ifndef RELNAS_NETWORK_INFO_H
#define RELNAS_NETWORK_INFO_H

#include <stdio.h>
#include "darknet.h"

typedef enum relnas_layer_role {
    RELNAS_ROLE_MAIN,      /* on the path to the network output */
    RELNAS_ROLE_AUXILIARY, /* feeds only another loss layer (auxiliary head) */
    RELNAS_ROLE_UNUSED,    /* nothing reads it */
} relnas_layer_role;

/* Trainable parameters of one layer (BN scales and biases count; running statistics don't). */
long relnas_layer_params(layer l);

/* Role of every layer of net (roles has net->n entries). */
void relnas_layer_roles(const network *net, relnas_layer_role *roles);

/* Prints the per-stage table and totals for net parsed from cfgfile. */
void relnas_print_network_info(FILE *out, const network *net, const char *cfgfile);

#endif
