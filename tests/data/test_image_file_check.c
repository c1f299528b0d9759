/* Truncated image files are caught before stb_image decodes them into garbage: JPEGs
 * without their end-of-image marker, PNGs without IEND, binary PPM/PGM short of pixels
 * (header comments and 16-bit samples counted); complete files and formats the check does
 * not know pass. */
#include "relnas_test.h"
#include "image_file_check.h"

static const char *write_bytes(const void *data, size_t n)
{
    static char path[64];
    strcpy(path, "/tmp/relnas-img-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

static void expect(const void *data, size_t n, const char *want)
{
    const char *path = write_bytes(data, n);
    char err[512] = "";
    int rc = relnas_check_image_file(path, err, sizeof(err));
    printf("# %s\n", rc ? err : "accepted");
    if (want) {
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, path));
        assert_non_null(strstr(err, want));
    } else {
        assert_int_equal(rc, 0);
    }
    unlink(path);
}

static void test_jpeg(void **state)
{
    const unsigned char whole[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 3, 0xFF, 0xD9};
    expect(whole, sizeof(whole), NULL);
    expect(whole, sizeof(whole) - 2, "truncated JPEG (no end-of-image marker)");
    unsigned char padded[sizeof(whole) + 3] = {0};
    memcpy(padded, whole, sizeof(whole)); /* zero bytes after the marker, as some cameras write */
    expect(padded, sizeof(padded), NULL);
}

static void test_png(void **state)
{
    const char whole[] = "\x89PNG\r\n\x1a\n....IHDR....IDAT....\0\0\0\0IEND\xae\x42\x60\x82";
    expect(whole, sizeof(whole) - 1, NULL);
    expect(whole, sizeof(whole) - 13, "truncated PNG (no IEND chunk)");
}

static void test_pnm(void **state)
{
    char ppm[64] = "P6\n# a comment\n2 2\n255\n";
    size_t head = strlen(ppm);
    expect(ppm, head + 12, NULL);
    expect(ppm, head + 11, "truncated P6 image (11 of 12 pixel bytes)");
    const char pgm16[] = "P5 3 1 65535\n123456";
    expect(pgm16, sizeof(pgm16) - 1, NULL);
    expect(pgm16, sizeof(pgm16) - 2, "truncated P5 image (5 of 6 pixel bytes)");
    expect("P6\nwide 2\n255\n", 14, "unreadable P6 header");
}

static void test_other_formats_and_errors(void **state)
{
    expect("BM some bitmap", 14, NULL); /* left to the decoder */
    expect("x", 1, "not an image (1 bytes)");
    char err[512];
    assert_int_equal(relnas_check_image_file("/nonexistent/a.jpg", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "/nonexistent/a.jpg: cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_pnm),
        cmocka_unit_test(test_other_formats_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
