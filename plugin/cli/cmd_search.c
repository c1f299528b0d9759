/* darknet relnas search [DATA] [options]: the RelativeNAS search, writing its run directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cfg_writer.h"
#include "checkpoint.h"
#include "dataset_spec.h"
#include "darknet.h"
#include "relnas_error.h"
#include "cli_args.h"
#include "genotype_parse.h"
#include "image_set.h"
#include "program_name.h"
#include "relnas_commands.h"
#include "stop_signals.h"
#include "search.h"
#include "search_chart.h"
#include "parallel_pairs.h"
#include "transport.h"
#ifdef _OPENMP
#include <omp.h>
#endif

static const char usage[] =
    "usage: darknet relnas search [DATA] [options]\n"
    "       darknet relnas search --resume RUN_DIR\n"
    "  DATA            fashion-mnist (default: Debian's dataset-fashion-mnist, fetched into build/data\n"
    "                  when missing), cifar10:DIR (data_batch_1..5.bin), cifar100:DIR (train.bin),\n"
    "                  idx:IMAGES.gz,LABELS.gz, FILE.data (Darknet's classification data: image\n"
    "                  lists, decoded at 32x32)\n"
    "  --profile P     quick (default on a CPU: pop 8, 4 generations, C=8, 5 cells, 40 training and\n"
    "                  10 validation batches of 64 per candidate; a smoke run), cpu (about 30 minutes\n"
    "                  on 2 cores: pop 8, 5 generations, 100 training and 40 validation batches,\n"
    "                  BN statistics recomputed, weight-set warm-up, result chosen by training the\n"
    "                  last generation's cells alone for 187 batches; docs/search-efficacy.md) or\n"
    "                  paper (default on a GPU: pop 20, 50 generations, C=16, 8 cells, batch 256,\n"
    "                  one epoch per candidate, cutout 16)\n"
    "  --population M --generations G --batch B --train-batches T --valid-batches V\n"
    "  --bn-batches N  recompute each candidate's BN statistics on N training batches before\n"
    "                  scoring it (0: off, the paper's way)\n"
    "  --warmup-batches N  train each initial member N batches into the weight set before\n"
    "                  generation 1 (0: off, the paper's way)\n"
    "  --select-batches N  choose the result by training each distinct cell of the last\n"
    "                  generation alone for N batches (rate 0.025 annealed to 0, cutout 16) and\n"
    "                  comparing validation accuracy (0: off, the paper's way: the lowest\n"
    "                  validation loss on the final weight set)\n"
    "  --channels C --cells N --seed S --out DIR (default runs/search-DATE-TIME)\n"
    "  --resume DIR    continue a stopped or killed search from DIR/checkpoint (written after\n"
    "                  every pair; with --parallel-pairs after every generation), with its settings,\n"
    "                  data and mode, on any number of ranks\n"
    "  --parallel-pairs  every pair of a generation trains from the weight set of the generation's\n"
    "                  start and the merges follow in pair order, so the pairs can run at once:\n"
    "                  `mpirun -np N ./darknet relnas search --parallel-pairs ...` (a `make MPI=1`\n"
    "                  build) spreads them over N ranks; a seed gives the same result for any N,\n"
    "                  one included (docs/scale.md). Without it: the paper's sequential algorithm\n"
    "  -gpus N         run on GPU N (a GPU build runs on GPU 0 unless -nogpu; under mpirun each\n"
    "                  rank takes GPU (its rank on the machine) mod (visible GPUs))\n"
    "Ctrl-C stops at the last checkpoint; --resume continues from there.\n";

/* The options that make up a search's settings: a resumed search takes them from its
 * checkpoint instead. */
static const char *const setting_options[] = {"--profile", "--population", "--generations", "--batch",
                                              "--train-batches", "--valid-batches", "--channels", "--cells",
                                              "--seed", "--out", "--bn-batches", "--warmup-batches",
                                              "--select-batches"};

typedef struct tee {
    FILE *a, *b;
} tee;

static ssize_t tee_write(void *cookie, const char *buf, size_t n)
{
    tee *t = cookie;
    fwrite(buf, 1, n, t->a);
    fwrite(buf, 1, n, t->b);
    fflush(t->a);
    return (ssize_t)n;
}

