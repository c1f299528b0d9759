/* Darknet detection label files read strictly: values as written, blank lines skipped, and
 * every kind of bad line (too few or many fields, a class out of range or not a number,
 * pixel coordinates, zero or negative sizes, NaN) named with the file and line. Darknet's
 * own reader stopped at such a line and trained on the labels before it. */
#include "relnas_test.h"
#include "label_file.h"

static void test_reads_labels_as_written(void **state)
{
    const char *path = relnas_test_write_temp("0 0.5 0.25 0.2 0.1\n\n  \n3\t1.005 0 1 0.75\r\n2 -0.005 0.5 0.5 0.5");
    relnas_label *l;
    int n;
    char err[512];
    assert_int_equal(relnas_read_labels(path, 4, &l, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 3);
    assert_int_equal(l[0].cls, 0);
    assert_float_equal(l[0].x, 0.5, 1e-7);
    assert_float_equal(l[0].y, 0.25, 1e-7);
    assert_float_equal(l[0].w, 0.2, 1e-7);
    assert_float_equal(l[0].h, 0.1, 1e-7);
    assert_int_equal(l[1].cls, 3);
    assert_float_equal(l[1].x, 1.005, 1e-7); /* within the slack: Darknet clips it */
    assert_float_equal(l[1].h, 0.75, 1e-7);
    assert_int_equal(l[2].cls, 2);
    assert_float_equal(l[2].x, -0.005, 1e-7);
    free(l);
    unlink(path);
}

static void test_empty_file_has_no_labels(void **state)
{
    const char *path = relnas_test_write_temp("");
    relnas_label *l;
    int n = -1;
    char err[512];
    assert_int_equal(relnas_read_labels(path, 4, &l, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 0);
    free(l);
    unlink(path);
}

typedef struct bad_case {
    const char *text, *expect;
} bad_case;

static const bad_case bad[] = {
    {"0 0.5 0.5 0.2\n", "line 1: fewer than 5 fields"},
    {"0 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2 0.2 7\n", "line 2: more than 5 fields"},
    {"4 0.5 0.5 0.2 0.2\n", "line 1: class '4' is not a class number from 0 to 3"},
    {"-1 0.5 0.5 0.2 0.2\n", "class '-1' is not a class number"},
    {"dog 0.5 0.5 0.2 0.2\n", "class 'dog' is not a class number"},
    {"1.5 0.5 0.5 0.2 0.2\n", "class '1.5' is not a class number"},
    {"\n\n0 245 120 30 40\n", "line 3: x = '245' is not a fraction of the image in [0, 1]"},
    {"0 0.5 0.5 0 0.2\n", "w = '0' is not a fraction of the image in (0, 1]"},
    {"0 0.5 0.5 0.2 -0.1\n", "h = '-0.1' is not a fraction"},
    {"0 nan 0.5 0.2 0.2\n", "x = 'nan' is not a fraction"},
    {"0 0.5 0.5x 0.2 0.2\n", "y = '0.5x' is not a fraction"},
};

static void test_bad_line(void **state)
{
    const bad_case *c = *state;
    const char *path = relnas_test_write_temp(c->text);
    relnas_label *l = NULL;
    int n = 5;
    char err[512];
    assert_int_equal(relnas_read_labels(path, 4, &l, &n, err, sizeof(err)), -1);
    printf("# %s\n", err);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, c->expect));
    assert_null(l);
    assert_int_equal(n, 0);
    unlink(path);
}

static void test_missing_file(void **state)
{
    relnas_label *l;
    int n;
    char err[512];
    assert_int_equal(relnas_read_labels("/nonexistent/labels/a.txt", 4, &l, &n, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/labels/a.txt: cannot open the label file"));
}

int main(void)
{
    enum { nbad = sizeof(bad) / sizeof(bad[0]) };
    struct CMUnitTest tests[nbad + 3];
    tests[0] = (struct CMUnitTest)cmocka_unit_test(test_reads_labels_as_written);
    tests[1] = (struct CMUnitTest)cmocka_unit_test(test_empty_file_has_no_labels);
    tests[2] = (struct CMUnitTest)cmocka_unit_test(test_missing_file);
    for (int i = 0; i < nbad; ++i)
        tests[3 + i] = (struct CMUnitTest){bad[i].expect, test_bad_line, NULL, NULL, (void *)&bad[i]};
    return cmocka_run_group_tests_name("label_file", tests, NULL, NULL);
}
