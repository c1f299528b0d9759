/* What Darknet's `detector train` gains (patch 0040 calls these from examples/detector.c):
 * AlexeyAB's habits. At the interval (-map_every N; default max(100, max_batches / 50)
 * iterations) and at the end: backup/NAME_last.weights written atomically; with -map the
 * VOC mAP on the .data file's valid= list by the code `relnas map` runs (VOC07 11-point,
 * or all-point with -points 0), printed, and backup/NAME_best.weights kept for the best;
 * always chart.png (loss and mAP against iterations). The training itself is unchanged. */
#ifndef RELNAS_DETECTOR_MONITOR_H
#define RELNAS_DETECTOR_MONITOR_H

#include "darknet.h"

typedef struct relnas_detector_options {
    int map;          /* -map */
    int map_every;    /* -map_every N; 0: max(100, max_batches / 50) */
    int all_points;   /* -points 0: VOC12 all-point AP; -points 11 (default): VOC07 */
    int dont_show;    /* -dont_show: accepted (no window is ever opened) */
} relnas_detector_options;

typedef struct relnas_detector_monitor relnas_detector_monitor;

/* Takes -map, -map_every N, -points P and -dont_show out of argv (the later arguments move
 * up, as Darknet's find_arg does, so DATA CFG [WEIGHTS] stay where run_detector reads
 * them). A bad value prints what was expected and exits with status 1. */
relnas_detector_options relnas_detector_train_args(int argc, char **argv);

/* Before the first iteration: with -map, reads the test set (a bad list or annotation
 * exits naming it) and says how and when mAP is computed. */
relnas_detector_monitor *relnas_detector_monitor_start(const relnas_detector_options *o, const char *datacfg,
                                                       const char *cfgfile, const char *backup_dir,
                                                       const char *base, network *net);

/* After each iteration: records the loss; at the interval and the last iteration writes
 * _last (and _best), evaluates and draws the chart. nets[0..ngpus) are synchronised first. */
void relnas_detector_monitor_step(relnas_detector_monitor *m, network **nets, int ngpus, float loss, float avg_loss);

void relnas_detector_monitor_free(relnas_detector_monitor *m);

#endif
