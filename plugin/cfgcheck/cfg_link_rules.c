/* Sections that read earlier layers: [route] concatenates them along channels, [shortcut]
 * adds one to its input. Each index must name an existing earlier layer (negative: counted
 * back from this one), and the shapes must agree: Darknet makes a 0 x 0 x 0 route of
 * mismatched sizes (an error here) and a shortcut adds only the channels both have,
 * without a word (a warning here: Darknet's own resnet cfgs do it on purpose). */
#include "cfg_sections.h"

/* The layer index `v` names (negative: relative), or -1 after reporting a bad one. */
static int earlier_layer(relnas_cfg_ctx *c, const char *key, int v)
{
    int index = v < 0 ? c->layer + v : v;
    if (index < 0 || index >= c->layer) {
        relnas_cfg_fail(c, key, "expected an earlier layer (0 to %d, or -1 to -%d), found %d%s", c->layer - 1,
                        c->layer, v, index >= c->layer ? " (this layer or a later one)" : " (before layer 0)");
        return -1;
    }
    return index;
}

enum { MAX_ROUTE = 256 };

static void check_route(relnas_cfg_ctx *c)
{
    int given[MAX_ROUTE];
    int n = relnas_cfg_int_list(c, "layers", given, MAX_ROUTE, -1000000, 1000000);
    if (n == 0) return relnas_cfg_fail(c, "layers", "expected a list of earlier layers, found nothing");
    if (n < 0) return;
    int index[MAX_ROUTE];
    for (int i = 0; i < n; ++i)
        if ((index[i] = earlier_layer(c, "layers", given[i])) < 0) return;
    for (int i = 0; i < n; ++i)
        if (!c->layers[index[i]].known) return;
    relnas_cfg_shape first = c->layers[index[0]];
    long long channels = 0, outputs = 0;
    for (int i = 0; i < n; ++i) {
        relnas_cfg_shape s = c->layers[index[i]];
        if (s.h != first.h || s.w != first.w)
            return relnas_cfg_fail(c, "layers", "expected layers of one height and width, found layer %d %d x %d "
                                   "and layer %d %d x %d", index[0], first.h, first.w, index[i], s.h, s.w);
        channels += s.c;
        outputs += s.outputs;
    }
    if (!relnas_cfg_fits_int(c, "layers", "channels", outputs)) return;
    if (first.h && first.w) relnas_cfg_set_out(c, first.h, first.w, (int)channels);
    else relnas_cfg_set_flat(c, outputs);
}

static void check_shortcut(relnas_cfg_ctx *c)
{
    relnas_cfg_word(c, "activation", relnas_cfg_activations, 9 /* linear */);
    relnas_cfg_float(c, "alpha", 1, -1e6f, 1e6f);
    relnas_cfg_float(c, "beta", 1, -1e6f, 1e6f);
    relnas_cfg_entry *e = relnas_cfg_find(c, "from");
    if (!e) return relnas_cfg_fail(c, "from", "expected the earlier layer to add, found nothing");
    int before = c->report->errors;
    int from = relnas_cfg_int(c, "from", 0, -1000000, 1000000);
    if (c->report->errors > before) return;
    int index = earlier_layer(c, "from", from);
    if (index < 0 || !c->in.known || !c->layers[index].known) return;
    relnas_cfg_shape a = c->in, b = c->layers[index];
    if (!relnas_cfg_image_input(c)) return;
    if (a.c != b.c) /* Darknet's own resnet cfgs rely on it: a warning */
        relnas_cfg_warning(c->report, relnas_cfg_at(c, "from"), "expected layer %d to have the %d channels of the "
                           "input, found %d (only the %d channels both have are added)", index, a.c, b.c,
                           a.c < b.c ? a.c : b.c);
    int bigger = b.w >= a.w;
    int ratio_w = bigger ? (a.w ? b.w / a.w : 0) : (b.w ? a.w / b.w : 0);
    int ratio_h = bigger ? (a.h ? b.h / a.h : 0) : (b.h ? a.h / b.h : 0);
    int whole = bigger ? (ratio_w * a.w == b.w && ratio_h * a.h == b.h) : (ratio_w * b.w == a.w && ratio_h * b.h == a.h);
    if (!whole || ratio_w != ratio_h || ratio_w == 0)
        return relnas_cfg_fail(c, "from", "expected layer %d to be %d x %d like the input (or a whole multiple "
                               "of it), found %d x %d", index, a.h, a.w, b.h, b.w);
    c->out = a;
}

const relnas_cfg_rule relnas_cfg_link_rules[] = {
    {.name = "[route]", .check = check_route},
    {.name = "[shortcut]", .check = check_shortcut},
    {0},
};
