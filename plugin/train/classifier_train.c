#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "classifier_train.h"
#include "classifier_eval.h"
#include "network.h"
#include "chart.h"
#include "network_params.h"
#include "non_finite.h"
#include "progress_time.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "sgd_step.h"
#include "weights_save.h"

/* Saves the weights as backup/NAME_SUFFIX.weights. */
static int save_atomically(network *net, const relnas_train_options *o, const char *suffix, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s_%s.weights", o->backup, o->name, suffix);
    return relnas_save_weights_atomically(net, path, err, errlen);
}

/* The order of epoch e: a permutation drawn from (seed, e), so a resumed run continues it. */
static void epoch_order(int *order, int count, unsigned long long seed, int epoch)
{
    relnas_rng rng = relnas_rng_seeded(seed * 1000003ull + (unsigned long long)epoch);
    for (int i = 0; i < count; ++i) order[i] = i;
    relnas_shuffle(order, count, &rng);
}

typedef struct trainer {
    network *net;
    const relnas_image_set *train, *valid;
    const relnas_train_options *o;
    FILE *progress;
    int per_epoch;            /* updates per epoch */
    int *order, *batch;       /* an epoch's order; one sub-batch's images */
    float *momentum;
    relnas_rng rng;
    double *losses;              /* per iteration (NAN before a resumed run's start) */
    double *accuracies, *accuracy_iterations; /* per validation pass */
    int nlosses, naccuracies, first_iteration;
    double avg_loss, start;
} trainer;

/* One update (subdivisions sub-batches) at iteration `it`; returns its mean loss. */
static double train_iteration(trainer *t, int it, int first)
{
    network *net = t->net;
    double sum = 0;
    int images_per_epoch = t->per_epoch * net->batch * net->subdivisions;
    for (int s = 0; s < net->subdivisions; ++s) {
        int *idx = t->batch;
        for (int b = 0; b < net->batch; ++b) {
            long k = ((long)it * net->subdivisions + s) * net->batch + b;
            if (k % images_per_epoch == 0 || (first && s == 0 && b == 0))
                epoch_order(t->order, t->train->count, t->o->seed, (int)(k / images_per_epoch));
            idx[b] = t->order[k % images_per_epoch];
        }
        relnas_fill_batch(net->input, net->truth, t->train, idx, net->batch, t->o->augment, &t->rng);
        sum += relnas_sgd_step(net, t->momentum, t->o->clip, first && s == 0);
    }
    return sum / net->subdivisions;
}

static double validate(trainer *t)
{
    if (!t->valid) return NAN;
    float *probs = RELNAS_CALLOC((size_t)t->valid->count * t->net->outputs, sizeof(float));
    relnas_predict_set(t->net, t->valid, 0, probs);
    double acc = relnas_topk_accuracy(probs, t->valid->labels, t->valid->count, t->net->outputs, 1);
    free(probs);
    return acc;
}

static void write_chart(trainer *t)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s_chart.png", t->o->backup, t->o->name);
    const relnas_chart_series series[2] = {
        {.name = "training loss", .y = t->losses, .count = t->nlosses, .rgb = {220, 40, 40}},
        {.name = "validation top-1", .x = t->accuracy_iterations, .y = t->accuracies, .count = t->naccuracies,
         .rgb = {40, 80, 220}, .side = RELNAS_CHART_RIGHT, .markers = 1},
    };
    const relnas_chart chart = {
        .title = t->o->name,
        .x_title = "iteration",
        .left = {.title = "training loss (per update)", .lo = NAN, .hi = NAN, .clip_spikes = 1},
        .right = {.title = "validation top-1 accuracy", .lo = 0, .hi = 1},
        .series = series,
        .nseries = 2,
        .width = 800,
        .height = 480,
    };
    char err[512];
    if (relnas_chart_write_png(path, &chart, err, sizeof(err))) fprintf(t->progress, "warning: %s\n", err);
}

/* The Darknet-style line of iteration it. */
static void report_iteration(trainer *t, int it, double loss, double seconds)
{
    network *net = t->net;
    t->avg_loss = t->avg_loss < 0 ? loss : t->avg_loss * .9 + loss * .1;
    double elapsed = relnas_now() - t->start, left = net->max_batches - it - 1;
    int done_here = t->nlosses - t->first_iteration;
    fprintf(t->progress, "%d, %.3f: %f, %f avg, %f rate, %lf seconds, %zu images, ETA ", it + 1,
            (double)(it + 1) / t->per_epoch, loss, t->avg_loss, get_current_rate(net), seconds, *net->seen);
    relnas_print_duration(t->progress, done_here ? elapsed / done_here * left : 0);
    fprintf(t->progress, "\n");
}

