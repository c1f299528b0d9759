/* User-facing error messages: formatted into the caller's buffer, -1 returned so a check
 * can `return relnas_errorf(err, errlen, "...", ...)`. */
#ifndef RELNAS_ERROR_H
#define RELNAS_ERROR_H

#include <stdarg.h>
#include <stddef.h>

int relnas_errorf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The same with a va_list, for wrappers. */
int relnas_verrorf(char *err, size_t errlen, const char *fmt, va_list ap);

/* Flushes stdio and ends the process with status 1 at once, without exit()'s handlers: for
 * errors found in Darknet's data-loading thread (or while it runs), where exit() tears
 * down buffers the other thread is still using (measured: status 139 instead of 1). */
void relnas_exit_failure_now(void) __attribute__((noreturn));

#endif
