/* A search candidate end to end on a tiny two-class image set: built from a genotype, it
 * learns (validation accuracy well above chance after a few dozen batches), and a candidate
 * whose loss turns non-finite is reported as NAN rather than trained on. A node that takes
 * the same (input, op) twice applies one module (checked against finite differences), and
 * recomputed BN statistics equal the batch statistics running averages converge to. */
#include <math.h>
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "candidate.h"
#include "genotype_parse.h"
#include "network_params.h"
#include "weight_set.h"
#ifdef GPU
#include "layer_params.h"
#endif

/* 200 8x8 images: horizontal (label 0) or vertical (label 1) stripes of random phase. */
static relnas_image_set stripes(void)
{
    relnas_image_set s = {200, 8, 8, 1, 2, calloc(200 * 64, 1), calloc(200, 1)};
    relnas_rng rng = relnas_rng_seeded(17);
    for (int i = 0; i < s.count; ++i) {
        int label = i % 2, phase = (int)relnas_rng_below(&rng, 2);
        s.labels[i] = (unsigned char)label;
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) {
                int t = label ? x : y;
                s.pixels[i * 64 + y * 8 + x] = (unsigned char)(((t + phase) % 2 ? 200 : 40) + relnas_rng_below(&rng, 30));
            }
    }
    return s;
}

static relnas_candidate build_genotype(const char *name, float drop_path)
{
    relnas_genotype g;
    relnas_net_spec spec;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype(name), &g, err, sizeof(err)), 0);
    assert_int_equal(relnas_net_preset("search", &spec), 0);
    spec.C = 4, spec.cells = 3, spec.classes = 2, spec.batch = 16;
    spec.width = spec.height = 8, spec.channels = 1, spec.drop_path = drop_path;
    relnas_candidate c;
    assert_int_equal(relnas_candidate_build(&c, &g, &spec, err, sizeof(err)), 0);
    return c;
}

static relnas_candidate build(void)
{
    return build_genotype("DARTS_V2", 0.3f);
}

static void test_candidate_learns(void **state)
{
    relnas_image_set data = stripes();
    int train[150], valid[50];
    for (int i = 0; i < 150; ++i) train[i] = i;
    for (int i = 0; i < 50; ++i) valid[i] = 150 + i;
    relnas_candidate c = build();
    double loss0, acc0, loss1, acc1;
    relnas_candidate_validate(&c, &data, valid, 50, 0, &loss0, &acc0);
    relnas_rng rng = relnas_rng_seeded(3);
    relnas_train_settings s = {.learning_rate = 0.05f, .momentum = 0.9f, .decay = 3e-4f, .clip = 5, .progress = 0.5f,
                               .augment = {1, 1, 0}, .batches = 40};
    double train_loss = relnas_candidate_train(&c, &data, train, 150, s, &rng);
    relnas_candidate_validate(&c, &data, valid, 50, 0, &loss1, &acc1);
    printf("# validation loss %.3f -> %.3f, accuracy %.2f -> %.2f, mean training loss %.3f\n", loss0, loss1,
           acc0, acc1, train_loss);
    assert_true(isfinite(train_loss));
    assert_true(loss1 < loss0);
    assert_true(acc1 >= 0.85);
    relnas_candidate_free(&c);
    relnas_image_set_free(&data);
}

static void test_non_finite_loss_is_reported(void **state)
{
    relnas_image_set data = stripes();
    int train[150];
    for (int i = 0; i < 150; ++i) train[i] = i;
    relnas_candidate c = build();
    c.net->layers[c.net->n - 2].weights[0] = NAN; /* the classifier */
    relnas_rng rng = relnas_rng_seeded(4);
    relnas_train_settings s = {.learning_rate = 0.05f, .momentum = 0.9f, .decay = 3e-4f, .clip = 5, .batches = 5};
    assert_true(isnan(relnas_candidate_train(&c, &data, train, 150, s, &rng)));
    relnas_candidate_free(&c);
    relnas_image_set_free(&data);
}

/* The summed training loss of the batch the network holds (train mode, no drop-path). */
static double batch_loss(network *net)
{
    net->train = 1;
    forward_network(net);
    return *net->cost;
}

/* The RelativeNAS normal cell's node 1 is sep_conv_3x3(state 1) twice: in each normal cell
 * one op layer applies the parameters of the one before it, and the weight set holds one
 * block for that (edge, op). Node 0 = sep_conv_3x3(0) + dil_conv_5x5(1), node 2 =
 * sep_conv_3x3(1) + sep_conv_5x5(1), node 3 = skip_connect(0) (no layer) + sep_conv_3x3(0). */
