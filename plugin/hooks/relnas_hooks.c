#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "relnas_hooks.h"
#include "cfg_check.h"
#include "cfg_location.h"
#include "gpu_device.h"
#include "layer_registry.h"
#include "memory_plan.h"
#include "option_list.h"
#include "relnas_check.h"
#include "cuda.h"

static void exit_at_section(const char *cfgfile, size_params params, const char *type,
                            const char *message)
{
    int line = relnas_cfg_section_line(cfgfile, params.index + 1);
    if (line)
        fprintf(stderr, "%s:%d: %s (layer %d): %s\n", cfgfile, line, type, params.index, message);
    else
        fprintf(stderr, "%s: %s (layer %d): %s\n", cfgfile, type, params.index, message);
    exit(EXIT_FAILURE);
}

/* Darknet reads the common keys (cfg_check.h) after the layer's parser, so they count as known. */
static const char *first_unknown_key(list *options)
{
    for (node *n = options->front; n; n = n->next) {
        kvp *pair = (kvp *)n->val;
        if (!pair->used && !relnas_is_common_key(pair->key)) return pair->key;
    }
    return NULL;
}

static const relnas_layer_kind *kind_of(layer l)
{
    RELNAS_ASSERT(l.type == PLUGIN);
    RELNAS_ASSERT(l.plugin_kind >= 0 && l.plugin_kind < relnas_layer_kind_count());
    return relnas_layer_kind_at(l.plugin_kind);
}

layer relnas_parse_section(const char *cfgfile, const char *type, list *options,
                           size_params params)
{
    int kind = relnas_layer_kind_find(type);
    if (kind < 0)
        exit_at_section(cfgfile, params, type,
                        "unknown section type: neither Darknet nor the RelativeNAS plugin "
                        "has a layer of this name (`darknet relnas layers` lists the plugin's)");
    layer l = {0};
    char err[256] = "";
    if (relnas_layer_kind_at(kind)->parse(&l, options, params, err, sizeof(err)) != 0)
        exit_at_section(cfgfile, params, type, err);
    const char *key = first_unknown_key(options);
    if (key) {
        snprintf(err, sizeof(err), "%s: expected a key this section reads, found an unknown key", key);
        exit_at_section(cfgfile, params, type, err);
    }
    l.type = PLUGIN;
    l.plugin_kind = kind;
    return l;
}

void relnas_save_layer_weights(layer l, FILE *fp)
{
    const relnas_layer_kind *kind = kind_of(l);
    if (kind->save_weights) kind->save_weights(l, fp);
}

void relnas_load_layer_weights(layer l, FILE *fp, const char *weightfile)
{
    const relnas_layer_kind *kind = kind_of(l);
    if (!kind->load_weights || kind->load_weights(l, fp) == 0) return;
    fprintf(stderr,
            "%s: the file ends inside the weights of a %s layer: it is truncated or was "
            "saved for another cfg\n",
            weightfile, kind->section);
    exit(EXIT_FAILURE);
}

/* Whether load_weights_upto reads bytes for l (its branches, in Darknet's parser.c). */
static int reads_weights(layer l)
{
    switch (l.type) {
    case CONVOLUTIONAL: case DECONVOLUTIONAL: case CONNECTED: case BATCHNORM: case CRNN: case RNN: case LSTM:
    case GRU: case LOCAL:
        return 1;
    case PLUGIN:
        return kind_of(l)->load_weights != NULL;
    default:
        return 0;
    }
}

int relnas_next_layer_with_weights(const network *net, int from, int to)
{
    for (int i = from; i < to && i < net->n; ++i)
        if (!net->layers[i].dontload && reads_weights(net->layers[i])) return i;
    return -1;
}

int relnas_require_complete_weights;

void relnas_weights_end_early(const network *net, const char *filename, int loaded)
{
    int last = -1;
    for (int i = loaded; (i = relnas_next_layer_with_weights(net, i, net->n)) >= 0; ++i) last = i;
    if (!relnas_require_complete_weights) {
        fprintf(stderr, "%s: weights for layers 0-%d; the others keep their initial values\n", filename, loaded - 1);
        return;
    }
    fprintf(stderr, "%s: holds the weights of layers 0-%d only, and the cfg has weighted layers up to %d: scoring "
            "it would use random weights for the rest. Evaluate a complete file (a `partial` file is for starting "
            "a training)\n", filename, loaded - 1, last);
    exit(EXIT_FAILURE);
}

void relnas_resize_layer(layer *l, network *net, int w, int h)
{
    kind_of(*l)->resize(l, net, w, h);
}

void relnas_set_layer_batch(layer *l, network *net)
{
    kind_of(*l)->resize(l, net, l->w, l->h);
}

void relnas_fit_workspace(network *net)
{
    size_t most = 0;
    for (int i = 0; i < net->n; ++i)
        if (net->layers[i].workspace_size > most) most = net->layers[i].workspace_size;
    if (!most) return;
#ifdef GPU
    if (net->gpu_index >= 0) {
        relnas_device_free(net->workspace);
        net->workspace = RELNAS_DEVICE_CALLOC(net->gpu_index, (most - 1) / sizeof(float) + 1);
        return;
    }
#endif
    free(net->workspace);
    net->workspace = RELNAS_CALLOC(1, most);
}

void relnas_free_layer(layer l)
{
    const relnas_layer_kind *kind = kind_of(l);
    if (kind->free_state) kind->free_state(l);
}

void relnas_before_backward(network *net, int i)
{
    relnas_plan_before_backward(net, i);
}

void relnas_drop_plan(network *net)
{
    relnas_plan_drop(net);
}

void relnas_free_plan(network *net)
{
    relnas_plan_free(net);
}
