/* darknet relnas train DATA CFG [WEIGHTS] [options]: trains a classifier cfg the way the
 * DARTS family trains its networks (relnas_train_classifier), validating on DATA's test part. */
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>
#include "classifier_data.h"
#include "classifier_train.h"
#include "cli_args.h"
#include "darknet.h"
#include "memory_plan.h"
#include "program_name.h"
#include "relnas_commands.h"
#include "stop_signals.h"
#include "relnas_error.h"

static const char usage[] =
    "usage: darknet relnas train DATA CFG [WEIGHTS] [options]\n"
    "  DATA             fashion-mnist, cifar10:DIR, cifar100:DIR, FILE.data (Darknet's classification\n"
    "                   data), idx:IMAGES,LABELS (with --valid for validation)\n"
    "  WEIGHTS          start from these; backup/NAME_last.weights resumes a run where it stopped\n"
    "  --epochs N       train N epochs (sets max_batches; default: the cfg's max_batches)\n"
    "  --iterations N   train N iterations (sets max_batches)\n"
    "  --valid SPEC     validation data (default: DATA's test part)\n"
    "  --valid-every N  epochs between validation passes and backups (default 1)\n"
    "  --backup DIR     where the weights and the chart go (default backup)\n"
    "  --learning-rate X  override the cfg's learning_rate\n"
    "  --clip X (5)  --pad N (4)  --cutout N (16)  --no-flip  --seed S (1)  -gpus N\n"
    "The rate, momentum, decay and policy (policy=cosine) come from the cfg's [net] block.\n"
    "Ctrl-C saves NAME_last.weights and stops.\n";

static const char *policy_name(learning_rate_policy p)
{
    static const char *const names[] = {"constant", "step", "exp", "poly", "steps", "sigmoid", "random", "cosine"};
    return p >= 0 && p < (int)(sizeof(names) / sizeof(*names)) ? names[p] : "?";
}

/* NAME: the cfg's file name without directory and extension. */
static void base_name(const char *cfg, char *name, size_t len)
{
    char copy[4096];
    snprintf(copy, sizeof(copy), "%s", cfg);
    snprintf(name, len, "%s", basename(copy));
    char *dot = strrchr(name, '.');
    if (dot && dot != name) *dot = '\0';
}

static int read_options(relnas_args *a, relnas_train_options *o, int *epochs, int *iterations, int *valid_every)
{
    *epochs = relnas_arg_int(a, "--epochs", 0, 1, 1000000); /* absent: 0, the cfg's max_batches */
    *iterations = relnas_arg_int(a, "--iterations", 0, 1, 2000000000);
    if (*epochs && *iterations) {
        fprintf(stderr, "darknet relnas train: --epochs %d and --iterations %d both set the length: give one\n", *epochs,
                *iterations);
        return -1;
    }
    *valid_every = relnas_arg_int(a, "--valid-every", 1, 1, 1000000);
    o->clip = (float)relnas_arg_double(a, "--clip", 5, 0, 1e9);
    o->augment.pad = relnas_arg_int(a, "--pad", 4, 0, 64);
    o->augment.cutout = relnas_arg_int(a, "--cutout", 16, 0, 4096);
    o->augment.flip = !relnas_arg_flag(a, "--no-flip");
    o->seed = (unsigned long long)relnas_arg_int(a, "--seed", 1, 0, 2000000000);
    o->backup = relnas_arg_string(a, "--backup", "backup");
    o->valid_every = *valid_every;
    return a->failed ? -1 : 0;
}

/* The options as the user gave them (argv but the positional arguments), and -nogpu if the
 * GPU build runs on the CPU: the "continue" line must run the same training. */
static void print_options(FILE *out, int argc, char **argv, const char *const *positional, int npositional)
{
    for (int i = 1; i < argc; ++i) {
        int skip = 0;
        for (int k = 0; k < npositional; ++k) skip = skip || (positional[k] && argv[i] == positional[k]);
        if (!skip) fprintf(out, " %s", argv[i]);
    }
#ifdef GPU
    if (gpu_index < 0) fprintf(out, " -nogpu");
#endif
}

