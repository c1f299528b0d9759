/* The search's result and figures on a tiny image set: the last generation is re-scored on
 * the final weight set (one weight set, the same validation batches for all: rebuilding
 * each member from that set and validating gives the same losses), the result is the best
 * of those, and diversity is measured before pairing, as the official code logs it. The
 * options beyond the paper (warm-up, recomputed BN statistics) run to the end too. The
 * selection by training alone: the archive holds every distinct cell, the rounds of the
 * successive halving keep the better half by hand-made records, their batches double, and
 * the result is the last round's most accurate cell. */
#include <math.h>
#include <string.h>
#include "relnas_test.h"
#include "batch_sampler.h"
#include "candidate.h"
#include "checkpoint.h"
#include "genotype_parse.h"
#include "search.h"
#include "selection.h"
#include "selection_rounds.h"

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
                                    .train_portion = 0.5, .cutout = 0, .pad = 1, .flip = 1, .seed = 3,
                                    .select_rounds = 1, .select_keep = 2, .select_valid_batches = 2};
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
    relnas_search_choice c;
    assert_int_equal(relnas_search_result(&st, &c), 0);
    assert_int_equal(c.round, -1);
    assert_ptr_equal(c.x, st.pop.x[c.member]);
    for (int i = 0; i < s.population; ++i) assert_true(st.final[c.member].valid_loss <= st.final[i].valid_loss);
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

/* The genotype text of a vector. */
static void genotype_of(const double *x, char *buf, size_t len)
{
    relnas_genotype g;
    char err[256];
    assert_int_equal(relnas_genotype_from_vector(x, &g, err, sizeof(err)), 0);
    relnas_genotype_format(buf, len, &g);
}

/* The archive after a search: the initial population's cells first (as drawn from the seed),
 * every member of the final population held, no cell twice. */
static void test_archive_holds_every_distinct_cell(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    s.generations = 3;
    relnas_search_state st;
    run(&st, &s, &data);
    relnas_rng rng = relnas_rng_seeded(s.seed ^ 0x9e3779b97f4a7c15ull);
    relnas_population initial = relnas_population_init(s.population, &rng);
    assert_true(st.archive.count > s.population && st.archive.count <= s.population + 2 * (s.population / 2));
    char a[1024], b[1024];
    for (int i = 0; i < s.population; ++i) {
        assert_memory_equal(st.archive.x[i], initial.x[i], sizeof(*initial.x));
        assert_int_equal(st.archive.born[i], 0);
        assert_true(relnas_cell_archive_find(&st.archive, st.pop.x[i]) >= 0);
    }
    for (int i = 0; i < st.archive.count; ++i)
        for (int j = 0; j < i; ++j) {
            genotype_of(st.archive.x[i], a, sizeof(a)), genotype_of(st.archive.x[j], b, sizeof(b));
            assert_string_not_equal(a, b);
        }
    for (int i = s.population; i < st.archive.count; ++i) assert_true(st.archive.born[i] >= 1 && st.archive.born[i] <= 2);
    relnas_population_free(&initial);
    relnas_search_state_free(&st);
    relnas_image_set_free(&data);
}

/* A state holding n archive cells (random vectors, distinct) past its generations, with
 * room for `rounds` rounds of records, all unscored. */
static relnas_search_state hand_made(int n, int rounds)
{
    relnas_search_state st;
    memset(&st, 0, sizeof(st));
    st.settings = tiny_settings();
    st.settings.select_batches = 5, st.settings.select_rounds = rounds, st.settings.select_all_cells = 1;
    relnas_search_state_alloc(&st);
    relnas_rng rng = relnas_rng_seeded(77);
    relnas_population p = relnas_population_init(2 * n, &rng);
    for (int i = 0; i < 2 * n && st.archive.count < n; ++i) relnas_cell_archive_add(&st.archive, p.x[i], 0);
    assert_int_equal(st.archive.count, n);
    relnas_population_free(&p);
    relnas_search_state_alloc_selection(&st);
    st.generation = st.settings.generations, st.rescored = 1;
    return st;
}

static void set_record(relnas_search_state *st, int round, int cell, double accuracy, double loss)
{
    relnas_member *m = &st->alone[round * st->archive.count + cell];
    m->valid_accuracy = accuracy, m->valid_loss = loss, m->train_loss = 1;
}

/* Round 1 keeps the better half rounded up, best first: by accuracy, then the lower loss,
 * then the lower index; a diverged cell ranks last. Worked by hand. */
