/* CIFAR-10 and CIFAR-100 "binary version" files: records of label byte(s) then 3072 pixel
 * bytes (1024 red, 1024 green, 1024 blue: planar, as relnas_image_set keeps them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "image_set.h"
#include "relnas_check.h"
#include "relnas_error.h"

enum { CIFAR_SIDE = 32, CIFAR_PIXELS = 3 * 32 * 32 };

/* Records in path, checking the size is a whole number of them. */
static long record_count(const char *path, int record, const char *kind, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st)) return relnas_errorf(err, errlen, "%s: cannot open", path);
    if (st.st_size == 0 || st.st_size % record)
        return relnas_errorf(err, errlen, "%s: %lld bytes is not a whole number of %d-byte %s records", path,
                    (long long)st.st_size, record, kind);
    return (long)(st.st_size / record);
}

static int read_records(const char *path, long n, int label_bytes, int classes, relnas_image_set *s,
                        long at, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return relnas_errorf(err, errlen, "%s: cannot open", path);
    unsigned char head[2];
    for (long i = 0; i < n; ++i) {
        unsigned char *pixels = s->pixels + (at + i) * CIFAR_PIXELS;
        if (fread(head, 1, (size_t)label_bytes, fp) != (size_t)label_bytes ||
            fread(pixels, 1, CIFAR_PIXELS, fp) != CIFAR_PIXELS) {
            fclose(fp);
            return relnas_errorf(err, errlen, "%s: short read in record %ld", path, i);
        }
        unsigned char label = head[label_bytes - 1]; /* CIFAR-100: coarse, then fine */
        if (label >= classes) {
            fclose(fp);
            return relnas_errorf(err, errlen, "%s: record %ld has label %d; %s has %d classes", path, i, label,
                        classes == 10 ? "CIFAR-10" : "CIFAR-100", classes);
        }
        s->labels[at + i] = label;
    }
    fclose(fp);
    return 0;
}

int relnas_read_cifar(const char *const *paths, int npaths, int cifar100, relnas_image_set *out,
                      char *err, size_t errlen)
{
    int label_bytes = cifar100 ? 2 : 1, classes = cifar100 ? 100 : 10;
    const char *kind = cifar100 ? "CIFAR-100" : "CIFAR-10";
    long total = 0, counts[64];
    if (npaths < 1 || npaths > 64) return relnas_errorf(err, errlen, "between 1 and 64 CIFAR files, got %d", npaths);
    for (int f = 0; f < npaths; ++f) {
        counts[f] = record_count(paths[f], label_bytes + CIFAR_PIXELS, kind, err, errlen);
        if (counts[f] < 0) return -1;
        total += counts[f];
    }
    relnas_image_set s = {(int)total, CIFAR_SIDE, CIFAR_SIDE, 3, classes, NULL, NULL};
    s.pixels = RELNAS_CALLOC((size_t)total * CIFAR_PIXELS, 1);
    s.labels = RELNAS_CALLOC((size_t)total, 1);
    long at = 0;
    for (int f = 0; f < npaths; at += counts[f++])
        if (read_records(paths[f], counts[f], label_bytes, classes, &s, at, err, errlen)) {
            relnas_image_set_free(&s);
            return -1;
        }
    *out = s;
    return 0;
}
