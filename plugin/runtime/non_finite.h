/* Finding where a network's numbers went non-finite, for the message that stops a
 * training whose loss became NaN or infinite (instead of hours of NaN). */
#ifndef RELNAS_NON_FINITE_H
#define RELNAS_NON_FINITE_H

#include <stddef.h>
#include "darknet.h"

/* Writes "; the first layer with a non-finite output is I (TYPE)" into out, or that every
 * output is finite (a loss of log 0: a true class got probability 0). Reads GPU outputs
 * back first on a GPU network. */
void relnas_describe_first_non_finite(const network *net, char *out, size_t len);

#endif
