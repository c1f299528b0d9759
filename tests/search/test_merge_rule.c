/* The weight-set merge rule (which relnas_weight_set_merge applies; test_weight_set checks it
 * on networks) and the DAG edge numbering of the keys it is applied to. */
#include "relnas_test.h"
#include "weight_set.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_cases),
        cmocka_unit_test(test_dag_edge_numbering),
    };
    return cmocka_run_group_tests_name("merge_rule", tests, NULL, NULL);
}
