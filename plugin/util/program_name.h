/* The darknet binary as the user invoked it, for the commands our output suggests
 * ("continue: <it> relnas train ..."): a user who ran /opt/darknet/darknet from elsewhere
 * can paste them as they are. */
#ifndef RELNAS_PROGRAM_NAME_H
#define RELNAS_PROGRAM_NAME_H

/* Kept as given (argv[0]); NULL or empty restores the default. */
void relnas_set_program_name(const char *argv0);

/* What relnas_set_program_name was given; "./darknet" before that (library use, tests). */
const char *relnas_program_name(void);

#endif
