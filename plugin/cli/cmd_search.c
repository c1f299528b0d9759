/* darknet relnas search [DATA] [options]: the RelativeNAS search, writing its run directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "checkpoint.h"
#include "dataset_spec.h"
#include "darknet.h"
#include "relnas_error.h"
#include "cli_args.h"
#include "gpu_device.h"
#include "image_set.h"
#include "program_name.h"
#include "relnas_commands.h"
#include "stop_signals.h"
#include "progress_time.h"
#include "search.h"
#include "search_run_dir.h"
#include "search_settings.h"
#include "selection.h"
#include "selection_rounds.h"
#include "relnas_check.h"
#include "genotype.h"
#include "genotype_parse.h"
#include "parallel_pairs.h"
#include "transport.h"
#ifdef _OPENMP
#include <omp.h>
#endif

/* The command's usage: the fixed part, then every setting from the table. */
static void print_usage(FILE *out)
{
    fputs("usage: darknet relnas search [DATA] [options]\n"
          "       darknet relnas search --resume RUN_DIR\n"
          "  DATA                  fashion-mnist (default: Debian's dataset-fashion-mnist, fetched into\n"
          "                        build/data when missing), cifar10:DIR (data_batch_1..5.bin), cifar100:DIR\n"
          "                        (train.bin), idx:IMAGES.gz,LABELS.gz, FILE.data (Darknet's classification\n"
          "                        data: image lists, decoded at 32x32)\n"
          "  --profile P           the defaults below (docs/search-efficacy.md):\n", out);
    relnas_search_profiles_usage(out);
    relnas_search_settings_usage(out);
    fputs("  --out DIR             the run directory (default runs/search-DATE-TIME)\n"
          "  --resume DIR          continue a stopped or killed search from DIR/checkpoint (written after\n"
          "                        every pair; with --parallel-pairs after every generation), with its\n"
          "                        settings, data and mode, on any number of ranks\n"
          "  --threads N           CPU threads (default: OMP_NUM_THREADS, else every core, shared among the\n"
          "                        ranks of a machine)\n"
          "  --options-table       print the settings as the README's Markdown table\n"
          "  -gpus N               run on GPU N (a GPU build runs on GPU 0 unless -nogpu; under mpirun each\n"
          "                        rank takes GPU (its rank on the machine) mod (visible GPUs))\n"
          "Ctrl-C stops at the last checkpoint; --resume continues from there.\n", out);
}

/* A setting's value from the text of its option: a duration for durations, else a number.
 * Returns 0, or -1 after a message naming the option. */
static int setting_from_text(const relnas_setting *d, const char *text, double *v)
{
    char *end = NULL;
    int ok = d->type == RELNAS_SETTING_DURATION ? relnas_parse_duration(text, v) == 0
                                                 : (*v = strtod(text, &end), end != text && *end == '\0');
    if (ok && *v >= d->min && *v <= d->max && (d->type == RELNAS_SETTING_REAL || *v == floor(*v))) return 0;
    fprintf(stderr, "darknet relnas search: %s: expected %s in [%g, %g], got '%s'\n", d->option,
            d->type == RELNAS_SETTING_DURATION ? "a duration (90s, 20m, 1h30m)"
            : d->type == RELNAS_SETTING_REAL   ? "a number" : "a whole number", d->min, d->max, text);
    return -1;
}

/* A setting's value from its option, the profile's when absent. Returns 1 if the option was
 * given, 0 if not, -1 after an error. */
static int read_setting(relnas_args *a, const relnas_setting *d, relnas_search_settings *s)
{
    double v = relnas_setting_get(s, d);
    if (d->type == RELNAS_SETTING_FLAG) return 0; /* read before the ranks start: relnas_cmd_search */
    if (d->type == RELNAS_SETTING_DURATION) {
        const char *text = relnas_arg_string(a, d->option, NULL);
        if (!text) return 0;
        if (setting_from_text(d, text, &v)) return a->failed = 1, -1;
    } else if (d->type == RELNAS_SETTING_REAL) v = relnas_arg_double(a, d->option, v, d->min, d->max);
    else v = relnas_arg_int(a, d->option, (int)v, (int)d->min, (int)d->max);
    relnas_setting_set(s, d, v);
    return 0;
}

/* --resume with settings that may change (the table's resumable ones): their new values. */
typedef struct resume_changes {
    relnas_search_settings values;
    char given[64];
} resume_changes;

