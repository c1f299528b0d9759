/* Line charts as PNG files, drawn with Cairo: one plot with a left and an optional right
 * value axis, tick values on every axis, axis titles, a legend, and the title followed by
 * each series' latest value. Used by the search's, `relnas train`'s and `detector train`'s
 * charts. Non-finite values leave gaps. */
#ifndef RELNAS_CHART_H
#define RELNAS_CHART_H

#include <stddef.h>

typedef enum relnas_chart_side { RELNAS_CHART_LEFT, RELNAS_CHART_RIGHT } relnas_chart_side;

typedef struct relnas_chart_series {
    const char *name;         /* legend entry and title label */
    const double *x, *y;      /* count points; x NULL: 1, 2, 3, ... */
    int count;
    unsigned char rgb[3];
    relnas_chart_side side;   /* which value axis */
    int markers;              /* dots on the points (sparse series: validation passes) */
} relnas_chart_series;

typedef struct relnas_chart_axis {
    const char *title;
    double lo, hi;            /* fixed range; NAN: from the values */
    int clip_spikes;          /* automatic top at most 3x the median (early loss spikes) */
} relnas_chart_axis;

typedef struct relnas_chart {
    const char *title;
    const char *x_title;
    relnas_chart_axis left, right; /* right is drawn when a series uses it */
    const relnas_chart_series *series;
    int nseries;
    int width, height;        /* pixels */
} relnas_chart;

/* Ticks covering [lo, hi]: count values first, first + step, ..., at a step of 1, 2 or 5
 * times a power of ten, the first <= lo and the last >= hi, at most max_count of them. */
typedef struct relnas_chart_ticks {
    double first, step;
    int count;
} relnas_chart_ticks;
relnas_chart_ticks relnas_chart_nice_ticks(double lo, double hi, int max_count);

/* The title line: "TITLE: NAME VALUE, NAME VALUE at X_TITLE X" with each series' last
 * finite value (%.4g) and the largest x. Returns what snprintf returns. */
int relnas_chart_title(char *out, size_t len, const relnas_chart *c);

/* Writes c to path through a temporary file renamed over it (a viewer never sees half a
 * PNG). Returns 0, or -1 with a message in err naming the file. */
int relnas_chart_write_png(const char *path, const relnas_chart *c, char *err, size_t errlen);

#endif
