/* Fuzz target: genotype text (Python repr, 32-number vectors, names) through the parser,
 * and a parsed genotype back through the formatter and the parser (the round trip must
 * hold for anything accepted). */
#include <stdlib.h>
#include <string.h>
#include "genotype_parse.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char text[8192], err[512], again[4096];
    if (size >= sizeof(text)) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    relnas_genotype g, h;
    if (relnas_genotype_parse(text, &g, err, sizeof(err)) != 0) return 0;
    relnas_genotype_format(again, sizeof(again), &g);
    if (relnas_genotype_parse(again, &h, err, sizeof(err)) != 0 || memcmp(&g, &h, sizeof(g)) != 0) abort();
    return 0;
}
