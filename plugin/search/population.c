#include <math.h>
#include <stdlib.h>
#include "population.h"
#include "relnas_check.h"

void relnas_vector_bounds(int d, double *lo, double *hi)
{
    int node = (d % 16) / 4, is_op = d % 2;
    *lo = 0;
    *hi = is_op ? RELNAS_PRIMITIVE_COUNT : 2 + node;
}

relnas_population relnas_population_init(int m, relnas_rng *rng)
{
    RELNAS_ASSERT(m >= 2 && m % 2 == 0);
    relnas_population p = {m, RELNAS_CALLOC(m, sizeof(*p.x)), RELNAS_CALLOC(m, sizeof(*p.v))};
    for (int i = 0; i < m; ++i)
        for (int d = 0; d < RELNAS_DIM; ++d) {
            double lo, hi;
            relnas_vector_bounds(d, &lo, &hi);
            p.x[i][d] = lo + (hi - lo) * relnas_rng_uniform(rng);
        }
    return p;
}

void relnas_population_free(relnas_population *p)
{
    free(p->x);
    free(p->v);
    p->x = p->v = NULL;
}

void relnas_random_pairing(int *pairs, int m, relnas_rng *rng)
{
    for (int i = 0; i < m; ++i) pairs[i] = i;
    for (int i = m - 1; i > 0; --i) { /* Fisher-Yates */
        int j = (int)relnas_rng_below(rng, (uint64_t)i + 1), t = pairs[i];
        pairs[i] = pairs[j];
        pairs[j] = t;
    }
}

void relnas_slow_fast_update(double *x_slow, double *v_slow, const double *x_fast,
                             const double *r1, const double *r2)
{
    for (int d = 0; d < RELNAS_DIM; ++d) {
        double lo, hi;
        relnas_vector_bounds(d, &lo, &hi);
        v_slow[d] = r1[d] * v_slow[d] + r2[d] * (x_fast[d] - x_slow[d]);
        x_slow[d] = fmin(hi, fmax(lo, x_slow[d] + v_slow[d]));
    }
}

double relnas_population_diversity(const relnas_population *p)
{
    double mean[RELNAS_DIM] = {0}, total = 0;
    for (int i = 0; i < p->size; ++i)
        for (int d = 0; d < RELNAS_DIM; ++d) mean[d] += p->x[i][d] / p->size;
    for (int i = 0; i < p->size; ++i) {
        double sq = 0;
        for (int d = 0; d < RELNAS_DIM; ++d) sq += (p->x[i][d] - mean[d]) * (p->x[i][d] - mean[d]);
        total += sqrt(sq);
    }
    return total / p->size;
}