static void test_repeated_op_is_one_module(void **state)
{
    relnas_candidate c = build_genotype("RelativeNAS", 0);
    int op_layers = 0;
    for (int i = 0; i < c.net->n; ++i) op_layers += c.keys[i].kind == RELNAS_KEY_OP && c.keys[i].cell == 0;
    assert_int_equal(op_layers, 7);
    assert_int_equal(c.ntied, 1); /* cell 0 is the only normal cell of 3 */
    relnas_tied_layer t = c.tied[0];
    assert_int_equal(c.keys[t.index].cell, 0);
    assert_int_equal(c.keys[t.index].slot, relnas_dag_edge(1, 1));
    assert_int_equal(c.keys[t.index].op, RELNAS_SEP_CONV_3X3);
    assert_true(relnas_same_layer_key(c.keys[t.index], c.keys[t.source]) && t.source < t.index);
    layer a = c.net->layers[t.source], b = c.net->layers[t.index];
    assert_ptr_equal(a.weights, b.weights);
    assert_ptr_equal(a.weight_updates, b.weight_updates);
    assert_ptr_equal(a.rolling_mean, b.rolling_mean);
    assert_ptr_not_equal(a.output, b.output); /* two applications, two outputs */

    relnas_weight_set ws = {0};
    relnas_weight_set_load(&ws, c.net, c.keys);
    relnas_weight_set_merge(&ws, c.net, c.keys, c.net, c.keys);
    int blocks = 0;
    for (int i = 0; i < ws.count; ++i) blocks += ws.blocks[i].key.kind == RELNAS_KEY_OP && ws.blocks[i].key.cell == 0;
    assert_int_equal(blocks, 6);
    relnas_weight_set_free(&ws);
    relnas_candidate_free(&c);
}

/* The shared module's gradient is the sum over both applications: its update buffer (minus
 * the gradient of the summed loss) against central differences of the loss when the weight
 * moves in both applications, for the weights with the largest gradients. Untied layers
 * (each with its own gradient) fail this. */
static void test_repeated_op_gets_both_gradients(void **state)
{
    relnas_image_set data = stripes();
    relnas_candidate c = build_genotype("RelativeNAS", 0);
    network *net = c.net;
    int idx[16];
    for (int b = 0; b < 16; ++b) idx[b] = b;
    relnas_augment none = {0, 0, 0};
    relnas_fill_batch(net->input, net->truth, &data, idx, 16, none, NULL);
    relnas_zero_updates(net);
    batch_loss(net);
    backward_network(net);
    layer shared = net->layers[c.tied[0].source];
    float *w = shared.weights, *w2 = net->layers[c.tied[0].index].weights; /* the same if shared */
    /* A weight whose loss has a kink within eps (a ReLU or a max switching) has one-sided
     * slopes that disagree: its central difference says nothing, so it is passed over. */
    double center = batch_loss(net);
    int checked = 0;
    for (int pick = 0; pick < 12 && checked < 3; ++pick) {
        int j = 0;
        for (int k = 1; k < shared.nweights; ++k)
            if (fabsf(shared.weight_updates[k]) > fabsf(shared.weight_updates[j])) j = k;
        double analytic = -shared.weight_updates[j], eps = 2e-4, saved = w[j];
        w[j] = w2[j] = (float)(saved + eps);
        double up = batch_loss(net);
        w[j] = w2[j] = (float)(saved - eps);
        double down = batch_loss(net);
        w[j] = w2[j] = (float)saved;
        double numeric = (up - down) / (2 * eps), forward = (up - center) / eps, backward = (center - down) / eps;
        shared.weight_updates[j] = 0; /* the next pick is another weight */
        if (fabs(forward - backward) > 0.05 * fabs(analytic)) {
            printf("# weight %d: a kink within eps (one-sided slopes %.5f, %.5f): passed over\n", j, forward, backward);
            continue;
        }
        printf("# weight %d: gradient %.5f, finite difference %.5f\n", j, analytic, numeric);
        assert_true(fabs(analytic) > 1e-3);
        assert_true(fabs(numeric - analytic) < 0.05 * fabs(analytic));
        ++checked;
    }
    assert_int_equal(checked, 3);
    relnas_candidate_free(&c);
    relnas_image_set_free(&data);
}

/* Every BN layer's running statistics (its mean, its variance), concatenated. */
static int running_stats(const network *net, float *out)
{
    int n = 0;
    for (int i = 0; i < net->n; ++i) {
        relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
        if (!p.has_bn || !p.rolling_mean) continue;
        for (int k = 0; k < p.nbiases; ++k) out[n++] = p.rolling_mean[k];
        for (int k = 0; k < p.nbiases; ++k) out[n++] = p.rolling_variance[k];
    }
    return n;
}

