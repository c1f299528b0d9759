#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "checkpoint.h"
#include "binary_file.h"
#include "relnas_check.h"
#include "relnas_error.h"

static const char magic[8] = {'R', 'N', 'A', 'S', 'C', 'K', 'P', 'T'};
/* Version 2: bn_batches and warmup_batches in the settings; the warm-up and re-score
 * positions and the re-scored losses in the state (and, optionally at the end,
 * parallel_pairs). Version 3: select_batches, parallel_pairs, select_cutout and select_lr in the settings,
 * the selection's position and figures in the state. */
enum { VERSION = 3, MAX_POPULATION = 100000, MAX_GENERATIONS = 1000000, MAX_BLOCKS = 10000000 };

/* The settings field by field, so padding never reaches the file. */
static void put_settings(relnas_binary_writer *w, const relnas_search_settings *s)
{
    int32_t ints[15] = {s->population, s->generations, s->batch, s->train_batches, s->valid_batches,
                        s->C, s->cells, s->cutout, s->pad, s->flip, s->bn_batches, s->warmup_batches,
                        s->select_batches, s->parallel_pairs, s->select_cutout};
    double reals[8] = {s->lr_max, s->lr_min, s->momentum, s->decay, s->clip, s->drop_path, s->train_portion,
                       s->select_lr};
    relnas_binary_put(w, ints, sizeof(ints));
    relnas_binary_put(w, reals, sizeof(reals));
    relnas_binary_put(w, &s->seed, sizeof(s->seed));
}

static void get_settings(relnas_binary_reader *r, relnas_search_settings *s)
{
    int32_t ints[15];
    double reals[8];
    relnas_binary_get(r, ints, sizeof(ints));
    relnas_binary_get(r, reals, sizeof(reals));
    relnas_binary_get(r, &s->seed, sizeof(s->seed));
    s->population = ints[0], s->generations = ints[1], s->batch = ints[2], s->train_batches = ints[3];
    s->valid_batches = ints[4], s->C = ints[5], s->cells = ints[6], s->cutout = ints[7], s->pad = ints[8];
    s->flip = ints[9], s->bn_batches = ints[10], s->warmup_batches = ints[11];
    s->select_batches = ints[12], s->parallel_pairs = ints[13], s->select_cutout = ints[14];
    s->lr_max = reals[0], s->lr_min = reals[1], s->momentum = reals[2], s->decay = reals[3], s->clip = reals[4];
    s->drop_path = reals[5], s->train_portion = reals[6], s->select_lr = reals[7];
}

static void put_data(relnas_binary_writer *w, const relnas_data_signature *d)
{
    relnas_binary_put(w, d->name, sizeof(d->name));
    int32_t ints[5] = {d->count, d->w, d->h, d->c, d->classes};
    relnas_binary_put(w, ints, sizeof(ints));
}

static void get_data(relnas_binary_reader *r, relnas_data_signature *d)
{
    int32_t ints[5];
    char name[sizeof(d->name)];
    relnas_binary_get(r, name, sizeof(name));
    relnas_binary_get(r, ints, sizeof(ints));
    *d = (relnas_data_signature){"", ints[0], ints[1], ints[2], ints[3], ints[4]};
    memcpy(d->name, name, sizeof(name) - 1);
}

enum { HAS_WEIGHTS = 1, HAS_BIASES = 2, HAS_BN = 4 };

void relnas_checkpoint_put_block(relnas_binary_writer *w, const relnas_param_block *b)
{
    int32_t head[8] = {b->key.kind, b->key.cell, b->key.slot, b->key.op, b->nweights, b->nbiases, b->has_bn,
                       (b->weights ? HAS_WEIGHTS : 0) | (b->biases ? HAS_BIASES : 0) | (b->scales ? HAS_BN : 0)};
    relnas_binary_put(w, head, sizeof(head));
    if (b->weights) relnas_binary_put(w, b->weights, sizeof(float) * (size_t)b->nweights);
    if (b->biases) relnas_binary_put(w, b->biases, sizeof(float) * (size_t)b->nbiases);
    if (b->scales) {
        relnas_binary_put(w, b->scales, sizeof(float) * (size_t)b->nbiases);
        relnas_binary_put(w, b->rolling_mean, sizeof(float) * (size_t)b->nbiases);
        relnas_binary_put(w, b->rolling_variance, sizeof(float) * (size_t)b->nbiases);
    }
}

static float *get_floats(relnas_binary_reader *r, int n)
{
    float *x = RELNAS_CALLOC((size_t)n, sizeof(float));
    relnas_binary_get(r, x, sizeof(float) * (size_t)n);
    return x;
}

