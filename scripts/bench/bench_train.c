/* Training throughput of a cfg: steps of forward + backward + update on one fixed batch
 * (random-looking input, one label per sample), after 3 warm-up steps. Prints
 *   IMAGES_PER_SECOND STEPS
 * scripts/bench-network runs it beside PyTorch and measures peak memory. The network trains
 * under a memory plan (shared deltas) unless RELNAS_NO_PLAN is set. With `infer`, steps are
 * inference forward passes. With `profile` (or `profile-infer`), the timed steps also go
 * through the op profile (plugin/util/op_profile.h), whose rows follow, one per line:
 *   NAME<TAB>CALLS<TAB>SECONDS<TAB>FLOPS<TAB>BYTES
 * RELNAS_BENCH_DEVICE=cuda runs on GPU 0 (a GPU build; no profile there).
 *
 *   bench_train CFG STEPS [train|infer|profile|profile-infer] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "darknet.h"
#include "gpu_device.h"
#include "layer_profile.h"
#include "memory_plan.h"
#include "op_profile.h"
#include "progress_time.h"

#define WARMUP_STEPS 3

static void step(network *net, int infer)
{
    net->train = !infer;
    /* on a GPU forward reads the output back: each step ends synchronised */
    RELNAS_TIMED_OP("network forward (delta fill, loss)", 0, 0, forward_network(net));
    if (infer) return;
    RELNAS_TIMED_OP("network backward", 0, 0, backward_network(net));
    RELNAS_TIMED_OP("SGD update", 0, 0, update_network(net));
}

int main(int argc, char **argv)
{
    const char *mode = argc == 4 ? argv[3] : "train";
    int infer = strstr(mode, "infer") != NULL, profile = strncmp(mode, "profile", 7) == 0;
    if ((argc != 3 && argc != 4) || (!infer && !profile && strcmp(mode, "train") != 0)) {
        fprintf(stderr, "usage: bench_train CFG STEPS [train|infer|profile|profile-infer]\n");
        return 2;
    }
    const char *device = getenv("RELNAS_BENCH_DEVICE");
    gpu_index = -1;
    if (device && strcmp(device, "cuda") == 0 && relnas_gpu_select(0)) return 1;
    network *net = parse_network_cfg(argv[1]);
    if (!getenv("RELNAS_NO_PLAN")) relnas_plan_training(net); /* as the search and relnas train do */
    int steps = atoi(argv[2]), classes = net->outputs;
    for (int i = 0; i < net->inputs * net->batch; ++i) net->input[i] = (float)(i % 255) / 255.0f;
    for (int b = 0; b < net->batch; ++b) net->truth[b * classes + b % classes] = 1;
    for (int s = 0; s < WARMUP_STEPS; ++s) step(net, infer);
    if (profile) {
        relnas_profile_layers(net);
        relnas_op_profile_start();
    }
    double start = relnas_now();
    for (int s = 0; s < steps; ++s) step(net, infer);
    printf("%.2f %d\n", net->batch * steps / (relnas_now() - start), steps);
    if (profile) {
        relnas_op_profile_stop();
        relnas_op_profile_write(stdout);
        relnas_unprofile_layers(net);
    }
    free_network(net);
    return 0;
}
