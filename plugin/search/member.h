/* One population member's figures after an evaluation: the record a pair, a log row, the
 * checkpoint and the messages between ranks all hold, in one codec. */
#ifndef RELNAS_MEMBER_H
#define RELNAS_MEMBER_H

#include <stddef.h>
#include "binary_file.h"
#include "population.h"

typedef struct relnas_member {
    int index;                  /* in the population */
    double train_loss;          /* mean over its training batches (NAN: not trained) */
    double valid_loss, valid_accuracy; /* on the validation batches (NAN: not scored, diverged) */
    double seconds;             /* of its evaluation (0: took another's figures) */
} relnas_member;

/* A trained pair: its members in pairing order and which one is the fast learner (0/1). */
typedef struct relnas_pair_result {
    relnas_member member[2];
    int fast;
} relnas_pair_result;

/* Member `index` before any evaluation: every figure NAN, no seconds. */
relnas_member relnas_member_unscored(int index);

/* The fast learner of a pair: the lower finite validation loss; a non-finite one loses;
 * ties go to a. */
int relnas_member_faster(const relnas_member *a, const relnas_member *b);

/* Member m's cell as genotype text into buf (empty if its vector does not decode). */
void relnas_member_genotype(const relnas_population *pop, int index, char *buf, size_t len);

/* The codec: field by field, so padding never reaches a file or another rank. */
void relnas_member_put(relnas_binary_writer *w, const relnas_member *m);
void relnas_member_get(relnas_binary_reader *r, relnas_member *m);
void relnas_pair_result_put(relnas_binary_writer *w, const relnas_pair_result *p);
void relnas_pair_result_get(relnas_binary_reader *r, relnas_pair_result *p);

/* Bytes of one member in the codec, for size checks before reading. */
enum { RELNAS_MEMBER_BYTES = 4 + 4 * 8 };

#endif
