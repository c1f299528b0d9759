/* Fuzz target: .weights files (header and layer data) loaded by Darknet's load_weights into
 * a network holding every plugin layer type beside Darknet's convolutional (with batch
 * norm) and connected layers. Damaged files must end in Darknet's exit with a message
 * (caught here), never in a crash or a read past a buffer. */
#include <string.h>
#include "darknet.h"
#include "fuzz_exit.h"
#include "fuzz_input.h"

static const char cfg_text[] =
    "[net]\nbatch=1\nwidth=8\nheight=8\nchannels=2\n"
    "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nbatch_normalize=1\nactivation=relu\n"
    "[sep_conv]\nfilters=4\nsize=3\n"
    "[dil_conv]\nfilters=4\nsize=3\ndilation=2\n"
    "[relu_conv_bn]\nfilters=4\n"
    "[avg_pool]\n"
    "[max_pool]\n"
    "[factorized_reduce]\nfilters=4\n"
    "[connected]\noutput=3\nactivation=linear\n"
    "[weighted_softmax]\n";

static network *net;

static void load(void *path)
{
    load_weights(net, path);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!net) {
        const char *cfg = fuzz_file(1, (const unsigned char *)cfg_text, strlen(cfg_text));
        net = parse_network_cfg((char *)cfg);
    }
    fuzz_run_catching_exit(load, (void *)fuzz_file(0, data, size));
    return 0;
}
