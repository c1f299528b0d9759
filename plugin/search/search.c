#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "search.h"
#include "search_context.h"
#include "batch_sampler.h"
#include "candidate.h"
#include "checkpoint.h"
#include "genotype_parse.h"
#include "parallel_pairs.h"
#include "progress_time.h"
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
    st->losses = RELNAS_CALLOC((size_t)m, sizeof(double));
    st->accuracies = RELNAS_CALLOC((size_t)m, sizeof(double));
    st->fast_loss = RELNAS_CALLOC((size_t)g * 3, sizeof(double));
    st->slow_loss = st->fast_loss + g;
    st->diversity = st->fast_loss + 2 * g;
    st->final_losses = RELNAS_CALLOC((size_t)m * 4, sizeof(double));
    st->final_accuracies = st->final_losses + m;
    st->select_losses = st->final_losses + 2 * m;
    st->select_accuracies = st->final_losses + 3 * m;
    for (int i = 0; i < 4 * m; ++i) st->final_losses[i] = NAN;
    st->pop = (relnas_population){m, RELNAS_CALLOC((size_t)m, sizeof(*st->pop.x)),
                                  RELNAS_CALLOC((size_t)m, sizeof(*st->pop.v))};
}

void relnas_search_state_free(relnas_search_state *st)
{
    free(st->pairs), free(st->fast), free(st->losses), free(st->accuracies), free(st->fast_loss);
    free(st->final_losses);
    relnas_population_free(&st->pop);
    relnas_weight_set_free(&st->ws);
    memset(st, 0, sizeof(*st));
}

/* The training/validation split: a function of the seed alone, so a resumed search
 * recomputes it. */
static void split(const relnas_search_settings *s, const relnas_image_set *data, int *train, int *ntrain,
                  int *valid, int *nvalid)
{
    relnas_rng rng = relnas_rng_seeded(s->seed);
    relnas_split_indices(data->count, s->train_portion, &rng, train, ntrain, valid, nvalid);
}

