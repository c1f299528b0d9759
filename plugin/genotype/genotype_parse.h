/* Reading genotypes from what users have: the official repr (any whitespace, one or several
 * lines, lists or range(a, b) for concat, optionally after `NAME = `), the 32-number
 * architecture vector of RelativeNAS (decoded with the paper's rule), a bundled genotype's
 * name, or a file holding either. Every function returns 0, or -1 with a message in err
 * that says where (line:column or position) and what was expected. */
#ifndef RELNAS_GENOTYPE_PARSE_H
#define RELNAS_GENOTYPE_PARSE_H

#include <stddef.h>
#include "genotype.h"

#define RELNAS_VECTOR_LEN (2 * 4 * RELNAS_NODES) /* 32 */

/* Parses a repr or a vector given as text. */
int relnas_genotype_parse(const char *text, relnas_genotype *g, char *err, size_t errlen);

/* Decodes the architecture vector: for cell type t (0 normal, 1 reduce) and node j,
 * positions 16t + 4j + {0,1,2,3} are (input 1, op 1, input 2, op 2); a real x becomes
 * int(x) if x is not whole, else int(x - 0.1). Out-of-bounds values are errors. */
int relnas_genotype_from_vector(const double *v, relnas_genotype *g, char *err, size_t errlen);

/* The vector's genotype as repr text in buf, or "" if the vector does not decode. */
void relnas_genotype_text_of_vector(const double *v, char *buf, size_t len);

/* Index of a real in the paper's decoding. */
int relnas_decode_index(double x);

/* Checks node inputs, concat states and edge count of a parsed genotype. */
int relnas_genotype_validate(const relnas_genotype *g, char *err, size_t errlen);

/* A bundled genotype's name (RelativeNAS, DARTS_V1, DARTS_V2, DARTS; any case), a file
 * holding a repr or vector, or the text itself. `source` names where it came from. */
int relnas_genotype_load(const char *input, relnas_genotype *g, char *source, size_t sourcelen,
                         char *err, size_t errlen);

#endif