static int read_resume_changes(relnas_args *a, resume_changes *c)
{
    memset(c, 0, sizeof(*c));
    for (int i = 0; i < relnas_nsettings; ++i) {
        const relnas_setting *d = &relnas_settings[i];
        const char *text = d->resumable ? relnas_arg_string(a, d->option, NULL) : NULL;
        double v;
        if (!text) continue;
        if (setting_from_text(d, text, &v)) return -1;
        relnas_setting_set(&c->values, d, v), c->given[i] = 1;
    }
    return 0;
}

static void apply_resume_changes(const resume_changes *c, relnas_search_settings *s)
{
    for (int i = 0; i < relnas_nsettings; ++i)
        if (c->given[i]) relnas_setting_set(s, &relnas_settings[i], relnas_setting_get(&c->values, &relnas_settings[i]));
}

static int read_settings(relnas_args *a, relnas_search_settings *s)
{
    const char *profile = relnas_arg_string(a, "--profile", gpu_index >= 0 ? "paper" : "quick");
    if (relnas_search_profile(profile, s)) {
        fprintf(stderr, "darknet relnas search: unknown profile '%s' (%s, %s, %s)\n", profile, relnas_profile_names[0],
                relnas_profile_names[1], relnas_profile_names[2]);
        return -1;
    }
    for (int i = 0; i < relnas_nsettings; ++i) read_setting(a, &relnas_settings[i], s);
    char err[512];
    if (a->failed) return -1;
    if (relnas_search_settings_check(s, err, sizeof(err)) == 0) return 0;
    fprintf(stderr, "darknet relnas search: %s\n", err);
    return -1;
}

/* --resume takes the checkpoint's settings: an option for one that may not change is an
 * error naming it. Returns 0, or 2 after the message. */
static int refuse_fixed_settings(relnas_args *a)
{
    static const char *const others[] = {"--profile", "--out"};
    const char *given = NULL;
    for (int i = 0; i < relnas_nsettings && !given; ++i) {
        const relnas_setting *d = &relnas_settings[i];
        /* --parallel-pairs names the checkpoint's mode: prepare() checks that it matches */
        if (d->resumable || d->type == RELNAS_SETTING_FLAG) continue;
        if (d->type == RELNAS_SETTING_FLAG ? relnas_arg_flag(a, d->option) : relnas_arg_string(a, d->option, NULL) != NULL)
            given = d->option;
    }
    for (size_t i = 0; i < sizeof(others) / sizeof(*others) && !given; ++i)
        if (relnas_arg_string(a, others[i], NULL)) given = others[i];
    if (!given) return 0;
    fprintf(stderr, "darknet relnas search: --resume continues with the settings, data and directory of its "
            "checkpoint; drop %s\n", given);
    return 2;
}

static int load_search_data(const char *spec, relnas_image_set *data, char *err, size_t errlen)
{
    /* image lists are decoded at CIFAR's size, the search network's */
    return relnas_load_dataset(spec, RELNAS_DATA_TRAIN, 32, 32, data, err, errlen);
}

static void print_settings(FILE *out, const relnas_search_state *st)
{
    const relnas_data_signature *d = &st->data;
    fprintf(out, "RelativeNAS search on %s (%d images %dx%dx%d, %d classes) on %s", d->name, d->count, d->w, d->h, d->c,
            d->classes, gpu_index >= 0 ? "the GPU" : "the CPU");
#ifdef _OPENMP
    if (gpu_index < 0) fprintf(out, ", %d thread%s", omp_get_max_threads(), omp_get_max_threads() == 1 ? "" : "s");
#endif
    fprintf(out, "\nsettings: ");
    relnas_search_settings_print(out, &st->settings);
    const relnas_search_settings *s = &st->settings;
    char keep[32];
    if (s->select_batches > 0)
        fprintf(out, "\nresult: the most accurate of %s trained alone from new weights (%d batches at rate %g with "
                "cutout %d, doubled in each of up to %d rounds of successive halving, each keeping the best %s)\n",
                s->select_all_cells ? "every distinct cell the search produced" : "the last generation's distinct cells",
                s->select_batches, s->select_lr, s->select_cutout, s->select_rounds,
                relnas_selection_keep_text(s, keep, sizeof(keep)));
    else fprintf(out, "\nresult: the lowest validation loss on the final weight set\n");
}

