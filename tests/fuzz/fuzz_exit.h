/* For targets that run Darknet code which exits on a damaged file (the behaviour users get):
 * linked with -Wl,--wrap=exit -Wl,--wrap=fopen, an exit() while armed returns to the target
 * instead, and the file Darknet left open is closed, so one process can try millions of
 * inputs. libFuzzer's own exit() goes through unchanged. */
#ifndef RELNAS_FUZZ_EXIT_H
#define RELNAS_FUZZ_EXIT_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf fuzz_exit_jump;
static int fuzz_exit_armed;
static FILE *fuzz_exit_open_file;

void __real_exit(int status) __attribute__((noreturn));
FILE *__real_fopen(const char *path, const char *mode);
void __wrap_exit(int status);
FILE *__wrap_fopen(const char *path, const char *mode);

void __wrap_exit(int status)
{
    if (fuzz_exit_armed) {
        fuzz_exit_armed = 0;
        longjmp(fuzz_exit_jump, 1);
    }
    __real_exit(status);
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
    FILE *fp = __real_fopen(path, mode);
    if (fuzz_exit_armed) fuzz_exit_open_file = fp;
    return fp;
}

/* Runs fn(arg); returns 0 when it returned, 1 when it called exit(). */
static inline int fuzz_run_catching_exit(void (*fn)(void *), void *arg)
{
    fuzz_exit_open_file = NULL;
    if (setjmp(fuzz_exit_jump)) {
        if (fuzz_exit_open_file) fclose(fuzz_exit_open_file);
        return 1;
    }
    fuzz_exit_armed = 1;
    fn(arg);
    fuzz_exit_armed = 0;
    return 0;
}

#endif
