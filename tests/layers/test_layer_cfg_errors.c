/* Bad options in plugin sections stop parsing with the file, line, section and what was
 * expected; they never crash or get silently replaced by defaults. Cases found by fuzzing
 * (tests/fuzz/fuzz_layer_cfg.c) say so. */
#include "relnas_test.h"

typedef struct cfg_error_case {
    const char *name;
    const char *cfg;
    const char *expect; /* substring of the message */
} cfg_error_case;

#define NET8 "[net]\nbatch=1\nheight=8\nwidth=8\nchannels=3\n\n"
#define NET7 "[net]\nbatch=1\nheight=7\nwidth=7\nchannels=3\n\n"

static const cfg_error_case cases[] = {
    {"factorized_reduce on an odd input", NET7 "[factorized_reduce]\nfilters=4\n",
     ":7: [factorized_reduce] (layer 0): expected an input of even height and width (FactorizedReduce halves it), found 7 x 7"},
    {"factorized_reduce to odd filters", NET8 "[factorized_reduce]\nfilters=5\n",
     ":8: [factorized_reduce] (layer 0): filters: expected an even number (two halves), found 5"},
    {"misspelt key", NET8 "[sep_conv]\nsizee=3\n", ":8: [sep_conv] (layer 0): sizee: expected a key this section reads, found an unknown key"},
    {"stride out of range", NET8 "[sep_conv]\nstride=3\n", "stride: expected an integer in [1, 2], found 3"},
    {"even kernel", NET8 "[dil_conv]\nsize=4\n", "size: expected an odd kernel size, found 4"},
    {"not a number", NET8 "[relu_conv_bn]\nfilters=many\n", "filters: expected an integer, found 'many'"},
    {"input from a later layer", NET8 "[relu_conv_bn]\n\n[sep_conv]\ninput=3\n",
     ":10: [sep_conv] (layer 1): input: expected an earlier layer, found 3"},
    {"pool window wider than the depthwise kernels take (fuzzing: abort in backward)",
     NET8 "[avg_pool]\nsize=17\nstride=1\npad=8\n", "size: expected an integer in [1, 15], found 17"},
    {"network input read by a later layer (found writing the cfg fuzz target: it read the previous layer's output)",
     NET8 "[relu_conv_bn]\nfilters=16\n\n[sep_conv]\ninput=-2\n",
     ":11: [sep_conv] (layer 1): input: expected an earlier layer, found -2, the network input, which only layer 0 can read"},
    {"input before the network", NET8 "[relu_conv_bn]\ninput=-3\n", "input: expected a layer, found -3, before the network input"},
    {"drop_path of 1", NET8 "[max_pool]\ndrop_path=1\n", "drop_path: expected a number in [0, 1), found 1"},
    {"unknown activation", NET8 "[avg_pool]\nactivation=tanh\n",
     "activation: expected one of linear, relu, found 'tanh'"},
    {"window larger than the input", NET8 "[avg_pool]\nsize=11\nstride=1\npad=0\n",
     "size: expected a window that fits the 8x8 input with pad 0, found 11x11"},
};

static void test_case(void **state)
{
    const cfg_error_case *c = *state;
    const char *path = relnas_test_write_temp(c->cfg);
    char err[16384];
    int status = relnas_test_parse_in_child(path, err, sizeof(err));
    unlink(path);
    if (status != 1 || !strstr(err, c->expect) || !strstr(err, path)) {
        printf("# %s: status %d, stderr:\n# %s\n", c->name, status, err);
        fail();
    }
}

int main(void)
{
    enum { n = sizeof(cases) / sizeof(cases[0]) };
    struct CMUnitTest tests[n];
    for (int i = 0; i < n; ++i)
        tests[i] = (struct CMUnitTest){cases[i].name, test_case, NULL, NULL, (void *)&cases[i]};
    return cmocka_run_group_tests_name("layer_cfg_errors", tests, NULL, NULL);
}
