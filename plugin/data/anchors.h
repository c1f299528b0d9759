/* YOLO anchors from a data set's labels: k-means on the boxes' widths and heights with
 * 1 - IoU as the distance (boxes compared as if centred on each other), several restarts
 * seeded k-means++-style, and the mean IoU of the labels with their best anchor. */
#ifndef RELNAS_ANCHORS_H
#define RELNAS_ANCHORS_H

#include <stddef.h>
#include <stdint.h>

typedef struct relnas_anchor {
    double w, h; /* pixels of the network input */
} relnas_anchor;

/* IoU of two boxes with the same centre. */
double relnas_anchor_iou(relnas_anchor a, relnas_anchor b);

/* Mean over boxes of the IoU with the best of the k anchors (0 for no boxes). */
double relnas_anchors_mean_iou(const relnas_anchor *boxes, int n, const relnas_anchor *anchors, int k);

/* k anchors for n >= 1 boxes: the best (by mean IoU) of `restarts` k-means runs, each
 * started from k-means++ seeds drawn from `seed`; the same inputs give the same anchors.
 * The anchors are rounded to whole pixels (at least 1), as they go into a cfg, and sorted
 * by area, smallest first. */
void relnas_anchors_kmeans(const relnas_anchor *boxes, int n, int k, int restarts, uint64_t seed,
                           relnas_anchor *anchors);

/* YOLOv3's 9 anchors (k-means on COCO at 416x416), scaled to width x height and rounded. */
void relnas_yolov3_anchors(int width, int height, relnas_anchor anchors[9]);

/* "w,h, w,h, ..." as a cfg's anchors= line takes them. */
void relnas_anchors_format(const relnas_anchor *anchors, int k, char *out, size_t len);

/* The first anchor of each of `scales` YOLO scales, smallest anchors at the finest scale:
 * scale s takes anchors first[s] .. first[s + 1] - 1 (first has scales + 1 entries). */
void relnas_anchor_masks(int k, int scales, int *first);

/* The label boxes of every image on datafile's train= list in pixels of a width x height
 * input (labels/<id>.txt beside JPEGImages/<id>.jpg, as Darknet reads them). Returns 0, or
 * -1 with a message naming the .data file, the list or the label file and line. */
int relnas_anchor_boxes_of_data(const char *datafile, int width, int height, relnas_anchor **boxes, int *n,
                                char *err, size_t errlen);

/* Anchors fitted to a data set: settings in, results out. */
typedef struct relnas_anchor_fit {
    int k, restarts, width, height;
    uint64_t seed;
    int boxes;                      /* label boxes found */
    double mean_iou;                /* of the labels with their best fitted anchor */
    double yolov3_mean_iou;         /* the same with YOLOv3's anchors scaled to the size */
} relnas_anchor_fit;

/* Reads datafile's training labels and fits f->k anchors (array of f->k). Returns 0, or -1
 * with a message (relnas_anchor_boxes_of_data's). */
int relnas_fit_anchors(const char *datafile, relnas_anchor_fit *f, relnas_anchor *anchors, char *err, size_t errlen);

#endif
