#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "candidate.h"
#include "memory_plan.h"
#include "sgd_step.h"
#include "network_params.h"
#include "quiet_output.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "weight_set.h"

/* parse_network_cfg with Darknet's per-layer listing on stderr silenced. */
static network *parse_quietly(const char *path)
{
    int saved = relnas_stderr_silence();
    network *net = parse_network_cfg((char *)path);
    relnas_stderr_restore(saved);
    return net;
}

/* Every keyed op layer whose key an earlier layer has applies that layer's parameters. */
static void tie_repeated_ops(relnas_candidate *c)
{
    network *net = c->net;
    c->tied = RELNAS_CALLOC((size_t)net->n, sizeof(*c->tied));
    for (int k = 0; k < net->n; ++k) {
        if (c->keys[k].kind != RELNAS_KEY_OP) continue;
        int i = 0;
        while (i < k && !relnas_same_layer_key(c->keys[i], c->keys[k])) ++i;
        if (i == k) continue;
        c->tied[c->ntied++] = (relnas_tied_layer){k, i, net->layers[k]};
        relnas_share_params(&net->layers[k], &net->layers[i]);
    }
}

static int build(relnas_candidate *c, const relnas_genotype *g, const relnas_net_spec *spec, int tie,
                 char *err, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    char path[] = "/tmp/relnas-candidate-XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) return relnas_errorf(err, errlen, "cannot create a temporary cfg in /tmp");
    int capacity = 64 + spec->cells * 40;
    c->keys = RELNAS_CALLOC((size_t)capacity, sizeof(*c->keys));
    int n = 0, rc = relnas_write_cfg_keyed(fp, g, spec, "the search", c->keys, capacity, &n, err, errlen);
    fclose(fp);
    if (rc == 0) {
        RELNAS_ASSERT(n <= capacity);
        c->net = parse_quietly(path);
        c->net->policy = CONSTANT; /* the search sets the rate of each generation */
        if (tie) tie_repeated_ops(c);
        relnas_plan_training(c->net);
        c->momentum = relnas_updates_alloc(c->net);
    }
    unlink(path);
    if (rc) relnas_candidate_free(c);
    return rc;
}

int relnas_candidate_build(relnas_candidate *c, const relnas_genotype *g, const relnas_net_spec *spec,
                           char *err, size_t errlen)
{
    return build(c, g, spec, 1, err, errlen);
}

int relnas_candidate_build_alone(relnas_candidate *c, const relnas_genotype *g, const relnas_net_spec *spec,
                                 char *err, size_t errlen)
{
    return build(c, g, spec, 0, err, errlen);
}

void relnas_candidate_free(relnas_candidate *c)
{
    if (c->net) {
        relnas_updates_free(c->net, c->momentum);
        for (int t = 0; t < c->ntied; ++t) relnas_unshare_params(&c->net->layers[c->tied[t].index], &c->tied[t].own);
        free_network(c->net);
    }
    free(c->keys);
    free(c->tied);
    memset(c, 0, sizeof(*c));
}

/* Drop-path follows the search's progress: the layers read batches done / max_batches. */
static void set_progress(network *net, float progress)
{
    net->max_batches = 1000000;
    *net->seen = (size_t)(progress * net->max_batches) * net->batch * net->subdivisions;
}

/* Darknet's cosine policy from the network's rate to 0 over `batches` steps, from step 0. */
static void anneal_over(network *net, int batches)
{
    net->policy = COSINE;
    net->learning_rate_min = 0;
    net->max_batches = batches;
    *net->seen = 0;
}

double relnas_candidate_train(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                              relnas_train_settings s, relnas_rng *rng)
{
    network *net = c->net;
    net->learning_rate = s.learning_rate;
    net->momentum = s.momentum;
    net->decay = s.decay;
    if (s.anneal) anneal_over(net, s.batches);
    else set_progress(net, s.progress);
    int *batch = RELNAS_CALLOC((size_t)net->batch, sizeof(int));
    relnas_epoch_sampler sampler = relnas_epoch_sampler_make(idx, nidx);
    double total = 0;
    for (int t = 0; t < s.batches; ++t) {
        relnas_epoch_sampler_next(&sampler, batch, net->batch, rng);
        relnas_fill_batch(net->input, net->truth, data, batch, net->batch, s.augment, rng);
        double loss = relnas_sgd_step(net, c->momentum, s.clip, t == 0);
        if (!isfinite(loss) || (s.stop && *s.stop)) {
            total = NAN;
            break;
        }
        total += loss;
    }
    free(batch);
    relnas_epoch_sampler_free(&sampler);
    return s.batches ? total / s.batches : 0;
}

