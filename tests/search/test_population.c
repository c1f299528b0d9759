/* The population steps of RelativeNAS against hand-computed cases (docs/design.md, 'The search'). */
#include <math.h>
#include "relnas_test.h"
#include "population.h"

static void test_bounds_follow_node_and_kind(void **state)
{
    double lo, hi;
    relnas_vector_bounds(0, &lo, &hi); /* normal node 0, input 1 */
    assert_true(lo == 0 && hi == 2);
    relnas_vector_bounds(1, &lo, &hi); /* normal node 0, op 1 */
    assert_true(lo == 0 && hi == 7);
    relnas_vector_bounds(14, &lo, &hi); /* normal node 3, input 2 */
    assert_true(hi == 5);
    relnas_vector_bounds(16 + 4 + 2, &lo, &hi); /* reduce node 1, input 2 */
    assert_true(hi == 3);
    relnas_vector_bounds(31, &lo, &hi); /* reduce node 3, op 2 */
    assert_true(hi == 7);
}

static void test_init_within_bounds_decodable_and_seeded(void **state)
{
    relnas_rng a = relnas_rng_seeded(42), b = relnas_rng_seeded(42);
    relnas_population p = relnas_population_init(20, &a), q = relnas_population_init(20, &b);
    for (int i = 0; i < 20; ++i) {
        for (int d = 0; d < RELNAS_DIM; ++d) {
            double lo, hi;
            relnas_vector_bounds(d, &lo, &hi);
            assert_true(p.x[i][d] >= lo && p.x[i][d] <= hi);
            assert_true(p.v[i][d] == 0);
            assert_true(p.x[i][d] == q.x[i][d]);
        }
        relnas_genotype g;
        char err[256];
        assert_int_equal(relnas_genotype_from_vector(p.x[i], &g, err, sizeof(err)), 0);
    }
    relnas_population_free(&p);
    relnas_population_free(&q);
}

static void test_pairing_covers_everyone_once(void **state)
{
    relnas_rng rng = relnas_rng_seeded(7);
    for (int trial = 0; trial < 50; ++trial) {
        int pairs[20], seen[20] = {0};
        relnas_random_pairing(pairs, 20, &rng);
        for (int i = 0; i < 20; ++i) seen[pairs[i]]++;
        for (int i = 0; i < 20; ++i) assert_int_equal(seen[i], 1);
    }
}

/* v = r1 v + r2 (x_f - x_s); x = clamp(x + v). */
static void test_update_formula_and_clamping(void **state)
{
    double xs[RELNAS_DIM] = {0}, vs[RELNAS_DIM] = {0}, xf[RELNAS_DIM] = {0}, r1[RELNAS_DIM], r2[RELNAS_DIM];
    for (int d = 0; d < RELNAS_DIM; ++d) r1[d] = 0.5, r2[d] = 0.25;
    xs[0] = 1.0, vs[0] = 0.5, xf[0] = 2.0;      /* v = 0.25 + 0.25 = 0.5, x = 1.5 */
    xs[1] = 6.9, vs[1] = 0.0, xf[1] = 7.0;      /* op: v = 0.025, x = 6.925 */
    r2[3] = 1.0, xs[3] = 6.5, vs[3] = 2.0, xf[3] = 7.0; /* v = 1 + 0.5 = 1.5, x = 8 -> 7 */
    xs[2] = 0.2, vs[2] = -3.0, xf[2] = 0.0;     /* v = -1.5 - 0.05, x -> 0 */
    relnas_slow_fast_update(xs, vs, xf, r1, r2);
    assert_float_equal(vs[0], 0.5, 1e-12);
    assert_float_equal(xs[0], 1.5, 1e-12);
    assert_float_equal(xs[1], 6.925, 1e-12);
    assert_float_equal(vs[3], 1.5, 1e-12);
    assert_float_equal(xs[3], 7.0, 0);
    assert_float_equal(vs[2], -1.55, 1e-12);
    assert_float_equal(xs[2], 0.0, 0);
    assert_float_equal(xf[0], 2.0, 0); /* the fast learner is unchanged */
}

static void test_diversity_is_mean_distance_to_the_mean(void **state)
{
    relnas_rng rng = relnas_rng_seeded(1);
    relnas_population p = relnas_population_init(2, &rng);
    for (int d = 0; d < RELNAS_DIM; ++d) p.x[0][d] = 0, p.x[1][d] = 2;
    assert_float_equal(relnas_population_diversity(&p), sqrt(32.0), 1e-12);
    relnas_population_free(&p);
}

static void test_rng_seeded_and_in_range(void **state)
{
    relnas_rng a = relnas_rng_seeded(3), b = relnas_rng_seeded(3), c = relnas_rng_seeded(4);
    int differs = 0;
    for (int i = 0; i < 1000; ++i) {
        double u = relnas_rng_uniform(&a);
        assert_true(u >= 0 && u < 1);
        assert_true(u == relnas_rng_uniform(&b));
        differs |= relnas_rng_uniform(&c) != u;
        assert_true(relnas_rng_below(&a, 5) < 5);
        relnas_rng_below(&b, 5);
    }
    assert_true(differs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds_follow_node_and_kind),
        cmocka_unit_test(test_init_within_bounds_decodable_and_seeded),
        cmocka_unit_test(test_pairing_covers_everyone_once),
        cmocka_unit_test(test_update_formula_and_clamping),
        cmocka_unit_test(test_diversity_is_mean_distance_to_the_mean),
        cmocka_unit_test(test_rng_seeded_and_in_range),
    };
    return cmocka_run_group_tests_name("population", tests, NULL, NULL);
}
