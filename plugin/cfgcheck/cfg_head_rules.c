/* Output sections: [yolo], [region], [detection] and [iseg] must get exactly the values
 * their boxes and classes need from the layer before (for [yolo]:
 * (classes + 5) x len(mask) filters in the [convolutional] before it); [softmax] groups
 * must divide its input; [cost] types are Darknet's. [softmax], [cost] and [detection]
 * hand on a flat vector, as Darknet's layers do. */
#include <string.h>
#include "cfg_sections.h"

enum { MAX_ANCHORS = 8192 };

/* anchors= holds 2 numbers (w, h) per box; Darknet stores them in 2 x num floats. */
static void check_anchors(relnas_cfg_ctx *c, int num)
{
    static float anchors[MAX_ANCHORS];
    int n = relnas_cfg_float_list(c, "anchors", anchors, MAX_ANCHORS, 0, 1e6f);
    if (n > 0 && n != 2 * num)
        relnas_cfg_fail(c, "anchors", "expected 2 x num = %d numbers (w,h per box), found %d", 2 * num, n);
}

/* The input must hold `want` values per cell; the message names the [convolutional]
 * before this section when there is one, since that is where the fix goes. */
static void need_channels(relnas_cfg_ctx *c, long long want, const char *why)
{
    if (!relnas_cfg_image_input(c)) return;
    if (c->in.c == want) {
        c->out = c->in;
        return;
    }
    relnas_cfg_section *prev = c->layer > 0 ? c->layer_sections[c->layer - 1] : NULL;
    int conv = prev && (strcmp(prev->type, "[convolutional]") == 0 || strcmp(prev->type, "[conv]") == 0);
    if (!conv) {
        relnas_cfg_fail(c, NULL, "expected an input of %lld channels (%s), found %d", want, why, c->in.c);
        return;
    }
    relnas_cfg_where at = {.line = prev->line, .section = prev->type, .layer = c->layer - 1, .key = "filters"};
    for (int i = 0; i < prev->n; ++i)
        if (strcmp(prev->entries[i].key, "filters") == 0) {
            at.line = prev->entries[i].line;
            break;
        }
    relnas_cfg_error(c->report, at, "expected %lld = %s for the %s at line %d, found %d", want, why,
                     c->section->type, c->section->line, c->in.c);
}

static void check_yolo(relnas_cfg_ctx *c)
{
    int classes = relnas_cfg_int(c, "classes", 20, 1, RELNAS_CFG_MAX_COUNT);
    int num = relnas_cfg_int(c, "num", 1, 1, 4096);
    int mask[4096];
    int n = relnas_cfg_int_list(c, "mask", mask, 4096, 0, num - 1);
    if (n < 0) return;
    if (n == 0) n = num;
    relnas_cfg_int(c, "max", 90, 1, RELNAS_CFG_MAX_COUNT);
    relnas_cfg_float(c, "jitter", .2f, 0, 1);
    relnas_cfg_float(c, "ignore_thresh", .5f, 0, 1);
    relnas_cfg_float(c, "truth_thresh", 1, 0, 1);
    relnas_cfg_int(c, "random", 0, 0, 1);
    relnas_cfg_readable_file(c, "map");
    check_anchors(c, num);
    char why[96];
    snprintf(why, sizeof(why), "(classes %d + 5) x %d masks", classes, n);
    need_channels(c, (long long)(classes + 5) * n, why);
}

static void check_region(relnas_cfg_ctx *c)
{
    int coords = relnas_cfg_int(c, "coords", 4, 0, 4096);
    int classes = relnas_cfg_int(c, "classes", 20, 0, RELNAS_CFG_MAX_COUNT);
    int num = relnas_cfg_int(c, "num", 1, 1, 4096);
    static const char *const flags[] = {"log", "sqrt", "softmax", "background", "rescore", "classfix",
                                        "absolute", "random", "bias_match", NULL};
    for (int i = 0; flags[i]; ++i) relnas_cfg_int(c, flags[i], 0, 0, 2);
    relnas_cfg_int(c, "max", 30, 1, RELNAS_CFG_MAX_COUNT);
    relnas_cfg_float(c, "jitter", .2f, 0, 1);
    relnas_cfg_float(c, "thresh", .5f, 0, 1);
    static const char *const scales[] = {"coord_scale", "object_scale", "noobject_scale", "mask_scale",
                                         "class_scale", NULL};
    for (int i = 0; scales[i]; ++i) relnas_cfg_float(c, scales[i], 1, 0, 1e6f);
    relnas_cfg_readable_file(c, "tree");
    relnas_cfg_readable_file(c, "map");
    check_anchors(c, num);
    char why[96];
    snprintf(why, sizeof(why), "num %d x (classes %d + coords %d + 1)", num, classes, coords);
    need_channels(c, (long long)num * (classes + coords + 1), why);
}