const char *relnas_checkpoint_get_block(relnas_binary_reader *r, relnas_param_block *b)
{
    int32_t h[8];
    relnas_binary_get(r, h, sizeof(h));
    if (r->failed) return "truncated weight set";
    if (h[0] < RELNAS_KEY_NONE || h[0] > RELNAS_KEY_SHARED || h[4] < 0 || h[5] < 0 || (h[6] & ~1) || (h[7] & ~7))
        return "a weight-set block with an impossible header";
    /* sizes are checked against the bytes left before anything is allocated */
    size_t need = (h[7] & HAS_WEIGHTS ? (size_t)h[4] : 0) + (h[7] & HAS_BIASES ? (size_t)h[5] : 0) +
                  (h[7] & HAS_BN ? 3 * (size_t)h[5] : 0);
    if (need > relnas_binary_left(r) / sizeof(float)) return "a weight-set block larger than the file";
    *b = (relnas_param_block){{(relnas_key_kind)h[0], h[1], h[2], h[3]}, h[4], h[5], h[6], NULL, NULL, NULL, NULL, NULL};
    if (h[7] & HAS_WEIGHTS) b->weights = get_floats(r, h[4]);
    if (h[7] & HAS_BIASES) b->biases = get_floats(r, h[5]);
    if (h[7] & HAS_BN) {
        b->scales = get_floats(r, h[5]);
        b->rolling_mean = get_floats(r, h[5]);
        b->rolling_variance = get_floats(r, h[5]);
    }
    return NULL;
}

static void put_state(relnas_binary_writer *w, const relnas_search_state *st)
{
    int m = st->settings.population, g = st->settings.generations;
    put_settings(w, &st->settings);
    put_data(w, &st->data);
    int32_t position[6] = {st->generation, st->pair, st->evaluated, st->warmed, st->rescored, st->selected};
    relnas_binary_put(w, position, sizeof(position));
    relnas_binary_put_f64(w, st->seconds);
    relnas_binary_put_f64(w, st->outside_seconds);
    relnas_binary_put(w, st->rng.s, sizeof(st->rng.s));
    relnas_binary_put(w, st->pop.x, sizeof(*st->pop.x) * (size_t)m);
    relnas_binary_put(w, st->pop.v, sizeof(*st->pop.v) * (size_t)m);
    relnas_binary_put(w, st->pairs, sizeof(int) * (size_t)m);
    relnas_binary_put(w, st->fast, sizeof(int) * (size_t)(m / 2));
    relnas_binary_put(w, st->losses, sizeof(double) * (size_t)m);
    relnas_binary_put(w, st->accuracies, sizeof(double) * (size_t)m);
    relnas_binary_put(w, st->fast_loss, sizeof(double) * 3 * (size_t)g);
    relnas_binary_put(w, st->final_losses, sizeof(double) * 4 * (size_t)m);
    int64_t sizes[3] = {st->log_sizes[0], st->log_sizes[1], st->log_sizes[2]};
    relnas_binary_put(w, sizes, sizeof(sizes));
    relnas_binary_put_i32(w, st->ws.count);
    for (int i = 0; i < st->ws.count; ++i) relnas_checkpoint_put_block(w, &st->ws.blocks[i]);
}

int relnas_checkpoint_save(const char *path, const relnas_search_state *st, char *err, size_t errlen)
{
    relnas_binary_writer w;
    if (relnas_binary_create(&w, path, magic, VERSION, err, errlen)) return -1;
    put_state(&w, st);
    return relnas_binary_commit(&w, err, errlen);
}

void relnas_checkpoint_to_memory(const relnas_search_state *st, void **bytes, size_t *size)
{
    relnas_binary_writer w;
    relnas_binary_create_memory(&w, magic, VERSION);
    put_state(&w, st);
    relnas_binary_commit_memory(&w, bytes, size);
}

/* The settings and position a loaded state must have to be run; NULL if fine. */
static const char *check_state(const relnas_search_state *st)
{
    const relnas_search_settings *s = &st->settings;
    if (s->population < 2 || s->population % 2 || s->population > MAX_POPULATION) return "bad population size";
    if (s->generations < 1 || s->generations > MAX_GENERATIONS) return "bad number of generations";
    if (s->batch < 1 || s->train_batches < 0 || s->valid_batches < 0 || s->C < 2 || s->cells < 3 ||
        s->bn_batches < 0 || s->warmup_batches < 0 || s->select_batches < 0 || s->select_cutout < 0)
        return "bad batch, batch counts, channels or cells";
    if (!(s->train_portion > 0 && s->train_portion < 1)) return "bad training portion";
    if (s->parallel_pairs & ~1) return "a parallel-pairs mark other than 0 or 1";
    if (s->select_batches > 0 && !(s->select_lr > 0)) return "bad selection rate";
    if (st->data.count < 1 || st->data.w < 1 || st->data.h < 1 || st->data.c < 1 || st->data.classes < 1)
        return "bad data signature";
    if (st->generation < 0 || st->generation > s->generations || st->pair < 0 || st->pair >= s->population / 2 ||
        (st->generation == s->generations && st->pair) || st->warmed < 0 || st->warmed > s->population ||
        (st->rescored != 0 && st->rescored != 1) || (st->rescored && st->generation < s->generations) ||
        st->selected < 0 || st->selected > s->population || (st->selected && !st->rescored))
        return "position outside the search";
    return NULL;
}

