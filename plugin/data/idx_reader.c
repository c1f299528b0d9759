/* IDX reading through zlib's gz* functions (Debian's zlib1g-dev): they read gzip files
 * and plain files alike, so the Debian package's .gz files need no unpacking. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include "image_set.h"
#include "relnas_check.h"
#include "relnas_error.h"

void relnas_image_set_free(relnas_image_set *s)
{
    free(s->pixels);
    free(s->labels);
    s->pixels = s->labels = NULL;
}

static int read_u32(gzFile f, uint32_t *v)
{
    unsigned char b[4];
    if (gzread(f, b, 4) != 4) return -1;
    *v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    return 0;
}

/* Reads an IDX header with `ndims` dimensions and the expected magic into dims. */
static gzFile open_idx(const char *path, uint32_t magic, int ndims, uint32_t *dims, char *err, size_t errlen)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        relnas_errorf(err, errlen, "%s: cannot open", path);
        return NULL;
    }
    uint32_t got = 0;
    if (read_u32(f, &got) || got != magic) {
        relnas_errorf(err, errlen, "%s: not an IDX %s file (magic 0x%08x, expected 0x%08x)", path,
             ndims == 3 ? "image" : "label", got, magic);
        gzclose(f);
        return NULL;
    }
    for (int i = 0; i < ndims; ++i)
        if (read_u32(f, &dims[i]) || dims[i] == 0 || dims[i] > (1u << 24)) {
            relnas_errorf(err, errlen, "%s: dimension %d is missing or out of range", path, i);
            gzclose(f);
            return NULL;
        }
    return f;
}

/* Reads exactly n bytes into a buffer that grows as the data arrives, so a header cannot
 * make us allocate more than the file holds; NULL with a message naming the file. */
static unsigned char *read_body(gzFile f, const char *path, size_t n, char *err, size_t errlen)
{
    size_t cap = n < (1u << 24) ? n : (1u << 24), done = 0;
    unsigned char *buf = RELNAS_CALLOC(cap, 1);
    while (done < n) {
        if (done == cap) {
            cap = cap * 2 < n ? cap * 2 : n;
            unsigned char *bigger = realloc(buf, cap);
            RELNAS_ASSERT(bigger);
            buf = bigger;
        }
        unsigned chunk = cap - done > (1u << 30) ? (1u << 30) : (unsigned)(cap - done);
        int got = gzread(f, buf + done, chunk);
        if (got <= 0) break;
        done += (size_t)got;
    }
    unsigned char extra;
    if (done != n) relnas_errorf(err, errlen, "%s: truncated: %zu of %zu data bytes", path, done, n);
    else if (gzread(f, &extra, 1) == 1) relnas_errorf(err, errlen, "%s: more bytes than its header says", path);
    else return buf;
    free(buf);
    return NULL;
}

int relnas_read_idx(const char *images_path, const char *labels_path, relnas_image_set *out,
                    char *err, size_t errlen)
{
    uint32_t idims[3], ldims[1];
    relnas_image_set s = {0, 0, 0, 1, 0, NULL, NULL};
    /* Each file is checked whole before the two are compared, so the message names the
     * file that is wrong. */
    gzFile fi = open_idx(images_path, 0x803, 3, idims, err, errlen);
    if (!fi) return -1;
    s.count = (int)idims[0], s.h = (int)idims[1], s.w = (int)idims[2];
    if ((uint64_t)idims[1] * idims[2] > (1u << 24)) {
        gzclose(fi);
        return relnas_errorf(err, errlen, "%s: images of %ux%u pixels are out of range", images_path, idims[1], idims[2]);
    }
    s.pixels = read_body(fi, images_path, (size_t)s.count * s.h * s.w, err, errlen);
    gzclose(fi);
    if (!s.pixels) goto out_free;
    gzFile fl = open_idx(labels_path, 0x801, 1, ldims, err, errlen);
    if (!fl) goto out_free;
    s.labels = read_body(fl, labels_path, ldims[0], err, errlen);
    gzclose(fl);
    if (!s.labels) goto out_free;
    if (ldims[0] != idims[0]) {
        relnas_errorf(err, errlen, "%s has %u labels for the %u images of %s", labels_path, ldims[0], idims[0],
             images_path);
        goto out_free;
    }
    for (int i = 0; i < s.count; ++i)
        if (s.labels[i] + 1 > s.classes) s.classes = s.labels[i] + 1;
    *out = s;
    return 0;

out_free:
    relnas_image_set_free(&s);
    return -1;
}
