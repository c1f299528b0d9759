/* Darknet's .data files (key=value lines, read with read_data_cfg). */
#ifndef RELNAS_DATA_CFG_H
#define RELNAS_DATA_CFG_H

#include "darknet.h"

/* Frees what read_data_cfg returned: each key points at its whole line, the value into it. */
void relnas_free_data_cfg(list *options);

#endif
