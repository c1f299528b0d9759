#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "candidate.h"
#include "memory_plan.h"
#include "sgd_step.h"
#include "network_params.h"
#include "quiet_stderr.h"
#include "relnas_check.h"
#include "relnas_error.h"

/* parse_network_cfg with Darknet's per-layer listing on stderr silenced. */
static network *parse_quietly(const char *path)
{
    int saved = relnas_stderr_silence();
    network *net = parse_network_cfg((char *)path);
    relnas_stderr_restore(saved);
    return net;
}

int relnas_candidate_build(relnas_candidate *c, const relnas_genotype *g, const relnas_net_spec *spec,
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
        relnas_plan_training(c->net);
        c->momentum = relnas_updates_alloc(c->net);
    }
    unlink(path);
    if (rc) relnas_candidate_free(c);
    return rc;
}

void relnas_candidate_free(relnas_candidate *c)
{
    if (c->net) relnas_updates_free(c->net, c->momentum), free_network(c->net);
    free(c->keys);
    memset(c, 0, sizeof(*c));
}

/* Drop-path follows the search's progress: the layers read batches done / max_batches. */
static void set_progress(network *net, float progress)
{
    net->max_batches = 1000000;
    *net->seen = (size_t)(progress * net->max_batches) * net->batch * net->subdivisions;
}

double relnas_candidate_train(relnas_candidate *c, const relnas_image_set *data, const int *idx, int nidx,
                              relnas_train_settings s, relnas_rng *rng)
{
    network *net = c->net;
    net->learning_rate = s.learning_rate;
    net->momentum = s.momentum;
    net->decay = s.decay;
    set_progress(net, s.progress);
    int *batch = RELNAS_CALLOC((size_t)net->batch, sizeof(int));
    double total = 0;
    for (int t = 0; t < s.batches; ++t) {
        for (int b = 0; b < net->batch; ++b) batch[b] = idx[relnas_rng_below(rng, (uint64_t)nidx)];
        relnas_fill_batch(net->input, net->truth, data, batch, net->batch, s.augment, rng);
        double loss = relnas_sgd_step(net, c->momentum, s.clip, t == 0);
        if (!isfinite(loss) || (s.stop && *s.stop)) {
            free(batch);
            return NAN;
        }
        total += loss;
    }
    free(batch);
    return s.batches ? total / s.batches : 0;
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
