/* What the fuzz targets share: the readers under test take file paths, so each input is
 * written to a temporary file (one per process, rewritten for every input). */
#ifndef RELNAS_FUZZ_INPUT_H
#define RELNAS_FUZZ_INPUT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to the k-th temporary file of this process; returns its path. */
static inline const char *fuzz_file(int k, const unsigned char *data, size_t size)
{
    static char paths[2][64];
    if (!paths[k][0]) {
        snprintf(paths[k], sizeof(paths[k]), "/tmp/relnas-fuzz-%d-%d-XXXXXX", (int)getpid(), k);
        int fd = mkstemp(paths[k]);
        if (fd < 0) abort();
        close(fd);
    }
    FILE *fp = fopen(paths[k], "wb");
    if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp)) abort();
    return paths[k];
}

#endif
