/* darknet relnas search [DATA] [options]: the RelativeNAS search, writing its run directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cfg_writer.h"
#include "cli_args.h"
#include "genotype_parse.h"
#include "image_set.h"
#include "relnas_commands.h"
#include "search.h"
#include "search_chart.h"

static const char usage[] =
    "usage: darknet relnas search [DATA] [options]\n"
    "  DATA            fashion-mnist (default: Debian's dataset-fashion-mnist, fetched into build/data\n"
    "                  when missing), cifar10:DIR (data_batch_1..5.bin), cifar100:DIR (train.bin),\n"
    "                  idx:IMAGES.gz,LABELS.gz\n"
    "  --profile P     quick (default: pop 8, 4 generations, C=8, 5 cells, 40 training and 10\n"
    "                  validation batches of 64 per candidate) or paper (pop 20, 50 generations,\n"
    "                  C=16, 8 cells, batch 256, one epoch per candidate, cutout 16)\n"
    "  --population M --generations G --batch B --train-batches T --valid-batches V\n"
    "  --channels C --cells N --seed S --out DIR (default runs/search-DATE-TIME)\n"
    "Not there yet: --resume and checkpoints, -gpus.\n";

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
    const char *profile = relnas_arg_string(a, "--profile", "quick");
    relnas_search_settings quick = {8, 4, 64, 40, 10, 8, 5, 0.1, 0.001, 0.9, 3e-4, 5, 0.3, 0.5, 0, 4, 1, 1};
    relnas_search_settings paper = {20, 50, 256, 0, 0, 16, 8, 0.1, 0.001, 0.9, 3e-4, 5, 0.3, 0.5, 16, 4, 1, 1};
    if (strcmp(profile, "quick") == 0) *s = quick;
    else if (strcmp(profile, "paper") == 0) *s = paper;
    else {
        fprintf(stderr, "darknet relnas search: unknown profile '%s' (quick, paper)\n", profile);
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
    if (s->population % 2 || s->C % 2) {
        fprintf(stderr, "darknet relnas search: --population and --channels must be even\n");
        return -1;
    }
    return 0;
}

/* The Fashion-MNIST directory: $RELNAS_FASHION_MNIST, Debian's, or fetched into build/data. */
static int fashion_mnist_dir(char *dir, size_t len)
{
    const char *env = getenv("RELNAS_FASHION_MNIST");
    const char *known[] = {env, "/usr/share/datasets/fashion-mnist", "build/data/root/usr/share/datasets/fashion-mnist"};
    for (int i = 0; i < 3; ++i) {
        char probe[4096];
        if (!known[i]) continue;
        snprintf(probe, sizeof(probe), "%s/train-images-idx3-ubyte.gz", known[i]);
        if (access(probe, R_OK) == 0) return snprintf(dir, len, "%s", known[i]) > 0 ? 0 : -1;
    }
    if (access("scripts/fetch-fashion-mnist", X_OK) != 0) return -1;
    fprintf(stderr, "Fashion-MNIST not found: fetching Debian's dataset-fashion-mnist into build/data\n");
    FILE *p = popen("scripts/fetch-fashion-mnist build/data", "r");
    if (!p) return -1;
    int ok = fgets(dir, (int)len, p) != NULL;
    if (pclose(p) != 0 || !ok) return -1;
    dir[strcspn(dir, "\n")] = '\0';
    return 0;
}

