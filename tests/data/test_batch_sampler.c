/* Splits, batches drawn without replacement, and augmented batches: what each augmentation
 * may and may not do to an image. */
#include <math.h>
#include "relnas_test.h"
#include "batch_sampler.h"

/* Two 1-channel 4x4 images: values 1..16 and 17..32; labels 2 and 0 of 3 classes. */
static relnas_image_set tiny_set(void)
{
    static unsigned char pixels[32], labels[2] = {2, 0};
    for (int i = 0; i < 32; ++i) pixels[i] = (unsigned char)(i + 1);
    relnas_image_set s = {2, 4, 4, 1, 3, pixels, labels};
    return s;
}

static void test_split_is_a_seeded_partition(void **state)
{
    int train[100], valid[100], nt, nv, train2[100], valid2[100], nt2, nv2;
    relnas_rng a = relnas_rng_seeded(9), b = relnas_rng_seeded(9);
    relnas_split_indices(100, 0.5, &a, train, &nt, valid, &nv);
    relnas_split_indices(100, 0.5, &b, train2, &nt2, valid2, &nv2);
    assert_int_equal(nt, 50);
    assert_int_equal(nv, 50);
    int seen[100] = {0};
    for (int i = 0; i < nt; ++i) seen[train[i]]++;
    for (int i = 0; i < nv; ++i) seen[valid[i]]++;
    for (int i = 0; i < 100; ++i) assert_int_equal(seen[i], 1);
    assert_memory_equal(train, train2, sizeof(int) * 50);
    int shuffled = 0;
    for (int i = 0; i < nt; ++i) shuffled |= train[i] != i;
    assert_true(shuffled);
}

static void test_plain_batch_scales_and_labels(void **state)
{
    relnas_image_set s = tiny_set();
    int idx[2] = {1, 0};
    float in[32], truth[6];
    relnas_rng rng = relnas_rng_seeded(1);
    relnas_fill_batch(in, truth, &s, idx, 2, (relnas_augment){0, 0, 0}, &rng);
    for (int i = 0; i < 16; ++i) {
        assert_float_equal(in[i], (17 + i) / 255.0f, 1e-7);
        assert_float_equal(in[16 + i], (1 + i) / 255.0f, 1e-7);
    }
    float want[6] = {1, 0, 0, 0, 0, 1};
    assert_memory_equal(truth, want, sizeof(want));
}

/* With flip only, each image is itself or its mirror, and both happen. */
static void test_flip_mirrors_rows(void **state)
{
    relnas_image_set s = tiny_set();
    int idx[1] = {0}, mirrored = 0, plain = 0;
    relnas_rng rng = relnas_rng_seeded(2);
    for (int t = 0; t < 40; ++t) {
        float in[16], truth[3];
        relnas_fill_batch(in, truth, &s, idx, 1, (relnas_augment){0, 1, 0}, &rng);
        int is_plain = 1, is_mirror = 1;
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x) {
                is_plain &= in[y * 4 + x] == (1 + y * 4 + x) / 255.0f;
                is_mirror &= in[y * 4 + x] == (1 + y * 4 + 3 - x) / 255.0f;
            }
        assert_true(is_plain || is_mirror);
        plain += is_plain, mirrored += is_mirror;
    }
    assert_true(plain > 0 && mirrored > 0);
}

/* With padding 1, the image is shifted by at most a pixel with zeros coming in. */
static void test_crop_shifts_with_zero_padding(void **state)
{
    relnas_image_set s = tiny_set();
    int idx[1] = {0};
    relnas_rng rng = relnas_rng_seeded(3);
    for (int t = 0; t < 40; ++t) {
        float in[16], truth[3];
        relnas_fill_batch(in, truth, &s, idx, 1, (relnas_augment){1, 0, 0}, &rng);
        int found = 0;
        for (int dy = -1; dy <= 1 && !found; ++dy)
            for (int dx = -1; dx <= 1 && !found; ++dx) {
                int match = 1;
                for (int y = 0; y < 4; ++y)
                    for (int x = 0; x < 4; ++x) {
                        int sy = y + dy, sx = x + dx;
                        float want = sy >= 0 && sy < 4 && sx >= 0 && sx < 4 ? (1 + sy * 4 + sx) / 255.0f : 0;
                        match &= in[y * 4 + x] == want;
                    }
                found = match;
            }
        assert_true(found);
    }
}

