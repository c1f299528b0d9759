#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "search_log.h"
#include "chart.h"
#include "parallel_pairs.h"
#include "progress_time.h"
#include "relnas_check.h"
#include "selection_rounds.h"

const char relnas_search_csv_header[] =
    "generation,pair,candidate,role,train_loss,valid_loss,valid_accuracy,seconds,genotype\n";

/* ---- the ETA: work in training-step equivalents (a forward pass about a third of a step) */

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

/* What is left after the candidates: the re-score and the selection's cells (before it
 * begins, as many as the generations can leave). */
double search_final_work(const search_context *cx)
{
    const relnas_search_settings *s = &cx->st->settings;
    double rescore = cx->st->rescored ? 0 : s->population * (s->bn_batches + validation_batches(cx)) / 3;
    return rescore + relnas_selection_work_left(cx->st, cx->nvalid);
}

double search_generation_work(const search_context *cx)
{
    return cx->st->settings.population * candidate_work(cx);
}

double search_pace(const search_context *cx)
{
    int done_here = cx->st->evaluated - cx->evaluated_before;
    return done_here ? (relnas_now() - cx->pace_start) / (done_here * candidate_work(cx)) : -1;
}

/* The remaining time, from this process's pace over the candidates it evaluated (a resumed
 * search may run on another machine); -1 until it has evaluated one. */
static double eta(const search_context *cx)
{
    const relnas_search_settings *s = &cx->st->settings;
    int done_here = cx->st->evaluated - cx->evaluated_before;
    int left = s->population * s->generations - cx->st->evaluated;
    double work = left * candidate_work(cx) + search_final_work(cx);
    if (work == 0) return 0;
    return done_here ? (relnas_now() - cx->pace_start) / (done_here * candidate_work(cx)) * work : -1;
}

/* A duration, or "--" while unknown (negative). */
static void print_eta(FILE *out, double seconds)
{
    if (seconds < 0) fputs("--", out);
    else relnas_print_duration(out, seconds);
}

/* ---- log.csv and log.jsonl ---------------------------------------------------------------- */

static void log_csv(FILE *csv, const relnas_member *m, int gen, int pair, const char *role, const char *genotype)
{
    fprintf(csv, "%d,%d,%d,%s,%.6f,%.6f,%.6f,%.3f,\"%s\"\n", gen, pair, m->index, role, m->train_loss,
            m->valid_loss, m->valid_accuracy, m->seconds, genotype);
}

static void log_json(FILE *jsonl, const relnas_member *m, int gen, int pair, const char *role, const char *genotype,
                     const double *vector)
{
    fprintf(jsonl, "{\"generation\": %d, \"pair\": %d, \"candidate\": %d, \"role\": \"%s\"", gen, pair, m->index, role);
    const char *names[3] = {"train_loss", "valid_loss", "valid_accuracy"};
    double values[3] = {m->train_loss, m->valid_loss, m->valid_accuracy};
    for (int k = 0; k < 3; ++k) /* JSON has no NaN: non-finite values are null */
        if (isfinite(values[k])) fprintf(jsonl, ", \"%s\": %.6f", names[k], values[k]);
        else fprintf(jsonl, ", \"%s\": null", names[k]);
    fprintf(jsonl, ", \"seconds\": %.3f, \"genotype\": \"%s\", \"vector\": [", m->seconds, genotype);
    for (int d = 0; d < RELNAS_DIM; ++d) /* every digit: `relnas genotype "V..."` decodes it as the search did */
        fprintf(jsonl, "%s%.17g", d ? ", " : "", vector[d]);
    fprintf(jsonl, "]}\n");
}

/* gen and pair count from 0, as the state does; the logs count from 1, as the terminal does,
 * with pair 0 for rows that are not a pair's training (the final re-score, cells trained alone). */
/* A record of the cell x; gen and pair as the logs count them. */
static void log_record(search_context *cx, const relnas_member *m, const double *x, int gen, int pair,
                       const char *role)
{
    char genotype[1024];
    relnas_genotype_text_of_vector(x, genotype, sizeof(genotype));
    if (cx->io->logs[1]) log_csv(cx->io->logs[1], m, gen, pair, role, genotype);
    if (cx->io->logs[2]) log_json(cx->io->logs[2], m, gen, pair, role, genotype, x);
}

