/* Single-precision GEMM for the CPU: C = alpha * op(A) op(B) + beta * C, row-major, with
 * Darknet's gemm argument order. OpenBLAS when built with OPENBLAS=1 (the default where
 * Debian's libopenblas-dev is installed), else Darknet's own loops. The patched Darknet
 * routes its gemm_cpu here too, so stock layers get the same speed. */
#ifndef RELNAS_SGEMM_H
#define RELNAS_SGEMM_H

void relnas_sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                  int lda, const float *b, int ldb, float beta, float *c, int ldc);

/* 1 if relnas_sgemm would split this shape's k across threads here and now (OpenBLAS build,
 * OpenMP with more than one thread, outside a parallel region, small m x n, long k). */
int relnas_sgemm_splits_k(int m, int n, int k);

#endif
