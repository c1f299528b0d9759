/* Command-line options of `darknet relnas` commands: flags and `--key value` options are
 * taken by name, what is left are positional arguments, and anything not understood is an
 * error naming it. Values out of range or not numbers are errors naming the option. */
#ifndef RELNAS_CLI_ARGS_H
#define RELNAS_CLI_ARGS_H

typedef struct relnas_args {
    int argc;
    char **argv; /* argv[0] is the command name */
    char used[256];
    int failed;  /* an error was printed */
} relnas_args;

relnas_args relnas_args_make(int argc, char **argv);

/* 1 if the flag is present. */
int relnas_arg_flag(relnas_args *a, const char *name);

/* The value after `name`, or def. */
const char *relnas_arg_string(relnas_args *a, const char *name, const char *def);

/* Integer / real option in [lo, hi]; def when absent. Prints an error and sets failed. */
int relnas_arg_int(relnas_args *a, const char *name, int def, int lo, int hi);
double relnas_arg_double(relnas_args *a, const char *name, double def, double lo, double hi);

/* The k-th argument not taken by an option; NULL if there are fewer. Call after options. */
const char *relnas_arg_positional(relnas_args *a, int k);

/* -gpus N: run on GPU N (one), setting Darknet's gpu_index. Without the option Darknet's
 * choice stands (GPU 0 in a GPU build unless -nogpu; none in a CPU build). Returns 0, or -1
 * after an error (not a number, several GPUs, a build without GPU). */
int relnas_arg_gpu(relnas_args *a);

/* 0 if every argument was understood and no option failed, else prints what was not. */
int relnas_args_finish(relnas_args *a, int positional_max);

#endif
