/* relnas_cfg_section_line: section headers counted the way Darknet's read_cfg does. */
#include "relnas_test.h"
#include "cfg_location.h"

static void test_finds_headers_past_comments_blanks_and_indent(void **state)
{
    const char *path = relnas_test_write_temp("[net]\nwidth=8\n\n# a comment [not a section]\n"
                            "  [convolutional]\nsize=3\n\t[route]\nlayers=-1\n");
    assert_int_equal(relnas_cfg_section_line(path, 0), 1);
    assert_int_equal(relnas_cfg_section_line(path, 1), 5);
    assert_int_equal(relnas_cfg_section_line(path, 2), 7);
    assert_int_equal(relnas_cfg_section_line(path, 3), 0);
    unlink(path);
}

static void test_long_line_continuation_is_not_a_header(void **state)
{
    size_t n = 5000;
    char *text = calloc(n + 64, 1);
    strcpy(text, "[net]\nx=");
    size_t len = strlen(text);
    memset(text + len, 'a', 4096 - 1 - 2); /* "x=" + fill makes the first chunk end at 4095 */
    strcat(text, "[inside]\n[conv]\n");
    const char *path = relnas_test_write_temp(text);
    assert_int_equal(relnas_cfg_section_line(path, 1), 3);
    unlink(path);
    free(text);
}

static void test_missing_file_gives_zero(void **state)
{
    assert_int_equal(relnas_cfg_section_line("/nonexistent/relnas.cfg", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_headers_past_comments_blanks_and_indent),
        cmocka_unit_test(test_long_line_continuation_is_not_a_header),
        cmocka_unit_test(test_missing_file_gives_zero),
    };
    return cmocka_run_group_tests_name("cfg_location", tests, NULL, NULL);
}
