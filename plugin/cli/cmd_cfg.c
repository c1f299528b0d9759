/* darknet relnas cfg GENOTYPE [options] -o OUT.cfg: a Darknet network from a genotype. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "anchors.h"
#include "cfg_writer.h"
#include "cli_args.h"
#include "output_file.h"
#include "genotype_parse.h"
#include "relnas_commands.h"

static const char usage[] =
    "usage: darknet relnas cfg GENOTYPE [options] [-o OUT.cfg]\n"
    "  GENOTYPE          bundled name, file, repr or architecture vector (see `relnas genotype`)\n"
    "  --preset P        cifar (C=36, 20 cells, auxiliary head, drop-path 0.2; default),\n"
    "                    imagenet (C=46, 14 cells, 224x224), search (C=16, 8 cells),\n"
    "                    yolo (the imagenet backbone with YOLOv3 heads at strides 8/16/32; 20 classes, 416)\n"
    "  --channels C      initial channels C         --cells N     number of cells\n"
    "  --classes K       classifier outputs         --drop-path P maximum drop-path probability\n"
    "  --auxiliary / --no-auxiliary                 auxiliary head after cell 2N/3\n"
    "  --width W --height H --input-channels N      input size   --batch B   batch size\n"
    "  --size S          width and height S          --anchors \"w,h, ...\"  9 YOLO anchors in pixels\n"
    "  --anchors-from DATA  yolo: 9 anchors fitted to DATA's training labels (as `relnas anchors DATA`)\n"
    "  --learning-rate R --max-batches N            the [net] training schedule\n"
    "  -o OUT.cfg        where to write (default: standard output)\n";

/* spec->anchors: 9 anchors fitted to datafile's training labels at the spec's size. */
static int anchors_from_data(const char *datafile, relnas_net_spec *spec)
{
    relnas_anchor_fit f = {.k = 9, .restarts = 10, .seed = 1, .width = spec->width, .height = spec->height};
    relnas_anchor anchors[9];
    char err[1024];
    if (relnas_fit_anchors(datafile, &f, anchors, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas cfg: --anchors-from: %s\n", err);
        return -1;
    }
    relnas_anchors_format(anchors, 9, spec->anchors, sizeof(spec->anchors));
    fprintf(stderr, "anchors from %s (%d boxes, %dx%d): %s; mean IoU %.4f (YOLOv3's scaled: %.4f)\n", datafile,
            f.boxes, f.width, f.height, spec->anchors, f.mean_iou, f.yolov3_mean_iou);
    return 0;
}

/* Returns 0, -1 for a bad option (the usage follows), or -3 when the --anchors-from data
 * cannot be used (a message, no usage). */
static int read_spec(relnas_args *a, relnas_net_spec *spec)
{
    const char *preset = relnas_arg_string(a, "--preset", "cifar");
    if (relnas_net_preset(preset, spec)) {
        fprintf(stderr, "darknet relnas cfg: unknown preset '%s' (cifar, imagenet, search, yolo)\n", preset);
        return -1;
    }
    spec->C = relnas_arg_int(a, "--channels", spec->C, 2, 4096);
    spec->cells = relnas_arg_int(a, "--cells", spec->cells, 1, 1000);
    spec->classes = relnas_arg_int(a, "--classes", spec->classes, 1, 1000000);
    spec->drop_path = (float)relnas_arg_double(a, "--drop-path", spec->drop_path, 0, 0.99);
    spec->width = spec->height = relnas_arg_int(a, "--size", spec->width, 4, 65536);
    spec->width = relnas_arg_int(a, "--width", spec->width, 4, 65536);
    spec->height = relnas_arg_int(a, "--height", spec->height, 4, 65536);
    const char *anchors = relnas_arg_string(a, "--anchors", "");
    int commas = 0;
    for (const char *c = anchors; *c; ++c) commas += *c == ',';
    if (anchors[0] && (commas != 17 || strlen(anchors) >= sizeof(spec->anchors))) {
        fprintf(stderr, "darknet relnas cfg: --anchors takes 9 pairs w,h (18 numbers), got '%s'\n", anchors);
        return -1;
    }
    snprintf(spec->anchors, sizeof(spec->anchors), "%s", anchors);
    const char *anchors_from = relnas_arg_string(a, "--anchors-from", NULL);
    if (anchors_from && (anchors[0] || spec->kind != RELNAS_NETWORK_YOLO)) {
        fprintf(stderr, "darknet relnas cfg: --anchors-from goes with --preset yolo and without --anchors\n");
        return -1;
    }
    if (anchors_from && anchors_from_data(anchors_from, spec)) return -3; /* the data, not the command line */
    spec->channels = relnas_arg_int(a, "--input-channels", spec->channels, 1, 4096);
    spec->batch = relnas_arg_int(a, "--batch", spec->batch, 1, 65536);
    spec->max_batches = relnas_arg_int(a, "--max-batches", spec->max_batches, 1, 2000000000);
    spec->learning_rate = (float)relnas_arg_double(a, "--learning-rate", spec->learning_rate, 0, 100);
    if (relnas_arg_flag(a, "--auxiliary")) spec->auxiliary = 1;
    if (relnas_arg_flag(a, "--no-auxiliary")) spec->auxiliary = 0;
    if (spec->C % 2) {
        fprintf(stderr, "darknet relnas cfg: --channels must be even (FactorizedReduce splits C in two), got %d\n", spec->C);
        return -1;
    }
    return 0;
}

/* Writes through a temporary file (output_file.h): a failed run never leaves half a cfg
 * behind, nor replaces a device or a symlink. */
static int write_file(const char *path, const relnas_genotype *g, const relnas_net_spec *spec,
                      const char *source)
{
    char err[512];
    relnas_output out;
    if (relnas_output_begin(&out, path, err, sizeof(err))) return fprintf(stderr, "darknet relnas cfg: %s\n", err), -1;
    FILE *fp = fopen(out.temp, "w");
    if (!fp) return fprintf(stderr, "darknet relnas cfg: %s: cannot write: %s\n", out.temp, strerror(errno)), -1;
    int rc = relnas_write_cfg(fp, g, spec, source, err, sizeof(err));
    if (fclose(fp) && rc == 0) rc = -1, snprintf(err, sizeof(err), "%.400s: cannot write: %s", path, strerror(errno));
    if (rc == 0) rc = relnas_output_commit(&out, err, sizeof(err));
    else relnas_output_abort(&out);
    if (rc) fprintf(stderr, "darknet relnas cfg: %s\n", err);
    return rc;
}

int relnas_cmd_cfg(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    relnas_net_spec spec;
    const char *out = relnas_arg_string(&a, "-o", NULL);
    int bad_spec = read_spec(&a, &spec);
    const char *input = relnas_arg_positional(&a, 0);
    if (bad_spec == -3) return 1;
    if (relnas_args_finish(&a, 1) || bad_spec || !input) {
        fputs(usage, stderr);
        return 2;
    }
    relnas_genotype g;
    char source[512], err[512];
    if (relnas_genotype_load(input, &g, source, sizeof(source), err, sizeof(err))) {
        fprintf(stderr, "darknet relnas cfg: %s\n", err);
        return 1;
    }
    if (!out) {
        if (relnas_write_cfg(stdout, &g, &spec, source, err, sizeof(err)) == 0) return 0;
        fprintf(stderr, "darknet relnas cfg: %s\n", err);
        return 1;
    }
    if (write_file(out, &g, &spec, source)) return 1;
    fprintf(stderr, "wrote %s (preset %s, C=%d, %d cells, %d classes); `darknet relnas info %s` "
            "shows its size\n", out, spec.preset, spec.C, spec.cells, spec.classes, out);
    return 0;
}
