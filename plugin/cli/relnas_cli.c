#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "relnas_cli.h"
#include "gpu_device.h"
#include "layer_registry.h"
#include "program_name.h"
#include "relnas_commands.h"

typedef struct relnas_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} relnas_command;

static int run_layers(int argc, char **argv);
static int run_help(int argc, char **argv);

static const relnas_command commands[] = {
    {"search", "RelativeNAS search (default: quick profile on Fashion-MNIST); writes a run directory", relnas_cmd_search},
    {"train", "train a classifier cfg the DARTS way (cosine rate, clipping, cutout, drop-path, backups)", relnas_cmd_train},
    {"valid", "top-1/top-5 accuracy and per-class confusion of a classifier cfg + weights", relnas_cmd_valid},
    {"map", "VOC AP per class and mAP of a detector (or of comp4 detection files) on a test list", relnas_cmd_map},
    {"anchors", "YOLO anchors by k-means (1 - IoU) on a .data file's training labels, beside YOLOv3's", relnas_cmd_anchors},
    {"genotype", "print a genotype (name, file, repr or 32-number vector) in the official repr", relnas_cmd_genotype},
    {"cfg", "write a Darknet .cfg network for a genotype (presets cifar, imagenet, search)", relnas_cmd_cfg},
    {"check", "check every section of a cfg (numbers, ranges, layer references, shapes); all problems", relnas_cmd_check},
    {"info", "stages, output shapes, parameters, multiply-adds and memory of a cfg", relnas_cmd_info},
    {"draw", "draw a genotype's normal and reduction cells (PNG, SVG, PDF via Graphviz, or DOT)", relnas_cmd_draw},
    {"forward", "run a cfg + weights on a raw float32 tensor and write a layer's output", relnas_cmd_forward},
    {"export", "write a cfg + weights as an ONNX file (grouped, dilated convs; YOLO heads); --check runs it in OpenCV", relnas_cmd_export},
    {"layers", "list the cfg section types the plugin adds to Darknet", run_layers},
    {"help", "print this list; `help COMMAND` prints that command's options", run_help},
};

static void print_usage(FILE *out)
{
    fprintf(out, "usage: darknet relnas <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

static int run_help(int argc, char **argv)
{
    for (size_t i = 0; argc > 1 && i < sizeof(commands) / sizeof(commands[0]); ++i)
        if (strcmp(argv[1], commands[i].name) == 0 && commands[i].run != run_help) {
            char *help[] = {argv[1], "--help", NULL};
            return commands[i].run(2, help); /* `relnas help search` is `relnas search --help` */
        }
    if (argc > 1) {
        fprintf(stderr, "darknet relnas help: unknown command '%s'\n", argv[1]);
        print_usage(stderr);
        return 2;
    }
    print_usage(stdout);
    return 0;
}

static int run_layers(int argc, char **argv)
{
    int n = relnas_layer_kind_count();
    if (n == 0) printf("(no plugin layer types are registered)\n");
    for (int i = 0; i < n; ++i) {
        const relnas_layer_kind *kind = relnas_layer_kind_at(i);
        printf("%-20s %s\n", kind->section, kind->summary);
    }
    return 0;
}

/* A command's status, unless what it printed did not reach standard output (a full disk, a
 * closed pipe): then 1, with the reason, so `relnas X > file` never fails silently. */
static int flushed(const char *command, int status)
{
    if (fflush(stdout) == 0 && !ferror(stdout)) return status;
    fprintf(stderr, "darknet relnas %s: cannot write standard output: %s\n", command, strerror(errno ? errno : EIO));
    return status ? status : 1;
}

int relnas_refuse_gpus_without_gpu(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] && argv[i + 1] && strcmp(argv[i], "-gpus") == 0) return relnas_gpu_select(atoi(argv[i + 1])) != 0;
    return 0;
}

int relnas_main(int argc, char **argv)
{
    while (argc > 0 && !argv[argc - 1]) --argc; /* Darknet's del_arg leaves NULLs, argc unchanged */
    if (argc > 0) relnas_set_program_name(argv[0]);
    if (argc < 3) {
        print_usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); ++i)
        if (strcmp(argv[2], commands[i].name) == 0) return flushed(commands[i].name, commands[i].run(argc - 2, argv + 2));
    fprintf(stderr, "darknet relnas: unknown command '%s'\n\n", argv[2]);
    print_usage(stderr);
    return 2;
}
