#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "selection.h"
#include "parallel_pairs.h"
#include "progress_time.h"
#include "relnas_check.h"
#include "search_log.h"

/* Member e->figures.index scored on the weight set as it stands. Returns 0 or -1. */
static int rescore_member(search_context *cx, member_evaluation *e, char *err, size_t errlen)
{
    double t0 = relnas_now();
    int rc = search_build_member(cx, e, 0, err, errlen);
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

/* The first member before i with the same cell as i, or -1: a cell is trained alone once. */
static int earlier_copy(const relnas_search_state *st, int i)
{
    for (int j = 0; j < i; ++j)
        if (memcmp(st->pop.x[j], st->pop.x[i], sizeof(*st->pop.x)) == 0) return j;
    return -1;
}

/* Member m->index trained alone and scored into *m (train_loss: the mean training loss).
 * Returns 0, 1 when stopped, -1. */
static int train_alone(search_context *cx, relnas_member *m, relnas_rng *rng, char *err, size_t errlen)
{
    const relnas_search_settings *s = &cx->st->settings;
    double t0 = relnas_now();
    member_evaluation e = {.figures = *m, .rng = rng};
    if (search_build_member(cx, &e, 1, err, errlen)) return -1;
    relnas_train_settings ts = search_train_settings(cx, s->select_lr, 0, s->select_batches);
    ts.anneal = 1, ts.augment.cutout = s->select_cutout;
    m->train_loss = relnas_candidate_train(&e.c, cx->data, cx->train, cx->ntrain, ts, rng);
    int rc = search_stopped(cx);
    m->valid_loss = m->valid_accuracy = NAN;
    if (rc == 0 && isfinite(m->train_loss))
        relnas_candidate_validate(&e.c, cx->data, cx->valid, cx->nvalid, s->valid_batches, &m->valid_loss,
                                  &m->valid_accuracy);
    m->seconds = relnas_now() - t0;
    relnas_candidate_free(&e.c);
    return rc;
}

/* A copy's record: its original's validation figures; it trained nothing. */
static relnas_member copy_figures(const relnas_member *original, int index)
{
    relnas_member m = relnas_member_unscored(index);
    m.valid_loss = original->valid_loss, m.valid_accuracy = original->valid_accuracy;
    return m;
}

/* Sequential mode: the members from st->selected on, one at a time, each followed by a
 * checkpoint. Returns 0, 1 when stopped, -1. */
static int select_in_turn(search_context *cx, double since, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int n = st->settings.population, rc = 0, trained_here = 0;
    while (rc == 0 && st->selected < n) {
        int i = st->selected, of = earlier_copy(st, i);
        relnas_member m = relnas_member_unscored(i);
        if (of >= 0) m = copy_figures(&st->alone[of], i);
        else if ((rc = train_alone(cx, &m, &st->rng, err, errlen)) != 0) break;
        else ++trained_here;
        st->alone[i] = m;
        search_report_alone(cx, &m, of, trained_here, since);
        st->selected++;
        rc = search_step_done(cx, 0, err, errlen);
    }
    return rc;
}

/* Parallel mode: member i on rank i mod N with its own random stream, the records shared at
 * the end. Returns 0, 1 when stopped, -1. */
static int select_over_ranks(search_context *cx, double since, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int n = st->settings.population, rc = 0, trained_here = 0;
    uint64_t seed = relnas_rng_next(&st->rng);
    relnas_member *alone = RELNAS_CALLOC((size_t)n, sizeof(*alone));
    for (int i = 0; i < n; ++i) alone[i] = relnas_member_unscored(i);
    for (int i = 0; i < n && rc == 0; ++i) {
        if (earlier_copy(st, i) >= 0 || !relnas_runs_task(&cx->ranks, i)) continue;
        relnas_rng rng = relnas_task_rng(seed, i);
        rc = train_alone(cx, &alone[i], &rng, err, errlen);
        trained_here += rc == 0;
    }
    if ((rc = search_agree(cx, rc, err, errlen)) == 0) {
        relnas_share_members(&cx->ranks, alone, n);
        for (int i = 0; i < n; ++i) {
            int of = earlier_copy(st, i);
            st->alone[i] = of >= 0 ? copy_figures(&alone[of], i) : alone[i];
            search_report_alone(cx, &st->alone[i], of, trained_here, since);
        }
        st->selected = n;
        rc = search_agree(cx, search_checkpoint(cx, err, errlen), err, errlen);
    }
    free(alone);
    return rc;
}

int search_select_alone(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    double since = relnas_now();
    if (cx->io->progress && st->selected == 0)
        fprintf(cx->io->progress, "training each distinct cell of the last generation alone: %d batches, rate %g "
                "annealed to 0, scored on the validation batches\n", st->settings.select_batches,
                st->settings.select_lr);
    if (st->settings.parallel_pairs) return select_over_ranks(cx, since, err, errlen);
    return select_in_turn(cx, since, err, errlen);
}

/* The most accurate member trained alone; ties: the lower loss, then the lower index. */
static int best_alone(const relnas_search_state *st)
{
    int best = -1;
    for (int i = 0; i < st->settings.population; ++i) {
        const relnas_member *m = &st->alone[i];
        if (!isfinite(m->valid_accuracy)) continue; /* diverged; an infinite loss with an accuracy still ranks */
        if (best < 0 || m->valid_accuracy > st->alone[best].valid_accuracy ||
            (m->valid_accuracy == st->alone[best].valid_accuracy && m->valid_loss < st->alone[best].valid_loss))
            best = i;
    }
    return best;
}

int relnas_search_best(const relnas_search_state *st)
{
    if (st->settings.select_batches > 0) return best_alone(st);
    int best = -1;
    for (int i = 0; i < st->settings.population; ++i) {
        double loss = st->final[i].valid_loss;
        if (isfinite(loss) && (best < 0 || loss < st->final[best].valid_loss)) best = i;
    }
    return best;
}
