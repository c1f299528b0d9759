/* AlexeyAB's `detector map` and `detector calc_anchors`, which users of Darknet type first:
 * their flags translated to relnas map's and relnas anchors' options, the rest passed as
 * given (so a flag neither knows is an error naming it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "relnas_commands.h"
#include "relnas_check.h"

typedef struct flag_rename {
    const char *theirs, *ours; /* ours NULL: a flag without value that changes nothing here */
} flag_rename;

static const flag_rename map_flags[] = {{"-iou_thresh", "--iou"}, {"-thresh", "--thresh"}};
static const flag_rename anchor_flags[] = {
    {"-num_of_clusters", "--num"}, {"-width", "--width"}, {"-height", "--height"}, {"-show", NULL}};

/* -points 0 (all-point AP, VOC2010+) or 11 (VOC2007), as `detector train -map` reads it. */
static const char *metric_of_points(const char *points)
{
    if (points && strcmp(points, "0") == 0) return "voc12";
    if (points && strcmp(points, "11") == 0) return "voc07";
    return NULL;
}

/* argv[3..] into out (after out[0] = name), each flag of renames translated. Returns the new
 * argc, or -1 after a message. */
static int translate(int argc, char **argv, const char *name, const flag_rename *renames, int nrenames, char **out)
{
    int n = 0;
    out[n++] = (char *)name;
    for (int i = 3; i < argc; ++i) {
        const flag_rename *r = NULL;
        for (int k = 0; k < nrenames; ++k)
            if (strcmp(argv[i], renames[k].theirs) == 0) r = &renames[k];
        if (strcmp(name, "map") == 0 && strcmp(argv[i], "-points") == 0) {
            const char *metric = metric_of_points(i + 1 < argc ? argv[i + 1] : NULL);
            if (!metric) {
                fprintf(stderr, "darknet detector map: -points %s: expected 0 (all-point AP, VOC2010+) or 11 "
                        "(VOC2007 11-point); COCO's 101 points are not computed here\n", i + 1 < argc ? argv[i + 1] : "");
                return -1;
            }
            out[n++] = "--metric", out[n++] = (char *)metric, ++i;
        } else if (r && !r->ours) continue;
        else out[n++] = r ? (char *)r->ours : argv[i];
    }
    out[n] = NULL;
    return n;
}

int relnas_detector_command(int argc, char **argv)
{
    if (argc < 3) return -1;
    int is_map = strcmp(argv[2], "map") == 0, is_anchors = strcmp(argv[2], "calc_anchors") == 0;
    if (!is_map && !is_anchors) return -1;
    char **args = RELNAS_CALLOC((size_t)argc + 2, sizeof(char *));
    int n = is_map ? translate(argc, argv, "map", map_flags, sizeof(map_flags) / sizeof(*map_flags), args)
                   : translate(argc, argv, "anchors", anchor_flags, sizeof(anchor_flags) / sizeof(*anchor_flags), args);
    int rc = n < 0 ? 2 : is_map ? relnas_cmd_map(n, args) : relnas_cmd_anchors(n, args);
    free(args);
    fflush(stdout);
    return rc;
}
