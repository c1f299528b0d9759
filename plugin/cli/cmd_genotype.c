/* darknet relnas genotype INPUT: prints the genotype of any accepted input in the official
 * repr, e.g. a 32-number vector pasted from a search log. */
#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "genotype_parse.h"
#include "relnas_commands.h"

static const char usage[] =
    "usage: darknet relnas genotype INPUT\n"
    "  INPUT: a bundled name (RelativeNAS, DARTS_V1, DARTS_V2, DARTS), a file, a\n"
    "  Genotype(...) repr, or the 32 numbers of an architecture vector (one argument)\n";

int relnas_cmd_genotype(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    const char *input = relnas_arg_positional(&a, 0);
    if (relnas_args_finish(&a, 1) || !input) {
        fputs(usage, stderr);
        return 2;
    }
    relnas_genotype g;
    char source[512], err[512];
    if (relnas_genotype_load(input, &g, source, sizeof(source), err, sizeof(err))) {
        fprintf(stderr, "darknet relnas genotype: %s\n", err);
        return 1;
    }
    char repr[2048];
    relnas_genotype_format(repr, sizeof(repr), &g);
    printf("%s\n", repr);
    return 0;
}