/* Validation, backups and chart at the end of an epoch (or when stopping). */
static int checkpoint(trainer *t, relnas_train_result *r, int epoch, int iteration, char *err, size_t errlen)
{
    double acc = validate(t);
    t->accuracy_iterations[t->naccuracies] = iteration;
    t->accuracies[t->naccuracies++] = acc;
    r->last_accuracy = acc;
    fprintf(t->progress, "epoch %d: validation top-1 %.4f", epoch, acc);
    if (isfinite(acc) && (!isfinite(r->best_accuracy) || acc > r->best_accuracy)) {
        r->best_accuracy = acc, r->best_epoch = epoch;
        fprintf(t->progress, " (best so far)");
        if (save_atomically(t->net, t->o, "best", err, errlen)) return -1;
    }
    fprintf(t->progress, "\n");
    write_chart(t);
    return save_atomically(t->net, t->o, "last", err, errlen);
}

static void setup(trainer *t, network *net, const relnas_image_set *train, const relnas_image_set *valid,
                  const relnas_train_options *o, FILE *progress)
{
    memset(t, 0, sizeof(*t));
    t->net = net, t->train = train, t->valid = valid, t->o = o, t->progress = progress;
    t->per_epoch = train->count / (net->batch * net->subdivisions);
    if (t->per_epoch < 1) t->per_epoch = 1;
    t->order = RELNAS_CALLOC((size_t)train->count, sizeof(int));
    t->batch = RELNAS_CALLOC((size_t)net->batch, sizeof(int));
    t->momentum = relnas_updates_alloc(net);
    t->rng = relnas_rng_seeded(o->seed ^ (unsigned long long)get_current_batch(net));
    t->losses = RELNAS_CALLOC((size_t)net->max_batches + 1, sizeof(double));
    for (int i = 0; i <= net->max_batches; ++i) t->losses[i] = NAN;
    t->nlosses = t->first_iteration = (int)get_current_batch(net);
    t->accuracies = RELNAS_CALLOC((size_t)net->max_batches / t->per_epoch + 3, sizeof(double));
    t->accuracy_iterations = RELNAS_CALLOC((size_t)net->max_batches / t->per_epoch + 3, sizeof(double));
    t->avg_loss = -1;
    t->start = relnas_now();
}

int relnas_train_classifier(network *net, const relnas_image_set *train, const relnas_image_set *valid,
                            const relnas_train_options *o, FILE *progress, relnas_train_result *r, char *err,
                            size_t errlen)
{
    trainer t;
    setup(&t, net, train, valid, o, progress);
    *r = (relnas_train_result){0, 0, NAN, NAN, 0, 0, 0};
    int rc = 0, first = 1;
    for (int it = (int)get_current_batch(net); it < net->max_batches && rc == 0; ++it, first = 0) {
        double t0 = relnas_now(), loss = train_iteration(&t, it, first);
        if (!isfinite(loss)) {
            char where[128];
            relnas_describe_first_non_finite(net, where, sizeof(where));
            rc = relnas_errorf(err, errlen, "the loss is not finite at iteration %d (rate %g)%s: lower learning_rate "
                               "or check the data", it + 1, get_current_rate(net), where);
            break;
        }
        t.losses[it] = loss, t.nlosses = it + 1;
        report_iteration(&t, it, loss, relnas_now() - t0);
        r->iterations = it + 1;
        int epoch = (it + 1) / t.per_epoch, epoch_end = (it + 1) % t.per_epoch == 0;
        int stopping = o->stop && *o->stop, last = it + 1 == net->max_batches;
        if ((epoch_end && (epoch % o->valid_every == 0)) || last || stopping)
            rc = checkpoint(&t, r, epoch, it + 1, err, errlen);
        if (stopping) {
            r->stopped = 1;
            break;
        }
    }
    if (rc == 0 && !r->stopped) rc = save_atomically(net, o, "final", err, errlen);
    r->epochs = r->iterations / t.per_epoch;
    r->seconds = relnas_now() - t.start;
    relnas_updates_free(net, t.momentum);
    free(t.order), free(t.batch), free(t.losses), free(t.accuracies), free(t.accuracy_iterations);
    return rc;
}
