/* Genotype text: the official repr round-trips exactly, the bundled files agree with the
 * bundled table, loose formatting parses, the architecture vector decodes by the paper's
 * rule, and bad input is an error saying where and what was expected. */
#include "relnas_test.h"
#include "bundled_genotypes.h"
#include "genotype_parse.h"

static void parse_ok(const char *text, relnas_genotype *g)
{
    char err[256] = "";
    if (relnas_genotype_parse(text, g, err, sizeof(err)) != 0) {
        printf("# unexpected error: %s\n", err);
        fail();
    }
}

static void expect_error(const char *text, const char *needle)
{
    relnas_genotype g;
    char err[256] = "";
    int rc = relnas_genotype_parse(text, &g, err, sizeof(err));
    if (rc == 0 || !strstr(err, needle)) {
        printf("# input: %s\n# wanted an error containing \"%s\", got rc %d: %s\n", text, needle, rc, err);
        fail();
    }
}

static void test_bundled_round_trip_exactly(void **state)
{
    const char *names[] = {"RelativeNAS", "DARTS_V1", "DARTS_V2"};
    for (int i = 0; i < 3; ++i) {
        const char *repr = relnas_bundled_genotype(names[i]);
        relnas_genotype g;
        parse_ok(repr, &g);
        char out[2048];
        relnas_genotype_format(out, sizeof(out), &g);
        assert_string_equal(out, repr);
    }
    assert_string_equal(relnas_bundled_genotype("darts"), relnas_bundled_genotype("DARTS_V2"));
}

static void test_genotype_files_match_bundled(void **state)
{
    const char *names[] = {"relativenas", "darts_v1", "darts_v2"};
    for (int i = 0; i < 3; ++i) {
        char path[256], source[256], err[256];
        snprintf(path, sizeof(path), "genotypes/%s.genotype", names[i]);
        relnas_genotype from_file, from_table;
        assert_int_equal(relnas_genotype_load(path, &from_file, source, sizeof(source), err, sizeof(err)), 0);
        parse_ok(relnas_bundled_genotype(names[i]), &from_table);
        assert_true(relnas_genotype_equal(&from_file, &from_table));
    }
}

/* The RelativeNAS reduction cell reads s1 and nodes only: never state 0 (docs/design.md,
 * 'Search space'; its preprocess0 still exists in the network). */
static void test_relativenas_reduce_never_reads_s0(void **state)
{
    relnas_genotype g;
    parse_ok(relnas_bundled_genotype("RelativeNAS"), &g);
    for (int e = 0; e < RELNAS_EDGES; ++e) assert_int_not_equal(g.reduce.edges[e].input, 0);
    assert_int_equal(g.normal.edges[1].op, RELNAS_DIL_CONV_5X5);
    assert_int_equal(g.reduce.edges[4].input, 3);
}

static void test_loose_formatting(void **state)
{
    relnas_genotype a, b;
    parse_ok(relnas_bundled_genotype("DARTS_V2"), &a);
    parse_ok("DARTS_V2 = Genotype(\n"
             "    normal=[(\"sep_conv_3x3\", 0), ('sep_conv_3x3', 1),\n"
             "            ('sep_conv_3x3',0),('sep_conv_3x3', 1), ('sep_conv_3x3', 1),\n"
             "            ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2),],\n"
             "    normal_concat = [2, 3, 4, 5],\n"
             "    reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2),\n"
             "            ('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2),\n"
             "            ('skip_connect', 2), ('max_pool_3x3', 1)],\n"
             "    reduce_concat=[2, 3, 4, 5],\n)\n", &b);
    assert_true(relnas_genotype_equal(&a, &b));
}

/* Positions 16t + 4j + {0,1,2,3} = (input 1, op 1, input 2, op 2); x -> int(x) unless x is
 * whole, then int(x - 0.1): 0 -> 0, 2.7 -> 2, 3 -> 2, 7 -> 6. */
