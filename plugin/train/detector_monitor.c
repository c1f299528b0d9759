#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "detector_monitor.h"
#include "chart.h"
#include "detector_map.h"
#include "quiet_output.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "weights_save.h"

enum { CHART_EVERY = 10 }; /* iterations between chart redraws between evaluations */
static const char chart_path[] = "chart.png";

struct relnas_detector_monitor {
    relnas_detector_options o;
    char cfg[4096], last[4200], best[4200], title[4200];
    int every, max_batches;
    relnas_voc_testset test;
    relnas_map_settings settings;
    double *loss, *avg_loss;          /* per iteration (index iteration - 1), NAN where not trained here */
    double *map, *map_iterations;     /* per evaluation */
    int iterations, evaluations;
    double best_map;
    int best_iteration;
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    relnas_exit_failure_now(); /* Darknet's loader thread is running: no exit() */
}

/* Removes argv[i] (and n - 1 more), moving the rest up and leaving NULLs at the end. */
static void remove_args(int argc, char **argv, int i, int n)
{
    for (int k = i; k < argc; ++k) argv[k] = k + n < argc ? argv[k + n] : NULL;
}

static int int_value(const char *flag, const char *text, int lo)
{
    char *end;
    errno = 0;
    long v = text ? strtol(text, &end, 10) : 0;
    if (!text || *end || end == text || errno || v < lo || v > 1000000000)
        fail("detector train: %s takes a whole number, found '%s'", flag, text ? text : "nothing");
    return (int)v;
}

relnas_detector_options relnas_detector_train_args(int argc, char **argv)
{
    relnas_detector_options o = {.map = 0, .map_every = 0, .all_points = 0, .dont_show = 0};
    for (int i = 0; i < argc && argv[i];) {
        if (strcmp(argv[i], "-map") == 0) o.map = 1, remove_args(argc, argv, i, 1);
        else if (strcmp(argv[i], "-dont_show") == 0) o.dont_show = 1, remove_args(argc, argv, i, 1);
        else if (strcmp(argv[i], "-map_every") == 0) {
            o.map_every = int_value("-map_every", i + 1 < argc ? argv[i + 1] : NULL, 1);
            remove_args(argc, argv, i, 2);
        } else if (strcmp(argv[i], "-points") == 0) {
            int points = int_value("-points", i + 1 < argc ? argv[i + 1] : NULL, 0);
            if (points != 0 && points != 11)
                fail("detector train: -points %s: 0 (all-point AP, VOC2010+) or 11 (VOC2007)", argv[i + 1]);
            o.all_points = points == 0;
            remove_args(argc, argv, i, 2);
        } else ++i;
    }
    return o;
}

static void load_test_set(relnas_detector_monitor *m, const char *datacfg, network *net)
{
    char err[1024];
    if (relnas_voc_testset_load(datacfg, &m->test, err, sizeof(err))) fail("detector train -map: %s", err);
    layer out = net->layers[net->n - 1];
    if (out.classes != m->test.nclasses) {
        fail("detector train -map: the cfg's last layer detects %d classes, %s names %d", out.classes, datacfg,
             m->test.nclasses);
    }
}

relnas_detector_monitor *relnas_detector_monitor_start(const relnas_detector_options *o, const char *datacfg,
                                                       const char *cfgfile, const char *backup_dir,
                                                       const char *base, network *net)
{
    relnas_detector_monitor *m = RELNAS_CALLOC(1, sizeof(*m));
    m->o = *o;
    m->max_batches = net->max_batches;
    m->every = o->map_every ? o->map_every : (net->max_batches / 50 > 100 ? net->max_batches / 50 : 100);
    m->settings = (relnas_map_settings){.thresh = 0.005f, .iou = 0.5,
                                        .metric = o->all_points ? RELNAS_VOC12 : RELNAS_VOC07};
    snprintf(m->cfg, sizeof(m->cfg), "%s", cfgfile);
    snprintf(m->title, sizeof(m->title), "%s (detector train)", base);
    snprintf(m->last, sizeof(m->last), "%s/%s_last.weights", backup_dir, base);
    snprintf(m->best, sizeof(m->best), "%s/%s_best.weights", backup_dir, base);
    m->loss = RELNAS_CALLOC((size_t)m->max_batches + 1, sizeof(double));
    m->avg_loss = RELNAS_CALLOC((size_t)m->max_batches + 1, sizeof(double));
    for (int i = 0; i <= m->max_batches; ++i) m->loss[i] = m->avg_loss[i] = NAN;
    m->map = RELNAS_CALLOC((size_t)m->max_batches / m->every + 2, sizeof(double));
    m->map_iterations = RELNAS_CALLOC((size_t)m->max_batches / m->every + 2, sizeof(double));
    m->best_map = -1;
    if (o->map) load_test_set(m, datacfg, net);
    printf("every %d iterations and at the end: %s, chart.png%s\n", m->every, m->last,
           o->map ? "; mAP@0.50 on valid= (as relnas map), best weights" : " (no -map: loss only)");
    if (o->map)
        printf("mAP: %s AP, IoU > 0.50, %d test images; best -> %s\n",
               o->all_points ? "all-point (VOC2010+, -points 0)" : "VOC07 11-point (-points 11)", m->test.nimages,
               m->best);
    return m;
}

