#include <stdlib.h>
#include <unistd.h>
#include "detector_map.h"
#include "memory_plan.h"
#include "relnas_error.h"

network *relnas_load_detector(const char *cfg, const char *weights, int classes, char *err, size_t errlen)
{
    if (access(cfg, R_OK) || access(weights, R_OK)) {
        relnas_errorf(err, errlen, "cannot open %s", access(cfg, R_OK) ? cfg : weights);
        return NULL;
    }
    network *net = load_network((char *)cfg, (char *)weights, 0);
    set_batch_network(net, 1);
    layer out = net->layers[net->n - 1];
    if (out.type != YOLO && out.type != REGION && out.type != DETECTION)
        relnas_errorf(err, errlen, "%s is not a detector (its last layer is not [yolo] or [region])", cfg);
    else if (out.classes != classes)
        relnas_errorf(err, errlen, "%s detects %d classes, the names file has %d", cfg, out.classes, classes);
    else {
        relnas_plan_inference(net, -1);
        return net;
    }
    free_network(net);
    return NULL;
}

int relnas_detector_map(network *net, const relnas_voc_testset *t, const relnas_map_settings *s, FILE *out,
                        FILE *progress, double *map, char *err, size_t errlen)
{
    relnas_voc_detection *dets = NULL;
    int n = 0;
    if (relnas_voc_detect(net, t, s->thresh, &dets, &n, progress, err, errlen)) return -1;
    *map = relnas_voc_print_map(out, t, dets, n, s->iou, s->metric);
    free(dets);
    return 0;
}
