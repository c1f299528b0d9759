/* darknet relnas export CFG WEIGHTS -o NET.onnx [--check]: the network as an ONNX file
 * (plugin/export/onnx_export.h), and optionally the file run by OpenCV's DNN module against
 * Darknet's own forward pass. */
#include <stdio.h>
#include <string.h>
#include "cli_args.h"
#include "darknet.h"
#include "onnx_check.h"
#include "onnx_export.h"
#include "relnas_commands.h"
#include "relnas_hooks.h"

static const char usage[] =
    "usage: darknet relnas export CFG WEIGHTS -o NET.onnx [--check] [--keep-bn] [--aux]\n"
    "  WEIGHTS     a Darknet .weights file, or - for the cfg's initial weights\n"
    "  -o FILE     the ONNX file to write (opset 13, dynamic batch; input \"image\" [N, C, H, W])\n"
    "  --keep-bn   BatchNormalization nodes (default: batch norm folded into the convolutions)\n"
    "  --aux       keep the auxiliary head, as a second output aux_probabilities (default: left out,\n"
    "              it only serves training)\n"
    "  --check     run the file with OpenCV's DNN module on random images and compare with Darknet's\n"
    "              forward pass; exit 1 when an output differs by more than 1e-4 of its largest value\n"
    "  --check-images N  images for --check (default 2)\n"
    "outputs: probabilities [N, classes] for a classifier; for a YOLO cfg each [yolo] layer's input,\n"
    "yolo_raw_strideS [N, anchors*(5+classes), H, W], with anchors, masks and decoding in the metadata\n";

static void print_outputs(const relnas_export_plan *p)
{
    for (int k = 0; k < p->noutputs; ++k) {
        const relnas_export_output *o = &p->output[k];
        printf("%s %s [N", k ? "," : " outputs:", o->name);
        for (int d = 1; d < o->ndims; ++d) printf(", %lld", (long long)o->dims[d]);
        printf("] (layer %d)", o->layer);
    }
    printf("\n");
}

static int check(network *net, const char *path, const relnas_export_plan *p, int images)
{
    relnas_check_report r;
    char err[8192];
    if (relnas_onnx_check(net, path, p, images, &r, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas export: %s\n", err);
        return 1;
    }
    printf("check: %s\n", r.checker);
    for (int k = 0; k < p->noutputs; ++k)
        printf("check: %s on %d random images, %s: largest difference %.3g (largest output %.3g, ratio %.2g; "
               "allowed %.0e)\n", r.runtime, images, p->output[k].name, r.result[k].max_diff, r.result[k].max_abs,
               r.result[k].max_abs > 0 ? r.result[k].max_diff / r.result[k].max_abs : r.result[k].max_diff,
               RELNAS_ONNX_CHECK_TOLERANCE);
    int passed = relnas_onnx_check_passed(&r, p);
    printf("check: %s\n", passed ? "PASS: OpenCV's outputs equal Darknet's" : "FAIL: the ONNX file computes "
           "something else than Darknet (please report it with the cfg)");
    return passed ? 0 : 1;
}

int relnas_cmd_export(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    relnas_export_options opt = {.keep_bn = relnas_arg_flag(&a, "--keep-bn"), .keep_aux = relnas_arg_flag(&a, "--aux")};
    int with_check = relnas_arg_flag(&a, "--check"), images = relnas_arg_int(&a, "--check-images", 2, 1, 64);
    const char *out = relnas_arg_string(&a, "-o", NULL);
    const char *cfg = relnas_arg_positional(&a, 0), *weights = relnas_arg_positional(&a, 1);
    if (relnas_args_finish(&a, 2) || !weights || !out) {
        if (!a.failed && cfg && weights && !out) fprintf(stderr, "darknet relnas export: -o NET.onnx is required\n");
        fputs(usage, stderr);
        return 2;
    }
    network *net = parse_network_cfg((char *)cfg);
    relnas_require_complete_weights = 1; /* a partial file would export random layers */
    if (strcmp(weights, "-") != 0) load_weights(net, (char *)weights);
    relnas_export_plan plan = relnas_export_outputs(net, &opt);
    relnas_export_summary sum;
    char err[8192];
    if (relnas_onnx_export(net, cfg, &opt, out, &sum, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas export: %s\n", err);
        free_network(net);
        return 1;
    }
    printf("wrote %s: %zu nodes from %d layers, opset 13, batch norm %s", out, sum.nodes, net->n - sum.layers_left_out,
           opt.keep_bn ? "kept" : "folded");
    if (sum.layers_left_out)
        printf("; %d layers no output reads left out%s", sum.layers_left_out,
               sum.aux_left_out ? " (among them the auxiliary head, which --aux keeps)" : "");
    printf("\n");
    print_outputs(&plan);
    int rc = with_check ? check(net, out, &plan, images) : 0;
    if (!with_check) printf("check it against Darknet: add --check (OpenCV's DNN module runs the file)\n");
    free_network(net);
    return rc;
}
