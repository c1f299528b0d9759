#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "voc_map.h"
#include "layer_options.h"
#include "option_list.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "voc_annotation.h"

static const relnas_voc_testset *sorting; /* qsort has no context argument */

static int by_id(const void *a, const void *b)
{
    return strcmp(sorting->ids[*(const int *)a], sorting->ids[*(const int *)b]);
}

int relnas_voc_image_of(const relnas_voc_testset *t, const char *id)
{
    int lo = 0, hi = t->nimages - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(t->ids[t->by_id[mid]], id);
        if (c == 0) return t->by_id[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static int class_of(const relnas_voc_testset *t, const char *name)
{
    for (int k = 0; k < t->nclasses; ++k)
        if (strcmp(t->names[k], name) == 0) return k;
    return -1;
}

/* The objects of image i from its annotation. */
static int add_objects(relnas_voc_testset *t, int i, char *err, size_t errlen)
{
    char xml[4200], id[1024];
    if (relnas_voc_annotation_path(t->paths[i], xml, sizeof(xml), id, sizeof(id)))
        return relnas_errorf(err, errlen, "%s: not under a JPEGImages directory, so its VOC annotation cannot be found",
                             t->paths[i]);
    t->ids[i] = strdup(id);
    relnas_voc_annotation a;
    if (relnas_read_voc_annotation(xml, &a, err, errlen)) return -1;
    t->objects = realloc(t->objects, sizeof(*t->objects) * (size_t)(t->nobjects + a.count));
    RELNAS_ASSERT(t->objects || a.count == 0);
    for (int k = 0; k < a.count; ++k) {
        int cls = class_of(t, a.objects[k].name);
        if (cls < 0) {
            relnas_errorf(err, errlen, "%s: class '%s' is not in the names file", xml, a.objects[k].name);
            relnas_voc_annotation_free(&a);
            return -1;
        }
        t->objects[t->nobjects++] = (relnas_voc_object){i, cls, a.objects[k].difficult, a.objects[k].box};
    }
    relnas_voc_annotation_free(&a);
    return 0;
}

static char **read_lines(const char *path, int *n)
{
    list *l = get_paths((char *)path);
    *n = l->size;
    char **lines = (char **)list_to_array(l);
    free_list(l);
    return lines;
}

int relnas_voc_testset_load(const char *datafile, relnas_voc_testset *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    if (access(datafile, R_OK)) return relnas_errorf(err, errlen, "%s: cannot open", datafile);
    list *options = read_data_cfg((char *)datafile);
    char *valid = option_find(options, "valid"), *names = option_find(options, "names");
    int rc = 0;
    if (!valid || !names) rc = relnas_errorf(err, errlen, "%s: needs valid= (the test list) and names=", datafile);
    else if (access(valid, R_OK)) rc = relnas_errorf(err, errlen, "%s: cannot read valid=%s", datafile, valid);
    else if (access(names, R_OK)) rc = relnas_errorf(err, errlen, "%s: cannot read names=%s", datafile, names);
    if (rc == 0) {
        t->names = read_lines(names, &t->nclasses);
        t->paths = read_lines(valid, &t->nimages);
        t->ids = RELNAS_CALLOC((size_t)t->nimages, sizeof(char *));
        for (int i = 0; i < t->nimages && rc == 0; ++i) rc = add_objects(t, i, err, errlen);
    }
    relnas_options_free(options, 1);
    if (rc) return relnas_voc_testset_free(t), -1;
    t->by_id = RELNAS_CALLOC((size_t)t->nimages, sizeof(int));
    for (int i = 0; i < t->nimages; ++i) t->by_id[i] = i;
    sorting = t;
    qsort(t->by_id, (size_t)t->nimages, sizeof(int), by_id);
    return 0;
}

void relnas_voc_testset_free(relnas_voc_testset *t)
{
    for (int i = 0; i < t->nimages; ++i) {
        free(t->paths ? t->paths[i] : NULL);
        free(t->ids ? t->ids[i] : NULL);
    }
    for (int k = 0; k < t->nclasses; ++k) free(t->names[k]);
    free(t->paths), free(t->ids), free(t->names), free(t->objects), free(t->by_id);
    memset(t, 0, sizeof(*t));
}

static void push(relnas_voc_detection **dets, int *n, int *cap, relnas_voc_detection d)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 1024;
        *dets = realloc(*dets, sizeof(**dets) * (size_t)*cap);
        RELNAS_ASSERT(*dets);
    }
    (*dets)[(*n)++] = d;
}

