/* The patched parser: stock sections still parse, unknown ones stop with file, line and
 * section named (stock Darknet printed a line and crashed later). */
#include <math.h>
#include "relnas_test.h"

static void test_unknown_section_names_file_line_and_section(void **state)
{
    const char *path = relnas_test_write_temp("[net]\nwidth=8\nheight=8\nchannels=3\n\n"
                            "[convolutional]\nfilters=2\nsize=3\n\n# next\n[frobnicate]\nsize=2\n");
    char err[8192];
    int status = relnas_test_parse_in_child(path, err, sizeof(err));
    char want[256];
    snprintf(want, sizeof(want), "%s:11: [frobnicate] (layer 1): unknown section type", path);
    assert_int_equal(status, 1);
    assert_non_null(strstr(err, want));
    unlink(path);
}

static void test_stock_sections_parse_and_predict(void **state)
{
    const char *path = relnas_test_write_temp("[net]\nbatch=1\nwidth=6\nheight=6\nchannels=3\n\n"
                            "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nactivation=leaky\n\n"
                            "[avgpool]\n\n[connected]\noutput=5\nactivation=linear\n\n[softmax]\n");
    network *net = parse_network_cfg((char *)path);
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
