/* The search checkpoint (format 5): every field of a state comes back bit for bit (positions,
 * velocities, RNG, pairing, results, figures, the cell archive, the selection's records, log
 * sizes, weight-set blocks with and without batch norm), and files that are truncated, altered, or hold impossible values with a valid
 * checksum are refused with a message naming the file and the problem. */
#include <math.h>
#include <zlib.h>
#include "relnas_test.h"
#include "checkpoint.h"

static relnas_image_set tiny_data(void)
{
    relnas_image_set d = {64, 8, 8, 1, 3, calloc(64 * 64, 1), calloc(64, 1)};
    return d;
}

static float *floats(int n, float start)
{
    float *x = malloc(sizeof(float) * (size_t)n);
    for (int i = 0; i < n; ++i) x[i] = start + 0.25f * (float)i;
    return x;
}

/* A state in mid-search: every array holds distinct values. */
static relnas_search_state make_state(void)
{
    relnas_search_settings s = {.population = 6, .generations = 5, .batch = 8, .train_batches = 3, .valid_batches = 2,
                                .C = 4, .cells = 3, .lr_max = 0.1, .lr_min = 0.001, .momentum = 0.9, .decay = 3e-4,
                                .clip = 5, .drop_path = 0.3, .train_portion = 0.5, .cutout = 16, .pad = 4, .flip = 1,
                                .seed = 42, .bn_batches = 7, .warmup_batches = 9, .select_batches = 11,
                                .select_rounds = 3, .select_all_cells = 1, .select_lr = 0.02, .select_cutout = 5,
                                .select_valid_batches = 13, .select_keep = 3, .parallel_pairs = 1};
    relnas_image_set data = tiny_data();
    relnas_search_state st;
    char err[256];
    assert_int_equal(relnas_search_state_init(&st, &s, &data, "idx:a.gz,b.gz", err, sizeof(err)), 0);
    relnas_image_set_free(&data);
    st.generation = 2, st.pair = 1, st.evaluated = 26, st.seconds = 12.5, st.outside_seconds = 0.75, st.warmed = 6;
    for (int i = 0; i < 6; ++i) {
        st.pairs[i] = 5 - i;
        st.in_pair[i] = (relnas_member){i, 0.25 + i, i == 3 ? NAN : 0.5 + i, 0.1 * i, 3.5 * i};
        st.final[i] = (relnas_member){i, NAN, i == 2 ? NAN : 1.5 + i, 0.05 * i, 0.5 * i};
        for (int d = 0; d < RELNAS_DIM; ++d) st.pop.v[i][d] = 0.01 * (i - d);
    }
    st.fast[0] = 1, st.fast[1] = 0, st.fast[2] = 1;
    relnas_rng other = relnas_rng_seeded(7);
    relnas_population one = relnas_population_init(2, &other); /* a cell the population lacks */
    assert_int_equal(relnas_cell_archive_add(&st.archive, one.x[0], 2), 6);
    relnas_population_free(&one);
    for (int g = 0; g < 5; ++g) st.fast_loss[g] = g, st.slow_loss[g] = 2 * g, st.diversity[g] = 3 * g;
    st.log_sizes[0] = 100, st.log_sizes[1] = 2000, st.log_sizes[2] = 30000;
    st.ws.count = st.ws.capacity = 2;
    st.ws.blocks = calloc(2, sizeof(relnas_param_block));
    st.ws.blocks[0] = (relnas_param_block){{RELNAS_KEY_OP, 1, 4, 2}, 9, 3, 1, floats(9, 1), floats(3, 2),
                                           floats(3, 3), floats(3, 4), floats(3, 5)};
    st.ws.blocks[1] = (relnas_param_block){{RELNAS_KEY_SHARED, -1, 0, 0}, 12, 4, 0, floats(12, -1), floats(4, 7),
                                           NULL, NULL, NULL};
    return st;
}

