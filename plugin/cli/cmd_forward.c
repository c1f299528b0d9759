/* darknet relnas forward CFG WEIGHTS IN.f32 OUT.f32 [--layer N]: inference on a raw float32
 * NCHW tensor (any number of images, run in chunks of the cfg's batch), writing one layer's
 * raw output; the tool to check a converted model against PyTorch. Runs with an inference
 * plan (no deltas, shared activation buffers). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli_args.h"
#include "darknet.h"
#include "layer_output.h"
#include "memory_plan.h"
#include "output_file.h"
#include "relnas_commands.h"
#include "relnas_hooks.h"

static const char usage[] =
    "usage: darknet relnas forward CFG WEIGHTS IN.f32 OUT.f32 [--layer N]\n"
    "  IN.f32   raw float32, NCHW, a whole number of the cfg's input images\n"
    "  WEIGHTS  a Darknet .weights file, or - for the cfg's initial weights\n"
    "  --layer  whose output to write (default -1, the last; negative counts from the end)\n"
    "  --no-plan  keep Darknet's buffers (an output and a delta per layer): for comparisons\n";

static float *read_input(const char *path, long per_image, int *batch)
{
    struct stat st;
    int missing = stat(path, &st) != 0;
    if (missing || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "darknet relnas forward: %s: expected a raw float32 input file, found: %s\n", path,
                missing ? strerror(errno) : S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        return NULL;
    }
    if (st.st_size <= 0 || st.st_size % (per_image * (long)sizeof(float))) {
        fprintf(stderr, "darknet relnas forward: %s: %lld bytes is not a whole number of %ld-float (%ld-byte) "
                "input images\n", path, (long long)st.st_size, per_image, per_image * (long)sizeof(float));
        return NULL;
    }
    long n = st.st_size / (long)sizeof(float);
    float *x = malloc(sizeof(float) * n);
    FILE *fp = fopen(path, "rb");
    if (!x || !fp || fread(x, sizeof(float), n, fp) != (size_t)n) {
        fprintf(stderr, "darknet relnas forward: cannot read %s\n", path);
        if (fp) fclose(fp);
        free(x);
        return NULL;
    }
    fclose(fp);
    *batch = (int)(n / per_image);
    return x;
}

/* Runs x (batch images) through net in chunks of the network's batch, writing layer
 * `index`'s output for each image to fp. */
static int forward_in_chunks(network *net, const float *x, int batch, int index, FILE *fp)
{
    layer *l = &net->layers[index];
    long per_image = (long)net->w * net->h * net->c;
    float *chunk = calloc((size_t)per_image * net->batch, sizeof(float));
    if (!chunk) return -1;
    for (int first = 0; first < batch; first += net->batch) {
        int n = batch - first < net->batch ? batch - first : net->batch; /* the last chunk is padded */
        memcpy(chunk, x + first * per_image, sizeof(float) * (size_t)(n * per_image));
        network_predict(net, chunk);
        relnas_pull_output(net, *l);
        if (fwrite(l->output, sizeof(float), (size_t)n * l->outputs, fp) != (size_t)n * l->outputs) {
            free(chunk);
            return -1;
        }
    }
    free(chunk);
    return 0;
}

/* Forwards x and writes the layer's output to path through a temporary file, so that a
 * failed write (a full disk: often seen only when the file is closed) is an error and
 * leaves no half file. Returns 0, or 1 with a message naming path. */
static int write_output(network *net, const float *x, int batch, int index, const char *path)
{
    relnas_output o;
    char err[4400];
    if (relnas_output_begin(&o, path, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas forward: %s\n", err);
        return 1;
    }
    FILE *fp = fopen(o.temp, "wb");
    int failed = !fp || forward_in_chunks(net, x, batch, index, fp);
    if (fp && fclose(fp)) failed = 1;
    if (failed) {
        fprintf(stderr, "darknet relnas forward: %s: %s\n", path, strerror(errno));
        relnas_output_abort(&o);
        return 1;
    }
    if (relnas_output_commit(&o, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas forward: %s\n", err);
        return 1;
    }
    return 0;
}

int relnas_cmd_forward(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    int which = relnas_arg_int(&a, "--layer", -1, -1000000, 1000000), no_plan = relnas_arg_flag(&a, "--no-plan");
    const char *cfg = relnas_arg_positional(&a, 0), *weights = relnas_arg_positional(&a, 1);
    const char *in = relnas_arg_positional(&a, 2), *out = relnas_arg_positional(&a, 3);
    if (relnas_args_finish(&a, 4) || !out) {
        fputs(usage, stderr);
        return 2;
    }
    network *net = parse_network_cfg((char *)cfg);
    relnas_require_complete_weights = 1; /* scoring a partial file would score random layers */
    if (strcmp(weights, "-") != 0) load_weights(net, (char *)weights);
    int batch, index = which < 0 ? net->n + which : which;
    if (index < 0 || index >= net->n) {
        fprintf(stderr, "darknet relnas forward: --layer %d: the network has %d layers\n", which, net->n);
        free_network(net);
        return 2;
    }
    float *x = read_input(in, (long)net->w * net->h * net->c, &batch);
    if (!x) return free_network(net), 1;
    if (!no_plan) relnas_plan_inference(net, index);
    int rc = write_output(net, x, batch, index, out);
    if (!rc) fprintf(stderr, "%s: layer %d output, %d x %d floats\n", out, index, batch, net->layers[index].outputs);
    free(x);
    free_network(net);
    return rc ? 1 : 0;
}
