#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "network_info.h"
#include "network_graph.h"
#include "layer_registry.h"
#include "program_name.h"
#include "relnas_check.h"

long relnas_layer_params(layer l)
{
    switch (l.type) {
    case CONVOLUTIONAL:
        return (long)l.nweights + (l.batch_normalize ? 2L * l.n : l.n);
    case CONNECTED:
        return (long)l.inputs * l.outputs + (l.batch_normalize ? 3L : 1L) * l.outputs;
    case BATCHNORM:
        return 2L * l.c;
    case PLUGIN:
        return (long)l.nweights + 2L * l.nbiases;
    default:
        return 0;
    }
}

/* Marks with `mark` every layer `from` depends on, through unmarked layers. */
static void mark_ancestors(const network *net, int from, relnas_layer_role *roles, int *seen)
{
    int *stack = RELNAS_CALLOC((size_t)net->n, sizeof(int)), top = 0;
    stack[top++] = from;
    seen[from] = 1;
    while (top) {
        int i = stack[--top], inputs[64];
        roles[i] = roles[i] == RELNAS_ROLE_UNUSED ? RELNAS_ROLE_AUXILIARY : roles[i];
        int n = relnas_layer_inputs(net, i, inputs, 64);
        for (int k = 0; k < n && k < 64; ++k)
            if (inputs[k] >= 0 && !seen[inputs[k]]) {
                seen[inputs[k]] = 1;
                stack[top++] = inputs[k];
            }
    }
    free(stack);
}

void relnas_layer_roles(const network *net, relnas_layer_role *roles)
{
    int *seen = RELNAS_CALLOC((size_t)net->n, sizeof(int));
    for (int i = 0; i < net->n; ++i) roles[i] = RELNAS_ROLE_UNUSED;
    /* The path to the output first: those layers are main, whatever else reads them. A
     * detector's every [yolo] layer is an output. */
    mark_ancestors(net, net->n - 1, roles, seen);
    for (int i = net->n - 2; i >= 0; --i)
        if (!seen[i] && net->layers[i].type == YOLO) mark_ancestors(net, i, roles, seen);
    for (int i = 0; i < net->n; ++i)
        if (seen[i]) roles[i] = RELNAS_ROLE_MAIN;
    for (int i = net->n - 2; i >= 0; --i)
        if (!seen[i] && relnas_layer_is_loss(net->layers[i])) mark_ancestors(net, i, roles, seen);
    free(seen);
}

/* ---- stages from `# stage:` comments ----------------------------------------------------- */

typedef struct stage_labels {
    char **label; /* per layer; NULL where no comment named a stage yet */
} stage_labels;

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) ++s;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

static stage_labels read_stage_labels(const char *cfgfile, int nlayers)
{
    stage_labels st = {RELNAS_CALLOC((size_t)nlayers, sizeof(char *))};
    FILE *fp = fopen(cfgfile, "r");
    if (!fp) return st;
    char line[1024], *current = NULL;
    int section = -1; /* [net] is section 0, layer i is section i + 1 */
    while (fgets(line, sizeof(line), fp)) {
        char *t = trim(line);
        if (strncmp(t, "# stage:", 8) == 0) {
            free(current);
            current = strdup(trim(t + 8));
        } else if (t[0] == '[') {
            ++section;
            if (section >= 1 && section <= nlayers && current) st.label[section - 1] = strdup(current);
        }
    }
    free(current);
    fclose(fp);
    return st;
}

static void free_stage_labels(stage_labels st, int nlayers)
{
    for (int i = 0; i < nlayers; ++i) free(st.label[i]);
    free(st.label);
}

static void print_stage(FILE *out, const char *name, layer last, long params, double madds)
{
    char shape[48];
    if (last.out_h > 1 || last.out_w > 1)
        snprintf(shape, sizeof(shape), "%dx%dx%d", last.out_w, last.out_h, last.out_c);
    else
        snprintf(shape, sizeof(shape), "%d", last.outputs);
    fprintf(out, "  %-52.52s %14s %12.3f M %12.2f M\n", name, shape, params / 1e6, madds / 1e6);
}

/* Stem and cells are the backbone a detector shares with a classifier of the same genotype,
 * C and cells: their layer count is what `darknet partial` keeps. `partial N` copies layers
 * 0..N-1 as they stand, so the count holds only for a cfg whose backbone has no auxiliary
 * head among its layers, and only the ImageNet stem (stem0, stem1) is the yolo preset's. */
