/* relnas_sgemm against a plain triple loop in double precision, for every transpose case, with
 * alpha, beta and a padded C (columns past n untouched): shapes OpenBLAS takes whole, and the
 * long-k shapes of weight gradients that it splits across threads (on 1 and 2 threads, and
 * from inside a parallel region, where it must not split again). */
#include <math.h>
#include "relnas_test.h"
#ifdef _OPENMP
#include <omp.h>
#endif
#include "relnas_sgemm.h"

static float value(long i, int salt) { return (float)((i * 37 + salt * 11) % 23) / 23.0f - 0.4f; }

static double reference(int ta, int tb, int m, int n, int k, const float *a, int lda, const float *b,
                        int ldb, int i, int j)
{
    double s = 0;
    for (int p = 0; p < k; ++p) s += (double)(ta ? a[(long)p * lda + i] : a[(long)i * lda + p]) *
                                     (tb ? b[(long)j * ldb + p] : b[(long)p * ldb + j]);
    return s;
}

/* Returns the number of wrong cells of C, printing the first (no cmocka assertion: it may run
 * inside a parallel region). */
static int wrong_cells(int ta, int tb, int m, int n, int k)
{
    int wrong = 0;
    int lda = ta ? m : k, ldb = tb ? k : n, ldc = n + 3;
    long asize = (long)m * k, bsize = (long)k * n, csize = (long)m * ldc;
    float *a = malloc(sizeof(float) * asize), *b = malloc(sizeof(float) * bsize), *c = malloc(sizeof(float) * csize);
    for (long i = 0; i < asize; ++i) a[i] = value(i, 1);
    for (long i = 0; i < bsize; ++i) b[i] = value(i, 2);
    for (long i = 0; i < csize; ++i) c[i] = value(i, 3);
    relnas_sgemm(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 0.25f, c, ldc);
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < ldc; ++j) {
            long at = (long)i * ldc + j;
            double want = j < n ? 0.5 * reference(ta, tb, m, n, k, a, lda, b, ldb, i, j) + 0.25 * value(at, 3)
                                : value(at, 3);
            if (fabs(c[at] - want) > 1e-4 * (1 + fabs(want)) && !wrong++)
                printf("# trans %d %d, %dx%dx%d: C[%d][%d] = %g, want %g\n", ta, tb, m, n, k, i, j, c[at], want);
        }
    free(a), free(b), free(c);
    return wrong;
}

static int wrong_in_all_transposes(int m, int n, int k)
{
    int wrong = 0;
    for (int ta = 0; ta < 2; ++ta)
        for (int tb = 0; tb < 2; ++tb) wrong += wrong_cells(ta, tb, m, n, k);
    return wrong;
}

#define check_all_transposes(m, n, k) assert_int_equal(wrong_in_all_transposes(m, n, k), 0)

static void test_square_and_wide_shapes(void **state)
{
    (void)state;
    check_all_transposes(33, 70, 17);
    check_all_transposes(8, 300, 16);
}

static void test_long_k_on_two_threads_and_one(void **state)
{
    (void)state;
    check_all_transposes(5, 7, 3001); /* k not a multiple of the threads */
    check_all_transposes(16, 24, 4096);
#if defined(_OPENMP) && defined(RELNAS_OPENBLAS)
    int threads = omp_get_max_threads();
    omp_set_num_threads(2);
    assert_true(relnas_sgemm_splits_k(5, 7, 3001) && relnas_sgemm_splits_k(16, 24, 4096)); /* the path tested */
    check_all_transposes(5, 7, 3001);
    check_all_transposes(16, 24, 4096);
    omp_set_num_threads(1);
    assert_false(relnas_sgemm_splits_k(16, 24, 4096));
    check_all_transposes(16, 24, 4096);
    omp_set_num_threads(threads);
#endif
}

static void test_long_k_inside_a_parallel_region(void **state)
{
    (void)state;
#ifdef _OPENMP
    int threads = omp_get_max_threads();
    omp_set_num_threads(2);
    int split = -1, wrong = -1;
    #pragma omp parallel num_threads(2)
    {
        #pragma omp single
        {
            split = relnas_sgemm_splits_k(6, 9, 2000);
            wrong = wrong_in_all_transposes(6, 9, 2000);
        }
    }
    omp_set_num_threads(threads);
    assert_int_equal(split, 0);
    assert_int_equal(wrong, 0);
#else
    RELNAS_SKIP("built without OpenMP");
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_square_and_wide_shapes),
        cmocka_unit_test(test_long_k_on_two_threads_and_one),
        cmocka_unit_test(test_long_k_inside_a_parallel_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
