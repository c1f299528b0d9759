#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "quiet_stderr.h"

int relnas_stderr_silence(void)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO), devnull = open("/dev/null", O_WRONLY);
    if (saved >= 0 && devnull >= 0) dup2(devnull, STDERR_FILENO);
    if (devnull >= 0) close(devnull);
    if (devnull < 0 && saved >= 0) close(saved), saved = -1;
    return saved;
}

void relnas_stderr_restore(int saved)
{
    fflush(stderr);
    if (saved >= 0) dup2(saved, STDERR_FILENO), close(saved);
}
