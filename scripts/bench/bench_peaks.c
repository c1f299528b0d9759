/* The machine's peaks, measured on the spot with the threads OMP_NUM_THREADS allows: SGEMM
 * GFLOP/s (relnas_sgemm, i.e. OpenBLAS in a default build, 1024^3, best of 5 after a warm-up)
 * and memory bandwidth in GB/s (a STREAM-style triad a = b + s * c over three 64 MiB arrays,
 * counted as 3 x 4 bytes per element, best of 5). Prints
 *   sgemm_gflops X
 *   bandwidth_gbs Y
 * scripts/bench-network divides each op's rate by these.
 *
 *   bench_peaks */
#include <stdio.h>
#include <stdlib.h>
#include "progress_time.h"
#include "relnas_check.h"
#include "relnas_sgemm.h"

#define GEMM_N 1024
#define TRIAD_N (16L << 20) /* floats: 64 MiB per array */
#define TRIES 5

static double sgemm_gflops(void)
{
    float *a = RELNAS_CALLOC(GEMM_N * GEMM_N, sizeof(float)), *b = RELNAS_CALLOC(GEMM_N * GEMM_N, sizeof(float)),
          *c = RELNAS_CALLOC(GEMM_N * GEMM_N, sizeof(float));
    for (long i = 0; i < GEMM_N * GEMM_N; ++i) a[i] = b[i] = (float)(i % 7) / 7.0f;
    double best = 1e30;
    for (int t = 0; t <= TRIES; ++t) {
        double start = relnas_now();
        relnas_sgemm(0, 0, GEMM_N, GEMM_N, GEMM_N, 1, a, GEMM_N, b, GEMM_N, 0, c, GEMM_N);
        double s = relnas_now() - start;
        if (t && s < best) best = s; /* t = 0 warms up */
    }
    free(a), free(b), free(c);
    return 2.0 * GEMM_N * GEMM_N * GEMM_N / best / 1e9;
}

static double triad_gbs(void)
{
    float *a = RELNAS_CALLOC(TRIAD_N, sizeof(float)), *b = RELNAS_CALLOC(TRIAD_N, sizeof(float)),
          *c = RELNAS_CALLOC(TRIAD_N, sizeof(float));
    #pragma omp parallel for schedule(static)
    for (long i = 0; i < TRIAD_N; ++i) a[i] = 0, b[i] = 1, c[i] = 2; /* pages touched by their threads */
    double best = 1e30;
    for (int t = 0; t <= TRIES; ++t) {
        double start = relnas_now();
        #pragma omp parallel for schedule(static)
        for (long i = 0; i < TRIAD_N; ++i) a[i] = b[i] + 0.5f * c[i];
        double s = relnas_now() - start;
        if (t && s < best) best = s;
    }
    if (a[TRIAD_N / 2] != 2.0f) fprintf(stderr, "bench_peaks: the triad went wrong\n");
    free(a), free(b), free(c);
    return 3.0 * 4 * TRIAD_N / best / 1e9;
}

int main(void)
{
    printf("sgemm_gflops %.1f\n", sgemm_gflops());
    printf("bandwidth_gbs %.1f\n", triad_gbs());
    return 0;
}
