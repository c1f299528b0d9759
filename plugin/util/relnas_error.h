/* User-facing error messages: formatted into the caller's buffer, -1 returned so a check
 * can `return relnas_errorf(err, errlen, "...", ...)`. */
#ifndef RELNAS_ERROR_H
#define RELNAS_ERROR_H

#include <stdarg.h>
#include <stddef.h>

int relnas_errorf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The same with a va_list, for wrappers. */
int relnas_verrorf(char *err, size_t errlen, const char *fmt, va_list ap);

#endif
