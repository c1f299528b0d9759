#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "cfg_check.h"
#include "cfg_sections.h"
#include "layer_registry.h"
#include "relnas_check.h"

const relnas_common_key relnas_common_keys[] = {
    {"truth", 0, 0, 0, 1},          {"onlyforward", 0, 0, 0, 1},    {"stopbackward", 0, 0, 0, 1},
    {"dontsave", 0, 0, 0, 1},       {"dontload", 0, 0, 0, 1},       {"dontloadscales", 0, 0, 0, 1},
    {"numload", 0, 0, 0, INT_MAX},  {"learning_rate", 1, 1, 0, FLT_MAX}, {"smooth", 1, 0, 0, 1},
    {NULL, 0, 0, 0, 0},
};

int relnas_is_common_key(const char *key)
{
    for (int i = 0; relnas_common_keys[i].key; ++i)
        if (strcmp(relnas_common_keys[i].key, key) == 0) return 1;
    return 0;
}

static void check_common_keys(relnas_cfg_ctx *c)
{
    for (const relnas_common_key *k = relnas_common_keys; k->key; ++k)
        if (k->real)
            relnas_cfg_float(c, k->key, (float)k->def, (float)k->lo, (float)k->hi);
        else
            relnas_cfg_int(c, k->key, (int)k->def, (int)k->lo, (int)k->hi);
}

/* Keys no check read: a repeated key (Darknet reads the first), or one the section does
 * not know (a typo would silently leave the default). Errors in plugin sections, whose
 * parser refuses both (found by fuzz_cfg). */
static void check_unread_keys(relnas_cfg_ctx *c, int plugin)
{
    relnas_cfg_section *s = c->section;
    for (int i = 0; i < s->n; ++i) {
        relnas_cfg_entry *e = &s->entries[i];
        if (e->used) continue;
        relnas_cfg_where at = {.line = e->line, .section = s->type, .layer = c->layer, .key = e->key};
        int first = -1;
        for (int j = 0; j < i && first < 0; ++j)
            if (strcmp(s->entries[j].key, e->key) == 0) first = j;
        if (first >= 0 && plugin)
            relnas_cfg_error(c->report, at, "expected each key once, found it again (line %d: '%.60s')",
                             s->entries[first].line, s->entries[first].value);
        else if (first >= 0)
            relnas_cfg_warning(c->report, at, "expected each key once, found it again (Darknet reads the "
                               "first, line %d: '%.60s')", s->entries[first].line, s->entries[first].value);
        else if (plugin)
            relnas_cfg_error(c->report, at, "expected a key this section reads, found an unknown key "
                             "(`darknet relnas layers` lists the plugin's sections)");
        else
            relnas_cfg_warning(c->report, at, "expected a key this section reads, found an unknown key "
                               "(ignored: a typo leaves the default)");
    }
}

static void unknown_section(relnas_cfg_ctx *c)
{
    for (int i = 0; i < c->section->n; ++i) c->section->entries[i].used = 1;
    relnas_cfg_fail(c, NULL, "unknown section type: expected one Darknet or the plugin knows ([convolutional], "
                    "[route], ...; `darknet relnas layers` lists the plugin's), found %.60s", c->section->type);
}

/* Every layer's batch holds batch x outputs values in an int. */
static void check_size(relnas_cfg_ctx *c)
{
    if (!c->out.known) return;
    if (c->out.outputs < 1) {
        relnas_cfg_fail(c, NULL, "expected an output of at least one value, found %lld", c->out.outputs);
        c->out.known = 0;
        return;
    }
    if (c->out.outputs * c->batch > INT_MAX) {
        relnas_cfg_fail(c, NULL, "expected batch x outputs to fit in an int (Darknet's sizes), found %d x %lld",
                        c->batch, c->out.outputs);
        c->out.known = 0;
    }
}

static void print_shape(FILE *out, const relnas_cfg_shape *s)
{
    if (!s->known) fprintf(out, "%17s", "?");
    else if (s->h && s->w && s->c) fprintf(out, "%5d x%5d x%5d", s->h, s->w, s->c);
    else fprintf(out, "%17lld", s->outputs);
}

static void print_layer(FILE *out, const relnas_cfg_ctx *c)
{
    fprintf(out, "%5d %-20s line %-6d ", c->layer, c->section->type, c->section->line);
    print_shape(out, &c->in);
    fprintf(out, " -> ");
    print_shape(out, &c->out);
    fputc('\n', out);
}

