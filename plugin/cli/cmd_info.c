/* darknet relnas info CFG: stages, output shapes, parameters, multiply-adds. */
#include <stdio.h>
#include "cli_args.h"
#include "darknet.h"
#include "network_info.h"
#include "relnas_commands.h"

static const char usage[] = "usage: darknet relnas info CFG\n";

int relnas_cmd_info(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    const char *cfg = relnas_arg_positional(&a, 0);
    if (relnas_args_finish(&a, 1) || !cfg) {
        fputs(usage, stderr);
        return 2;
    }
    FILE *probe = fopen(cfg, "r");
    if (!probe) {
        perror(cfg);
        return 1;
    }
    fclose(probe);
    network *net = parse_network_cfg((char *)cfg);
    relnas_print_network_info(stdout, net, cfg);
    free_network(net);
    return 0;
}
