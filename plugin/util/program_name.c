#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

int relnas_checkout_dir(char *dir, size_t len)
{
    char path[PATH_MAX];
    if (!realpath("/proc/self/exe", path)) return -1;
    for (char *slash = strrchr(path, '/'); slash && slash != path; slash = strrchr(path, '/')) {
        *slash = '\0';
        char probe[PATH_MAX + 32];
        snprintf(probe, sizeof(probe), "%s/scripts/fetch-fashion-mnist", path);
        if (access(probe, X_OK) == 0) return snprintf(dir, len, "%s", path) < (int)len ? 0 : -1;
    }
    return -1;
}
