#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "checkpoint.h"
#include "member.h"
#include "binary_file.h"
#include "relnas_check.h"
#include "relnas_error.h"

static const char magic[8] = {'R', 'N', 'A', 'S', 'C', 'K', 'P', 'T'};
/* Version 5: the settings by name (search_settings.h), every member's figures as member
 * records, the cell archive and the selection's rounds. A checkpoint of version 4 or before is
 * refused by relnas_binary_open, naming both versions. The format: docs/design.md, "The
 * checkpoint". */
enum { VERSION = 5, MAX_BLOCKS = 10000000, MAX_CELLS = 100000000 };

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

/* The archive's cells, then whether the selection has begun and its records. */
static void put_archive(relnas_binary_writer *w, const relnas_search_state *st)
{
    const relnas_cell_archive *a = &st->archive;
    relnas_binary_put_i32(w, a->count);
    relnas_binary_put(w, a->x, sizeof(*a->x) * (size_t)a->count);
    for (int k = 0; k < a->count; ++k) relnas_binary_put_i32(w, a->born[k]);
    relnas_binary_put_i32(w, st->alone != NULL);
    for (int i = 0; st->alone && i < st->settings.select_rounds * a->count; ++i) relnas_member_put(w, &st->alone[i]);
}

static void put_state(relnas_binary_writer *w, const relnas_search_state *st)
{
    int m = st->settings.population, g = st->settings.generations;
    relnas_search_settings_put(w, &st->settings);
    put_data(w, &st->data);
    int32_t position[8] = {st->generation, st->pair, st->evaluated, st->warmed, st->rescored, st->select_round,
                           st->selected, st->generations_asked};
    relnas_binary_put(w, position, sizeof(position));
    relnas_binary_put_f64(w, st->seconds);
    relnas_binary_put_f64(w, st->outside_seconds);
    relnas_binary_put(w, st->rng.s, sizeof(st->rng.s));
    relnas_binary_put(w, st->pop.x, sizeof(*st->pop.x) * (size_t)m);
    relnas_binary_put(w, st->pop.v, sizeof(*st->pop.v) * (size_t)m);
    relnas_binary_put(w, st->pairs, sizeof(int) * (size_t)m);
    relnas_binary_put(w, st->fast, sizeof(int) * (size_t)(m / 2));
    for (int i = 0; i < 2 * m; ++i) relnas_member_put(w, &st->in_pair[i]);
    relnas_binary_put(w, st->fast_loss, sizeof(double) * (size_t)g);
    relnas_binary_put(w, st->slow_loss, sizeof(double) * (size_t)g);
    relnas_binary_put(w, st->diversity, sizeof(double) * (size_t)g);
    put_archive(w, st);
    int64_t sizes[3] = {st->log_sizes[0], st->log_sizes[1], st->log_sizes[2]};
    relnas_binary_put(w, sizes, sizeof(sizes));
    relnas_binary_put_i32(w, st->ws.count);
    for (int i = 0; i < st->ws.count; ++i) relnas_weight_set_put_block(w, &st->ws.blocks[i]);
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

/* The position and data signature a loaded state must have to be run (its settings were
 * checked as they were read); NULL if fine. */
static const char *check_state(const relnas_search_state *st)
{
    const relnas_search_settings *s = &st->settings;
    if (st->data.count < 1 || st->data.w < 1 || st->data.h < 1 || st->data.c < 1 || st->data.classes < 1)
        return "bad data signature";
    if (st->generation < 0 || st->generation > s->generations || st->pair < 0 || st->pair >= s->population / 2 ||
        (st->generation == s->generations && st->pair) || st->warmed < 0 || st->warmed > s->population ||
        (st->rescored != 0 && st->rescored != 1) || (st->rescored && st->generation < s->generations) ||
        st->select_round < 0 || st->select_round > s->select_rounds || st->selected < 0 ||
        ((st->select_round || st->selected) && !st->rescored) ||
        (st->generations_asked && (st->generations_asked <= s->generations || st->generation != s->generations)))
        return "position outside the search";
    return NULL;
}

static int in_bounds(const double *x)
{
    for (int d = 0; d < RELNAS_DIM; ++d) {
        double lo, hi;
        relnas_vector_bounds(d, &lo, &hi);
        if (!(x[d] >= lo && x[d] <= hi)) return 0;
    }
    return 1;
}

/* The arrays of a state whose scalars passed check_state; NULL if fine. */
static const char *get_arrays(relnas_binary_reader *r, relnas_search_state *st)
{
    int m = st->settings.population, g = st->settings.generations;
    size_t need = (size_t)m * (2 * sizeof(*st->pop.x) + 2 * sizeof(int) + 2 * RELNAS_MEMBER_BYTES) +
                  3 * sizeof(double) * (size_t)g;
    if (need > relnas_binary_left(r)) return "truncated population";
    relnas_search_state_alloc(st);
    relnas_binary_get(r, st->pop.x, sizeof(*st->pop.x) * (size_t)m);
    relnas_binary_get(r, st->pop.v, sizeof(*st->pop.v) * (size_t)m);
    relnas_binary_get(r, st->pairs, sizeof(int) * (size_t)m);
    relnas_binary_get(r, st->fast, sizeof(int) * (size_t)(m / 2));
    for (int i = 0; i < 2 * m; ++i) relnas_member_get(r, &st->in_pair[i]);
    relnas_binary_get(r, st->fast_loss, sizeof(double) * (size_t)g);
    relnas_binary_get(r, st->slow_loss, sizeof(double) * (size_t)g);
    relnas_binary_get(r, st->diversity, sizeof(double) * (size_t)g);
    for (int i = 0; i < 2 * m; ++i)
        if (st->in_pair[i].index != i % m) return "a member record out of place";
    for (int i = 0; i < m; ++i) {
        if (st->pairs[i] < 0 || st->pairs[i] >= m) return "a pairing names a member outside the population";
        if (!in_bounds(st->pop.x[i])) return "a vector outside its bounds";
    }
    for (int p = 0; p < m / 2; ++p)
        if (st->fast[p] != 0 && st->fast[p] != 1) return "a fast-learner mark other than 0 or 1";
    return NULL;
}

/* The selection's records of a state whose archive is read; NULL if fine. */
static const char *get_selection(relnas_binary_reader *r, relnas_search_state *st)
{
    int32_t begun = relnas_binary_get_i32(r);
    const relnas_cell_archive *a = &st->archive;
    if (r->failed || (begun != 0 && begun != 1)) return "bad selection mark";
    if (!begun) return st->select_round || st->selected ? "a selection position without its records" : NULL;
    if (!st->rescored || st->settings.select_batches <= 0) return "selection records before the selection";
    if ((size_t)st->settings.select_rounds * a->count * RELNAS_MEMBER_BYTES > relnas_binary_left(r))
        return "truncated selection";
    relnas_search_state_alloc_selection(st);
    for (int i = 0; i < st->settings.select_rounds * a->count; ++i) {
        relnas_member_get(r, &st->alone[i]);
        if (st->alone[i].index != i % a->count) return "a selection record out of place";
    }
    return st->selected > a->count ? "a selection position outside the archive" : NULL;
}

/* The archive and the selection; NULL if fine. */
static const char *get_archive(relnas_binary_reader *r, relnas_search_state *st)
{
    int32_t count = relnas_binary_get_i32(r);
    if (r->failed || count < 1 || count > MAX_CELLS) return "bad cell archive size";
    if ((size_t)count * (sizeof(*st->archive.x) + 4) > relnas_binary_left(r)) return "truncated cell archive";
    double x[RELNAS_DIM];
    const char *problem = NULL;
    for (int k = 0; k < count && !problem; ++k) {
        relnas_binary_get(r, x, sizeof(x));
        if (!in_bounds(x)) problem = "an archive cell outside the bounds";
        else if (relnas_cell_archive_add(&st->archive, x, 0) != k) problem = "an archive cell held twice";
    }
    for (int k = 0; k < count && !problem; ++k) {
        st->archive.born[k] = relnas_binary_get_i32(r);
        if (st->archive.born[k] < 0 || st->archive.born[k] > st->settings.generations)
            problem = "a cell born outside the generations";
    }
    return problem ? problem : get_selection(r, st);
}

static const char *get_weight_set(relnas_binary_reader *r, relnas_weight_set *ws)
{
    int32_t count = relnas_binary_get_i32(r);
    if (r->failed || count < 0 || count > MAX_BLOCKS) return "bad weight-set size";
    ws->blocks = RELNAS_CALLOC((size_t)count, sizeof(*ws->blocks));
    ws->capacity = count;
    for (int i = 0; i < count; ++i) {
        const char *problem = relnas_weight_set_get_block(r, &ws->blocks[i]);
        if (problem) return problem;
        ws->count = i + 1;
    }
    return NULL;
}

/* The state r holds, from its settings on; closes r. */
static int get_state(relnas_binary_reader *r, relnas_search_state *st, const char *path, char *err, size_t errlen)
{
    char problem_text[300];
    if (relnas_search_settings_get(r, &st->settings, problem_text, sizeof(problem_text)) ||
        relnas_search_settings_check(&st->settings, problem_text, sizeof(problem_text))) {
        relnas_binary_close(r);
        memset(st, 0, sizeof(*st));
        return relnas_errorf(err, errlen, "%s: not a usable search checkpoint: %s", path, problem_text);
    }
    get_data(r, &st->data);
    int32_t position[8];
    relnas_binary_get(r, position, sizeof(position));
    st->generation = position[0], st->pair = position[1], st->evaluated = position[2];
    st->warmed = position[3], st->rescored = position[4], st->select_round = position[5];
    st->selected = position[6], st->generations_asked = position[7];
    st->seconds = relnas_binary_get_f64(r);
    st->outside_seconds = relnas_binary_get_f64(r);
    relnas_binary_get(r, st->rng.s, sizeof(st->rng.s));
    const char *problem = r->failed ? "truncated header" : check_state(st);
    if (!problem) problem = get_arrays(r, st);
    if (!problem) problem = get_archive(r, st);
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
