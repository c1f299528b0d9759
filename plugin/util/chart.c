#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chart.h"
#include "output_file.h"
#include "relnas_check.h"
#include "relnas_error.h"

enum { MARGIN_TOP = 58, MARGIN_BOTTOM = 52, MARGIN_SIDE = 78, MARGIN_NO_AXIS = 24, MAX_TICKS = 7 };
static const char font[] = "DejaVu Sans";

relnas_chart_ticks relnas_chart_nice_ticks(double lo, double hi, int max_count)
{
    if (!(hi - lo > 1e-12 * fmax(1, fabs(lo)))) {
        double d = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= d, hi += d;
    }
    if (max_count < 2) max_count = 2;
    static const double mantissa[3] = {1, 2, 5};
    double power = pow(10, floor(log10((hi - lo) / max_count)));
    for (;; power *= 10)
        for (int m = 0; m < 3; ++m) {
            double step = mantissa[m] * power;
            double a = floor(lo / step + 1e-9), b = ceil(hi / step - 1e-9);
            if (b - a + 1 <= max_count) return (relnas_chart_ticks){a * step, step, (int)(b - a) + 1};
        }
}

static double x_at(const relnas_chart_series *s, int i)
{
    return s->x ? s->x[i] : i + 1;
}

/* The last finite value of s, or NAN; its x in *x. */
static double latest(const relnas_chart_series *s, double *x)
{
    for (int i = s->count - 1; i >= 0; --i)
        if (isfinite(s->y[i]) && isfinite(x_at(s, i))) return *x = x_at(s, i), s->y[i];
    return NAN;
}

int relnas_chart_title(char *out, size_t len, const relnas_chart *c)
{
    int used = snprintf(out, len, "%s:", c->title);
    double last_x = NAN;
    for (int k = 0; k < c->nseries; ++k) {
        double x = NAN, y = latest(&c->series[k], &x);
        if (isfinite(x) && !(x <= last_x)) last_x = x;
        if (used >= 0 && (size_t)used < len)
            used += snprintf(out + used, len - used, "%s %s %.4g", k ? "," : "", c->series[k].name, y);
    }
    if (isfinite(last_x) && used >= 0 && (size_t)used < len)
        used += snprintf(out + used, len - used, " at %s %.10g", c->x_title, last_x);
    return used;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value range of the series on one side (x or y), as the axis asks. */
static void value_range(const relnas_chart *c, int side, int want_x, int clip, double *lo, double *hi)
{
    int total = 0, n = 0;
    for (int k = 0; k < c->nseries; ++k) total += c->series[k].count;
    double *v = RELNAS_CALLOC((size_t)total + 1, sizeof(double));
    for (int k = 0; k < c->nseries; ++k) {
        const relnas_chart_series *s = &c->series[k];
        if (!want_x && (int)s->side != side) continue;
        for (int i = 0; i < s->count; ++i) {
            double value = want_x ? x_at(s, i) : s->y[i];
            if (isfinite(value) && isfinite(want_x ? s->y[i] : x_at(s, i))) v[n++] = value;
        }
    }
    qsort(v, (size_t)n, sizeof(double), compare_doubles);
    *lo = n ? v[0] : 0, *hi = n ? v[n - 1] : 1;
    if (clip && n && v[n / 2] > 0 && *hi > 3 * v[n / 2]) *hi = 3 * v[n / 2];
    free(v);
}

typedef struct frame {
    double x0, y0, x1, y1;      /* the plot area in pixels */
    relnas_chart_ticks xt, yt[2];
    int right;                  /* a right axis is drawn */
} frame;

static relnas_chart_ticks axis_ticks(const relnas_chart *c, const relnas_chart_axis *a, int side)
{
    double lo = a->lo, hi = a->hi, dlo, dhi;
    value_range(c, side, 0, a->clip_spikes, &dlo, &dhi);
    if (!isfinite(lo)) lo = dlo;
    if (!isfinite(hi)) hi = dhi;
    return relnas_chart_nice_ticks(lo, hi, MAX_TICKS);
}

static double tick_last(relnas_chart_ticks t)
{
    return t.first + t.step * (t.count - 1);
}

static double px_x(const frame *f, double x)
{
    return f->x0 + (x - f->xt.first) / (tick_last(f->xt) - f->xt.first) * (f->x1 - f->x0);
}

static double px_y(const frame *f, int side, double y)
{
    relnas_chart_ticks t = f->yt[side];
    return f->y1 - (y - t.first) / (tick_last(t) - t.first) * (f->y1 - f->y0);
}

/* A tick label with as many decimals as the step needs. */
static void tick_label(char *out, size_t len, double value, double step)
{
    int decimals = (int)fmax(0, -floor(log10(step) + 1e-9));
    snprintf(out, len, "%.*f", decimals, fabs(value) < step * 1e-6 ? 0.0 : value);
}

/* Text at (x, y): align 0 left, 0.5 centred, 1 right of x; vertically centred on y. */
static void text(cairo_t *cr, double x, double y, double align, const char *s)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - align * e.x_advance, y - e.y_bearing - e.height / 2);
    cairo_show_text(cr, s);
}

static void vertical_text(cairo_t *cr, double x, double y, double angle, const char *s)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, angle);
    text(cr, 0, 0, 0.5, s);
    cairo_restore(cr);
}

