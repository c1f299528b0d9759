/* [net]: batch, input size, optimiser and learning-rate policy, as parse_net_options reads
 * them (plus `learning_rate_min` of the cosine policy, plugin/patches/0007). */
#include <float.h>
#include <limits.h>
#include "cfg_sections.h"

static const char *const policies[] = {
    "random", "poly", "constant", "step", "exp", "sigmoid", "steps", "cosine", NULL,
};
enum { POLICY_STEPS = 6 }; /* index in policies */

static void check_batch(relnas_cfg_ctx *c)
{
    int batch = relnas_cfg_int(c, "batch", 1, 1, 1 << 20);
    int subdivisions = relnas_cfg_int(c, "subdivisions", 1, 1, 1 << 20);
    c->time_steps = relnas_cfg_int(c, "time_steps", 1, 1, 1 << 16);
    if (subdivisions > batch) {
        relnas_cfg_fail(c, "subdivisions", "expected at most batch = %d (each forward pass takes "
                        "batch / subdivisions images), found %d", batch, subdivisions);
        subdivisions = 1;
    }
    c->batch = batch / subdivisions;
    if ((long long)c->batch * c->time_steps > INT_MAX) {
        relnas_cfg_fail(c, "time_steps", "expected batch / subdivisions x time_steps to fit in an int, "
                        "found %d x %d", c->batch, c->time_steps);
        c->time_steps = 1;
    }
    c->batch *= c->time_steps;
}

static void check_input(relnas_cfg_ctx *c)
{
    int before = c->report->errors;
    int h = relnas_cfg_int(c, "height", 0, 0, RELNAS_CFG_MAX_SIDE);
    int w = relnas_cfg_int(c, "width", 0, 0, RELNAS_CFG_MAX_SIDE);
    int ch = relnas_cfg_int(c, "channels", 0, 0, RELNAS_CFG_MAX_COUNT);
    long long image = (long long)h * w * ch;
    int inputs = relnas_cfg_int(c, "inputs", image <= INT_MAX ? (int)image : 0, 0, INT_MAX);
    relnas_cfg_int(c, "max_crop", 2 * w, 0, 4 * RELNAS_CFG_MAX_SIDE);
    relnas_cfg_int(c, "min_crop", w, 0, 4 * RELNAS_CFG_MAX_SIDE);
    relnas_cfg_int(c, "center", 0, 0, 1);
    relnas_cfg_int(c, "random", 0, 0, 1);
    relnas_cfg_int(c, "notruth", 0, 0, 1);
    if (c->report->errors > before) return;
    if (!inputs && !image)
        return relnas_cfg_fail(c, NULL, "expected height, width and channels above 0 (or inputs), found "
                               "height=%d, width=%d, channels=%d", h, w, ch);
    if (image && inputs != image)
        return relnas_cfg_fail(c, "inputs", "expected height x width x channels = %lld (or no inputs=), found %d",
                               image, inputs);
    if (!relnas_cfg_fits_int(c, "channels", "input values per image", image) ||
        !relnas_cfg_fits_int(c, "inputs", "input values per batch", (long long)inputs * c->batch))
        return;
    if (image) relnas_cfg_set_out(c, h, w, ch);
    else relnas_cfg_set_flat(c, inputs);
}

static void check_augmentation(relnas_cfg_ctx *c)
{
    relnas_cfg_float(c, "max_ratio", 2, 0, 1000);
    relnas_cfg_float(c, "min_ratio", 1, 0, 1000);
    relnas_cfg_float(c, "clip", 0, 0, 1e30f);
    relnas_cfg_float(c, "angle", 0, -360, 360);
    relnas_cfg_float(c, "aspect", 1, 0, 1000);
    relnas_cfg_float(c, "saturation", 1, 0, 1000);
    relnas_cfg_float(c, "exposure", 1, 0, 1000);
    relnas_cfg_float(c, "hue", 0, 0, 1);
}

static void check_optimiser(relnas_cfg_ctx *c)
{
    relnas_cfg_float(c, "learning_rate", .001f, 0, FLT_MAX); /* tests make losses explode with 1e30 */
    relnas_cfg_float(c, "momentum", .9f, 0, 1);
    relnas_cfg_float(c, "decay", .0001f, 0, 1e6f);
    relnas_cfg_int(c, "adam", 0, 0, 1);
    relnas_cfg_float(c, "B1", .9f, 0, 1);
    relnas_cfg_float(c, "B2", .999f, 0, 1);
    relnas_cfg_float(c, "eps", 1e-7f, 0, 1);
    relnas_cfg_int(c, "max_batches", 0, 0, INT_MAX);
    relnas_cfg_int(c, "burn_in", 0, 0, INT_MAX);
    relnas_cfg_float(c, "power", 4, -1e6f, 1e6f);
}

enum { MAX_STEPS = 1024 };

static void check_steps(relnas_cfg_ctx *c)
{
    int steps[MAX_STEPS];
    float scales[MAX_STEPS];
    int n = relnas_cfg_int_list(c, "steps", steps, MAX_STEPS, -INT_MAX, INT_MAX); /* Darknet's own use -1 */
    int m = relnas_cfg_float_list(c, "scales", scales, MAX_STEPS, 0, 1e6f);
    if (n == 0) relnas_cfg_fail(c, "steps", "expected a list of iterations for policy=steps, found nothing");
    if (m == 0) relnas_cfg_fail(c, "scales", "expected a list of factors for policy=steps, found nothing");
    if (n > 0 && m > 0 && n != m)
        relnas_cfg_fail(c, "scales", "expected as many scales as steps (%d), found %d", n, m);
}

static void check_policy(relnas_cfg_ctx *c)
{
    int policy = relnas_cfg_word(c, "policy", policies, 2);
    /* Darknet reads these only for their policy; other policies ignore them. */
    relnas_cfg_int(c, "step", 1, 1, INT_MAX);
    relnas_cfg_float(c, "scale", 1, 0, 1e6f);
    relnas_cfg_float(c, "gamma", 1, -1e6f, 1e6f);
    relnas_cfg_float(c, "learning_rate_min", 0, 0, 1e6f);
    if (policy == POLICY_STEPS) check_steps(c);
    else {
        relnas_cfg_find(c, "steps");
        relnas_cfg_find(c, "scales");
    }
}

void relnas_cfg_check_net(relnas_cfg_ctx *c)
{
    c->batch = 1;
    c->time_steps = 1;
    check_batch(c);
    check_input(c);
    check_augmentation(c);
    check_optimiser(c);
    check_policy(c);
}
