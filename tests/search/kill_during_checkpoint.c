/* LD_PRELOAD shim for tests/search/test_search_cli.sh: kills the process with SIGKILL while
 * it writes a checkpoint, as a power cut or the OOM killer would. RELNAS_KILL_CHECKPOINT=N:B
 * kills during the N-th checkpoint write once B bytes of it reached the temporary file
 * (flushed, so a partial file is left), or with B = -1 just before the rename that would
 * put it in place. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *victim;
static long written;
static int opened, nth, at_bytes;

static int is_checkpoint_temp(const char *path)
{
    size_t n = strlen(path), k = strlen("checkpoint.tmp");
    return n >= k && strcmp(path + n - k, "checkpoint.tmp") == 0;
}

FILE *fopen(const char *path, const char *mode)
{
    static FILE *(*real)(const char *, const char *);
    if (!real) real = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
    FILE *fp = real(path, mode);
    const char *setting = getenv("RELNAS_KILL_CHECKPOINT");
    if (fp && setting && mode[0] == 'w' && is_checkpoint_temp(path)) {
        sscanf(setting, "%d:%d", &nth, &at_bytes);
        if (++opened == nth) victim = fp;
    }
    return fp;
}

size_t fwrite(const void *data, size_t size, size_t count, FILE *fp)
{
    static size_t (*real)(const void *, size_t, size_t, FILE *);
    if (!real) real = (size_t(*)(const void *, size_t, size_t, FILE *))dlsym(RTLD_NEXT, "fwrite");
    long bytes = (long)(size * count);
    if (fp == victim && at_bytes >= 0 && written + bytes > at_bytes) {
        real(data, 1, (size_t)(at_bytes - written), fp);
        fflush(fp);
        raise(SIGKILL);
    }
    if (fp == victim) written += bytes;
    return real(data, size, count, fp);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (victim && at_bytes < 0 && is_checkpoint_temp(from)) raise(SIGKILL);
    return real(from, to);
}
