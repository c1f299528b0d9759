/* Devkit detection files (comp4_det_test_<class>.txt) read for `relnas map --dets`: values
 * as written, unknown images, short lines and NaN scores named with file and line, and
 * nothing left allocated after an error (found by fuzzing: the detections read before the
 * bad line leaked). */
#include <math.h>
#include "relnas_test.h"
#include "voc_map.h"

static char *ids[] = {"000005", "000007"}, *names[] = {"cat", "dog"};
static int by_id[] = {0, 1};
static const relnas_voc_testset testset = {2, 2, 0, ids, ids, names, NULL, by_id};
static char dir[64];

static void write_class_file(const char *cls, const char *text)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/comp4_det_test_%s.txt", dir, cls);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int setup(void **state)
{
    strcpy(dir, "/tmp/relnas-dets-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char path[128];
    for (int k = 0; k < 2; ++k) {
        snprintf(path, sizeof(path), "%s/comp4_det_test_%s.txt", dir, names[k]);
        unlink(path);
    }
    return rmdir(dir);
}

static void test_reads_detections_of_every_class(void **state)
{
    write_class_file("cat", "000007 0.9 1 2 30 40.5\n\n000005 0.25 5 6 7 8\n");
    write_class_file("dog", "000005 0.5 10 20 30 40\n");
    relnas_voc_detection *d;
    int n;
    char err[512];
    assert_int_equal(relnas_voc_read_detections(&testset, dir, &d, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 3);
    assert_int_equal(d[0].image, 1);
    assert_int_equal(d[0].cls, 0);
    assert_float_equal(d[0].score, 0.9, 1e-7);
    assert_float_equal(d[0].box.ymax, 40.5, 1e-7);
    assert_int_equal(d[1].image, 0);
    assert_int_equal(d[2].cls, 1);
    assert_float_equal(d[2].box.xmin, 10, 1e-7);
    free(d);
}

static void expect_error(const char *dog_file, const char *want)
{
    write_class_file("cat", "000007 0.9 1 2 30 40\n000005 0.25 5 6 7 8\n");
    write_class_file("dog", dog_file);
    relnas_voc_detection *d = (relnas_voc_detection *)1;
    int n = 7;
    char err[512];
    assert_int_equal(relnas_voc_read_detections(&testset, dir, &d, &n, err, sizeof(err)), -1);
    printf("# %s\n", err);
    assert_non_null(strstr(err, "comp4_det_test_dog.txt, line 2: "));
    assert_non_null(strstr(err, want));
    assert_null(d); /* the cat detections read before were freed */
    assert_int_equal(n, 0);
}

static void test_bad_lines_are_named_and_nothing_is_kept(void **state)
{
    expect_error("000005 0.5 1 1 5 5\n000009 0.5 1 1 5 5\n", "image '000009' is not in the test list");
    expect_error("000005 0.5 1 1 5 5\n000005 0.5 1 1\n", "expected `<id> <score> <xmin> <ymin> <xmax> <ymax>`");
    expect_error("000005 0.5 1 1 5 5\n000005 nan 1 1 5 5\n", "not a finite number");
    expect_error("000005 0.5 1 1 5 5\n000005 0.5 1 1 5 inf\n", "not a finite number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_detections_of_every_class),
        cmocka_unit_test(test_bad_lines_are_named_and_nothing_is_kept),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
