/* The op profile's accounting, on a clock the test sets by hand: an op's time excludes the ops
 * inside it, rows sum calls, FLOPs and bytes per name, come out most time first, and nothing
 * is collected before start or after stop. */
#include "relnas_test.h"
#include "op_profile.h"

static double fake_now;
static double fake_clock(void) { return fake_now; }

static int setup(void **state)
{
    (void)state;
    fake_now = 0;
    relnas_op_profile_set_clock(fake_clock);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    relnas_op_profile_stop();
    relnas_op_profile_set_clock(NULL);
    return 0;
}

static void test_off_collects_nothing(void **state)
{
    (void)state;
    relnas_op_profile_start();
    relnas_op_profile_stop();
    assert_int_equal(relnas_op_profile_on(), 0);
    assert_int_equal(relnas_op_begin(), 0);
    relnas_op_row rows[4];
    assert_int_equal(relnas_op_profile_rows(rows, 4), 0);
}

/* outer [0, 10] holds inner [2, 7] and inner [8, 9]: outer keeps 10 - 5 - 1 = 4 s. */
static void test_nested_ops_count_exclusive_time(void **state)
{
    (void)state;
    relnas_op_profile_start();
    assert_int_equal(relnas_op_begin(), 1);
    fake_now = 2;
    relnas_op_begin();
    fake_now = 7;
    relnas_op_end("inner", 10, 100);
    fake_now = 8;
    relnas_op_begin();
    fake_now = 9;
    relnas_op_end("inner", 5, 50);
    fake_now = 10;
    relnas_op_end("outer", 1, 0);
    relnas_op_row rows[4];
    assert_int_equal(relnas_op_profile_rows(rows, 4), 2);
    assert_string_equal(rows[0].name, "inner");
    assert_int_equal(rows[0].calls, 2);
    assert_true(rows[0].seconds == 6 && rows[0].flops == 15 && rows[0].bytes == 150);
    assert_string_equal(rows[1].name, "outer");
    assert_int_equal(rows[1].calls, 1);
    assert_true(rows[1].seconds == 4 && rows[1].flops == 1);
}

static void test_macro_times_the_statement_and_restart_clears(void **state)
{
    (void)state;
    relnas_op_profile_start();
    RELNAS_TIMED_OP("step", 2 * 3, 8, fake_now += 3);
    RELNAS_TIMED_OP("step", 2 * 3, 8, fake_now += 1);
    relnas_op_row rows[2];
    assert_int_equal(relnas_op_profile_rows(rows, 2), 1);
    assert_true(rows[0].seconds == 4 && rows[0].flops == 12 && rows[0].bytes == 16 && rows[0].calls == 2);
    relnas_op_profile_start();
    assert_int_equal(relnas_op_profile_rows(rows, 2), 0);
    relnas_op_profile_stop();
    RELNAS_TIMED_OP("step", 1, 1, fake_now += 1); /* stopped: runs, not counted */
    assert_true(fake_now == 5);
    assert_int_equal(relnas_op_profile_rows(rows, 2), 0);
}

static void test_write_prints_one_tab_separated_line_per_row(void **state)
{
    (void)state;
    relnas_op_profile_start();
    RELNAS_TIMED_OP("a b", 4, 6, fake_now += 0.5);
    RELNAS_TIMED_OP("c", 0, 0, fake_now += 2);
    FILE *f = tmpfile();
    relnas_op_profile_write(f);
    rewind(f);
    char text[256] = {0};
    assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
    fclose(f);
    assert_string_equal(text, "c\t1\t2.000000\t0\t0\na b\t1\t0.500000\t4\t6\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_off_collects_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_ops_count_exclusive_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_macro_times_the_statement_and_restart_clears, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_prints_one_tab_separated_line_per_row, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
