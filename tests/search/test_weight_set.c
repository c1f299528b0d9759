/* The weight set with real candidate networks: loading fills and extends it, and the merge
 * after a pair takes each block from the right side in all four cases (op in both, teacher
 * only, student only, neither); shared layers come from the teacher. */
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "genotype_parse.h"
#include "weight_set.h"

typedef struct candidate {
    network *net;
    relnas_layer_key keys[512];
    int n;
} candidate;

static candidate build(const char *name)
{
    candidate c;
    relnas_genotype g;
    relnas_net_spec spec;
    char err[256], path[] = "/tmp/relnas-ws-XXXXXX";
    const char *text = relnas_bundled_genotype(name);
    assert_int_equal(relnas_genotype_parse(text ? text : name, &g, err, sizeof(err)), 0);
    assert_int_equal(relnas_net_preset("cifar", &spec), 0);
    spec.C = 4, spec.cells = 3, spec.batch = 1, spec.auxiliary = 0;
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(relnas_write_cfg_keyed(fp, &g, &spec, name, c.keys, 512, &c.n, err, sizeof(err)), 0);
    fclose(fp);
    c.net = parse_network_cfg(path);
    unlink(path);
    assert_int_equal(c.net->n, c.n);
    return c;
}

/* Sets every parameter of every keyed layer to v (and dirties the optimiser state). */
static void fill_params(candidate *c, float v)
{
    for (int i = 0; i < c->n; ++i) {
        layer l = c->net->layers[i];
        if (c->keys[i].kind == RELNAS_KEY_NONE || !l.weights) continue; /* pools have none */
        int nb = l.type == PLUGIN ? l.nbiases : l.type == CONNECTED ? l.outputs : l.n;
        int nw = l.type == CONNECTED ? l.inputs * l.outputs : l.nweights;
        for (int k = 0; k < nw; ++k) l.weights[k] = v, l.weight_updates[k] = 5;
        for (int k = 0; k < nb; ++k) {
            l.biases[k] = v;
            if (l.scales) l.scales[k] = v, l.rolling_mean[k] = v, l.rolling_variance[k] = v;
        }
    }
}

static int has_key(const candidate *c, relnas_layer_key key)
{
    for (int i = 0; i < c->n; ++i)
        if (c->keys[i].kind == key.kind && c->keys[i].cell == key.cell && c->keys[i].slot == key.slot &&
            (key.kind != RELNAS_KEY_OP || c->keys[i].op == key.op))
            return 1;
    return 0;
}

static void test_merge_takes_each_block_from_the_right_side(void **state)
{
    relnas_weight_set ws = {0};
    /* sep_conv_5x5 from s0 and dil_conv_3x3 from s1 in every node: ops neither DARTS_V2 nor
     * RelativeNAS has, so some blocks belong to neither side of the pair. */
    const char *unusual =
        "Genotype(normal=[('sep_conv_5x5', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('dil_conv_3x3', 1),"
        " ('sep_conv_5x5', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('dil_conv_3x3', 1)],"
        " normal_concat=range(2, 6), reduce=[('sep_conv_5x5', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0),"
        " ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('dil_conv_3x3', 1), ('sep_conv_5x5', 0), ('dil_conv_3x3', 1)],"
        " reduce_concat=range(2, 6))";
    candidate other = build(unusual), teacher = build("DARTS_V2"), student = build("RelativeNAS");
    relnas_weight_set_load(&ws, other.net, other.keys);
    fill_params(&other, 3);
    relnas_weight_set_merge(&ws, other.net, other.keys, other.net, other.keys);
    relnas_weight_set_load(&ws, teacher.net, teacher.keys);
    assert_float_equal(teacher.net->layers[0].weights[0], 3, 0); /* the stem came from the set */
    relnas_weight_set_load(&ws, student.net, student.keys);
    fill_params(&teacher, 1);
    fill_params(&student, 2);
    relnas_weight_set_merge(&ws, teacher.net, teacher.keys, student.net, student.keys);
    int cases[4] = {0}; /* both, teacher only, student only, neither */
    for (int i = 0; i < ws.count; ++i) {
        relnas_param_block *b = &ws.blocks[i];
        int t = has_key(&teacher, b->key), s = has_key(&student, b->key);
        float want = t ? 1 : s ? 2 : 3;
        if (b->key.kind == RELNAS_KEY_OP) cases[t && s ? 0 : t ? 1 : s ? 2 : 3]++;
        if (b->weights[0] != want)
            printf("# block %d key kind %d cell %d slot %d op %d: %g, want %g\n", i, b->key.kind, b->key.cell,
                   b->key.slot, b->key.op, b->weights[0], want);
        for (int k = 0; k < b->nweights; ++k) assert_float_equal(b->weights[k], want, 0);
        for (int k = 0; k < b->nbiases; ++k) {
            assert_float_equal(b->biases[k], want, 0);
            if (b->has_bn) assert_float_equal(b->rolling_variance[k], want, 0);
        }
    }
    for (int k = 0; k < 4; ++k) assert_true(cases[k] > 0);
    /* A new candidate gets the merged values and a fresh optimiser state. */
    candidate next = build("RelativeNAS");
    fill_params(&next, 9);
    relnas_weight_set_load(&ws, next.net, next.keys);
    for (int i = 0; i < next.n; ++i) {
        if (next.keys[i].kind == RELNAS_KEY_NONE || !next.net->layers[i].weights) continue;
        float want = has_key(&teacher, next.keys[i]) ? 1 : 2;
        if (next.net->layers[i].weights[0] != want)
            printf("# layer %d key kind %d cell %d slot %d op %d: %g\n", i, next.keys[i].kind, next.keys[i].cell,
                   next.keys[i].slot, next.keys[i].op, next.net->layers[i].weights[0]);
        assert_float_equal(next.net->layers[i].weights[0], want, 0);
        assert_float_equal(next.net->layers[i].weight_updates[0], 0, 0);
    }
    candidate *all[4] = {&other, &teacher, &student, &next};
    for (int k = 0; k < 4; ++k) free_network(all[k]->net);
    relnas_weight_set_free(&ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_takes_each_block_from_the_right_side),
    };
    return cmocka_run_group_tests_name("weight_set", tests, NULL, NULL);
}
