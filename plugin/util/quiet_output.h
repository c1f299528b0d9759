/* Silencing stderr or stdout around Darknet calls that print: parse_network_cfg prints
 * every layer on stderr, a training-mode [yolo] forward prints its IoU line on stdout. */
#ifndef RELNAS_QUIET_OUTPUT_H
#define RELNAS_QUIET_OUTPUT_H

/* Points stderr at /dev/null; returns what relnas_stderr_restore needs (-1: unchanged). */
int relnas_stderr_silence(void);
void relnas_stderr_restore(int saved);

/* The same for stdout. */
int relnas_stdout_silence(void);
void relnas_stdout_restore(int saved);

#endif
