#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cfg_values.h"

const char *const relnas_cfg_activations[] = {
    "logistic", "loggy", "relu", "elu", "selu", "relie", "plse", "hardtan", "lhtan",
    "linear", "ramp", "leaky", "tanh", "stair", NULL,
};

static relnas_cfg_entry *first_entry(const relnas_cfg_ctx *c, const char *key)
{
    for (int i = 0; i < c->section->n; ++i)
        if (strcmp(c->section->entries[i].key, key) == 0) return &c->section->entries[i];
    return NULL;
}

relnas_cfg_where relnas_cfg_at(const relnas_cfg_ctx *c, const char *key)
{
    relnas_cfg_entry *e = key ? first_entry(c, key) : NULL;
    relnas_cfg_where at = {
        .line = e ? e->line : c->section->line,
        .section = c->section->type,
        .layer = c->layer,
        .key = key,
    };
    return at;
}

void relnas_cfg_fail(relnas_cfg_ctx *c, const char *key, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    relnas_cfg_error(c->report, relnas_cfg_at(c, key), "%s", msg);
}

relnas_cfg_entry *relnas_cfg_find(relnas_cfg_ctx *c, const char *key)
{
    relnas_cfg_entry *e = first_entry(c, key);
    if (e) e->used = 1;
    return e;
}

/* Whole-text integer; 0 on success. */
static int parse_long(const char *text, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(text, &end, 10);
    return end == text || *end || errno ? -1 : 0;
}

/* Whole-text finite real; 0 on success. */
static int parse_float(const char *text, float *v)
{
    char *end;
    errno = 0;
    *v = strtof(text, &end);
    return end == text || *end || errno || !isfinite(*v) ? -1 : 0;
}

int relnas_cfg_int(relnas_cfg_ctx *c, const char *key, int def, int lo, int hi)
{
    relnas_cfg_entry *e = relnas_cfg_find(c, key);
    if (!e) return def;
    long v;
    if (parse_long(e->value, &v) || v < lo || v > hi) {
        relnas_cfg_fail(c, key, "expected an integer in [%d, %d], found '%.60s'", lo, hi, e->value);
        return def;
    }
    return (int)v;
}

float relnas_cfg_float(relnas_cfg_ctx *c, const char *key, float def, float lo, float hi)
{
    relnas_cfg_entry *e = relnas_cfg_find(c, key);
    if (!e) return def;
    float v;
    if (parse_float(e->value, &v) || v < lo || v > hi) {
        relnas_cfg_fail(c, key, "expected a number in [%g, %g], found '%.60s'", lo, hi, e->value);
        return def;
    }
    return v;
}

int relnas_cfg_word(relnas_cfg_ctx *c, const char *key, const char *const *words, int def)
{
    relnas_cfg_entry *e = relnas_cfg_find(c, key);
    if (!e) return def;
    for (int i = 0; words[i]; ++i)
        if (strcmp(words[i], e->value) == 0) return i;
    char allowed[256] = "";
    for (int i = 0; words[i]; ++i) {
        if (i) strncat(allowed, ", ", sizeof(allowed) - strlen(allowed) - 1);
        strncat(allowed, words[i], sizeof(allowed) - strlen(allowed) - 1);
    }
    relnas_cfg_fail(c, key, "expected one of %s, found '%.60s'", allowed, e->value);
    return def;
}

/* Splits e->value at commas and parses each item with `item`; the item count or -1. */
static int parse_list(relnas_cfg_ctx *c, relnas_cfg_entry *e, int max,
                      int (*item)(const char *text, int i, void *out, const void *range),
                      void *out, const void *range, const char *what)
{
    char *copy = strdup(e->value);
    if (!copy) return -1;
    int n = 0, bad = 0;
    char *start = copy;
    for (;;) {
        char *comma = strchr(start, ',');
        if (comma) *comma = '\0';
        if (n >= max) {
            relnas_cfg_fail(c, e->key, "expected at most %d %s, found more", max, what);
            bad = 1;
            break;
        }
        if (item(start, n, out, range)) {
            relnas_cfg_fail(c, e->key, "expected a comma-separated list of %s, found '%.60s' as item %d",
                            what, start, n + 1);
            bad = 1;
            break;
        }
        ++n;
        if (!comma) break;
        start = comma + 1;
    }
    free(copy);
    return bad ? -1 : n;
}

static int int_item(const char *text, int i, void *out, const void *range)
{
    const int *r = range;
    long v;
    if (parse_long(text, &v) || v < r[0] || v > r[1]) return -1;
    ((int *)out)[i] = (int)v;
    return 0;
}

static int float_item(const char *text, int i, void *out, const void *range)
{
    const float *r = range;
    float v;
    if (parse_float(text, &v) || v < r[0] || v > r[1]) return -1;
    ((float *)out)[i] = v;
    return 0;
}

int relnas_cfg_int_list(relnas_cfg_ctx *c, const char *key, int *out, int max, int lo, int hi)
{
    relnas_cfg_entry *e = relnas_cfg_find(c, key);
    if (!e) return 0;
    const int range[2] = {lo, hi};
    char what[64];
    snprintf(what, sizeof(what), "integers in [%d, %d]", lo, hi);
    return parse_list(c, e, max, int_item, out, range, what);
}

int relnas_cfg_float_list(relnas_cfg_ctx *c, const char *key, float *out, int max, float lo, float hi)
{
    relnas_cfg_entry *e = relnas_cfg_find(c, key);
    if (!e) return 0;
    const float range[2] = {lo, hi};
    char what[64];
    snprintf(what, sizeof(what), "numbers in [%g, %g]", lo, hi);
    return parse_list(c, e, max, float_item, out, range, what);
}
