#include <math.h>
#include <stdlib.h>
#include "line_chart.h"
#include "relnas_check.h"
#include "stb_image_write.h"

typedef struct canvas {
    unsigned char *rgb;
    int w, h;
} canvas;

typedef struct panel {
    int x0, y0, x1, y1; /* pixel box */
    double lo, hi;      /* value range */
} panel;

static void plot(canvas *c, int x, int y, const unsigned char *color)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h) return;
    for (int k = 0; k < 3; ++k) c->rgb[(y * c->w + x) * 3 + k] = color[k];
}

/* A 2-pixel-wide line from (x0, y0) to (x1, y1). */
static void line(canvas *c, int x0, int y0, int x1, int y1, const unsigned char *color)
{
    int steps = abs(x1 - x0) > abs(y1 - y0) ? abs(x1 - x0) : abs(y1 - y0);
    for (int i = 0; i <= steps; ++i) {
        int x = x0 + (steps ? (x1 - x0) * i / steps : 0), y = y0 + (steps ? (y1 - y0) * i / steps : 0);
        plot(c, x, y, color);
        plot(c, x, y + 1, color);
    }
}

static void range_of(const relnas_chart_series *s, int n, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    for (int k = 0; k < n; ++k)
        for (int i = 0; i < s[k].count; ++i)
            if (isfinite(s[k].values[i])) *lo = fmin(*lo, s[k].values[i]), *hi = fmax(*hi, s[k].values[i]);
    if (!isfinite(*lo)) *lo = 0, *hi = 1;
    if (*hi - *lo < 1e-9) *hi = *lo + 1;
    double margin = 0.05 * (*hi - *lo);
    *lo -= margin, *hi += margin;
}

static void frame(canvas *c, panel p)
{
    static const unsigned char grid[3] = {220, 220, 220}, axis[3] = {0, 0, 0};
    for (int k = 1; k < 4; ++k) {
        int y = p.y0 + (p.y1 - p.y0) * k / 4;
        line(c, p.x0, y, p.x1, y, grid);
    }
    line(c, p.x0, p.y0, p.x0, p.y1, axis);
    line(c, p.x0, p.y1, p.x1, p.y1, axis);
}

static void series(canvas *c, panel p, const double *v, int n, const unsigned char *color)
{
    int px = 0, py = 0, have = 0;
    for (int i = 0; i < n; ++i) {
        if (!isfinite(v[i])) {
            have = 0;
            continue;
        }
        int x = p.x0 + (n > 1 ? (p.x1 - p.x0) * i / (n - 1) : (p.x1 - p.x0) / 2);
        int y = p.y1 - (int)((v[i] - p.lo) / (p.hi - p.lo) * (p.y1 - p.y0));
        if (have) line(c, px, py, x, y, color);
        if (n <= 100) /* a dot per point when they are few enough to tell apart */
            for (int d = -2; d <= 2; ++d) line(c, x - 2, y + d, x + 2, y + d, color);
        px = x, py = y, have = 1;
    }
}

int relnas_write_chart(const char *path, const relnas_chart_series *upper, int nupper,
                       const relnas_chart_series *lower, int nlower, int width, int height)
{
    canvas c = {RELNAS_CALLOC((size_t)width * height * 3, 1), width, height};
    for (long i = 0; i < (long)width * height * 3; ++i) c.rgb[i] = 255;
    int m = 20, mid = height * 2 / 3;
    panel top = {m, m, width - m, mid - m / 2, 0, 1}, bottom = {m, mid + m / 2, width - m, height - m, 0, 1};
    range_of(upper, nupper, &top.lo, &top.hi);
    range_of(lower, nlower, &bottom.lo, &bottom.hi);
    frame(&c, top);
    frame(&c, bottom);
    for (int k = 0; k < nupper; ++k) series(&c, top, upper[k].values, upper[k].count, upper[k].rgb);
    for (int k = 0; k < nlower; ++k) series(&c, bottom, lower[k].values, lower[k].count, lower[k].rgb);
    int ok = stbi_write_png(path, width, height, 3, c.rgb, width * 3);
    free(c.rgb);
    return ok ? 0 : -1;
}