static int read_settings(relnas_args *a, relnas_search_settings *s)
{
    const char *profile = relnas_arg_string(a, "--profile", gpu_index >= 0 ? "paper" : "quick");
    if (relnas_search_profile(profile, s)) {
        fprintf(stderr, "darknet relnas search: unknown profile '%s' (%s)\n", profile, relnas_search_profile_names);
        return -1;
    }
    s->population = relnas_arg_int(a, "--population", s->population, 2, 10000);
    s->generations = relnas_arg_int(a, "--generations", s->generations, 1, 100000);
    s->batch = relnas_arg_int(a, "--batch", s->batch, 1, 65536);
    s->train_batches = relnas_arg_int(a, "--train-batches", s->train_batches, 0, 10000000);
    s->valid_batches = relnas_arg_int(a, "--valid-batches", s->valid_batches, 0, 10000000);
    s->C = relnas_arg_int(a, "--channels", s->C, 2, 4096);
    s->cells = relnas_arg_int(a, "--cells", s->cells, 3, 100);
    s->seed = (unsigned long long)relnas_arg_int(a, "--seed", (int)s->seed, 0, 2000000000);
    s->bn_batches = relnas_arg_int(a, "--bn-batches", s->bn_batches, 0, 1000000);
    s->warmup_batches = relnas_arg_int(a, "--warmup-batches", s->warmup_batches, 0, 10000000);
    s->select_batches = relnas_arg_int(a, "--select-batches", s->select_batches, 0, 10000000);
    if (s->population % 2 || s->C % 2) {
        fprintf(stderr, "darknet relnas search: --population and --channels must be even\n");
        return -1;
    }
    return 0;
}

static int load_search_data(const char *spec, relnas_image_set *data, char *err, size_t errlen)
{
    /* image lists are decoded at CIFAR's size, the search network's */
    return relnas_load_dataset(spec, RELNAS_DATA_TRAIN, 32, 32, data, err, errlen);
}

static void write_population(int gen, const char *text, void *ctx)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/population_gen%03d.txt", (const char *)ctx, gen);
    FILE *fp = fopen(path, "w");
    if (fp) fputs(text, fp), fclose(fp);
}

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) return -1;
    fputs(text, fp);
    return fclose(fp);
}

/* final.genotype, final.cfg (CIFAR-style preset shaped to the data) and chart.png. */
static int write_results(const char *out, const relnas_search_state *st, int best, char *err, size_t errlen)
{
    relnas_genotype g;
    char repr[2048], path[4200];
    if (relnas_genotype_from_vector(st->pop.x[best], &g, err, errlen)) return -1;
    relnas_genotype_format(repr, sizeof(repr), &g);
    strcat(repr, "\n");
    if (write_text(out, "final.genotype", repr)) return relnas_errorf(err, errlen, "cannot write in %.900s", out);
    relnas_net_spec spec;
    relnas_net_preset("cifar", &spec);
    spec.classes = st->data.classes, spec.width = st->data.w, spec.height = st->data.h, spec.channels = st->data.c;
    spec.auxiliary = st->data.w >= 32 && st->data.h >= 32; /* the head's pooling needs 8x8 maps */
    snprintf(path, sizeof(path), "%s/final.cfg", out);
    FILE *fp = fopen(path, "w");
    if (!fp) return relnas_errorf(err, errlen, "cannot write %.900s", path);
    int rc = relnas_write_cfg(fp, &g, &spec, "relnas search", err, errlen);
    if (fclose(fp) && rc == 0) rc = relnas_errorf(err, errlen, "cannot write %.900s", path);
    snprintf(path, sizeof(path), "%s/chart.png", out);
    if (rc == 0 && relnas_write_search_chart(path, st->fast_loss, st->slow_loss, st->diversity,
                                             st->settings.generations, 800, 480))
        rc = relnas_errorf(err, errlen, "cannot write %.900s", path);
    return rc;
}

/* mkdir -p: every missing directory of path. */
static int make_directories(const char *path)
{
    char partial[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(partial)) return -1;
    for (size_t i = 1; i <= n; ++i)
        if (path[i] == '/' || path[i] == '\0') {
            memcpy(partial, path, i);
            partial[i] = '\0';
            if (mkdir(partial, 0777) && errno != EEXIST) return -1;
        }
    return 0;
}

static void default_out(char *out, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, len, "runs/search-%Y%m%d-%H%M%S", &tm);
}

