/* Catching truncated image files before they are decoded: stb_image, which Darknet uses,
 * decodes a JPEG cut short or a PPM without all its pixels and fills the rest with
 * garbage, without an error. A JPEG must end with its end-of-image marker, a PNG with its
 * IEND chunk, a binary PPM/PGM must hold width x height x channels samples. Other formats
 * are left to the decoder. */
#ifndef RELNAS_IMAGE_FILE_CHECK_H
#define RELNAS_IMAGE_FILE_CHECK_H

#include <stddef.h>

/* Returns 0, or -1 with a message naming the file and what is missing. */
int relnas_check_image_file(const char *path, char *err, size_t errlen);

#endif
