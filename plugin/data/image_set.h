/* A labelled image set held in memory as bytes: what the classification data readers
 * (IDX, CIFAR binary) produce and the search and training loaders sample from. */
#ifndef RELNAS_IMAGE_SET_H
#define RELNAS_IMAGE_SET_H

#include <stddef.h>

typedef struct relnas_image_set {
    int count, h, w, c;
    int classes;             /* 1 + the largest label */
    unsigned char *pixels;   /* count x c x h x w, 0..255, planar (CHW) per image */
    unsigned char *labels;   /* count */
} relnas_image_set;

void relnas_image_set_free(relnas_image_set *s);

/* Fashion-MNIST / MNIST IDX files (gzip-compressed or not): images (magic 0x803, 3
 * dimensions) and labels (magic 0x801). Returns 0, or -1 with a message naming the file and
 * what is wrong (magic, sizes, truncation, counts that disagree). */
int relnas_read_idx(const char *images_path, const char *labels_path, relnas_image_set *out,
                    char *err, size_t errlen);

/* CIFAR-10 (cifar100 = 0; label byte + 3072 pixels) or CIFAR-100 (coarse and fine label
 * bytes; the fine label is used) binary files, concatenated in order. Returns 0, or -1 with
 * a message naming the file: a size that is not a whole number of records, a label out of
 * range. */
int relnas_read_cifar(const char *const *paths, int npaths, int cifar100, relnas_image_set *out,
                      char *err, size_t errlen);

#endif
