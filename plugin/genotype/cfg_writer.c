#include <stdarg.h>
#include <string.h>
#include "cfg_writer.h"
#include "anchors.h"
#include "relnas_check.h"

int relnas_net_preset(const char *name, relnas_net_spec *spec)
{
    /* The papers' settings: CIFAR-10 evaluation (C=36, 20 cells, auxiliary head, drop-path
     * 0.2, batch 96, lr 0.025, 600 epochs), ImageNet mobile setting (C=46, 14 cells, 224),
     * the RelativeNAS search proxy (C=16, 8 cells, batch 256), and a VOC detector. */
    static const relnas_net_spec presets[] = {
        {.preset = "cifar", .kind = RELNAS_NETWORK_CIFAR, .C = 36, .cells = 20, .classes = 10, .auxiliary = 1,
         .drop_path = 0.2f, .width = 32, .height = 32, .channels = 3, .batch = 96, .learning_rate = 0.025f,
         .max_batches = 312500},
        {.preset = "imagenet", .kind = RELNAS_NETWORK_IMAGENET, .C = 46, .cells = 14, .classes = 1000, .auxiliary = 0,
         .drop_path = 0.0f, .width = 224, .height = 224, .channels = 3, .batch = 128, .learning_rate = 0.1f,
         .max_batches = 2502000},
        {.preset = "search", .kind = RELNAS_NETWORK_CIFAR, .C = 16, .cells = 8, .classes = 10, .auxiliary = 0,
         .drop_path = 0.0f, .width = 32, .height = 32, .channels = 3, .batch = 256, .learning_rate = 0.1f,
         .max_batches = 4900},
        /* YOLOv3 on VOC: 416x416, batch 64 in 16 subdivisions, lr 0.001, 50200 iterations */
        {.preset = "yolo", .kind = RELNAS_NETWORK_YOLO, .C = 46, .cells = 14, .classes = 20, .auxiliary = 0,
         .drop_path = 0.0f, .width = 416, .height = 416, .channels = 3, .batch = 64, .learning_rate = 0.001f,
         .max_batches = 50200},
    };
    for (unsigned i = 0; i < sizeof(presets) / sizeof(presets[0]); ++i)
        if (strcmp(presets[i].preset, name) == 0) {
            *spec = presets[i];
            return 0;
        }
    return -1;
}

/* Layers are numbered as they are written; every section goes through emit(). */
typedef struct writer {
    FILE *out;
    int next;           /* index of the next layer */
    const relnas_net_spec *spec;
    relnas_layer_key key;  /* what the next emitted layer is */
    relnas_layer_key *keys;
    int capacity;
    int cell;           /* the cell being written */
} writer;

static void next_is(writer *wr, relnas_key_kind kind, int cell, int slot, int op)
{
    wr->key = (relnas_layer_key){kind, cell, slot, op};
}

