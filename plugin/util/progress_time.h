/* Time for progress lines: a monotonic clock and durations as 1h05m / 4m07s. */
#ifndef RELNAS_PROGRESS_TIME_H
#define RELNAS_PROGRESS_TIME_H

#include <stdio.h>

/* Seconds on a monotonic clock. */
double relnas_now(void);

/* Prints seconds as "XhYYm" from an hour on, else "XmYYs". */
void relnas_print_duration(FILE *out, double seconds);

#endif
