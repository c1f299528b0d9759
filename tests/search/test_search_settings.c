/* The search's settings table: each profile's values as the paper and docs/search-efficacy.md
 * give them (written out here by hand, not read from the table), every row bound to its own
 * field, the rules between settings, and the checkpoint's settings by name. */
#include <math.h>
#include "relnas_test.h"
#include "search_settings.h"

/* The paper's search (its section on the search, and DARTS's proxy for the rest). */
static void test_paper_profile(void **state)
{
    relnas_search_settings s;
    assert_int_equal(relnas_search_profile("paper", &s), 0);
    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    relnas_search_settings_print(out, &s);
    fclose(out);
    assert_string_equal(text, "population 20, generations 50, batch 256, train_batches 0, valid_batches 0, C 16, "
                        "cells 8, lr_max 0.1, lr_min 0.001, momentum 0.9, decay 0.0003, clip 5, drop_path 0.3, "
                        "train_portion 0.5, cutout 16, pad 4, flip 1, seed 1, bn_batches 0, warmup_batches 0, "
                        "select_batches 0, select_valid_batches 0, select_rounds 1, select_keep 2, select_all_cells 0, "
                        "select_lr 0.025, select_cutout 16, time_budget none, parallel_pairs off");
    free(text);
}

static void test_quick_and_cpu_profiles(void **state)
{
    relnas_search_settings q, c;
    assert_int_equal(relnas_search_profile("quick", &q), 0);
    assert_int_equal(relnas_search_profile("cpu", &c), 0);
    int qi[] = {q.population, q.generations, q.batch, q.train_batches, q.valid_batches, q.C, q.cells, q.cutout,
                q.bn_batches, q.warmup_batches, q.select_batches, q.select_valid_batches, q.select_rounds, q.select_keep,
                q.select_all_cells};
    int ci[] = {c.population, c.generations, c.batch, c.train_batches, c.valid_batches, c.C, c.cells, c.cutout,
                c.bn_batches, c.warmup_batches, c.select_batches, c.select_valid_batches, c.select_rounds, c.select_keep,
                c.select_all_cells};
    int want_q[] = {8, 4, 64, 40, 10, 8, 5, 0, 0, 0, 0, 0, 1, 2, 0};
    /* docs/search-efficacy.md section 11: two generations of 50-batch candidates, every cell of the
     * archive trained 160 batches and scored on 160, the best quarter 320 on 320 */
    int want_c[] = {8, 2, 64, 50, 40, 8, 5, 0, 10, 0, 160, 160, 2, 4, 1};
    assert_memory_equal(qi, want_q, sizeof(qi));
    assert_memory_equal(ci, want_c, sizeof(ci));
    assert_true(q.lr_max == 0.1 && c.select_lr == 0.025 && c.seed == 1);
    assert_int_equal(relnas_search_profile("fast", &q), -1);
}

/* Each row, set by name on a zeroed struct, changes its own field and no other. */
static void test_every_row_binds_its_field(void **state)
{
    relnas_search_settings s;
    struct { const char *name; void *field; size_t bytes; } fields[] = {
#define F(f, name) {name, &s.f, sizeof(s.f)}
        F(population, "population"), F(generations, "generations"), F(batch, "batch"),
        F(train_batches, "train_batches"), F(valid_batches, "valid_batches"), F(C, "C"), F(cells, "cells"),
        F(lr_max, "lr_max"), F(lr_min, "lr_min"), F(momentum, "momentum"), F(decay, "decay"), F(clip, "clip"),
        F(drop_path, "drop_path"), F(train_portion, "train_portion"), F(cutout, "cutout"), F(pad, "pad"),
        F(flip, "flip"), F(seed, "seed"), F(bn_batches, "bn_batches"), F(warmup_batches, "warmup_batches"),
        F(select_batches, "select_batches"), F(select_rounds, "select_rounds"),
        F(select_valid_batches, "select_valid_batches"), F(select_keep, "select_keep"),
        F(select_all_cells, "select_all_cells"), F(select_cutout, "select_cutout"), F(select_lr, "select_lr"),
        F(time_budget, "time_budget"), F(parallel_pairs, "parallel_pairs"),
#undef F
    };
    int n = sizeof(fields) / sizeof(*fields);
    assert_int_equal(relnas_nsettings, n);
    for (int k = 0; k < n; ++k) {
        const relnas_setting *d = relnas_setting_find(fields[k].name);
        assert_non_null(d);
        memset(&s, 0, sizeof(s));
        relnas_setting_set(&s, d, 1);
        unsigned char zero[sizeof(s)] = {0};
        assert_memory_not_equal(fields[k].field, zero, fields[k].bytes);
        memset(fields[k].field, 0, fields[k].bytes);
        assert_memory_equal(&s, zero, sizeof(s)); /* nothing else was written */
        assert_true(d->min <= d->defaults[0] && d->defaults[0] <= d->max);
    }
    assert_null(relnas_setting_find("populations"));
}

static void expect_rule(const relnas_search_settings *s, const char *want)
{
    char err[256] = "";
    assert_int_equal(relnas_search_settings_check(s, err, sizeof(err)), want ? -1 : 0);
    if (want) printf("# %s\n", err), assert_non_null(strstr(err, want));
}

static void test_rules(void **state)
{
    relnas_search_settings s;
    relnas_search_profile("cpu", &s);
    expect_rule(&s, NULL);
    s.population = 7;
    expect_rule(&s, "population (--population) must be even, got 7");
    s.population = 0;
    expect_rule(&s, "setting 'population' (--population) is 0: expected a whole number in [2, 10000]");
    relnas_search_profile("cpu", &s);
    s.C = 9;
    expect_rule(&s, "C (--channels) must be even");
    relnas_search_profile("cpu", &s);
    s.select_lr = 0;
    expect_rule(&s, "selection: 160 batches at rate 0");
    relnas_search_profile("cpu", &s);
    s.select_batches = 1000000, s.select_rounds = 5; /* 16 million in the last round */
    expect_rule(&s, "selection: 1000000 batches doubled over 5 rounds (--select-rounds) is more than 10000000");
    s.select_rounds = 4; /* 8 million */
    expect_rule(&s, NULL);
    relnas_search_profile("cpu", &s);
    s.train_portion = 1;
    expect_rule(&s, "setting 'train_portion' (--train-portion) is 1");
}

static void test_codec_by_name(void **state)
{
    relnas_search_settings a, b;
    relnas_search_profile("cpu", &a);
    a.seed = 2000000000, a.select_lr = 0.0125, a.parallel_pairs = 1;
    relnas_binary_writer w;
    const char magic[8] = "RNASTEST";
    relnas_binary_create_memory(&w, magic, 1);
    relnas_search_settings_put(&w, &a);
    void *bytes;
    size_t size;
    relnas_binary_commit_memory(&w, &bytes, &size);
    relnas_binary_reader r;
    char err[256];
    assert_int_equal(relnas_binary_open_memory(&r, bytes, size, "test", magic, 1, err, sizeof(err)), 0);
    assert_int_equal(relnas_search_settings_get(&r, &b, err, sizeof(err)), 0);
    relnas_binary_close(&r);
    assert_memory_equal(&a, &b, sizeof(a));
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_profile),
        cmocka_unit_test(test_quick_and_cpu_profiles),
        cmocka_unit_test(test_every_row_binds_its_field),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_codec_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
