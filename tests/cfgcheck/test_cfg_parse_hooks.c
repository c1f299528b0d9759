/* What patch 0020 adds to Darknet's own parsing: read_cfg's lines are cleaned of carriage
 * returns and trailing comments, and an error() while a cfg is parsed names the file,
 * line and section and exits with status 1 (Darknet aborted). */
#include "relnas_test.h"
#include "relnas_hooks.h"
#include "utils.h"

static void expect_clean(const char *in, const char *want)
{
    char line[128];
    snprintf(line, sizeof(line), "%s", in);
    relnas_clean_cfg_line(line);
    if (strcmp(line, want) != 0) {
        printf("# '%s' became '%s', wanted '%s'\n", in, line, want);
        fail();
    }
}

static void test_clean_line(void **state)
{
    expect_clean("filters=8", "filters=8");
    expect_clean("filters=8#eight", "filters=8");
    expect_clean("filters=8\r", "filters=8");
    expect_clean("[net]\r", "[net]");
    expect_clean("activation=leaky#a\rb", "activation=leaky");
    expect_clean("#whole-line comment", "#whole-line comment");
    expect_clean("\r", "");
    expect_clean("", "");
}

static const char cfg[] = "[net]\nwidth=8\nheight=8\nchannels=3\n\n[convolutional]\nfilters=4\n\n[maxpool]\n";

static void error_in_layer_1(const void *path)
{
    relnas_parsing_section(path, 1, "[maxpool]");
    error("Layer before maxpool layer must output image.");
}

static void test_error_while_parsing(void **state)
{
    const char *path = relnas_test_write_temp(cfg);
    char err[4096], want[512];
    int status = relnas_test_in_child(error_in_layer_1, path, err, sizeof(err));
    snprintf(want, sizeof(want), "%s:9: [maxpool] (layer 1): Layer before maxpool layer must output image.\n", path);
    unlink(path);
    if (status != 1 || strcmp(err, want) != 0) {
        printf("# status %d, stderr: %s# wanted: %s", status, err, want);
        fail();
    }
}

static void error_after_parsing(const void *path)
{
    relnas_parsing_section(path, 1, "[maxpool]");
    relnas_parsing_section(NULL, -1, NULL);
    relnas_darknet_error("not while parsing");
    _exit(7); /* returned: Darknet's own error() goes on */
}

static void test_error_after_parsing(void **state)
{
    char err[4096];
    assert_int_equal(relnas_test_in_child(error_after_parsing, "x.cfg", err, sizeof(err)), 7);
    assert_string_equal(err, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_line),
        cmocka_unit_test(test_error_while_parsing),
        cmocka_unit_test(test_error_after_parsing),
    };
    return cmocka_run_group_tests_name("cfg_parse_hooks", tests, NULL, NULL);
}
