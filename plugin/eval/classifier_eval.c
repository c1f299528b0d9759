#include <stdlib.h>
#include <string.h>
#include "classifier_eval.h"
#include "batch_sampler.h"
#include "relnas_check.h"

static void mirror(float *img, int c, int h, int w)
{
    for (int k = 0; k < c * h; ++k) {
        float *row = img + (long)k * w;
        for (int x = 0; x < w / 2; ++x) {
            float t = row[x];
            row[x] = row[w - 1 - x];
            row[w - 1 - x] = t;
        }
    }
}

/* Adds weight x the probabilities of the batch in input (n real images) to probs. */
static void accumulate(network *net, float *input, int n, float weight, float *probs)
{
    float *out = network_predict(net, input);
    for (long i = 0; i < (long)n * net->outputs; ++i) probs[i] += weight * out[i];
}

void relnas_predict_set(network *net, const relnas_image_set *set, int tta_flip, float *probs)
{
    int batch = net->batch, classes = net->outputs;
    int *idx = RELNAS_CALLOC((size_t)batch, sizeof(int));
    float *input = RELNAS_CALLOC((size_t)batch * net->inputs, sizeof(float));
    float *truth = RELNAS_CALLOC((size_t)batch * set->classes, sizeof(float));
    relnas_augment none = {0, 0, 0};
    memset(probs, 0, sizeof(float) * (size_t)set->count * classes);
    for (int first = 0; first < set->count; first += batch) {
        int n = set->count - first < batch ? set->count - first : batch;
        for (int b = 0; b < batch; ++b) idx[b] = first + (b < n ? b : 0); /* pad the last batch */
        relnas_fill_batch(input, truth, set, idx, batch, none, NULL);
        float *p = probs + (long)first * classes;
        accumulate(net, input, n, tta_flip ? 0.5f : 1, p);
        if (!tta_flip) continue;
        for (int b = 0; b < n; ++b) mirror(input + (long)b * net->inputs, set->c, set->h, set->w);
        accumulate(net, input, n, 0.5f, p);
    }
    free(idx), free(input), free(truth);
}

static int argmax(const float *x, int n)
{
    int best = 0;
    for (int i = 1; i < n; ++i)
        if (x[i] > x[best]) best = i;
    return best;
}

double relnas_topk_accuracy(const float *probs, const unsigned char *labels, int count, int classes, int k)
{
    long hits = 0;
    for (int i = 0; i < count; ++i) {
        const float *p = probs + (long)i * classes;
        int label = labels[i], better = 0;
        for (int j = 0; j < classes; ++j) /* classes ranked above the label */
            better += p[j] > p[label] || (p[j] == p[label] && j < label);
        hits += better < k;
    }
    return count ? (double)hits / count : 0;
}

void relnas_confusion(const float *probs, const unsigned char *labels, int count, int classes, long *counts)
{
    memset(counts, 0, sizeof(long) * (size_t)classes * classes);
    for (int i = 0; i < count; ++i) counts[labels[i] * classes + argmax(probs + (long)i * classes, classes)]++;
}

void relnas_print_evaluation(FILE *out, const float *probs, const unsigned char *labels, int count, int classes)
{
    fprintf(out, "top-1 %.4f", relnas_topk_accuracy(probs, labels, count, classes, 1));
    if (classes >= 5) fprintf(out, "  top-5 %.4f", relnas_topk_accuracy(probs, labels, count, classes, 5));
    fprintf(out, "  (%d images)\n\nclass  images  accuracy  most often taken for\n", count);
    long *counts = RELNAS_CALLOC((size_t)classes * classes, sizeof(long));
    relnas_confusion(probs, labels, count, classes, counts);
    for (int t = 0; t < classes; ++t) {
        long total = 0, worst = -1;
        for (int p = 0; p < classes; ++p) {
            total += counts[t * classes + p];
            if (p != t && counts[t * classes + p] && (worst < 0 || counts[t * classes + p] > counts[t * classes + worst]))
                worst = p;
        }
        if (!total) continue;
        fprintf(out, "%5d  %6ld  %8.4f  ", t, total, (double)counts[t * classes + t] / total);
        if (worst >= 0) fprintf(out, "%d (%ld)\n", (int)worst, counts[t * classes + worst]);
        else fprintf(out, "-\n");
    }
    free(counts);
}