static void check_layers(relnas_cfg_text *t, relnas_cfg_ctx *c, const relnas_cfg_check_options *o)
{
    int n = t->n - 1;
    relnas_cfg_shape net_input = c->out;
    relnas_cfg_shape *outs = RELNAS_CALLOC((size_t)n, sizeof(*outs));
    relnas_cfg_section **secs = RELNAS_CALLOC((size_t)n, sizeof(*secs));
    for (int i = 0; i < n; ++i) secs[i] = &t->sections[i + 1];
    c->layers = outs;
    c->layer_sections = secs;
    FILE *shapes = o->shapes;
    if (shapes) fprintf(shapes, "layer type                 line   %17s    %17s\n", "input", "output");
    for (int i = 0; i < n; ++i) {
        c->section = secs[i];
        c->layer = i;
        c->in = i ? outs[i - 1] : net_input;
        c->out = (relnas_cfg_shape){0};
        int before = c->report->errors;
        const relnas_cfg_rule *rule = relnas_cfg_find_rule(c->section->type);
        int plugin = 0;
        if (rule) rule->check(c);
        else if (!(plugin = relnas_cfg_check_plugin(c, &net_input))) unknown_section(c);
        check_common_keys(c);
        check_unread_keys(c, plugin);
        if (c->report->errors > before) c->out.known = 0;
        check_size(c);
        outs[i] = c->out;
        if (shapes) print_layer(shapes, c);
        if (o->layer_shapes && i < o->max_layer_shapes) o->layer_shapes[i] = c->out;
    }
    /* Darknet's output is the last layer that is not a [cost] (layers[-1] when none is). */
    int only_cost = 1;
    for (int i = 0; i < n && only_cost; ++i) only_cost = strcmp(secs[i]->type, "[cost]") == 0;
    if (only_cost) {
        c->section = secs[n - 1];
        c->layer = n - 1;
        relnas_cfg_fail(c, NULL, "expected a layer other than [cost] to be the network's output, found only [cost]");
    }
    free(outs);
    free(secs);
}

static int is_net(const char *type)
{
    return strcmp(type, "[net]") == 0 || strcmp(type, "[network]") == 0;
}

/* The whole file's structure; 0 when the sections can be checked one by one. */
static int check_structure(relnas_cfg_report *r, relnas_cfg_text *t)
{
    relnas_cfg_where at = {.line = t->bad_line, .layer = -1};
    if (t->bad_line) {
        if (t->n > 0) {
            at.section = t->sections[t->n - 1].type;
            at.layer = t->n - 2;
        }
        if (t->bad_key[0]) at.key = t->bad_key;
        relnas_cfg_error(r, at, "%s", t->bad);
        return -1;
    }
    if (t->n == 0) {
        at.line = 1;
        relnas_cfg_error(r, at, "expected a [net] section and layers, found %s",
                         t->lines ? "no section" : "an empty file");
        return -1;
    }
    at.line = t->sections[0].line;
    at.section = t->sections[0].type;
    if (!is_net(t->sections[0].type)) {
        relnas_cfg_error(r, at, "expected [net] or [network] as the first section, found %.60s", t->sections[0].type);
        return -1;
    }
    if (t->n == 1) {
        relnas_cfg_error(r, at, "expected layers after [net], found none");
        return -1;
    }
    return 0;
}

int relnas_cfg_check_file(const char *path, const relnas_cfg_check_options *o,
                          relnas_cfg_check_result *result)
{
    relnas_cfg_report r = {.path = path, .out = o->problems, .strict = o->strict};
    relnas_cfg_text t;
    memset(result, 0, sizeof(*result));
    if (relnas_cfg_text_read(path, &t)) {
        relnas_cfg_error(&r, (relnas_cfg_where){.layer = -1}, "expected a readable cfg file, found: %s", strerror(errno));
    } else {
        if (check_structure(&r, &t) == 0) {
            relnas_cfg_ctx c = {.report = &r, .section = &t.sections[0], .layer = -1};
            relnas_cfg_check_net(&c);
            check_unread_keys(&c, 0);
            if (r.errors) c.out.known = 0;
            check_layers(&t, &c, o);
            result->layers = t.n - 1;
            result->batch = c.batch;
        }
        relnas_cfg_text_free(&t);
    }
    result->errors = relnas_cfg_failed(&r);
    result->warnings = r.warnings;
    return result->errors;
}