static const char *temp_path(void)
{
    static char path[64];
    strcpy(path, "/tmp/relnas-ckpt-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void assert_same_block(const relnas_param_block *a, const relnas_param_block *b)
{
    assert_memory_equal(&a->key, &b->key, sizeof(a->key));
    assert_int_equal(a->nweights, b->nweights);
    assert_int_equal(a->nbiases, b->nbiases);
    assert_int_equal(a->has_bn, b->has_bn);
    assert_memory_equal(a->weights, b->weights, sizeof(float) * (size_t)a->nweights);
    assert_memory_equal(a->biases, b->biases, sizeof(float) * (size_t)a->nbiases);
    assert_true((a->scales == NULL) == (b->scales == NULL));
    if (a->scales) {
        assert_memory_equal(a->scales, b->scales, sizeof(float) * (size_t)a->nbiases);
        assert_memory_equal(a->rolling_mean, b->rolling_mean, sizeof(float) * (size_t)a->nbiases);
        assert_memory_equal(a->rolling_variance, b->rolling_variance, sizeof(float) * (size_t)a->nbiases);
    }
}

/* Field by field: the struct has padding. */
static void assert_same_settings(const relnas_search_settings *a, const relnas_search_settings *b)
{
    int ia[] = {a->population, a->generations, a->batch, a->train_batches, a->valid_batches, a->C, a->cells,
                a->cutout, a->pad, a->flip, a->bn_batches, a->warmup_batches, a->select_batches,
                a->select_rounds, a->select_all_cells, a->select_cutout, a->select_valid_batches, a->select_keep,
                a->parallel_pairs};
    int ib[] = {b->population, b->generations, b->batch, b->train_batches, b->valid_batches, b->C, b->cells,
                b->cutout, b->pad, b->flip, b->bn_batches, b->warmup_batches, b->select_batches,
                b->select_rounds, b->select_all_cells, b->select_cutout, b->select_valid_batches, b->select_keep,
                b->parallel_pairs};
    double ra[] = {a->lr_max, a->lr_min, a->momentum, a->decay, a->clip, a->drop_path, a->train_portion,
                   a->select_lr};
    double rb[] = {b->lr_max, b->lr_min, b->momentum, b->decay, b->clip, b->drop_path, b->train_portion,
                   b->select_lr};
    assert_memory_equal(ia, ib, sizeof(ia));
    assert_memory_equal(ra, rb, sizeof(ra));
    assert_true(a->seed == b->seed);
}

/* Field by field: the struct has padding; NaNs compare by their bits. */
static void assert_same_member(const relnas_member *a, const relnas_member *b)
{
    double fa[4] = {a->train_loss, a->valid_loss, a->valid_accuracy, a->seconds};
    double fb[4] = {b->train_loss, b->valid_loss, b->valid_accuracy, b->seconds};
    assert_int_equal(a->index, b->index);
    assert_memory_equal(fa, fb, sizeof(fa));
}

static void test_round_trip(void **state)
{
    relnas_search_state a = make_state(), b;
    const char *path = temp_path();
    char err[512];
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    assert_int_equal(relnas_checkpoint_load(path, &b, err, sizeof(err)), 0);
    assert_same_settings(&a.settings, &b.settings);
    assert_string_equal(b.data.name, "idx:a.gz,b.gz");
    assert_int_equal(b.data.classes, 3);
    assert_int_equal(b.generation, 2);
    assert_int_equal(b.pair, 1);
    assert_int_equal(b.evaluated, 26);
    assert_int_equal(b.warmed, 6);
    assert_int_equal(b.rescored, 0);
    assert_int_equal(b.settings.bn_batches, 7);
    assert_int_equal(b.settings.warmup_batches, 9);
    assert_int_equal(b.settings.select_batches, 11);
    assert_int_equal(b.settings.parallel_pairs, 1);
    assert_int_equal(b.selected, 0);
    assert_true(b.seconds == 12.5 && b.outside_seconds == 0.75);
    assert_memory_equal(&a.rng, &b.rng, sizeof(a.rng));
    assert_memory_equal(a.pop.x, b.pop.x, sizeof(*a.pop.x) * 6);
    assert_memory_equal(a.pop.v, b.pop.v, sizeof(*a.pop.v) * 6);
    assert_memory_equal(a.pairs, b.pairs, sizeof(int) * 6);
    assert_memory_equal(a.fast, b.fast, sizeof(int) * 3);
    for (int i = 0; i < 12; ++i) assert_same_member(&a.in_pair[i], &b.in_pair[i]); /* in pair, final */
    assert_int_equal(b.archive.count, 7);
    assert_memory_equal(a.archive.x, b.archive.x, sizeof(*a.archive.x) * 7);
    assert_memory_equal(a.archive.born, b.archive.born, sizeof(int) * 7);
    assert_int_equal(b.archive.born[6], 2);
    assert_null(b.alone); /* no selection before the generations end */
    assert_memory_equal(a.fast_loss, b.fast_loss, sizeof(double) * 15);
    assert_memory_equal(a.log_sizes, b.log_sizes, sizeof(a.log_sizes));
    assert_int_equal(b.ws.count, 2);
    for (int i = 0; i < 2; ++i) assert_same_block(&a.ws.blocks[i], &b.ws.blocks[i]);
    relnas_search_state_free(&a);
    relnas_search_state_free(&b);
    unlink(path);
}

/* A state in its selection: round 2 of 3 under way, two cells of it done; every record
 * distinct. */
static relnas_search_state make_selecting_state(void)
{
    relnas_search_state st = make_state();
    st.generation = st.settings.generations, st.pair = 0, st.rescored = 1, st.select_round = 1, st.selected = 2;
    relnas_search_state_alloc_selection(&st);
    for (int i = 0; i < 3 * st.archive.count; ++i)
        st.alone[i] = (relnas_member){i % st.archive.count, 4.5 - i, i == 4 ? NAN : 2.5 + i, 0.07 * i, 10.0 + i};
    return st;
}

static void test_round_trip_in_the_selection(void **state)
{
    relnas_search_state a = make_selecting_state(), b;
    const char *path = temp_path();
    char err[512];
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    assert_int_equal(relnas_checkpoint_load(path, &b, err, sizeof(err)), 0);
    assert_int_equal(b.rescored, 1);
    assert_int_equal(b.select_round, 1);
    assert_int_equal(b.selected, 2);
    assert_non_null(b.alone);
    for (int i = 0; i < 3 * 7; ++i) assert_same_member(&a.alone[i], &b.alone[i]);
    relnas_search_state_free(&a);
    relnas_search_state_free(&b);
    unlink(path);
}

static size_t file_bytes(const char *path, unsigned char **data)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    size_t n = (size_t)ftell(fp);
    rewind(fp);
    *data = malloc(n);
    assert_int_equal(fread(*data, 1, n, fp), n);
    fclose(fp);
    return n;
}

static void write_bytes(const char *path, const unsigned char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    fclose(fp);
}

/* Loads path, expecting a refusal whose message contains want. */
static void expect_refused(const char *path, const char *want)
{
    relnas_search_state st;
    char err[512] = "";
    assert_int_equal(relnas_checkpoint_load(path, &st, err, sizeof(err)), -1);
    printf("# %s\n", err);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, want));
}