/* Training-mode forward passes update running = (1 - m) running + m batch; zeroing the
 * running values before each pass leaves m * batch, summed here and divided at the end (a
 * module applied twice, tie_repeated_ops, leaves (1 - (1 - m)^2) * batch). */
void relnas_candidate_recompute_bn(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                                   int batches, relnas_rng *rng)
{
    network *net = c->net;
    RELNAS_ASSERT(net->gpu_index < 0);
    int n = net->n;
    double **sums = RELNAS_CALLOC((size_t)n, sizeof(double *));
    for (int i = 0; i < n; ++i) {
        relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
        if (p.has_bn && p.rolling_mean) sums[i] = RELNAS_CALLOC(2 * (size_t)p.nbiases, sizeof(double));
    }
    int *batch = RELNAS_CALLOC((size_t)net->batch, sizeof(int));
    relnas_epoch_sampler sampler = relnas_epoch_sampler_make(idx, nidx);
    relnas_augment none = {0, 0, 0};
    set_progress(net, 0); /* no drop-path */
    for (int t = 0; t < batches; ++t) {
        relnas_epoch_sampler_next(&sampler, batch, net->batch, rng);
        relnas_fill_batch(net->input, net->truth, data, batch, net->batch, none, rng);
        for (int i = 0; i < n; ++i) {
            relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
            if (sums[i]) memset(p.rolling_mean, 0, sizeof(float) * (size_t)p.nbiases),
                         memset(p.rolling_variance, 0, sizeof(float) * (size_t)p.nbiases);
        }
        net->train = 1;
        forward_network(net);
        for (int i = 0; i < n; ++i) {
            relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
            for (int k = 0; sums[i] && k < p.nbiases; ++k)
                sums[i][k] += p.rolling_mean[k], sums[i][p.nbiases + k] += p.rolling_variance[k];
        }
    }
    for (int i = 0; i < n; ++i) {
        if (!sums[i]) continue;
        relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
        int applied = 1;
        for (int t = 0; t < c->ntied; ++t) applied += c->tied[t].source == i;
        double kept = pow(1 - relnas_bn_momentum_of(net->layers[i]), applied);
        double scale = 1.0 / ((double)batches * (1 - kept));
        for (int k = 0; k < p.nbiases; ++k) {
            p.rolling_mean[k] = (float)(sums[i][k] * scale);
            p.rolling_variance[k] = (float)(sums[i][p.nbiases + k] * scale);
        }
        free(sums[i]);
    }
    free(sums), free(batch);
    relnas_epoch_sampler_free(&sampler);
}

static int argmax(const float *x, int n)
{
    int best = 0;
    for (int i = 1; i < n; ++i)
        if (x[i] > x[best]) best = i;
    return best;
}

void relnas_candidate_validate(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                               int batches, double *loss, double *accuracy)
{
    network *net = c->net;
    int whole = nidx / net->batch, classes = data->classes;
    if (batches <= 0 || batches > whole) batches = whole;
    double total = 0;
    long correct = 0;
    relnas_augment none = {0, 0, 0};
    for (int t = 0; t < batches; ++t) {
        relnas_fill_batch(net->input, net->truth, data, idx + (long)t * net->batch, net->batch, none, NULL);
        net->train = 0;
        forward_network(net);
        total += *net->cost / net->batch;
        for (int b = 0; b < net->batch; ++b)
            correct += argmax(net->output + b * classes, classes) == data->labels[idx[t * net->batch + b]];
    }
    *loss = batches ? total / batches : NAN;
    *accuracy = batches ? (double)correct / ((double)batches * net->batch) : NAN;
}
