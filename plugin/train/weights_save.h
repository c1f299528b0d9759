/* Darknet .weights written atomically: to PATH.tmp, synced, renamed over PATH, so a crash
 * or Ctrl-C during the write leaves the previous file (relnas train's and detector train's
 * _last and _best backups). */
#ifndef RELNAS_WEIGHTS_SAVE_H
#define RELNAS_WEIGHTS_SAVE_H

#include <stddef.h>
#include "darknet.h"

/* Returns 0, or -1 with a message naming the file. */
int relnas_save_weights_atomically(network *net, const char *path, char *err, size_t errlen);

#endif