static void draw_axes(cairo_t *cr, const relnas_chart *c, const frame *f)
{
    char label[64];
    cairo_set_font_size(cr, 12);
    cairo_set_line_width(cr, 1);
    for (int i = 0; i < f->xt.count; ++i) {
        double v = f->xt.first + i * f->xt.step, x = px_x(f, v);
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_move_to(cr, x, f->y0), cairo_line_to(cr, x, f->y1), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        tick_label(label, sizeof(label), v, f->xt.step);
        text(cr, x, f->y1 + 12, 0.5, label);
    }
    for (int side = 0; side <= f->right; ++side)
        for (int i = 0; i < f->yt[side].count; ++i) {
            double v = f->yt[side].first + i * f->yt[side].step, y = px_y(f, side, v);
            if (side == 0) {
                cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
                cairo_move_to(cr, f->x0, y), cairo_line_to(cr, f->x1, y), cairo_stroke(cr);
            }
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_move_to(cr, side ? f->x1 : f->x0 - 5, y), cairo_line_to(cr, side ? f->x1 + 5 : f->x0, y);
            cairo_stroke(cr);
            tick_label(label, sizeof(label), v, f->yt[side].step);
            text(cr, side ? f->x1 + 8 : f->x0 - 8, y, side ? 0 : 1, label);
        }
    cairo_rectangle(cr, f->x0, f->y0, f->x1 - f->x0, f->y1 - f->y0);
    cairo_stroke(cr);
    cairo_set_font_size(cr, 13);
    text(cr, (f->x0 + f->x1) / 2, f->y1 + 34, 0.5, c->x_title);
    vertical_text(cr, 16, (f->y0 + f->y1) / 2, -M_PI / 2, c->left.title);
    if (f->right) vertical_text(cr, c->width - 16, (f->y0 + f->y1) / 2, M_PI / 2, c->right.title);
}

static void draw_series(cairo_t *cr, const frame *f, const relnas_chart_series *s)
{
    cairo_save(cr);
    cairo_rectangle(cr, f->x0, f->y0, f->x1 - f->x0, f->y1 - f->y0);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, s->rgb[0] / 255.0, s->rgb[1] / 255.0, s->rgb[2] / 255.0);
    cairo_set_line_width(cr, 2);
    int pen_down = 0;
    for (int i = 0; i < s->count; ++i) {
        if (!isfinite(s->y[i]) || !isfinite(x_at(s, i))) {
            pen_down = 0;
            continue;
        }
        double x = px_x(f, x_at(s, i)), y = px_y(f, (int)s->side, s->y[i]);
        if (pen_down) cairo_line_to(cr, x, y);
        else cairo_move_to(cr, x, y);
        pen_down = 1;
    }
    cairo_stroke(cr);
    for (int i = 0; s->markers && i < s->count; ++i)
        if (isfinite(s->y[i]) && isfinite(x_at(s, i))) {
            cairo_arc(cr, px_x(f, x_at(s, i)), px_y(f, (int)s->side, s->y[i]), 3.5, 0, 2 * M_PI);
            cairo_fill(cr);
        }
    cairo_restore(cr);
}

/* The title on the first line, the legend (a line in each series' colour, its name and
 * axis) on the second. */
static void draw_header(cairo_t *cr, const relnas_chart *c, const frame *f)
{
    char title[1024];
    relnas_chart_title(title, sizeof(title), c);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_font_size(cr, 14);
    text(cr, f->x0, 16, 0, title);
    cairo_set_font_size(cr, 12);
    double x = f->x0;
    for (int k = 0; k < c->nseries; ++k) {
        const relnas_chart_series *s = &c->series[k];
        char entry[256];
        snprintf(entry, sizeof(entry), "%s%s", s->name, f->right ? (s->side ? " (right axis)" : " (left axis)") : "");
        cairo_set_source_rgb(cr, s->rgb[0] / 255.0, s->rgb[1] / 255.0, s->rgb[2] / 255.0);
        cairo_set_line_width(cr, 3);
        cairo_move_to(cr, x, 40), cairo_line_to(cr, x + 24, 40), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_text_extents_t e;
        cairo_text_extents(cr, entry, &e);
        text(cr, x + 30, 40, 0, entry);
        x += 30 + e.x_advance + 24;
    }
}

static frame layout(const relnas_chart *c)
{
    frame f = {0};
    for (int k = 0; k < c->nseries; ++k) f.right |= c->series[k].side == RELNAS_CHART_RIGHT;
    f.x0 = MARGIN_SIDE, f.x1 = c->width - (f.right ? MARGIN_SIDE : MARGIN_NO_AXIS);
    f.y0 = MARGIN_TOP, f.y1 = c->height - MARGIN_BOTTOM;
    double lo, hi;
    value_range(c, 0, 1, 0, &lo, &hi);
    f.xt = relnas_chart_nice_ticks(lo, hi, MAX_TICKS + 2);
    f.yt[0] = axis_ticks(c, &c->left, 0);
    f.yt[1] = axis_ticks(c, &c->right, 1);
    return f;
}

int relnas_chart_write_png(const char *path, const relnas_chart *c, char *err, size_t errlen)
{
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c->width, c->height);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, font, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    frame f = layout(c);
    draw_axes(cr, c, &f);
    for (int k = 0; k < c->nseries; ++k) draw_series(cr, &f, &c->series[k]);
    draw_header(cr, c, &f);
    cairo_destroy(cr);
    relnas_output out;
    if (relnas_output_begin(&out, path, err, errlen)) return cairo_surface_destroy(surface), -1;
    cairo_status_t status = cairo_surface_write_to_png(surface, out.temp);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        relnas_output_abort(&out);
        return relnas_errorf(err, errlen, "cannot write %s: %s", path, cairo_status_to_string(status));
    }
    return relnas_output_commit(&out, err, errlen);
}
