/* The search's settings table (search_settings.h) and the faces it drives. */
#include <math.h>
#include <string.h>
#include "search_settings.h"
#include "relnas_error.h"

#define FIELD(f) offsetof(relnas_search_settings, f)
/* One default for every profile. */
#define ALL(v) {v, v, v}

/* Every profile shares the paper's optimiser, schedule and split (docs/design.md, "The
 * search"); a selection by training alone uses the DARTS family's evaluation rate and cutout,
 * as `relnas train` does with the CIFAR preset. The profiles' figures: docs/search-efficacy.md. */
const relnas_setting relnas_settings[] = {
    {.name = "population", .option = "--population", .value = "M", .type = RELNAS_SETTING_INT, .offset = FIELD(population),
     .min = 2, .max = 10000, .defaults = {20, 8, 8}, .help = "architecture vectors in the population (even)"},
    {.name = "generations", .option = "--generations", .value = "G", .type = RELNAS_SETTING_INT,
     .offset = FIELD(generations), .min = 1, .max = 100000, .defaults = {50, 4, 2}, .help = "generations of pairs"},
    {.name = "batch", .option = "--batch", .value = "B", .type = RELNAS_SETTING_INT, .offset = FIELD(batch), .min = 1,
     .max = 65536, .defaults = {256, 64, 64}, .help = "images per batch"},
    {.name = "train_batches", .option = "--train-batches", .value = "T", .type = RELNAS_SETTING_INT,
     .offset = FIELD(train_batches), .min = 0, .max = 10000000, .defaults = {0, 40, 50},
     .help = "training batches per candidate (0: one epoch of the training half)"},
    {.name = "valid_batches", .option = "--valid-batches", .value = "V", .type = RELNAS_SETTING_INT,
     .offset = FIELD(valid_batches), .min = 0, .max = 10000000, .defaults = {0, 10, 40},
     .help = "validation batches per candidate (0: the whole validation half)"},
    {.name = "C", .option = "--channels", .value = "C", .type = RELNAS_SETTING_INT, .offset = FIELD(C), .min = 2,
     .max = 4096, .defaults = {16, 8, 8}, .help = "initial channels of the search network (even)"},
    {.name = "cells", .option = "--cells", .value = "N", .type = RELNAS_SETTING_INT, .offset = FIELD(cells), .min = 3,
     .max = 100, .defaults = {8, 5, 5}, .help = "cells of the search network"},
    {.name = "lr_max", .option = "--lr-max", .value = "R", .type = RELNAS_SETTING_REAL, .offset = FIELD(lr_max),
     .min = 0, .max = 10, .defaults = ALL(0.1), .help = "learning rate of generation 1 (cosine to --lr-min)"},
    {.name = "lr_min", .option = "--lr-min", .value = "R", .type = RELNAS_SETTING_REAL, .offset = FIELD(lr_min),
     .min = 0, .max = 10, .defaults = ALL(0.001), .help = "learning rate the cosine ends at"},
    {.name = "momentum", .option = "--momentum", .value = "R", .type = RELNAS_SETTING_REAL, .offset = FIELD(momentum),
     .min = 0, .max = 0.999, .defaults = ALL(0.9), .help = "SGD momentum"},
    {.name = "decay", .option = "--decay", .value = "R", .type = RELNAS_SETTING_REAL, .offset = FIELD(decay), .min = 0,
     .max = 1, .defaults = ALL(3e-4), .help = "weight decay"},
    {.name = "clip", .option = "--clip", .value = "R", .type = RELNAS_SETTING_REAL, .offset = FIELD(clip), .min = 0,
     .max = 1e6, .defaults = ALL(5), .help = "gradient norm clipping (0: off)"},
    {.name = "drop_path", .option = "--drop-path", .value = "P", .type = RELNAS_SETTING_REAL,
     .offset = FIELD(drop_path), .min = 0, .max = 0.99, .defaults = ALL(0.3),
     .help = "drop-path probability, scaled by the search's progress"},
    {.name = "train_portion", .option = "--train-portion", .value = "P", .type = RELNAS_SETTING_REAL,
     .offset = FIELD(train_portion), .min = 0.01, .max = 0.99, .defaults = ALL(0.5),
     .help = "share of the data that trains (the rest validates)"},
    {.name = "cutout", .option = "--cutout", .value = "N", .type = RELNAS_SETTING_INT, .offset = FIELD(cutout),
     .min = 0, .max = 1024, .defaults = {16, 0, 0}, .help = "cutout side of the candidates' training (0: off)"},
    {.name = "pad", .option = "--pad", .value = "N", .type = RELNAS_SETTING_INT, .offset = FIELD(pad), .min = 0,
     .max = 1024, .defaults = ALL(4), .help = "random-crop padding (0: off)"},
    {.name = "flip", .option = "--flip", .value = "F", .type = RELNAS_SETTING_INT, .offset = FIELD(flip), .min = 0,
     .max = 1, .defaults = ALL(1), .help = "random horizontal flips (1) or none (0)"},
    {.name = "seed", .option = "--seed", .value = "S", .type = RELNAS_SETTING_SEED, .offset = FIELD(seed), .min = 0,
     .max = 2000000000, .defaults = ALL(1), .help = "the seed of the split, the population and every draw"},
    {.name = "bn_batches", .option = "--bn-batches", .value = "N", .type = RELNAS_SETTING_INT,
     .offset = FIELD(bn_batches), .min = 0, .max = 1000000, .defaults = {0, 0, 10},
     .help = "recompute each candidate's BN statistics on N training batches before scoring it (0: off, the "
             "paper's way; CPU only)"},
    {.name = "warmup_batches", .option = "--warmup-batches", .value = "N", .type = RELNAS_SETTING_INT,
     .offset = FIELD(warmup_batches), .min = 0, .max = 10000000, .defaults = ALL(0),
     .help = "train each initial member N batches into the weight set before generation 1 (0: off, the paper's "
             "way)"},
    {.name = "select_batches", .option = "--select-batches", .value = "N", .type = RELNAS_SETTING_INT,
     .offset = FIELD(select_batches), .min = 0, .max = 10000000, .defaults = {0, 0, 160},
     .help = "choose the result by training cells alone from new weights, N batches in the selection's first "
             "round, and comparing validation accuracy (0: off, the paper's way: the lowest validation loss of "
             "the last generation on the final weight set). Beyond the paper because the weight-shared losses "
             "ranked cells backwards (docs/search-efficacy.md)"},
    {.name = "select_valid_batches", .option = "--select-valid-batches", .value = "V", .type = RELNAS_SETTING_INT,
     .offset = FIELD(select_valid_batches), .min = 0, .max = 10000000, .defaults = {0, 0, 160},
     .help = "validation batches that score each cell in the selection's first round, doubled in each round, at "
             "most the whole validation half (0: the whole validation half). The selection's own, because a "
             "score on a few thousand images is as noisy as the differences it judges"},
    {.name = "select_rounds", .option = "--select-rounds", .value = "R", .type = RELNAS_SETTING_INT,
     .offset = FIELD(select_rounds), .min = 1, .max = 20, .defaults = {1, 1, 2},
     .help = "successive halving: round r (from 0) trains each surviving cell for N*2^r batches, scores it on "
             "V*2^r validation batches and keeps the most accurate 1/K (--select-keep); the last round's most "
             "accurate cell is the result. More rounds spend the training on the finalists, where one short "
             "run's noise would decide (1: every cell trained once)"},
    {.name = "select_keep", .option = "--select-keep", .value = "K", .type = RELNAS_SETTING_INT,
     .offset = FIELD(select_keep), .min = 2, .max = 1000, .defaults = {2, 2, 4},
     .help = "each selection round keeps the most accurate 1/K of its cells, rounded up (2: halving). Keeping "
             "fewer pays for a longer first round, where short trainings ranked cells near chance "
             "(docs/search-efficacy.md, section 10.1)"},
    {.name = "select_all_cells", .option = "--select-all-cells", .value = "F", .type = RELNAS_SETTING_INT,
     .offset = FIELD(select_all_cells), .min = 0, .max = 1, .defaults = {0, 0, 1},
     .help = "1: the selection chooses among every distinct cell the search produced (the initial population "
             "and each generation's), because a good cell can leave the population when the pairs' losses "
             "misjudge it; 0: the last generation's cells only"},
    {.name = "select_lr", .option = "--select-lr", .value = "R", .type = RELNAS_SETTING_REAL,
     .offset = FIELD(select_lr), .min = 0, .max = 10, .defaults = ALL(0.025),
     .help = "learning rate of the training alone, annealed to 0 (cosine)"},
    {.name = "select_cutout", .option = "--select-cutout", .value = "N", .type = RELNAS_SETTING_INT,
     .offset = FIELD(select_cutout), .min = 0, .max = 1024, .defaults = ALL(16),
     .help = "cutout side of the training alone (0: off)"},
    {.name = "time_budget", .option = "--time-budget", .value = "T", .type = RELNAS_SETTING_DURATION,
     .offset = FIELD(time_budget), .min = 0, .max = 1e8, .defaults = ALL(0), .resumable = 1,
     .help = "wall-clock budget of the whole search (90s, 20m, 1h30m): no generation starts that would end, with "
             "the result's choice after it, past the budget at the pace so far; the result is then chosen from "
             "the population reached (none: every generation). A resumed search may be given a new one"},
    {.name = "parallel_pairs", .option = "--parallel-pairs", .type = RELNAS_SETTING_FLAG,
     .offset = FIELD(parallel_pairs), .min = 0, .max = 1, .defaults = ALL(0),
     .help = "every pair of a generation trains from the weight set of the generation's start and the merges "
             "follow in pair order, so `mpirun -np N` (a `make MPI=1` build) runs the pairs at once; a seed gives "
             "the same result for any N, one included (docs/scale.md). Off: the paper's sequential algorithm"},
};
const int relnas_nsettings = sizeof(relnas_settings) / sizeof(*relnas_settings);

