/* Fuzz target: Darknet detection label files, read by relnas_read_labels for a 20-class data
 * set. Every label it accepts must hold what the reader promises. */
#include <math.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "label_file.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    relnas_label *labels;
    int n;
    char err[512];
    if (relnas_read_labels(fuzz_file(0, data, size), 20, &labels, &n, err, sizeof(err)) != 0) return 0;
    for (int i = 0; i < n; ++i) {
        relnas_label l = labels[i];
        if (l.cls < 0 || l.cls >= 20 || !isfinite(l.x + l.y + l.w + l.h) || l.w <= 0 || l.h <= 0) abort();
    }
    free(labels);
    return 0;
}
