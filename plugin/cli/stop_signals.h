/* Ctrl-C (SIGINT) and SIGTERM for long commands: the first sets a flag the command polls to
 * stop at a safe point (after saving); a second one ends the program at once. */
#ifndef RELNAS_STOP_SIGNALS_H
#define RELNAS_STOP_SIGNALS_H

#include <signal.h>

/* Installs the handlers; returns the flag they set. */
volatile sig_atomic_t *relnas_catch_stop_signals(void);

#endif
