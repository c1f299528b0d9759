/* The checkout the running darknet binary belongs to, so that files the build fetched
 * (Fashion-MNIST under build/data, scripts/) are found from any working directory. */
#ifndef RELNAS_CHECKOUT_DIR_H
#define RELNAS_CHECKOUT_DIR_H

#include <stddef.h>

/* The nearest directory at or above the binary's own that holds scripts/fetch-fashion-mnist
 * (./darknet sits in the checkout, build/gpu/darknet two levels down). 0, or -1 if none. */
int relnas_checkout_dir(char *dir, size_t len);

#endif
