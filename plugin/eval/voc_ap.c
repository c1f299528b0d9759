#include <stdlib.h>
#include "voc_ap.h"
#include "relnas_check.h"

double relnas_voc_iou(relnas_voc_box a, relnas_voc_box b)
{
    double iw = (a.xmax < b.xmax ? a.xmax : b.xmax) - (a.xmin > b.xmin ? a.xmin : b.xmin) + 1;
    double ih = (a.ymax < b.ymax ? a.ymax : b.ymax) - (a.ymin > b.ymin ? a.ymin : b.ymin) + 1;
    if (iw <= 0 || ih <= 0) return 0;
    double inter = iw * ih;
    double area_a = ((double)a.xmax - a.xmin + 1) * ((double)a.ymax - a.ymin + 1);
    double area_b = ((double)b.xmax - b.xmin + 1) * ((double)b.ymax - b.ymin + 1);
    return inter / (area_a + area_b - inter);
}

double relnas_voc_curve_ap(const double *recall, const double *precision, int n, relnas_voc_metric metric)
{
    if (metric == RELNAS_VOC07) {
        double ap = 0;
        for (int t = 0; t <= 10; ++t) {
            double best = 0;
            for (int i = 0; i < n; ++i)
                if (recall[i] >= t / 10.0 && precision[i] > best) best = precision[i];
            ap += best / 11;
        }
        return ap;
    }
    /* envelope from the right: the best precision at this recall or beyond */
    double ap = 0, envelope = 0;
    for (int i = n - 1; i >= 0; --i) {
        if (precision[i] > envelope) envelope = precision[i];
        double previous = i ? recall[i - 1] : 0;
        ap += (recall[i] - previous) * envelope;
    }
    return ap;
}

typedef struct ranked {
    const relnas_voc_detection *d;
    int order;
} ranked;

static int by_score(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->d->score != b->d->score) return a->d->score > b->d->score ? -1 : 1;
    return a->order - b->order;
}

/* The objects of class cls grouped by image: those of image i are at[first[i] .. first[i + 1]). */
typedef struct image_index {
    int nimages, *first, *at;
} image_index;

static image_index index_objects(const relnas_voc_object *objects, int nobjects, int cls)
{
    image_index x = {0, NULL, NULL};
    for (int j = 0; j < nobjects; ++j)
        if (objects[j].cls == cls && objects[j].image >= x.nimages) x.nimages = objects[j].image + 1;
    x.first = RELNAS_CALLOC((size_t)x.nimages + 1, sizeof(int));
    x.at = RELNAS_CALLOC((size_t)nobjects, sizeof(int));
    for (int j = 0; j < nobjects; ++j)
        if (objects[j].cls == cls) x.first[objects[j].image + 1]++;
    for (int i = 0; i < x.nimages; ++i) x.first[i + 1] += x.first[i];
    int *fill = RELNAS_CALLOC((size_t)x.nimages + 1, sizeof(int));
    for (int j = 0; j < nobjects; ++j)
        if (objects[j].cls == cls) x.at[x.first[objects[j].image] + fill[objects[j].image]++] = j;
    free(fill);
    return x;
}

/* Judges a detection against the objects of its image: a hit 1, a miss 0, ignored -1. */
static int judge(const relnas_voc_detection *d, const relnas_voc_object *objects, const image_index *x,
                 double iou_threshold, char *taken)
{
    int best = -1;
    double best_iou = -1;
    if (d->image < 0 || d->image >= x->nimages) return 0;
    for (int k = x->first[d->image]; k < x->first[d->image + 1]; ++k) {
        double iou = relnas_voc_iou(d->box, objects[x->at[k]].box);
        if (iou > best_iou) best_iou = iou, best = x->at[k];
    }
    if (best < 0 || !(best_iou > iou_threshold)) return 0;
    if (objects[best].difficult) return -1;
    if (taken[best]) return 0;
    taken[best] = 1;
    return 1;
}

double relnas_voc_ap(const relnas_voc_object *objects, int nobjects, const relnas_voc_detection *dets, int ndets,
                     int cls, double iou_threshold, relnas_voc_metric metric)
{
    int positives = 0, n = 0;
    for (int j = 0; j < nobjects; ++j) positives += objects[j].cls == cls && !objects[j].difficult;
    ranked *r = RELNAS_CALLOC((size_t)ndets, sizeof(ranked));
    for (int k = 0; k < ndets; ++k)
        if (dets[k].cls == cls) r[n] = (ranked){&dets[k], k}, ++n;
    qsort(r, (size_t)n, sizeof(ranked), by_score);
    char *taken = RELNAS_CALLOC((size_t)nobjects, 1);
    image_index x = index_objects(objects, nobjects, cls);
    double *recall = RELNAS_CALLOC((size_t)n, sizeof(double)), *precision = RELNAS_CALLOC((size_t)n, sizeof(double));
    long tp = 0, fp = 0;
    int points = 0;
    for (int k = 0; k < n; ++k) {
        int verdict = judge(r[k].d, objects, &x, iou_threshold, taken);
        tp += verdict == 1, fp += verdict == 0;
        /* an ignored detection repeats the previous point, as the devkit's cumulative sums do */
        recall[points] = positives ? (double)tp / positives : 0;
        precision[points] = tp + fp ? (double)tp / (double)(tp + fp) : 0;
        ++points;
    }
    double ap = positives ? relnas_voc_curve_ap(recall, precision, points, metric) : 0;
    free(r), free(taken), free(recall), free(precision), free(x.first), free(x.at);
    return ap;
}