static int emit(writer *wr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int emit(writer *wr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(wr->out, fmt, ap);
    va_end(ap);
    fprintf(wr->out, "\n");
    if (wr->keys && wr->next < wr->capacity) wr->keys[wr->next] = wr->key;
    wr->key = (relnas_layer_key){RELNAS_KEY_NONE, 0, 0, 0};
    return wr->next++;
}

static void comment(writer *wr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void comment(writer *wr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(wr->out, "# ");
    vfprintf(wr->out, fmt, ap);
    va_end(ap);
    fprintf(wr->out, "\n");
}

static float drop_path_of(const writer *wr) { return wr->spec->drop_path; }

/* One edge's op reading layer `from`; returns its layer, or `from` itself for an identity. */
static int write_op(writer *wr, relnas_primitive op, int from, int stride, int C)
{
    RELNAS_ASSERT(op >= 0 && op < RELNAS_PRIMITIVE_COUNT);
    const relnas_op *o = &relnas_ops[op];
    float dp = drop_path_of(wr);
    if (!o->section && stride == 1) {
        wr->key = (relnas_layer_key){RELNAS_KEY_NONE, 0, 0, 0}; /* an identity has no layer */
        return from;
    }
    if (!o->section) return emit(wr, "[factorized_reduce]\nfilters=%d\ninput=%d\ndrop_path=%g\n", C, from, dp);
    char dilation[32] = "", filters[32] = "";
    if (o->dilation > 1) snprintf(dilation, sizeof(dilation), "dilation=%d\n", o->dilation);
    if (o->filters) snprintf(filters, sizeof(filters), "filters=%d\n", C);
    return emit(wr, "%s\nsize=%d\nstride=%d\n%s%sinput=%d\ndrop_path=%g\n", o->section, o->size, stride,
                dilation, filters, from, dp);
}

/* node = op1(state a) + op2(state b): ops as layers, identities read directly. */
static int write_node(writer *wr, const relnas_edge *e, const int *states, int reduction, int C, int j)
{
    int stride[2], at[2];
    for (int k = 0; k < 2; ++k) stride[k] = reduction && e[k].input < 2 ? 2 : 1;
    comment(wr, "node %d = %s(state %d) + %s(state %d)", j, relnas_ops[e[0].op].name,
            e[0].input, relnas_ops[e[1].op].name, e[1].input);
    for (int k = 0; k < 2; ++k) {
        next_is(wr, RELNAS_KEY_OP, wr->cell, relnas_dag_edge(j, e[k].input), e[k].op);
        at[k] = write_op(wr, e[k].op, states[e[k].input], stride[k], C);
    }
    /* [shortcut] adds layer `from` to the layer just before it. */
    if (at[1] == wr->next - 1) return emit(wr, "[shortcut]\nfrom=%d\nactivation=linear\n", at[0]);
    if (at[0] == wr->next - 1) return emit(wr, "[shortcut]\nfrom=%d\nactivation=linear\n", at[1]);
    emit(wr, "[route]\nlayers=%d\n", at[0]); /* both identities: copy one, add the other */
    return emit(wr, "[shortcut]\nfrom=%d\nactivation=linear\n", at[1]);
}

/* One cell reading s0 and s1; returns the layer of its output. */
static int write_cell(writer *wr, const relnas_genotype *g, int i, int s0, int s1, int C,
                      int reduction, int reduction_prev)
{
    const relnas_cell_genotype *cell = reduction ? &g->reduce : &g->normal;
    int uses_s0 = 0;
    for (int e = 0; e < RELNAS_EDGES; ++e) uses_s0 |= cell->edges[e].input == 0;
    fprintf(wr->out, "\n");
    comment(wr, "stage: cell %d (%s, C=%d)", i, reduction ? "reduction" : "normal", C);
    comment(wr, "preprocess0%s", uses_s0 ? "" : ": unused (no edge reads s0), kept as in the official network");
    int states[2 + RELNAS_NODES];
    wr->cell = i;
    next_is(wr, RELNAS_KEY_SHARED, i, 0, 0);
    states[0] = reduction_prev ? emit(wr, "[factorized_reduce]\nfilters=%d\ninput=%d\n", C, s0)
                               : emit(wr, "[relu_conv_bn]\nfilters=%d\ninput=%d\n", C, s0);
    comment(wr, "preprocess1");
    next_is(wr, RELNAS_KEY_SHARED, i, 1, 0);
    states[1] = emit(wr, "[relu_conv_bn]\nfilters=%d\ninput=%d\n", C, s1);
    for (int j = 0; j < RELNAS_NODES; ++j)
        states[2 + j] = write_node(wr, &cell->edges[2 * j], states, reduction, C, j);
    comment(wr, "cell %d output: concat of states", i);
    char layers[256] = "";
    for (int k = 0; k < cell->nconcat; ++k)
        snprintf(layers + strlen(layers), sizeof(layers) - strlen(layers), "%s%d", k ? "," : "",
                 states[cell->concat[k]]);
    int out = emit(wr, "[route]\nlayers=%s\n", layers);
    fprintf(wr->out, "\n");
    return out;
}

/* The auxiliary classifier on the output of cell 2 * cells / 3 (DARTS's AuxiliaryHead). */
static void write_auxiliary_head(writer *wr, int from)
{
    int imagenet = wr->spec->kind == RELNAS_NETWORK_IMAGENET;
    fprintf(wr->out, "\n");
    comment(wr, "stage: auxiliary head (training only, not counted)");
    emit(wr, "[avg_pool]\nsize=5\nstride=%d\npad=0\nactivation=relu\ninput=%d\n", imagenet ? 2 : 3, from);
    next_is(wr, RELNAS_KEY_SHARED, RELNAS_PLACE_AUXILIARY, 0, 0);
    emit(wr, "[convolutional]\nfilters=128\nsize=1\nstride=1\npad=0\nbatch_normalize=1\nbn_momentum=0.1\nactivation=relu\n");
    next_is(wr, RELNAS_KEY_SHARED, RELNAS_PLACE_AUXILIARY, 1, 0);
    emit(wr, "[convolutional]\nfilters=768\nsize=2\nstride=1\npad=0\nbatch_normalize=%d\nbn_momentum=0.1\nactivation=relu\n",
         imagenet ? 0 : 1);
    next_is(wr, RELNAS_KEY_SHARED, RELNAS_PLACE_AUXILIARY, 2, 0);
    emit(wr, "[connected]\noutput=%d\nactivation=linear\n", wr->spec->classes);
    emit(wr, "[weighted_softmax]\nloss_weight=0.4\n");
}

/* Darknet's detector settings, as yolov3-voc.cfg has them. */
static void write_detector_net_block(writer *wr)
{
    const relnas_net_spec *s = wr->spec;
    int subdivisions = s->batch >= 16 && s->batch % 4 == 0 ? s->batch / 4 : 1;
    fprintf(wr->out, "[net]\nbatch=%d\nsubdivisions=%d\nwidth=%d\nheight=%d\nchannels=%d\n", s->batch, subdivisions,
            s->width, s->height, s->channels);
    fprintf(wr->out, "momentum=0.9\ndecay=0.0005\nangle=0\nsaturation=1.5\nexposure=1.5\nhue=.1\n");
    fprintf(wr->out, "learning_rate=%g\nburn_in=%d\nmax_batches=%d\npolicy=steps\nsteps=%d,%d\nscales=.1,.1\n",
            s->learning_rate, s->max_batches < 5000 ? s->max_batches / 10 : 1000, s->max_batches,
            (int)(s->max_batches * 0.8), (int)(s->max_batches * 0.9));
}

static void write_net_block(writer *wr, const relnas_genotype *g, const char *genotype_source)
{
    const relnas_net_spec *s = wr->spec;
    char repr[2048];
    relnas_genotype_format(repr, sizeof(repr), g);
    comment(wr, "Generated by `darknet relnas cfg` from %s", genotype_source);
    comment(wr, "genotype: %s", repr);
    comment(wr, "preset %s: C=%d, %d cells, %d classes%s, drop-path %g", s->preset, s->C, s->cells,
            s->classes, s->auxiliary ? ", auxiliary head" : "", s->drop_path);
    if (s->kind == RELNAS_NETWORK_YOLO) {
        write_detector_net_block(wr);
        return;
    }
    fprintf(wr->out, "[net]\nbatch=%d\nsubdivisions=1\nwidth=%d\nheight=%d\nchannels=%d\n", s->batch,
            s->width, s->height, s->channels);
    fprintf(wr->out, "momentum=0.9\ndecay=0.0003\nlearning_rate=%g\n", s->learning_rate);
    fprintf(wr->out, "# cosine annealing to 0 over max_batches, as the DARTS family trains (patch 0007)\n");
    fprintf(wr->out, "policy=cosine\nlearning_rate_min=0\nmax_batches=%d\n", s->max_batches);
}

static void write_stem(writer *wr, int *s0, int *s1)
{
    const relnas_net_spec *s = wr->spec;
    fprintf(wr->out, "\n");
    if (s->kind == RELNAS_NETWORK_CIFAR) {
        comment(wr, "stage: stem (3x3 conv to 3C, BN)");
        next_is(wr, RELNAS_KEY_SHARED, RELNAS_PLACE_STEM, 0, 0);
        *s0 = *s1 = emit(wr, "[convolutional]\nfilters=%d\nsize=3\nstride=1\npad=1\nbatch_normalize=1\nbn_momentum=0.1\nactivation=linear\n",
                         3 * s->C);
        return;
    }
    comment(wr, "stage: stem0 (3x3/2 conv to C/2, BN, ReLU, 3x3/2 conv to C, BN)");
    next_is(wr, RELNAS_KEY_SHARED, RELNAS_PLACE_STEM, 0, 0);
    emit(wr, "[convolutional]\nfilters=%d\nsize=3\nstride=2\npad=1\nbatch_normalize=1\nbn_momentum=0.1\nactivation=relu\n", s->C / 2);
    comment(wr, "activation=relu here stands for the ReLU that both readers of stem0 apply first");
    next_is(wr, RELNAS_KEY_SHARED, RELNAS_PLACE_STEM, 1, 0);
    *s0 = emit(wr, "[convolutional]\nfilters=%d\nsize=3\nstride=2\npad=1\nbatch_normalize=1\nbn_momentum=0.1\nactivation=relu\n", s->C);
    comment(wr, "stage: stem1 (ReLU, 3x3/2 conv to C, BN)");
    next_is(wr, RELNAS_KEY_SHARED, RELNAS_PLACE_STEM, 2, 0);
    *s1 = emit(wr, "[convolutional]\nfilters=%d\nsize=3\nstride=2\npad=1\nbatch_normalize=1\nbn_momentum=0.1\nactivation=linear\n", s->C);
}

/* The spec's anchors, or YOLOv3's (k-means on COCO, also used for VOC) scaled to its size. */
static void anchors_of(const relnas_net_spec *s, char *out, size_t len)
{
    relnas_anchor yolov3[9];
    if (s->anchors[0]) {
        snprintf(out, len, "%s", s->anchors);
        return;
    }
    relnas_yolov3_anchors(s->width, s->height, yolov3);
    relnas_anchors_format(yolov3, 9, out, len);
}

/* One detection scale: 1x1 to `mid` channels, 3x3 to 2 mid, 1x1 to the predictions, [yolo].
 * Returns the 1x1 layer (the next scale branches from it). */
static int write_yolo_scale(writer *wr, int from, int mid, const char *mask, const char *anchors)
{
    int classes = wr->spec->classes;
    if (wr->next - 1 != from) emit(wr, "[route]\nlayers=%d\n", from);
    int branch = emit(wr, "[convolutional]\nfilters=%d\nsize=1\nstride=1\npad=1\nbatch_normalize=1\nbn_momentum=0.1\n"
                          "activation=leaky\n", mid);
    emit(wr, "[convolutional]\nfilters=%d\nsize=3\nstride=1\npad=1\nbatch_normalize=1\nbn_momentum=0.1\nactivation=leaky\n",
         2 * mid);
    emit(wr, "[convolutional]\nfilters=%d\nsize=1\nstride=1\npad=1\nactivation=linear\n", 3 * (classes + 5));
    emit(wr, "[yolo]\nmask=%s\nanchors=%s\nclasses=%d\nnum=9\njitter=.3\nignore_thresh=.5\ntruth_thresh=1\nrandom=1\n",
         mask, anchors, classes);
    return branch;
}

/* Heads on the stride 32, 16 and 8 features (cell outputs of 4C, 8C and 16C channels for C
 * at stride 8), from the coarsest: each finer one takes the coarser branch, reduced and
 * upsampled, next to its own feature map, as YOLOv3 does. */
static void write_yolo_heads(writer *wr, const int *features, const int *C)
{
    char anchors[512];
    anchors_of(wr->spec, anchors, sizeof(anchors));
    const char *masks[3] = {"0,1,2", "3,4,5", "6,7,8"};
    int branch = -1;
    for (int scale = 2; scale >= 0; --scale) {
        fprintf(wr->out, "\n");
        comment(wr, "stage: YOLO head, stride %d", 8 << scale);
        int from = features[scale];
        if (branch >= 0) {
            emit(wr, "[route]\nlayers=%d\n", branch);
            emit(wr, "[convolutional]\nfilters=%d\nsize=1\nstride=1\npad=1\nbatch_normalize=1\nbn_momentum=0.1\n"
                     "activation=leaky\n", 2 * C[scale]);
            emit(wr, "[upsample]\nstride=2\n");
            from = emit(wr, "[route]\nlayers=%d,%d\n", wr->next - 1, features[scale]);
        }
        branch = write_yolo_scale(wr, from, 2 * C[scale], masks[scale], anchors);
    }
}

int relnas_write_cfg(FILE *out, const relnas_genotype *g, const relnas_net_spec *spec,
                     const char *genotype_source, char *err, size_t errlen)
{
    int n;
    return relnas_write_cfg_keyed(out, g, spec, genotype_source, NULL, 0, &n, err, errlen);
}

int relnas_write_cfg_keyed(FILE *out, const relnas_genotype *g, const relnas_net_spec *spec,
                           const char *genotype_source, relnas_layer_key *keys, int capacity,
                           int *nlayers, char *err, size_t errlen)
{
    int multiple = spec->kind != RELNAS_NETWORK_CIFAR ? 32 : 4;
    if (spec->width % multiple || spec->height % multiple) {
        /* Every FactorizedReduce needs an even input: after the stems and the two reductions. */
        snprintf(err, errlen, "a %dx%d input cannot pass the %s network's reductions: width and "
                 "height must be multiples of %d", spec->width, spec->height,
                 spec->kind != RELNAS_NETWORK_CIFAR ? "ImageNet" : "CIFAR", multiple);
        return -1;
    }
    int aux_min = spec->kind == RELNAS_NETWORK_IMAGENET ? 224 : 32;
    if (spec->auxiliary && (spec->width < aux_min || spec->height < aux_min)) {
        /* Its 5x5 pool and 2x2 conv need the maps of 32x32 (CIFAR) or 224x224 (ImageNet) inputs. */
        snprintf(err, errlen, "the auxiliary head needs a %dx%d or larger input, got %dx%d; use --no-auxiliary",
                 aux_min, aux_min, spec->width, spec->height);
        return -1;
    }
    writer wr = {out, 0, spec, {RELNAS_KEY_NONE, 0, 0, 0}, keys, capacity, 0};
    for (int i = 0; i < capacity; ++i) keys[i] = wr.key;
    write_net_block(&wr, g, genotype_source);
    int s0, s1;
    write_stem(&wr, &s0, &s1);
    int C = spec->C, reduction_prev = spec->kind != RELNAS_NETWORK_CIFAR, last = s1;
    int features[3] = {s1, s1, s1}, channels[3] = {spec->C, 2 * spec->C, 4 * spec->C}; /* strides 8, 16, 32 */
    for (int i = 0; i < spec->cells; ++i) {
        int reduction = i == spec->cells / 3 || i == 2 * spec->cells / 3;
        if (reduction) features[i == spec->cells / 3 ? 0 : 1] = last;
        if (reduction) C *= 2;
        last = write_cell(&wr, g, i, s0, s1, C, reduction, reduction_prev);
        reduction_prev = reduction;
        s0 = s1;
        s1 = last;
        if (i == 2 * spec->cells / 3 && spec->auxiliary) write_auxiliary_head(&wr, last);
    }
    if (spec->kind == RELNAS_NETWORK_YOLO) {
        features[2] = last;
        write_yolo_heads(&wr, features, channels);
        *nlayers = wr.next;
        return 0;
    }
    fprintf(out, "\n");
    comment(&wr, "stage: classifier (global average pool, fully connected)");
    if (wr.next - 1 != last) emit(&wr, "[route]\nlayers=%d\n", last);
    emit(&wr, "[avgpool]\n");
    next_is(&wr, RELNAS_KEY_SHARED, RELNAS_PLACE_CLASSIFIER, 0, 0);
    emit(&wr, "[connected]\noutput=%d\nactivation=linear\n", spec->classes);
    emit(&wr, "[softmax]\n");
    *nlayers = wr.next;
    return 0;
}
