#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "selection_rounds.h"
#include "relnas_check.h"

int relnas_selection_ranks_above(const relnas_member *a, const relnas_member *b)
{
    if (isfinite(a->valid_accuracy) != isfinite(b->valid_accuracy)) return isfinite(a->valid_accuracy);
    if (a->valid_accuracy != b->valid_accuracy) return a->valid_accuracy > b->valid_accuracy;
    if (a->valid_loss != b->valid_loss) return a->valid_loss < b->valid_loss;
    return a->index < b->index;
}

/* Round 0's cells: every archive cell, or each distinct cell of the last generation in member
 * order. Returns the count. */
static int first_round_cells(const relnas_search_state *st, int *cells)
{
    int n = 0;
    if (st->settings.select_all_cells) {
        for (int k = 0; k < st->archive.count; ++k) cells[n++] = k;
        return n;
    }
    for (int i = 0; i < st->settings.population; ++i) {
        int k = relnas_cell_archive_find(&st->archive, st->pop.x[i]), seen = 0;
        for (int j = 0; j < n && !seen; ++j) seen = cells[j] == k;
        if (k >= 0 && !seen) cells[n++] = k;
    }
    return n;
}

int relnas_selection_next_round_size(const relnas_search_settings *s, int size)
{
    return (size + s->select_keep - 1) / s->select_keep;
}

const char *relnas_selection_keep_text(const relnas_search_settings *s, char *buf, size_t len)
{
    if (s->select_keep == 2) snprintf(buf, len, "half");
    else snprintf(buf, len, "1/%d", s->select_keep);
    return buf;
}

int relnas_selection_cells(const relnas_search_state *st, int round, int *cells)
{
    int n = first_round_cells(st, cells);
    for (int r = 1; r <= round; ++r) {
        const relnas_member *prev = &st->alone[(size_t)(r - 1) * st->archive.count];
        for (int i = 1; i < n; ++i) /* insertion sort by rank: n is small */
            for (int j = i; j > 0 && relnas_selection_ranks_above(&prev[cells[j]], &prev[cells[j - 1]]); --j) {
                int t = cells[j];
                cells[j] = cells[j - 1], cells[j - 1] = t;
            }
        n = relnas_selection_next_round_size(&st->settings, n);
    }
    return n;
}

int *relnas_selection_alloc_cells(const relnas_search_state *st)
{
    return RELNAS_CALLOC((size_t)st->archive.count + (size_t)st->settings.population, sizeof(int));
}

static int first_round_size(const relnas_search_state *st)
{
    int *cells = relnas_selection_alloc_cells(st);
    int n = first_round_cells(st, cells);
    free(cells);
    return n;
}

int relnas_selection_round_size(const relnas_search_state *st, int round)
{
    int n = first_round_size(st);
    for (int r = 1; r <= round; ++r) n = relnas_selection_next_round_size(&st->settings, n);
    return n;
}

/* Whether round r runs, holding `size` cells: round 0 always, a later one with two cells or
 * more, up to settings.select_rounds. */
static int round_runs(const relnas_search_settings *s, int r, int size)
{
    return r < s->select_rounds && (r == 0 || size >= 2);
}

int relnas_selection_rounds(const relnas_search_state *st)
{
    int rounds = 0;
    const relnas_search_settings *s = &st->settings;
    for (int size = first_round_size(st); round_runs(s, rounds, size); size = relnas_selection_next_round_size(s, size))
        ++rounds;
    return rounds;
}

int relnas_selection_batches(const relnas_search_settings *s, int round)
{
    return s->select_batches << round;
}

int relnas_selection_valid_batches(const relnas_search_settings *s, int nvalid, int round)
{
    int whole = nvalid / s->batch;
    if (s->select_valid_batches <= 0) return whole;
    long v = (long)s->select_valid_batches << round;
    return v < whole ? (int)v : whole;
}

double relnas_selection_cell_work(const relnas_search_settings *s, int nvalid, int round)
{
    return relnas_selection_batches(s, round) + relnas_selection_valid_batches(s, nvalid, round) / 3.0;
}

/* Round 0's size before the selection begins: the archive as it may grow (every slow
 * learner of the generations left makes a new cell), or the population. */
static int expected_first_round(const relnas_search_state *st)
{
    const relnas_search_settings *s = &st->settings;
    if (!s->select_all_cells) return s->population;
    int updates_left = s->generations - 1 - st->generation;
    return st->archive.count + (updates_left > 0 ? updates_left * s->population / 2 : 0);
}

double relnas_selection_work_left(const relnas_search_state *st, int nvalid)
{
    const relnas_search_settings *s = &st->settings;
    if (s->select_batches <= 0) return 0;
    int begun = st->alone != NULL, size = begun ? first_round_size(st) : expected_first_round(st);
    int round = begun ? st->select_round : 0, done = begun ? st->selected : 0;
    double work = 0;
    for (int r = 0; round_runs(s, r, size); ++r, size = relnas_selection_next_round_size(s, size))
        if (r >= round) work += (size - (r == round ? done : 0)) * relnas_selection_cell_work(s, nvalid, r);
    return work;
}