const char *const relnas_profile_names[RELNAS_PROFILE_COUNT] = {"paper", "quick", "cpu"};
const char *const relnas_profile_help[RELNAS_PROFILE_COUNT] = {
    "the paper's search: a CIFAR-sized proxy, one epoch per candidate (default on a GPU)",
    "a smoke run of a few minutes on a CPU, too short to find good cells (default on a CPU)",
    "under 30 minutes on 2 CPU cores: fewer candidates, BN statistics recomputed, and the result chosen among "
    "every distinct cell the search produced, each trained alone from new weights (160 batches, then the best "
    "quarter 320), because the weight-shared losses did not rank cells",
};

const relnas_setting *relnas_setting_find(const char *name)
{
    for (int i = 0; i < relnas_nsettings; ++i)
        if (strcmp(relnas_settings[i].name, name) == 0) return &relnas_settings[i];
    return NULL;
}

double relnas_setting_get(const relnas_search_settings *s, const relnas_setting *d)
{
    const char *field = (const char *)s + d->offset;
    if (d->type == RELNAS_SETTING_REAL || d->type == RELNAS_SETTING_DURATION) return *(const double *)field;
    if (d->type == RELNAS_SETTING_SEED) return (double)*(const unsigned long long *)field;
    return *(const int *)field;
}

