/* VOC average precision on cases worked out by hand (values in the comments). */
#include "relnas_test.h"
#include "voc_ap.h"

#define BOX(x0, y0, x1, y1) ((relnas_voc_box){x0, y0, x1, y1})

static const relnas_voc_box a = {10, 10, 49, 49}, b = {100, 100, 139, 139}, c = {200, 10, 239, 49};

static double ap(const relnas_voc_object *o, int no, const relnas_voc_detection *d, int nd, relnas_voc_metric m)
{
    return relnas_voc_ap(o, no, d, nd, 0, 0.5, m);
}

static void test_iou_uses_inclusive_pixels(void **state)
{
    /* 10x10 boxes overlapping in 5x5: 25 / (100 + 100 - 25) */
    assert_float_equal(relnas_voc_iou(BOX(0, 0, 9, 9), BOX(5, 5, 14, 14)), 25.0 / 175.0, 1e-9);
    assert_float_equal(relnas_voc_iou(BOX(0, 0, 9, 9), BOX(10, 0, 19, 9)), 0, 1e-12);
    assert_float_equal(relnas_voc_iou(a, a), 1, 1e-12);
}

static void test_perfect_detections(void **state)
{
    relnas_voc_object o[3] = {{0, 0, 0, a}, {0, 0, 0, b}, {1, 0, 0, c}};
    relnas_voc_detection d[3] = {{0, 0, .9f, a}, {0, 0, .8f, b}, {1, 0, .7f, c}};
    assert_float_equal(ap(o, 3, d, 3, RELNAS_VOC07), 1, 1e-12);
    assert_float_equal(ap(o, 3, d, 3, RELNAS_VOC12), 1, 1e-12);
}

static void test_false_positive_ranked_first(void **state)
{
    /* FP then TP: recall 0, 1; precision 0, 1/2 -> 0.5 by both metrics */
    relnas_voc_object o[1] = {{0, 0, 0, a}};
    relnas_voc_detection d[2] = {{0, 0, .8f, a}, {0, 0, .9f, c}};
    assert_float_equal(ap(o, 1, d, 2, RELNAS_VOC07), 0.5, 1e-12);
    assert_float_equal(ap(o, 1, d, 2, RELNAS_VOC12), 0.5, 1e-12);
}

static void test_duplicates_are_false_positives(void **state)
{
    /* TP (a), duplicate of a, TP (b): recall .5 .5 1; precision 1 .5 2/3.
     * voc07: 6 thresholds (0...0.5) see precision 1, 5 (0.6...1) see 2/3: (6 + 10/3) / 11.
     * voc12: .5 x 1 + .5 x 2/3. */
    relnas_voc_object o[2] = {{0, 0, 0, a}, {0, 0, 0, b}};
    relnas_voc_detection d[3] = {{0, 0, .9f, a}, {0, 0, .8f, BOX(11, 11, 49, 49)}, {0, 0, .7f, b}};
    assert_float_equal(ap(o, 2, d, 3, RELNAS_VOC07), (6 + 10.0 / 3) / 11, 1e-9);
    assert_float_equal(ap(o, 2, d, 3, RELNAS_VOC12), 0.5 + 1.0 / 3, 1e-9);
}

static void test_difficult_matches_are_ignored(void **state)
{
    /* the detection on the difficult object counts neither way; one positive: AP 1 */
    relnas_voc_object o[2] = {{0, 0, 0, a}, {0, 0, 1, b}};
    relnas_voc_detection d[2] = {{0, 0, .9f, b}, {0, 0, .8f, a}};
    assert_float_equal(ap(o, 2, d, 2, RELNAS_VOC07), 1, 1e-12);
    assert_float_equal(ap(o, 2, d, 2, RELNAS_VOC12), 1, 1e-12);
    /* the same object not difficult: two positives found, AP 1 as well; missed difficult: still 1 */
    relnas_voc_detection only_a[1] = {{0, 0, .8f, a}};
    assert_float_equal(ap(o, 2, only_a, 1, RELNAS_VOC12), 1, 1e-12);
    o[1].difficult = 0;
    assert_float_equal(ap(o, 2, only_a, 1, RELNAS_VOC12), 0.5, 1e-12);
}

static void test_overlap_must_exceed_the_threshold(void **state)
{
    /* IoU exactly 0.5 (100 of 200 pixels) is not a match */
    relnas_voc_object o[1] = {{0, 0, 0, BOX(0, 0, 9, 9)}};
    relnas_voc_detection d[1] = {{0, 0, .9f, BOX(0, 0, 9, 19)}};
    assert_float_equal(ap(o, 1, d, 1, RELNAS_VOC12), 0, 1e-12);
    assert_float_equal(relnas_voc_ap(o, 1, d, 1, 0, 0.49, RELNAS_VOC12), 1, 1e-12);
}

static void test_eleven_point_and_all_point_differ(void **state)
{
    /* one of three objects found: recall 1/3, precision 1.
     * voc07: thresholds 0, .1, .2, .3 -> 4/11; voc12: 1/3 */
    relnas_voc_object o[3] = {{0, 0, 0, a}, {0, 0, 0, b}, {1, 0, 0, c}};
    relnas_voc_detection d[1] = {{0, 0, .9f, a}};
    assert_float_equal(ap(o, 3, d, 1, RELNAS_VOC07), 4.0 / 11, 1e-9);
    assert_float_equal(ap(o, 3, d, 1, RELNAS_VOC12), 1.0 / 3, 1e-9);
}

static void test_other_classes_and_images_do_not_count(void **state)
{
    /* a class-1 object at the same place, and a detection in another image */
    relnas_voc_object o[2] = {{0, 0, 0, a}, {0, 1, 0, b}};
    relnas_voc_detection d[3] = {{0, 0, .9f, a}, {0, 0, .95f, BOX(100, 100, 139, 139)}, {0, 1, .99f, a}};
    /* the class-0 detection on b matches no class-0 object: FP ranked first -> 0.5 */
    assert_float_equal(ap(o, 2, d, 3, RELNAS_VOC12), 0.5, 1e-12);
    relnas_voc_detection elsewhere[1] = {{5, 0, .9f, a}};
    assert_float_equal(ap(o, 2, elsewhere, 1, RELNAS_VOC12), 0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iou_uses_inclusive_pixels),
        cmocka_unit_test(test_perfect_detections),
        cmocka_unit_test(test_false_positive_ranked_first),
        cmocka_unit_test(test_duplicates_are_false_positives),
        cmocka_unit_test(test_difficult_matches_are_ignored),
        cmocka_unit_test(test_overlap_must_exceed_the_threshold),
        cmocka_unit_test(test_eleven_point_and_all_point_differ),
        cmocka_unit_test(test_other_classes_and_images_do_not_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