int relnas_search_state_init(relnas_search_state *st, const relnas_search_settings *s,
                             const relnas_image_set *data, const char *data_name, char *err, size_t errlen)
{
    memset(st, 0, sizeof(*st));
    if (s->population < 2 || s->population % 2)
        return relnas_errorf(err, errlen, "the population must be even and at least 2, got %d", s->population);
    if (s->generations < 1) return relnas_errorf(err, errlen, "at least one generation, got %d", s->generations);
    if (s->select_batches < 0 || (s->select_batches > 0 && !(s->select_lr > 0)))
        return relnas_errorf(err, errlen, "selection: %d batches at rate %g (want batches >= 0, a rate > 0)",
                             s->select_batches, s->select_lr);
    if (s->bn_batches > 0 && gpu_index >= 0)
        return relnas_errorf(err, errlen, "recomputing BN statistics (--bn-batches) runs on the CPU only for now");
    if (data->w % 4 || data->h % 4)
        return relnas_errorf(err, errlen, "images of %dx%d cannot pass two reductions: sides must be multiples of 4",
                             data->w, data->h);
    int ntrain = (int)lround(data->count * s->train_portion), nvalid = data->count - ntrain;
    if (ntrain < s->batch || nvalid < s->batch)
        return relnas_errorf(err, errlen, "%d training and %d validation images: each part needs a batch (%d)",
                             ntrain, nvalid, s->batch);
    st->settings = *s;
    st->data = (relnas_data_signature){"", data->count, data->w, data->h, data->c, data->classes};
    snprintf(st->data.name, sizeof(st->data.name), "%s", data_name);
    relnas_search_state_alloc(st);
    st->rng = relnas_rng_seeded(s->seed ^ 0x9e3779b97f4a7c15ull); /* a stream apart from the split's */
    relnas_population p = relnas_population_init(s->population, &st->rng);
    memcpy(st->pop.x, p.x, sizeof(*p.x) * (size_t)p.size);
    relnas_population_free(&p);
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

int relnas_search_stopped(const search_context *cx)
{
    return cx->io->stop && *cx->io->stop;
}

static double elapsed(const search_context *cx)
{
    return cx->seconds_before + relnas_now() - cx->start;
}

/* What every rank does after a step that may have failed or stopped on some: -1 if any
 * failed (a rank without a message of its own says so), else 1 if any stopped, else 0. */
int relnas_search_agree(const search_context *cx, int rc, char *err, size_t errlen)
{
    if (cx->ranks.size == 1) return rc;
    int worst = relnas_ranks_max(&cx->ranks, rc < 0 ? 2 : rc);
    if (worst == 2 && rc >= 0) relnas_errorf(err, errlen, "another rank failed (its message is above)");
    return worst == 2 ? -1 : worst;
}

/* Work in training-step equivalents (a forward pass about a third of a step): a candidate,
 * a member's re-score, a member trained alone. */
static double validation_batches(const search_context *cx)
{
    int v = cx->st->settings.valid_batches;
    return v > 0 ? v : cx->nvalid / cx->st->settings.batch;
}

static double candidate_work(const search_context *cx)
{
    const relnas_search_settings *s = &cx->st->settings;
    return s->train_batches + (s->bn_batches + validation_batches(cx)) / 3;
}

/* What is left after the candidates: the re-score and the members to train alone (all of
 * them counted: copies are known only at the end). */
static double final_work(const search_context *cx)
{
    const relnas_search_settings *s = &cx->st->settings;
    double rescore = cx->st->rescored ? 0 : s->population * (s->bn_batches + validation_batches(cx)) / 3;
    double alone = s->select_batches > 0 ? (s->population - cx->st->selected) *
                                               (s->select_batches + validation_batches(cx) / 3) : 0;
    return rescore + alone;
}

/* The remaining time, from this process's pace over the candidates it evaluated (a resumed
 * search may run on another machine): candidates left, then the re-score and selection. */
static double eta(const search_context *cx)
{
    const relnas_search_settings *s = &cx->st->settings;
    int done_here = cx->st->evaluated - cx->evaluated_before;
    int left = s->population * s->generations - cx->st->evaluated;
    double work = left * candidate_work(cx) + final_work(cx);
    if (work == 0) return 0;
    return done_here ? (relnas_now() - cx->pace_start) / (done_here * candidate_work(cx)) * work : -1;
}

/* The warm-up's own remaining time, from this process's warm-up pace. */
static double warm_up_eta(const search_context *cx)
{
    int done_here = cx->st->warmed - cx->warmed_before;
    return (relnas_now() - cx->start) / done_here * (cx->st->settings.population - cx->st->warmed);
}

/* The ETA, or "--" until this run has finished a pair to estimate it from. */
static void print_eta(FILE *out, const search_context *cx)
{
    double seconds = eta(cx);
    if (seconds < 0) fputs("--", out);
    else relnas_print_duration(out, seconds);
}

/* The validation loss and accuracy of a trained candidate: its BN statistics recomputed
 * first if the settings ask, then the same validation batches for every candidate. */
void relnas_search_score(search_context *cx, relnas_candidate *c, relnas_rng *rng, double *loss, double *accuracy)
{
    const relnas_search_settings *s = &cx->st->settings;
    if (s->bn_batches > 0)
        relnas_candidate_recompute_bn(c, cx->data, cx->train, cx->ntrain, s->bn_batches, rng);
    relnas_candidate_validate(c, cx->data, cx->valid, cx->nvalid, s->valid_batches, loss, accuracy);
}

/* m->genotype: member m->index's cell as text (empty if its vector does not decode). */
void relnas_search_name_member(const relnas_search_state *st, search_member *m)
{
    relnas_genotype g;
    char err[256];
    if (relnas_genotype_from_vector(st->pop.x[m->index], &g, err, sizeof(err)) == 0)
        relnas_genotype_format(m->genotype, sizeof(m->genotype), &g);
}

/* Decodes member `index` and builds its network: with the weight set's parameters, or
 * (alone) the stand-alone network with new weights and no drop-path. */
int relnas_search_build_member(search_context *cx, search_member *m, int alone, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    relnas_genotype g;
    if (relnas_genotype_from_vector(st->pop.x[m->index], &g, err, errlen)) return -1;
    relnas_genotype_format(m->genotype, sizeof(m->genotype), &g);
    /* Darknet draws new weights and drop-path masks with rand(): seed it from the search's
     * generator so a resumed search draws the same. */
    srand((unsigned)relnas_rng_next(m->rng));
    if (alone) {
        relnas_net_spec spec = cx->spec;
        spec.drop_path = 0;
        return relnas_candidate_build_alone(&m->c, &g, &spec, err, errlen);
    }
    if (relnas_candidate_build(&m->c, &g, &cx->spec, err, errlen)) return -1;
    relnas_weight_set_load_layered(&st->ws, m->fresh ? m->fresh : &st->ws, m->c.net, m->c.keys);
    return 0;
}

relnas_train_settings relnas_search_train_settings(const search_context *cx, double lr, float progress, int batches)
{
    const relnas_search_settings *s = &cx->st->settings;
    return (relnas_train_settings){.learning_rate = (float)lr, .momentum = (float)s->momentum,
                                   .decay = (float)s->decay, .clip = (float)s->clip, .progress = progress,
                                   .augment = {s->pad, s->flip, s->cutout}, .batches = batches,
                                   .stop = cx->io->stop};
}

/* Builds, loads, trains and scores one population member. Returns 0, 1 when stopped, -1. */
static int evaluate(search_context *cx, search_member *m, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    const relnas_search_settings *s = &st->settings;
    double t0 = relnas_now();
    if (relnas_search_build_member(cx, m, 0, err, errlen)) return -1;
    double t1 = relnas_now();
    int gen = st->generation;
    double lr = relnas_search_learning_rate(s, gen);
    relnas_train_settings ts = relnas_search_train_settings(cx, lr, (float)gen / s->generations, s->train_batches);
    m->train_loss = relnas_candidate_train(&m->c, cx->data, cx->train, cx->ntrain, ts, m->rng);
    if (relnas_search_stopped(cx)) return 1;
    m->valid_loss = NAN, m->valid_accuracy = NAN;
    if (isfinite(m->train_loss)) relnas_search_score(cx, &m->c, m->rng, &m->valid_loss, &m->valid_accuracy);
    m->seconds = relnas_now() - t0;
    st->outside_seconds += t1 - t0;
    return 0;
}

static void log_csv(FILE *csv, const search_member *m, int gen, int pair, const char *role)
{
    fprintf(csv, "%d,%d,%d,%s,%.6f,%.6f,%.6f,%.3f,\"%s\"\n", gen, pair, m->index, role, m->train_loss,
            m->valid_loss, m->valid_accuracy, m->seconds, m->genotype);
}

static void log_json(FILE *jsonl, const search_member *m, int gen, int pair, const char *role)
{
    fprintf(jsonl, "{\"generation\": %d, \"pair\": %d, \"candidate\": %d, \"role\": \"%s\"", gen, pair, m->index, role);
    const char *names[3] = {"train_loss", "valid_loss", "valid_accuracy"};
    double values[3] = {m->train_loss, m->valid_loss, m->valid_accuracy};
    for (int k = 0; k < 3; ++k) /* JSON has no NaN: non-finite values are null */
        if (isfinite(values[k])) fprintf(jsonl, ", \"%s\": %.6f", names[k], values[k]);
        else fprintf(jsonl, ", \"%s\": null", names[k]);
    fprintf(jsonl, ", \"seconds\": %.3f, \"genotype\": \"%s\"}\n", m->seconds, m->genotype);
}

/* A row of log.csv and log.jsonl. */
void relnas_search_log_member(search_context *cx, const search_member *m, int gen, int pair, const char *role)
{
    if (cx->io->logs[1]) log_csv(cx->io->logs[1], m, gen, pair, role);
    if (cx->io->logs[2]) log_json(cx->io->logs[2], m, gen, pair, role);
}

static void report(search_context *cx, const search_member *m, const char *role)
{
    const relnas_search_state *st = cx->st;
    int gen = st->generation, pair = st->pair;
    if (cx->io->progress) {
        fprintf(cx->io->progress, "gen %d/%d pair %d/%d  #%-3d %-4s train loss %7.4f  valid loss %7.4f acc %.3f  "
                "%5.1fs  ETA ", gen + 1, st->settings.generations, pair + 1, st->settings.population / 2, m->index,
                role, m->train_loss, m->valid_loss, m->valid_accuracy, m->seconds);
        print_eta(cx->io->progress, cx);
        fprintf(cx->io->progress, "\n");
    }
    relnas_search_log_member(cx, m, gen, pair, role);
}

/* A non-finite validation loss loses; ties go to the first member. */
static int first_is_fast(const search_member *a, const search_member *b)
{
    if (!isfinite(b->valid_loss)) return 1;
    if (!isfinite(a->valid_loss)) return 0;
    return a->valid_loss <= b->valid_loss;
}

static void write_population(search_context *cx)
{
    const relnas_population *pop = &cx->st->pop;
    if (!cx->io->write_population) return;
    size_t cap = (size_t)pop->size * 1100 + 1, len = 0;
    char *text = RELNAS_CALLOC(cap, 1);
    for (int i = 0; i < pop->size; ++i) {
        relnas_genotype g;
        char err[256];
        if (relnas_genotype_from_vector(pop->x[i], &g, err, sizeof(err))) continue;
        len += relnas_genotype_format(text + len, cap - len, &g);
        text[len++] = '\n';
    }
    cx->io->write_population(cx->st->generation, text, cx->io->ctx);
    free(text);
}

static void begin_generation(search_context *cx)
{
    relnas_search_state *st = cx->st;
    write_population(cx);
    st->diversity[st->generation] = relnas_population_diversity(&st->pop); /* before pairing, as the official code */
    relnas_random_pairing(st->pairs, st->settings.population, &st->rng);
    for (int i = 0; i < st->settings.population; ++i) st->losses[i] = st->accuracies[i] = NAN;
}

/* Trains and scores both members of pair p with random stream rng, from the weight set
 * (new layers into fresh), and merges the fast learner (teacher) and the slow one (student)
 * into `into`. Returns 0, 1 when stopped, -1. */
static int train_pair(search_context *cx, int p, relnas_rng *rng, relnas_weight_set *fresh, relnas_weight_set *into,
                      relnas_pair_result *r, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    search_member m[2];
    memset(m, 0, sizeof(m));
    int rc = 0;
    for (int k = 0; k < 2 && rc == 0; ++k) {
        m[k].index = st->pairs[2 * p + k], m[k].rng = rng, m[k].fresh = fresh;
        rc = evaluate(cx, &m[k], err, errlen);
    }
    if (rc == 0) {
        int f = first_is_fast(&m[0], &m[1]) ? 0 : 1;
        double t0 = relnas_now();
        int student_ok = isfinite(m[1 - f].valid_loss); /* a non-finite student teaches nothing */
        if (isfinite(m[f].valid_loss))
            relnas_weight_set_merge(into, m[f].c.net, m[f].c.keys, student_ok ? m[1 - f].c.net : m[f].c.net,
                                    student_ok ? m[1 - f].c.keys : m[f].c.keys);
        st->outside_seconds += relnas_now() - t0;
        *r = (relnas_pair_result){.index = {m[0].index, m[1].index}, .fast = f};
        for (int k = 0; k < 2; ++k) {
            r->train_loss[k] = m[k].train_loss, r->valid_loss[k] = m[k].valid_loss;
            r->valid_accuracy[k] = m[k].valid_accuracy, r->seconds[k] = m[k].seconds;
        }
    }
    for (int k = 0; k < 2; ++k) relnas_candidate_free(&m[k].c);
    return rc;
}

/* Pair p's figures into the state and the logs (fast learner first). */
static void record_pair(search_context *cx, int p, const relnas_pair_result *r)
{
    relnas_search_state *st = cx->st;
    search_member m[2];
    for (int k = 0; k < 2; ++k) {
        m[k] = (search_member){.index = r->index[k], .train_loss = r->train_loss[k], .valid_loss = r->valid_loss[k],
                               .valid_accuracy = r->valid_accuracy[k], .seconds = r->seconds[k]};
        relnas_search_name_member(st, &m[k]);
        st->losses[m[k].index] = m[k].valid_loss;
        st->accuracies[m[k].index] = m[k].valid_accuracy;
    }
    int pair = st->pair;
    st->pair = p; /* the pair the log lines name */
    report(cx, &m[r->fast], "fast");
    report(cx, &m[1 - r->fast], "slow");
    st->pair = pair;
    st->fast[p] = r->fast;
    st->evaluated += 2;
}

/* The paper's step: the next pair trains from the weight set as the pairs before it left
 * it, and merges into it at once. Returns 0, 1 when stopped, -1. */
static int run_pair(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    relnas_pair_result r;
    int rc = train_pair(cx, st->pair, &st->rng, NULL, &st->ws, &r, err, errlen);
    if (rc == 0) record_pair(cx, st->pair, &r);
    return rc;
}

static void report_exchange(search_context *cx, const relnas_exchange_bytes *b, double seconds)
{
    if (!cx->io->progress) return;
    fprintf(cx->io->progress, "exchange: pairs' writes %zu bytes, changed blocks %zu bytes; moved over %d ranks %zu "
            "bytes (an all-gather of the writes: %zu) in %.3f s, waiting for the slowest rank included\n", b->writes,
            b->changed, cx->ranks.size, b->moved, b->allgather, seconds);
}

/* --parallel-pairs: every pair of the generation trains from the weight set of its start,
 * pair p on rank p mod N with its own random stream; the writes merge in pair order
 * (parallel_pairs.h). Returns 0, 1 when stopped, -1. */
static int run_generation_in_parallel(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int npairs = st->settings.population / 2, rc = 0;
    uint64_t seed = relnas_rng_next(&st->rng);
    relnas_pair_exchange ex;
    relnas_pair_exchange_begin(&ex, &cx->ranks, npairs);
    for (int p = 0; p < npairs && rc == 0; ++p) {
        if (!relnas_runs_task(&cx->ranks, p)) continue;
        relnas_rng rng = relnas_task_rng(seed, p);
        relnas_weight_set fresh = {0}, merged = {0};
        relnas_pair_result r;
        rc = train_pair(cx, p, &rng, &fresh, &merged, &r, err, errlen);
        if (rc == 0) relnas_pair_exchange_add(&ex, p, &r, &fresh, &merged);
        else relnas_pair_exchange_fail(&ex, rc, rc < 0 ? err : "stopped");
        relnas_weight_set_free(&fresh), relnas_weight_set_free(&merged);
    }
    relnas_pair_result *results = RELNAS_CALLOC((size_t)npairs, sizeof(*results));
    relnas_exchange_bytes bytes;
    double t0 = relnas_now();
    rc = relnas_pair_exchange_finish(&ex, &st->ws, results, &bytes, err, errlen);
    double seconds = relnas_now() - t0;
    st->outside_seconds += seconds;
    for (int p = 0; p < npairs && rc == 0; ++p) record_pair(cx, p, &results[p]);
    if (rc == 0) report_exchange(cx, &bytes, seconds);
    free(results);
    return rc;
}

/* Mean of the finite validation losses of the fast (role 0) or slow (role 1) learners. */
static double mean_loss(const relnas_search_state *st, int role)
{
    double sum = 0;
    int n = 0;
    for (int p = 0; p < st->settings.population / 2; ++p) {
        double loss = st->losses[st->pairs[2 * p + (role ? 1 - st->fast[p] : st->fast[p])]];
        if (isfinite(loss)) sum += loss, ++n;
    }
    return n ? sum / n : NAN;
}

/* diversity, the generation's best validation loss, rate, elapsed time and ETA. */
static void report_generation(search_context *cx)
{
    const relnas_search_state *st = cx->st;
    FILE *out = cx->io->progress;
    if (!out) return;
    int best = -1, diverged = 0;
    for (int i = 0; i < st->pop.size; ++i) {
        if (!isfinite(st->losses[i])) ++diverged;
        else if (best < 0 || st->losses[i] < st->losses[best]) best = i;
    }
    fprintf(out, "generation %d/%d done: diversity %.3f (before pairing), best valid loss %.4f (#%d), %d diverged, "
            "learning rate %.4f, elapsed ", st->generation + 1, st->settings.generations, st->diversity[st->generation],
            best >= 0 ? st->losses[best] : NAN, best, diverged, relnas_search_learning_rate(&st->settings, st->generation));
    relnas_print_duration(out, elapsed(cx));
    fprintf(out, ", ETA ");
    print_eta(out, cx);
    fprintf(out, "\n");
}

/* The slow-fast update of every slow learner (not after the last generation: its
 * population is the result), the generation's figures, and on to the next. */
static void end_generation(search_context *cx)
{
    relnas_search_state *st = cx->st;
    int gen = st->generation, npairs = st->settings.population / 2;
    for (int p = 0; p < npairs && gen < st->settings.generations - 1; ++p) {
        int f = st->pairs[2 * p + st->fast[p]], slow = st->pairs[2 * p + 1 - st->fast[p]];
        double r1[RELNAS_DIM], r2[RELNAS_DIM];
        for (int d = 0; d < RELNAS_DIM; ++d) r1[d] = relnas_rng_uniform(&st->rng), r2[d] = relnas_rng_uniform(&st->rng);
        relnas_slow_fast_update(st->pop.x[slow], st->pop.v[slow], st->pop.x[f], r1, r2);
    }
    st->fast_loss[gen] = mean_loss(st, 0);
    st->slow_loss[gen] = mean_loss(st, 1);
    report_generation(cx);
    st->generation++, st->pair = 0;
}

/* Warm-up (settings.warmup_batches): the next member of the initial population trains at
 * lr_max without drop-path and stores all its parameters into the weight set. Returns 0, 1
 * when stopped, -1. */
static int warm_up_member(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    const relnas_search_settings *s = &st->settings;
    search_member m = {.index = st->warmed, .rng = &st->rng};
    double t0 = relnas_now();
    int rc = relnas_search_build_member(cx, &m, 0, err, errlen);
    if (rc == 0) {
        relnas_train_settings ts = relnas_search_train_settings(cx, s->lr_max, 0, s->warmup_batches);
        m.train_loss = relnas_candidate_train(&m.c, cx->data, cx->train, cx->ntrain, ts, &st->rng);
        if (relnas_search_stopped(cx)) rc = 1;
    }
    if (rc == 0) {
        if (isfinite(m.train_loss)) relnas_weight_set_merge(&st->ws, m.c.net, m.c.keys, m.c.net, m.c.keys);
        st->warmed++;
        if (cx->io->progress) {
            fprintf(cx->io->progress, "warm-up %d/%d  #%-3d train loss %7.4f  %5.1fs  warm-up ETA ", st->warmed,
                    s->population, m.index, m.train_loss, relnas_now() - t0);
            relnas_print_duration(cx->io->progress, warm_up_eta(cx));
            fprintf(cx->io->progress, "\n");
        }
    }
    relnas_candidate_free(&m.c);
    return rc;
}

int relnas_search_checkpoint(search_context *cx, char *err, size_t errlen)
{
    const relnas_search_io *io = cx->io;
    double t0 = relnas_now();
    if (io->progress) fflush(io->progress);
    for (int k = 0; k < 3; ++k)
        if (io->logs[k]) fflush(io->logs[k]), cx->st->log_sizes[k] = ftell(io->logs[k]);
    cx->st->seconds = elapsed(cx);
    int rc = io->checkpoint ? relnas_checkpoint_save(io->checkpoint, cx->st, err, errlen) : 0;
    cx->st->outside_seconds += relnas_now() - t0;
    return rc;
}

static int setup(search_context *cx, relnas_search_state *st, const relnas_image_set *data,
                 const relnas_search_io *io, char *err, size_t errlen)
{
    const relnas_search_settings *s = &st->settings;
    memset(cx, 0, sizeof(*cx));
    cx->st = st, cx->data = data, cx->io = io;
    relnas_net_preset("search", &cx->spec);
    cx->spec.C = s->C, cx->spec.cells = s->cells, cx->spec.classes = data->classes;
    cx->spec.width = data->w, cx->spec.height = data->h, cx->spec.channels = data->c;
    cx->spec.batch = s->batch, cx->spec.drop_path = (float)s->drop_path, cx->spec.auxiliary = 0;
    cx->train = RELNAS_CALLOC((size_t)data->count, sizeof(int));
    cx->valid = RELNAS_CALLOC((size_t)data->count, sizeof(int));
    split(s, data, cx->train, &cx->ntrain, cx->valid, &cx->nvalid);
    cx->start = cx->pace_start = relnas_now(), cx->seconds_before = st->seconds;
    cx->evaluated_before = st->evaluated, cx->warmed_before = st->warmed;
    cx->ranks = (relnas_transport_info){0, 1, 0, 1, "single process"};
    return s->parallel_pairs ? relnas_transport_init(&cx->ranks, err, errlen) : 0;
}

int relnas_search_run(relnas_search_state *st, const relnas_image_set *data, const relnas_search_io *io,
                      char *err, size_t errlen)
{
    if (relnas_search_check_data(st, data, err, errlen)) return -1;
    search_context cx;
    int rc = setup(&cx, st, data, io, err, errlen), npairs = st->settings.population / 2;
    if (rc == 0) rc = relnas_search_agree(&cx, relnas_search_checkpoint(&cx, err, errlen), err, errlen);
    /* the warm-up runs the same on every rank; rank 0's result then stands for all */
    int warming = st->generation == 0 && st->pair == 0 && st->warmed < st->settings.population;
    while (rc == 0 && st->generation == 0 && st->pair == 0 && st->warmed < st->settings.population &&
           st->settings.warmup_batches > 0) {
        rc = warm_up_member(&cx, err, errlen);
        if (rc == 0) rc = relnas_search_checkpoint(&cx, err, errlen);
        if (rc == 0 && relnas_search_stopped(&cx)) rc = 1;
        rc = relnas_search_agree(&cx, rc, err, errlen);
    }
    if (rc == 0 && warming && st->settings.warmup_batches > 0) rc = relnas_share_state(&cx.ranks, st, err, errlen);
    cx.pace_start = relnas_now(), cx.evaluated_before = st->evaluated;
    while (rc == 0 && st->generation < st->settings.generations) {
        if (st->pair == 0) begin_generation(&cx);
        if (st->settings.parallel_pairs) rc = run_generation_in_parallel(&cx, err, errlen);
        else rc = run_pair(&cx, err, errlen);
        if (rc) break;
        st->pair = st->settings.parallel_pairs ? npairs : st->pair + 1;
        if (st->pair == npairs) end_generation(&cx);
        rc = relnas_search_checkpoint(&cx, err, errlen);
        if (rc == 0 && relnas_search_stopped(&cx)) rc = 1;
        rc = relnas_search_agree(&cx, rc, err, errlen);
    }
    if (rc == 0 && !st->rescored) {
        rc = relnas_search_rescore(&cx, err, errlen);
        if (rc == 0) {
            st->rescored = 1;
            rc = relnas_search_agree(&cx, relnas_search_checkpoint(&cx, err, errlen), err, errlen);
        }
    }
    if (rc == 0 && st->settings.select_batches > 0 && st->selected < st->settings.population)
        rc = relnas_search_select_alone(&cx, err, errlen);
    st->seconds = elapsed(&cx);
    free(cx.train), free(cx.valid);
    return rc;
}