void relnas_setting_set(relnas_search_settings *s, const relnas_setting *d, double value)
{
    char *field = (char *)s + d->offset;
    if (d->type == RELNAS_SETTING_REAL || d->type == RELNAS_SETTING_DURATION) *(double *)field = value;
    else if (d->type == RELNAS_SETTING_SEED) *(unsigned long long *)field = (unsigned long long)value;
    else *(int *)field = (int)value;
}

int relnas_search_profile(const char *name, relnas_search_settings *s)
{
    for (int p = 0; p < RELNAS_PROFILE_COUNT; ++p)
        if (strcmp(relnas_profile_names[p], name) == 0) {
            memset(s, 0, sizeof(*s));
            for (int i = 0; i < relnas_nsettings; ++i) relnas_setting_set(s, &relnas_settings[i], relnas_settings[i].defaults[p]);
            return 0;
        }
    return -1;
}

/* A value the setting can hold: in range, and whole unless real. */
static int acceptable(const relnas_setting *d, double v)
{
    return v >= d->min && v <= d->max && (d->type == RELNAS_SETTING_REAL || v == floor(v));
}

static int refuse_value(const relnas_setting *d, double v, char *err, size_t errlen)
{
    return relnas_errorf(err, errlen, "setting '%s' (%s) is %.10g: expected %s in [%.10g, %.10g]", d->name, d->option, v,
                         d->type == RELNAS_SETTING_REAL ? "a number" : "a whole number", d->min, d->max);
}

