/* What every cmocka test of ours includes. */
#ifndef RELNAS_TEST_H
#define RELNAS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "darknet.h"

/* Skips the current test, printing why (tests/run-tests shows the reason). */
#define RELNAS_SKIP(reason)                        \
    do {                                           \
        printf("# skipped because: %s\n", reason); \
        skip();                                    \
    } while (0)

/* Tests build CPU networks unless they ask for the GPU (Darknet's gpu_index starts at 0,
 * which in a GPU=1 build would put every parsed network on the GPU). */
__attribute__((constructor)) static void relnas_test_cpu_by_default(void)
{
    gpu_index = -1;
}

#ifdef GPU
#include <cuda_runtime.h>
/* 1 when a CUDA device can be used (GPU tests skip, saying so, where not). */
static inline int relnas_test_have_gpu(void)
{
    int count = 0;
    return cudaGetDeviceCount(&count) == cudaSuccess && count > 0 && cudaSetDevice(0) == cudaSuccess &&
           cudaFree(0) == cudaSuccess;
}
#endif

/* Writes text to a new temporary file; returns its path (static storage, one at a time). */
static inline const char *relnas_test_write_temp(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/relnas-test-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* Runs fn(arg) in a child process, so an exit there is observable; returns the child's
 * exit status (128 + signal if it died) with what it wrote to stderr in buf. */
static inline int relnas_test_in_child(void (*fn)(const void *), const void *arg, char *buf,
                                       size_t buflen)
{
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        fn(arg);
        _exit(0);
    }
    close(pipefd[1]);
    size_t used = 0;
    ssize_t got;
    while (used + 1 < buflen && (got = read(pipefd[0], buf + used, buflen - 1 - used)) > 0)
        used += (size_t)got;
    buf[used] = '\0';
    close(pipefd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static inline void relnas_test_parse(const void *cfgfile)
{
    parse_network_cfg((char *)cfgfile);
}

/* Parses cfgfile in a child process (see relnas_test_in_child). */
static inline int relnas_test_parse_in_child(const char *cfgfile, char *buf, size_t buflen)
{
    return relnas_test_in_child(relnas_test_parse, cfgfile, buf, buflen);
}

#endif