static void print_settings(FILE *out, const relnas_search_state *st)
{
    const relnas_search_settings *s = &st->settings;
    const relnas_data_signature *d = &st->data;
    fprintf(out, "RelativeNAS search on %s (%d images %dx%dx%d, %d classes): population %d, %d generations, "
            "C=%d, %d cells, batch %d, %d training and %d validation batches per candidate (0: all), "
            "lr %.3g -> %.3g (cosine), momentum %.2g, decay %.2g, clip %.2g, drop-path %.2g, "
            "pad %d flip %d cutout %d, seed %llu, BN statistics recomputed on %d batches (0: off), warm-up %d "
            "batches per member (0: off), ",
            d->name, d->count, d->w, d->h, d->c, d->classes, s->population, s->generations, s->C, s->cells,
            s->batch, s->train_batches, s->valid_batches, s->lr_max, s->lr_min, s->momentum, s->decay, s->clip,
            s->drop_path, s->pad, s->flip, s->cutout, s->seed, s->bn_batches, s->warmup_batches);
    if (s->select_batches > 0)
        fprintf(out, "result chosen by training each last-generation cell alone for %d batches at rate %g with "
                "cutout %d, ", s->select_batches, s->select_lr, s->select_cutout);
    else
        fprintf(out, "result: the lowest validation loss on the final weight set, ");
    fprintf(out, "on %s\n", gpu_index >= 0 ? "the GPU" : "the CPU");
}

/* The run's files: the checkpoint path and the three logs, opened fresh or, for a resume,
 * cut back to their size at the checkpoint and appended to. */
typedef struct run_files {
    char checkpoint[4200];
    FILE *log, *csv, *jsonl;
} run_files;

static FILE *open_log(const char *out, const char *name, long resume_size, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", out, name);
    if (resume_size >= 0 && truncate(path, resume_size) && errno != ENOENT) {
        relnas_errorf(err, errlen, "%s: cannot cut back to %ld bytes: %s", path, resume_size, strerror(errno));
        return NULL;
    }
    FILE *fp = fopen(path, resume_size >= 0 ? "a" : "w");
    if (!fp) relnas_errorf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return fp;
}

static void close_files(run_files *f)
{
    if (f->log) fclose(f->log);
    if (f->csv) fclose(f->csv);
    if (f->jsonl) fclose(f->jsonl);
}

static int open_files(run_files *f, const char *out, const relnas_search_state *st, int resume, char *err,
                      size_t errlen)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->checkpoint, sizeof(f->checkpoint), "%s/checkpoint", out);
    f->log = open_log(out, "log.txt", resume ? st->log_sizes[0] : -1, err, errlen);
    if (f->log) f->csv = open_log(out, "log.csv", resume ? st->log_sizes[1] : -1, err, errlen);
    if (f->csv) f->jsonl = open_log(out, "log.jsonl", resume ? st->log_sizes[2] : -1, err, errlen);
    if (!f->jsonl) return close_files(f), -1;
    if (!resume)
        fprintf(f->csv, "generation,pair,candidate,role,train_loss,valid_loss,valid_accuracy,seconds,genotype\n");
    return 0;
}

