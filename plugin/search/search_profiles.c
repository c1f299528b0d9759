/* The search's settings tables (`darknet relnas search --profile NAME`). */
#include <string.h>
#include "search.h"

/* What every profile shares: the paper's optimiser, schedule and split (DESIGN.md §4), and
 * for a selection by training alone (select_batches) the DARTS family's evaluation rate and
 * cutout, which `relnas train` uses with the CIFAR preset. */
#define PAPER_OPTIMISER .lr_max = 0.1, .lr_min = 0.001, .momentum = 0.9, .decay = 3e-4, .clip = 5, \
                        .drop_path = 0.3, .train_portion = 0.5, .pad = 4, .flip = 1, .seed = 1, .select_lr = 0.025, \
                        .select_cutout = 16

typedef struct profile {
    const char *name;
    relnas_search_settings settings;
} profile;

static const profile profiles[] = {
    /* The paper's search: CIFAR-sized proxy, one epoch per candidate (train_batches 0 is
     * resolved to one epoch of the training half), the whole validation half, nothing added. */
    {"paper", {.population = 20, .generations = 50, .batch = 256, .train_batches = 0, .valid_batches = 0,
               .C = 16, .cells = 8, .cutout = 16, PAPER_OPTIMISER, .bn_batches = 0, .warmup_batches = 0,
               .select_batches = 0}},
    /* A smoke run of a few minutes on a CPU: too short to find good cells. */
    {"quick", {.population = 8, .generations = 4, .batch = 64, .train_batches = 40, .valid_batches = 10,
               .C = 8, .cells = 5, .cutout = 0, PAPER_OPTIMISER, .bn_batches = 0, .warmup_batches = 0,
               .select_batches = 0}},
    /* Under 30 minutes on 2 CPU cores (docs/search-efficacy.md): fewer, longer-trained
     * candidates; 40 validation batches, BN statistics recomputed before scoring; the result
     * chosen by training the last generation's cells alone for 187 batches (12000 images, the
     * length of scripts/eval-search's recipe), because the weight-shared losses did not rank
     * the final populations' cells. No warm-up: it cost 191 of the 1807 s of a search on 2
     * cores, and the searches without it picked the same cells (the control in §6.3). */
    {"cpu", {.population = 8, .generations = 5, .batch = 64, .train_batches = 100, .valid_batches = 40,
             .C = 8, .cells = 5, .cutout = 0, PAPER_OPTIMISER, .bn_batches = 10, .warmup_batches = 0,
             .select_batches = 187}},
};

const char relnas_search_profile_names[] = "paper, quick, cpu";

int relnas_search_profile(const char *name, relnas_search_settings *s)
{
    for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); ++i)
        if (strcmp(profiles[i].name, name) == 0) {
            *s = profiles[i].settings;
            return 0;
        }
    return -1;
}
