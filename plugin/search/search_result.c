/* The search's result: the last generation re-scored on the final weight set and, with
 * settings.select_batches, its distinct cells trained alone; the member the result names. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "progress_time.h"
#include "relnas_check.h"
#include "search_context.h"

/* Every member of the last generation scored again on the final weight set (no training),
 * on the same validation batches: the figures the result is chosen by; in parallel mode
 * member i on rank i mod N with its own random stream. Logged with the loss each had in its
 * pair. Returns 0, 1 when stopped, -1. */
int relnas_search_rescore(search_context *cx, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int n = st->settings.population, parallel = st->settings.parallel_pairs, rc = 0;
    uint64_t seed = parallel ? relnas_rng_next(&st->rng) : 0;
    double *figures = RELNAS_CALLOC((size_t)n * 3, sizeof(double)); /* loss, accuracy, seconds */
    if (cx->io->progress)
        fprintf(cx->io->progress, "re-scoring the last generation on the final weight set\n");
    for (int i = 0; i < n && rc == 0; ++i) {
        if (parallel && !relnas_runs_task(&cx->ranks, i)) continue;
        if (relnas_search_stopped(cx)) rc = 1;
        relnas_rng rng = relnas_task_rng(seed, i);
        search_member m = {.index = i, .rng = parallel ? &rng : &st->rng};
        double t0 = relnas_now();
        if (rc == 0 && relnas_search_build_member(cx, &m, 0, err, errlen)) rc = -1;
        if (rc == 0) relnas_search_score(cx, &m.c, m.rng, &figures[3 * i], &figures[3 * i + 1]);
        figures[3 * i + 2] = relnas_now() - t0;
        relnas_candidate_free(&m.c);
    }
    if (parallel && (rc = relnas_search_agree(cx, rc, err, errlen)) == 0)
        relnas_share_figures(&cx->ranks, figures, n, 3);
    for (int i = 0; i < n && rc == 0; ++i) {
        search_member m = {.index = i, .train_loss = NAN, .valid_loss = figures[3 * i],
                           .valid_accuracy = figures[3 * i + 1], .seconds = figures[3 * i + 2]};
        relnas_search_name_member(st, &m);
        st->final_losses[i] = m.valid_loss, st->final_accuracies[i] = m.valid_accuracy;
        if (cx->io->progress)
            fprintf(cx->io->progress, "final #%-3d valid loss in its pair %7.4f acc %.3f, on the final weight set "
                    "%7.4f acc %.3f\n", i, st->losses[i], st->accuracies[i], m.valid_loss, m.valid_accuracy);
        relnas_search_log_member(cx, &m, st->settings.generations - 1, -1, "final");
    }
    free(figures);
    return rc;
}

/* The first member before i with the same cell as i, or -1: a cell is trained alone once. */
static int earlier_copy(const relnas_search_state *st, int i)
{
    for (int j = 0; j < i; ++j)
        if (memcmp(st->pop.x[j], st->pop.x[i], sizeof(*st->pop.x)) == 0) return j;
    return -1;
}

/* Member i trained alone (settings.select_batches) and scored: figures[0..3] = validation
 * loss, accuracy, seconds, mean training loss. Returns 0, 1 when stopped, -1. */
static int select_member(search_context *cx, int i, relnas_rng *rng, double *figures, char *err, size_t errlen)
{
    const relnas_search_settings *s = &cx->st->settings;
    double t0 = relnas_now();
    search_member m = {.index = i, .rng = rng};
    if (relnas_search_build_member(cx, &m, 1, err, errlen)) return -1;
    relnas_train_settings ts = relnas_search_train_settings(cx, s->select_lr, 0, s->select_batches);
    ts.anneal = 1, ts.augment.cutout = s->select_cutout;
    figures[3] = relnas_candidate_train(&m.c, cx->data, cx->train, cx->ntrain, ts, rng);
    int rc = relnas_search_stopped(cx);
    figures[0] = figures[1] = NAN;
    if (rc == 0 && isfinite(figures[3]))
        relnas_candidate_validate(&m.c, cx->data, cx->valid, cx->nvalid, s->valid_batches, &figures[0], &figures[1]);
    figures[2] = relnas_now() - t0;
    relnas_candidate_free(&m.c);
    return rc;
}

/* The selection's ETA, from this process's pace over the members it trained. */
static void print_select_eta(FILE *out, const search_context *cx, int trained_here, int left, double since)
{
    if (!trained_here) fputs("--", out);
    else relnas_print_duration(out, (relnas_now() - since) / trained_here * left);
}

