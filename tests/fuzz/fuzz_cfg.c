/* Fuzz target: whole network cfg files, as `darknet ops`, `detector train` and every other
 * command read them. The cfg check runs first; a cfg it accepts must then be built by
 * Darknet's parse_network_cfg without an exit (an exit there means the check missed a
 * problem: abort), and a small one must run one batch-1 forward pass.
 *
 * Input: the cfg text. Seeds: the presets and Darknet's cfg/*.cfg (tests/fuzz/corpus/cfg). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cfg_check.h"
#include "darknet.h"
#include "fuzz_exit.h"
#include "quiet_stderr.h"

enum { MAX_LAYERS = 400 };
static const long long max_floats = 1LL << 22; /* per batch-1 forward, and weights */

static char path[64];

static int small_enough(const relnas_cfg_check_result *r, const relnas_cfg_shape *shapes)
{
    if (r->layers > MAX_LAYERS) return 0;
    long long outputs = 0, weights = 0;
    for (int i = 0; i < r->layers; ++i) {
        outputs += shapes[i].outputs;
        weights += shapes[i].weights;
    }
    return outputs * r->batch <= max_floats && weights <= max_floats;
}

static network *built;

static void build(void *arg)
{
    built = parse_network_cfg(path);
}

static void forward_once(network *net)
{
    set_batch_network(net, 1);
    float *x = calloc((size_t)net->inputs, sizeof(float));
    for (int i = 0; i < net->inputs; ++i) x[i] = (float)((i * 37 % 17) - 8) / 8;
    network_predict(net, x);
    free(x);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!path[0]) snprintf(path, sizeof(path), "/tmp/fuzz_cfg.%d.cfg", (int)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp) abort();
    fwrite(data, 1, size, fp);
    fclose(fp);
    static relnas_cfg_shape shapes[MAX_LAYERS];
    relnas_cfg_check_options options = {.layer_shapes = shapes, .max_layer_shapes = MAX_LAYERS};
    relnas_cfg_check_result r;
    if (relnas_cfg_check_file(path, &options, &r) || !small_enough(&r, shapes)) return 0;
    int quiet = relnas_stderr_silence(); /* Darknet lists every layer */
    int exited = fuzz_run_catching_exit(build, NULL);
    relnas_stderr_restore(quiet);
    if (exited) {
        fprintf(stderr, "the cfg check accepted a cfg that Darknet's parser refused\n");
        abort();
    }
    forward_once(built);
    free_network(built);
    built = NULL;
    return 0;
}
