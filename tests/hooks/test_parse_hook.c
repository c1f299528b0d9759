/* The patched parser: stock sections still parse, unknown ones stop with file, line and
 * section named (stock Darknet printed a line and crashed later). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "relnas_test.h"
#include "darknet.h"

static char *write_temp(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/relnas-hook-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* Parses cfgfile in a child process; returns its exit status and its stderr in buf. */
static int parse_in_child(const char *cfgfile, char *buf, size_t buflen)
{
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], STDERR_FILENO);
        close(pipefd[0]);
        parse_network_cfg((char *)cfgfile);
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

static void test_unknown_section_names_file_line_and_section(void **state)
{
    char *path = write_temp("[net]\nwidth=8\nheight=8\nchannels=3\n\n"
                            "[convolutional]\nfilters=2\nsize=3\n\n# next\n[frobnicate]\nsize=2\n");
    char err[8192];
    int status = parse_in_child(path, err, sizeof(err));
    char want[256];
    snprintf(want, sizeof(want), "%s:11: [frobnicate] (layer 1): unknown section type", path);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, want));
    unlink(path);
}

static void test_stock_sections_parse_and_predict(void **state)
{
    char *path = write_temp("[net]\nbatch=1\nwidth=6\nheight=6\nchannels=3\n\n"
                            "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nactivation=leaky\n\n"
                            "[avgpool]\n\n[connected]\noutput=5\nactivation=linear\n\n[softmax]\n");
    network *net = parse_network_cfg(path);
    unlink(path);
    assert_int_equal(net->n, 4);
    assert_int_equal(net->outputs, 5);
    float input[6 * 6 * 3];
    for (int i = 0; i < 6 * 6 * 3; ++i) input[i] = (float)((i * 37) % 11) / 11.0f;
    float *out = network_predict(net, input);
    float sum = 0;
    for (int i = 0; i < 5; ++i) {
        assert_true(out[i] > 0 && out[i] < 1);
        sum += out[i];
    }
    assert_true(fabsf(sum - 1) < 1e-5f);
    free_network(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_section_names_file_line_and_section),
        cmocka_unit_test(test_stock_sections_parse_and_predict),
    };
    return cmocka_run_group_tests_name("parse_hook", tests, NULL, NULL);
}
