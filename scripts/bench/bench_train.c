/* Training throughput of a cfg: steps of forward + backward + update on one fixed batch
 * (random-looking input, one label per sample), after one warm-up step. Prints
 *   IMAGES_PER_SECOND STEPS
 * scripts/bench-network runs it beside PyTorch and measures peak memory. The network trains
 * under a memory plan (shared deltas) unless RELNAS_NO_PLAN is set.
 *
 *   bench_train CFG STEPS */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "darknet.h"
#include "memory_plan.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_train CFG STEPS\n");
        return 2;
    }
    gpu_index = -1;
    network *net = parse_network_cfg(argv[1]);
    if (!getenv("RELNAS_NO_PLAN")) relnas_plan_training(net); /* as the search and relnas train do */
    int steps = atoi(argv[2]), classes = net->outputs;
    for (int i = 0; i < net->inputs * net->batch; ++i) net->input[i] = (float)(i % 255) / 255.0f;
    for (int b = 0; b < net->batch; ++b) net->truth[b * classes + b % classes] = 1;
    double start = 0;
    for (int s = 0; s <= steps; ++s) {
        if (s == 1) start = now();
        net->train = 1;
        forward_network(net);
        backward_network(net);
        update_network(net);
    }
    printf("%.2f %d\n", net->batch * steps / (now() - start), steps);
    free_network(net);
    return 0;
}
