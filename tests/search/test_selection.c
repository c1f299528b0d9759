/* The search's result and figures on a tiny image set: the last generation is re-scored on
 * the final weight set (one weight set, the same validation batches for all: rebuilding
 * each member from that set and validating gives the same losses), the result is the best
 * of those, and diversity is measured before pairing, as the official code logs it. The
 * options beyond the paper (warm-up, recomputed BN statistics) run to the end too; the
 * selection by training alone trains each distinct cell once, from new weights, and picks
 * the most accurate. */
#include <math.h>
#include <string.h>
#include "relnas_test.h"
#include "batch_sampler.h"
#include "candidate.h"
#include "checkpoint.h"
#include "genotype_parse.h"
#include "search.h"
#include "selection.h"

/* 64 8x8 images: horizontal (label 0) or vertical (label 1) stripes with noise. */
static relnas_image_set stripes(void)
{
    relnas_image_set s = {64, 8, 8, 1, 2, calloc(64 * 64, 1), calloc(64, 1)};
    relnas_rng rng = relnas_rng_seeded(23);
    for (int i = 0; i < s.count; ++i) {
        int label = i % 2;
        s.labels[i] = (unsigned char)label;
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) {
                int bright = (label ? x : y) % 2;
                s.pixels[i * 64 + y * 8 + x] = (unsigned char)((bright ? 200 : 40) + relnas_rng_below(&rng, 40));
            }
    }
    return s;
}

static relnas_search_settings tiny_settings(void)
{
    return (relnas_search_settings){.population = 4, .generations = 2, .batch = 8, .train_batches = 2,
                                    .valid_batches = 2, .C = 4, .cells = 3, .lr_max = 0.05, .lr_min = 0.001,
                                    .momentum = 0.9, .decay = 3e-4, .clip = 5, .drop_path = 0.3,
                                    .train_portion = 0.5, .cutout = 0, .pad = 1, .flip = 1, .seed = 3};
}

static void run(relnas_search_state *st, const relnas_search_settings *s, const relnas_image_set *data)
{
    char err[512];
    relnas_search_io io = {0};
    assert_int_equal(relnas_search_state_init(st, s, data, "stripes", err, sizeof(err)), 0);
    assert_int_equal(relnas_search_run(st, data, &io, err, sizeof(err)), 0);
    assert_int_equal(st->rescored, 1);
}

/* Member i rebuilt from the final weight set and scored on the search's validation batches. */
static double score_again(relnas_search_state *st, const relnas_image_set *data, int i)
{
    const relnas_search_settings *s = &st->settings;
    int train[64], valid[64], ntrain, nvalid;
    relnas_rng split = relnas_rng_seeded(s->seed);
    relnas_split_indices(data->count, s->train_portion, &split, train, &ntrain, valid, &nvalid);
    relnas_net_spec spec;
    relnas_net_preset("search", &spec);
    spec.C = s->C, spec.cells = s->cells, spec.classes = data->classes, spec.width = data->w;
    spec.height = data->h, spec.channels = data->c, spec.batch = s->batch, spec.drop_path = (float)s->drop_path;
    spec.auxiliary = 0;
    relnas_genotype g;
    char err[256];
    assert_int_equal(relnas_genotype_from_vector(st->pop.x[i], &g, err, sizeof(err)), 0);
    relnas_candidate c;
    assert_int_equal(relnas_candidate_build(&c, &g, &spec, err, sizeof(err)), 0);
    relnas_weight_set_load(&st->ws, c.net, c.keys);
    double loss, accuracy;
    relnas_candidate_validate(&c, data, valid, nvalid, s->valid_batches, &loss, &accuracy);
    relnas_candidate_free(&c);
    return loss;
}

static void test_rescore_uses_the_final_weight_set(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    relnas_search_state st;
    run(&st, &s, &data);
    int differs = 0;
    for (int i = 0; i < s.population; ++i) {
        double again = score_again(&st, &data, i);
        printf("# member %d: in its pair %.5f, re-scored %.5f, rebuilt %.5f\n", i, st.in_pair[i].valid_loss, st.final[i].valid_loss,
               again);
        assert_true(isfinite(st.final[i].valid_loss));
        assert_float_equal(st.final[i].valid_loss, again, 1e-9);
        differs += fabs(st.final[i].valid_loss - st.in_pair[i].valid_loss) > 1e-9;
    }
    assert_true(differs > 0); /* the pair losses were measured on other weight sets */
    int best = relnas_search_best(&st);
    for (int i = 0; i < s.population; ++i) assert_true(st.final[best].valid_loss <= st.final[i].valid_loss);
    relnas_search_state_free(&st);
    relnas_image_set_free(&data);
}

/* diversity[0] is the initial population's (drawn from the seed as the search draws it);
 * the last generation's is the final population's (no update after it). */
static void test_diversity_before_pairing(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    relnas_search_state st;
    run(&st, &s, &data);
    relnas_rng rng = relnas_rng_seeded(s.seed ^ 0x9e3779b97f4a7c15ull);
    relnas_population initial = relnas_population_init(s.population, &rng);
    assert_float_equal(st.diversity[0], relnas_population_diversity(&initial), 1e-12);
    assert_float_equal(st.diversity[1], relnas_population_diversity(&st.pop), 1e-12);
    assert_true(fabs(st.diversity[0] - st.diversity[1]) > 1e-9);
    relnas_population_free(&initial);
    relnas_search_state_free(&st);
    relnas_image_set_free(&data);
}