/* Cutout of side 2 zeroes at most 4 pixels, in one clipped square; others are untouched. */
static void test_cutout_zeroes_a_clipped_square(void **state)
{
    relnas_image_set s = tiny_set();
    int idx[1] = {1};
    relnas_rng rng = relnas_rng_seeded(4);
    for (int t = 0; t < 40; ++t) {
        float in[16], truth[3];
        relnas_fill_batch(in, truth, &s, idx, 1, (relnas_augment){0, 0, 2}, &rng);
        int zeros = 0, y0 = 4, x0 = 4, y1 = -1, x1 = -1;
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x) {
                if (in[y * 4 + x] == 0) {
                    ++zeros;
                    y0 = y < y0 ? y : y0, x0 = x < x0 ? x : x0, y1 = y > y1 ? y : y1, x1 = x > x1 ? x : x1;
                } else {
                    assert_float_equal(in[y * 4 + x], (17 + y * 4 + x) / 255.0f, 1e-7);
                }
            }
        assert_true(zeros >= 1 && zeros <= 4);
        assert_int_equal(zeros, (y1 - y0 + 1) * (x1 - x0 + 1)); /* a rectangle */
    }
}

/* The indices (odd numbers, not 0..n-1, so positions and values differ) drawn in `batches`
 * batches of 8; counts[v] = how often v came. */
static void draw(relnas_epoch_sampler *s, relnas_rng *rng, int batches, int counts[200])
{
    int batch[8];
    for (int t = 0; t < batches; ++t) {
        relnas_epoch_sampler_next(s, batch, 8, rng);
        for (int b = 0; b < 8; ++b) {
            assert_true(batch[b] >= 0 && batch[b] < 200 && batch[b] % 2 == 1);
            counts[batch[b]]++;
        }
    }
}

/* 80 indices in batches of 8: each run of 10 batches (one epoch) holds every index once, and
 * the next epoch comes in another order. */
static void test_epoch_covers_every_index_once(void **state)
{
    int idx[80], first[8];
    for (int i = 0; i < 80; ++i) idx[i] = 2 * i + 1;
    relnas_rng rng = relnas_rng_seeded(5);
    relnas_epoch_sampler s = relnas_epoch_sampler_make(idx, 80);
    for (int epoch = 0; epoch < 3; ++epoch) {
        int counts[200] = {0};
        draw(&s, &rng, 10, counts);
        for (int i = 0; i < 80; ++i) assert_int_equal(counts[idx[i]], 1);
        if (epoch == 0) memcpy(first, s.order, sizeof(first));
        else assert_memory_not_equal(first, s.order, sizeof(first));
    }
    relnas_epoch_sampler_free(&s);
}

/* 84 indices in batches of 8: 10 batches see 80 distinct ones (the 4 left over are dropped),
 * and the 11th batch starts a new permutation. */
static void test_partial_epoch_has_no_repeats(void **state)
{
    int idx[84];
    for (int i = 0; i < 84; ++i) idx[i] = 2 * i + 1;
    relnas_rng rng = relnas_rng_seeded(6);
    relnas_epoch_sampler s = relnas_epoch_sampler_make(idx, 84);
    int counts[200] = {0}, distinct = 0;
    draw(&s, &rng, 10, counts);
    for (int i = 0; i < 84; ++i) {
        assert_true(counts[idx[i]] <= 1);
        distinct += counts[idx[i]];
    }
    assert_int_equal(distinct, 80);
    draw(&s, &rng, 1, counts);
    assert_int_equal(s.next, 8);
    relnas_epoch_sampler_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_is_a_seeded_partition),
        cmocka_unit_test(test_epoch_covers_every_index_once),
        cmocka_unit_test(test_partial_epoch_has_no_repeats),
        cmocka_unit_test(test_plain_batch_scales_and_labels),
        cmocka_unit_test(test_flip_mirrors_rows),
        cmocka_unit_test(test_crop_shifts_with_zero_padding),
        cmocka_unit_test(test_cutout_zeroes_a_clipped_square),
    };
    return cmocka_run_group_tests_name("batch_sampler", tests, NULL, NULL);
}