static void test_rounds_keep_the_better_half(void **state)
{
    relnas_search_state st = hand_made(7, 3);
    double accuracy[7] = {0.5, 0.7, NAN, 0.7, 0.9, 0.7, 0.1}, loss[7] = {1, 0.6, 0.1, 0.5, 2, 0.5, 3};
    for (int k = 0; k < 7; ++k) set_record(&st, 0, k, accuracy[k], loss[k]);
    int cells[32];
    assert_int_equal(relnas_selection_cells(&st, 0, cells), 7);
    for (int k = 0; k < 7; ++k) assert_int_equal(cells[k], k);
    assert_int_equal(relnas_selection_cells(&st, 1, cells), 4);
    int want[4] = {4, 3, 5, 1}; /* 0.9; 0.7 with loss 0.5 (index 3 before 5); 0.7 with loss 0.6 */
    for (int k = 0; k < 4; ++k) assert_int_equal(cells[k], want[k]);
    set_record(&st, 1, 4, 0.6, 1), set_record(&st, 1, 3, 0.8, 1), set_record(&st, 1, 5, NAN, NAN),
        set_record(&st, 1, 1, 0.75, 1);
    assert_int_equal(relnas_selection_cells(&st, 2, cells), 2);
    assert_int_equal(cells[0], 3), assert_int_equal(cells[1], 1);
    assert_int_equal(relnas_selection_rounds(&st), 3);
    set_record(&st, 2, 3, 0.81, 0.4), set_record(&st, 2, 1, 0.83, 0.9);
    relnas_search_choice c;
    assert_int_equal(relnas_search_result(&st, &c), 0);
    assert_int_equal(c.cell, 1), assert_int_equal(c.round, 2);
    assert_ptr_equal(c.x, st.archive.x[1]);
    assert_float_equal(c.figures->valid_accuracy, 0.83, 0);
    set_record(&st, 2, 3, NAN, NAN), set_record(&st, 2, 1, NAN, 0.1);
    assert_int_equal(relnas_search_result(&st, &c), -1); /* every finalist diverged */
    relnas_search_state_free(&st);
}

/* With select_keep 4 round 1 keeps the best quarter, rounded up: of 7 cells 2, of 12 cells 3,
 * best first. Worked by hand. */
static void test_rounds_keep_the_best_quarter(void **state)
{
    relnas_search_state st = hand_made(7, 2);
    st.settings.select_keep = 4;
    double accuracy[7] = {0.5, 0.7, NAN, 0.7, 0.9, 0.8, 0.1};
    for (int k = 0; k < 7; ++k) set_record(&st, 0, k, accuracy[k], 1);
    int cells[32];
    assert_int_equal(relnas_selection_round_size(&st, 1), 2);
    assert_int_equal(relnas_selection_cells(&st, 1, cells), 2);
    assert_int_equal(cells[0], 4), assert_int_equal(cells[1], 5);
    assert_int_equal(relnas_selection_rounds(&st), 2);
    relnas_search_state_free(&st);
    st = hand_made(12, 3); /* 12, 3; a third round would hold 1 */
    st.settings.select_keep = 4;
    assert_int_equal(relnas_selection_round_size(&st, 1), 3);
    assert_int_equal(relnas_selection_rounds(&st), 2);
    relnas_search_state_free(&st);
}

/* How many rounds run: select_rounds, fewer when the next would hold one cell. By hand:
 * 1 cell: 1 round; 2: 1 (a second would hold 1); 3: 2 (3, 2); 12 with 4 asked: 12, 6, 3, 2;
 * 5 with 9 asked: 5, 3, 2. */
static void test_rounds_end_before_a_single_cell(void **state)
{
    int cells[5] = {1, 2, 3, 12, 5}, asked[5] = {4, 4, 4, 4, 9}, want[5] = {1, 1, 2, 4, 3};
    for (int t = 0; t < 5; ++t) {
        relnas_search_state st = hand_made(cells[t], asked[t]);
        assert_int_equal(relnas_selection_rounds(&st), want[t]);
        relnas_search_state_free(&st);
    }
}

/* Round r trains select_batches * 2^r batches and validates on select_valid_batches * 2^r,
 * capped at the whole batches of the validation images; select_valid_batches 0 is all of them
 * (the generations' valid_batches plays no part). The work
 * left counts a forward pass as a third of a training step. Worked by hand. */
static void test_round_sizes_and_work(void **state)
{
    relnas_search_settings s = tiny_settings(); /* batch 8, select_valid_batches 2 */
    s.select_batches = 5;
    assert_int_equal(relnas_selection_batches(&s, 0), 5);
    assert_int_equal(relnas_selection_batches(&s, 3), 40);
    assert_int_equal(relnas_selection_valid_batches(&s, 100, 0), 2);   /* 100 images: 12 whole batches */
    assert_int_equal(relnas_selection_valid_batches(&s, 100, 2), 8);
    assert_int_equal(relnas_selection_valid_batches(&s, 100, 3), 12);
    s.valid_batches = 7;
    assert_int_equal(relnas_selection_valid_batches(&s, 100, 0), 2);
    s.select_valid_batches = 0;
    assert_int_equal(relnas_selection_valid_batches(&s, 100, 0), 12);
    relnas_search_state st = hand_made(5, 3); /* rounds of 5, 3, 2 cells: 5, 10, 20 batches; 2, 4, 8 validation */
    double work = 5 * (5 + 2 / 3.0) + 3 * (10 + 4 / 3.0) + 2 * (20 + 8 / 3.0);
    assert_float_equal(relnas_selection_work_left(&st, 100), work, 1e-9);
    st.select_round = 1, st.selected = 2;
    assert_float_equal(relnas_selection_work_left(&st, 100), 1 * (10 + 4 / 3.0) + 2 * (20 + 8 / 3.0), 1e-9);
    /* before the selection, in generation 1 of 4 with a population of 4: the 5 cells and 2
     * new ones per update left (generations 1 and 2 end with one): 9 cells, rounds of 9, 5, 3 */
    free(st.alone), st.alone = NULL;
    st.settings.generations = 4, st.generation = 1;
    work = 9 * (5 + 2 / 3.0) + 5 * (10 + 4 / 3.0) + 3 * (20 + 8 / 3.0);
    assert_float_equal(relnas_selection_work_left(&st, 100), work, 1e-9);
    relnas_search_state_free(&st);
}