/* A new search from the options, or the one in --resume's directory. Loads its data. */
static int prepare(relnas_args *a, const char *resume, const resume_changes *changes, int parallel, char *out,
                   size_t outlen, relnas_search_state *st, relnas_image_set *data, char *err, size_t errlen)
{
    if (resume) {
        char path[4200];
        snprintf(out, outlen, "%s", resume);
        snprintf(path, sizeof(path), "%s/checkpoint", resume);
        if (relnas_checkpoint_load(path, st, err, errlen)) return -1;
        apply_resume_changes(changes, &st->settings);
        if (load_search_data(st->data.name, data, err, errlen)) return relnas_search_state_free(st), -1;
        if (relnas_search_check_data(st, data, err, errlen))
            return relnas_search_state_free(st), relnas_image_set_free(data), -1;
        if (parallel && !st->settings.parallel_pairs)
            return relnas_search_state_free(st), relnas_image_set_free(data),
                   relnas_errorf(err, errlen, "%s holds a sequential search: resume it without --parallel-pairs, on "
                                 "one process", resume);
        return 0;
    }
    relnas_search_settings s;
    const char *given_out = relnas_arg_string(a, "--out", NULL);
    if (given_out) snprintf(out, outlen, "%s", given_out);
    else relnas_run_dir_default(out, outlen);
    int bad = read_settings(a, &s);
    s.parallel_pairs = parallel;
    const char *data_spec = relnas_arg_positional(a, 0);
    if (relnas_args_finish(a, 1) || bad) return -2;
    if (!data_spec) data_spec = "fashion-mnist";
    char path[4200];
    snprintf(path, sizeof(path), "%s/checkpoint", out);
    if (access(path, F_OK) == 0)
        return relnas_errorf(err, errlen, "%s holds a search already: continue it with --resume %s, or choose "
                             "another --out", out, out);
    if (load_search_data(data_spec, data, err, errlen)) return -1;
    if (s.train_batches == 0) s.train_batches = (int)(data->count * s.train_portion) / s.batch; /* one epoch */
    if (relnas_search_state_init(st, &s, data, data_spec, err, errlen)) return relnas_image_set_free(data), -1;
    return 0;
}

/* Where the result's numbers come from: which selection, how many images scored it and the
 * standard error of its accuracy (binomial over the validation images), then the cell. */
static void print_evidence(FILE *out, const relnas_search_state *st, const relnas_search_choice *c)
{
    const relnas_search_settings *s = &st->settings;
    int nvalid = st->data.count - (int)lround(st->data.count * s->train_portion);
    int batches = c->round >= 0 ? relnas_selection_valid_batches(s, nvalid, c->round)
                                : s->valid_batches > 0 ? s->valid_batches : nvalid / s->batch;
    int images = batches * s->batch;
    double p = c->figures->valid_accuracy, se = sqrt(p * (1 - p) / images);
    fprintf(out, "evidence: validation accuracy %.3f, standard error %.3f, on %d validation images", p, se, images);
    if (c->round >= 0)
        fprintf(out, " after training alone on %d images (round %d of the selection, one run, one seed; the standard "
                "error counts the validation sample only)\n", relnas_selection_batches(s, c->round) * s->batch,
                c->round + 1);
    else fprintf(out, " with the weight set's parameters (not trained alone)\n");
    char genotype[1024];
    relnas_genotype_text_of_vector(c->x, genotype, sizeof(genotype));
    fprintf(out, "cell:     %s\n", genotype);
}

/* The selection's rounds in one line: "16 x 47, 8 x 94 ... batches". */
static void print_rounds(FILE *out, const relnas_search_state *st)
{
    for (int r = 0; r < relnas_selection_rounds(st); ++r)
        fprintf(out, "%s%d x %d", r ? ", " : "", relnas_selection_round_size(st, r),
                relnas_selection_batches(&st->settings, r));
    fprintf(out, " batches");
}

static void print_choice(FILE *out, const relnas_search_state *st, const relnas_search_choice *c)
{
    if (c->round < 0) {
        int best = c->member;
        fprintf(out, "best of the last generation re-scored on the final weight set: #%d, validation loss %.4f, "
                "accuracy %.3f (in its pair: %.4f)\n", best, st->final[best].valid_loss,
                st->final[best].valid_accuracy, st->in_pair[best].valid_loss);
        return;
    }
    int born = st->archive.born[c->cell];
    fprintf(out, "chosen by successive halving over %s (", st->settings.select_all_cells ?
            "every distinct cell the search produced" : "the last generation's distinct cells");
    print_rounds(out, st);
    fprintf(out, "): cell #%d (", c->cell);
    if (born) fprintf(out, "new after generation %d", born);
    else fprintf(out, "of the initial population");
    fprintf(out, "), validation accuracy %.3f, loss %.4f\n", c->figures->valid_accuracy, c->figures->valid_loss);
}

