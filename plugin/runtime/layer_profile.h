/* Times every layer of a network in the op profile (op_profile.h): each layer's forward and
 * backward becomes an op named for its type ("[route] forward"), whose time is what the ops
 * timed inside it leave (a [sep_conv]'s drop path and copies, not its convolutions). For
 * CPU passes: GPU kernels run asynchronously and would be timed where they are launched. */
#ifndef RELNAS_LAYER_PROFILE_H
#define RELNAS_LAYER_PROFILE_H

#include "darknet.h"

/* Wraps net's layers' forward and backward; one network at a time, until
 * relnas_unprofile_layers(net). */
void relnas_profile_layers(network *net);

/* Puts back the functions relnas_profile_layers replaced. */
void relnas_unprofile_layers(network *net);

#endif
