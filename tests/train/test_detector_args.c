/* detector train's flags (plugin/train/detector_monitor.h): taken out of argv wherever they
 * stand, so DATA CFG [WEIGHTS] stay at argv[3..5] where run_detector reads them; defaults
 * when absent; a bad value exits with status 1 (checked in a child). */
#include "relnas_test.h"
#include "detector_monitor.h"

static void test_flags_removed_positionals_kept(void **state)
{
    char *argv[] = {"darknet", "detector", "train", "-map", "d.data", "-points", "0", "c.cfg",
                    "-map_every", "25", "w.weights", "-dont_show"};
    int argc = (int)(sizeof(argv) / sizeof(*argv));
    relnas_detector_options o = relnas_detector_train_args(argc, argv);
    assert_int_equal(o.map, 1);
    assert_int_equal(o.all_points, 1);
    assert_int_equal(o.map_every, 25);
    assert_int_equal(o.dont_show, 1);
    assert_string_equal(argv[3], "d.data");
    assert_string_equal(argv[4], "c.cfg");
    assert_string_equal(argv[5], "w.weights");
    for (int i = 6; i < argc; ++i) assert_null(argv[i]);
}

static void test_defaults(void **state)
{
    char *argv[] = {"darknet", "detector", "train", "d.data", "c.cfg"};
    relnas_detector_options o = relnas_detector_train_args(5, argv);
    assert_int_equal(o.map, 0);
    assert_int_equal(o.all_points, 0); /* VOC07 11-point */
    assert_int_equal(o.map_every, 0);  /* max(100, max_batches / 50) */
    assert_int_equal(o.dont_show, 0);
    assert_string_equal(argv[4], "c.cfg");
}

static int exit_status_of(char **argv, int argc)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        relnas_detector_train_args(argc, argv);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_bad_values_exit_1(void **state)
{
    char *points[] = {"darknet", "detector", "train", "d", "c", "-points", "101"};
    char *every[] = {"darknet", "detector", "train", "d", "c", "-map_every", "0"};
    char *missing[] = {"darknet", "detector", "train", "d", "c", "-map_every"};
    assert_int_equal(exit_status_of(points, 7), 1);
    assert_int_equal(exit_status_of(every, 7), 1);
    assert_int_equal(exit_status_of(missing, 6), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_removed_positionals_kept),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_bad_values_exit_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
