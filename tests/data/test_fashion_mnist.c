/* The real Fashion-MNIST from Debian's dataset-fashion-mnist (make data; `make test` fetches
 * it): 60000 training and 10000 test images of 28x28, ten balanced classes (6000 and 1000
 * images each, as the dataset's documentation states). */
#include "relnas_test.h"
#include "image_set.h"

static void check_split(const char *prefix, int count, int per_class)
{
    const char *dir = getenv("RELNAS_FASHION_MNIST");
    if (!dir || !*dir) RELNAS_SKIP("Fashion-MNIST not available (scripts/fetch-fashion-mnist failed)");
    char images[1024], labels[1024], err[512] = "";
    snprintf(images, sizeof(images), "%s/%s-images-idx3-ubyte.gz", dir, prefix);
    snprintf(labels, sizeof(labels), "%s/%s-labels-idx1-ubyte.gz", dir, prefix);
    relnas_image_set s;
    if (relnas_read_idx(images, labels, &s, err, sizeof(err))) {
        printf("# %s\n", err);
        fail();
    }
    assert_int_equal(s.count, count);
    assert_int_equal(s.h, 28);
    assert_int_equal(s.w, 28);
    assert_int_equal(s.classes, 10);
    int hist[10] = {0};
    for (int i = 0; i < s.count; ++i) hist[s.labels[i]]++;
    for (int c = 0; c < 10; ++c) assert_int_equal(hist[c], per_class);
    relnas_image_set_free(&s);
}

static void test_train_split(void **state) { check_split("train", 60000, 6000); }
static void test_test_split(void **state) { check_split("t10k", 10000, 1000); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_train_split),
        cmocka_unit_test(test_test_split),
    };
    return cmocka_run_group_tests_name("fashion_mnist", tests, NULL, NULL);
}
