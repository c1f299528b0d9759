/* The `darknet relnas` commands; each takes argv with argv[0] = the command name and
 * returns the exit status. */
#ifndef RELNAS_COMMANDS_H
#define RELNAS_COMMANDS_H

int relnas_cmd_genotype(int argc, char **argv);
int relnas_cmd_cfg(int argc, char **argv);
int relnas_cmd_info(int argc, char **argv);
int relnas_cmd_check(int argc, char **argv);
int relnas_cmd_forward(int argc, char **argv);
int relnas_cmd_export(int argc, char **argv);
int relnas_cmd_draw(int argc, char **argv);
int relnas_cmd_search(int argc, char **argv);
int relnas_cmd_train(int argc, char **argv);
int relnas_cmd_valid(int argc, char **argv);
int relnas_cmd_map(int argc, char **argv);
int relnas_cmd_anchors(int argc, char **argv);

/* `darknet detector map DATA CFG WEIGHTS` and `darknet detector calc_anchors DATA`
 * (AlexeyAB's names and flags) through relnas map and relnas anchors; Darknet's run_detector
 * asks first (patch 0041). argv as Darknet's main has it (argv[2] the subcommand). Returns
 * the exit status, or -1 for another subcommand. */
int relnas_detector_command(int argc, char **argv);

#endif