static void print_summary(const relnas_train_options *o, const relnas_train_result *r, const char *data,
                          const char *cfg, int argc, char **argv, const char *const *positional)
{
    printf("\n%s after %d iterations (%d epochs) in %.0f s: validation top-1 %.4f, best %.4f (epoch %d)\n",
           r->stopped ? "stopped" : "done", r->iterations, r->epochs, r->seconds, r->last_accuracy,
           r->best_accuracy, r->best_epoch);
    printf("weights: %s/%s_last.weights%s, %s/%s_best.weights\nchart:   %s/%s_chart.png (training loss; "
           "validation top-1 on the right axis)\n", o->backup, o->name, r->stopped ? "" : ", _final.weights", o->backup,
           o->name, o->backup, o->name);
    if (r->stopped) {
        printf("continue: %s relnas train %s %s %s/%s_last.weights", relnas_program_name(), data, cfg, o->backup,
               o->name);
        print_options(stdout, argc, argv, positional, 3);
        printf("\n");
    } else
        printf("evaluate: %s relnas valid %s %s %s/%s_final.weights\n", relnas_program_name(), data, cfg, o->backup,
               o->name);
}

/* Loads the network and both data parts; sets max_batches from --epochs. */
static int prepare(const char *data, const char *cfg, const char *weights, const char *valid_spec, int epochs,
                   int iterations, double rate, network **net, relnas_image_set *train, relnas_image_set *valid, char *err, size_t errlen)
{
    *net = relnas_load_classifier(cfg, weights, err, errlen);
    if (!*net) return -1;
    if (relnas_load_classifier_data(*net, data, RELNAS_DATA_TRAIN, train, err, errlen)) return -1;
    int no_test_part = !valid_spec && strncmp(data, "idx:", 4) == 0;
    if (no_test_part) memset(valid, 0, sizeof(*valid));
    else if (relnas_load_eval_data(*net, data, valid_spec, valid, err, errlen)) return -1;
    int per_epoch = train->count / ((*net)->batch * (*net)->subdivisions);
    if (epochs) (*net)->max_batches = epochs * (per_epoch > 0 ? per_epoch : 1);
    if (iterations) (*net)->max_batches = iterations;
    if (rate > 0) (*net)->learning_rate = (float)rate;
    if ((*net)->max_batches <= 0)
        return relnas_errorf(err, errlen, "%s: max_batches is 0: set it in [net] or give --epochs", cfg);
    relnas_plan_training(*net);
    return 0;
}

int relnas_cmd_train(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) return fputs(usage, stdout), 0;
    relnas_train_options o;
    memset(&o, 0, sizeof(o));
    int epochs, iterations, valid_every, bad = read_options(&a, &o, &epochs, &iterations, &valid_every) ||
                                               relnas_arg_gpu(&a);
    const char *valid_spec = relnas_arg_string(&a, "--valid", NULL);
    double rate = relnas_arg_double(&a, "--learning-rate", 0, 0, 100);
    const char *data = relnas_arg_positional(&a, 0), *cfg = relnas_arg_positional(&a, 1);
    const char *weights = relnas_arg_positional(&a, 2);
    if (relnas_args_finish(&a, 3) || bad || !cfg) return fputs(usage, stderr), 2;
    char name[1024], err[1024];
    base_name(cfg, name, sizeof(name));
    o.name = name;
    network *net = NULL;
    relnas_image_set train = {0}, valid = {0};
    int rc = prepare(data, cfg, weights, valid_spec, epochs, iterations, rate, &net, &train, &valid, err, sizeof(err));
    if (rc == 0 && mkdir(o.backup, 0777) && errno != EEXIST) {
        snprintf(err, sizeof(err), "cannot create %s", o.backup);
        rc = -1;
    }
    relnas_train_result r;
    if (rc == 0) {
        printf("training %s on %s (%d images; validation: %d images) from %s: %d iterations of %d images, rate %g "
               "(policy %s), momentum %g, decay %g, clip %g, pad %d flip %d cutout %d\n", cfg, data, train.count,
               valid.count, weights ? weights : "initial weights", net->max_batches, net->batch * net->subdivisions,
               net->learning_rate, policy_name(net->policy), net->momentum, net->decay, o.clip, o.augment.pad, o.augment.flip,
               o.augment.cutout);
        o.stop = relnas_catch_stop_signals();
        rc = relnas_train_classifier(net, &train, valid.count ? &valid : NULL, &o, stdout, &r, err, sizeof(err));
    }
    const char *positional[3] = {data, cfg, weights};
    if (rc == 0) print_summary(&o, &r, data, cfg, argc, argv, positional);
    else fprintf(stderr, "darknet relnas train: %s\n", err);
    relnas_image_set_free(&train);
    relnas_image_set_free(&valid);
    if (net) free_network(net);
    return rc ? 1 : r.stopped ? 130 : 0;
}
