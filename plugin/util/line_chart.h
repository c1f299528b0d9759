/* Two-panel line charts as PNG files (Darknet's stb_image_write): each panel holds a few
 * series of values spread evenly over the panel's width and scaled to their common range;
 * non-finite values leave gaps. Used for the search's and training's charts. */
#ifndef RELNAS_LINE_CHART_H
#define RELNAS_LINE_CHART_H

typedef struct relnas_chart_series {
    const double *values;
    int count;
    unsigned char rgb[3];
} relnas_chart_series;

/* Writes path (width x height pixels): the upper series in the upper two thirds, the lower
 * ones below. Returns 0 or -1. */
int relnas_write_chart(const char *path, const relnas_chart_series *upper, int nupper,
                       const relnas_chart_series *lower, int nlower, int width, int height);

#endif
