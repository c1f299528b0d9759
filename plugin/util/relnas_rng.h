/* The search's random numbers: xoshiro256** seeded through splitmix64. Its whole state is
 * four words, so a checkpoint can save it and a resumed search draws the same numbers. */
#ifndef RELNAS_RNG_H
#define RELNAS_RNG_H

#include <stdint.h>

typedef struct relnas_rng {
    uint64_t s[4];
} relnas_rng;

relnas_rng relnas_rng_seeded(uint64_t seed);

/* Uniform 64-bit integer. */
uint64_t relnas_rng_next(relnas_rng *r);

/* Uniform real in [0, 1). */
double relnas_rng_uniform(relnas_rng *r);

/* Uniform integer in [0, n). */
uint64_t relnas_rng_below(relnas_rng *r, uint64_t n);

#endif
