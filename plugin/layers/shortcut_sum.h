/* Darknet's [shortcut] where it is a plain sum of two outputs of one shape (linear activation,
 * alpha = beta = 1; every node of a DARTS cell adds two ops this way): forward out = in + from
 * in one pass, backward both input gradients in one pass. Stock Darknet copies, then adds
 * with per-element index arithmetic, then applies the identity activation (4 passes), and
 * backward takes 3; the results are the same bit for bit. */
#ifndef RELNAS_SHORTCUT_SUM_H
#define RELNAS_SHORTCUT_SUM_H

#include "darknet.h"

/* Gives a CPU shortcut layer the one-pass functions if it is such a sum; else leaves it. */
void relnas_use_shortcut_sum(layer *l);

void relnas_forward_shortcut_sum(layer l, network net);
void relnas_backward_shortcut_sum(layer l, network net);

#endif
