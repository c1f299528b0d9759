#include "network_graph.h"
#include "layer_registry.h"

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

int relnas_layer_is_loss(layer l)
{
    return l.type == SOFTMAX || l.type == COST || l.type == YOLO || l.type == REGION || l.type == DETECTION ||
           (l.type == PLUGIN && relnas_layer_kind_at(l.plugin_kind) == &relnas_weighted_softmax_kind);
}
