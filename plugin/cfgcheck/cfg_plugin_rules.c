/* Plugin sections are checked by the layer's own parser (a rule exists once): it builds
 * the layer at batch 1 on the CPU against stand-ins of the earlier layers' shapes, reports
 * what it refuses, and the layer is freed again. Keys the parser does not read are errors,
 * as they are when Darknet builds the network (plugin/hooks/relnas_hooks.c). */
#include <stdlib.h>
#include <string.h>
#include "cfg_sections.h"
#include "darknet.h"
#include "layer_options.h"
#include "layer_registry.h"
#include "list.h"
#include "option_list.h"
#include "parser.h"
#include "quiet_output.h"


static list *options_of(relnas_cfg_section *s)
{
    list *options = make_list();
    for (int i = 0; i < s->n; ++i) option_insert(options, s->entries[i].key, s->entries[i].value);
    return options;
}

/* The earlier layers' shapes as Darknet layers, for the parser's `input=`. */
static network *stand_in(const relnas_cfg_ctx *c, const relnas_cfg_shape *net_input)
{
    network *net = calloc(1, sizeof(network));
    net->layers = calloc((size_t)c->layer + 1, sizeof(layer));
    net->n = c->layer;
    net->batch = 1;
    net->h = net_input->h;
    net->w = net_input->w;
    net->c = net_input->c;
    net->inputs = (int)net_input->outputs;
    for (int i = 0; i < c->layer; ++i) {
        layer *l = &net->layers[i];
        l->out_h = c->layers[i].h;
        l->out_w = c->layers[i].w;
        l->out_c = c->layers[i].c;
        l->outputs = (int)c->layers[i].outputs;
    }
    return net;
}

/* "KEY: expected ..." from the parser: reported at the key's line. */
static void report_parser(relnas_cfg_ctx *c, const char *message)
{
    char key[64];
    int n = 0;
    if (sscanf(message, "%63[a-z_0-9]: %n", key, &n) == 1 && n > 0) relnas_cfg_fail(c, key, "%s", message + n);
    else relnas_cfg_fail(c, NULL, "%s", message);
}

static void mark_all_read(relnas_cfg_section *s)
{
    for (int i = 0; i < s->n; ++i) s->entries[i].used = 1;
}

static int known_shapes(const relnas_cfg_ctx *c)
{
    if (!c->in.known) return 0;
    for (int i = 0; i < c->layer; ++i)
        if (!c->layers[i].known) return 0;
    return 1;
}

int relnas_cfg_check_plugin(relnas_cfg_ctx *c, const relnas_cfg_shape *net_input)
{
    int kind = relnas_layer_kind_find(c->section->type);
    if (kind < 0) return 0;
    if (!known_shapes(c) || !net_input->known) {
        mark_all_read(c->section); /* the parser cannot judge them */
        return 1;
    }
    list *options = options_of(c->section);
    network *net = stand_in(c, net_input);
    size_params params = {.batch = 1, .inputs = (int)c->in.outputs, .h = c->in.h, .w = c->in.w, .c = c->in.c,
                          .index = c->layer, .time_steps = 1, .net = net};
    char err[256] = "";
    layer l = {0};
    int saved_gpu = gpu_index;
    gpu_index = -1;
    int quiet = relnas_stderr_silence(); /* the parser prints its layer line */
    int failed = relnas_layer_kind_at(kind)->parse(&l, options, params, err, sizeof(err));
    relnas_stderr_restore(quiet);
    gpu_index = saved_gpu;
    if (failed) {
        report_parser(c, err);
        mark_all_read(c->section);
    } else {
        int i = 0;
        for (node *n = options->front; n; n = n->next, ++i) c->section->entries[i].used = ((kvp *)n->val)->used;
        relnas_cfg_set_out(c, l.out_h, l.out_w, l.out_c);
        c->out.outputs = l.outputs;
        c->out.weights = l.nweights;
        l.type = PLUGIN;
        l.plugin_kind = kind;
        free_layer(l);
    }
    free(net->layers);
    free(net);
    relnas_options_free(options, 0);
    return 1;
}
