#include <ctype.h>
#include <stdlib.h>
#include <string.h>
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

int relnas_parse_duration(const char *text, double *seconds)
{
    static const char units[] = "hms";
    static const double scale[] = {3600, 60, 1};
    double total = 0;
    int next_unit = 0, parts = 0;
    const char *p = text;
    while (*p) {
        if (!isdigit((unsigned char)*p)) return -1;
        char *end;
        long n = strtol(p, &end, 10);
        if (n < 0 || n > 100000000) return -1;
        const char *unit = *end ? strchr(units + next_unit, *end) : NULL;
        if (*end && !unit) return -1;           /* an unknown unit, or one out of order */
        if (!*end && parts) return -1;          /* "1h30": the unit of 30 is unclear */
        total += (double)n * (unit ? scale[unit - units] : 1);
        next_unit = unit ? (int)(unit - units) + 1 : 3;
        p = unit ? end + 1 : end, ++parts;
    }
    if (!parts) return -1;
    *seconds = total;
    return 0;
}
