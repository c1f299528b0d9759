#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "anchors.h"
#include "darknet.h"
#include "label_file.h"
#include "layer_options.h"
#include "option_list.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "relnas_rng.h"

enum { KMEANS_MAX_ROUNDS = 1000 };

double relnas_anchor_iou(relnas_anchor a, relnas_anchor b)
{
    double inter = fmin(a.w, b.w) * fmin(a.h, b.h);
    double uni = a.w * a.h + b.w * b.h - inter;
    return uni > 0 ? inter / uni : 0;
}

/* The anchor of highest IoU with box (the first of equals), and that IoU. */
static int best_anchor(relnas_anchor box, const relnas_anchor *anchors, int k, double *iou)
{
    int best = 0;
    *iou = -1;
    for (int j = 0; j < k; ++j) {
        double v = relnas_anchor_iou(box, anchors[j]);
        if (v > *iou) *iou = v, best = j;
    }
    return best;
}

double relnas_anchors_mean_iou(const relnas_anchor *boxes, int n, const relnas_anchor *anchors, int k)
{
    double sum = 0, iou;
    for (int i = 0; i < n; ++i) best_anchor(boxes[i], anchors, k, &iou), sum += iou;
    return n ? sum / n : 0;
}

/* k-means++ seeds: the first box at random, each next one with probability proportional to
 * its squared distance (1 - IoU) to the nearest seed so far. */
static void seed_centres(const relnas_anchor *boxes, int n, int k, relnas_rng *rng, relnas_anchor *centres,
                         double *d2)
{
    centres[0] = boxes[relnas_rng_below(rng, (uint64_t)n)];
    for (int j = 1; j < k; ++j) {
        double total = 0, iou;
        for (int i = 0; i < n; ++i) {
            best_anchor(boxes[i], centres, j, &iou);
            d2[i] = (1 - iou) * (1 - iou), total += d2[i];
        }
        int pick = (int)relnas_rng_below(rng, (uint64_t)n);
        if (total > 0) {
            double r = relnas_rng_uniform(rng) * total;
            for (pick = 0; pick < n - 1 && (r -= d2[pick]) >= 0; ++pick) {}
        }
        centres[j] = boxes[pick];
    }
}

/* Lloyd's rounds from the seeds until no box changes cluster; an empty cluster takes the
 * box farthest from its centre. Returns the mean IoU. */
static double lloyd(const relnas_anchor *boxes, int n, int k, relnas_anchor *centres, int *member, double *sums)
{
    for (int i = 0; i < n; ++i) member[i] = -1;
    for (int round = 0; round < KMEANS_MAX_ROUNDS; ++round) {
        int changed = 0, far = 0;
        double far_iou = 2, iou;
        for (int i = 0; i < n; ++i) {
            int j = best_anchor(boxes[i], centres, k, &iou);
            changed += j != member[i], member[i] = j;
            if (iou < far_iou) far_iou = iou, far = i;
        }
        if (!changed) break;
        memset(sums, 0, sizeof(double) * 3 * (size_t)k);
        for (int i = 0; i < n; ++i)
            sums[3 * member[i]] += boxes[i].w, sums[3 * member[i] + 1] += boxes[i].h, sums[3 * member[i] + 2] += 1;
        for (int j = 0; j < k; ++j)
            centres[j] = sums[3 * j + 2] > 0 ? (relnas_anchor){sums[3 * j] / sums[3 * j + 2], sums[3 * j + 1] / sums[3 * j + 2]}
                                             : boxes[far];
    }
    return relnas_anchors_mean_iou(boxes, n, centres, k);
}

static int by_area(const void *a, const void *b)
{
    const relnas_anchor *x = a, *y = b;
    double d = x->w * x->h - y->w * y->h;
    return d != 0 ? (d > 0) - (d < 0) : (x->w > y->w) - (x->w < y->w);
}

void relnas_anchors_kmeans(const relnas_anchor *boxes, int n, int k, int restarts, uint64_t seed,
                           relnas_anchor *anchors)
{
    RELNAS_ASSERT(n >= 1 && k >= 1 && restarts >= 1);
    relnas_anchor *centres = RELNAS_CALLOC((size_t)k, sizeof(*centres));
    int *member = RELNAS_CALLOC((size_t)n, sizeof(int));
    double *d2 = RELNAS_CALLOC((size_t)n, sizeof(double)), *sums = RELNAS_CALLOC(3 * (size_t)k, sizeof(double));
    double best = -1;
    relnas_rng rng = relnas_rng_seeded(seed);
    for (int r = 0; r < restarts; ++r) {
        seed_centres(boxes, n, k, &rng, centres, d2);
        double iou = lloyd(boxes, n, k, centres, member, sums);
        if (iou > best) best = iou, memcpy(anchors, centres, sizeof(*centres) * (size_t)k);
    }
    for (int j = 0; j < k; ++j) anchors[j].w = fmax(1, round(anchors[j].w)), anchors[j].h = fmax(1, round(anchors[j].h));
    qsort(anchors, (size_t)k, sizeof(*anchors), by_area);
    free(centres), free(member), free(d2), free(sums);
}

