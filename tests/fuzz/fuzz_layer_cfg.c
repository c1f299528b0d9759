/* Fuzz target: the cfg section of every plugin layer type, all keys and values, read by the
 * layer's own parser against a small network of earlier layers. A section the parser
 * accepts must make a layer that runs forward and backward on its input with finite
 * results; anything else is a parser bug.
 *
 * Input: byte 0 picks the layer type, bytes 1-2 the input's size (1-12) and channels (1-8),
 * the rest is the section's text, `key=value` per line as in a .cfg. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "darknet.h"
#include "layer_options.h"
#include "layer_registry.h"
#include "option_list.h"
#include "utils.h"

enum { BATCH = 2, EARLIER = 2 }; /* earlier layers the section may read with input= */
static const long max_floats = 1L << 22;

static void fill(float *x, long n)
{
    for (long i = 0; i < n; ++i) x[i] = (float)((i * 37 % 17) - 8) / 8;
}

/* A stand-in for an earlier layer: an output of h x w x c, filled. */
static layer earlier_layer(int h, int w, int c)
{
    layer l = {0};
    l.batch = BATCH;
    l.out_h = l.h = h;
    l.out_w = l.w = w;
    l.out_c = l.c = c;
    l.outputs = l.inputs = h * w * c;
    l.output = calloc((size_t)BATCH * l.outputs, sizeof(float));
    l.delta = calloc((size_t)BATCH * l.outputs, sizeof(float));
    fill(l.output, (long)BATCH * l.outputs);
    return l;
}

/* The network input is h x w x c; layer 0 is the same size, layer 1 half of it, doubled in
 * channels (the shapes a cell reads). */
static network *context(int side, int c)
{
    network *net = make_network(EARLIER + 1);
    net->batch = BATCH;
    net->h = net->w = side;
    net->c = c;
    net->inputs = side * side * c;
    net->input = calloc((size_t)BATCH * net->inputs, sizeof(float));
    fill(net->input, (long)BATCH * net->inputs);
    net->layers[0] = earlier_layer(side, side, c);
    net->layers[1] = earlier_layer((side + 1) / 2, (side + 1) / 2, 2 * c);
    net->n = EARLIER;
    return net;
}

/* Options from `key=value` lines, as Darknet's read_cfg makes them (stripped; comments,
 * blank lines and section headers skipped). Each key owns its line, as read_data_cfg's
 * do: relnas_options_free(options, 1) frees them. */
static list *options_from(const char *text, size_t size)
{
    list *options = make_list();
    char *copy = malloc(size + 1);
    memcpy(copy, text, size);
    copy[size] = '\0';
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char *own = strdup(line);
        strip(own);
        if (own[0] == '\0' || own[0] == '#' || own[0] == ';' || own[0] == '[' || !read_option(own, options))
            free(own);
    }
    free(copy);
    return options;
}

static void check_finite(const float *x, long n)
{
    for (long i = 0; i < n; ++i)
        if (!isfinite(x[i])) abort();
}

/* One forward and backward pass in training mode (drop-path, batch statistics) of the last
 * layer of net; a forward pass may give the layer its training buffers. */
static void run(network *net)
{
    layer *l = &net->layers[EARLIER];
    long out = (long)BATCH * l->outputs;
    if (out <= 0 || out > max_floats || l->workspace_size > sizeof(float) * (size_t)max_floats) return;
    float *workspace = calloc(l->workspace_size / sizeof(float) + 1, sizeof(float));
    float *truth = calloc(out, sizeof(float));
    for (int b = 0; b < BATCH; ++b) truth[(long)b * l->outputs] = 1;
    float *network_input = net->input;
    net->input = net->layers[EARLIER - 1].output; /* as forward_network passes it */
    net->workspace = workspace;
    net->truth = truth;
    net->delta = net->layers[EARLIER - 1].delta; /* as backward_network passes it */
    net->train = 1;
    net->index = EARLIER;
    l->forward(*l, *net);
    check_finite(l->output, out);
    if (l->delta) {
        for (long i = 0; i < out; ++i) l->delta[i] = 1;
        l->backward(*l, *net);
    }
    free(workspace), free(truth);
    net->workspace = net->truth = net->delta = NULL;
    net->input = network_input;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 3) return 0;
    int kind = data[0] % relnas_layer_kind_count();
    int side = 1 + data[1] % 12, c = 1 + data[2] % 8;
    network *net = context(side, c);
    layer from_input = net->layers[EARLIER - 1];
    size_params params = {.batch = BATCH, .inputs = from_input.outputs, .h = from_input.out_h,
                          .w = from_input.out_w, .c = from_input.out_c, .index = EARLIER,
                          .time_steps = 1, .net = net};
    list *options = options_from((const char *)data + 3, size - 3);
    layer l = {0};
    char err[256];
    if (relnas_layer_kind_at(kind)->parse(&l, options, params, err, sizeof(err)) == 0) {
        l.type = PLUGIN;
        l.plugin_kind = kind;
        net->layers[EARLIER] = l;
        net->n = EARLIER + 1;
        run(net);
    }
    relnas_options_free(options, 1);
    free_network(net);
    return 0;
}
