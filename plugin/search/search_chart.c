#include <math.h>
#include <stdio.h>
#include "search_chart.h"
#include "chart.h"

int relnas_write_search_chart(const char *path, const double *fast_loss, const double *slow_loss,
                              const double *diversity, int generations, int width, int height)
{
    const relnas_chart_series series[3] = {
        {.name = "fast learners", .y = fast_loss, .count = generations, .rgb = {220, 40, 40}, .markers = 1},
        {.name = "slow learners", .y = slow_loss, .count = generations, .rgb = {40, 80, 220}, .markers = 1},
        {.name = "diversity", .y = diversity, .count = generations, .rgb = {30, 150, 60},
         .side = RELNAS_CHART_RIGHT, .markers = 1},
    };
    const relnas_chart chart = {
        .title = "RelativeNAS search",
        .x_title = "generation",
        .left = {.title = "mean validation loss", .lo = NAN, .hi = NAN},
        .right = {.title = "diversity (distance to the mean vector)", .lo = 0, .hi = NAN},
        .series = series,
        .nseries = 3,
        .width = width,
        .height = height,
    };
    char err[512];
    if (relnas_chart_write_png(path, &chart, err, sizeof(err)) == 0) return 0;
    fprintf(stderr, "%s\n", err);
    return -1;
}
