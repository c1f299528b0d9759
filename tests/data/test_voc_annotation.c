/* VOC annotation XML: size, objects with difficult flags and 1-based boxes; elements nested
 * deeper than the reader tracks (found by fuzzing: it read past its path array); numbers
 * too large for pixels (found by fuzzing: inf converted to int). */
#include "relnas_test.h"
#include "voc_annotation.h"

static const char good[] =
    "<annotation><size><width>300</width><height>200</height><depth>3</depth></size>\n"
    "<object><name>dog</name><difficult>1</difficult><bndbox><xmin>10</xmin><ymin>20.5</ymin>"
    "<xmax>100</xmax><ymax>120</ymax></bndbox></object>\n"
    "<object><name> cat </name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object>"
    "</annotation>\n";

static void test_reads_size_objects_and_flags(void **state)
{
    const char *path = relnas_test_write_temp(good);
    relnas_voc_annotation a;
    char err[512];
    assert_int_equal(relnas_read_voc_annotation(path, &a, err, sizeof(err)), 0);
    assert_int_equal(a.width, 300);
    assert_int_equal(a.height, 200);
    assert_int_equal(a.count, 2);
    assert_string_equal(a.objects[0].name, "dog");
    assert_int_equal(a.objects[0].difficult, 1);
    assert_float_equal(a.objects[0].box.ymin, 20.5, 1e-6);
    assert_float_equal(a.objects[0].box.xmax, 100, 1e-6);
    assert_string_equal(a.objects[1].name, "cat");
    assert_int_equal(a.objects[1].difficult, 0);
    relnas_voc_annotation_free(&a);
    unlink(path);
}

static void test_deep_nesting_is_harmless(void **state)
{
    char xml[2048] = "<annotation><size><width>3</width><height>3</height></size>";
    for (int i = 0; i < 12; ++i) strcat(xml, "<a>");
    strcat(xml, "<size><width>9</width></size>");
    for (int i = 0; i < 12; ++i) strcat(xml, "</a>");
    strcat(xml, "</annotation>\n");
    const char *path = relnas_test_write_temp(xml);
    relnas_voc_annotation a;
    char err[512];
    assert_int_equal(relnas_read_voc_annotation(path, &a, err, sizeof(err)), 0);
    assert_int_equal(a.width, 3); /* the deep <size> is not the annotation's */
    relnas_voc_annotation_free(&a);
    unlink(path);
}

/* Found by fuzzing (UBSan): a size of 666e6666 overflowed a double to inf and was then
 * converted to int. Sizes and coordinates beyond a million pixels are errors. */
static void expect_number_refused(const char *xml)
{
    const char *path = relnas_test_write_temp(xml);
    relnas_voc_annotation a;
    char err[512];
    assert_int_equal(relnas_read_voc_annotation(path, &a, err, sizeof(err)), -1);
    printf("# %s\n", err);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "a number of pixels (at most 1000000) was expected"));
    unlink(path);
}

static void test_huge_numbers_are_errors(void **state)
{
    expect_number_refused("<annotation><size><width>0666E6666</width><height>3</height></size></annotation>\n");
    expect_number_refused("<annotation><size><width>3</width><height>3e9</height></size></annotation>\n");
    expect_number_refused("<annotation><size><width>3</width><height>3</height></size><object><name>a</name>"
                          "<bndbox><xmin>1e300</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object>"
                          "</annotation>\n");
    expect_number_refused("<annotation><size><width>nan</width><height>3</height></size></annotation>\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_size_objects_and_flags),
        cmocka_unit_test(test_deep_nesting_is_harmless),
        cmocka_unit_test(test_huge_numbers_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
