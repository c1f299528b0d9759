/* .weights files (patch 0011): a file that ends inside a layer is an error naming the file
 * and the layer (Darknet ignored short reads); a file that ends at a layer boundary, as
 * `darknet partial` makes them, loads the layers it holds and says so. */
#include <sys/stat.h>
#include "relnas_test.h"

static const char cfg_text[] =
    "[net]\nbatch=1\nwidth=8\nheight=8\nchannels=3\n"
    "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nbatch_normalize=1\nactivation=relu\n"
    "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nactivation=linear\n";

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

static void test_header_without_weights_is_a_warning(void **state)
{
    /* Right for a network without weights (the PyTorch reference's pooling cases), a
     * mistake for any other: loaded, with a warning. */
    make_files();
    const int header[5] = {0, 2, 0, 0, 0}; /* major, minor, revision, seen as size_t */
    write_file(weights_path, header, 3 * sizeof(int) + sizeof(size_t));
    char msg[4096];
    int status = relnas_test_in_child(load, weights_path, msg, sizeof(msg));
    assert_int_equal(status, 0);
    assert_non_null(strstr(msg, "warning: a header and no layer weights; every layer keeps its initial values"));
    unlink(cfg_path), unlink(weights_path);
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
        cmocka_unit_test(test_short_header_is_an_error),
        cmocka_unit_test(test_header_without_weights_is_a_warning),
        cmocka_unit_test(test_negative_version_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