/* Member i's selection figures into the state and the logs (a copy takes its original's). */
static void record_selection(search_context *cx, int i, const double *figures, int copy_of)
{
    relnas_search_state *st = cx->st;
    st->select_losses[i] = figures[0], st->select_accuracies[i] = figures[1];
    search_member m = {.index = i, .train_loss = figures[3], .valid_loss = figures[0], .valid_accuracy = figures[1],
                       .seconds = copy_of >= 0 ? 0 : figures[2]};
    relnas_search_name_member(st, &m);
    relnas_search_log_member(cx, &m, st->settings.generations - 1, -1, "alone");
}

static void report_selection(search_context *cx, int i, int copy_of, int trained_here, double since)
{
    const relnas_search_state *st = cx->st;
    FILE *out = cx->io->progress;
    if (!out) return;
    int n = st->settings.population, left = 0;
    for (int j = i + 1; j < n; ++j) left += earlier_copy(st, j) < 0;
    fprintf(out, "alone %d/%d  #%-3d valid loss %7.4f acc %.3f", i + 1, n, i, st->select_losses[i],
            st->select_accuracies[i]);
    if (copy_of >= 0) fprintf(out, "  (the cell of #%d)", copy_of);
    fprintf(out, "  ETA ");
    print_select_eta(out, cx, trained_here, left, since);
    fprintf(out, "\n");
}

/* Sequential mode: the members from st->selected on, one at a time, each followed by a
 * checkpoint; a copy of an earlier cell takes its figures. Returns 0, 1 when stopped, -1. */
static int select_in_turn(search_context *cx, double since, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int n = st->settings.population, rc = 0, trained_here = 0;
    while (rc == 0 && st->selected < n) {
        int i = st->selected, of = earlier_copy(st, i);
        double figures[4] = {NAN, NAN, 0, NAN};
        if (of >= 0) figures[0] = st->select_losses[of], figures[1] = st->select_accuracies[of];
        else if ((rc = select_member(cx, i, &st->rng, figures, err, errlen)) != 0) break;
        else ++trained_here;
        record_selection(cx, i, figures, of);
        report_selection(cx, i, of, trained_here, since);
        st->selected++;
        rc = relnas_search_checkpoint(cx, err, errlen);
        if (rc == 0 && relnas_search_stopped(cx)) rc = 1;
    }
    return rc;
}

/* Parallel mode: member i on rank i mod N with its own random stream, the figures shared at
 * the end. Returns 0, 1 when stopped, -1. */
static int select_over_ranks(search_context *cx, double since, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    int n = st->settings.population, rc = 0, trained_here = 0;
    uint64_t seed = relnas_rng_next(&st->rng);
    double *figures = RELNAS_CALLOC((size_t)n * 4, sizeof(double));
    for (int i = 0; i < n && rc == 0; ++i) {
        if (earlier_copy(st, i) >= 0 || !relnas_runs_task(&cx->ranks, i)) continue;
        relnas_rng rng = relnas_task_rng(seed, i);
        rc = select_member(cx, i, &rng, &figures[4 * i], err, errlen);
        trained_here += rc == 0;
    }
    if ((rc = relnas_search_agree(cx, rc, err, errlen)) == 0) {
        relnas_share_figures(&cx->ranks, figures, n, 4);
        for (int i = 0; i < n; ++i) {
            int of = earlier_copy(st, i);
            record_selection(cx, i, &figures[4 * (of >= 0 ? of : i)], of);
            report_selection(cx, i, of, trained_here, since);
        }
        st->selected = n;
        rc = relnas_search_agree(cx, relnas_search_checkpoint(cx, err, errlen), err, errlen);
    }
    free(figures);
    return rc;
}

/* settings.select_batches: every distinct cell of the last generation trained alone and
 * scored. Returns 0, 1 when stopped, -1. */
int relnas_search_select_alone(search_context *cx, char *err, size_t errlen)
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
    const double *acc = st->select_accuracies, *loss = st->select_losses;
    for (int i = 0; i < st->settings.population; ++i) {
        if (!isfinite(acc[i])) continue; /* diverged; an infinite loss with an accuracy still ranks */
        if (best < 0 || acc[i] > acc[best] || (acc[i] == acc[best] && loss[i] < loss[best])) best = i;
    }
    return best;
}

int relnas_search_best(const relnas_search_state *st)
{
    if (st->settings.select_batches > 0) return best_alone(st);
    int best = -1;
    const double *loss = st->final_losses;
    for (int i = 0; i < st->settings.population; ++i)
        if (isfinite(loss[i]) && (best < 0 || loss[i] < loss[best])) best = i;
    return best;
}
