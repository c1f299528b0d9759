/* The search's chart: per generation, the mean validation loss of the fast learners (red)
 * and of the slow learners (blue) in the upper panel, the population's diversity (green) in
 * the lower one; a PNG written with Darknet's stb_image_write. */
#ifndef RELNAS_SEARCH_CHART_H
#define RELNAS_SEARCH_CHART_H

/* Writes path (width x height pixels); non-finite values leave gaps. Returns 0 or -1. */
int relnas_write_search_chart(const char *path, const double *fast_loss, const double *slow_loss,
                              const double *diversity, int generations, int width, int height);

#endif
