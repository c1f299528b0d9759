#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "darknet.h"
#include "label_file.h"
#include "relnas_check.h"
#include "relnas_error.h"

static const char *const field_names[] = {"class", "x", "y", "w", "h"};

static int parse_class(const char *token, int classes, int *cls)
{
    char *end;
    errno = 0;
    long v = strtol(token, &end, 10);
    if (*end || errno || v < 0 || v >= classes) return -1;
    *cls = (int)v;
    return 0;
}

/* A centre (field 1, 2) lies in [0, 1], a size (3, 4) in (0, 1], both give or take the slack. */
static int parse_coordinate(const char *token, int field, float *v)
{
    char *end;
    *v = strtof(token, &end);
    if (*end || !isfinite(*v)) return -1;
    float lo = field <= 2 ? -RELNAS_LABEL_SLACK : 0;
    return *v < lo || *v > 1 + RELNAS_LABEL_SLACK || (field > 2 && *v == 0) ? -1 : 0;
}

static int parse_line(char *line, int classes, relnas_label *l, char *why, size_t whylen)
{
    char *save = NULL, *tokens[6];
    int n = 0;
    for (char *t = strtok_r(line, " \t\r\n", &save); t && n < 6; t = strtok_r(NULL, " \t\r\n", &save))
        tokens[n++] = t;
    if (n != 5) {
        snprintf(why, whylen, "%s 5 fields `<class> <x> <y> <w> <h>`", n < 5 ? "fewer than" : "more than");
        return -1;
    }
    if (parse_class(tokens[0], classes, &l->cls)) {
        snprintf(why, whylen, "class '%.32s' is not a class number from 0 to %d", tokens[0], classes - 1);
        return -1;
    }
    float *v[4] = {&l->x, &l->y, &l->w, &l->h};
    for (int f = 1; f <= 4; ++f)
        if (parse_coordinate(tokens[f], f, v[f - 1])) {
            snprintf(why, whylen, "%s = '%.32s' is not a fraction of the image %s (normalised coordinates, "
                     "as scripts/voc_label writes them)", field_names[f], tokens[f], f <= 2 ? "in [0, 1]" : "in (0, 1]");
            return -1;
        }
    return 0;
}

static int is_blank(const char *line)
{
    return line[strspn(line, " \t\r\n")] == '\0';
}

int relnas_read_labels(const char *path, int classes, relnas_label **labels, int *count, char *err, size_t errlen)
{
    *labels = NULL, *count = 0;
    FILE *fp = fopen(path, "r");
    if (!fp) return relnas_errorf(err, errlen, "%s: cannot open the label file: %s", path, strerror(errno));
    char *line = NULL, why[256];
    size_t linecap = 0;
    int capacity = 0, lineno = 0, rc = 0;
    while (rc == 0 && getline(&line, &linecap, fp) >= 0) {
        ++lineno;
        if (is_blank(line)) continue;
        if (*count == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            *labels = realloc(*labels, sizeof(**labels) * (size_t)capacity);
            RELNAS_ASSERT(*labels);
        }
        if (parse_line(line, classes, &(*labels)[*count], why, sizeof(why)))
            rc = relnas_errorf(err, errlen, "%s, line %d: %s", path, lineno, why);
        else ++*count;
    }
    free(line);
    fclose(fp);
    if (rc) free(*labels), *labels = NULL, *count = 0;
    return rc;
}

void relnas_label_path(const char *image, char *out, size_t len)
{
    char path[4096];
    static const char *const suffixes[4] = {".jpg", ".png", ".JPG", ".JPEG"};
    find_replace((char *)image, "images", "labels", path);
    find_replace(path, "JPEGImages", "labels", path);
    for (int i = 0; i < 4; ++i) find_replace(path, (char *)suffixes[i], ".txt", path);
    snprintf(out, len, "%s", path);
}
