#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "onnx_export.h"
#include "cfg_location.h"
#include "layer_registry.h"
#include "network_graph.h"
#include "onnx_layers.h"
#include "relnas_check.h"
#include "relnas_error.h"

static int is_aux_softmax(layer l)
{
    return l.type == PLUGIN && relnas_layer_kind_at(l.plugin_kind) == &relnas_weighted_softmax_kind;
}

static void add_output(relnas_export_plan *p, const char *name, int layer_index, const layer *l)
{
    if (p->noutputs == RELNAS_EXPORT_MAX_OUTPUTS) return;
    relnas_export_output *o = &p->output[p->noutputs++];
    snprintf(o->name, sizeof(o->name), "%s", name);
    o->layer = layer_index;
    int flat = l->type == SOFTMAX || l->type == CONNECTED || is_aux_softmax(*l);
    o->ndims = flat ? 2 : 4;
    o->dims[0] = 1;
    if (flat) o->dims[1] = l->outputs;
    else o->dims[1] = l->out_c, o->dims[2] = l->out_h, o->dims[3] = l->out_w;
}

relnas_export_plan relnas_export_outputs(const network *net, const relnas_export_options *opt)
{
    relnas_export_plan p = {0};
    char name[64];
    for (int i = 0; i < net->n; ++i)
        if (net->layers[i].type == YOLO && i > 0) {
            snprintf(name, sizeof(name), "yolo_raw_stride%d", net->w / (net->layers[i].w ? net->layers[i].w : 1));
            add_output(&p, name, i - 1, &net->layers[i - 1]);
        }
    if (p.noutputs == 0) {
        const layer *last = &net->layers[net->n - 1];
        add_output(&p, last->type == SOFTMAX ? "probabilities" : "output", net->n - 1, last);
    }
    for (int i = 0; i < net->n && opt->keep_aux; ++i)
        if (is_aux_softmax(net->layers[i])) add_output(&p, "aux_probabilities", i, &net->layers[i]);
    return p;
}

/* needed[i]: some output reads layer i, directly or not. Returns how many are not needed. */
static int mark_needed(const network *net, const relnas_export_plan *p, char *needed)
{
    for (int k = 0; k < p->noutputs; ++k) needed[p->output[k].layer] = 1;
    int left_out = 0;
    for (int i = net->n - 1; i >= 0; --i) {
        if (!needed[i]) {
            left_out += net->layers[i].type != YOLO; /* a [yolo] layer is its output's decoding */
            continue;
        }
        int ins[64], n = relnas_layer_inputs(net, i, ins, 64);
        for (int k = 0; k < n; ++k)
            if (ins[k] >= 0) needed[ins[k]] = 1;
    }
    return left_out;
}

/* "# genotype: ..." from the cfg's header comment, as `relnas cfg` writes it. */
static void genotype_of_cfg(const char *cfg, char *out, size_t len)
{
    out[0] = '\0';
    FILE *fp = fopen(cfg, "r");
    char line[4096];
    for (int n = 0; fp && n < 20 && fgets(line, sizeof(line), fp); ++n)
        if (strncmp(line, "# genotype: ", 12) == 0) {
            snprintf(out, len, "%s", line + 12);
            out[strcspn(out, "\n")] = '\0';
        }
    if (fp) fclose(fp);
}

/* The [yolo] layer output o feeds, or NULL. */
static const layer *yolo_of(const network *net, const relnas_export_output *o)
{
    int i = o->layer + 1;
    return i < net->n && net->layers[i].type == YOLO ? &net->layers[i] : NULL;
}

static void yolo_metadata(relnas_onnx_model *m, const network *net, const relnas_export_plan *p)
{
    char key[128], value[1024];
    for (int k = 0; k < p->noutputs; ++k) {
        const layer *y = yolo_of(net, &p->output[k]);
        if (!y) continue;
        int len = 0;
        for (int a = 0; a < y->n; ++a)
            len += snprintf(value + len, sizeof(value) - len, "%s%g,%g", a ? ", " : "", y->biases[2 * y->mask[a]],
                            y->biases[2 * y->mask[a] + 1]);
        snprintf(key, sizeof(key), "yolo.%s.anchors", p->output[k].name);
        relnas_onnx_add_metadata(m, key, value);
        snprintf(key, sizeof(key), "yolo.%s.mask", p->output[k].name);
        len = 0;
        for (int a = 0; a < y->n; ++a) len += snprintf(value + len, sizeof(value) - len, "%s%d", a ? "," : "", y->mask[a]);
        relnas_onnx_add_metadata(m, key, value);
    }
    snprintf(value, sizeof(value), "%d", yolo_of(net, &p->output[0])->classes);
    relnas_onnx_add_metadata(m, "yolo.classes", value);
    relnas_onnx_add_metadata(m, "yolo.decoding",
                             "Darknet [yolo]: per anchor a, channels a*(5+classes) + (x, y, w, h, objectness, "
                             "classes...); box centre = ((col + sigmoid(x)) / W, (row + sigmoid(y)) / H), size = "
                             "(anchor_w * exp(w) / input_w, anchor_h * exp(h) / input_h) with anchors in input "
                             "pixels; objectness and class scores through sigmoid");
}

