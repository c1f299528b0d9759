#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "selection.h"
#include "parallel_pairs.h"
#include "progress_time.h"
#include "relnas_check.h"
#include "search_log.h"
#include "selection_rounds.h"

/* Member e->figures.index scored on the weight set as it stands. Returns 0 or -1. */
static int rescore_member(search_context *cx, member_evaluation *e, char *err, size_t errlen)
{
    double t0 = relnas_now();
    int rc = search_build_member(cx, e, 0, err, errlen);
    cx->st->outside_seconds += relnas_now() - t0;
    if (rc == 0) search_score(cx, &e->c, e->rng, &e->figures.valid_loss, &e->figures.valid_accuracy);
    e->figures.seconds = relnas_now() - t0;
    relnas_candidate_free(&e->c);
    return rc;
}

int search_rescore(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int n = st->settings.population, parallel = st->settings.parallel_pairs, rc = 0;
    uint64_t seed = parallel ? relnas_rng_next(&st->rng) : 0;
    relnas_member *final = RELNAS_CALLOC((size_t)n, sizeof(*final));
    if (cx->io->progress) fprintf(cx->io->progress, "re-scoring the last generation on the final weight set\n");
    for (int i = 0; i < n; ++i) final[i] = relnas_member_unscored(i);
    for (int i = 0; i < n && rc == 0; ++i) {
        if (parallel && !relnas_runs_task(&cx->ranks, i)) continue;
        if (search_stopped(cx)) rc = 1;
        relnas_rng rng = relnas_task_rng(seed, i);
        member_evaluation e = {.figures = final[i], .rng = parallel ? &rng : &st->rng};
        if (rc == 0) rc = rescore_member(cx, &e, err, errlen);
        final[i] = e.figures;
    }
    if (parallel && (rc = search_agree(cx, rc, err, errlen)) == 0) relnas_share_members(&cx->ranks, final, n);
    for (int i = 0; i < n && rc == 0; ++i) {
        st->final[i] = final[i];
        search_report_final(cx, &final[i]);
    }
    free(final);
    return rc;
}

/* Archive cell m->index trained alone for the round's batches and scored into *m (train_loss:
 * the mean training loss). Returns 0, 1 when stopped, -1. */
static int train_alone(search_context *cx, relnas_member *m, int round, relnas_rng *rng, char *err, size_t errlen)
{
    const relnas_search_settings *s = &cx->st->settings;
    double t0 = relnas_now();
    member_evaluation e = {.figures = *m, .rng = rng, .x = cx->st->archive.x[m->index]};
    if (search_build_member(cx, &e, 1, err, errlen)) return -1;
    cx->st->outside_seconds += relnas_now() - t0; /* building is outside forward/backward/update */
    relnas_train_settings ts = search_train_settings(cx, s->select_lr, 0, relnas_selection_batches(s, round));
    ts.anneal = 1, ts.augment.cutout = s->select_cutout;
    m->train_loss = relnas_candidate_train(&e.c, cx->data, cx->train, cx->ntrain, ts, rng);
    int rc = search_stopped(cx);
    m->valid_loss = m->valid_accuracy = NAN;
    if (rc == 0 && isfinite(m->train_loss))
        relnas_candidate_validate(&e.c, cx->data, cx->valid, cx->nvalid,
                                  relnas_selection_valid_batches(s, cx->nvalid, round), &m->valid_loss,
                                  &m->valid_accuracy);
    m->seconds = relnas_now() - t0;
    relnas_candidate_free(&e.c);
    return rc;
}

static relnas_member *round_record(relnas_search_state *st, int round, int cell)
{
    return &st->alone[(size_t)round * st->archive.count + cell];
}

/* Sequential mode: the round's cells from st->selected on, one at a time, each followed by
 * a checkpoint. Returns 0, 1 when stopped, -1. */
