/* The algorithm box of RelativeNAS (Tan et al., Algorithm 1), with this project's two
 * additions kept apart: the warm-up before generation 1 and the choice of the result
 * (selection.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "search.h"
#include "parallel_pairs.h"
#include "progress_time.h"
#include "relnas_check.h"
#include "search_log.h"
#include "selection.h"

/* Builds, loads, trains and scores one population member. Returns 0, 1 when stopped, -1. */
static int evaluate(search_context *cx, member_evaluation *e, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    const relnas_search_settings *s = &st->settings;
    double t0 = relnas_now();
    if (search_build_member(cx, e, 0, err, errlen)) return -1;
    double t1 = relnas_now();
    int gen = st->generation;
    double lr = relnas_search_learning_rate(s, gen);
    relnas_train_settings ts = search_train_settings(cx, lr, (float)gen / s->generations, s->train_batches);
    e->figures.train_loss = relnas_candidate_train(&e->c, cx->data, cx->train, cx->ntrain, ts, e->rng);
    if (search_stopped(cx)) return 1;
    if (isfinite(e->figures.train_loss))
        search_score(cx, &e->c, e->rng, &e->figures.valid_loss, &e->figures.valid_accuracy);
    e->figures.seconds = relnas_now() - t0;
    st->outside_seconds += t1 - t0;
    return 0;
}

/* Trains and scores both members of pair p with random stream rng, from the weight set
 * (new layers into fresh), and merges the fast learner (teacher) and the slow one (student)
 * into `into`. Returns 0, 1 when stopped, -1. */
static int train_pair(search_context *cx, int p, relnas_rng *rng, relnas_weight_set *fresh, relnas_weight_set *into,
                      relnas_pair_result *r, char *err, size_t errlen)
{
    member_evaluation e[2];
    memset(e, 0, sizeof(e));
    int rc = 0;
    for (int k = 0; k < 2 && rc == 0; ++k) {
        e[k].figures = relnas_member_unscored(cx->st->pairs[2 * p + k]), e[k].rng = rng, e[k].fresh = fresh;
        rc = evaluate(cx, &e[k], err, errlen);
    }
    if (rc == 0) {
        int f = relnas_member_faster(&e[0].figures, &e[1].figures) ? 0 : 1;
        relnas_candidate *teacher = &e[f].c, *student = &e[1 - f].c;
        if (!isfinite(e[1 - f].figures.valid_loss)) student = teacher; /* a non-finite student teaches nothing */
        double t0 = relnas_now();
        if (isfinite(e[f].figures.valid_loss))
            relnas_weight_set_merge(into, teacher->net, teacher->keys, student->net, student->keys);
        cx->st->outside_seconds += relnas_now() - t0;
        *r = (relnas_pair_result){.member = {e[0].figures, e[1].figures}, .fast = f};
    }
    for (int k = 0; k < 2; ++k) relnas_candidate_free(&e[k].c);
    return rc;
}

/* Pair p's records into the state and the logs (fast learner first). */
static void record_pair(search_context *cx, int p, const relnas_pair_result *r)
{
    relnas_search_state *st = cx->st;
    for (int k = 0; k < 2; ++k) st->in_pair[r->member[k].index] = r->member[k];
    st->evaluated += 2; /* before the report: its ETA's pace divides the time so far by these too */
    search_report_member(cx, &r->member[r->fast], p, "fast");
    search_report_member(cx, &r->member[1 - r->fast], p, "slow");
    st->fast[p] = r->fast;
}

/* The paper's step: the next pair trains from the weight set as the pairs before it left
 * it, and merges into it at once. Returns 0, 1 when stopped, -1. */
static int run_pair(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    relnas_pair_result r;
    int rc = train_pair(cx, st->pair, &st->rng, NULL, &st->ws, &r, err, errlen);
    if (rc == 0) record_pair(cx, st->pair, &r);
    st->pair += rc == 0;
    return rc;
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
    if (rc == 0) search_report_exchange(cx, &bytes, seconds), st->pair = npairs;
    free(results);
    return rc;
}

/* A generation's start: its population written, the diversity, a random pairing. */
static void begin_generation(search_context *cx)
{
    relnas_search_state *st = cx->st;
    search_write_population(cx);
    st->diversity[st->generation] = relnas_population_diversity(&st->pop); /* before pairing, as the official code */
    relnas_random_pairing(st->pairs, st->settings.population, &st->rng);
    for (int i = 0; i < st->settings.population; ++i) st->in_pair[i] = relnas_member_unscored(i);
}

/* Mean of the finite validation losses of the fast (role 0) or slow (role 1) learners. */
static double mean_loss(const relnas_search_state *st, int role)
{
    double sum = 0;
    int n = 0;
    for (int p = 0; p < st->settings.population / 2; ++p) {
        double loss = st->in_pair[st->pairs[2 * p + (role ? 1 - st->fast[p] : st->fast[p])]].valid_loss;
        if (isfinite(loss)) sum += loss, ++n;
    }
    return n ? sum / n : NAN;
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
    relnas_cell_archive_add_population(&st->archive, &st->pop, gen + 1);
    st->fast_loss[gen] = mean_loss(st, 0);
    st->slow_loss[gen] = mean_loss(st, 1);
    search_report_generation(cx);
    st->generation++, st->pair = 0;
}