/* End to end over the archive: every round's records are finite, round r's cells are the
 * better half of round r - 1's by the records (checked here by counting, not by the
 * code's sort), and the result is the last round's most accurate. */
static void test_selection_over_the_archive(void **state)
{
    relnas_image_set data = stripes();
    relnas_search_settings s = tiny_settings();
    s.generations = 3, s.select_batches = 2, s.select_rounds = 3, s.select_all_cells = 1, s.select_lr = 0.05;
    relnas_search_state st;
    run(&st, &s, &data);
    int n = st.archive.count, rounds = relnas_selection_rounds(&st), cells[64];
    assert_true(n >= 5 && rounds == 3);
    assert_int_equal(st.select_round, rounds);
    for (int r = 0, size = n; r < rounds; ++r, size = (size + 1) / 2) {
        int trained = 0;
        for (int k = 0; k < n; ++k) {
            const relnas_member *m = &st.alone[r * n + k];
            if (isnan(m->train_loss)) continue;
            trained++;
            assert_true(isfinite(m->valid_accuracy));
            if (r == 0) continue;
            int better = 0; /* cells above k in round r - 1 */
            for (int j = 0; j < n; ++j) {
                const relnas_member *a = &st.alone[(r - 1) * n + j], *b = &st.alone[(r - 1) * n + k];
                better += a->valid_accuracy > b->valid_accuracy ||
                          (a->valid_accuracy == b->valid_accuracy && (a->valid_loss < b->valid_loss ||
                                                                      (a->valid_loss == b->valid_loss && j < k)));
            }
            assert_true(better < size);
        }
        assert_int_equal(trained, size);
    }
    relnas_search_choice c;
    assert_int_equal(relnas_search_result(&st, &c), 0);
    int last = relnas_selection_cells(&st, rounds - 1, cells);
    for (int i = 0; i < last; ++i)
        assert_true(c.figures->valid_accuracy >= st.alone[(rounds - 1) * n + cells[i]].valid_accuracy);
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
    for (int i = 0; i < a.archive.count; ++i) {
        if (isnan(a.alone[i].train_loss)) continue; /* not in the last generation */
        assert_true(isfinite(a.alone[i].valid_loss));
        assert_float_equal(a.alone[i].valid_loss, b.alone[i].valid_loss, 0);
        assert_float_equal(a.alone[i].valid_accuracy, b.alone[i].valid_accuracy, 0);
    }
    relnas_search_state_free(&done), relnas_search_state_free(&a), relnas_search_state_free(&b);
    relnas_image_set_free(&data);
}

/* A cell that appears twice in the last generation is trained once: one record, and the
 * archive holds it once. */
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
    relnas_cell_archive_free(&st.archive);
    relnas_cell_archive_add_population(&st.archive, &st.pop, 0);
    assert_int_equal(st.archive.count, 3);
    assert_int_equal(relnas_search_run(&st, &data, &io, err, sizeof(err)), 0);
    int trained = 0;
    for (int k = 0; k < st.archive.count; ++k) trained += isfinite(st.alone[k].train_loss);
    assert_int_equal(trained, 3);
    relnas_search_state_free(&st);
    relnas_image_set_free(&data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rescore_uses_the_final_weight_set),
        cmocka_unit_test(test_diversity_before_pairing),
        cmocka_unit_test(test_warm_up_and_bn_statistics_run),
        cmocka_unit_test(test_archive_holds_every_distinct_cell),
        cmocka_unit_test(test_rounds_keep_the_better_half),
        cmocka_unit_test(test_rounds_keep_the_best_quarter),
        cmocka_unit_test(test_rounds_end_before_a_single_cell),
        cmocka_unit_test(test_round_sizes_and_work),
        cmocka_unit_test(test_selection_over_the_archive),
        cmocka_unit_test(test_selection_ignores_the_weight_set),
        cmocka_unit_test(test_selection_trains_a_repeated_cell_once),
    };
    return cmocka_run_group_tests_name("selection", tests, NULL, NULL);
}