static void print_summary(FILE *out, const char *dir, const relnas_search_state *st, const relnas_search_choice *c)
{
    fprintf(out, "search done in %.0f s (%.1f%% outside forward/backward/update: building candidates, loading and "
            "merging weights, checkpoints)\n", st->seconds, 100 * st->outside_seconds / st->seconds);
    print_choice(out, st, c);
    if (st->generations_asked)
        fprintf(out, "the time budget ended the generations after %d of the %d asked\n", st->settings.generations,
                st->generations_asked);
    print_evidence(out, st, c);
    fprintf(out, "genotype: %s/final.genotype\ncfg:      %s/final.cfg (CIFAR-style preset for this data; "
            "`darknet relnas info %s/final.cfg`)\nlog:      %s/log.txt, %s/log.csv, %s/log.jsonl, %s/population_gen*.txt\n"
            "chart:    %s/chart.png (per generation: validation loss of fast learners red, slow blue; diversity "
            "green, right axis)\n", dir, dir, dir, dir, dir, dir, dir, dir);
}

/* Where a resumed search continues: a pair, or after its generations the re-score and the
 * selection. */
static void print_resume_point(FILE *out, const char *dir, const relnas_search_state *st)
{
    const relnas_search_settings *s = &st->settings;
    if (st->generation < s->generations)
        fprintf(out, "resuming %s at generation %d/%d, pair %d/%d (%d of %d candidate evaluations done)\n", dir,
                st->generation + 1, s->generations, st->pair + 1, s->population / 2, st->evaluated,
                s->population * s->generations);
    else if (!st->rescored)
        fprintf(out, "resuming %s after its %d generations, at the re-score of the last one\n", dir, s->generations);
    else if (s->select_batches > 0)
        fprintf(out, "resuming %s after its %d generations and the re-score: selection round %d of %d, %d cells of "
                "the round trained alone\n", dir, s->generations, st->select_round + 1, relnas_selection_rounds(st),
                st->selected);
    else fprintf(out, "resuming %s after its %d generations and the re-score\n", dir, s->generations);
}

/* Exit status of a run's return code. */
static int exit_status(int rc)
{
    return rc == 0 ? 0 : rc == 1 ? 130 : 1;
}

/* Every rank but 0 of a parallel search: the same run, without files or output. */
static int search_quietly(relnas_search_state *st, const relnas_image_set *data)
{
    char err[1024];
    relnas_search_io io = {.stop = relnas_catch_stop_signals()};
    int rc = relnas_search_run(st, data, &io, err, sizeof(err));
    if (rc < 0) fprintf(stderr, "darknet relnas search: %s\n", err);
    return exit_status(rc);
}

/* Runs st to its end (or a stop) with its logs in out; the results when finished. */
static int search(relnas_search_state *st, const relnas_image_set *data, const char *out, int resume,
                  const relnas_transport_info *ranks)
{
    char err[1024];
    relnas_run_dir f;
    if (relnas_run_dir_open(&f, out, st, resume, err, sizeof(err)))
        return fprintf(stderr, "darknet relnas search: %s\n", err), 1;
    FILE *progress = f.progress;
    if (resume) print_resume_point(progress, out, st);
    print_settings(progress, st);
    if (st->settings.parallel_pairs)
        fprintf(progress, "parallel pairs: every pair of a generation trains from the weight set of its start, on %d "
                "rank%s (%s)\n", ranks->size, ranks->size > 1 ? "s" : "", ranks->engine);
    relnas_search_io io = {progress, {f.log, f.csv, f.jsonl}, relnas_run_dir_write_population, (void *)out,
                           f.checkpoint, relnas_catch_stop_signals()};
    int rc = relnas_search_run(st, data, &io, err, sizeof(err));
    relnas_search_choice best;
    if (rc == 0 && relnas_search_result(st, &best))
        rc = relnas_errorf(err, sizeof(err), "every candidate the result is chosen from diverged (non-finite loss or accuracy)");
    if (rc == 0) rc = relnas_run_dir_write_results(out, st, best.x, err, sizeof(err));
    if (rc == 0) print_summary(progress, out, st, &best);
    else if (rc == 1)
        fprintf(progress, "stopped: the checkpoint holds generation %d/%d, pair %d/%d; continue with\n"
                "  %s relnas search --resume %s\n", st->generation + 1, st->settings.generations,
                st->pair + 1, st->settings.population / 2, relnas_program_name(), out);
    else fprintf(progress, "darknet relnas search: %s\n", err);
    relnas_run_dir_close(&f);
    return exit_status(rc);
}