static void test_vector_decoding(void **state)
{
    assert_int_equal(relnas_decode_index(0), 0);
    assert_int_equal(relnas_decode_index(0.5), 0);
    assert_int_equal(relnas_decode_index(2.7), 2);
    assert_int_equal(relnas_decode_index(3), 2);
    assert_int_equal(relnas_decode_index(7), 6);
    relnas_genotype g;
    parse_ok("[0, 7, 1.5, 3.2,  2, 0.9, 2.99, 4,  0, 1, 3.5, 5.5,  4, 2, 0.1, 6.9,"
             " 1.0, 2.0, 0.0, 0.0,  3, 7, 0, 0,  0, 0, 0, 0,  0, 0, 5, 4.4]", &g);
    relnas_edge want[8] = {{RELNAS_DIL_CONV_5X5, 0}, {RELNAS_SEP_CONV_3X3, 1},
                           {RELNAS_MAX_POOL_3X3, 1}, {RELNAS_SEP_CONV_3X3, 2},
                           {RELNAS_MAX_POOL_3X3, 0}, {RELNAS_DIL_CONV_3X3, 3},
                           {RELNAS_AVG_POOL_3X3, 3}, {RELNAS_DIL_CONV_5X5, 0}};
    for (int e = 0; e < 8; ++e) {
        assert_int_equal(g.normal.edges[e].op, want[e].op);
        assert_int_equal(g.normal.edges[e].input, want[e].input);
    }
    assert_int_equal(g.reduce.edges[0].input, 0);          /* 1.0 -> 0 */
    assert_int_equal(g.reduce.edges[0].op, RELNAS_AVG_POOL_3X3); /* 2.0 -> 1 */
    assert_int_equal(g.reduce.edges[2].input, 2);          /* node 1 input 3 (its bound) -> 2 */
    assert_int_equal(g.reduce.edges[2].op, RELNAS_DIL_CONV_5X5);
    assert_int_equal(g.reduce.edges[7].input, 4);          /* 5 -> 4 */
    assert_int_equal(g.reduce.edges[7].op, RELNAS_SEP_CONV_5X5);
    char out[2048];
    relnas_genotype_format(out, sizeof(out), &g);
    assert_non_null(strstr(out, "normal_concat=range(2, 6)"));
}

static void test_errors_say_where_and_what(void **state)
{
    expect_error("Genotype(normal=[('sep_conv_7x7', 0)",
                 "1:19: op 'sep_conv_7x7' is not in the search space (max_pool_3x3, avg_pool_3x3, "
                 "skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5)");
    expect_error(relnas_bundled_genotype("RelativeNAS") + 1, "expected 'Genotype'");
    expect_error("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)], normal_concat=[2],"
                 " reduce=[], reduce_concat=[2])", "normal: 2 edges, expected 8");
    expect_error("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"
                 " ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
                 " ('dil_conv_3x3', 5)], normal_concat=[2, 3, 4, 5], reduce=[], reduce_concat=[2])",
                 "reduce: 0 edges");
    expect_error("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0),"
                 " ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0),"
                 " ('dil_conv_3x3', 5)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0),"
                 " ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0),"
                 " ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])",
                 "normal edge 7 (node 3) reads state 5; node 3 can read states 0..4");
    expect_error("Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1)", "expected ','");
    expect_error("Genotype(normal=[('sep_conv_3x3', 0) ('sep_conv_3x3', 1)]", "1:38: expected ','");
    expect_error("0 1 2 3", "4 numbers; an architecture vector has 32");
    expect_error("0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 9",
                 "position 31 (reduce node 3, op 2) is 9; bounds are [0, 7]");
    expect_error("0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 x 0 1 2 3",
                 "position 27: expected a number");
    /* NASNet: 5 nodes and ops outside the space. */
    expect_error("Genotype(normal=[('sep_conv_5x5', 1), ('sep_conv_3x3', 0), ('sep_conv_5x5', 0),"
                 " ('sep_conv_3x3', 0), ('avg_pool_3x3', 1), ('skip_connect', 0), ('avg_pool_3x3', 0),"
                 " ('avg_pool_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 1)], normal_concat=[2, 3, 4, 5, 6],"
                 " reduce=[('sep_conv_5x5', 1), ('sep_conv_7x7', 0)], reduce_concat=[4, 5, 6])",
                 "more than 8 edges");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_round_trip_exactly),
        cmocka_unit_test(test_genotype_files_match_bundled),
        cmocka_unit_test(test_relativenas_reduce_never_reads_s0),
        cmocka_unit_test(test_loose_formatting),
        cmocka_unit_test(test_vector_decoding),
        cmocka_unit_test(test_errors_say_where_and_what),
    };
    return cmocka_run_group_tests_name("genotype_parse", tests, NULL, NULL);
}
