#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "search_run.h"
#include "checkpoint.h"
#include "genotype_parse.h"
#include "parallel_pairs.h"
#include "progress_time.h"
#include "relnas_check.h"
#include "relnas_error.h"

int search_context_init(search_context *cx, relnas_search_state *st, const relnas_image_set *data,
                        const relnas_search_io *io, char *err, size_t errlen)
{
    const relnas_search_settings *s = &st->settings;
    memset(cx, 0, sizeof(*cx));
    cx->st = st, cx->data = data, cx->io = io;
    relnas_net_preset("search", &cx->spec);
    cx->spec.C = s->C, cx->spec.cells = s->cells, cx->spec.classes = data->classes;
    cx->spec.width = data->w, cx->spec.height = data->h, cx->spec.channels = data->c;
    cx->spec.batch = s->batch, cx->spec.drop_path = (float)s->drop_path, cx->spec.auxiliary = 0;
    cx->train = RELNAS_CALLOC((size_t)data->count, sizeof(int));
    cx->valid = RELNAS_CALLOC((size_t)data->count, sizeof(int));
    relnas_search_split(s, data, cx->train, &cx->ntrain, cx->valid, &cx->nvalid);
    int whole_batches = cx->nvalid / s->batch;
    if (s->valid_batches > whole_batches)
        return relnas_errorf(err, errlen, "--valid-batches %d: the validation part of the %d images (the %d "
                             "--train-portion %g leaves) holds %d batches of %d; give at most %d, or 0 for all",
                             s->valid_batches, data->count, cx->nvalid, s->train_portion, whole_batches, s->batch,
                             whole_batches);
    cx->start = cx->pace_start = relnas_now(), cx->seconds_before = st->seconds;
    cx->evaluated_before = st->evaluated, cx->warmed_before = st->warmed;
    cx->ranks = (relnas_transport_info){0, 1, 0, 1, "single process"};
    return s->parallel_pairs ? relnas_transport_init(&cx->ranks, err, errlen) : 0;
}

void search_context_free(search_context *cx)
{
    free(cx->train), free(cx->valid);
    cx->train = cx->valid = NULL;
}

double search_elapsed(const search_context *cx)
{
    return cx->seconds_before + relnas_now() - cx->start;
}

int search_stopped(const search_context *cx)
{
    return cx->io->stop && *cx->io->stop;
}

/* A rank without a message of its own says that another failed. */
int search_agree(const search_context *cx, int rc, char *err, size_t errlen)
{
    if (cx->ranks.size == 1) return rc;
    int worst = relnas_ranks_max(&cx->ranks, rc < 0 ? 2 : rc);
    if (worst == 2 && rc >= 0) relnas_errorf(err, errlen, "another rank failed (its message is above)");
    return worst == 2 ? -1 : worst;
}

int search_build_member(search_context *cx, member_evaluation *e, int alone, char *err, size_t errlen)
{
    relnas_search_state *st = cx->st;
    relnas_genotype g;
    if (relnas_genotype_from_vector(e->x ? e->x : st->pop.x[e->figures.index], &g, err, errlen)) return -1;
    /* Darknet draws new weights and drop-path masks with rand(): seed it from the search's
     * generator so a resumed search draws the same. */
    srand((unsigned)relnas_rng_next(e->rng));
    if (alone) {
        relnas_net_spec spec = cx->spec;
        spec.drop_path = 0;
        return relnas_candidate_build_alone(&e->c, &g, &spec, err, errlen);
    }
    if (relnas_candidate_build(&e->c, &g, &cx->spec, err, errlen)) return -1;
    relnas_weight_set_load_layered(&st->ws, e->fresh ? e->fresh : &st->ws, e->c.net, e->c.keys);
    return 0;
}

relnas_train_settings search_train_settings(const search_context *cx, double lr, float progress, int batches)
{
    const relnas_search_settings *s = &cx->st->settings;
    return (relnas_train_settings){.learning_rate = (float)lr, .momentum = (float)s->momentum,
                                   .decay = (float)s->decay, .clip = (float)s->clip, .progress = progress,
                                   .augment = {s->pad, s->flip, s->cutout}, .batches = batches,
                                   .stop = cx->io->stop};
}

void search_score(search_context *cx, relnas_candidate *c, relnas_rng *rng, double *loss, double *accuracy)
{
    const relnas_search_settings *s = &cx->st->settings;
    if (s->bn_batches > 0)
        relnas_candidate_recompute_bn(c, cx->data, cx->train, cx->ntrain, s->bn_batches, rng);
    relnas_candidate_validate(c, cx->data, cx->valid, cx->nvalid, s->valid_batches, loss, accuracy);
}

int search_checkpoint(search_context *cx, char *err, size_t errlen)
{
    const relnas_search_io *io = cx->io;
    double t0 = relnas_now();
    if (io->progress) fflush(io->progress);
    for (int k = 0; k < 3; ++k)
        if (io->logs[k]) fflush(io->logs[k]), cx->st->log_sizes[k] = ftell(io->logs[k]);
    cx->st->seconds = search_elapsed(cx);
    int rc = io->checkpoint ? relnas_checkpoint_save(io->checkpoint, cx->st, err, errlen) : 0;
    cx->st->outside_seconds += relnas_now() - t0;
    return rc;
}

int search_step_done(search_context *cx, int rc, char *err, size_t errlen)
{
    if (rc == 0) rc = search_checkpoint(cx, err, errlen);
    if (rc == 0 && search_stopped(cx)) rc = 1;
    return search_agree(cx, rc, err, errlen);
}
