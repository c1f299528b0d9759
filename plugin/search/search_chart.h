/* The search's chart (chart.png): per generation, the mean validation loss of the fast
 * learners (red) and of the slow learners (blue) on the left axis, the population's
 * diversity (green) on the right one; axes with values, a legend, the latest values in the
 * title (plugin/util/chart.h). */
#ifndef RELNAS_SEARCH_CHART_H
#define RELNAS_SEARCH_CHART_H

/* Writes path (width x height pixels); non-finite values leave gaps. Returns 0 or -1. */
int relnas_write_search_chart(const char *path, const double *fast_loss, const double *slow_loss,
                              const double *diversity, int generations, int width, int height);

#endif
