/* The RelativeNAS population (docs/design.md, "The search"): m architecture vectors of 32 reals within
 * their bounds, their velocities, random pairing, and the slow-fast update that moves each
 * slow learner towards its fast partner. Pure functions of their inputs and the RNG. */
#ifndef RELNAS_POPULATION_H
#define RELNAS_POPULATION_H

#include "genotype_parse.h"
#include "relnas_rng.h"

#define RELNAS_DIM RELNAS_VECTOR_LEN

typedef struct relnas_population {
    int size;                  /* m, even */
    double (*x)[RELNAS_DIM];   /* positions */
    double (*v)[RELNAS_DIM];   /* velocities */
} relnas_population;

/* Bounds of position d: inputs of node j in [0, 2 + j], ops in [0, 7]. */
void relnas_vector_bounds(int d, double *lo, double *hi);

/* m vectors uniform within bounds, velocities 0. */
relnas_population relnas_population_init(int m, relnas_rng *rng);
void relnas_population_free(relnas_population *p);

/* A random perfect pairing: pairs[2k], pairs[2k + 1] are the k-th pair (m / 2 pairs). */
void relnas_random_pairing(int *pairs, int m, relnas_rng *rng);

/* The slow learner's update towards the fast one, per dimension with r1[d], r2[d] in [0, 1):
 * v <- r1 v + r2 (x_fast - x_slow); x_slow <- x_slow + v, clamped to the bounds. */
void relnas_slow_fast_update(double *x_slow, double *v_slow, const double *x_fast,
                             const double *r1, const double *r2);

/* Mean Euclidean distance of the vectors to the population mean. */
double relnas_population_diversity(const relnas_population *p);

#endif