/* The detections of one class file; 0, or -1 with a message. */
static int read_class_file(const relnas_voc_testset *t, const char *path, int cls, relnas_voc_detection **dets,
                           int *n, int *cap, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return errno == ENOENT ? 0 : relnas_errorf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    char line[4096], id[1024];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof(line), fp)) {
        ++lineno;
        relnas_voc_detection d = {0, cls, 0, {0, 0, 0, 0}};
        char extra;
        if (line[strspn(line, " \t\r\n")] == '\0') continue;
        if (sscanf(line, "%1023s %f %f %f %f %f %c", id, &d.score, &d.box.xmin, &d.box.ymin, &d.box.xmax, &d.box.ymax,
                   &extra) != 6)
            rc = relnas_errorf(err, errlen, "%s, line %d: expected `<id> <score> <xmin> <ymin> <xmax> <ymax>`", path,
                               lineno);
        else if (!isfinite(d.score) || !isfinite(d.box.xmin + d.box.ymin + d.box.xmax + d.box.ymax))
            rc = relnas_errorf(err, errlen, "%s, line %d: a score or coordinate is not a finite number", path, lineno);
        else if ((d.image = relnas_voc_image_of(t, id)) < 0)
            rc = relnas_errorf(err, errlen, "%s, line %d: image '%s' is not in the test list", path, lineno, id);
        else push(dets, n, cap, d);
    }
    fclose(fp);
    return rc;
}

int relnas_voc_read_detections(const relnas_voc_testset *t, const char *dir, relnas_voc_detection **dets, int *n,
                               char *err, size_t errlen)
{
    int cap = 0, rc = 0, files = 0;
    *dets = NULL, *n = 0;
    struct stat sb;
    if (stat(dir, &sb)) return relnas_errorf(err, errlen, "%s: cannot open: %s", dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return relnas_errorf(err, errlen, "%s: not a directory (expected one of comp4_det_test_<class>.txt files)", dir);
    for (int k = 0; k < t->nclasses && rc == 0; ++k) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/comp4_det_test_%s.txt", dir, t->names[k]);
        files += access(path, F_OK) == 0; /* a class without detections may have no file */
        rc = read_class_file(t, path, k, dets, n, &cap, err, errlen);
    }
    if (rc == 0 && files == 0 && t->nclasses > 0)
        rc = relnas_errorf(err, errlen, "%s: no detection file of any class (expected e.g. %s/comp4_det_test_%s.txt)",
                           dir, dir, t->names[0]);
    if (rc) free(*dets), *dets = NULL, *n = 0;
    return rc;
}

int relnas_voc_detect(network *net, const relnas_voc_testset *t, float thresh, relnas_voc_detection **dets, int *n,
                      FILE *progress, char *err, size_t errlen)
{
    int cap = 0, classes = t->nclasses;
    *dets = NULL, *n = 0;
    for (int i = 0; i < t->nimages; ++i) /* before hours of work, and Darknet's loader exits on them */
        if (access(t->paths[i], R_OK))
            return relnas_errorf(err, errlen, "image %d of the test list: cannot read %s", i + 1, t->paths[i]);
    for (int i = 0; i < t->nimages; ++i) {
        image im = load_image_color(t->paths[i], 0, 0);
        image sized = letterbox_image(im, net->w, net->h);
        network_predict(net, sized.data);
        int nboxes = 0;
        detection *found = get_network_boxes(net, im.w, im.h, thresh, .5f, 0, 1, &nboxes);
        do_nms_sort(found, nboxes, classes, .45f);
        for (int b = 0; b < nboxes; ++b) {
            box bb = found[b].bbox;
            relnas_voc_box px = {(bb.x - bb.w / 2) * im.w + 1, (bb.y - bb.h / 2) * im.h + 1, (bb.x + bb.w / 2) * im.w + 1,
                                 (bb.y + bb.h / 2) * im.h + 1};
            px.xmin = px.xmin < 1 ? 1 : px.xmin, px.ymin = px.ymin < 1 ? 1 : px.ymin;
            px.xmax = px.xmax > im.w ? im.w : px.xmax, px.ymax = px.ymax > im.h ? im.h : px.ymax;
            for (int k = 0; k < classes && k < found[b].classes; ++k)
                if (found[b].prob[k] > thresh) push(dets, n, &cap, (relnas_voc_detection){i, k, found[b].prob[k], px});
        }
        free_detections(found, nboxes);
        free_image(sized);
        free_image(im);
        if (progress && ((i + 1) % 100 == 0 || i + 1 == t->nimages))
            fprintf(progress, "\rdetecting: %d/%d images", i + 1, t->nimages), fflush(progress);
    }
    if (progress) fprintf(progress, "\n");
    return 0;
}

double relnas_voc_print_map(FILE *out, const relnas_voc_testset *t, const relnas_voc_detection *dets, int n,
                            double iou, relnas_voc_metric metric)
{
    double sum = 0;
    fprintf(out, "%-20s %8s %8s %10s\n", "class", "objects", "dets", "AP");
    for (int k = 0; k < t->nclasses; ++k) {
        int objects = 0, found = 0;
        for (int j = 0; j < t->nobjects; ++j) objects += t->objects[j].cls == k && !t->objects[j].difficult;
        for (int d = 0; d < n; ++d) found += dets[d].cls == k;
        double ap = relnas_voc_ap(t->objects, t->nobjects, dets, n, k, iou, metric);
        fprintf(out, "%-20s %8d %8d %10.6f\n", t->names[k], objects, found, ap);
        sum += ap;
    }
    double map = t->nclasses ? sum / t->nclasses : 0;
    fprintf(out, "mAP %.6f (%s, IoU > %.2f, %d images, difficult objects ignored)\n", map,
            metric == RELNAS_VOC07 ? "VOC07 11-point" : "VOC12 all-point", iou, t->nimages);
    return map;
}
