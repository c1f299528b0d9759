#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "relnas_error.h"

int relnas_verrorf(char *err, size_t errlen, const char *fmt, va_list ap)
{
    vsnprintf(err, errlen, fmt, ap);
    return -1;
}

int relnas_errorf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    relnas_verrorf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

void relnas_exit_failure_now(void)
{
    fflush(NULL);
    _exit(EXIT_FAILURE);
}