/* Warm-up (settings.warmup_batches): the next member of the initial population trains at
 * lr_max and stores all its parameters into the weight set. Returns 0, 1 when stopped, -1. */
static int warm_up_member(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    member_evaluation e = {.figures = relnas_member_unscored(st->warmed), .rng = &st->rng};
    double t0 = relnas_now();
    int rc = search_build_member(cx, &e, 0, err, errlen);
    if (rc == 0) {
        relnas_train_settings ts = search_train_settings(cx, st->settings.lr_max, 0, st->settings.warmup_batches);
        e.figures.train_loss = relnas_candidate_train(&e.c, cx->data, cx->train, cx->ntrain, ts, &st->rng);
        if (search_stopped(cx)) rc = 1;
    }
    if (rc == 0) {
        if (isfinite(e.figures.train_loss)) relnas_weight_set_merge(&st->ws, e.c.net, e.c.keys, e.c.net, e.c.keys);
        st->warmed++;
        e.figures.seconds = relnas_now() - t0;
        search_report_warm_up(cx, &e.figures);
    }
    relnas_candidate_free(&e.c);
    return rc;
}

/* Before generation 1: the warm-up, run the same on every rank; rank 0's result then
 * stands for all. Returns 0, 1 when stopped, -1. */
static int warm_up(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int warming = st->generation == 0 && st->pair == 0 && st->warmed < st->settings.population &&
                  st->settings.warmup_batches > 0, rc = 0;
    while (rc == 0 && warming && st->warmed < st->settings.population)
        rc = search_step_done(cx, warm_up_member(cx, err, errlen), err, errlen);
    if (rc == 0 && warming) rc = relnas_share_state(&cx->ranks, st, err, errlen);
    return rc;
}

/* settings.time_budget: whether the next generation and the result's choice after it would
 * end past the budget at this run's pace; every rank goes by the slowest's view. */
static int budget_spent(search_context *cx)
{
    const relnas_search_state *st = cx->st;
    double pace = search_pace(cx);
    int spent = st->settings.time_budget > 0 && st->generation > 0 && pace >= 0 &&
                search_elapsed(cx) + pace * (search_generation_work(cx) + search_final_work(cx)) > st->settings.time_budget;
    return cx->ranks.size > 1 ? relnas_ranks_max(&cx->ranks, spent) : spent;
}

/* The generations run so far become the search's: the result is chosen from this population. */
static void end_by_budget(search_context *cx)
{
    relnas_search_state *st = cx->st;
    st->generations_asked = st->settings.generations;
    st->settings.generations = st->generation;
    search_report_budget(cx);
}

/* Algorithm 1: each generation pairs the population at random; each pair trains, the fast
 * learner teaches the weight set and the slow learners move towards the fast ones. A
 * checkpoint after every pair (every generation in parallel mode). */
static int run_generations(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int rc = 0, npairs = st->settings.population / 2;
    cx->pace_start = relnas_now(), cx->evaluated_before = st->evaluated;
    while (rc == 0 && st->generation < st->settings.generations) {
        if (st->pair == 0 && budget_spent(cx)) {
            end_by_budget(cx);
            rc = search_step_done(cx, 0, err, errlen);
            break;
        }
        if (st->pair == 0) begin_generation(cx);
        rc = st->settings.parallel_pairs ? run_generation_in_parallel(cx, err, errlen) : run_pair(cx, err, errlen);
        if (rc == 0 && st->pair == npairs) end_generation(cx);
        rc = search_step_done(cx, rc, err, errlen);
    }
    return rc;
}

/* After the generations: the last one re-scored on the final weight set, and with
 * settings.select_batches the selection over cells trained alone (selection.h). Returns 0,
 * 1 when stopped, -1. */
static int choose_result(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int rc = 0;
    if (!st->rescored) {
        rc = search_rescore(cx, err, errlen);
        if (rc == 0) st->rescored = 1, rc = search_agree(cx, search_checkpoint(cx, err, errlen), err, errlen);
    }
    if (rc == 0 && st->settings.select_batches > 0) rc = search_select_alone(cx, err, errlen);
    return rc;
}

int relnas_search_run(relnas_search_state *st, const relnas_image_set *data, const relnas_search_io *io,
                      char *err, size_t errlen)
{
    if (relnas_search_check_data(st, data, err, errlen)) return -1;
    search_context cx;
    int rc = search_context_init(&cx, st, data, io, err, errlen);
    if (rc == 0) rc = search_agree(&cx, search_checkpoint(&cx, err, errlen), err, errlen);
    if (rc == 0) rc = warm_up(&cx, err, errlen);
    if (rc == 0) rc = run_generations(&cx, err, errlen);
    if (rc == 0) rc = choose_result(&cx, err, errlen);
    st->seconds = search_elapsed(&cx);
    search_context_free(&cx);
    return rc;
}
