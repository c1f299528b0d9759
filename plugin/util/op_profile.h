/* Where a step's time goes, op by op: wall time, FLOPs and bytes moved, summed per op name.
 * Off unless relnas_op_profile_start() was called; off, an op costs one branch. Ops nest: an
 * op's time excludes the ops timed inside it (a layer's time is what its stages leave), so
 * the rows add up to the time profiled. Called from one thread (OpenMP runs inside ops). */
#ifndef RELNAS_OP_PROFILE_H
#define RELNAS_OP_PROFILE_H

#include <stdio.h>

typedef struct relnas_op_row {
    char name[64];      /* as given to relnas_op_end (cut to 63 characters) */
    long calls;
    double seconds;     /* exclusive of the ops inside it */
    double flops;       /* floating-point operations (a multiply-add is 2) */
    double bytes;       /* bytes read and written, as the op's shapes say (not cache misses) */
} relnas_op_row;

/* Starts (or restarts) collecting: rows are cleared. */
void relnas_op_profile_start(void);

/* Stops collecting; the rows stay until the next start. */
void relnas_op_profile_stop(void);

/* 1 if collecting. */
int relnas_op_profile_on(void);

/* Marks an op's start; returns 1 if collecting (then relnas_op_end must follow), else 0. */
int relnas_op_begin(void);

/* Ends the innermost op begun, adding its time, flops and bytes to the row `name`. */
void relnas_op_end(const char *name, double flops, double bytes);

/* The rows, most time first; returns their number (at most max). */
int relnas_op_profile_rows(relnas_op_row *rows, int max);

/* Prints the rows as tab-separated lines: name, calls, seconds, flops, bytes. */
void relnas_op_profile_write(FILE *out);

/* The clock ops are timed with (seconds); NULL: the monotonic clock. For tests. */
void relnas_op_profile_set_clock(double (*clock)(void));

/* Runs stmt as the op `name` with the given flops and bytes (evaluated only when on). */
#define RELNAS_TIMED_OP(name, flops, bytes, stmt)                                                  \
    do {                                                                                           \
        int relnas_timed_ = relnas_op_begin();                                                     \
        stmt;                                                                                      \
        if (relnas_timed_) relnas_op_end(name, (double)(flops), (double)(bytes));                   \
    } while (0)

#endif