static void test_damaged_files_are_refused(void **state)
{
    relnas_search_state a = make_state();
    const char *path = temp_path();
    char err[512];
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    relnas_search_state_free(&a);
    unsigned char *data;
    size_t n = file_bytes(path, &data);
    write_bytes(path, data, n / 2);
    expect_refused(path, "checksum");
    data[n / 3] ^= 0x10;
    write_bytes(path, data, n);
    expect_refused(path, "checksum");
    data[n / 3] ^= 0x10;
    data[0] = 'X';
    write_bytes(path, data, n);
    expect_refused(path, "wrong magic");
    write_bytes(path, data, 3);
    expect_refused(path, "wrong magic");
    free(data);
    unlink(path);
    expect_refused("/nonexistent/checkpoint", "cannot open");
}

/* Rewrites the CRC so the parser itself must catch the bad value at byte offset. */
static void patch_with_valid_crc(const char *path, size_t offset, const void *value, size_t bytes)
{
    unsigned char *data;
    size_t n = file_bytes(path, &data);
    memcpy(data + offset, value, bytes);
    uint32_t crc = (uint32_t)crc32(0L, data, (uInt)(n - 4));
    memcpy(data + n - 4, &crc, 4);
    write_bytes(path, data, n);
    free(data);
}

static void test_impossible_values_are_refused(void **state)
{
    relnas_search_state a = make_state();
    const char *path = temp_path();
    char err[512];
    /* header: magic 8, version 4 bytes; settings: their count, then each as a name of 32 bytes, a
     * type (4) and a double (population first); the data's name and 5 ints; then the
     * position (generation, pair, evaluated, warmed, rescored, select_round, selected) */
    const size_t settings = 12 + 4, population = settings + 32 + 4;
    const size_t generation = settings + 44 * (size_t)relnas_nsettings + 1024 + 20, warmed = generation + 12;
    const size_t select_round = generation + 20;
    int32_t odd = 7, far = 99, huge = 1 << 30;
    double seven = 7, half = 4.5;
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    patch_with_valid_crc(path, population, &seven, 8);
    expect_refused(path, "population (--population) must be even, got 7");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    patch_with_valid_crc(path, population, &half, 8);
    expect_refused(path, "setting 'population' (--population) is 4.5: expected a whole number in [2, 10000]");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    patch_with_valid_crc(path, settings, "populatiom", 10); /* a setting another build has */
    expect_refused(path, "setting 'populatiom' is unknown to this build");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    int32_t fewer = relnas_nsettings - 1; /* a checkpoint without the last setting */
    patch_with_valid_crc(path, 12, &fewer, 4);
    expect_refused(path, "setting 'parallel_pairs' is missing");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    patch_with_valid_crc(path, generation, &far, 4);
    expect_refused(path, "position");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    patch_with_valid_crc(path, warmed, &odd, 4); /* 7 of a population of 6 */
    expect_refused(path, "position");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    int32_t two = 2;
    int32_t four = 4;
    patch_with_valid_crc(path, 8, &four, 4); /* the format before the cell archive */
    expect_refused(path, "written by another version of this program (format 4; this build reads format 5");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    patch_with_valid_crc(path, select_round, &two, 4); /* a selection round before the re-score */
    expect_refused(path, "position");
    assert_int_equal(relnas_checkpoint_save(path, &a, err, sizeof(err)), 0);
    unsigned char *data;
    size_t n = file_bytes(path, &data);
    free(data);
    /* the last block's nweights: its 8-int header and 12 + 4 floats end 4 bytes (the CRC)
     * before the end */
    size_t block_tail = 4 + (12 + 4) * 4 + 8 * 4;
    patch_with_valid_crc(path, n - block_tail + 4 * 4, &huge, 4);
    expect_refused(path, "larger than the file");
    relnas_search_state_free(&a);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_in_the_selection),
        cmocka_unit_test(test_damaged_files_are_refused),
        cmocka_unit_test(test_impossible_values_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
