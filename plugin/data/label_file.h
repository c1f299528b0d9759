/* Darknet detection label files (labels/<id>.txt beside JPEGImages/<id>.jpg): one object
 * per line, `<class> <x> <y> <w> <h>`, the box's centre and size as fractions of the image.
 * Darknet's reader stopped at the first line it could not parse and took any class and any
 * numbers; this one names the file and line of a malformed line, a class outside the data's
 * classes, or coordinates that are not fractions of the image (pixels, say). */
#ifndef RELNAS_LABEL_FILE_H
#define RELNAS_LABEL_FILE_H

#include <stddef.h>

typedef struct relnas_label {
    int cls;
    float x, y, w, h;
} relnas_label;

/* How far outside [0, 1] a coordinate may lie before it is an error: rounding in labelling
 * tools leaves boxes a hair past the border (Darknet clips them). */
#define RELNAS_LABEL_SLACK 0.01f

/* Reads path's labels (allocated; free()) for a data set of `classes` classes. Returns 0,
 * or -1 with a message naming the file, the line and what was expected. */
int relnas_read_labels(const char *path, int classes, relnas_label **labels, int *count, char *err, size_t errlen);

/* The label file Darknet's detector reads for image path (images/ or JPEGImages/ ->
 * labels/, .jpg .png .JPG .JPEG -> .txt), as its fill_truth_detection makes it. */
void relnas_label_path(const char *image, char *out, size_t len);

#endif
