#include <stdlib.h>
#include <string.h>
#include "op_profile.h"
#include "progress_time.h"

#define MAX_ROWS 128
#define MAX_DEPTH 16

typedef struct open_op {
    double start, inner; /* inner: seconds of the ops timed inside it */
} open_op;

static struct {
    int on, depth, nrows;
    open_op open[MAX_DEPTH];
    relnas_op_row rows[MAX_ROWS];
} profile;

static double (*clock_now)(void) = relnas_now;

void relnas_op_profile_set_clock(double (*clock)(void))
{
    clock_now = clock ? clock : relnas_now;
}

void relnas_op_profile_start(void)
{
    memset(&profile, 0, sizeof(profile));
    profile.on = 1;
}

void relnas_op_profile_stop(void)
{
    profile.on = 0;
}

int relnas_op_profile_on(void)
{
    return profile.on;
}

int relnas_op_begin(void)
{
    if (!profile.on) return 0;
    if (profile.depth == MAX_DEPTH) {
        fprintf(stderr, "op profile: ops nested deeper than %d\n", MAX_DEPTH);
        abort();
    }
    profile.open[profile.depth++] = (open_op){clock_now(), 0};
    return 1;
}

static relnas_op_row *row_named(const char *name)
{
    for (int i = 0; i < profile.nrows; ++i)
        if (strncmp(profile.rows[i].name, name, sizeof(profile.rows[i].name) - 1) == 0)
            return &profile.rows[i];
    if (profile.nrows == MAX_ROWS) {
        fprintf(stderr, "op profile: more than %d op names\n", MAX_ROWS);
        abort();
    }
    relnas_op_row *r = &profile.rows[profile.nrows++];
    snprintf(r->name, sizeof(r->name), "%s", name);
    return r;
}

void relnas_op_end(const char *name, double flops, double bytes)
{
    if (profile.depth == 0) {
        fprintf(stderr, "op profile: %s ended without a begin\n", name);
        abort();
    }
    open_op op = profile.open[--profile.depth];
    double elapsed = clock_now() - op.start;
    if (profile.depth) profile.open[profile.depth - 1].inner += elapsed;
    relnas_op_row *r = row_named(name);
    r->calls++;
    r->seconds += elapsed - op.inner;
    r->flops += flops;
    r->bytes += bytes;
}

static int by_time_descending(const void *a, const void *b)
{
    double x = ((const relnas_op_row *)a)->seconds, y = ((const relnas_op_row *)b)->seconds;
    return (x < y) - (x > y);
}

int relnas_op_profile_rows(relnas_op_row *rows, int max)
{
    int n = profile.nrows < max ? profile.nrows : max;
    relnas_op_row sorted[MAX_ROWS];
    memcpy(sorted, profile.rows, sizeof(relnas_op_row) * (size_t)profile.nrows);
    qsort(sorted, (size_t)profile.nrows, sizeof(relnas_op_row), by_time_descending);
    memcpy(rows, sorted, sizeof(relnas_op_row) * (size_t)n);
    return n;
}

void relnas_op_profile_write(FILE *out)
{
    relnas_op_row rows[MAX_ROWS];
    int n = relnas_op_profile_rows(rows, MAX_ROWS);
    for (int i = 0; i < n; ++i)
        fprintf(out, "%s\t%ld\t%.6f\t%.0f\t%.0f\n", rows[i].name, rows[i].calls, rows[i].seconds,
                rows[i].flops, rows[i].bytes);
}