/* A new search from the options, or the one in --resume's directory. Loads its data. */
static int prepare(relnas_args *a, const char *resume, int parallel, char *out, size_t outlen,
                   relnas_search_state *st, relnas_image_set *data, char *err, size_t errlen)
{
    if (resume) {
        char path[4200];
        snprintf(out, outlen, "%s", resume);
        snprintf(path, sizeof(path), "%s/checkpoint", resume);
        if (relnas_checkpoint_load(path, st, err, errlen)) return -1;
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
    else default_out(out, outlen);
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

static void print_summary(FILE *out, const char *dir, const relnas_search_state *st, int best)
{
    fprintf(out, "search done in %.0f s (%.1f%% outside forward/backward/update: building candidates, loading and "
            "merging weights, checkpoints)\n", st->seconds, 100 * st->outside_seconds / st->seconds);
    if (st->settings.select_batches > 0)
        fprintf(out, "most accurate of the last generation trained alone (%d batches): #%d, validation accuracy %.3f, "
                "loss %.4f (on the final weight set: loss %.4f, accuracy %.3f; in its pair: %.4f)\n",
                st->settings.select_batches, best, st->select_accuracies[best], st->select_losses[best],
                st->final_losses[best], st->final_accuracies[best], st->losses[best]);
    else
        fprintf(out, "best of the last generation re-scored on the final weight set: #%d, validation loss %.4f, "
                "accuracy %.3f (in its pair: %.4f)\n", best, st->final_losses[best], st->final_accuracies[best],
                st->losses[best]);
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
    else
        fprintf(out, "resuming %s after its %d generations and the re-score: %d of %d members trained alone\n", dir,
                s->generations, st->selected, s->select_batches > 0 ? s->population : 0);
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
    run_files f;
    if (open_files(&f, out, st, resume, err, sizeof(err))) return fprintf(stderr, "darknet relnas search: %s\n", err), 1;
    tee t = {stdout, f.log};
    FILE *progress = fopencookie(&t, "w", (cookie_io_functions_t){NULL, tee_write, NULL, NULL});
    setvbuf(progress, NULL, _IOLBF, 0);
    if (resume) print_resume_point(progress, out, st);
    print_settings(progress, st);
    if (st->settings.parallel_pairs)
        fprintf(progress, "parallel pairs: every pair of a generation trains from the weight set of its start, on %d "
                "rank%s (%s)\n", ranks->size, ranks->size > 1 ? "s" : "", ranks->engine);
    relnas_search_io io = {progress, {f.log, f.csv, f.jsonl}, write_population, (void *)out, f.checkpoint,
                           relnas_catch_stop_signals()};
    int rc = relnas_search_run(st, data, &io, err, sizeof(err)), best = -1;
    if (rc == 0 && (best = relnas_search_best(st)) < 0)
        rc = relnas_errorf(err, sizeof(err), "every candidate of the last generation diverged (non-finite loss)");
    if (rc == 0) rc = write_results(out, st, best, err, sizeof(err));
    if (rc == 0) print_summary(progress, out, st, best);
    else if (rc == 1)
        fprintf(progress, "stopped: the checkpoint holds generation %d/%d, pair %d/%d; continue with\n"
                "  %s relnas search --resume %s\n", st->generation + 1, st->settings.generations,
                st->pair + 1, st->settings.population / 2, relnas_program_name(), out);
    else fprintf(progress, "darknet relnas search: %s\n", err);
    fclose(progress);
    close_files(&f);
    return exit_status(rc);
}

/* A rank's share of the machine: its own GPU (rank on the machine mod visible GPUs) and,
 * unless OMP_NUM_THREADS says, its share of the cores. */
static void place_rank(const relnas_transport_info *ranks)
{
    if (ranks->local_size < 2) return;
#ifdef GPU
    int devices = 0;
    if (gpu_index >= 0 && cudaGetDeviceCount(&devices) == cudaSuccess && devices > 0) {
        gpu_index = ranks->local_rank % devices;
        cuda_set_device(gpu_index);
    }
#endif
#ifdef _OPENMP
    int cores = omp_get_num_procs();
    if (!getenv("OMP_NUM_THREADS")) omp_set_num_threads(cores / ranks->local_size > 1 ? cores / ranks->local_size : 1);
#endif
}

/* The search every rank runs, prepared on rank 0 (options, checkpoint, run directory) and
 * shared; the other ranks load the data it names. Returns 0, or 1 with a message printed. */
static int prepare_ranks(relnas_args *a, const char *resume, int parallel, const relnas_transport_info *ranks,
                         char *out, size_t outlen, relnas_search_state *st, relnas_image_set *data)
{
    char err[1024] = "";
    int rc = 0;
    memset(st, 0, sizeof(*st)), memset(data, 0, sizeof(*data));
    if (ranks->rank == 0) {
        rc = prepare(a, resume, parallel, out, outlen, st, data, err, sizeof(err));
        if (rc == -2) fputs(usage, stderr);
        else if (rc) fprintf(stderr, "darknet relnas search: %s\n", err);
        else if (make_directories(out))
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
    if (relnas_arg_flag(&a, "--help")) return fputs(usage, stdout), 0;
    const char *resume = relnas_arg_string(&a, "--resume", NULL);
    int parallel = relnas_arg_flag(&a, "--parallel-pairs");
    if (relnas_arg_gpu(&a)) return fputs(usage, stderr), 2;
    for (size_t i = 0; resume && i < sizeof(setting_options) / sizeof(*setting_options); ++i)
        if (relnas_arg_string(&a, setting_options[i], NULL)) {
            fprintf(stderr, "darknet relnas search: --resume continues with the settings, data and directory of its "
                    "checkpoint; drop %s\n", setting_options[i]);
            return 2;
        }
    if (resume && relnas_args_finish(&a, 0)) return fputs(usage, stderr), 2;
    char out[4096] = "", err[1024];
    relnas_transport_info ranks = {0, 1, 0, 1, "single process"};
    if ((parallel || resume || relnas_transport_launched()) && relnas_transport_init(&ranks, err, sizeof(err)))
        return fprintf(stderr, "darknet relnas search: %s\n", err), 1;
    place_rank(&ranks);
    relnas_search_state st;
    relnas_image_set data;
    int rc = prepare_ranks(&a, resume, parallel, &ranks, out, sizeof(out), &st, &data);
    if (rc == 0) {
        rc = ranks.rank == 0 ? search(&st, &data, out, resume != NULL, &ranks) : search_quietly(&st, &data);
        relnas_search_state_free(&st);
        relnas_image_set_free(&data);
    }
    relnas_transport_finalize();
    return rc;
}
