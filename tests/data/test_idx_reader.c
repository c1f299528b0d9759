/* IDX files as Fashion-MNIST ships them (gzip) and plain, and every way one can be wrong. */
#include <zlib.h>
#include "relnas_test.h"
#include "image_set.h"

static void put_u32(unsigned char *b, unsigned v)
{
    b[0] = v >> 24, b[1] = v >> 16, b[2] = v >> 8, b[3] = v;
}

/* Writes an IDX file: magic, dims, then n data bytes (gzip-compressed when gz). */
static const char *write_idx(const char *name, unsigned magic, const unsigned *dims, int ndims,
                             const unsigned char *data, size_t n, int gz)
{
    static char paths[8][64];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, 64, "/tmp/relnas-idx-%d-%s", (int)getpid(), name);
    unsigned char head[16];
    put_u32(head, magic);
    for (int i = 0; i < ndims; ++i) put_u32(head + 4 + 4 * i, dims[i]);
    if (gz) {
        gzFile f = gzopen(path, "wb");
        gzwrite(f, head, 4 + 4 * ndims);
        if (n) gzwrite(f, data, (unsigned)n);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        fwrite(head, 1, 4 + 4 * ndims, f);
        fwrite(data, 1, n, f);
        fclose(f);
    }
    return path;
}

static const unsigned char pixels[3 * 2 * 3] = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 250, 251, 252, 253, 254, 255};
static const unsigned char labels[3] = {2, 0, 7};

static void test_reads_gzip_and_plain(void **state)
{
    for (int gz = 0; gz < 2; ++gz) {
        unsigned idims[3] = {3, 2, 3}, ldims[1] = {3};
        const char *ip = write_idx("img", 0x803, idims, 3, pixels, sizeof(pixels), gz);
        const char *lp = write_idx("lab", 0x801, ldims, 1, labels, sizeof(labels), gz);
        relnas_image_set s;
        char err[256] = "";
        assert_int_equal(relnas_read_idx(ip, lp, &s, err, sizeof(err)), 0);
        assert_int_equal(s.count, 3);
        assert_int_equal(s.h, 2);
        assert_int_equal(s.w, 3);
        assert_int_equal(s.c, 1);
        assert_int_equal(s.classes, 8);
        assert_memory_equal(s.pixels, pixels, sizeof(pixels));
        assert_memory_equal(s.labels, labels, sizeof(labels));
        relnas_image_set_free(&s);
        unlink(ip), unlink(lp);
    }
}

static void expect_error(const char *ip, const char *lp, const char *needle)
{
    relnas_image_set s;
    char err[256] = "";
    int rc = relnas_read_idx(ip, lp, &s, err, sizeof(err));
    if (rc == 0 || !strstr(err, needle)) {
        printf("# wanted an error containing \"%s\", got rc %d: %s\n", needle, rc, err);
        fail();
    }
}

static void test_bad_files_are_named_errors(void **state)
{
    unsigned idims[3] = {3, 2, 3}, ldims[1] = {3}, four[3] = {4, 2, 3}, two[1] = {2};
    const char *good_i = write_idx("gi", 0x803, idims, 3, pixels, sizeof(pixels), 1);
    const char *good_l = write_idx("gl", 0x801, ldims, 1, labels, sizeof(labels), 1);
    const char *magic = write_idx("mg", 0x804, idims, 3, pixels, sizeof(pixels), 1);
    expect_error(magic, good_l, "not an IDX image file (magic 0x00000804, expected 0x00000803)");
    const char *trunc = write_idx("tr", 0x803, four, 3, pixels, sizeof(pixels), 1);
    expect_error(trunc, good_l, "truncated: 18 of 24 data bytes");
    const char *few = write_idx("fw", 0x801, two, 1, labels, 2, 1);
    expect_error(good_i, few, "has 2 labels for the 3 images");
    expect_error("/nonexistent/train-images-idx3-ubyte.gz", good_l, "cannot open");
    /* found by fuzzing: a header claiming 16M images of 4096x4096 made us allocate 256 TB
     * before reading a byte; the buffer now grows with the data */
    unsigned huge[3] = {1u << 24, 4096, 4096}, wide[3] = {1, 1u << 24, 2};
    const char *liar = write_idx("li", 0x803, huge, 3, pixels, sizeof(pixels), 0);
    expect_error(liar, good_l, "truncated: 18 of 281474976710656 data bytes");
    const char *big = write_idx("bg", 0x803, wide, 3, pixels, sizeof(pixels), 0);
    expect_error(big, good_l, "images of 16777216x2 pixels are out of range");
    unlink(liar), unlink(big);
    unlink(good_i), unlink(good_l), unlink(magic), unlink(trunc), unlink(few);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_gzip_and_plain),
        cmocka_unit_test(test_bad_files_are_named_errors),
    };
    return cmocka_run_group_tests_name("idx_reader", tests, NULL, NULL);
}
