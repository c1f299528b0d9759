/* Times forward + backward (training mode, input gradient included) of each DARTS
 * primitive as a one-op Darknet network: the plugin's layer, and the stock-Darknet way of
 * writing the same op where there is one. Prints one line per measurement:
 *   OP C HxW STRIDE IMPL MS_PER_STEP PEAK_MB
 * scripts/bench-ops runs it beside the PyTorch timing and prints the table with ratios.
 *
 *   bench_ops BATCH SECONDS_PER_MEASUREMENT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "darknet.h"

typedef struct op_spec {
    const char *name;
    const char *ours;  /* cfg section; %d = filters, %d = stride */
    const char *stock; /* NULL when stock Darknet has no way to write it */
} op_spec;

static const op_spec ops[] = {
    {"sep_conv_3x3", "[sep_conv]\nsize=3\nfilters=%d\nstride=%d\n",
     "[activation]\nactivation=relu\n"
     "[convolutional]\nfilters=%1$d\ngroups=%1$d\nsize=3\nstride=%2$d\npad=1\nactivation=linear\n"
     "[convolutional]\nfilters=%1$d\nsize=1\nbatch_normalize=1\nactivation=relu\n"
     "[convolutional]\nfilters=%1$d\ngroups=%1$d\nsize=3\nstride=1\npad=1\nactivation=linear\n"
     "[convolutional]\nfilters=%1$d\nsize=1\nbatch_normalize=1\nactivation=linear\n"},
    {"sep_conv_5x5", "[sep_conv]\nsize=5\nfilters=%d\nstride=%d\n",
     "[activation]\nactivation=relu\n"
     "[convolutional]\nfilters=%1$d\ngroups=%1$d\nsize=5\nstride=%2$d\npad=1\nactivation=linear\n"
     "[convolutional]\nfilters=%1$d\nsize=1\nbatch_normalize=1\nactivation=relu\n"
     "[convolutional]\nfilters=%1$d\ngroups=%1$d\nsize=5\nstride=1\npad=1\nactivation=linear\n"
     "[convolutional]\nfilters=%1$d\nsize=1\nbatch_normalize=1\nactivation=linear\n"},
    {"dil_conv_3x3", "[dil_conv]\nsize=3\nfilters=%d\nstride=%d\n", NULL},
    {"dil_conv_5x5", "[dil_conv]\nsize=5\nfilters=%d\nstride=%d\n", NULL},
    {"max_pool_3x3", "[max_pool]\nsize=3\nstride=%2$d\n", "[maxpool]\nsize=3\nstride=%2$d\npadding=2\n"},
    {"avg_pool_3x3", "[avg_pool]\nsize=3\nstride=%2$d\n", NULL},
    {"skip_connect", "[factorized_reduce]\nfilters=%d\n", NULL}, /* stride 2 only */
};

static const struct { int c, size; } shapes[] = {{16, 32}, {32, 16}, {64, 8}};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static long peak_rss_mb(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (fp && fgets(line, sizeof(line), fp))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    if (fp) fclose(fp);
    return kb / 1024;
}

static network *build(const char *section_fmt, int batch, int c, int size, int stride)
{
    char body[2048], cfg[4096], path[] = "/tmp/relnas-bench-XXXXXX";
    snprintf(body, sizeof(body), section_fmt, c, stride);
    snprintf(cfg, sizeof(cfg), "[net]\nbatch=%d\nheight=%d\nwidth=%d\nchannels=%d\n\n%s", batch,
             size, size, c, body);
    int fd = mkstemp(path);
    if (write(fd, cfg, strlen(cfg)) < 0) perror(path);
    close(fd);
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w"); /* Darknet prints every layer */
    network *net = parse_network_cfg(path);
    fclose(stderr);
    stderr = saved;
    unlink(path);
    return net;
}

/* Milliseconds per training step (forward + backward) over about `seconds`. */
static double time_steps(network *net, double seconds)
{
    long nin = (long)net->inputs * net->batch;
    float *dinput = calloc(nin, sizeof(float));
    for (long i = 0; i < nin; ++i) net->input[i] = (float)((i * 7919) % 1000) / 500.0f - 1;
    net->train = 1;
    int steps = 0;
    double start = 0;
    for (double t = now();; t = now()) {
        if (steps == 2) start = t; /* two warm-up steps */
        if (steps > 2 && t - start >= seconds) return (t - start) * 1e3 / (steps - 2);
        forward_network(net);
        layer out = net->layers[net->n - 1];
        for (long i = 0; i < (long)out.outputs * out.batch; ++i) out.delta[i] = 1e-3f;
        net->delta = dinput;
        backward_network(net);
        net->delta = NULL;
        ++steps;
    }
}

int main(int argc, char **argv)
{
    int batch = argc > 1 ? atoi(argv[1]) : 64;
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    gpu_index = -1;
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); ++o)
        for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); ++s)
            for (int stride = 1; stride <= 2; ++stride) {
                if (strcmp(ops[o].name, "skip_connect") == 0 && stride == 1) continue;
                for (int impl = 0; impl < 2; ++impl) {
                    const char *fmt = impl ? ops[o].stock : ops[o].ours;
                    if (!fmt) continue;
                    network *net = build(fmt, batch, shapes[s].c, shapes[s].size, stride);
                    double ms = time_steps(net, seconds);
                    printf("%s %d %dx%d %d %s %.3f %ld\n", ops[o].name, shapes[s].c, shapes[s].size,
                           shapes[s].size, stride, impl ? "stock" : "ours", ms, peak_rss_mb());
                    fflush(stdout);
                    free_network(net);
                }
            }
    return 0;
}
