/* The search's settings and the one table that describes them: every setting's name, type,
 * range, default in each profile, help text and whether a resumed search may change it.
 * The table drives the command line's options and --help, the settings line of the log, the
 * checkpoint (settings by name) and the README's table of options (`darknet relnas search
 * --options-table`, checked by tests/search/test_search_settings.sh). Adding a setting is a
 * field here, a row in search_settings.c, and its use (CONTRIBUTING.md). */
#ifndef RELNAS_SEARCH_SETTINGS_H
#define RELNAS_SEARCH_SETTINGS_H

#include <stddef.h>
#include <stdio.h>
#include "binary_file.h"

typedef struct relnas_search_settings {
    int population, generations;
    int batch, train_batches, valid_batches; /* per candidate; 0: one epoch / the whole half */
    int C, cells;
    double lr_max, lr_min;     /* cosine over the generations */
    double momentum, decay, clip, drop_path, train_portion;
    int cutout, pad, flip;
    unsigned long long seed;
    int bn_batches, warmup_batches;          /* beyond the paper: see their help rows */
    int select_batches, select_valid_batches, select_rounds, select_keep, select_all_cells, select_cutout;
    double select_lr;
    double time_budget;        /* seconds, 0: none */
    int parallel_pairs;
} relnas_search_settings;

typedef enum relnas_setting_type {
    RELNAS_SETTING_INT,
    RELNAS_SETTING_REAL,
    RELNAS_SETTING_SEED, /* unsigned long long */
    RELNAS_SETTING_FLAG, /* int 0/1, an option without a value */
    RELNAS_SETTING_DURATION, /* double seconds, written 20m, 1h30m, 90s */
} relnas_setting_type;

typedef enum relnas_profile {
    RELNAS_PROFILE_PAPER,
    RELNAS_PROFILE_QUICK,
    RELNAS_PROFILE_CPU,
    RELNAS_PROFILE_COUNT
} relnas_profile;

typedef struct relnas_setting {
    const char *name;     /* the field's name: the checkpoint's key and the settings line's word */
    const char *option;   /* on the command line */
    const char *value;    /* the option's value in --help (NULL for a flag) */
    relnas_setting_type type;
    size_t offset;        /* in relnas_search_settings */
    double min, max;      /* accepted range (both ends included) */
    double defaults[RELNAS_PROFILE_COUNT];
    int resumable;        /* 1: --resume may give a new value (0: the checkpoint's stands) */
    const char *help;
} relnas_setting;

extern const relnas_setting relnas_settings[];
extern const int relnas_nsettings;

/* The profiles' names and one line on each, in relnas_profile order. */
extern const char *const relnas_profile_names[RELNAS_PROFILE_COUNT];
extern const char *const relnas_profile_help[RELNAS_PROFILE_COUNT];

/* The setting called name, or NULL. */
const relnas_setting *relnas_setting_find(const char *name);

/* A setting's value as a double (exact for every accepted value), and back. */
double relnas_setting_get(const relnas_search_settings *s, const relnas_setting *d);
void relnas_setting_set(relnas_search_settings *s, const relnas_setting *d, double value);

/* The settings of profile `name`. Returns 0, or -1 if there is no such profile. */
int relnas_search_profile(const char *name, relnas_search_settings *s);

/* The rules between settings and the table's ranges. Returns 0, or -1 with a message
 * naming the setting. */
int relnas_search_settings_check(const relnas_search_settings *s, char *err, size_t errlen);

/* "population 8, generations 4, ...": every setting by name, in table order. */
void relnas_search_settings_print(FILE *out, const relnas_search_settings *s);

/* The options, each with its defaults in brackets, for --help. */
void relnas_search_settings_usage(FILE *out);

/* The profiles, one paragraph each, for --help. */
void relnas_search_profiles_usage(FILE *out);

/* The options as a Markdown table (option, meaning, one column per profile). */
void relnas_search_settings_markdown(FILE *out);

/* In a checkpoint: the number of settings, then each as its name, type and value. Reading
 * refuses a name this build does not know or a setting missing (a checkpoint of another
 * build) and values out of range. Returns 0, or -1 with a message. */
void relnas_search_settings_put(relnas_binary_writer *w, const relnas_search_settings *s);
int relnas_search_settings_get(relnas_binary_reader *r, relnas_search_settings *s, char *err, size_t errlen);

#endif
