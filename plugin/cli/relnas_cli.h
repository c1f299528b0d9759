/* `darknet relnas <command> ...`: the plugin's command line. */
#ifndef RELNAS_CLI_H
#define RELNAS_CLI_H

/* Runs `darknet relnas` with Darknet's argv (argv[1] is "relnas"); returns the exit status. */
int relnas_main(int argc, char **argv);

/* A CPU build given -gpus for one of Darknet's own commands (detector train ... -gpus 0):
 * refused with relnas's message (relnas_gpu_select), instead of ignored. Returns 1 after
 * the message, 0 when argv has no -gpus. */
int relnas_refuse_gpus_without_gpu(int argc, char **argv);

#endif
