/* Training throughput of a cfg: steps of forward + backward + update on one fixed batch
 * (random-looking input, one label per sample), after one warm-up step. Prints
 *   IMAGES_PER_SECOND STEPS
 * scripts/bench-network runs it beside PyTorch and measures peak memory. The network trains
 * under a memory plan (shared deltas) unless RELNAS_NO_PLAN is set. With `infer`, steps are
 * inference forward passes. RELNAS_BENCH_DEVICE=cuda runs on GPU 0 (a GPU build).
 *
 *   bench_train CFG STEPS [infer] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "darknet.h"
#include "gpu_device.h"
#include "memory_plan.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int infer = argc == 4 && strcmp(argv[3], "infer") == 0;
    if (argc != 3 && !infer) {
        fprintf(stderr, "usage: bench_train CFG STEPS [infer]\n");
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
    double start = 0;
    for (int s = 0; s <= steps; ++s) {
        if (s == 1) start = now();
        net->train = !infer;
        forward_network(net); /* on a GPU it reads the output back: each step ends synchronised */
        if (infer) continue;
        backward_network(net);
        update_network(net);
    }
    printf("%.2f %d\n", net->batch * steps / (now() - start), steps);
    free_network(net);
    return 0;
}
