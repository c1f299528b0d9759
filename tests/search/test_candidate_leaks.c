/* A search builds, trains and frees thousands of candidates: each one must give back all it
 * took. A candidate with a tied op (the RelativeNAS normal cell applies sep_conv_3x3(1) twice,
 * tests/search/test_candidate.c) is built, trained and freed 20 times; the host's heap (glibc's
 * mallinfo2, main arena and mmapped blocks) and, on a GPU, the device's free memory
 * (cudaMemGetInfo) must end where they began. On the host the network trains without its
 * memory plan, as a network on a GPU does (the plan gives every layer its delta before the
 * first pass; without it a layer makes its own on that pass). */
#include <malloc.h>
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "candidate.h"
#include "genotype_parse.h"
#include "relnas_hooks.h"

enum { ROUNDS = 20, WARMUP = 2 };

/* 128 8x8 images of noise, two classes. */
static relnas_image_set noise(void)
{
    relnas_image_set s = {128, 8, 8, 1, 2, calloc(128 * 64, 1), calloc(128, 1)};
    relnas_rng rng = relnas_rng_seeded(23);
    for (int i = 0; i < s.count; ++i) {
        s.labels[i] = (unsigned char)(i % 2);
        for (int k = 0; k < 64; ++k) s.pixels[i * 64 + k] = (unsigned char)relnas_rng_below(&rng, 256);
    }
    return s;
}

/* One candidate's life in the search: built (tied), trained on a few batches, scored, freed. */
static void candidate_life(const relnas_image_set *data, int C, int batch, int drop_plan)
{
    relnas_genotype g;
    relnas_net_spec spec;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype("RelativeNAS"), &g, err, sizeof(err)), 0);
    assert_int_equal(relnas_net_preset("search", &spec), 0);
    spec.C = C, spec.cells = 3, spec.classes = 2, spec.batch = batch;
    spec.width = spec.height = 8, spec.channels = 1, spec.drop_path = 0.2f;
    relnas_candidate c;
    assert_int_equal(relnas_candidate_build(&c, &g, &spec, err, sizeof(err)), 0);
    assert_true(c.ntied > 0);
    if (drop_plan && c.net->plugin_plan) relnas_drop_plan(c.net);
    int idx[128];
    for (int i = 0; i < 128; ++i) idx[i] = i;
    relnas_rng rng = relnas_rng_seeded(9);
    relnas_train_settings s = {.learning_rate = 0.05f, .momentum = 0.9f, .decay = 3e-4f, .clip = 5,
                               .progress = 0.5f, .batches = 3};
    relnas_candidate_train(&c, data, idx, 64, s, &rng);
    double loss, accuracy;
    relnas_candidate_validate(&c, data, idx + 64, 64, 0, &loss, &accuracy);
    relnas_candidate_free(&c);
}

static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

static void test_host_memory_comes_back(void **state)
{
    relnas_image_set data = noise();
    for (int r = 0; r < WARMUP; ++r) candidate_life(&data, 4, 16, 1); /* OpenMP, OpenBLAS and stdio set up once */
    size_t before = heap_in_use();
    for (int r = 0; r < ROUNDS; ++r) candidate_life(&data, 4, 16, 1);
    size_t after = heap_in_use();
    long grown = (long)after - (long)before;
    printf("# host heap in use: %zu bytes before %d candidates, %zu after (%+ld)\n", before, ROUNDS, after, grown);
    /* One tied delta of this network is 16 x 4 x 8 x 8 floats = 16 KiB: 20 leaks are 320 KiB.
     * Without a leak the heap still moves by some 20 KiB (valgrind finds nothing lost), not
     * in proportion to the candidates. */
    assert_true(grown < 64 * 1024);
    relnas_image_set_free(&data);
}

static void test_device_memory_comes_back(void **state)
{
#ifndef GPU
    RELNAS_SKIP("no GPU: built without GPU=1 (make test GPU=1 CUDNN=1 on a GPU machine runs it)");
#else
    if (!relnas_test_have_gpu()) RELNAS_SKIP("no GPU: no usable CUDA device on this machine");
    relnas_image_set data = noise();
    gpu_index = 0;
    for (int r = 0; r < WARMUP; ++r) candidate_life(&data, 16, 64, 0); /* cuBLAS, cuDNN and pools set up once */
    size_t free_before, free_after, total;
    assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
    assert_int_equal(cudaMemGetInfo(&free_before, &total), cudaSuccess);
    size_t host_before = heap_in_use();
    for (int r = 0; r < ROUNDS; ++r) candidate_life(&data, 16, 64, 0);
    assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
    assert_int_equal(cudaMemGetInfo(&free_after, &total), cudaSuccess);
    long host_grown = (long)heap_in_use() - (long)host_before;
    gpu_index = -1;
    long lost = (long)free_before - (long)free_after;
    printf("# device free memory: %zu bytes before %d candidates, %zu after (%+ld lost); host heap %+ld\n",
           free_before, ROUNDS, free_after, lost, host_grown);
    /* cudaMemGetInfo counts in pages of 2 MiB; here one tied delta is 64 x 16 x 8 x 8
     * floats = 256 KiB: 20 leaks are 5 MiB. */
    assert_true(lost < 2 * 1024 * 1024);
    assert_true(host_grown < 64 * 1024);
    relnas_image_set_free(&data);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_memory_comes_back),
        cmocka_unit_test(test_device_memory_comes_back),
    };
    return cmocka_run_group_tests_name("candidate_leaks", tests, NULL, NULL);
}
