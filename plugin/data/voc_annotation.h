/* PASCAL VOC annotation files (Annotations/<id>.xml): image size and objects with class
 * name, difficult flag and box, read with expat. Malformed XML, a missing <size>, an object
 * without a name or a complete <bndbox>, or numbers that are not numbers are errors naming
 * the file and line. */
#ifndef RELNAS_VOC_ANNOTATION_H
#define RELNAS_VOC_ANNOTATION_H

#include <stddef.h>

/* A box in pixels, inclusive on both ends as VOC's devkit counts them (eval/voc_ap.h). */
typedef struct relnas_voc_box {
    float xmin, ymin, xmax, ymax;
} relnas_voc_box;

typedef struct relnas_voc_annotated_object {
    char name[64];
    int difficult;
    relnas_voc_box box; /* pixels, 1-based as VOC writes them */
} relnas_voc_annotated_object;

typedef struct relnas_voc_annotation {
    int width, height;
    int count;
    relnas_voc_annotated_object *objects;
} relnas_voc_annotation;

/* Returns 0, or -1 with a message. */
int relnas_read_voc_annotation(const char *path, relnas_voc_annotation *a, char *err, size_t errlen);
void relnas_voc_annotation_free(relnas_voc_annotation *a);

/* The annotation path of an image path: .../JPEGImages/<id>.<ext> -> .../Annotations/<id>.xml;
 * the image id (file name without extension) in id. Returns 0, or -1 if the path has no
 * JPEGImages directory. */
int relnas_voc_annotation_path(const char *image, char *path, size_t len, char *id, size_t idlen);

#endif
