#include "network_graph.h"

int relnas_layer_inputs(const network *net, int i, int *inputs, int max)
{
    layer l = net->layers[i];
    int n = 0;
    if (l.type == ROUTE) {
        for (int k = 0; k < l.n && n < max; ++k) inputs[n++] = l.input_layers[k];
    } else if (l.type == PLUGIN) {
        if (n < max) inputs[n++] = l.index;
    } else {
        if (n < max) inputs[n++] = i - 1;
        if (l.type == SHORTCUT && n < max) inputs[n++] = l.index;
    }
    return n;
}