static void draw_chart(const relnas_detector_monitor *m)
{
    const relnas_chart_series series[3] = {
        {.name = "loss", .y = m->loss, .count = m->iterations, .rgb = {240, 170, 170}},
        {.name = "avg loss", .y = m->avg_loss, .count = m->iterations, .rgb = {200, 30, 30}},
        {.name = "mAP@0.50", .x = m->map_iterations, .y = m->map, .count = m->evaluations, .rgb = {30, 70, 210},
         .side = RELNAS_CHART_RIGHT, .markers = 1},
    };
    const relnas_chart chart = {
        .title = m->title,
        .x_title = "iteration",
        .left = {.title = "training loss (avg: Darknet's running average)", .lo = 0, .hi = NAN, .clip_spikes = 1},
        .right = {.title = m->settings.metric == RELNAS_VOC07 ? "mAP@0.50 (VOC07 11-point)" : "mAP@0.50 (all-point)",
                  .lo = 0, .hi = 1},
        .series = series,
        .nseries = m->o.map ? 3 : 2,
        .width = 800,
        .height = 480,
    };
    char err[512];
    if (relnas_chart_write_png(chart_path, &chart, err, sizeof(err))) fprintf(stderr, "warning: %s\n", err);
}

/* mAP of the weights just written to _last, by relnas map's code; _best when it is the best. */
static void evaluate(relnas_detector_monitor *m, network *net, int iteration)
{
    char err[1024];
    double map;
    int quiet = relnas_stderr_silence(); /* the layer listing, printed at the start already */
    network *eval = relnas_load_detector(m->cfg, m->last, m->test.nclasses, err, sizeof(err));
    relnas_stderr_restore(quiet);
    if (!eval || relnas_detector_map(eval, &m->test, &m->settings, stdout, NULL, &map, err, sizeof(err)))
        fail("detector train -map: %s", err);
    free_network(eval);
    m->map_iterations[m->evaluations] = iteration, m->map[m->evaluations++] = map;
    int better = map > m->best_map;
    if (better) m->best_map = map, m->best_iteration = iteration;
    if (better && relnas_save_weights_atomically(net, m->best, err, sizeof(err))) fail("detector train: %s", err);
    printf("iteration %d: mAP@0.50 %.6f (%s), best %.6f at iteration %d%s%s\n", iteration, map,
           m->settings.metric == RELNAS_VOC07 ? "VOC07 11-point" : "all-point", m->best_map, m->best_iteration,
           better ? ", saved as " : "", better ? m->best : "");
    fflush(stdout);
}

void relnas_detector_monitor_step(relnas_detector_monitor *m, network **nets, int ngpus, float loss, float avg_loss)
{
    network *net = nets[0];
    int i = (int)get_current_batch(net);
    if (i < 1 || i > m->max_batches) return;
    m->loss[i - 1] = loss, m->avg_loss[i - 1] = avg_loss, m->iterations = i;
    if (i % m->every && i < m->max_batches) {
        if (i % CHART_EVERY == 0) draw_chart(m);
        return;
    }
#ifdef GPU
    if (ngpus > 1) sync_nets(nets, ngpus, 0);
#endif
    char err[1024];
    if (relnas_save_weights_atomically(net, m->last, err, sizeof(err))) fail("detector train: %s", err);
    if (m->o.map) evaluate(m, net, i);
    draw_chart(m);
}

void relnas_detector_monitor_free(relnas_detector_monitor *m)
{
    if (!m) return;
    if (m->o.map) relnas_voc_testset_free(&m->test);
    free(m->loss), free(m->avg_loss), free(m->map), free(m->map_iterations);
    free(m);
}