static void print_backbone(FILE *out, const stage_labels *st, const relnas_layer_role *roles, int n)
{
    int last = -1, auxiliary = 0, imagenet_stem = 0;
    for (int i = 0; i < n; ++i) {
        if (st->label[i] && strncmp(st->label[i], "cell ", 5) == 0) last = i;
        if (st->label[i] && strncmp(st->label[i], "stem0", 5) == 0) imagenet_stem = 1;
    }
    if (last < 0) return;
    for (int i = 0; i <= last; ++i) auxiliary += roles[i] == RELNAS_ROLE_AUXILIARY;
    int count = last + 1 - auxiliary;
    fprintf(out, "backbone (stem and cells): layers 0-%d", last);
    if (auxiliary) fprintf(out, ", %d of them the auxiliary head's", auxiliary);
    if (!imagenet_stem) {
        fprintf(out, "; its stem is the CIFAR preset's, the yolo preset's backbone has the ImageNet stem: "
                "a detector starts from a classifier made with --preset imagenet --no-auxiliary\n");
        return;
    }
    fprintf(out, "; to start a detector (--preset yolo, the same genotype, C and cells) from a classifier "
            "made with --preset imagenet --no-auxiliary%s:\n  %s partial CLASSIFIER.cfg CLASSIFIER.weights "
            "backbone.weights %d\n", auxiliary ? " (not this cfg: its auxiliary layers would be copied too)" : "",
            relnas_program_name(), count);
}

void relnas_print_network_info(FILE *out, const network *net, const char *cfgfile)
{
    relnas_layer_role *roles = RELNAS_CALLOC((size_t)net->n, sizeof(*roles));
    relnas_layer_roles(net, roles);
    stage_labels st = read_stage_labels(cfgfile, net->n);
    long params[3] = {0}, stage_params = 0;
    double madds[3] = {0}, stage_madds = 0;
    fprintf(out, "%s: %d layers, input %dx%dx%d, batch %d\n\n", cfgfile, net->n, net->w, net->h, net->c,
            net->batch);
    fprintf(out, "  %-52s %14s %14s %14s\n", "stage", "output", "params", "mult-adds");
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        long p = relnas_layer_params(l);
        double m = relnas_layer_multiply_adds(l);
        params[roles[i]] += p;
        madds[roles[i]] += m;
        stage_params += p;
        stage_madds += m;
        const char *name = st.label[i] ? st.label[i] : "layers";
        int ends = i == net->n - 1 || !st.label[i + 1] || !st.label[i] || strcmp(st.label[i], st.label[i + 1]) != 0;
        if (!st.label[i]) {
            char single[32];
            snprintf(single, sizeof(single), "layer %d", i);
            name = single;
            print_stage(out, name, l, stage_params, stage_madds);
            stage_params = 0, stage_madds = 0;
        } else if (ends) {
            print_stage(out, name, l, stage_params, stage_madds);
            stage_params = 0, stage_madds = 0;
        }
    }
    int unused = 0;
    for (int i = 0; i < net->n; ++i) unused += roles[i] == RELNAS_ROLE_UNUSED;
    fprintf(out, "\nparameters: %.2f M (%ld)%s", (params[0] + params[2]) / 1e6, params[0] + params[2],
            params[1] ? " without the auxiliary head" : "");
    if (params[1]) fprintf(out, "; auxiliary head %.2f M (%ld)", params[1] / 1e6, params[1]);
    fprintf(out, "\nmultiply-adds per image: %.1f M", (madds[0] + madds[2]) / 1e6);
    if (madds[1]) fprintf(out, " (+ %.1f M in the auxiliary head while training)", madds[1] / 1e6);
    fprintf(out, "\n");
    if (unused) {
        fprintf(out, "unused layers (nothing reads their output; counted, as in the official network):");
        for (int i = 0; i < net->n; ++i)
            if (roles[i] == RELNAS_ROLE_UNUSED)
                fprintf(out, " %d%s%s%s", i, st.label[i] ? " (" : "", st.label[i] ? st.label[i] : "",
                        st.label[i] ? ")" : "");
        fprintf(out, "\n");
    }
    print_backbone(out, &st, roles, net->n);
    free_stage_labels(st, net->n);
    free(roles);
}
