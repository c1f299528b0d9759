/* The cfg check's idea of each layer's output equals what Darknet builds: every stock
 * section type (and the plugin's) in small hand-written cfgs, and some of Darknet's own
 * cfgs, are checked and then built by parse_network_cfg, layer by layer. */
#include "relnas_test.h"
#include "cfg_check.h"
#include "quiet_output.h"

#define NET(w, h, c) "[net]\nbatch=2\nwidth=" #w "\nheight=" #h "\nchannels=" #c "\n\n"

typedef struct shape_case {
    const char *name;
    const char *cfg;  /* text, or a path under Darknet's source when it starts with "cfg/" */
    int recurrent;    /* Darknet's free_network leaves their sublayers (not ours to fix) */
} shape_case;

/* LeakSanitizer's switch, when the test runs under SANITIZE=1. */
extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));

static const shape_case cases[] = {
    {.name = "convolutions", .cfg = NET(17, 13, 3)
     "[convolutional]\nfilters=8\nsize=3\nstride=2\npad=1\n\n[convolutional]\nfilters=4\nsize=3\npadding=2\n\n"
     "[convolutional]\nfilters=8\nsize=1\ngroups=4\n\n[deconvolutional]\nfilters=3\nsize=4\nstride=2\npadding=1\n\n"
     "[local]\nfilters=2\nsize=3\nstride=2\n\n[local]\nfilters=2\nsize=3\npad=1\n"},
    {.name = "pools and reshapes", .cfg = NET(16, 12, 4)
     "[maxpool]\nsize=3\nstride=2\n\n[maxpool]\nsize=2\nstride=1\npadding=0\n\n[reorg]\nstride=1\n\n"
     "[upsample]\nstride=2\n\n[reorg]\nstride=2\n\n[reorg]\nstride=2\nreverse=1\n\n[upsample]\nstride=-2\n\n"
     "[crop]\ncrop_height=5\ncrop_width=7\n\n[avgpool]\n\n[reorg]\nextra=3\n"},
    {.name = "element-wise", .cfg = NET(8, 6, 5)
     "[batchnorm]\n\n[lrn]\nsize=3\n\n[activation]\nactivation=leaky\n\n[logistic]\n\n[l2norm]\n\n[dropout]\n\n"
     "[cost]\ntype=sse\n"},
    {.name = "links", .cfg = NET(8, 8, 3)
     "[convolutional]\nfilters=4\nsize=3\npad=1\n\n[convolutional]\nfilters=6\nsize=1\n\n[route]\nlayers=-1,0\n\n"
     "[convolutional]\nfilters=4\nsize=1\n\n[shortcut]\nfrom=0\n\n[convolutional]\nfilters=4\nstride=2\n\n"
     "[shortcut]\nfrom=-2\n\n[route]\nlayers=1\n"},
    {.name = "heads", .cfg = NET(8, 8, 3)
     "[convolutional]\nfilters=75\nsize=1\n\n[yolo]\nmask=0,1,2\nnum=6\nclasses=20\n\n"
     "[route]\nlayers=-2\n\n[convolutional]\nfilters=50\nsize=1\n\n[region]\nnum=2\nclasses=20\ncoords=4\n\n"
     "[route]\nlayers=-2\n\n[convolutional]\nfilters=12\nsize=1\n\n[iseg]\nclasses=4\nids=8\n\n"
     "[route]\nlayers=0\n\n[softmax]\ngroups=5\n"},
    {.name = "detection", .cfg = NET(4, 4, 3) "[connected]\noutput=88\n\n[detection]\nside=2\nnum=2\ncoords=4\nclasses=12\n"},
    {.name = "dense and recurrent", .cfg = "[net]\nbatch=4\ntime_steps=2\ninputs=10\n\n[connected]\noutput=7\n\n[rnn]\noutput=5\n\n"
     "[gru]\noutput=6\n\n[lstm]\noutput=3\n\n[softmax]\n", .recurrent = 1},
    {.name = "crnn", .cfg = NET(6, 6, 2) "[crnn]\noutput_filters=3\nhidden_filters=4\n", .recurrent = 1},
    {.name = "plugin sections", .cfg = NET(8, 8, 3)
     "[convolutional]\nfilters=8\nsize=3\npad=1\n\n[sep_conv]\nfilters=8\nstride=2\n\n[dil_conv]\nfilters=8\ninput=0\n\n"
     "[relu_conv_bn]\nfilters=6\n\n[factorized_reduce]\nfilters=8\ninput=0\n\n[avg_pool]\ninput=0\nstride=2\n\n"
     "[max_pool]\nstride=1\n"},
    {.name = "Darknet's yolov3-tiny.cfg", .cfg = "cfg/yolov3-tiny.cfg"},
    {.name = "Darknet's yolov2-tiny-voc.cfg", .cfg = "cfg/yolov2-tiny-voc.cfg"},
    {.name = "Darknet's yolov1-tiny.cfg", .cfg = "cfg/yolov1-tiny.cfg"},
    {.name = "Darknet's resnet18.cfg", .cfg = "cfg/resnet18.cfg"},
    {.name = "Darknet's cifar.cfg", .cfg = "cfg/cifar.cfg"},
    {.name = "Darknet's gru.cfg", .cfg = "cfg/gru.cfg", .recurrent = 1},
    {.name = "Darknet's rnn.cfg", .cfg = "cfg/rnn.cfg", .recurrent = 1},
};

