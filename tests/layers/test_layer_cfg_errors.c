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
     ":7: [factorized_reduce] (layer 0): input is 7 x 7; FactorizedReduce needs an even height and width"},
    {"factorized_reduce to odd filters", NET8 "[factorized_reduce]\nfilters=5\n",
     "key 'filters' must be even"},
    {"misspelt key", NET8 "[sep_conv]\nsizee=3\n", "unknown key 'sizee' for this layer type"},
    {"stride out of range", NET8 "[sep_conv]\nstride=3\n", "key 'stride' must be in [1, 2], got 3"},
    {"even kernel", NET8 "[dil_conv]\nsize=4\n", "key 'size' must be odd, got 4"},
    {"not a number", NET8 "[relu_conv_bn]\nfilters=many\n", "key 'filters' must be an integer, got 'many'"},
    {"input from a later layer", NET8 "[relu_conv_bn]\n\n[sep_conv]\ninput=3\n",
     ":9: [sep_conv] (layer 1): key 'input' must name an earlier layer, got 3"},
    {"pool window wider than the depthwise kernels take (fuzzing: abort in backward)",
     NET8 "[avg_pool]\nsize=17\nstride=1\npad=8\n", "key 'size' must be in [1, 15], got 17"},
    {"network input read by a later layer (found writing the cfg fuzz target: it read the previous layer's output)",
     NET8 "[relu_conv_bn]\nfilters=16\n\n[sep_conv]\ninput=-2\n",
     ":10: [sep_conv] (layer 1): key 'input' = -2 reaches the network input, which only layer 0 can read"},
    {"input before the network", NET8 "[relu_conv_bn]\ninput=-3\n", "points before the network input"},
    {"drop_path of 1", NET8 "[max_pool]\ndrop_path=1\n", "key 'drop_path' must be in [0, 1), got 1"},
    {"unknown activation", NET8 "[avg_pool]\nactivation=tanh\n",
     "key 'activation' must be one of linear, relu, got 'tanh'"},
    {"window larger than the input", NET8 "[avg_pool]\nsize=11\nstride=1\npad=0\n",
     "a 11x11 window with pad 0 does not fit the 8x8 input"},
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