static int load_data(const char *spec, relnas_image_set *data, char *err, size_t errlen)
{
    char a[4200], b[4200];
    if (strcmp(spec, "fashion-mnist") == 0) {
        char dir[4000];
        if (fashion_mnist_dir(dir, sizeof(dir)))
            return snprintf(err, errlen, "Fashion-MNIST not found; run `make data` or apt-get install "
                            "dataset-fashion-mnist"), -1;
        snprintf(a, sizeof(a), "%s/train-images-idx3-ubyte.gz", dir);
        snprintf(b, sizeof(b), "%s/train-labels-idx1-ubyte.gz", dir);
        return relnas_read_idx(a, b, data, err, errlen);
    }
    if (strncmp(spec, "idx:", 4) == 0 && strchr(spec, ',')) {
        snprintf(a, sizeof(a), "%.*s", (int)(strchr(spec, ',') - spec - 4), spec + 4);
        return relnas_read_idx(a, strchr(spec, ',') + 1, data, err, errlen);
    }
    if (strncmp(spec, "cifar10:", 8) == 0) {
        char files[5][4096];
        const char *paths[5];
        for (int i = 0; i < 5; ++i) {
            snprintf(files[i], sizeof(files[i]), "%s/data_batch_%d.bin", spec + 8, i + 1);
            paths[i] = files[i];
        }
        return relnas_read_cifar(paths, 5, 0, data, err, errlen);
    }
    if (strncmp(spec, "cifar100:", 9) == 0) {
        snprintf(a, sizeof(a), "%s/train.bin", spec + 9);
        const char *path = a;
        return relnas_read_cifar(&path, 1, 1, data, err, errlen);
    }
    return snprintf(err, errlen, "unknown data '%s' (fashion-mnist, cifar10:DIR, cifar100:DIR, idx:IMAGES,LABELS)",
                    spec), -1;
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

static int write_results(const char *out, const relnas_search_result *r, const relnas_image_set *data)
{
    relnas_genotype g;
    char err[512], repr[2048], path[4200];
    if (relnas_genotype_from_vector(r->vector, &g, err, sizeof(err))) return -1;
    relnas_genotype_format(repr, sizeof(repr), &g);
    strcat(repr, "\n");
    if (write_text(out, "final.genotype", repr)) return -1;
    relnas_net_spec spec;
    relnas_net_preset("cifar", &spec);
    spec.classes = data->classes, spec.width = data->w, spec.height = data->h, spec.channels = data->c;
    spec.auxiliary = data->w >= 32 && data->h >= 32; /* the head's pooling needs 8x8 maps */
    snprintf(path, sizeof(path), "%s/final.cfg", out);
    FILE *fp = fopen(path, "w");
    if (!fp) return -1;
    int rc = relnas_write_cfg(fp, &g, &spec, "relnas search", err, sizeof(err));
    return fclose(fp) || rc;
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

static void print_settings(FILE *out, const relnas_search_settings *s, const char *data, const relnas_image_set *d)
{
    fprintf(out, "RelativeNAS search on %s (%d images %dx%dx%d, %d classes): population %d, %d generations, "
            "C=%d, %d cells, batch %d, %d training and %d validation batches per candidate (0: all), "
            "lr %.3g -> %.3g (cosine), momentum %.2g, decay %.2g, clip %.2g, drop-path %.2g, "
            "pad %d flip %d cutout %d, seed %llu\n",
            data, d->count, d->w, d->h, d->c, d->classes, s->population, s->generations, s->C, s->cells, s->batch,
            s->train_batches, s->valid_batches, s->lr_max, s->lr_min, s->momentum, s->decay, s->clip,
            s->drop_path, s->pad, s->flip, s->cutout, s->seed);
}

int relnas_cmd_search(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    relnas_search_settings s;
    char out[4096];
    default_out(out, sizeof(out));
    snprintf(out, sizeof(out), "%s", relnas_arg_string(&a, "--out", out));
    int bad = read_settings(&a, &s);
    const char *data_spec = relnas_arg_positional(&a, 0);
    if (relnas_args_finish(&a, 1) || bad) {
        fputs(usage, stderr);
        return 2;
    }
    if (!data_spec) data_spec = "fashion-mnist";
    relnas_image_set data;
    char err[1024];
    if (load_data(data_spec, &data, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas search: %s\n", err);
        return 1;
    }
    if (s.train_batches == 0) s.train_batches = (int)(data.count * 0.5) / s.batch; /* one epoch */
    if (make_directories(out)) {
        fprintf(stderr, "darknet relnas search: cannot create %s\n", out);
        return 1;
    }
    char path[4200];
    snprintf(path, sizeof(path), "%s/log.txt", out);
    FILE *log = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/log.csv", out);
    FILE *csv = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/log.jsonl", out);
    FILE *jsonl = fopen(path, "w");
    if (!log || !csv || !jsonl) {
        fprintf(stderr, "darknet relnas search: cannot write in %s\n", out);
        return 1;
    }
    fprintf(csv, "generation,pair,candidate,role,train_loss,valid_loss,valid_accuracy,seconds,genotype\n");
    tee t = {stdout, log};
    FILE *progress = fopencookie(&t, "w", (cookie_io_functions_t){NULL, tee_write, NULL, NULL});
    setvbuf(progress, NULL, _IOLBF, 0);
    print_settings(progress, &s, data_spec, &data);
    relnas_search_result r;
    memset(&r, 0, sizeof(r));
    double *series = calloc((size_t)s.generations * 3, sizeof(double));
    r.fast_loss = series, r.slow_loss = series + s.generations, r.diversity = series + 2 * s.generations;
    int rc = relnas_search_run(&s, &data, progress, csv, jsonl, write_population, out, &r, err, sizeof(err));
    if (rc == 0 && !isfinite(r.best_valid_loss))
        rc = -1, snprintf(err, sizeof(err), "every candidate of the last generation diverged (non-finite loss)");
    if (rc == 0 && write_results(out, &r, &data))
        rc = -1, snprintf(err, sizeof(err), "cannot write the results in %.900s", out);
    snprintf(path, sizeof(path), "%s/chart.png", out);
    if (rc == 0 && relnas_write_search_chart(path, r.fast_loss, r.slow_loss, r.diversity, s.generations, 800, 480))
        rc = -1, snprintf(err, sizeof(err), "cannot write %.900s", path);
    if (rc == 0) {
        fprintf(progress, "search done in %.0f s (%.1f%% outside forward/backward/update: building candidates, "
                "loading and merging weights)\n", r.seconds, 100 * r.outside_seconds / r.seconds);
        fprintf(progress, "best of the last generation: validation loss %.4f, accuracy %.3f\n", r.best_valid_loss,
                r.best_valid_accuracy);
        fprintf(progress, "genotype: %s/final.genotype\ncfg:      %s/final.cfg (CIFAR-style preset for this data; "
                "`darknet relnas info %s/final.cfg`)\nlog:      %s/log.txt, %s/log.csv, %s/log.jsonl, %s/population_gen*.txt\n"
                "chart:    %s/chart.png (per generation: validation loss of fast learners red, slow blue; "
                "diversity green, below)\n",
                out, out, out, out, out, out, out, out);
    } else {
        fprintf(progress, "darknet relnas search: %s\n", err);
    }
    fclose(progress);
    fclose(log);
    fclose(csv);
    fclose(jsonl);
    relnas_image_set_free(&data);
    free(series);
    return rc ? 1 : 0;
}
