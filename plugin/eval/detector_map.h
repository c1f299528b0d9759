/* VOC mAP of a Darknet detector (cfg + weights) on a test set: the one path `relnas map`
 * and `detector train -map` both take, so the numbers they print agree. */
#ifndef RELNAS_DETECTOR_MAP_H
#define RELNAS_DETECTOR_MAP_H

#include <stddef.h>
#include <stdio.h>
#include "darknet.h"
#include "voc_map.h"

typedef struct relnas_map_settings {
    float thresh;               /* detections kept above this score (0.005) */
    double iou;                 /* a true positive's overlap (0.5) */
    relnas_voc_metric metric;   /* VOC07 11-point or VOC12 all-point AP */
} relnas_map_settings;

/* Loads cfg with weights at batch 1 with the inference memory plan, for detection.
 * Returns NULL with a message when a file cannot be read, the last layer is not [yolo],
 * [region] or [detection], or its classes differ from `classes`. */
network *relnas_load_detector(const char *cfg, const char *weights, int classes, char *err, size_t errlen);

/* Runs net on every image of t, prints AP per class and the mAP line to out (progress,
 * if not NULL, gets a running count); *map is the mean. Returns 0, or -1 with a message
 * naming an image that cannot be read. */
int relnas_detector_map(network *net, const relnas_voc_testset *t, const relnas_map_settings *s, FILE *out,
                        FILE *progress, double *map, char *err, size_t errlen);

#endif
