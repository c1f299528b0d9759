#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "memory_measure.h"
#include "darknet.h"
#include "memory_plan.h"
#include "quiet_output.h"
#include "relnas_error.h"

/* A copy of cfgfile in path whose [net] batch and subdivisions are `batch` and 1; the
 * cfg's own batch per subdivision in *cfg_batch. */
static int copy_with_batch(const char *cfgfile, int batch, char *path, size_t len, int *cfg_batch)
{
    int batch_option = 1, subdivisions = 1;
    FILE *in = fopen(cfgfile, "r");
    snprintf(path, len, "/tmp/relnas-memory-XXXXXX");
    int fd = in ? mkstemp(path) : -1;
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        if (in) fclose(in);
        return -1;
    }
    char line[65536];
    int in_net = 0;
    while (fgets(line, sizeof(line), in)) {
        if (line[0] == '[') {
            in_net = strncmp(line, "[net]", 5) == 0 || strncmp(line, "[network]", 9) == 0;
            fputs(line, out);
            if (in_net) fprintf(out, "batch=%d\nsubdivisions=1\n", batch);
            continue;
        }
        if (in_net && sscanf(line, "batch = %d", &batch_option) == 1) continue;
        if (in_net && sscanf(line, "subdivisions = %d", &subdivisions) == 1) continue;
        fputs(line, out);
    }
    fclose(in);
    *cfg_batch = subdivisions > 0 && batch_option / subdivisions > 0 ? batch_option / subdivisions : 1;
    return fclose(out);
}

static double heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return (double)m.uordblks + (double)m.hblkhd;
}

/* Heap growth from building cfg and running it once (train or predict, planned or not). */
static double measure_once(const char *cfg, int train, int planned)
{
    double before = heap_in_use();
    network *net = parse_network_cfg((char *)cfg);
    if (planned) {
        if (train) relnas_plan_training(net);
        else relnas_plan_inference(net, -1);
    }
    net->train = train;
    if (train) {
        forward_network(net);
        backward_network(net);
    } else {
        network_predict(net, net->input);
    }
    double used = heap_in_use() - before;
    free_network(net);
    return used;
}

/* Parsing prints Darknet's layer listing on stderr, a training [yolo] forward its "Region"
 * line on stdout: both quiet while measuring. */
static void measure_quietly(const char *cfg1, const char *cfg2, int batch, relnas_memory_needs *needs)
{
    int saved = relnas_stderr_silence(), saved_out = relnas_stdout_silence(), saved_gpu = gpu_index;
    gpu_index = -1;
    double *slot[4] = {&needs->train_planned, &needs->train_stock, &needs->infer_planned, &needs->infer_stock};
    for (int k = 0; k < 4; ++k) {
        int train = k < 2, planned = k % 2 == 0;
        double one = measure_once(cfg1, train, planned), two = measure_once(cfg2, train, planned);
        *slot[k] = one + (two - one) * (batch - 1);
    }
    gpu_index = saved_gpu;
    relnas_stdout_restore(saved_out);
    relnas_stderr_restore(saved);
}

int relnas_measure_memory(const char *cfgfile, relnas_memory_needs *needs, char *err, size_t errlen)
{
    char one[64], two[64];
    memset(needs, 0, sizeof(*needs));
    if (copy_with_batch(cfgfile, 1, one, sizeof(one), &needs->batch) ||
        copy_with_batch(cfgfile, 2, two, sizeof(two), &needs->batch))
        return relnas_errorf(err, errlen, "%s: cannot make temporary copies in /tmp to measure memory", cfgfile);
    measure_quietly(one, two, needs->batch, needs);
    unlink(one), unlink(two);
    return 0;
}
