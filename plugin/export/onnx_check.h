/* `relnas export --check`: the written file run by another runtime, OpenCV's DNN module
 * (Debian's python3-opencv, through /usr/bin/python3), on random images, against Darknet's
 * own forward pass of the same network; ONNX's checker (python3-onnx) validates the file
 * when it is installed. */
#ifndef RELNAS_ONNX_CHECK_H
#define RELNAS_ONNX_CHECK_H

#include <stddef.h>
#include "darknet.h"
#include "onnx_export.h"

/* The largest output difference may be this part of the largest output (issue acceptance). */
#define RELNAS_ONNX_CHECK_TOLERANCE 1e-4

typedef struct relnas_check_result {
    double max_diff, max_abs; /* over every element of the output, all images */
} relnas_check_result;

typedef struct relnas_check_report {
    int images;
    char runtime[64];         /* "OpenCV 4.6.0" */
    char checker[128];        /* what ONNX's checker said, or why it did not run */
    relnas_check_result result[RELNAS_EXPORT_MAX_OUTPUTS];
} relnas_check_report;

/* Runs `images` random images (uniform in [0, 1), fixed seed) through net (batch set to
 * images) and through path with OpenCV. Returns 0 with the figures, or -1 with a message
 * (OpenCV missing: the command that installs it). */
int relnas_onnx_check(network *net, const char *path, const relnas_export_plan *plan, int images,
                      relnas_check_report *report, char *err, size_t errlen);

/* Whether every output is within tolerance of its largest value. */
int relnas_onnx_check_passed(const relnas_check_report *r, const relnas_export_plan *plan);

#endif