/* The arrays of a state whose scalars passed check_state; NULL if fine. */
static const char *get_arrays(relnas_binary_reader *r, relnas_search_state *st)
{
    int m = st->settings.population, g = st->settings.generations;
    size_t need = (size_t)m * (2 * sizeof(*st->pop.x) + 2 * sizeof(int) + 6 * sizeof(double)) +
                  3 * sizeof(double) * (size_t)g;
    if (need > relnas_binary_left(r)) return "truncated population";
    relnas_search_state_alloc(st);
    relnas_binary_get(r, st->pop.x, sizeof(*st->pop.x) * (size_t)m);
    relnas_binary_get(r, st->pop.v, sizeof(*st->pop.v) * (size_t)m);
    relnas_binary_get(r, st->pairs, sizeof(int) * (size_t)m);
    relnas_binary_get(r, st->fast, sizeof(int) * (size_t)(m / 2));
    relnas_binary_get(r, st->losses, sizeof(double) * (size_t)m);
    relnas_binary_get(r, st->accuracies, sizeof(double) * (size_t)m);
    relnas_binary_get(r, st->fast_loss, sizeof(double) * 3 * (size_t)g);
    relnas_binary_get(r, st->final_losses, sizeof(double) * 4 * (size_t)m);
    for (int i = 0; i < m; ++i) {
        if (st->pairs[i] < 0 || st->pairs[i] >= m) return "a pairing names a member outside the population";
        for (int d = 0; d < RELNAS_DIM; ++d) {
            double lo, hi;
            relnas_vector_bounds(d, &lo, &hi);
            if (!(st->pop.x[i][d] >= lo && st->pop.x[i][d] <= hi)) return "a vector outside its bounds";
        }
    }
    for (int p = 0; p < m / 2; ++p)
        if (st->fast[p] != 0 && st->fast[p] != 1) return "a fast-learner mark other than 0 or 1";
    return NULL;
}

static const char *get_weight_set(relnas_binary_reader *r, relnas_weight_set *ws)
{
    int32_t count = relnas_binary_get_i32(r);
    if (r->failed || count < 0 || count > MAX_BLOCKS) return "bad weight-set size";
    ws->blocks = RELNAS_CALLOC((size_t)count, sizeof(*ws->blocks));
    ws->capacity = count;
    for (int i = 0; i < count; ++i) {
        const char *problem = relnas_checkpoint_get_block(r, &ws->blocks[i]);
        if (problem) return problem;
        ws->count = i + 1;
    }
    return NULL;
}

/* The state r holds, from its settings on; closes r. */
static int get_state(relnas_binary_reader *r, relnas_search_state *st, const char *path, char *err, size_t errlen)
{
    get_settings(r, &st->settings);
    get_data(r, &st->data);
    int32_t position[6];
    relnas_binary_get(r, position, sizeof(position));
    st->generation = position[0], st->pair = position[1], st->evaluated = position[2];
    st->warmed = position[3], st->rescored = position[4], st->selected = position[5];
    st->seconds = relnas_binary_get_f64(r);
    st->outside_seconds = relnas_binary_get_f64(r);
    relnas_binary_get(r, st->rng.s, sizeof(st->rng.s));
    const char *problem = r->failed ? "truncated header" : check_state(st);
    if (!problem) problem = get_arrays(r, st);
    int64_t sizes[3] = {0};
    if (!problem) relnas_binary_get(r, sizes, sizeof(sizes));
    for (int k = 0; k < 3; ++k) st->log_sizes[k] = (long)sizes[k];
    if (!problem) problem = get_weight_set(r, &st->ws);
    if (!problem && (r->failed || relnas_binary_left(r))) problem = "unexpected length";
    relnas_binary_close(r);
    if (!problem) return 0;
    relnas_search_state_free(st);
    return relnas_errorf(err, errlen, "%s: not a usable search checkpoint: %s", path, problem);
}

int relnas_checkpoint_load(const char *path, relnas_search_state *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof(*st));
    relnas_binary_reader r;
    if (relnas_binary_open(&r, path, magic, VERSION, err, errlen)) return -1;
    return get_state(&r, st, path, err, errlen);
}

int relnas_checkpoint_from_memory(const void *bytes, size_t size, const char *name, relnas_search_state *st,
                                  char *err, size_t errlen)
{
    memset(st, 0, sizeof(*st));
    relnas_binary_reader r;
    if (relnas_binary_open_memory(&r, bytes, size, name, magic, VERSION, err, errlen)) return -1;
    return get_state(&r, st, name, err, errlen);
}
