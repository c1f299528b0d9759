#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "quiet_output.h"

static int silence(FILE *stream, int fd)
{
    fflush(stream);
    int saved = dup(fd), devnull = open("/dev/null", O_WRONLY);
    if (saved >= 0 && devnull >= 0) dup2(devnull, fd);
    if (devnull >= 0) close(devnull);
    if (devnull < 0 && saved >= 0) close(saved), saved = -1;
    return saved;
}

static void restore(FILE *stream, int fd, int saved)
{
    fflush(stream);
    if (saved >= 0) dup2(saved, fd), close(saved);
}

int relnas_stderr_silence(void) { return silence(stderr, STDERR_FILENO); }
void relnas_stderr_restore(int saved) { restore(stderr, STDERR_FILENO, saved); }
int relnas_stdout_silence(void) { return silence(stdout, STDOUT_FILENO); }
void relnas_stdout_restore(int saved) { restore(stdout, STDOUT_FILENO, saved); }
