#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "batch_sampler.h"
#include "relnas_check.h"

void relnas_shuffle(int *x, int n, relnas_rng *rng)
{
    for (int i = n - 1; i > 0; --i) {
        int j = (int)relnas_rng_below(rng, (uint64_t)i + 1), t = x[i];
        x[i] = x[j];
        x[j] = t;
    }
}

relnas_epoch_sampler relnas_epoch_sampler_make(const int *idx, int nidx)
{
    relnas_epoch_sampler s = {idx, nidx, nidx, RELNAS_CALLOC((size_t)nidx, sizeof(int))};
    return s;
}

void relnas_epoch_sampler_free(relnas_epoch_sampler *s)
{
    free(s->order);
    s->order = NULL;
}

void relnas_epoch_sampler_next(relnas_epoch_sampler *s, int *batch, int n, relnas_rng *rng)
{
    RELNAS_ASSERT(n <= s->nidx);
    if (s->next + n > s->nidx) {
        memcpy(s->order, s->idx, sizeof(int) * (size_t)s->nidx);
        relnas_shuffle(s->order, s->nidx, rng);
        s->next = 0;
    }
    memcpy(batch, s->order + s->next, sizeof(int) * (size_t)n);
    s->next += n;
}

void relnas_split_indices(int count, double portion, relnas_rng *rng, int *train, int *ntrain,
                          int *valid, int *nvalid)
{
    int n_train = (int)lround(portion * count);
    /* Fisher-Yates over train[] followed by valid[], seen as one array. */
    for (int i = 0; i < count; ++i) *(i < n_train ? &train[i] : &valid[i - n_train]) = i;
    for (int i = count - 1; i > 0; --i) {
        int j = (int)relnas_rng_below(rng, (uint64_t)i + 1);
        int *a = i < n_train ? &train[i] : &valid[i - n_train];
        int *b = j < n_train ? &train[j] : &valid[j - n_train];
        int t = *a;
        *a = *b;
        *b = t;
    }
    *ntrain = n_train;
    *nvalid = count - n_train;
}

/* One image: crop offset (dy, dx), mirrored or not, scaled to [0, 1]. */
static void copy_image(float *out, const unsigned char *in, const relnas_image_set *s, int dy, int dx,
                       int mirror)
{
    for (int c = 0; c < s->c; ++c)
        for (int y = 0; y < s->h; ++y)
            for (int x = 0; x < s->w; ++x) {
                int sy = y + dy, sx = (mirror ? s->w - 1 - x : x) + dx;
                int inside = sy >= 0 && sy < s->h && sx >= 0 && sx < s->w;
                out[(c * s->h + y) * s->w + x] = inside ? in[(c * s->h + sy) * s->w + sx] / 255.0f : 0;
            }
}

/* Zeroes a side x side square centred at (cy, cx), clipped to the image (DARTS's Cutout). */
static void cut_out(float *img, const relnas_image_set *s, int cy, int cx, int side)
{
    int y0 = cy - side / 2, x0 = cx - side / 2;
    for (int c = 0; c < s->c; ++c)
        for (int y = y0 < 0 ? 0 : y0; y < y0 + side && y < s->h; ++y)
            for (int x = x0 < 0 ? 0 : x0; x < x0 + side && x < s->w; ++x) img[(c * s->h + y) * s->w + x] = 0;
}

void relnas_fill_batch(float *input, float *truth, const relnas_image_set *s, const int *idx,
                       int batch, relnas_augment aug, relnas_rng *rng)
{
    long size = (long)s->c * s->h * s->w;
    memset(truth, 0, sizeof(float) * (size_t)batch * s->classes);
    for (int b = 0; b < batch; ++b) {
        int dy = 0, dx = 0, mirror = 0;
        if (aug.pad) {
            dy = (int)relnas_rng_below(rng, 2 * aug.pad + 1) - aug.pad;
            dx = (int)relnas_rng_below(rng, 2 * aug.pad + 1) - aug.pad;
        }
        if (aug.flip) mirror = (int)relnas_rng_below(rng, 2);
        float *img = input + b * size;
        copy_image(img, s->pixels + (long)idx[b] * size, s, dy, dx, mirror);
        if (aug.cutout)
            cut_out(img, s, (int)relnas_rng_below(rng, s->h), (int)relnas_rng_below(rng, s->w), aug.cutout);
        truth[b * s->classes + s->labels[idx[b]]] = 1;
    }
}
