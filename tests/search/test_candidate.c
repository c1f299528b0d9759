/* A search candidate end to end on a tiny two-class image set: built from a genotype, it
 * learns (validation accuracy well above chance after a few dozen batches), and a candidate
 * whose loss turns non-finite is reported as NAN rather than trained on. */
#include <math.h>
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "candidate.h"
#include "genotype_parse.h"

/* 200 8x8 images: horizontal (label 0) or vertical (label 1) stripes of random phase. */
static relnas_image_set stripes(void)
{
    relnas_image_set s = {200, 8, 8, 1, 2, calloc(200 * 64, 1), calloc(200, 1)};
    relnas_rng rng = relnas_rng_seeded(17);
    for (int i = 0; i < s.count; ++i) {
        int label = i % 2, phase = (int)relnas_rng_below(&rng, 2);
        s.labels[i] = (unsigned char)label;
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) {
                int t = label ? x : y;
                s.pixels[i * 64 + y * 8 + x] = (unsigned char)(((t + phase) % 2 ? 200 : 40) + relnas_rng_below(&rng, 30));
            }
    }
    return s;
}

static relnas_candidate build(void)
{
    relnas_genotype g;
    relnas_net_spec spec;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype("DARTS_V2"), &g, err, sizeof(err)), 0);
    assert_int_equal(relnas_net_preset("search", &spec), 0);
    spec.C = 4, spec.cells = 3, spec.classes = 2, spec.batch = 16;
    spec.width = spec.height = 8, spec.channels = 1, spec.drop_path = 0.3f;
    relnas_candidate c;
    assert_int_equal(relnas_candidate_build(&c, &g, &spec, err, sizeof(err)), 0);
    return c;
}

static void test_candidate_learns(void **state)
{
    relnas_image_set data = stripes();
    int train[150], valid[50];
    for (int i = 0; i < 150; ++i) train[i] = i;
    for (int i = 0; i < 50; ++i) valid[i] = 150 + i;
    relnas_candidate c = build();
    double loss0, acc0, loss1, acc1;
    relnas_candidate_validate(&c, &data, valid, 50, 0, &loss0, &acc0);
    relnas_rng rng = relnas_rng_seeded(3);
    relnas_train_settings s = {0.05f, 0.9f, 3e-4f, 5, 0.5f, {1, 1, 0}, 40, NULL};
    double train_loss = relnas_candidate_train(&c, &data, train, 150, s, &rng);
    relnas_candidate_validate(&c, &data, valid, 50, 0, &loss1, &acc1);
    printf("# validation loss %.3f -> %.3f, accuracy %.2f -> %.2f, mean training loss %.3f\n", loss0, loss1,
           acc0, acc1, train_loss);
    assert_true(isfinite(train_loss));
    assert_true(loss1 < loss0);
    assert_true(acc1 >= 0.85);
    relnas_candidate_free(&c);
    relnas_image_set_free(&data);
}

static void test_non_finite_loss_is_reported(void **state)
{
    relnas_image_set data = stripes();
    int train[150];
    for (int i = 0; i < 150; ++i) train[i] = i;
    relnas_candidate c = build();
    c.net->layers[c.net->n - 2].weights[0] = NAN; /* the classifier */
    relnas_rng rng = relnas_rng_seeded(4);
    relnas_train_settings s = {0.05f, 0.9f, 3e-4f, 5, 0, {0, 0, 0}, 5, NULL};
    assert_true(isnan(relnas_candidate_train(&c, &data, train, 150, s, &rng)));
    relnas_candidate_free(&c);
    relnas_image_set_free(&data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidate_learns),
        cmocka_unit_test(test_non_finite_loss_is_reported),
    };
    return cmocka_run_group_tests_name("candidate", tests, NULL, NULL);
}
