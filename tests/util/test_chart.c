/* Charts (plugin/util/chart.h): tick values on hand-computed ranges, the title line with
 * the latest values, and a PNG read back: its size, a horizontal series at the height its
 * value gives, tick labels drawn left of the plot, the temporary file gone. */
#include <cairo.h>
#include <math.h>
#include "relnas_test.h"
#include "chart.h"

static void expect_ticks(double lo, double hi, int max_count, double first, double step, int count)
{
    relnas_chart_ticks t = relnas_chart_nice_ticks(lo, hi, max_count);
    assert_true(fabs(t.first - first) < 1e-12);
    assert_true(fabs(t.step - step) < 1e-12);
    assert_int_equal(t.count, count);
}

static void test_nice_ticks(void **state)
{
    expect_ticks(0, 1, 6, 0, 0.2, 6);        /* 0, .2, ..., 1 */
    expect_ticks(0.13, 0.87, 6, 0, 0.2, 6);  /* .1 would need 9 ticks (.1 ... .9) */
    expect_ticks(3, 97, 5, 0, 50, 3);        /* 10: 11 ticks, 20: 6, 50: 0, 50, 100 */
    expect_ticks(-2.5, 7.5, 6, -5, 5, 4);    /* 2: -4 ... 8 is 7 ticks */
    expect_ticks(2, 2, 5, 1.8, 0.1, 5);      /* one value: widened by 10% each way */
    expect_ticks(0, 0, 5, -1, 0.5, 5);       /* zero: widened by 1 */
    expect_ticks(1, 1200, 9, 0, 200, 7);     /* iterations */
}

static const double loss[4] = {3, 2, NAN, 1.5}, map_x[2] = {2, 4}, map[2] = {0.25, 0.5};

static relnas_chart two_series(relnas_chart_series *s)
{
    s[0] = (relnas_chart_series){.name = "loss", .y = loss, .count = 4, .rgb = {220, 40, 40}};
    s[1] = (relnas_chart_series){.name = "mAP", .x = map_x, .y = map, .count = 2, .rgb = {40, 80, 220},
                                 .side = RELNAS_CHART_RIGHT, .markers = 1};
    return (relnas_chart){.title = "yolo", .x_title = "iteration", .left = {.title = "loss", .lo = NAN, .hi = NAN},
                          .right = {.title = "mAP", .lo = 0, .hi = 1}, .series = s, .nseries = 2,
                          .width = 640, .height = 400};
}

static void test_title_has_latest_values(void **state)
{
    relnas_chart_series s[2];
    relnas_chart c = two_series(s);
    char title[256];
    relnas_chart_title(title, sizeof(title), &c);
    assert_string_equal(title, "yolo: loss 1.5, mAP 0.5 at iteration 4");
    double nothing[1] = {NAN};
    s[1].y = nothing, s[1].count = 1;
    relnas_chart_title(title, sizeof(title), &c);
    assert_string_equal(title, "yolo: loss 1.5, mAP nan at iteration 4");
}

static int is_colour(const unsigned char *px, int r, int g, int b)
{
    return abs(px[2] - r) < 8 && abs(px[1] - g) < 8 && abs(px[0] - b) < 8; /* little-endian BGRx */
}

/* A flat series at 0.5 on an axis fixed to [0, 1] lies half way down the plot area. */
static void test_png_read_back(void **state)
{
    char dir[] = "/tmp/relnas-chart-XXXXXX", path[128], temp[140];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/chart.png", dir);
    snprintf(temp, sizeof(temp), "%s.tmp", path);
    static const double flat[3] = {0.5, 0.5, 0.5};
    relnas_chart_series s = {.name = "flat", .y = flat, .count = 3, .rgb = {220, 40, 40}};
    relnas_chart c = {.title = "t", .x_title = "x", .left = {.title = "y", .lo = 0, .hi = 1}, .series = &s,
                      .nseries = 1, .width = 500, .height = 300};
    char err[256];
    assert_int_equal(relnas_chart_write_png(path, &c, err, sizeof(err)), 0);
    assert_int_equal(access(temp, F_OK), -1);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), 500);
    assert_int_equal(cairo_image_surface_get_height(img), 300);
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    /* plot area: y from 58 to 300 - 52 = 248, so 0.5 is row 153; x from 78 to 476 */
    int red_rows[300] = {0}, dark_left = 0;
    for (int y = 0; y < 300; ++y)
        for (int x = 0; x < 500; ++x) {
            const unsigned char *px = data + y * stride + 4 * x;
            if (x > 100 && x < 450 && is_colour(px, 220, 40, 40)) red_rows[y]++;
            if (x < 70 && y > 60 && y < 245 && px[0] < 80 && px[1] < 80 && px[2] < 80) dark_left++;
        }
    int best = 0;
    for (int y = 0; y < 300; ++y)
        if (red_rows[y] > red_rows[best]) best = y;
    assert_in_range(best, 152, 154);
    assert_true(red_rows[best] > 300); /* the whole width between the first and last point */
    assert_true(dark_left > 50);       /* tick values and the axis title */
    cairo_surface_destroy(img);
    unlink(path);
    rmdir(dir);
}

static void test_unwritable_path_is_named(void **state)
{
    relnas_chart_series s[2];
    relnas_chart c = two_series(s);
    char err[256];
    assert_int_equal(relnas_chart_write_png("/nonexistent-dir/chart.png", &c, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/chart.png"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_title_has_latest_values),
        cmocka_unit_test(test_png_read_back),
        cmocka_unit_test(test_unwritable_path_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