void search_log_member(search_context *cx, const relnas_member *m, int gen, int pair, const char *role)
{
    log_record(cx, m, cx->st->pop.x[m->index], gen + 1, pair < 0 ? 0 : pair + 1, role);
}

/* ---- progress lines ----------------------------------------------------------------------- */

void search_report_member(search_context *cx, const relnas_member *m, int pair, const char *role)
{
    const relnas_search_state *st = cx->st;
    int gen = st->generation;
    if (cx->io->progress) {
        fprintf(cx->io->progress, "gen %d/%d pair %d/%d  #%-3d %-4s train loss %7.4f  valid loss %7.4f acc %.3f  "
                "%5.1fs  ETA ", gen + 1, st->settings.generations, pair + 1, st->settings.population / 2, m->index,
                role, m->train_loss, m->valid_loss, m->valid_accuracy, m->seconds);
        print_eta(cx->io->progress, eta(cx));
        fprintf(cx->io->progress, "\n");
    }
    search_log_member(cx, m, gen, pair, role);
}

void search_report_generation(search_context *cx)
{
    const relnas_search_state *st = cx->st;
    FILE *out = cx->io->progress;
    if (!out) return;
    int best = -1, diverged = 0;
    for (int i = 0; i < st->pop.size; ++i) {
        double loss = st->in_pair[i].valid_loss;
        if (!isfinite(loss)) ++diverged;
        else if (best < 0 || loss < st->in_pair[best].valid_loss) best = i;
    }
    fprintf(out, "generation %d/%d done: diversity %.3f (before pairing), best valid loss %.4f (#%d), %d diverged, "
            "learning rate %.4f, elapsed ", st->generation + 1, st->settings.generations, st->diversity[st->generation],
            best >= 0 ? st->in_pair[best].valid_loss : NAN, best, diverged,
            relnas_search_learning_rate(&st->settings, st->generation));
    relnas_print_duration(out, search_elapsed(cx));
    fprintf(out, ", ETA ");
    print_eta(out, eta(cx));
    fprintf(out, "\n");
}

void search_report_warm_up(search_context *cx, const relnas_member *m)
{
    const relnas_search_state *st = cx->st;
    if (!cx->io->progress) return;
    int done_here = st->warmed - cx->warmed_before;
    double left = (relnas_now() - cx->start) / done_here * (st->settings.population - st->warmed);
    fprintf(cx->io->progress, "warm-up %d/%d  #%-3d train loss %7.4f  %5.1fs  warm-up ETA ", st->warmed,
            st->settings.population, m->index, m->train_loss, m->seconds);
    relnas_print_duration(cx->io->progress, left);
    fprintf(cx->io->progress, "\n");
}

void search_report_budget(search_context *cx)
{
    const relnas_search_state *st = cx->st;
    if (!cx->io->progress) return;
    fprintf(cx->io->progress, "time budget ");
    relnas_print_duration(cx->io->progress, st->settings.time_budget);
    fprintf(cx->io->progress, ": the generations end after %d of %d (at this pace the next would end, with the "
            "result's choice, past the budget); the result is chosen from this population\n", st->generation,
            st->generations_asked);
}

void search_report_exchange(search_context *cx, const relnas_exchange_bytes *b, double seconds)
{
    if (!cx->io->progress) return;
    fprintf(cx->io->progress, "exchange: pairs' writes %zu bytes, changed blocks %zu bytes; moved over %d ranks %zu "
            "bytes (an all-gather of the writes: %zu) in %.3f s, waiting for the slowest rank included\n", b->writes,
            b->changed, cx->ranks.size, b->moved, b->allgather, seconds);
}

void search_report_final(search_context *cx, const relnas_member *m)
{
    const relnas_member *in_pair = &cx->st->in_pair[m->index];
    if (cx->io->progress)
        fprintf(cx->io->progress, "final #%-3d valid loss in its pair %7.4f acc %.3f, on the final weight set "
                "%7.4f acc %.3f\n", m->index, in_pair->valid_loss, in_pair->valid_accuracy, m->valid_loss,
                m->valid_accuracy);
    search_log_member(cx, m, cx->st->settings.generations - 1, -1, "final");
}

