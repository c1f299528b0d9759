/* The weight-set merge rule and the (DAG edge, op) usage it is applied to. */
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "genotype_parse.h"
#include "merge_rule.h"

static void test_four_cases(void **state)
{
    assert_int_equal(relnas_merge_source_for(1, 1), RELNAS_MERGE_FROM_TEACHER); /* both */
    assert_int_equal(relnas_merge_source_for(1, 0), RELNAS_MERGE_FROM_TEACHER); /* teacher only */
    assert_int_equal(relnas_merge_source_for(0, 1), RELNAS_MERGE_FROM_STUDENT); /* student only */
    assert_int_equal(relnas_merge_source_for(0, 0), RELNAS_MERGE_KEEP);         /* neither */
}

/* Node j's inputs start at 0, 2, 5, 9 and there are 14 edges in all. */
static void test_dag_edge_numbering(void **state)
{
    assert_int_equal(relnas_dag_edge(0, 0), 0);
    assert_int_equal(relnas_dag_edge(0, 1), 1);
    assert_int_equal(relnas_dag_edge(1, 0), 2);
    assert_int_equal(relnas_dag_edge(1, 2), 4);
    assert_int_equal(relnas_dag_edge(2, 0), 5);
    assert_int_equal(relnas_dag_edge(3, 0), 9);
    assert_int_equal(relnas_dag_edge(3, 4), 13);
    assert_int_equal(RELNAS_DAG_EDGES, 14);
}

/* RelativeNAS normal cell: node 0 = sep_conv_3x3(0) + dil_conv_5x5(1); node 1 =
 * sep_conv_3x3(1) twice (one (edge, op), used once); node 2 = sep_conv_3x3(1) +
 * sep_conv_5x5(1); node 3 = skip_connect(0) + sep_conv_3x3(0). */
static void test_usage_of_relativenas_normal_cell(void **state)
{
    relnas_genotype g;
    char err[256];
    assert_int_equal(relnas_genotype_parse(relnas_bundled_genotype("RelativeNAS"), &g, err, sizeof(err)), 0);
    unsigned char used[RELNAS_DAG_EDGES][RELNAS_PRIMITIVE_COUNT];
    relnas_cell_usage(&g.normal, used);
    int count = 0;
    for (int e = 0; e < RELNAS_DAG_EDGES; ++e)
        for (int o = 0; o < RELNAS_PRIMITIVE_COUNT; ++o) count += used[e][o];
    assert_int_equal(count, 7); /* 8 edges, two of node 1 coincide */
    assert_true(used[0][RELNAS_SEP_CONV_3X3] && used[1][RELNAS_DIL_CONV_5X5]);
    assert_true(used[3][RELNAS_SEP_CONV_3X3]);
    assert_true(used[6][RELNAS_SEP_CONV_3X3] && used[6][RELNAS_SEP_CONV_5X5]);
    assert_true(used[9][RELNAS_SKIP_CONNECT] && used[9][RELNAS_SEP_CONV_3X3]);
    assert_false(used[2][RELNAS_SEP_CONV_3X3]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_cases),
        cmocka_unit_test(test_dag_edge_numbering),
        cmocka_unit_test(test_usage_of_relativenas_normal_cell),
    };
    return cmocka_run_group_tests_name("merge_rule", tests, NULL, NULL);
}
