#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli_args.h"
#include "darknet.h"
#include "gpu_device.h"

relnas_args relnas_args_make(int argc, char **argv)
{
    relnas_args a;
    memset(&a, 0, sizeof(a));
    a.argc = argc < 256 ? argc : 256;
    /* Darknet's del_arg (-nogpu, -i N) leaves NULLs at the end; never read past the first. */
    for (int i = 0; i < a.argc; ++i)
        if (!argv[i]) a.argc = i;
    a.argv = argv;
    a.used[0] = 1;
    return a;
}

static int find(relnas_args *a, const char *name)
{
    for (int i = 1; i < a->argc; ++i)
        if (!a->used[i] && strcmp(a->argv[i], name) == 0) return i;
    return -1;
}

int relnas_arg_flag(relnas_args *a, const char *name)
{
    int i = find(a, name);
    if (i < 0) return 0;
    a->used[i] = 1;
    return 1;
}

const char *relnas_arg_string(relnas_args *a, const char *name, const char *def)
{
    int i = find(a, name);
    if (i < 0) return def;
    a->used[i] = 1;
    if (i + 1 >= a->argc) {
        fprintf(stderr, "darknet relnas %s: option %s needs a value\n", a->argv[0], name);
        a->failed = 1;
        return def;
    }
    a->used[i + 1] = 1;
    return a->argv[i + 1];
}

double relnas_arg_double(relnas_args *a, const char *name, double def, double lo, double hi)
{
    const char *text = relnas_arg_string(a, name, NULL);
    if (!text) return def;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end || errno || !(v >= lo && v <= hi)) {
        fprintf(stderr, "darknet relnas %s: %s must be a number in [%g, %g], got '%s'\n", a->argv[0],
                name, lo, hi, text);
        a->failed = 1;
        return def;
    }
    return v;
}

int relnas_arg_int(relnas_args *a, const char *name, int def, int lo, int hi)
{
    const char *text = relnas_arg_string(a, name, NULL);
    if (!text) return def;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < lo || v > hi) {
        fprintf(stderr, "darknet relnas %s: %s must be an integer in [%d, %d], got '%s'\n", a->argv[0],
                name, lo, hi, text);
        a->failed = 1;
        return def;
    }
    return (int)v;
}

const char *relnas_arg_positional(relnas_args *a, int k)
{
    for (int i = 1; i < a->argc; ++i)
        if (!a->used[i] && (a->argv[i][0] != '-' || a->argv[i][1] == '\0' || strchr("0123456789.[", a->argv[i][1])) && k-- == 0)
            return a->argv[i];
    return NULL;
}

/* Whether argv[i] is an option that an earlier, used argument already gave. */
static int given_before(const relnas_args *a, int i)
{
    for (int j = 1; j < i; ++j)
        if (a->used[j] && strcmp(a->argv[j], a->argv[i]) == 0) return 1;
    return 0;
}

int relnas_args_finish(relnas_args *a, int positional_max)
{
    int positional = 0;
    for (int i = 1; i < a->argc; ++i) {
        if (a->used[i]) continue;
        const char *s = a->argv[i];
        int looks_like_option = s[0] == '-' && s[1] && !strchr("0123456789.[", s[1]);
        if (looks_like_option && given_before(a, i)) {
            fprintf(stderr, "darknet relnas %s: %s is given twice: give it once\n", a->argv[0], s);
            a->failed = 1;
            if (i + 1 < a->argc && !a->used[i + 1]) a->used[i + 1] = 1; /* its value is not another error */
        } else if (looks_like_option || ++positional > positional_max) {
            fprintf(stderr, "darknet relnas %s: unexpected argument '%s' (see `darknet relnas %s --help`)\n",
                    a->argv[0], s, a->argv[0]);
            a->failed = 1;
        }
    }
    return a->failed ? -1 : 0;
}

int relnas_arg_gpu(relnas_args *a)
{
    const char *text = relnas_arg_string(a, "-gpus", NULL);
    if (!text) return 0;
    char *end;
    long index = strtol(text, &end, 10);
    if (end == text || *end || index < 0 || index > 255) {
        fprintf(stderr, "darknet relnas %s: -gpus takes one GPU index (e.g. -gpus 0), got '%s'\n", a->argv[0], text);
        return a->failed = 1, -1;
    }
    if (relnas_ranks_pick_gpu(a->argv[0])) { /* each rank picks its own (place_rank) */
        gpu_index = (int)index;
        return 0;
    }
    return relnas_gpu_select((int)index) ? (a->failed = 1, -1) : 0;
}
