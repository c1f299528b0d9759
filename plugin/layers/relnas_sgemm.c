#include <stdlib.h>
#include "relnas_sgemm.h"
#include "gemm.h"
#include "relnas_check.h"

#ifdef RELNAS_OPENBLAS
#include <cblas.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void openblas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                           int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/* A weight gradient (a 1x1 convolution's: C is c_out x c_in, k = batch x pixels) is a small C
 * over a long k, which OpenBLAS splits over C's rows and columns only: on 2 cores it ran 3x
 * slower than the same FLOPs as a forward pass. So long-k products split k across threads, each
 * a one-thread OpenBLAS call (it runs single-threaded inside a parallel region) into its own
 * partial sum, then added up. */
int relnas_sgemm_splits_k(int m, int n, int k)
{
#ifdef _OPENMP
    return omp_get_max_threads() > 1 && !omp_in_parallel() && (long)m * n <= 256L * 256 && k >= 16L * (m > n ? m : n);
#else
    (void)m, (void)n, (void)k;
    return 0;
#endif
}

#ifdef _OPENMP
static void sgemm_split_k(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                          int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    int threads = omp_get_max_threads();
    long cells = (long)m * n;
    float *partial = RELNAS_CALLOC((size_t)(threads - 1) * (size_t)cells, sizeof(float));
    #pragma omp parallel num_threads(threads)
    {
        int t = omp_get_thread_num(), nt = omp_get_num_threads();
        int k0 = (int)((long)k * t / nt), k1 = (int)((long)k * (t + 1) / nt);
        /* k runs along A's rows when A is transposed, else along its columns; B the other way */
        const float *at = trans_a ? a + (long)k0 * lda : a + k0;
        const float *bt = trans_b ? b + k0 : b + (long)k0 * ldb;
        if (t == 0) openblas_sgemm(trans_a, trans_b, m, n, k1 - k0, alpha, at, lda, bt, ldb, beta, c, ldc);
        else openblas_sgemm(trans_a, trans_b, m, n, k1 - k0, alpha, at, lda, bt, ldb, 0, partial + (t - 1) * cells, n);
        #pragma omp barrier
        #pragma omp for schedule(static)
        for (int i = 0; i < m; ++i)
            for (int u = 1; u < nt; ++u)
                for (int j = 0; j < n; ++j) c[(long)i * ldc + j] += partial[(u - 1) * cells + (long)i * n + j];
    }
    free(partial);
}
#endif

void relnas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                  int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
#ifdef _OPENMP
    if (relnas_sgemm_splits_k(m, n, k)) {
        sgemm_split_k(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
#endif
    openblas_sgemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#else
int relnas_sgemm_splits_k(int m, int n, int k)
{
    (void)m, (void)n, (void)k;
    return 0;
}

void relnas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                  int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    /* Darknet's gemm_cpu takes non-const pointers but only reads a and b. */
    gemm_cpu(trans_a, trans_b, m, n, k, alpha, (float *)a, lda, (float *)b, ldb, beta, c, ldc);
}
#endif
