/* Where classification data comes from, as the command line names it (one loader for the
 * search, training and evaluation):
 *   fashion-mnist     Debian's dataset-fashion-mnist (fetched into build/data when missing)
 *   cifar10:DIR       the CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin)
 *   cifar100:DIR      the CIFAR-100 binary version (train.bin, test.bin)
 *   idx:IMAGES,LABELS one IDX pair (gzip or not); no test part
 *   FILE.data         Darknet's classification data file (classes=, train=, valid=,
 *                     labels=): lists of image paths, each labelled by the label name that
 *                     occurs in its path, as Darknet's classifier does; images are decoded
 *                     and resized to the size asked for. */
#ifndef RELNAS_DATASET_SPEC_H
#define RELNAS_DATASET_SPEC_H

#include <stddef.h>
#include "image_set.h"

typedef enum relnas_data_part { RELNAS_DATA_TRAIN, RELNAS_DATA_TEST } relnas_data_part;

/* Loads one part of the data named by spec; w and h (> 0) are the image size for image
 * lists (other sources have their own). Returns 0, or -1 with a message naming the file or
 * the spec and what is wrong. */
int relnas_load_dataset(const char *spec, relnas_data_part part, int w, int h, relnas_image_set *out, char *err,
                        size_t errlen);

#endif
