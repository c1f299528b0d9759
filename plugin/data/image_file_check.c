#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "image_file_check.h"
#include "relnas_error.h"

/* How far from the end the end marker may sit: some writers pad or append metadata. */
enum { TAIL = 4096 };

static int tail_contains(FILE *fp, long size, const char *marker, size_t len)
{
    unsigned char tail[TAIL];
    long from = size > TAIL ? size - TAIL : 0;
    if (fseek(fp, from, SEEK_SET)) return 0;
    size_t n = fread(tail, 1, sizeof(tail), fp);
    for (size_t i = 0; i + len <= n; ++i)
        if (memcmp(tail + i, marker, len) == 0) return 1;
    return 0;
}

/* Skips whitespace and # comments of a PNM header; reads one decimal number. */
static int pnm_number(FILE *fp, long *v)
{
    int c;
    while ((c = fgetc(fp)) != EOF) {
        if (c == '#')
            while ((c = fgetc(fp)) != EOF && c != '\n') {}
        else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
    }
    if (c < '0' || c > '9') return -1;
    *v = 0;
    for (; c >= '0' && c <= '9'; c = fgetc(fp))
        if ((*v = *v * 10 + (c - '0')) > 1000000) return -1;
    return 0; /* the one whitespace byte after the number is consumed */
}

/* Bytes a binary PNM's pixels need after its header, or -1 when the header is unreadable. */
static long pnm_pixel_bytes(FILE *fp, int channels)
{
    long w, h, maxval;
    if (pnm_number(fp, &w) || pnm_number(fp, &h) || pnm_number(fp, &maxval) || maxval < 1 || maxval > 65535)
        return -1;
    return w * h * channels * (maxval > 255 ? 2 : 1);
}

static int check_open_file(FILE *fp, const char *path, long size, char *err, size_t errlen)
{
    unsigned char magic[4] = {0};
    if (fread(magic, 1, 4, fp) < 2) return relnas_errorf(err, errlen, "%s: not an image (%ld bytes)", path, size);
    if (magic[0] == 0xFF && magic[1] == 0xD8) {
        if (!tail_contains(fp, size, "\xFF\xD9", 2))
            return relnas_errorf(err, errlen, "%s: truncated JPEG (no end-of-image marker)", path);
    } else if (memcmp(magic, "\x89PNG", 4) == 0) {
        if (!tail_contains(fp, size, "IEND", 4))
            return relnas_errorf(err, errlen, "%s: truncated PNG (no IEND chunk)", path);
    } else if (magic[0] == 'P' && (magic[1] == '5' || magic[1] == '6')) {
        fseek(fp, 2, SEEK_SET);
        long need = pnm_pixel_bytes(fp, magic[1] == '6' ? 3 : 1), have = size - ftell(fp);
        if (need < 0) return relnas_errorf(err, errlen, "%s: unreadable P%c header", path, magic[1]);
        if (have < need)
            return relnas_errorf(err, errlen, "%s: truncated P%c image (%ld of %ld pixel bytes)", path, magic[1],
                                 have, need);
    }
    return 0;
}

int relnas_check_image_file(const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return relnas_errorf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    int rc = fstat(fileno(fp), &st) ? relnas_errorf(err, errlen, "%s: cannot stat: %s", path, strerror(errno))
                                    : check_open_file(fp, path, (long)st.st_size, err, errlen);
    fclose(fp);
    return rc;
}
