/* What `relnas train` and `relnas valid` share: a classifier cfg with its weights, and data
 * checked against it (image size and channels, labels within its classes), with messages
 * that say how to make them agree. */
#ifndef RELNAS_CLASSIFIER_DATA_H
#define RELNAS_CLASSIFIER_DATA_H

#include <stddef.h>
#include "darknet.h"
#include "dataset_spec.h"

/* Parses cfg (Darknet exits naming the file and line on a bad one) and loads weights
 * (NULL: the cfg's initial weights). Returns the network, or NULL with a message. */
network *relnas_load_classifier(const char *cfg, const char *weights, char *err, size_t errlen);

/* Loads `part` of spec at the network's image size and checks it fits the network.
 * Returns 0, or -1 with a message. */
int relnas_load_classifier_data(const network *net, const char *spec, relnas_data_part part,
                                relnas_image_set *set, char *err, size_t errlen);

/* The data to evaluate on: valid_spec's test part if given (its only part for idx:), else
 * data_spec's test part (its only part for idx:). */
int relnas_load_eval_data(const network *net, const char *data_spec, const char *valid_spec,
                          relnas_image_set *set, char *err, size_t errlen);

#endif
