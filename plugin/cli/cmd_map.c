/* darknet relnas map DATA CFG WEIGHTS | DATA --dets DIR: VOC AP per class and mAP of a
 * detector on DATA's test list (valid=), or of detection files in the devkit's format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli_args.h"
#include "darknet.h"
#include "detector_map.h"
#include "relnas_commands.h"
#include "voc_map.h"
#include "relnas_hooks.h"

static const char usage[] =
    "usage: darknet relnas map DATA CFG WEIGHTS [--metric voc07|voc12] [--iou 0.5] [--thresh 0.005] [-gpus N]\n"
    "       darknet relnas map DATA --dets DIR [--metric voc07|voc12] [--iou 0.5]\n"
    "  DATA     Darknet .data file: valid= the test image list (.../JPEGImages/<id>.jpg, annotations in\n"
    "           .../Annotations/<id>.xml), names= the class names\n"
    "  --dets   score DIR/comp4_det_test_<class>.txt (lines `<id> <score> <xmin> <ymin> <xmax> <ymax>`)\n"
    "  --metric voc07: 11-point AP (default, VOC2007 test), voc12: all-point AP\n";

static int run_detector(const char *cfg, const char *weights, const relnas_voc_testset *t,
                        const relnas_map_settings *settings)
{
    char err[1024];
    double map;
    relnas_require_complete_weights = 1; /* scoring a partial file would score random layers */
    network *net = relnas_load_detector(cfg, weights, t->nclasses, err, sizeof(err));
    int rc = net ? relnas_detector_map(net, t, settings, stdout, stderr, &map, err, sizeof(err)) : -1;
    if (rc) fprintf(stderr, "darknet relnas map: %s\n", err);
    if (net) free_network(net);
    return rc;
}

int relnas_cmd_map(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) return fputs(usage, stdout), 0;
    const char *metric_name = relnas_arg_string(&a, "--metric", "voc07"), *dir = relnas_arg_string(&a, "--dets", NULL);
    double iou = relnas_arg_double(&a, "--iou", 0.5, 0, 1);
    float thresh = (float)relnas_arg_double(&a, "--thresh", 0.005, 0, 1);
    int bad = relnas_arg_gpu(&a);
    const char *data = relnas_arg_positional(&a, 0), *cfg = relnas_arg_positional(&a, 1);
    const char *weights = relnas_arg_positional(&a, 2);
    if (relnas_args_finish(&a, dir ? 1 : 3) || bad || !data || (!dir && !weights)) return fputs(usage, stderr), 2;
    if (strcmp(metric_name, "voc07") && strcmp(metric_name, "voc12")) {
        fprintf(stderr, "darknet relnas map: --metric %s: voc07 or voc12\n", metric_name);
        return 2;
    }
    relnas_voc_metric metric = strcmp(metric_name, "voc07") == 0 ? RELNAS_VOC07 : RELNAS_VOC12;
    char err[1024];
    relnas_voc_testset t;
    if (relnas_voc_testset_load(data, &t, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas map: %s\n", err);
        return 1;
    }
    relnas_voc_detection *dets = NULL;
    int n = 0, rc = 0;
    if (!dir) {
        relnas_map_settings settings = {.thresh = thresh, .iou = iou, .metric = metric};
        rc = run_detector(cfg, weights, &t, &settings) ? 1 : 0;
    } else if (relnas_voc_read_detections(&t, dir, &dets, &n, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas map: %s\n", err), rc = 1;
    } else {
        relnas_voc_print_map(stdout, &t, dets, n, iou, metric);
    }
    free(dets);
    relnas_voc_testset_free(&t);
    return rc;
}
