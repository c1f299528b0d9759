/* `darknet relnas <command> ...`: the plugin's command line. */
#ifndef RELNAS_CLI_H
#define RELNAS_CLI_H

/* Runs `darknet relnas` with Darknet's argv (argv[1] is "relnas"); returns the exit status. */
int relnas_main(int argc, char **argv);

#endif
