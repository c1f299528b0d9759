/* darknet relnas anchors DATA [--num 9] [--width 416 --height 416] [--seed S]: YOLO anchors
 * by k-means (1 - IoU) on DATA's training labels, beside YOLOv3's defaults. */
#include <stdio.h>
#include "anchors.h"
#include "cli_args.h"
#include "relnas_commands.h"

static const char usage[] =
    "usage: darknet relnas anchors DATA [--num 9] [--width 416 --height 416 | --size S] [--seed 1] [--restarts 10]\n"
    "  DATA        Darknet .data file: train= the training image list (labels/<id>.txt beside JPEGImages/)\n"
    "  --num K     anchors to fit (9: three per YOLO scale)\n"
    "  --width W --height H   the network input the anchors are for (pixels)\n"
    "  --seed S    k-means++ seeds (the same seed gives the same anchors)\n"
    "  --restarts R  k-means runs; the one whose anchors fit the labels best (mean IoU) is kept\n"
    "Prints the anchors (smallest first), the mean IoU of the labels with their best anchor beside that of\n"
    "YOLOv3's anchors scaled to the size, and the mask of each YOLO scale. `relnas cfg --preset yolo\n"
    "--anchors-from DATA` writes them into a cfg.\n";

static void print_fit(FILE *out, const char *data, const relnas_anchor_fit *f, const relnas_anchor *anchors)
{
    char text[2048];
    relnas_anchor yolov3[9];
    relnas_yolov3_anchors(f->width, f->height, yolov3);
    fprintf(out, "%d anchors for %dx%d from %d label boxes of %s (k-means, 1 - IoU, %d restarts, seed %llu)\n", f->k,
            f->width, f->height, f->boxes, data, f->restarts, (unsigned long long)f->seed);
    fprintf(out, "%-22s %8s  %s\n", "", "mean IoU", "anchors");
    relnas_anchors_format(anchors, f->k, text, sizeof(text));
    fprintf(out, "%-22s %8.4f  %s\n", "k-means (these)", f->mean_iou, text);
    relnas_anchors_format(yolov3, 9, text, sizeof(text));
    fprintf(out, "%-22s %8.4f  %s\n", "YOLOv3's, scaled", f->yolov3_mean_iou, text);
    if (f->k < 3) return;
    int first[4];
    relnas_anchor_masks(f->k, 3, first);
    fprintf(out, "masks (num=%d):", f->k);
    for (int s = 0; s < 3; ++s) {
        fprintf(out, "%s stride %d: mask=", s ? "," : "", 8 << s);
        for (int j = first[s]; j < first[s + 1]; ++j) fprintf(out, "%s%d", j > first[s] ? "," : "", j);
    }
    fprintf(out, "\n");
}

int relnas_cmd_anchors(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) return fputs(usage, stdout), 0;
    relnas_anchor_fit f = {.k = relnas_arg_int(&a, "--num", 9, 1, 100),
                           .restarts = relnas_arg_int(&a, "--restarts", 10, 1, 1000),
                           .seed = (uint64_t)relnas_arg_int(&a, "--seed", 1, 0, 2147483647)};
    f.width = f.height = relnas_arg_int(&a, "--size", 416, 1, 65536);
    f.width = relnas_arg_int(&a, "--width", f.width, 1, 65536);
    f.height = relnas_arg_int(&a, "--height", f.height, 1, 65536);
    const char *data = relnas_arg_positional(&a, 0);
    if (relnas_args_finish(&a, 1) || !data) return fputs(usage, stderr), 2;
    relnas_anchor anchors[100];
    char err[1024];
    if (relnas_fit_anchors(data, &f, anchors, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas anchors: %s\n", err);
        return 1;
    }
    print_fit(stdout, data, &f, anchors);
    return 0;
}
