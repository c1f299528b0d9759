#include <time.h>
#include "progress_time.h"

double relnas_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

void relnas_print_duration(FILE *out, double seconds)
{
    int s = (int)(seconds + 0.5);
    if (s >= 3600) fprintf(out, "%dh%02dm", s / 3600, s / 60 % 60);
    else fprintf(out, "%dm%02ds", s / 60, s % 60);
}
