/* Reading one section's keys strictly for the cfg check: a number must parse completely
 * (`x`, `3,`, `nan`, `1e30` for an int are errors, not 0) and lie in its range; a word must
 * be one of the allowed ones. Each read marks the key as read; a problem is reported at the
 * key's line and the default is returned, so the check goes on and finds the rest. */
#ifndef RELNAS_CFG_VALUES_H
#define RELNAS_CFG_VALUES_H

#include "cfg_shape.h"
#include "cfg_report.h"
#include "cfg_text.h"


typedef struct relnas_cfg_ctx {
    relnas_cfg_report *report;
    relnas_cfg_section *section;
    int layer;                      /* -1 for [net] */
    int batch;                      /* images per forward pass, as Darknet computes it */
    int time_steps;
    relnas_cfg_shape in;            /* this layer's input (the previous layer's output) */
    const relnas_cfg_shape *layers; /* outputs of layers 0 .. layer-1 */
    relnas_cfg_section *const *layer_sections; /* their sections */
    relnas_cfg_shape out;           /* set by the section's check */
} relnas_cfg_ctx;

/* The location of `key` in this section (its first line, else the section header). */
relnas_cfg_where relnas_cfg_at(const relnas_cfg_ctx *c, const char *key);

/* An error at `key` (NULL: the section). */
void relnas_cfg_fail(relnas_cfg_ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The first entry for `key`, marked as read; NULL when absent. */
relnas_cfg_entry *relnas_cfg_find(relnas_cfg_ctx *c, const char *key);

/* An integer in [lo, hi]; def when absent or wrong. */
int relnas_cfg_int(relnas_cfg_ctx *c, const char *key, int def, int lo, int hi);

/* A finite real in [lo, hi]; def when absent or wrong. */
float relnas_cfg_float(relnas_cfg_ctx *c, const char *key, float def, float lo, float hi);

/* The index of the value among the NULL-terminated words; def when absent or wrong. */
int relnas_cfg_word(relnas_cfg_ctx *c, const char *key, const char *const *words, int def);

/* A comma-separated list of integers in [lo, hi] into out[0..max-1]: their number, 0 when
 * absent, -1 when wrong (reported). */
int relnas_cfg_int_list(relnas_cfg_ctx *c, const char *key, int *out, int max, int lo, int hi);

/* The same for finite reals in [lo, hi]. */
int relnas_cfg_float_list(relnas_cfg_ctx *c, const char *key, float *out, int max, float lo, float hi);

/* Darknet's activation names, for relnas_cfg_word. */
extern const char *const relnas_cfg_activations[];

#endif
