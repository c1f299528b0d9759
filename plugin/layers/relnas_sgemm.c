#include "relnas_sgemm.h"
#include "gemm.h"

#ifdef RELNAS_OPENBLAS
#include <cblas.h>

void relnas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                  int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#else
void relnas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                  int lda, const float *b, int ldb, float beta, float *c, int ldc)
{
    /* Darknet's gemm_cpu takes non-const pointers but only reads a and b. */
    gemm_cpu(trans_a, trans_b, m, n, k, alpha, (float *)a, lda, (float *)b, ldb, beta, c, ldc);
}
#endif
