/* VOC mAP of a detector on a test list (`darknet relnas map`): the test images of a Darknet
 * .data file (valid=, names=), their objects from the VOC XML beside them (so `difficult`
 * is known), detections either read from the devkit's comp4_det_test_<class>.txt files or
 * made by running a network, and AP per class with relnas_voc_ap. */
#ifndef RELNAS_VOC_MAP_H
#define RELNAS_VOC_MAP_H

#include <stddef.h>
#include <stdio.h>
#include "darknet.h"
#include "voc_ap.h"

typedef struct relnas_voc_testset {
    int nimages, nclasses, nobjects;
    char **paths, **ids;            /* per image */
    char **names;                   /* per class */
    relnas_voc_object *objects;
    int *by_id;                     /* image indices sorted by id, for lookups */
} relnas_voc_testset;

/* Reads datafile's names= and valid= and every image's annotation. Returns 0, or -1 with a
 * message naming the file (an unknown class name names the XML file and the name). */
int relnas_voc_testset_load(const char *datafile, relnas_voc_testset *t, char *err, size_t errlen);
void relnas_voc_testset_free(relnas_voc_testset *t);

/* The image index of id, or -1. */
int relnas_voc_image_of(const relnas_voc_testset *t, const char *id);

/* Reads DIR/comp4_det_test_<class>.txt for every class (`<id> <score> <xmin> <ymin> <xmax>
 * <ymax>` lines; a missing file means no detections). Returns 0, or -1 with a message
 * naming the file and line (and nothing allocated). */
int relnas_voc_read_detections(const relnas_voc_testset *t, const char *dir, relnas_voc_detection **dets, int *n,
                               char *err, size_t errlen);

/* Runs net on every test image (letterboxed, as `detector valid`), keeping boxes above
 * thresh after NMS, in pixels of the image. Returns 0, or -1 with a message naming an
 * image that cannot be read (checked first). */
int relnas_voc_detect(network *net, const relnas_voc_testset *t, float thresh, relnas_voc_detection **dets, int *n,
                      FILE *progress, char *err, size_t errlen);

/* Prints AP per class and their mean; returns the mean. */
double relnas_voc_print_map(FILE *out, const relnas_voc_testset *t, const relnas_voc_detection *dets, int n,
                            double iou, relnas_voc_metric metric);

#endif
