/* darknet relnas valid DATA CFG WEIGHTS [--tta flip]: top-1/top-5 accuracy and the per-class
 * confusion summary of a classifier on DATA's test part (or --valid data). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "classifier_data.h"
#include "classifier_eval.h"
#include "cli_args.h"
#include "darknet.h"
#include "memory_plan.h"
#include "relnas_commands.h"
#include "relnas_check.h"
#include "relnas_hooks.h"

static const char usage[] =
    "usage: darknet relnas valid DATA CFG WEIGHTS [--tta flip] [--valid SPEC] [-gpus N]\n"
    "  DATA        fashion-mnist, cifar10:DIR, cifar100:DIR, FILE.data (its test part), or\n"
    "              idx:IMAGES,LABELS (evaluated whole)\n"
    "  --tta flip  average each image's prediction with its mirror's\n";

int relnas_cmd_valid(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) return fputs(usage, stdout), 0;
    const char *tta = relnas_arg_string(&a, "--tta", NULL), *valid_spec = relnas_arg_string(&a, "--valid", NULL);
    int bad = relnas_arg_gpu(&a);
    const char *data = relnas_arg_positional(&a, 0), *cfg = relnas_arg_positional(&a, 1);
    const char *weights = relnas_arg_positional(&a, 2);
    if (relnas_args_finish(&a, 3) || bad || !weights) return fputs(usage, stderr), 2;
    if (tta && strcmp(tta, "flip") != 0) {
        fprintf(stderr, "darknet relnas valid: --tta %s: only `flip` is known\n", tta);
        return 2;
    }
    char err[1024];
    relnas_require_complete_weights = 1; /* scoring a partial file would score random layers */
    network *net = relnas_load_classifier(cfg, weights, err, sizeof(err));
    relnas_image_set set;
    if (!net || relnas_load_eval_data(net, data, valid_spec, &set, err, sizeof(err))) {
        fprintf(stderr, "darknet relnas valid: %s\n", err);
        if (net) free_network(net);
        return 1;
    }
    relnas_plan_inference(net, -1);
    float *probs = RELNAS_CALLOC((size_t)set.count * net->outputs, sizeof(float));
    relnas_predict_set(net, &set, tta != NULL, probs);
    printf("%s with %s on %s%s:\n", cfg, weights, valid_spec ? valid_spec : data, tta ? " (test-time flip)" : "");
    relnas_print_evaluation(stdout, probs, set.labels, set.count, net->outputs);
    free(probs);
    relnas_image_set_free(&set);
    free_network(net);
    return 0;
}
