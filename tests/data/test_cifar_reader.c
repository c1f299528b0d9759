/* CIFAR binary files: records concatenated across files, fine labels for CIFAR-100, and
 * files of the wrong length or with labels out of range named in the error. */
#include "relnas_test.h"
#include "image_set.h"

/* Writes n records whose pixels are (record index + position) % 251 and labels as given. */
static const char *write_cifar(const char *name, int n, int label_bytes, const unsigned char *labels, int extra)
{
    static char paths[4][64];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, 64, "/tmp/relnas-cifar-%d-%s", (int)getpid(), name);
    FILE *fp = fopen(path, "wb");
    for (int i = 0; i < n; ++i) {
        unsigned char head[2] = {(unsigned char)(labels[i] / 10), labels[i]};
        fwrite(head + 2 - label_bytes, 1, (size_t)label_bytes, fp);
        for (int p = 0; p < 3072; ++p) fputc((i + p) % 251, fp);
    }
    for (int i = 0; i < extra; ++i) fputc(0, fp);
    fclose(fp);
    return path;
}

static void test_two_cifar10_files_concatenate(void **state)
{
    unsigned char a[2] = {3, 9}, b[1] = {0};
    const char *paths[2] = {write_cifar("a", 2, 1, a, 0), write_cifar("b", 1, 1, b, 0)};
    relnas_image_set s;
    char err[256] = "";
    assert_int_equal(relnas_read_cifar(paths, 2, 0, &s, err, sizeof(err)), 0);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.c, 3);
    assert_int_equal(s.classes, 10);
    assert_int_equal(s.labels[0], 3);
    assert_int_equal(s.labels[1], 9);
    assert_int_equal(s.labels[2], 0);
    assert_int_equal(s.pixels[3072 + 5], (1 + 5) % 251);       /* record 1, red plane */
    assert_int_equal(s.pixels[2 * 3072 + 2048], 2048 % 251);   /* record 2 (file b's 0), blue */
    relnas_image_set_free(&s);
    unlink(paths[0]), unlink(paths[1]);
}

static void test_cifar100_uses_fine_labels(void **state)
{
    unsigned char labels[2] = {57, 99};
    const char *path = write_cifar("c", 2, 2, labels, 0);
    relnas_image_set s;
    char err[256] = "";
    assert_int_equal(relnas_read_cifar(&path, 1, 1, &s, err, sizeof(err)), 0);
    assert_int_equal(s.labels[0], 57);
    assert_int_equal(s.labels[1], 99);
    assert_int_equal(s.classes, 100);
    relnas_image_set_free(&s);
    unlink(path);
}

static void test_wrong_length_and_labels_are_named(void **state)
{
    unsigned char labels[2] = {1, 2}, bad[1] = {12};
    const char *odd = write_cifar("d", 2, 1, labels, 7);
    relnas_image_set s;
    char err[256] = "";
    assert_int_equal(relnas_read_cifar(&odd, 1, 0, &s, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "6153 bytes is not a whole number of 3073-byte CIFAR-10 records"));
    const char *wrong = write_cifar("e", 1, 1, bad, 0);
    assert_int_equal(relnas_read_cifar(&wrong, 1, 0, &s, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "record 0 has label 12; CIFAR-10 has 10 classes"));
    unlink(odd), unlink(wrong);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_cifar10_files_concatenate),
        cmocka_unit_test(test_cifar100_uses_fine_labels),
        cmocka_unit_test(test_wrong_length_and_labels_are_named),
    };
    return cmocka_run_group_tests_name("cifar_reader", tests, NULL, NULL);
}