int relnas_search_settings_check(const relnas_search_settings *s, char *err, size_t errlen)
{
    for (int i = 0; i < relnas_nsettings; ++i) {
        const relnas_setting *d = &relnas_settings[i];
        double v = relnas_setting_get(s, d);
        if (!acceptable(d, v)) return refuse_value(d, v, err, errlen);
    }
    if (s->population % 2) return relnas_errorf(err, errlen, "population (--population) must be even, got %d", s->population);
    if (s->C % 2) return relnas_errorf(err, errlen, "C (--channels) must be even, got %d", s->C);
    if ((double)s->select_batches * pow(2, s->select_rounds - 1) > 1e7)
        return relnas_errorf(err, errlen, "selection: %d batches doubled over %d rounds (--select-rounds) is more than "
                             "10000000 batches in the last round", s->select_batches, s->select_rounds);
    if (s->select_batches > 0 && !(s->select_lr > 0))
        return relnas_errorf(err, errlen, "selection: %d batches at rate %g (want batches >= 0, a rate > 0)",
                             s->select_batches, s->select_lr);
    return 0;
}

/* A value as the settings line, --help and the README show it. */
static void format_value(char *buf, size_t len, const relnas_setting *d, double v)
{
    if (d->type == RELNAS_SETTING_REAL) snprintf(buf, len, "%g", v);
    else if (d->type == RELNAS_SETTING_FLAG) snprintf(buf, len, "%s", v ? "on" : "off");
    else if (d->type != RELNAS_SETTING_DURATION) snprintf(buf, len, "%.0f", v);
    else if (v == 0) snprintf(buf, len, "none");
    else if (v >= 3600) snprintf(buf, len, "%dh%02dm", (int)v / 3600, (int)v / 60 % 60);
    else snprintf(buf, len, "%dm%02ds", (int)v / 60, (int)v % 60);
}

static void print_value(FILE *out, const relnas_setting *d, double v)
{
    char text[64];
    format_value(text, sizeof(text), d, v);
    fputs(text, out);
}

void relnas_search_settings_print(FILE *out, const relnas_search_settings *s)
{
    for (int i = 0; i < relnas_nsettings; ++i) {
        fprintf(out, "%s%s ", i ? ", " : "", relnas_settings[i].name);
        print_value(out, &relnas_settings[i], relnas_setting_get(s, &relnas_settings[i]));
    }
}

/* Prints text at `column` (the cursor's), its later lines from `indent`, wrapped before
 * `width`. */
static void print_wrapped(FILE *out, const char *text, int column, int indent, int width)
{
    int line_start = 1;
    while (*text) {
        const char *word = text + strspn(text, " ");
        int n = (int)strcspn(word, " ");
        if (!line_start && column + 1 + n > width) fprintf(out, "\n%*s", indent, ""), column = indent, line_start = 1;
        if (!line_start) fputc(' ', out), ++column;
        fwrite(word, 1, (size_t)n, out);
        column += n, text = word + n, line_start = 0;
    }
    fputc('\n', out);
}

/* "paper 20, quick 8, cpu 8", or the one value all profiles share. */
static void print_defaults(char *buf, size_t len, const relnas_setting *d)
{
    double v0 = d->defaults[0];
    int same = 1;
    for (int p = 1; p < RELNAS_PROFILE_COUNT; ++p) same = same && d->defaults[p] == v0;
    size_t used = 0;
    for (int p = 0; p < (same ? 1 : RELNAS_PROFILE_COUNT) && used < len; ++p) {
        char value[64];
        format_value(value, sizeof(value), d, d->defaults[p]);
        used += (size_t)snprintf(buf + used, len - used, "%s%s%s%s", p ? ", " : "", same ? "" : relnas_profile_names[p],
                                 same ? "" : " ", value);
    }
}

