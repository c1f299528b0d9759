/* Anchors (plugin/data/anchors.h) on hand-computed cases: IoU of centred boxes, mean best
 * IoU, k-means centres of separated clusters (means of their members), rounding and order,
 * determinism per seed, YOLOv3's anchors scaled, masks, and boxes read from a .data file's
 * training labels (pixels; a missing label file or train= line is named). */
#include <math.h>
#include "relnas_test.h"
#include "anchors.h"
#include "label_file.h"
#include "relnas_rng.h"
#include <sys/stat.h>

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-12)

static void test_iou(void **state)
{
    NEAR(relnas_anchor_iou((relnas_anchor){2, 3}, (relnas_anchor){4, 1}), 2.0 / 8); /* 2x1 over 6 + 4 - 2 */
    NEAR(relnas_anchor_iou((relnas_anchor){2, 2}, (relnas_anchor){2, 2}), 1);
    NEAR(relnas_anchor_iou((relnas_anchor){1, 1}, (relnas_anchor){3, 3}), 1.0 / 9);
}

static void test_mean_iou(void **state)
{
    relnas_anchor boxes[2] = {{2, 2}, {4, 4}}, anchors[2] = {{2, 2}, {3, 3}};
    NEAR(relnas_anchors_mean_iou(boxes, 2, anchors, 2), (1 + 9.0 / 16) / 2);
    NEAR(relnas_anchors_mean_iou(boxes, 0, anchors, 2), 0);
}

/* Two clusters far apart: every restart ends at the members' means, smallest first. */
static void test_kmeans_cluster_means(void **state)
{
    relnas_anchor boxes[5] = {{40, 40}, {10, 10}, {44, 44}, {12, 12}, {42, 42}}, anchors[2];
    for (uint64_t seed = 0; seed < 5; ++seed) {
        relnas_anchors_kmeans(boxes, 5, 2, 3, seed, anchors);
        NEAR(anchors[0].w, 11), NEAR(anchors[0].h, 11);
        NEAR(anchors[1].w, 42), NEAR(anchors[1].h, 42);
    }
}

/* Means are rounded to whole pixels (10.4 -> 10, 10.6 -> 11), never below 1. */
static void test_kmeans_rounds(void **state)
{
    relnas_anchor boxes[3] = {{10.4, 10.6}, {10.4, 10.6}, {0.2, 0.3}}, anchors[2];
    relnas_anchors_kmeans(boxes, 3, 2, 2, 7, anchors);
    NEAR(anchors[0].w, 1), NEAR(anchors[0].h, 1);
    NEAR(anchors[1].w, 10), NEAR(anchors[1].h, 11);
}

static void random_boxes(relnas_anchor *boxes, int n)
{
    relnas_rng rng = relnas_rng_seeded(99);
    for (int i = 0; i < n; ++i) boxes[i] = (relnas_anchor){5 + 200 * relnas_rng_uniform(&rng), 5 + 200 * relnas_rng_uniform(&rng)};
}

static void test_kmeans_deterministic_per_seed(void **state)
{
    relnas_anchor boxes[300], a[9], b[9], c[9];
    random_boxes(boxes, 300);
    relnas_anchors_kmeans(boxes, 300, 9, 4, 5, a);
    relnas_anchors_kmeans(boxes, 300, 9, 4, 5, b);
    assert_memory_equal(a, b, sizeof(a));
    for (int j = 1; j < 9; ++j) assert_true(a[j].w * a[j].h >= a[j - 1].w * a[j - 1].h);
    /* more restarts keep the best run, so never a worse fit than the first of them alone */
    relnas_anchors_kmeans(boxes, 300, 9, 1, 5, c);
    assert_true(relnas_anchors_mean_iou(boxes, 300, a, 9) >= relnas_anchors_mean_iou(boxes, 300, c, 9) - 0.01);
}

/* 10,13 ... 373,326 at 416; at 128: 10*128/416 = 3.08 -> 3, 13 -> 4, 373 -> 114.8 -> 115. */
static void test_yolov3_anchors(void **state)
{
    relnas_anchor a[9];
    char text[256];
    relnas_yolov3_anchors(416, 416, a);
    relnas_anchors_format(a, 9, text, sizeof(text));
    assert_string_equal(text, "10,13, 16,30, 33,23, 30,61, 62,45, 59,119, 116,90, 156,198, 373,326");
    relnas_yolov3_anchors(128, 128, a);
    NEAR(a[0].w, 3), NEAR(a[0].h, 4), NEAR(a[8].w, 115), NEAR(a[8].h, 100);
}

static void test_masks(void **state)
{
    int first[4];
    relnas_anchor_masks(9, 3, first);
    assert_int_equal(first[0], 0), assert_int_equal(first[1], 3), assert_int_equal(first[2], 6), assert_int_equal(first[3], 9);
    relnas_anchor_masks(10, 3, first);
    assert_int_equal(first[1], 3), assert_int_equal(first[2], 6), assert_int_equal(first[3], 10);
}

static void test_label_path(void **state)
{
    char out[256];
    relnas_label_path("/d/VOC2007/JPEGImages/000001.jpg", out, sizeof(out));
    assert_string_equal(out, "/d/VOC2007/labels/000001.txt");
    relnas_label_path("/d/images/a.png", out, sizeof(out));
    assert_string_equal(out, "/d/labels/a.txt");
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_boxes_of_data(void **state)
{
    char dir[] = "/tmp/relnas-anchors-XXXXXX", path[256], text[512], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/JPEGImages", dir), mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/labels", dir), mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/labels/a.txt", dir), write_file(path, "0 0.5 0.5 0.5 0.25\n1 0.2 0.2 0.1 0.1\n");
    snprintf(path, sizeof(path), "%s/labels/b.txt", dir), write_file(path, "2 0.5 0.5 1 1\n");
    snprintf(text, sizeof(text), "%s/JPEGImages/a.jpg\n\n%s/JPEGImages/b.jpg\n", dir, dir);
    snprintf(path, sizeof(path), "%s/train.txt", dir), write_file(path, text);
    snprintf(text, sizeof(text), "classes=3\ntrain=%s/train.txt\n", dir);
    snprintf(path, sizeof(path), "%s/x.data", dir), write_file(path, text);
    relnas_anchor *boxes;
    int n;
    assert_int_equal(relnas_anchor_boxes_of_data(path, 200, 100, &boxes, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 3);
    NEAR(boxes[0].w, 100), NEAR(boxes[0].h, 25), NEAR(boxes[1].w, 20), NEAR(boxes[1].h, 10);
    NEAR(boxes[2].w, 200), NEAR(boxes[2].h, 100);
    free(boxes);
    snprintf(text, sizeof(text), "%s/labels/b.txt", dir), unlink(text);
    assert_int_equal(relnas_anchor_boxes_of_data(path, 200, 100, &boxes, &n, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "labels/b.txt"));
    assert_null(boxes);
    write_file(path, "classes=3\n");
    assert_int_equal(relnas_anchor_boxes_of_data(path, 200, 100, &boxes, &n, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "no train="));
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iou),
        cmocka_unit_test(test_mean_iou),
        cmocka_unit_test(test_kmeans_cluster_means),
        cmocka_unit_test(test_kmeans_rounds),
        cmocka_unit_test(test_kmeans_deterministic_per_seed),
        cmocka_unit_test(test_yolov3_anchors),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_label_path),
        cmocka_unit_test(test_boxes_of_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
