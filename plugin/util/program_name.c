#include "program_name.h"

static const char *program = 0;

void relnas_set_program_name(const char *argv0)
{
    program = argv0 && argv0[0] ? argv0 : 0;
}

const char *relnas_program_name(void)
{
    return program ? program : "./darknet";
}
