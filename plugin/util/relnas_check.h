/* Checks for programmer errors and failed system calls, reporting file:line. User errors
 * (bad cfg, missing file) are not for these: they return codes and messages instead. */
#ifndef RELNAS_CHECK_H
#define RELNAS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELNAS_ASSERT(cond)                                                          \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: internal error: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* calloc that never returns NULL: out of memory ends the program with where and how much. */
#define RELNAS_CALLOC(n, size) relnas_calloc_checked((n), (size), __FILE__, __LINE__)

static inline void *relnas_calloc_checked(size_t n, size_t size, const char *file, int line)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "%s:%d: out of memory allocating %zu x %zu bytes\n", file, line, n, size);
        exit(EXIT_FAILURE);
    }
    return p;
}

/* realloc to n x size bytes that never returns NULL (the old block is kept until it moves). */
#define RELNAS_REALLOC(p, n, size) relnas_realloc_checked((p), (n), (size), __FILE__, __LINE__)

static inline void *relnas_realloc_checked(void *p, size_t n, size_t size, const char *file, int line)
{
    size_t bytes = n * size;
    void *bigger = realloc(p, bytes ? bytes : 1);
    if (!bigger) {
        fprintf(stderr, "%s:%d: out of memory allocating %zu x %zu bytes\n", file, line, n, size);
        exit(EXIT_FAILURE);
    }
    return bigger;
}

/* strdup that never returns NULL. */
#define RELNAS_STRDUP(s) relnas_strdup_checked((s), __FILE__, __LINE__)

static inline char *relnas_strdup_checked(const char *s, const char *file, int line)
{
    size_t n = strlen(s) + 1;
    return memcpy(relnas_calloc_checked(n, 1, file, line), s, n);
}

#endif
