/* Time for progress lines: a monotonic clock and durations as 1h05m / 4m07s. */
#ifndef RELNAS_PROGRESS_TIME_H
#define RELNAS_PROGRESS_TIME_H

#include <stdio.h>

/* Seconds on a monotonic clock. */
double relnas_now(void);

/* Prints seconds as "XhYYm" from an hour on, else "XmYYs". */
void relnas_print_duration(FILE *out, double seconds);

/* A duration as people write it: "90" or "90s", "20m", "1h30m", "2h" (whole numbers of
 * each unit, in the order h, m, s). Returns 0 with *seconds, or -1 if text is none of these. */
int relnas_parse_duration(const char *text, double *seconds);

#endif
