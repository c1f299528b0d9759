/* Which device main selects (plugin/runtime/gpu_device.c, issue 31): `relnas search` started
 * by a launcher with several processes leaves it to each rank, so no rank makes a context on
 * GPU 0 before it picks its own; every other command line, and a search not started by a
 * launcher (or by one with a single process), is selected by main as before. The launchers'
 * variables are set and cleared here by hand. */
#include "relnas_test.h"
#include "gpu_device.h"

static const char *launcher_sizes[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"};

static void clear_launchers(void)
{
    for (size_t i = 0; i < sizeof(launcher_sizes) / sizeof(*launcher_sizes); ++i) unsetenv(launcher_sizes[i]);
}

static int later(const char *a1, const char *a2)
{
    char *argv[] = {"darknet", (char *)a1, (char *)a2, "--parallel-pairs", NULL};
    return relnas_gpu_select_later(a2 ? 4 : 2, argv);
}

static void test_search_under_a_launcher_selects_later(void **state)
{
    for (size_t i = 0; i < sizeof(launcher_sizes) / sizeof(*launcher_sizes); ++i) {
        clear_launchers();
        setenv(launcher_sizes[i], "4", 1);
        assert_int_equal(later("relnas", "search"), 1);
        assert_int_equal(relnas_ranks_pick_gpu("search"), 1); /* what -gpus N of `relnas search` follows */
        assert_int_equal(relnas_ranks_pick_gpu("train"), 0);
    }
    clear_launchers();
}

static void test_everything_else_is_selected_by_main(void **state)
{
    clear_launchers();
    assert_int_equal(later("relnas", "search"), 0); /* one process: main selects -i N */
    assert_int_equal(relnas_ranks_pick_gpu("search"), 0);
    setenv("OMPI_COMM_WORLD_SIZE", "1", 1);
    assert_int_equal(later("relnas", "search"), 0); /* a launcher's job of one */
    setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
    assert_int_equal(later("relnas", "train"), 0);
    assert_int_equal(later("detector", "train"), 0);
    assert_int_equal(later("relnas", NULL), 0);
    clear_launchers();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_under_a_launcher_selects_later),
        cmocka_unit_test(test_everything_else_is_selected_by_main),
    };
    return cmocka_run_group_tests_name("gpu_device", tests, NULL, NULL);
}