/* On a training part of exactly one batch, the recomputed statistics are that batch's, for
 * any number of batches; running averages over many training-mode passes on the same batch
 * converge to the same values (also for the module applied twice). */
static void test_recomputed_bn_statistics(void **state)
{
    enum { MAX = 4096 };
    relnas_image_set data = stripes();
    relnas_candidate c = build_genotype("RelativeNAS", 0.3f);
    network *net = c.net;
    int idx[16];
    for (int b = 0; b < 16; ++b) idx[b] = 40 + b;
    static float once[MAX], thrice[MAX], averaged[MAX], before[MAX];
    int n = running_stats(net, before);
    assert_true(n > 0 && n <= MAX);
    relnas_rng rng = relnas_rng_seeded(8);
    relnas_candidate_recompute_bn(&c, &data, idx, 16, 1, &rng);
    running_stats(net, once);
    relnas_candidate_recompute_bn(&c, &data, idx, 16, 3, &rng);
    running_stats(net, thrice);
    relnas_augment none = {0, 0, 0};
    relnas_fill_batch(net->input, net->truth, &data, idx, 16, none, NULL);
    for (int t = 0; t < 150; ++t) batch_loss(net);
    running_stats(net, averaged);
    int changed = 0;
    for (int k = 0; k < n; ++k) {
        changed += fabsf(once[k] - before[k]) > 1e-3f;
        assert_float_equal(once[k], thrice[k], 1e-4 * (1 + fabsf(once[k])));
        assert_float_equal(once[k], averaged[k], 1e-3 * (1 + fabsf(once[k])));
    }
    assert_true(changed > n / 4);
    relnas_candidate_free(&c);
    relnas_image_set_free(&data);
}

/* Trainable parameters, each array counted once: nweights conv weights and, per BN channel
 * (nbiases), gamma and beta. */
static long trainable_parameters(const relnas_candidate *c)
{
    long n = 0;
    for (int i = 0; i < c->net->n; ++i) {
        layer l = c->net->layers[i];
        int seen = 0;
        for (int j = 0; j < i && l.weights; ++j) seen |= c->net->layers[j].weights == l.weights;
        if (!seen) n += l.nweights + 2L * l.nbiases;
    }
    return n;
}

/* Trained alone, the network is the one `relnas cfg` writes: the RelativeNAS normal cell's
 * repeated sep_conv_3x3(1) is two modules, so the network has one more sep_conv_3x3 at C=4
 * than the search's: 2 x (3x3 depthwise 36 + pointwise 16 weights + BN gamma and beta 8) =
 * 120 parameters. */
static void test_alone_network_unties_repeated_ops(void **state)
{
    relnas_candidate tied = build_genotype("RelativeNAS", 0);
    relnas_genotype g;
    relnas_net_spec spec;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype("RelativeNAS"), &g, err, sizeof(err)), 0);
    assert_int_equal(relnas_net_preset("search", &spec), 0);
    spec.C = 4, spec.cells = 3, spec.classes = 2, spec.batch = 16;
    spec.width = spec.height = 8, spec.channels = 1, spec.drop_path = 0;
    relnas_candidate alone;
    assert_int_equal(relnas_candidate_build_alone(&alone, &g, &spec, err, sizeof(err)), 0);
    assert_int_equal(alone.ntied, 0);
    assert_int_equal(alone.net->n, tied.net->n);
    relnas_tied_layer t = tied.tied[0];
    assert_ptr_not_equal(alone.net->layers[t.index].weights, alone.net->layers[t.source].weights);
    printf("# trainable parameters: tied %ld, alone %ld\n", trainable_parameters(&tied), trainable_parameters(&alone));
    assert_int_equal(trainable_parameters(&alone) - trainable_parameters(&tied), 120);
    relnas_candidate_free(&alone);
    relnas_candidate_free(&tied);
}

/* With anneal, the rate follows Darknet's cosine policy from learning_rate down to 0 over
 * the batches of this training (whatever the network saw before): at the start the full
 * rate, half way half of it, after the last batch 0. */
