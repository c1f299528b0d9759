#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "search_state.h"
#include "batch_sampler.h"
#include "darknet.h"
#include "relnas_check.h"
#include "relnas_error.h"

double relnas_search_learning_rate(const relnas_search_settings *s, int gen)
{
    if (s->generations <= 1) return s->lr_max;
    return s->lr_min + 0.5 * (s->lr_max - s->lr_min) * (1 + cos(M_PI * gen / s->generations));
}

void relnas_search_state_alloc(relnas_search_state *st)
{
    int m = st->settings.population, g = st->settings.generations;
    st->pairs = RELNAS_CALLOC((size_t)m, sizeof(int));
    st->fast = RELNAS_CALLOC((size_t)m / 2, sizeof(int));
    st->in_pair = RELNAS_CALLOC((size_t)m * 2, sizeof(relnas_member));
    st->final = st->in_pair + m;
    for (int i = 0; i < 2 * m; ++i) st->in_pair[i] = relnas_member_unscored(i % m);

    st->fast_loss = RELNAS_CALLOC((size_t)g * 3, sizeof(double));
    st->slow_loss = st->fast_loss + g;
    st->diversity = st->fast_loss + 2 * g;
    st->pop = (relnas_population){m, RELNAS_CALLOC((size_t)m, sizeof(*st->pop.x)),
                                  RELNAS_CALLOC((size_t)m, sizeof(*st->pop.v))};
}

void relnas_search_state_free(relnas_search_state *st)
{
    free(st->pairs), free(st->fast), free(st->in_pair), free(st->alone), free(st->fast_loss);
    relnas_cell_archive_free(&st->archive);
    relnas_population_free(&st->pop);
    relnas_weight_set_free(&st->ws);
    memset(st, 0, sizeof(*st));
}

void relnas_search_state_alloc_selection(relnas_search_state *st)
{
    int cells = st->archive.count, records = st->settings.select_rounds * cells;
    free(st->alone);
    st->alone = RELNAS_CALLOC((size_t)records, sizeof(relnas_member));
    for (int i = 0; i < records; ++i) st->alone[i] = relnas_member_unscored(i % cells);
}

void relnas_search_split(const relnas_search_settings *s, const relnas_image_set *data, int *train, int *ntrain,
                         int *valid, int *nvalid)
{
    relnas_rng rng = relnas_rng_seeded(s->seed);
    relnas_split_indices(data->count, s->train_portion, &rng, train, ntrain, valid, nvalid);
}

/* What the data must allow for the settings. Returns 0, or -1 with a message. */
static int check_fit(const relnas_search_settings *s, const relnas_image_set *data, char *err, size_t errlen)
{
    if (s->bn_batches > 0 && gpu_index >= 0)
        return relnas_errorf(err, errlen, "recomputing BN statistics (--bn-batches) runs on the CPU only for now");
    if (data->w % 4 || data->h % 4)
        return relnas_errorf(err, errlen, "images of %dx%d cannot pass two reductions: sides must be multiples of 4",
                             data->w, data->h);
    int ntrain = (int)lround(data->count * s->train_portion), nvalid = data->count - ntrain;
    if (ntrain < s->batch || nvalid < s->batch)
        return relnas_errorf(err, errlen, "%d training and %d validation images: each part needs a batch (%d)",
                             ntrain, nvalid, s->batch);
    return 0;
}

int relnas_search_state_init(relnas_search_state *st, const relnas_search_settings *s,
                             const relnas_image_set *data, const char *data_name, char *err, size_t errlen)
{
    memset(st, 0, sizeof(*st));
    if (relnas_search_settings_check(s, err, errlen) || check_fit(s, data, err, errlen)) return -1;
    st->settings = *s;
    st->data = (relnas_data_signature){"", data->count, data->w, data->h, data->c, data->classes};
    snprintf(st->data.name, sizeof(st->data.name), "%s", data_name);
    relnas_search_state_alloc(st);
    st->rng = relnas_rng_seeded(s->seed ^ 0x9e3779b97f4a7c15ull); /* a stream apart from the split's */
    relnas_population p = relnas_population_init(s->population, &st->rng);
    memcpy(st->pop.x, p.x, sizeof(*p.x) * (size_t)p.size);
    relnas_population_free(&p);
    relnas_cell_archive_add_population(&st->archive, &st->pop, 0);
    return 0;
}

int relnas_search_check_data(const relnas_search_state *st, const relnas_image_set *data, char *err, size_t errlen)
{
    const relnas_data_signature *d = &st->data;
    if (d->count == data->count && d->w == data->w && d->h == data->h && d->c == data->c && d->classes == data->classes)
        return 0;
    return relnas_errorf(err, errlen, "the data changed: the search ran on %d images %dx%dx%d of %d classes, %s has "
                         "%d images %dx%dx%d of %d classes", d->count, d->w, d->h, d->c, d->classes, d->name,
                         data->count, data->w, data->h, data->c, data->classes);
}