static void add_metadata(relnas_onnx_model *m, const network *net, const char *cfg, const relnas_export_plan *p,
                     const relnas_export_options *opt)
{
    char value[4096];
    relnas_onnx_add_metadata(m, "darknet.cfg", cfg);
    genotype_of_cfg(cfg, value, sizeof(value));
    if (value[0]) relnas_onnx_add_metadata(m, "relnas.genotype", value);
    snprintf(value, sizeof(value), "float32 NCHW [N, %d, %d, %d], as Darknet's network input (images: RGB in [0, 1])",
             net->c, net->h, net->w);
    relnas_onnx_add_metadata(m, "input.image", value);
    relnas_onnx_add_metadata(m, "batch_norm", opt->keep_bn ? "BatchNormalization nodes" : "folded into the convolutions");
    if (p->noutputs && yolo_of(net, &p->output[0])) yolo_metadata(m, net, p);
}

static int emit_all(onnx_context *x, const char *needed, char *err, size_t errlen)
{
    char why[1024];
    for (int i = 0; i < x->net->n; ++i) {
        if (!needed[i]) continue;
        if (onnx_emit_layer(x, i, why, sizeof(why)) == 0) continue;
        int line = relnas_cfg_section_line(x->cfg, i + 1);
        return relnas_errorf(err, errlen, "%s:%d: %s (layer %d) cannot be exported to ONNX: %s", x->cfg, line,
                             onnx_layer_section(x->net->layers[i]), i, why);
    }
    return 0;
}

static void graph_ends(onnx_context *x, const relnas_export_plan *p)
{
    const network *net = x->net;
    int64_t in_dims[4] = {1, net->c, net->h, net->w};
    relnas_onnx_add_input(x->m, x->input, in_dims, 4);
    for (int k = 0; k < p->noutputs; ++k) {
        const relnas_export_output *o = &p->output[k];
        const char *v = onnx_value_of(x, o->layer);
        relnas_onnx_node *n = relnas_onnx_add_node(x->m, "Identity", &v, 1, o->name);
        relnas_onnx_add_output(x->m, relnas_onnx_node_output(n), o->dims, o->ndims, NULL);
    }
}

int relnas_onnx_export(const network *net, const char *cfg, const relnas_export_options *opt, const char *path,
                       relnas_export_summary *summary, char *err, size_t errlen)
{
    relnas_export_plan p = relnas_export_outputs(net, opt);
    char *needed = RELNAS_CALLOC((size_t)net->n, 1);
    int left_out = mark_needed(net, &p, needed);
    onnx_context x = {.net = net, .cfg = cfg, .opt = *opt, .input = "image"};
    x.m = relnas_onnx_model_new("darknet_relnas", "exported by `darknet relnas export` from a Darknet cfg + weights");
    relnas_onnx_unique_name(x.m, x.input);
    x.value = RELNAS_CALLOC((size_t)net->n, sizeof(*x.value));
    int rc = emit_all(&x, needed, err, errlen);
    if (rc == 0) {
        graph_ends(&x, &p);
        add_metadata(x.m, net, cfg, &p, opt);
        rc = relnas_onnx_write(x.m, path, err, errlen);
    }
    if (rc == 0 && summary) {
        summary->nodes = relnas_onnx_node_count(x.m), summary->layers_left_out = left_out, summary->aux_left_out = 0;
        for (int i = 0; i < net->n; ++i) summary->aux_left_out |= !needed[i] && is_aux_softmax(net->layers[i]);
    }
    relnas_onnx_model_free(x.m);
    free(x.value), free(needed);
    return rc;
}
