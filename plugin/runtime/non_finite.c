#include <math.h>
#include <stdio.h>
#include "non_finite.h"
#include "cuda.h"
#include "layer_output.h"
#include "layer_registry.h"

static int output_is_finite(layer l, const network *net)
{
    long n = (long)l.outputs * l.batch;
    relnas_pull_output(net, l);
    for (long k = 0; k < n; ++k)
        if (!isfinite(l.output[k])) return 0;
    return 1;
}

void relnas_describe_first_non_finite(const network *net, char *out, size_t len)
{
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        if (l.output && !output_is_finite(l, net)) {
            snprintf(out, len, "; the first layer with a non-finite output is %d (%s)", i, relnas_layer_type_name(l));
            return;
        }
    }
    snprintf(out, len, "%s", "; every layer's output is finite: a true class got probability 0");
}
