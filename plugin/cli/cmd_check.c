/* darknet relnas check CFG [--strict]: every problem of a network cfg and the shapes
 * Darknet will build, without building it. */
#include <stdio.h>
#include "cfg_check.h"
#include "cli_args.h"
#include "relnas_commands.h"

static const char usage[] =
    "usage: darknet relnas check CFG [--strict] [--quiet]\n"
    "  checks every section (Darknet's and the plugin's): numbers, ranges, layer references,\n"
    "  shapes; prints each layer's input and output shape and every problem; exit 1 on errors\n"
    "  --strict  unknown and repeated keys are errors (default: warnings)\n"
    "  --quiet   problems only, no shape table\n";

int relnas_cmd_check(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    int strict = relnas_arg_flag(&a, "--strict");
    int quiet = relnas_arg_flag(&a, "--quiet");
    const char *cfg = relnas_arg_positional(&a, 0);
    if (relnas_args_finish(&a, 1) || !cfg) {
        fputs(usage, stderr);
        return 2;
    }
    relnas_cfg_check_options options = {.strict = strict, .problems = stderr, .shapes = quiet ? NULL : stdout};
    relnas_cfg_check_result r;
    relnas_cfg_check_file(cfg, &options, &r);
    fflush(stdout);
    printf("%s: %d layers, %d error%s, %d warning%s%s\n", cfg, r.layers, r.errors, r.errors == 1 ? "" : "s",
           r.warnings, r.warnings == 1 ? "" : "s", strict && r.warnings ? " (errors under --strict)" : "");
    return r.errors ? 1 : 0;
}