void search_report_selection_plan(search_context *cx, int rounds)
{
    const relnas_search_state *st = cx->st;
    const relnas_search_settings *s = &st->settings;
    FILE *out = cx->io->progress;
    if (!out) return;
    int n = relnas_selection_round_size(st, 0);
    char keep[32];
    fprintf(out, "selection: %d distinct cells (%s), trained alone from new weights at rate %g annealed to 0, "
            "cutout %d; %d round%s%s:", n, s->select_all_cells ? "every cell the search produced" :
            "the last generation's", s->select_lr, s->select_cutout, rounds, rounds > 1 ? "s, each keeping the most "
            "accurate " : "", rounds > 1 ? relnas_selection_keep_text(s, keep, sizeof(keep)) : "");
    for (int r = 0; r < rounds; ++r, n = relnas_selection_next_round_size(s, n))
        fprintf(out, "%s %d x %d batches (%d validation images)", r ? "," : "", n, relnas_selection_batches(s, r),
                relnas_selection_valid_batches(s, cx->nvalid, r) * s->batch);
    fprintf(out, "\n");
}

void search_report_alone(search_context *cx, const relnas_member *m, selection_pace *pace)
{
    const relnas_search_state *st = cx->st;
    int round = st->select_round;
    /* log rows: the generation after the last, the round in the pair column, the cell's archive index */
    log_record(cx, m, st->archive.x[m->index], st->settings.generations + 1, round + 1, "alone");
    pace->work_done += relnas_selection_cell_work(&st->settings, cx->nvalid, round);
    FILE *out = cx->io->progress;
    if (!out) return;
    int n = relnas_selection_round_size(st, round);
    char born[64] = "initial population";
    if (st->archive.born[m->index]) snprintf(born, sizeof(born), "new after generation %d", st->archive.born[m->index]);
    fprintf(out, "select round %d/%d cell %d/%d  #%-3d (%s) valid loss %7.4f acc %.3f  %5.1fs  ETA ", round + 1,
            relnas_selection_rounds(st), st->selected, n, m->index, born, m->valid_loss, m->valid_accuracy,
            m->seconds);
    double left = relnas_selection_work_left(st, cx->nvalid);
    print_eta(out, (relnas_now() - pace->since) / pace->work_done * left);
    fprintf(out, "\n");
}

void search_write_population(search_context *cx)
{
    const relnas_population *pop = &cx->st->pop;
    if (!cx->io->write_population) return;
    size_t cap = (size_t)pop->size * 1100 + 1, len = 0;
    char *text = RELNAS_CALLOC(cap, 1);
    for (int i = 0; i < pop->size; ++i) {
        char genotype[1024];
        relnas_member_genotype(pop, i, genotype, sizeof(genotype));
        if (!genotype[0]) continue;
        len += (size_t)snprintf(text + len, cap - len, "%s\n", genotype);
    }
    cx->io->write_population(cx->st->generation, text, cx->io->ctx);
    free(text);
}

int relnas_write_search_chart(const char *path, const double *fast_loss, const double *slow_loss,
                              const double *diversity, int generations, int width, int height, char *err,
                              size_t errlen)
{
    const relnas_chart_series series[3] = {
        {.name = "fast learners", .y = fast_loss, .count = generations, .rgb = {220, 40, 40}, .markers = 1},
        {.name = "slow learners", .y = slow_loss, .count = generations, .rgb = {40, 80, 220}, .markers = 1},
        {.name = "diversity", .y = diversity, .count = generations, .rgb = {30, 150, 60},
         .side = RELNAS_CHART_RIGHT, .markers = 1},
    };
    const relnas_chart chart = {
        .title = "RelativeNAS search",
        .x_title = "generation",
        .left = {.title = "mean validation loss", .lo = NAN, .hi = NAN},
        .right = {.title = "diversity (distance to the mean vector)", .lo = 0, .hi = NAN},
        .series = series,
        .nseries = 3,
        .width = width,
        .height = height,
    };
    return relnas_chart_write_png(path, &chart, err, errlen);
}
