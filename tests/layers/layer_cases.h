/* The layer configurations every layer test runs: each plugin layer type with stride 1
 * and 2, odd and even sizes, plugin layers reading plugin and Darknet layers, and a whole
 * cell whose states feed several consumers. */
#ifndef RELNAS_LAYER_CASES_H
#define RELNAS_LAYER_CASES_H

#include <stdio.h>

typedef struct layer_case {
    const char *name;
    int h, w, c;
    const char *layers; /* cfg text after [net] */
} layer_case;

static const layer_case layer_cases[] = {
    {"sep_conv 3x3 s1", 5, 5, 3, "[sep_conv]\nsize=3\nstride=1\nfilters=4\n"},
    {"sep_conv 5x5 s2 odd", 7, 7, 3, "[sep_conv]\nsize=5\nstride=2\nfilters=6\n"},
    {"sep_conv 3x3 s2 even", 6, 8, 2, "[sep_conv]\nsize=3\nstride=2\nfilters=3\n"},
    {"dil_conv 3x3 s1", 6, 6, 3, "[dil_conv]\nsize=3\nstride=1\nfilters=4\n"},
    {"dil_conv 5x5 s2 odd", 9, 9, 2, "[dil_conv]\nsize=5\nstride=2\nfilters=4\n"},
    {"relu_conv_bn", 4, 5, 3, "[relu_conv_bn]\nfilters=5\n"},
    {"avg_pool 3x3 s1", 5, 5, 2, "[avg_pool]\nsize=3\nstride=1\n"},
    {"avg_pool 3x3 s2 odd", 7, 7, 2, "[avg_pool]\nsize=3\nstride=2\n"},
    {"avg_pool 5x5 s3 relu (aux head)", 8, 8, 2, "[avg_pool]\nsize=5\nstride=3\npad=0\nactivation=relu\n"},
    {"max_pool 3x3 s1", 5, 5, 2, "[max_pool]\nsize=3\nstride=1\n"},
    {"max_pool 3x3 s2", 6, 6, 2, "[max_pool]\nsize=3\nstride=2\n"},
    {"factorized_reduce", 6, 6, 3, "[factorized_reduce]\nfilters=4\n"},
    {"factorized_reduce non-square", 4, 8, 2, "[factorized_reduce]\nfilters=6\n"},
    {"relu_conv_bn after relu_conv_bn (a plugin layer's delta)", 6, 6, 3, "[relu_conv_bn]\nfilters=4\n[relu_conv_bn]\nfilters=4\n"},
    {"sep_conv after relu_conv_bn", 6, 6, 3, "[relu_conv_bn]\nfilters=4\n[sep_conv]\nsize=3\n"},
    {"max_pool after relu_conv_bn", 6, 6, 3, "[relu_conv_bn]\nfilters=4\n[max_pool]\nsize=3\n"},
    {"relu_conv_bn after a Darknet convolution", 6, 6, 3, "[convolutional]\nfilters=4\nsize=1\nactivation=linear\n[relu_conv_bn]\nfilters=4\n"},
    {"a cell: shared states, shortcut sums, route concat", 6, 6, 3,
     "[relu_conv_bn]\nfilters=4\n"              /* 0: s0 */
     "[relu_conv_bn]\nfilters=4\ninput=0\n"     /* 1: s1 (Darknet gives only layer 0 the input) */
     "[sep_conv]\nsize=3\ninput=0\n"            /* 2 */
     "[max_pool]\nsize=3\ninput=1\n"            /* 3 */
     "[shortcut]\nfrom=2\n"                     /* 4: node 0 = 3 + 2 */
     "[dil_conv]\nsize=3\ninput=0\n"            /* 5 */
     "[shortcut]\nfrom=4\n"                     /* 6: node 1 = 5 + node 0 (skip) */
     "[avg_pool]\nsize=3\ninput=4\n"            /* 7 */
     "[sep_conv]\nsize=5\ninput=1\n"            /* 8 */
     "[shortcut]\nfrom=7\n"                     /* 9: node 2 = 8 + 7 */
     "[factorized_reduce]\nfilters=4\ninput=6\n" /* 10: reads node 1 too */
     "[route]\nlayers=4,6,9\n"},                /* 11: concat */
};

/* The case's full cfg text for a batch size. */
static inline void layer_case_cfg(const layer_case *lc, int batch, char *buf, size_t len)
{
    snprintf(buf, len, "[net]\nbatch=%d\nheight=%d\nwidth=%d\nchannels=%d\n\n%s", batch, lc->h,
             lc->w, lc->c, lc->layers);
}

#endif
