/* The running darknet binary: the name the user invoked it by, for the commands our output
 * suggests ("continue: <it> relnas train ..."; a user who ran /opt/darknet/darknet from
 * elsewhere can paste them as they are), and the checkout it belongs to, so that files the
 * build fetched (Fashion-MNIST under build/data, scripts/) are found from any working
 * directory. */
#ifndef RELNAS_PROGRAM_NAME_H
#define RELNAS_PROGRAM_NAME_H

#include <stddef.h>

/* Kept as given (argv[0]); NULL or empty restores the default. */
void relnas_set_program_name(const char *argv0);

/* What relnas_set_program_name was given; "./darknet" before that (library use, tests). */
const char *relnas_program_name(void);

/* The nearest directory at or above the binary's own that holds scripts/fetch-fashion-mnist
 * (./darknet sits in the checkout, build/gpu/darknet two levels down). 0, or -1 if none. */
int relnas_checkout_dir(char *dir, size_t len);

#endif
