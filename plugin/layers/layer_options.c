#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "layer_options.h"
#include "option_list.h"
#include "relnas_error.h"

int relnas_opt_int(list *options, const char *key, int def, int lo, int hi, int *out, char *err, size_t errlen)
{
    char *text = option_find(options, (char *)key);
    if (!text) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno)
        return relnas_errorf(err, errlen, "%s: expected an integer, found '%s'", key, text);
    if (v < lo || v > hi)
        return relnas_errorf(err, errlen, "%s: expected an integer in [%d, %d], found %ld", key, lo, hi, v);
    *out = (int)v;
    return 0;
}

int relnas_opt_float(list *options, const char *key, float def, float lo, float hi, float *out,
                     char *err, size_t errlen)
{
    char *text = option_find(options, (char *)key);
    if (!text) {
        *out = def;
        return 0;
    }
    char *end;
    errno = 0;
    float v = strtof(text, &end);
    if (end == text || *end || errno)
        return relnas_errorf(err, errlen, "%s: expected a number, found '%s'", key, text);
    if (!(v >= lo && v < hi))
        return relnas_errorf(err, errlen, "%s: expected a number in [%g, %g), found %g", key, lo, hi, v);
    *out = v;
    return 0;
}

int relnas_opt_word(list *options, const char *key, const char *const *choices, int *out,
                    char *err, size_t errlen)
{
    char *text = option_find(options, (char *)key);
    *out = 0;
    if (!text) return 0;
    for (int i = 0; choices[i]; ++i)
        if (strcmp(choices[i], text) == 0) {
            *out = i;
            return 0;
        }
    char allowed[256] = "";
    for (int i = 0; choices[i]; ++i) {
        if (i) strncat(allowed, ", ", sizeof(allowed) - strlen(allowed) - 1);
        strncat(allowed, choices[i], sizeof(allowed) - strlen(allowed) - 1);
    }
    return relnas_errorf(err, errlen, "%s: expected one of %s, found '%s'", key, allowed, text);
}

int relnas_opt_input(list *options, size_params params, int *from, int *h, int *w, int *c,
                     char *err, size_t errlen)
{
    int rel;
    if (relnas_opt_int(options, "input", -1, -1000000, 1000000, &rel, err, errlen)) return -1;
    int index = rel < 0 ? params.index + rel : rel;
    if (index >= params.index)
        return relnas_errorf(err, errlen, "input: expected an earlier layer, found %d (this is layer %d)",
                           rel, params.index);
    if (index < -1)
        return relnas_errorf(err, errlen, "input: expected a layer, found %d, before the network input", rel);
    /* Darknet hands each layer the previous layer's output as net.input: only the first
     * layer sees the network's input there. */
    if (index < 0 && params.index > 0)
        return relnas_errorf(err, errlen, "input: expected an earlier layer, found %d, the network input, which only layer 0 "
                                "can read (make the first layer read it and name that layer)", rel);
    *from = index;
    if (index < 0) {
        *h = params.net->h;
        *w = params.net->w;
        *c = params.net->c;
        return 0;
    }
    layer src = params.net->layers[index];
    *h = src.out_h;
    *w = src.out_w;
    *c = src.out_c;
    return 0;
}

void relnas_options_free(list *options, int keys_owned)
{
    for (node *n = options->front; n; n = n->next) {
        if (keys_owned) free(((kvp *)n->val)->key);
        free(n->val);
    }
    free_list(options);
}
