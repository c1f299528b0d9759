/* Average precision as the PASCAL VOC devkit computes it, as pure functions: detections of
 * one class ranked by score; each matched to the unmatched ground-truth box of its image
 * with the largest overlap above the IoU threshold (boxes in pixels, inclusive, so widths
 * are xmax - xmin + 1); a match to a `difficult` object counts neither way, a second match
 * to the same object is a false positive; precision/recall over the ranking, then
 *   voc07: the mean of the best precision at recall >= 0, 0.1, ..., 1 (11 points)
 *   voc12: the area under the precision envelope (all points). */
#ifndef RELNAS_VOC_AP_H
#define RELNAS_VOC_AP_H

#include "voc_annotation.h" /* relnas_voc_box */

typedef enum relnas_voc_metric { RELNAS_VOC07, RELNAS_VOC12 } relnas_voc_metric;

typedef struct relnas_voc_object {
    int image, cls, difficult;
    relnas_voc_box box;
} relnas_voc_object;

typedef struct relnas_voc_detection {
    int image, cls;
    float score;
    relnas_voc_box box;
} relnas_voc_detection;

/* Intersection over union with the devkit's inclusive pixel convention. */
double relnas_voc_iou(relnas_voc_box a, relnas_voc_box b);

/* AP of class cls from all objects and detections (other classes are ignored). Ties in
 * score keep the detections' order. A class without non-difficult objects has AP 0. */
double relnas_voc_ap(const relnas_voc_object *objects, int nobjects, const relnas_voc_detection *dets, int ndets,
                     int cls, double iou_threshold, relnas_voc_metric metric);

/* The AP of a precision/recall curve (n points, recall non-decreasing). */
double relnas_voc_curve_ap(const double *recall, const double *precision, int n, relnas_voc_metric metric);

#endif
