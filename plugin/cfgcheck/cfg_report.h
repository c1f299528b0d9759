/* Problems found in a cfg, printed in one format:
 *   FILE:LINE: [section] (layer N): key: expected ..., found ...
 * ([net] has no layer number; problems of the whole file name no section or key). */
#ifndef RELNAS_CFG_REPORT_H
#define RELNAS_CFG_REPORT_H

#include <stdio.h>

typedef struct relnas_cfg_report {
    const char *path;
    FILE *out;     /* where problems are printed; NULL: counted only */
    int strict;    /* warnings count as errors */
    int errors;
    int warnings;
} relnas_cfg_report;

/* Where a problem is: line 0 = no line; layer -1 = [net] or the whole file. */
typedef struct relnas_cfg_where {
    int line;
    const char *section; /* NULL: the whole file */
    int layer;
    const char *key;     /* NULL: the whole section */
} relnas_cfg_where;

/* An error: the message follows the location (conventionally "expected ..., found ..."). */
void relnas_cfg_error(relnas_cfg_report *r, relnas_cfg_where at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A warning, an error under strict. */
void relnas_cfg_warning(relnas_cfg_report *r, relnas_cfg_where at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Problems counted as errors (warnings too under strict). */
int relnas_cfg_failed(const relnas_cfg_report *r);

#endif
