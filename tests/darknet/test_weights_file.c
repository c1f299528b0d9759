/* .weights files (patches 0011, 0042): a file that ends inside a layer is an error naming the
 * file and the layer (Darknet ignored short reads); a file that ends at a layer boundary
 * before layers with weights, as `darknet partial` makes them, loads the layers it holds
 * and says so (and is an error where a command scores the network: patch 0044); a complete file followed by weightless layers loads without a word; a header
 * without weights, bytes after the last layer and a directory are errors. */
#include <sys/stat.h>
#include "relnas_hooks.h"
#include "relnas_test.h"

static const char cfg_text[] =
    "[net]\nbatch=1\nwidth=8\nheight=8\nchannels=3\n"
    "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nbatch_normalize=1\nactivation=relu\n"
    "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nactivation=linear\n"
    "[avgpool]\n[softmax]\n";

static char cfg_path[64], weights_path[64];

static void make_files(void)
{
    snprintf(cfg_path, sizeof(cfg_path), "%s", relnas_test_write_temp(cfg_text));
    snprintf(weights_path, sizeof(weights_path), "%s", relnas_test_write_temp(""));
    network *net = parse_network_cfg(cfg_path);
    save_weights(net, weights_path);
    free_network(net);
}

static void load(const void *weights)
{
    network *net = parse_network_cfg(cfg_path);
    load_weights(net, (char *)weights);
    free_network(net);
}

static void test_file_ending_inside_a_layer_is_an_error(void **state)
{
    make_files();
    struct stat st;
    assert_int_equal(stat(weights_path, &st), 0);
    assert_int_equal(truncate(weights_path, st.st_size - 8), 0); /* two floats short */
    char msg[4096];
    int status = relnas_test_in_child(load, weights_path, msg, sizeof(msg));
    printf("# %s", strstr(msg, weights_path) ? strstr(msg, weights_path) : msg);
    assert_int_equal(status, 1);
    assert_non_null(strstr(msg, "the file ends inside layer 1"));
    unlink(cfg_path), unlink(weights_path);
}

static void test_file_ending_at_a_layer_boundary_loads_what_it_has(void **state)
{
    make_files();
    /* header (3 ints + size_t seen) + layer 0: 4 biases, 4 scales, 4 means, 4 variances, 108 weights */
    long layer0_end = 3 * 4 + (long)sizeof(size_t) + 4L * (4 + 4 + 4 + 4 + 108);
    assert_int_equal(truncate(weights_path, layer0_end), 0);
    char msg[4096];
    int status = relnas_test_in_child(load, weights_path, msg, sizeof(msg));
    assert_int_equal(status, 0);
    assert_non_null(strstr(msg, "weights for layers 0-0; the others keep their initial values"));
    unlink(cfg_path), unlink(weights_path);
}

static void load_complete(const void *weights)
{
    relnas_require_complete_weights = 1; /* as valid, map and forward set it */
    load(weights);
}

/* Patch 0044: where a command scores the network, the same file is an error naming the
 * layers it holds and the cfg's last weighted layer (1 here: the second convolution). */
static void test_file_ending_early_is_an_error_where_every_layer_is_needed(void **state)
{
    make_files();
    long layer0_end = 3 * 4 + (long)sizeof(size_t) + 4L * (4 + 4 + 4 + 4 + 108);
    assert_int_equal(truncate(weights_path, layer0_end), 0);
    char msg[4096];
    int status = relnas_test_in_child(load_complete, weights_path, msg, sizeof(msg));
    printf("# %s", strstr(msg, weights_path) ? strstr(msg, weights_path) : msg);
    assert_int_equal(status, 1);
    assert_non_null(strstr(msg, "holds the weights of layers 0-0 only, and the cfg has weighted layers up to 1"));
    unlink(cfg_path), unlink(weights_path);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    fclose(fp);
}

static void expect_not_weights(const void *data, size_t n, const char *why)
{
    make_files();
    write_file(weights_path, data, n);
    char msg[4096];
    int status = relnas_test_in_child(load, weights_path, msg, sizeof(msg));
    printf("# %s", strstr(msg, weights_path) ? strstr(msg, weights_path) : msg);
    assert_int_equal(status, 1);
    assert_non_null(strstr(msg, "not a Darknet .weights file"));
    assert_non_null(strstr(msg, why));
    unlink(cfg_path), unlink(weights_path);
}

static void test_short_header_is_an_error(void **state)
{
    const int version[2] = {0, 2};
    expect_not_weights(version, sizeof(version), "shorter than its header");
}

/* Loads weights_path; the status and the message into status, msg. */
static int load_status(char *msg, size_t len)
{
    return relnas_test_in_child(load, weights_path, msg, len);
}

static void test_header_without_weights_is_an_error(void **state)
{
    /* Right for a network without weights (the PyTorch reference's pooling cases load
     * such files), the weights of another cfg for this one. */
    make_files();
    const int header[5] = {0, 2, 0, 0, 0}; /* major, minor, revision, seen as size_t */
    write_file(weights_path, header, 3 * sizeof(int) + sizeof(size_t));
    char msg[4096];
    assert_int_equal(load_status(msg, sizeof(msg)), 1);
    assert_non_null(strstr(msg, "no layer weights, but layer 0 of the cfg has some: the weights of another cfg?"));
    unlink(cfg_path), unlink(weights_path);
}

static void test_complete_file_loads_without_a_word(void **state)
{
    make_files(); /* the cfg ends with [avgpool] and [softmax], which have no weights */
    char msg[4096];
    assert_int_equal(load_status(msg, sizeof(msg)), 0);
    assert_null(strstr(msg, "initial values"));
    assert_null(strstr(msg, "warning"));
    unlink(cfg_path), unlink(weights_path);
}

static void test_bytes_after_the_last_layer_are_an_error(void **state)
{
    make_files();
    FILE *fp = fopen(weights_path, "ab");
    assert_non_null(fp);
    const float more[4] = {1, 2, 3, 4};
    fwrite(more, sizeof(more), 1, fp);
    fclose(fp);
    char msg[4096];
    assert_int_equal(load_status(msg, sizeof(msg)), 1);
    assert_non_null(strstr(msg, "bytes left after the last of the cfg's 4 layers: the weights of another cfg"));
    unlink(cfg_path), unlink(weights_path);
}

static void test_directory_is_not_weights(void **state)
{
    make_files();
    unlink(weights_path);
    assert_int_equal(mkdir(weights_path, 0700), 0);
    char msg[4096];
    assert_int_equal(load_status(msg, sizeof(msg)), 1);
    assert_non_null(strstr(msg, "not a Darknet .weights file: Is a directory"));
    rmdir(weights_path), unlink(cfg_path);
}

static void test_negative_version_is_an_error(void **state)
{
    /* Darknet computed major * 10 + minor first: with INT_MIN that overflowed. */
    const int header[8] = {-2147483647 - 1, 5, 0, 0, 1, 2, 3, 4};
    expect_not_weights(header, sizeof(header), "negative version numbers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_ending_inside_a_layer_is_an_error),
        cmocka_unit_test(test_file_ending_at_a_layer_boundary_loads_what_it_has),
        cmocka_unit_test(test_file_ending_early_is_an_error_where_every_layer_is_needed),
        cmocka_unit_test(test_short_header_is_an_error),
        cmocka_unit_test(test_header_without_weights_is_an_error),
        cmocka_unit_test(test_complete_file_loads_without_a_word),
        cmocka_unit_test(test_bytes_after_the_last_layer_are_an_error),
        cmocka_unit_test(test_directory_is_not_weights),
        cmocka_unit_test(test_negative_version_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
