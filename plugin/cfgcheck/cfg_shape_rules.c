/* What every rule file shares: the section table lookup and the shape helpers. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "cfg_sections.h"

const relnas_cfg_rule *relnas_cfg_find_rule(const char *type)
{
    const relnas_cfg_rule *const tables[] = {relnas_cfg_layer_rules, relnas_cfg_link_rules, relnas_cfg_head_rules};
    for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); ++t)
        for (const relnas_cfg_rule *r = tables[t]; r->name; ++r)
            if (strcmp(r->name, type) == 0 || (r->alias && strcmp(r->alias, type) == 0)) return r;
    return NULL;
}

int relnas_cfg_image_input(relnas_cfg_ctx *c)
{
    if (!c->in.known) return 0;
    if (c->in.h > 0 && c->in.w > 0 && c->in.c > 0) return 1;
    relnas_cfg_fail(c, NULL, "expected an image input (height x width x channels) from the layer before, "
                    "found a flat vector of %lld values", c->in.outputs);
    return 0;
}

void relnas_cfg_set_out(relnas_cfg_ctx *c, int h, int w, int ch)
{
    c->out = (relnas_cfg_shape){.h = h, .w = w, .c = ch, .outputs = (long long)h * w * ch, .known = 1};
}

void relnas_cfg_set_flat(relnas_cfg_ctx *c, long long n)
{
    c->out = (relnas_cfg_shape){.outputs = n, .known = 1};
}

void relnas_cfg_readable_file(relnas_cfg_ctx *c, const char *key)
{
    relnas_cfg_entry *e = relnas_cfg_find(c, key);
    if (!e) return;
    FILE *fp = fopen(e->value, "r");
    if (fp) fclose(fp);
    else relnas_cfg_fail(c, key, "expected a readable file (relative to the working directory), found '%.200s'", e->value);
}

int relnas_cfg_fits_int(relnas_cfg_ctx *c, const char *key, const char *what, long long n)
{
    if (n <= INT_MAX) return 1;
    relnas_cfg_fail(c, key, "expected at most %d %s (Darknet counts them in an int), found %lld", INT_MAX, what, n);
    return 0;
}
