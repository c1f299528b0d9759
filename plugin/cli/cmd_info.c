/* darknet relnas info CFG: stages, output shapes, parameters, multiply-adds, and the memory
 * the cfg needs at its batch size to train and to predict. */
#include <stdio.h>
#include "cli_args.h"
#include "darknet.h"
#include "memory_measure.h"
#include "network_info.h"
#include "relnas_commands.h"

static const char usage[] =
    "usage: darknet relnas info CFG [--no-memory]\n"
    "  --no-memory  skip measuring memory (two tiny training steps and predictions)\n";

static void print_memory(const char *cfg)
{
    relnas_memory_needs m;
    char err[512];
    if (relnas_measure_memory(cfg, &m, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas info: %s\n", err);
        return;
    }
    const double mib = 1024.0 * 1024.0;
    printf("memory at batch %d (CPU heap, measured at batches 1 and 2): training %.0f MiB (stock Darknet "
           "buffers: %.0f MiB), predicting %.0f MiB (stock: %.0f MiB)\n", m.batch, m.train_planned / mib,
           m.train_stock / mib, m.infer_planned / mib, m.infer_stock / mib);
    printf("  (relnas train/valid/forward and the search use the planned figures; Darknet's own commands "
           "the stock ones)\n");
}

int relnas_cmd_info(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    int no_memory = relnas_arg_flag(&a, "--no-memory");
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
    fflush(stdout);
    if (!no_memory) print_memory(cfg);
    return 0;
}
