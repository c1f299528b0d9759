/* Darknet's data loading (detector and classifier training) reads label files and images
 * through these: a damaged file stops the training with its name instead of feeding it. */
#include <stdlib.h>
#include "image_file_check.h"
#include "label_file.h"
#include "relnas_error.h"
#include "relnas_hooks.h"

box_label *relnas_read_boxes(const char *path, int classes, int *count)
{
    relnas_label *labels;
    char err[1024];
    if (relnas_read_labels(path, classes, &labels, count, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        relnas_exit_failure_now();
    }
    /* Darknet grows the array it is given (randomize, crop): at least one element. */
    box_label *boxes = calloc(*count ? (size_t)*count : 1, sizeof(box_label));
    for (int i = 0; i < *count; ++i) {
        relnas_label l = labels[i];
        boxes[i] = (box_label){.id = l.cls, .x = l.x, .y = l.y, .w = l.w, .h = l.h,
                               .left = l.x - l.w / 2, .right = l.x + l.w / 2,
                               .top = l.y - l.h / 2, .bottom = l.y + l.h / 2};
    }
    free(labels);
    return boxes;
}

void relnas_check_image_or_exit(const char *path)
{
    char err[1024];
    if (relnas_check_image_file(path, err, sizeof(err)) == 0) return;
    fprintf(stderr, "Cannot load image \"%s\": %s\n", path, err);
    relnas_exit_failure_now();
}