void relnas_yolov3_anchors(int width, int height, relnas_anchor anchors[9])
{
    static const int coco416[18] = {10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326};
    for (int j = 0; j < 9; ++j)
        anchors[j] = (relnas_anchor){(int)(coco416[2 * j] * width / 416.0 + 0.5),
                                     (int)(coco416[2 * j + 1] * height / 416.0 + 0.5)};
}

void relnas_anchors_format(const relnas_anchor *anchors, int k, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int j = 0; j < k && used < len; ++j)
        used += (size_t)snprintf(out + used, len - used, "%s%g,%g", j ? ", " : "", anchors[j].w, anchors[j].h);
}

void relnas_anchor_masks(int k, int scales, int *first)
{
    for (int s = 0; s <= scales; ++s) first[s] = s * k / scales;
}

/* Appends the boxes of one label file. */
static int add_label_file(const char *path, int classes, int width, int height, relnas_anchor **boxes, int *n,
                          int *cap, char *err, size_t errlen)
{
    relnas_label *labels;
    int count;
    if (relnas_read_labels(path, classes, &labels, &count, err, errlen)) return -1;
    for (int i = 0; i < count; ++i) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 1024;
            *boxes = realloc(*boxes, sizeof(**boxes) * (size_t)*cap);
            RELNAS_ASSERT(*boxes);
        }
        (*boxes)[(*n)++] = (relnas_anchor){labels[i].w * width, labels[i].h * height};
    }
    free(labels);
    return 0;
}

int relnas_anchor_boxes_of_data(const char *datafile, int width, int height, relnas_anchor **boxes, int *n,
                                char *err, size_t errlen)
{
    *boxes = NULL, *n = 0;
    FILE *probe = fopen(datafile, "r");
    if (!probe) return relnas_errorf(err, errlen, "cannot open %s", datafile);
    fclose(probe);
    list *options = read_data_cfg((char *)datafile);
    const char *train = option_find(options, "train");
    int classes = option_find_int_quiet(options, "classes", 0), rc = 0, cap = 0;
    FILE *fp = train ? fopen(train, "r") : NULL;
    if (!train) rc = relnas_errorf(err, errlen, "%s: no train= line (the list of training images)", datafile);
    else if (classes < 1) rc = relnas_errorf(err, errlen, "%s: classes= must be a number of at least 1", datafile);
    else if (!fp) rc = relnas_errorf(err, errlen, "%s: train=%s: cannot open the image list", datafile, train);
    char line[4096], label[4096];
    while (rc == 0 && fgets(line, sizeof(line), fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0]) continue;
        relnas_label_path(line, label, sizeof(label));
        rc = add_label_file(label, classes, width, height, boxes, n, &cap, err, errlen);
    }
    if (rc == 0 && *n == 0) rc = relnas_errorf(err, errlen, "%s: the label files of train=%s hold no boxes", datafile, train);
    if (fp) fclose(fp);
    relnas_options_free(options, 1);
    if (rc) free(*boxes), *boxes = NULL, *n = 0;
    return rc;
}

int relnas_fit_anchors(const char *datafile, relnas_anchor_fit *f, relnas_anchor *anchors, char *err, size_t errlen)
{
    relnas_anchor *boxes, yolov3[9];
    if (relnas_anchor_boxes_of_data(datafile, f->width, f->height, &boxes, &f->boxes, err, errlen)) return -1;
    if (f->boxes < f->k) {
        free(boxes);
        return relnas_errorf(err, errlen, "%s: %d label boxes cannot give %d distinct anchors: ask for %d at most",
                             datafile, f->boxes, f->k, f->boxes);
    }
    relnas_anchors_kmeans(boxes, f->boxes, f->k, f->restarts, f->seed, anchors);
    relnas_yolov3_anchors(f->width, f->height, yolov3);
    f->mean_iou = relnas_anchors_mean_iou(boxes, f->boxes, anchors, f->k);
    f->yolov3_mean_iou = relnas_anchors_mean_iou(boxes, f->boxes, yolov3, 9);
    free(boxes);
    return 0;
}