/* A rank's share of the machine: its own GPU (rank on the machine mod visible GPUs; main
 * left the device to here, relnas_gpu_select_later) and its threads: --threads, else
 * OMP_NUM_THREADS, else its share of the cores. Returns 0, or -1 when its GPU is unusable. */
static int place_rank(const relnas_transport_info *ranks, int threads)
{
#ifdef _OPENMP
    if (threads > 0) omp_set_num_threads(threads);
#endif
#ifdef GPU
    int devices = 0;
    if (relnas_transport_launched() && gpu_index >= 0 && cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0 &&
        relnas_gpu_select(ranks->local_rank % devices))
        return -1;
#endif
    if (ranks->local_size < 2) return 0;
#ifdef _OPENMP
    int cores = omp_get_num_procs();
    if (!threads && !getenv("OMP_NUM_THREADS")) omp_set_num_threads(cores / ranks->local_size > 1 ? cores / ranks->local_size : 1);
#endif
    return 0;
}

/* The search every rank runs, prepared on rank 0 (options, checkpoint, run directory) and
 * shared; the other ranks load the data it names. Returns 0, or 1 with a message printed. */
static int prepare_ranks(relnas_args *a, const char *resume, const resume_changes *changes, int parallel,
                         const relnas_transport_info *ranks,
                         char *out, size_t outlen, relnas_search_state *st, relnas_image_set *data)
{
    char err[1024] = "";
    int rc = 0;
    memset(st, 0, sizeof(*st)), memset(data, 0, sizeof(*data));
    if (ranks->rank == 0) {
        rc = prepare(a, resume, changes, parallel, out, outlen, st, data, err, sizeof(err));
        if (rc == -2) print_usage(stderr);
        else if (rc) fprintf(stderr, "darknet relnas search: %s\n", err);
        else if (relnas_make_directories(out))
            fprintf(stderr, "darknet relnas search: cannot create the run directory %s: %s\n", out, strerror(errno)), rc = -1;
        if (rc == 0 && ranks->size > 1 && !st->settings.parallel_pairs)
            fprintf(stderr, "darknet relnas search: %d ranks need --parallel-pairs (the sequential search runs on one "
                    "process)\n", ranks->size), rc = -1;
    }
    if (ranks->size == 1) return rc ? (rc == -2 ? 2 : 1) : 0;
    int failed = relnas_ranks_max(ranks, rc != 0);
    if (!failed && relnas_share_state(ranks, st, err, sizeof(err))) rc = -1;
    if (!failed && rc == 0 && ranks->rank != 0 && load_search_data(st->data.name, data, err, sizeof(err)) == 0 &&
        relnas_search_check_data(st, data, err, sizeof(err)))
        rc = -1;
    if (!failed && rc) fprintf(stderr, "darknet relnas search: rank %d: %s\n", ranks->rank, err);
    failed = failed || relnas_ranks_max(ranks, rc != 0);
    if (failed && ranks->rank != 0) relnas_search_state_free(st), relnas_image_set_free(data);
    return failed ? (rc == -2 ? 2 : 1) : 0;
}

int relnas_cmd_search(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) return print_usage(stdout), 0;
    if (relnas_arg_flag(&a, "--options-table")) return relnas_search_settings_markdown(stdout), 0;
    const char *resume = relnas_arg_string(&a, "--resume", NULL);
    int parallel = relnas_arg_flag(&a, "--parallel-pairs");
    if (relnas_arg_gpu(&a)) return print_usage(stderr), 2;
    int threads = relnas_arg_int(&a, "--threads", 0, 0, 4096);
    resume_changes changes = {0};
    if (resume && refuse_fixed_settings(&a)) return 2;
    if (resume && read_resume_changes(&a, &changes)) return 2;
    if (resume && relnas_args_finish(&a, 0)) return print_usage(stderr), 2;
    char out[4096] = "", err[1024];
    relnas_transport_info ranks = {0, 1, 0, 1, "single process"};
    if ((parallel || resume || relnas_transport_launched()) && relnas_transport_init(&ranks, err, sizeof(err)))
        return fprintf(stderr, "darknet relnas search: %s\n", err), 1;
    if (place_rank(&ranks, threads)) return relnas_transport_finalize(), 1;
    relnas_search_state st;
    relnas_image_set data;
    int rc = prepare_ranks(&a, resume, &changes, parallel, &ranks, out, sizeof(out), &st, &data);
    if (rc == 0) {
        rc = ranks.rank == 0 ? search(&st, &data, out, resume != NULL, &ranks) : search_quietly(&st, &data);
        relnas_search_state_free(&st);
        relnas_image_set_free(&data);
    }
    relnas_transport_finalize();
    return rc;
}
