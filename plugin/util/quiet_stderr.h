/* Silencing stderr around Darknet calls that print a listing (parse_network_cfg prints
 * every layer). */
#ifndef RELNAS_QUIET_STDERR_H
#define RELNAS_QUIET_STDERR_H

/* Points stderr at /dev/null; returns what relnas_stderr_restore needs (-1: unchanged). */
int relnas_stderr_silence(void);
void relnas_stderr_restore(int saved);

#endif