static int round_in_turn(search_context *cx, const int *cells, int n, selection_pace *pace, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int rc = 0;
    while (rc == 0 && st->selected < n) {
        relnas_member m = relnas_member_unscored(cells[st->selected]);
        if ((rc = train_alone(cx, &m, st->select_round, &st->rng, err, errlen)) != 0) break;
        *round_record(st, st->select_round, m.index) = m;
        st->selected++;
        search_report_alone(cx, &m, pace);
        rc = search_step_done(cx, 0, err, errlen);
    }
    return rc;
}

/* Parallel mode: the round's cell t on rank t mod N with its own random stream, the records
 * shared at the end and one checkpoint. Returns 0, 1 when stopped, -1. */
static int round_over_ranks(search_context *cx, const int *cells, int n, selection_pace *pace, char *err,
                            size_t errlen)
{
    relnas_search_state *st = cx->st;
    int rc = 0;
    uint64_t seed = relnas_rng_next(&st->rng);
    relnas_member *trained = RELNAS_CALLOC((size_t)n, sizeof(*trained));
    for (int t = 0; t < n; ++t) trained[t] = relnas_member_unscored(cells[t]);
    for (int t = 0; t < n && rc == 0; ++t) {
        if (!relnas_runs_task(&cx->ranks, t)) continue;
        relnas_rng rng = relnas_task_rng(seed, t);
        rc = train_alone(cx, &trained[t], st->select_round, &rng, err, errlen);
    }
    if ((rc = search_agree(cx, rc, err, errlen)) == 0) {
        relnas_share_members(&cx->ranks, trained, n);
        for (int t = 0; t < n; ++t) {
            *round_record(st, st->select_round, cells[t]) = trained[t];
            st->selected = t + 1;
            search_report_alone(cx, &trained[t], pace);
        }
        rc = search_agree(cx, search_checkpoint(cx, err, errlen), err, errlen);
    }
    free(trained);
    return rc;
}

int search_select_alone(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    if (!st->alone) relnas_search_state_alloc_selection(st);
    int rounds = relnas_selection_rounds(st), rc = 0;
    int *cells = relnas_selection_alloc_cells(st);
    selection_pace pace = {.since = relnas_now()};
    if (st->select_round == 0 && st->selected == 0) search_report_selection_plan(cx, rounds);
    while (rc == 0 && st->select_round < rounds) {
        int n = relnas_selection_cells(st, st->select_round, cells);
        if (st->settings.parallel_pairs) rc = round_over_ranks(cx, cells, n, &pace, err, errlen);
        else rc = round_in_turn(cx, cells, n, &pace, err, errlen);
        if (rc == 0) st->select_round++, st->selected = 0;
    }
    free(cells);
    return rc;
}

int relnas_search_result(const relnas_search_state *st, relnas_search_choice *c)
{
    memset(c, 0, sizeof(*c));
    c->member = c->cell = c->round = -1;
    if (st->settings.select_batches > 0) {
        int *cells = relnas_selection_alloc_cells(st);
        int last = relnas_selection_rounds(st) - 1, n = relnas_selection_cells(st, last, cells);
        const relnas_member *best = &st->alone[(size_t)last * st->archive.count + cells[0]];
        for (int i = 1; i < n; ++i) {
            const relnas_member *m = &st->alone[(size_t)last * st->archive.count + cells[i]];
            if (relnas_selection_ranks_above(m, best)) best = m;
        }
        free(cells);
        if (!isfinite(best->valid_accuracy)) return -1;
        c->cell = best->index, c->round = last, c->figures = best, c->x = st->archive.x[best->index];
        return 0;
    }
    for (int i = 0; i < st->settings.population; ++i) {
        double loss = st->final[i].valid_loss;
        if (isfinite(loss) && (c->member < 0 || loss < st->final[c->member].valid_loss)) c->member = i;
    }
    if (c->member < 0) return -1;
    c->figures = &st->final[c->member], c->x = st->pop.x[c->member];
    return 0;
}