static void test_anneal_schedule(void **state)
{
    relnas_image_set data = stripes();
    int train[150];
    for (int i = 0; i < 150; ++i) train[i] = i;
    relnas_candidate c = build_genotype("DARTS_V2", 0);
    relnas_rng rng = relnas_rng_seeded(5);
    relnas_train_settings s = {.learning_rate = 0.04f, .momentum = 0.9f, .decay = 3e-4f, .clip = 5, .batches = 3};
    relnas_candidate_train(&c, &data, train, 150, s, &rng); /* constant rate, as in a pair */
    s.anneal = 1, s.batches = 8;
    relnas_candidate_train(&c, &data, train, 150, s, &rng);
    network *net = c.net;
    assert_int_equal(*net->seen, (size_t)8 * net->batch);
    assert_float_equal(get_current_rate(net), 0, 1e-9);
    *net->seen = (size_t)4 * net->batch;
    assert_float_equal(get_current_rate(net), 0.02, 1e-7);
    *net->seen = 0;
    assert_float_equal(get_current_rate(net), 0.04, 1e-7);
    relnas_candidate_free(&c);
    relnas_image_set_free(&data);
}

/* A tied candidate on the GPU trains as on the CPU: the RelativeNAS network (one tied
 * sep_conv_3x3) built on both devices from one weight set, trained 3 batches from the same
 * random stream (no drop-path), then validated: training loss, validation loss and accuracy
 * within 1e-3 (float sums in another order over 3 steps), and the shared module's weights
 * after training within 1e-4. A tie that lost its gradient on the GPU, or applied its own
 * copy of the weights, moves these by more. */
static void test_tied_candidate_on_gpu_trains_as_on_cpu(void **state)
{
#ifndef GPU
    RELNAS_SKIP("no GPU: built without GPU=1 (make test GPU=1 CUDNN=1 on a GPU machine runs it)");
#else
    if (!relnas_test_have_gpu()) RELNAS_SKIP("no GPU: no usable CUDA device on this machine");
    relnas_image_set data = stripes();
    int idx[200];
    for (int i = 0; i < 200; ++i) idx[i] = i;
    relnas_weight_set ws = {0};
    relnas_candidate on[2];
    double train_loss[2], loss[2], accuracy[2];
    float *shared[2];
    for (int d = 0; d < 2; ++d) {
        gpu_index = d - 1; /* -1: the CPU first, its parameters become the set's; 0: the GPU */
        on[d] = build_genotype("RelativeNAS", 0);
        relnas_weight_set_load(&ws, on[d].net, on[d].keys);
        relnas_rng rng = relnas_rng_seeded(12);
        relnas_train_settings s = {.learning_rate = 0.05f, .momentum = 0.9f, .decay = 3e-4f, .clip = 5,
                                   .progress = 0.5f, .batches = 3};
        train_loss[d] = relnas_candidate_train(&on[d], &data, idx, 150, s, &rng);
        relnas_candidate_validate(&on[d], &data, idx + 150, 50, 0, &loss[d], &accuracy[d]);
        layer l = on[d].net->layers[on[d].tied[0].source];
        if (d) relnas_params_pull(l);
        shared[d] = l.weights;
        assert_int_equal(on[d].ntied, 1);
    }
    gpu_index = -1;
    printf("# training loss CPU %.6f GPU %.6f; validation loss %.6f / %.6f, accuracy %.4f / %.4f\n", train_loss[0],
           train_loss[1], loss[0], loss[1], accuracy[0], accuracy[1]);
    assert_true(fabs(train_loss[0] - train_loss[1]) < 1e-3);
    assert_true(fabs(loss[0] - loss[1]) < 1e-3);
    assert_true(fabs(accuracy[0] - accuracy[1]) < 1e-3);
    layer l = on[0].net->layers[on[0].tied[0].source];
    double worst = 0;
    for (int k = 0; k < l.nweights; ++k) worst = fmax(worst, fabs((double)shared[0][k] - shared[1][k]));
    printf("# shared module's weights after training: max abs difference %.3g\n", worst);
    assert_true(worst < 1e-4);
    relnas_candidate_free(&on[0]), relnas_candidate_free(&on[1]);
    relnas_weight_set_free(&ws);
    relnas_image_set_free(&data);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidate_learns),
        cmocka_unit_test(test_non_finite_loss_is_reported),
        cmocka_unit_test(test_repeated_op_is_one_module),
        cmocka_unit_test(test_alone_network_unties_repeated_ops),
        cmocka_unit_test(test_anneal_schedule),
        cmocka_unit_test(test_repeated_op_gets_both_gradients),
        cmocka_unit_test(test_recomputed_bn_statistics),
        cmocka_unit_test(test_tied_candidate_on_gpu_trains_as_on_cpu),
    };
    return cmocka_run_group_tests_name("candidate", tests, NULL, NULL);
}