static void test_warm_up_and_bn_statistics_run(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    s.warmup_batches = 2, s.bn_batches = 2;
    relnas_search_state st;
    run(&st, &s, &data);
    assert_int_equal(st.warmed, s.population);
    for (int i = 0; i < s.population; ++i) assert_true(isfinite(st.final[i].valid_loss));
    relnas_search_state_free(&st);
    relnas_image_set_free(&data);
}

/* settings.select_batches: every member of the last generation is trained alone and scored;
 * the result is the most accurate (ties: the lower loss), not the best re-scored one. */
static void test_selection_picks_the_most_accurate_alone(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    s.select_batches = 4, s.select_lr = 0.05;
    relnas_search_state st;
    run(&st, &s, &data);
    assert_int_equal(st.selected, s.population);
    int best = relnas_search_best(&st), differs = 0;
    for (int i = 0; i < s.population; ++i) {
        printf("# member %d: re-scored %.5f acc %.3f, alone %.5f acc %.3f\n", i, st.final[i].valid_loss,
               st.final[i].valid_accuracy, st.alone[i].valid_loss, st.alone[i].valid_accuracy);
        assert_true(isfinite(st.alone[i].valid_loss) && isfinite(st.alone[i].valid_accuracy));
        differs += fabs(st.alone[i].valid_loss - st.final[i].valid_loss) > 1e-9;
        assert_true(st.alone[best].valid_accuracy > st.alone[i].valid_accuracy ||
                    (st.alone[best].valid_accuracy == st.alone[i].valid_accuracy &&
                     st.alone[best].valid_loss <= st.alone[i].valid_loss));
    }
    assert_int_equal(differs, s.population);
    relnas_search_state_free(&st);
    relnas_image_set_free(&data);
}

/* A state that finished its generations and re-score, copied (through the checkpoint's
 * bytes) and given a selection of `batches`. */
static void finished_copy(const relnas_search_state *from, int batches, relnas_search_state *to)
{
    void *bytes;
    size_t size;
    char err[256];
    relnas_checkpoint_to_memory(from, &bytes, &size);
    assert_int_equal(relnas_checkpoint_from_memory(bytes, size, "copy", to, err, sizeof(err)), 0);
    free(bytes);
    to->settings.select_batches = batches, to->settings.select_lr = 0.05;
}

/* The selection trains each cell from new weights: a weight set scrambled before it changes
 * none of its figures (it does change the re-scored losses' network, for contrast). */
static void test_selection_ignores_the_weight_set(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    relnas_search_state done, a, b;
    run(&done, &s, &data);
    finished_copy(&done, 4, &a);
    finished_copy(&done, 4, &b);
    relnas_rng noise = relnas_rng_seeded(99);
    for (int k = 0; k < b.ws.count; ++k) {
        relnas_param_block *blk = &b.ws.blocks[k];
        for (int j = 0; blk->weights && j < blk->nweights; ++j) blk->weights[j] = (float)relnas_rng_uniform(&noise);
    }
    char err[256];
    relnas_search_io io = {0};
    assert_int_equal(relnas_search_run(&a, &data, &io, err, sizeof(err)), 0);
    assert_int_equal(relnas_search_run(&b, &data, &io, err, sizeof(err)), 0);
    assert_true(fabs(score_again(&a, &data, 0) - score_again(&b, &data, 0)) > 1e-6);
    for (int i = 0; i < s.population; ++i) {
        assert_true(isfinite(a.alone[i].valid_loss));
        assert_float_equal(a.alone[i].valid_loss, b.alone[i].valid_loss, 0);
        assert_float_equal(a.alone[i].valid_accuracy, b.alone[i].valid_accuracy, 0);
    }
    relnas_search_state_free(&done), relnas_search_state_free(&a), relnas_search_state_free(&b);
    relnas_image_set_free(&data);
}

/* A cell that appears twice in the last generation is trained once: its copy takes the same
 * figures (a second training, with the next random numbers, would not give them). */
static void test_selection_trains_a_repeated_cell_once(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    s.generations = 1, s.select_batches = 4, s.select_lr = 0.05; /* one generation: no update */
    relnas_search_state st;
    char err[256];
    relnas_search_io io = {0};
    assert_int_equal(relnas_search_state_init(&st, &s, &data, "stripes", err, sizeof(err)), 0);
    memcpy(st.pop.x[2], st.pop.x[0], sizeof(*st.pop.x));
    assert_int_equal(relnas_search_run(&st, &data, &io, err, sizeof(err)), 0);
    assert_true(isfinite(st.alone[0].valid_loss));
    assert_float_equal(st.alone[2].valid_loss, st.alone[0].valid_loss, 0);
    assert_float_equal(st.alone[2].valid_accuracy, st.alone[0].valid_accuracy, 0);
    assert_true(st.alone[1].valid_loss != st.alone[0].valid_loss && st.alone[3].valid_loss != st.alone[0].valid_loss);
    relnas_search_state_free(&st);
    relnas_image_set_free(&data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rescore_uses_the_final_weight_set),
        cmocka_unit_test(test_diversity_before_pairing),
        cmocka_unit_test(test_warm_up_and_bn_statistics_run),
        cmocka_unit_test(test_selection_picks_the_most_accurate_alone),
        cmocka_unit_test(test_selection_ignores_the_weight_set),
        cmocka_unit_test(test_selection_trains_a_repeated_cell_once),
    };
    return cmocka_run_group_tests_name("selection", tests, NULL, NULL);
}