enum { MAX_LAYERS = 256 };

static void test_case(void **state)
{
    const shape_case *c = *state;
    char path[1024];
    int from_darknet = strncmp(c->cfg, "cfg/", 4) == 0;
    if (from_darknet) {
        const char *root = getenv("RELNAS_ROOT");
        snprintf(path, sizeof(path), "%s/build/darknet/%s", root ? root : ".", c->cfg);
        if (access(path, R_OK) != 0) RELNAS_SKIP("Darknet's source is not in build/darknet");
    } else {
        snprintf(path, sizeof(path), "%s", relnas_test_write_temp(c->cfg));
    }
    relnas_cfg_shape shapes[MAX_LAYERS];
    relnas_cfg_check_options options = {.problems = stdout, .layer_shapes = shapes, .max_layer_shapes = MAX_LAYERS};
    relnas_cfg_check_result r;
    assert_int_equal(relnas_cfg_check_file(path, &options, &r), 0);
    if (c->recurrent && __lsan_disable) __lsan_disable();
    int quiet = relnas_stderr_silence();
    network *net = parse_network_cfg(path);
    relnas_stderr_restore(quiet);
    assert_int_equal(r.layers, net->n);
    assert_int_equal(r.batch, net->batch);
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        if (!shapes[i].known || shapes[i].outputs != l.outputs || shapes[i].h != l.out_h ||
            shapes[i].w != l.out_w || shapes[i].c != l.out_c) {
            printf("# %s layer %d: check %d x %d x %d = %lld (known %d), Darknet %d x %d x %d = %d\n", c->name, i,
                   shapes[i].h, shapes[i].w, shapes[i].c, shapes[i].outputs, shapes[i].known, l.out_h, l.out_w,
                   l.out_c, l.outputs);
            fail();
        }
    }
    free_network(net);
    if (c->recurrent && __lsan_enable) __lsan_enable();
    if (!from_darknet) unlink(path);
}

int main(void)
{
    enum { n = sizeof(cases) / sizeof(cases[0]) };
    struct CMUnitTest tests[n];
    for (int i = 0; i < n; ++i)
        tests[i] = (struct CMUnitTest){cases[i].name, test_case, NULL, NULL, (void *)&cases[i]};
    return cmocka_run_group_tests_name("cfg_shapes", tests, NULL, NULL);
}