static void check_detection(relnas_cfg_ctx *c)
{
    int coords = relnas_cfg_int(c, "coords", 1, 0, 4096);
    int classes = relnas_cfg_int(c, "classes", 1, 0, RELNAS_CFG_MAX_COUNT);
    int num = relnas_cfg_int(c, "num", 1, 1, 4096);
    int side = relnas_cfg_int(c, "side", 7, 1, 4096);
    static const char *const flags[] = {"rescore", "softmax", "sqrt", "forced", "random", "reorg", NULL};
    for (int i = 0; flags[i]; ++i) relnas_cfg_int(c, flags[i], 0, 0, 2);
    relnas_cfg_int(c, "max", 90, 1, RELNAS_CFG_MAX_COUNT);
    static const char *const scales[] = {"coord_scale", "object_scale", "noobject_scale", "class_scale",
                                         "jitter", NULL};
    for (int i = 0; scales[i]; ++i) relnas_cfg_float(c, scales[i], 1, 0, 1e6f);
    if (!c->in.known) return;
    long long want = (long long)side * side * ((1 + coords) * (long long)num + classes);
    if (c->in.outputs != want)
        return relnas_cfg_fail(c, NULL, "expected an input of side x side x ((1 + coords) x num + classes) = "
                               "%lld values, found %lld", want, c->in.outputs);
    relnas_cfg_set_flat(c, c->in.outputs);
}

static void check_iseg(relnas_cfg_ctx *c)
{
    int classes = relnas_cfg_int(c, "classes", 20, 1, RELNAS_CFG_MAX_COUNT);
    int ids = relnas_cfg_int(c, "ids", 32, 0, RELNAS_CFG_MAX_COUNT);
    char why[96];
    snprintf(why, sizeof(why), "classes %d + ids %d", classes, ids);
    need_channels(c, (long long)classes + ids, why);
}

static void check_softmax(relnas_cfg_ctx *c)
{
    int groups = relnas_cfg_int(c, "groups", 1, 1, RELNAS_CFG_MAX_COUNT);
    relnas_cfg_float(c, "temperature", 1, 1e-6f, 1e6f);
    relnas_cfg_float(c, "spatial", 0, 0, 1);
    relnas_cfg_int(c, "noloss", 0, 0, 1);
    relnas_cfg_readable_file(c, "tree");
    if (!c->in.known) return;
    if (c->in.outputs % groups)
        return relnas_cfg_fail(c, "groups", "expected a divisor of the %lld inputs, found %d", c->in.outputs, groups);
    relnas_cfg_set_flat(c, c->in.outputs);
}

static void check_cost(relnas_cfg_ctx *c)
{
    static const char *const types[] = {"seg", "sse", "masked", "smooth", "L1", "wgan", NULL};
    relnas_cfg_word(c, "type", types, 1);
    relnas_cfg_float(c, "scale", 1, 0, 1e6f);
    relnas_cfg_float(c, "ratio", 0, 0, 1);
    relnas_cfg_float(c, "noobj", 1, 0, 1e6f);
    relnas_cfg_float(c, "thresh", 0, -1e6f, 1e6f);
    if (c->in.known) relnas_cfg_set_flat(c, c->in.outputs);
}

const relnas_cfg_rule relnas_cfg_head_rules[] = {
    {.name = "[yolo]", .check = check_yolo},
    {.name = "[region]", .check = check_region},
    {.name = "[detection]", .check = check_detection},
    {.name = "[iseg]", .check = check_iseg},
    {.name = "[softmax]", .alias = "[soft]", .check = check_softmax},
    {.name = "[cost]", .check = check_cost},
    {0},
};
