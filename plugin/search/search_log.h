/* What a search tells its user and writes down (internal to plugin/search, but for the
 * chart): the progress lines with their ETAs, a row of log.csv and log.jsonl per member
 * record, each generation's population, and chart.png. The files' formats: docs/design.md,
 * "The run directory". */
#ifndef RELNAS_SEARCH_LOG_H
#define RELNAS_SEARCH_LOG_H

#include "member.h"
#include "search_run.h"
#include "transport.h"

/* The pace of this run: seconds per training-step equivalent over the candidates it
 * evaluated; -1 until it has evaluated one. */
double search_pace(const search_context *cx);

/* Work, in training-step equivalents: one generation's candidates; what is left after the
 * generations (the re-score and the selection). */
double search_generation_work(const search_context *cx);
double search_final_work(const search_context *cx);

/* The generations ended by settings.time_budget. */
void search_report_budget(search_context *cx);

/* log.csv's first line. */
extern const char relnas_search_csv_header[];

/* A member record as a row of log.csv and log.jsonl; role: fast, slow, final or alone. */
void search_log_member(search_context *cx, const relnas_member *m, int gen, int pair, const char *role);

/* "gen 1/4 pair 2/4  #3 fast train loss ... ETA ..." and the member's log rows. */
void search_report_member(search_context *cx, const relnas_member *m, int pair, const char *role);

/* The generation's diversity, best validation loss, rate, elapsed time and ETA. */
void search_report_generation(search_context *cx);

/* A warm-up member's line, with the warm-up's own ETA. */
void search_report_warm_up(search_context *cx, const relnas_member *m);

/* Bytes of a parallel generation's exchange. */
struct relnas_exchange_bytes;
void search_report_exchange(search_context *cx, const struct relnas_exchange_bytes *b, double seconds);

/* A member re-scored on the final weight set, beside its loss in its pair. */
void search_report_final(search_context *cx, const relnas_member *m);

/* The selection's plan: its cells, rounds, batches and validation images. */
void search_report_selection_plan(search_context *cx, int rounds);

/* The selection's pace in this process: since when, and the work done since. */
typedef struct selection_pace {
    double since, work_done;
} selection_pace;

/* A cell trained alone in the state's round (st->selected of them done, this one included),
 * with the selection's ETA from the pace, which it advances; its log rows. */
void search_report_alone(search_context *cx, const relnas_member *m, selection_pace *pace);

/* The population's genotypes, one per line, to io->write_population. */
void search_write_population(search_context *cx);

/* chart.png: per generation, the mean validation loss of the fast learners (red) and of the
 * slow learners (blue) on the left axis, the diversity (green) on the right one; axes with
 * values, a legend (plugin/util/chart.h). Non-finite values leave gaps. Returns 0, or -1
 * with a message. */
int relnas_write_search_chart(const char *path, const double *fast_loss, const double *slow_loss,
                              const double *diversity, int generations, int width, int height, char *err,
                              size_t errlen);

#endif
