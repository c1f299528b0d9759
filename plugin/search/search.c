#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "search.h"
#include "batch_sampler.h"
#include "candidate.h"
#include "genotype_parse.h"
#include "population.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "weight_set.h"

double relnas_search_learning_rate(const relnas_search_settings *s, int gen)
{
    if (s->generations <= 1) return s->lr_max;
    return s->lr_min + 0.5 * (s->lr_max - s->lr_min) * (1 + cos(M_PI * gen / s->generations));
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Everything the loop shares. */
typedef struct search_state {
    const relnas_search_settings *s;
    const relnas_image_set *data;
    relnas_net_spec spec;
    int *train, ntrain, *valid, nvalid;
    relnas_weight_set ws;
    relnas_rng rng;
    double start, outside;
    int done, total;
    FILE *progress, *csv, *jsonl;
} search_state;

typedef struct member {
    int index;
    relnas_candidate c;
    double train_loss, valid_loss, valid_accuracy, seconds;
    char genotype[1024];
} member;

static void print_duration(FILE *out, double seconds)
{
    int s = (int)(seconds + 0.5);
    if (s >= 3600) fprintf(out, "%dh%02dm", s / 3600, s / 60 % 60);
    else fprintf(out, "%dm%02ds", s / 60, s % 60);
}

/* Builds, loads, trains and scores one population member. */
static int evaluate(search_state *st, member *m, const double *x, int gen, char *err, size_t errlen)
{
    double t0 = now();
    relnas_genotype g;
    if (relnas_genotype_from_vector(x, &g, err, errlen)) return -1;
    relnas_genotype_format(m->genotype, sizeof(m->genotype), &g);
    if (relnas_candidate_build(&m->c, &g, &st->spec, err, errlen)) return -1;
    relnas_weight_set_load(&st->ws, m->c.net, m->c.keys);
    double t1 = now();
    const relnas_search_settings *s = st->s;
    relnas_train_settings ts = {(float)relnas_search_learning_rate(s, gen), (float)s->momentum, (float)s->decay,
                                (float)s->clip, (float)gen / s->generations, {s->pad, s->flip, s->cutout},
                                s->train_batches};
    m->train_loss = relnas_candidate_train(&m->c, st->data, st->train, st->ntrain, ts, &st->rng);
    m->valid_loss = NAN, m->valid_accuracy = NAN;
    if (isfinite(m->train_loss))
        relnas_candidate_validate(&m->c, st->data, st->valid, st->nvalid, s->valid_batches, &m->valid_loss,
                                  &m->valid_accuracy);
    m->seconds = now() - t0;
    st->outside += t1 - t0;
    return 0;
}

static void report(search_state *st, const member *m, int gen, int pair, const char *role)
{
    ++st->done;
    double elapsed = now() - st->start;
    fprintf(st->progress, "gen %d/%d pair %d/%d  #%-3d %-4s train loss %7.4f  valid loss %7.4f acc %.3f  %5.1fs  ETA ",
            gen + 1, st->s->generations, pair + 1, st->s->population / 2, m->index, role, m->train_loss,
            m->valid_loss, m->valid_accuracy, m->seconds);
    print_duration(st->progress, elapsed / st->done * (st->total - st->done));
    fprintf(st->progress, "\n");
    fflush(st->progress);
    if (st->csv) {
        fprintf(st->csv, "%d,%d,%d,%s,%.6f,%.6f,%.6f,%.3f,\"%s\"\n", gen, pair, m->index, role, m->train_loss,
                m->valid_loss, m->valid_accuracy, m->seconds, m->genotype);
        fflush(st->csv);
    }
    if (st->jsonl) { /* JSON has no NaN: non-finite values are null */
        fprintf(st->jsonl, "{\"generation\": %d, \"pair\": %d, \"candidate\": %d, \"role\": \"%s\"", gen, pair,
                m->index, role);
        const char *names[3] = {"train_loss", "valid_loss", "valid_accuracy"};
        double values[3] = {m->train_loss, m->valid_loss, m->valid_accuracy};
        for (int k = 0; k < 3; ++k)
            if (isfinite(values[k])) fprintf(st->jsonl, ", \"%s\": %.6f", names[k], values[k]);
            else fprintf(st->jsonl, ", \"%s\": null", names[k]);
        fprintf(st->jsonl, ", \"seconds\": %.3f, \"genotype\": \"%s\"}\n", m->seconds, m->genotype);
        fflush(st->jsonl);
    }
}

/* diversity, the generation's best validation loss, rate, elapsed time and ETA. */
static void report_generation(search_state *st, const relnas_population *pop, const double *losses, int gen)
{
    int best = -1, diverged = 0;
    for (int i = 0; i < pop->size; ++i) {
        if (!isfinite(losses[i])) ++diverged;
        else if (best < 0 || losses[i] < losses[best]) best = i;
    }
    double elapsed = now() - st->start;
    fprintf(st->progress, "generation %d/%d done: diversity %.3f, best valid loss %.4f (#%d), %d diverged, "
            "learning rate %.4f, elapsed ", gen + 1, st->s->generations, relnas_population_diversity(pop),
            best >= 0 ? losses[best] : NAN, best, diverged, relnas_search_learning_rate(st->s, gen));
    print_duration(st->progress, elapsed);
    fprintf(st->progress, ", ETA ");
    print_duration(st->progress, elapsed / (gen + 1) * (st->s->generations - gen - 1));
    fprintf(st->progress, "\n");
}

/* A non-finite validation loss loses; ties go to the first member. */
static int first_is_fast(const member *a, const member *b)
{
    if (!isfinite(b->valid_loss)) return 1;
    if (!isfinite(a->valid_loss)) return 0;
    return a->valid_loss <= b->valid_loss;
}

static void write_population(search_state *st, const relnas_population *pop, int gen,
                             void (*write)(int, const char *, void *), void *ctx)
{
    if (!write) return;
    size_t cap = (size_t)pop->size * 1100 + 1, len = 0;
    char *text = RELNAS_CALLOC(cap, 1);
    for (int i = 0; i < pop->size; ++i) {
        relnas_genotype g;
        char err[256];
        if (relnas_genotype_from_vector(pop->x[i], &g, err, sizeof(err))) continue;
        len += relnas_genotype_format(text + len, cap - len, &g);
        text[len++] = '\n';
    }
    write(gen, text, ctx);
    free(text);
}

static void setup(search_state *st, const relnas_search_settings *s, const relnas_image_set *data)
{
    memset(st, 0, sizeof(*st));
    st->s = s;
    st->data = data;
    relnas_net_preset("search", &st->spec);
    st->spec.C = s->C, st->spec.cells = s->cells, st->spec.classes = data->classes;
    st->spec.width = data->w, st->spec.height = data->h, st->spec.channels = data->c;
    st->spec.batch = s->batch, st->spec.drop_path = (float)s->drop_path, st->spec.auxiliary = 0;
    st->rng = relnas_rng_seeded(s->seed);
    st->train = RELNAS_CALLOC((size_t)data->count, sizeof(int));
    st->valid = RELNAS_CALLOC((size_t)data->count, sizeof(int));
    relnas_split_indices(data->count, s->train_portion, &st->rng, st->train, &st->ntrain, st->valid, &st->nvalid);
    st->total = s->population * s->generations;
    st->start = now();
}

int relnas_search_run(const relnas_search_settings *s, const relnas_image_set *data, FILE *progress,
                      FILE *log_csv, FILE *log_jsonl, void (*write_population_fn)(int, const char *, void *),
                      void *ctx, relnas_search_result *result, char *err, size_t errlen)
{
    if (s->population < 2 || s->population % 2)
        return relnas_errorf(err, errlen, "the population must be even and at least 2, got %d", s->population);
    if (data->w % 4 || data->h % 4)
        return relnas_errorf(err, errlen, "images of %dx%d cannot pass two reductions: sides must be multiples of 4",
                             data->w, data->h);
    search_state st;
    setup(&st, s, data);
    st.progress = progress, st.csv = log_csv, st.jsonl = log_jsonl;
    if (st.nvalid < s->batch || st.ntrain < s->batch) {
        free(st.train), free(st.valid);
        return relnas_errorf(err, errlen, "%d training and %d validation images: each part needs a batch (%d)",
                             st.ntrain, st.nvalid, s->batch);
    }
    relnas_population pop = relnas_population_init(s->population, &st.rng);
    int *pairs = RELNAS_CALLOC((size_t)s->population, sizeof(int)), rc = 0;
    double *losses = RELNAS_CALLOC((size_t)s->population, sizeof(double));
    double *accuracies = RELNAS_CALLOC((size_t)s->population, sizeof(double));
    for (int gen = 0; gen < s->generations && rc == 0; ++gen) {
        write_population(&st, &pop, gen, write_population_fn, ctx);
        relnas_random_pairing(pairs, s->population, &st.rng);
        int npairs = s->population / 2, *fast = RELNAS_CALLOC((size_t)npairs, sizeof(int));
        double sums[2] = {0}, counts[2] = {0}; /* fast, slow */
        for (int p = 0; p < npairs && rc == 0; ++p) {
            member m[2];
            memset(m, 0, sizeof(m));
            m[0].index = pairs[2 * p], m[1].index = pairs[2 * p + 1];
            for (int k = 0; k < 2 && rc == 0; ++k) rc = evaluate(&st, &m[k], pop.x[m[k].index], gen, err, errlen);
            if (rc) break;
            int f = first_is_fast(&m[0], &m[1]) ? 0 : 1;
            report(&st, &m[f], gen, p, "fast");
            report(&st, &m[1 - f], gen, p, "slow");
            double t0 = now();
            if (isfinite(m[f].valid_loss)) /* a non-finite student teaches nothing */
                relnas_weight_set_merge(&st.ws, m[f].c.net, m[f].c.keys,
                                        isfinite(m[1 - f].valid_loss) ? m[1 - f].c.net : m[f].c.net,
                                        isfinite(m[1 - f].valid_loss) ? m[1 - f].c.keys : m[f].c.keys);
            fast[p] = f;
            for (int k = 0; k < 2; ++k)
                if (isfinite(m[k].valid_loss)) sums[k != f] += m[k].valid_loss, counts[k != f] += 1;
            for (int k = 0; k < 2; ++k) {
                losses[m[k].index] = m[k].valid_loss;
                accuracies[m[k].index] = m[k].valid_accuracy;
                relnas_candidate_free(&m[k].c);
            }
            st.outside += now() - t0;
        }
        if (rc == 0 && gen == s->generations - 1) {
            int best = -1;
            for (int i = 0; i < s->population; ++i)
                if (isfinite(losses[i]) && (best < 0 || losses[i] < losses[best])) best = i;
            result->best_valid_loss = best >= 0 ? losses[best] : NAN;
            result->best_valid_accuracy = best >= 0 ? accuracies[best] : NAN;
            if (best >= 0) memcpy(result->vector, pop.x[best], sizeof(result->vector));
        }
        for (int p = 0; p < npairs && rc == 0 && gen < s->generations - 1; ++p) {
            int f = pairs[2 * p + fast[p]], slow = pairs[2 * p + 1 - fast[p]];
            double r1[RELNAS_DIM], r2[RELNAS_DIM];
            for (int d = 0; d < RELNAS_DIM; ++d) r1[d] = relnas_rng_uniform(&st.rng), r2[d] = relnas_rng_uniform(&st.rng);
            relnas_slow_fast_update(pop.x[slow], pop.v[slow], pop.x[f], r1, r2);
        }
        free(fast);
        if (rc == 0 && result->fast_loss) {
            result->fast_loss[gen] = counts[0] ? sums[0] / counts[0] : NAN;
            result->slow_loss[gen] = counts[1] ? sums[1] / counts[1] : NAN;
            result->diversity[gen] = relnas_population_diversity(&pop);
        }
        if (rc == 0) report_generation(&st, &pop, losses, gen);
    }
    result->seconds = now() - st.start;
    result->outside_seconds = st.outside;
    free(pairs), free(losses), free(accuracies), free(st.train), free(st.valid);
    relnas_population_free(&pop);
    relnas_weight_set_free(&st.ws);
    return rc;
}