void relnas_search_settings_usage(FILE *out)
{
    char text[1024], defaults[128];
    for (int i = 0; i < relnas_nsettings; ++i) {
        const relnas_setting *d = &relnas_settings[i];
        int column = fprintf(out, "  %s%s%s", d->option, d->value ? " " : "", d->value ? d->value : "");
        if (column >= 23) fprintf(out, "\n"), column = 0; /* an option too long for its column: help below */
        fprintf(out, "%*s", 24 - column, ""), column = 24;
        print_defaults(defaults, sizeof(defaults), d);
        if (d->type == RELNAS_SETTING_FLAG) snprintf(text, sizeof(text), "%s", d->help);
        else snprintf(text, sizeof(text), "%s [%s]", d->help, defaults);
        print_wrapped(out, text, column, 24, 98);
    }
}

void relnas_search_profiles_usage(FILE *out)
{
    for (int p = 0; p < RELNAS_PROFILE_COUNT; ++p) {
        int column = fprintf(out, "%26s%-7s", "", relnas_profile_names[p]);
        print_wrapped(out, relnas_profile_help[p], column, 33, 98);
    }
}

void relnas_search_settings_markdown(FILE *out)
{
    fprintf(out, "| option | meaning |");
    for (int p = 0; p < RELNAS_PROFILE_COUNT; ++p) fprintf(out, " %s |", relnas_profile_names[p]);
    fprintf(out, "\n|---|---|");
    for (int p = 0; p < RELNAS_PROFILE_COUNT; ++p) fprintf(out, "---|");
    fputc('\n', out);
    for (int i = 0; i < relnas_nsettings; ++i) {
        const relnas_setting *d = &relnas_settings[i];
        fprintf(out, "| `%s%s%s` | %s |", d->option, d->value ? " " : "", d->value ? d->value : "", d->help);
        for (int p = 0; p < RELNAS_PROFILE_COUNT; ++p) {
            fputc(' ', out);
            print_value(out, d, d->defaults[p]);
            fputs(" |", out);
        }
        fputc('\n', out);
    }
}

enum { NAME_BYTES = 32 };

void relnas_search_settings_put(relnas_binary_writer *w, const relnas_search_settings *s)
{
    relnas_binary_put_i32(w, relnas_nsettings);
    for (int i = 0; i < relnas_nsettings; ++i) {
        const relnas_setting *d = &relnas_settings[i];
        char name[NAME_BYTES] = "";
        snprintf(name, sizeof(name), "%s", d->name);
        relnas_binary_put(w, name, sizeof(name));
        relnas_binary_put_i32(w, d->type);
        relnas_binary_put_f64(w, relnas_setting_get(s, d));
    }
}

int relnas_search_settings_get(relnas_binary_reader *r, relnas_search_settings *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    int32_t n = relnas_binary_get_i32(r);
    if (r->failed || n < 0 || n > 1000) return relnas_errorf(err, errlen, "bad count of settings");
    char seen[sizeof(relnas_settings) / sizeof(*relnas_settings)] = {0};
    for (int k = 0; k < n; ++k) {
        char name[NAME_BYTES];
        relnas_binary_get(r, name, sizeof(name));
        name[sizeof(name) - 1] = '\0';
        int32_t type = relnas_binary_get_i32(r);
        double v = relnas_binary_get_f64(r);
        if (r->failed) return relnas_errorf(err, errlen, "truncated settings");
        const relnas_setting *d = relnas_setting_find(name);
        if (!d) return relnas_errorf(err, errlen, "setting '%s' is unknown to this build", name);
        if ((int)d->type != type || seen[d - relnas_settings]++)
            return relnas_errorf(err, errlen, "setting '%s' of another type or twice", name);
        if (!acceptable(d, v)) return refuse_value(d, v, err, errlen);
        relnas_setting_set(s, d, v);
    }
    for (int i = 0; i < relnas_nsettings; ++i)
        if (!seen[i]) return relnas_errorf(err, errlen, "setting '%s' is missing", relnas_settings[i].name);
    return 0;
}
