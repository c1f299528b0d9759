#include "search_chart.h"
#include "line_chart.h"

int relnas_write_search_chart(const char *path, const double *fast_loss, const double *slow_loss,
                              const double *diversity, int generations, int width, int height)
{
    relnas_chart_series losses[2] = {{slow_loss, generations, {40, 80, 220}}, {fast_loss, generations, {220, 40, 40}}};
    relnas_chart_series lower[1] = {{diversity, generations, {30, 150, 60}}};
    return relnas_write_chart(path, losses, 2, lower, 1, width, height);
}
