/* A search's run directory (docs/design.md, "The run directory"): its checkpoint path, the
 * three logs (opened fresh, or for a resume cut back to their size at the checkpoint and
 * appended to), the progress stream that goes to the terminal and log.txt, each
 * generation's population file, and the results of a finished search. */
#ifndef RELNAS_SEARCH_RUN_DIR_H
#define RELNAS_SEARCH_RUN_DIR_H

#include <stddef.h>
#include <stdio.h>
#include "search_state.h"

typedef struct relnas_run_dir {
    char checkpoint[4200];
    FILE *log, *csv, *jsonl;
    FILE *progress;             /* stdout and log.txt, line-buffered */
    struct run_dir_tee *tee;
} relnas_run_dir;

/* "runs/search-DATE-TIME", the default --out. */
void relnas_run_dir_default(char *out, size_t len);

/* mkdir -p. Returns 0, or -1 with errno set. */
int relnas_make_directories(const char *path);

/* Opens the logs of dir (resume: cut back to st->log_sizes). Returns 0, or -1 with a message. */
int relnas_run_dir_open(relnas_run_dir *f, const char *dir, const relnas_search_state *st, int resume, char *err,
                        size_t errlen);
void relnas_run_dir_close(relnas_run_dir *f);

/* The search's io.write_population: ctx is the directory. */
void relnas_run_dir_write_population(int gen, const char *text, void *ctx);

/* final.genotype and final.cfg (the CIFAR-style preset shaped to the data) of the cell whose
 * vector is `best`, and chart.png. Returns 0, or -1 with a message naming the file. */
int relnas_run_dir_write_results(const char *dir, const relnas_search_state *st, const double *best, char *err,
                                 size_t errlen);

#endif
