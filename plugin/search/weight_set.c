#include <stdlib.h>
#include <string.h>
#include "weight_set.h"
#include "connected_layer.h"
#include "convolutional_layer.h"
#include "cuda.h"
#include "layer_params.h"
#include "network_params.h"
#include "relnas_check.h"

int relnas_same_layer_key(relnas_layer_key a, relnas_layer_key b)
{
    return a.kind == b.kind && a.cell == b.cell && a.slot == b.slot && (a.kind != RELNAS_KEY_OP || a.op == b.op);
}

relnas_param_block *relnas_weight_set_find(relnas_weight_set *ws, relnas_layer_key key)
{
    for (int i = 0; i < ws->count; ++i)
        if (relnas_same_layer_key(ws->blocks[i].key, key)) return &ws->blocks[i];
    return NULL;
}

static float *copy_of(const float *src, int n)
{
    if (!src) return NULL;
    float *dst = RELNAS_CALLOC((size_t)n, sizeof(float));
    memcpy(dst, src, sizeof(float) * (size_t)n);
    return dst;
}

static relnas_param_block *add_block(relnas_weight_set *ws, relnas_layer_key key, relnas_layer_params p)
{
    if (ws->count == ws->capacity) {
        ws->capacity = ws->capacity ? 2 * ws->capacity : 64;
        ws->blocks = realloc(ws->blocks, sizeof(*ws->blocks) * (size_t)ws->capacity);
        RELNAS_ASSERT(ws->blocks);
    }
    relnas_param_block *b = &ws->blocks[ws->count++];
    *b = (relnas_param_block){key, p.nweights, p.nbiases, p.has_bn, copy_of(p.weights, p.nweights),
                              copy_of(p.biases, p.nbiases), NULL, NULL, NULL};
    if (p.has_bn) {
        b->scales = copy_of(p.scales, p.nbiases);
        b->rolling_mean = copy_of(p.rolling_mean, p.nbiases);
        b->rolling_variance = copy_of(p.rolling_variance, p.nbiases);
    }
    return b;
}

static void free_block(relnas_param_block *b)
{
    free(b->weights);
    free(b->biases);
    free(b->scales);
    free(b->rolling_mean);
    free(b->rolling_variance);
}

void relnas_weight_set_free(relnas_weight_set *ws)
{
    for (int i = 0; i < ws->count; ++i) free_block(&ws->blocks[i]);
    free(ws->blocks);
    memset(ws, 0, sizeof(*ws));
}

/* Copies n floats when both ends exist. */
static void copy(float *dst, const float *src, int n)
{
    if (dst && src) memcpy(dst, src, sizeof(float) * (size_t)n);
}

static void block_to_layer(const relnas_param_block *b, relnas_layer_params p)
{
    RELNAS_ASSERT(b->nweights == p.nweights && b->nbiases == p.nbiases && b->has_bn == p.has_bn);
    copy(p.weights, b->weights, p.nweights);
    copy(p.biases, b->biases, p.nbiases);
    copy(p.scales, b->scales, p.nbiases);
    copy(p.rolling_mean, b->rolling_mean, p.nbiases);
    copy(p.rolling_variance, b->rolling_variance, p.nbiases);
}

static void layer_to_block(relnas_param_block *b, relnas_layer_params p)
{
    RELNAS_ASSERT(b->nweights == p.nweights && b->nbiases == p.nbiases && b->has_bn == p.has_bn);
    copy(b->weights, p.weights, p.nweights);
    copy(b->biases, p.biases, p.nbiases);
    copy(b->scales, p.scales, p.nbiases);
    copy(b->rolling_mean, p.rolling_mean, p.nbiases);
    copy(b->rolling_variance, p.rolling_variance, p.nbiases);
}

static void zero(float *x, int n)
{
    if (x) memset(x, 0, sizeof(float) * (size_t)n);
}

#ifdef GPU
/* The network's parameters between host and device, for every layer type it holds. */
static void sync_layer(layer l, int to_device)
{
    if (l.type == PLUGIN) {
        if (to_device) relnas_params_push(l);
        else relnas_params_pull(l);
    } else if (l.type == CONVOLUTIONAL) {
        if (to_device) push_convolutional_layer(l);
        else pull_convolutional_layer(l);
    } else if (l.type == CONNECTED) {
        if (to_device) push_connected_layer(l);
        else pull_connected_layer(l);
    }
}
#endif

void relnas_weight_set_load(relnas_weight_set *ws, network *net, const relnas_layer_key *keys)
{
    relnas_weight_set_load_layered(ws, ws, net, keys);
}

void relnas_weight_set_load_layered(relnas_weight_set *base, relnas_weight_set *fresh, network *net,
                                    const relnas_layer_key *keys)
{
    for (int i = 0; i < net->n; ++i) {
        if (keys[i].kind == RELNAS_KEY_NONE) continue;
        relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
        if (!p.weights) continue;
        relnas_param_block *b = relnas_weight_set_find(base, keys[i]);
        if (!b) b = relnas_weight_set_find(fresh, keys[i]);
        if (b) block_to_layer(b, p);
        else add_block(fresh, keys[i], p);
        zero(p.weight_updates, p.nweights);
        zero(p.bias_updates, p.nbiases);
        zero(p.scale_updates, p.nbiases);
#ifdef GPU
        if (net->gpu_index >= 0) sync_layer(net->layers[i], 1);
#endif
    }
}

void relnas_weight_set_put(relnas_weight_set *ws, const relnas_param_block *b, int overwrite)
{
    relnas_layer_params p = {b->nweights, b->nbiases, b->has_bn, b->weights, b->biases, b->scales,
                             b->rolling_mean, b->rolling_variance, NULL, NULL, NULL};
    relnas_param_block *mine = relnas_weight_set_find(ws, b->key);
    if (!mine) add_block(ws, b->key, p);
    else if (overwrite) layer_to_block(mine, p);
}

static int uses(const relnas_layer_key *keys, int n, relnas_layer_key key)
{
    for (int i = 0; i < n; ++i)
        if (relnas_same_layer_key(keys[i], key)) return 1;
    return 0;
}

/* Stores layer i of net into its block (made if new). */
static void store(relnas_weight_set *ws, network *net, int i, relnas_layer_key key)
{
#ifdef GPU
    if (net->gpu_index >= 0) sync_layer(net->layers[i], 0);
#endif
    relnas_layer_params p = relnas_layer_params_of(net->layers[i]);
    if (!p.weights) return;
    relnas_param_block *b = relnas_weight_set_find(ws, key);
    if (b) layer_to_block(b, p);
    else add_block(ws, key, p);
}

/* Where the block of key comes from after a pair: relnas_merge_source_for for ops, the teacher for the
 * rest. */
relnas_merge_source relnas_merge_source_for(int teacher_uses, int student_uses)
{
    if (student_uses && !teacher_uses) return RELNAS_MERGE_FROM_STUDENT;
    if (teacher_uses) return RELNAS_MERGE_FROM_TEACHER;
    return RELNAS_MERGE_KEEP;
}

static relnas_merge_source source_of(relnas_layer_key key, int teacher_uses, int student_uses)
{
    if (key.kind == RELNAS_KEY_NONE) return RELNAS_MERGE_KEEP;
    if (key.kind != RELNAS_KEY_OP) return teacher_uses ? RELNAS_MERGE_FROM_TEACHER : RELNAS_MERGE_KEEP;
    return relnas_merge_source_for(teacher_uses, student_uses);
}

void relnas_weight_set_merge(relnas_weight_set *ws, network *teacher, const relnas_layer_key *teacher_keys,
                             network *student, const relnas_layer_key *student_keys)
{
    for (int i = 0; i < teacher->n; ++i)
        if (source_of(teacher_keys[i], 1, uses(student_keys, student->n, teacher_keys[i])) == RELNAS_MERGE_FROM_TEACHER)
            store(ws, teacher, i, teacher_keys[i]);
    for (int i = 0; i < student->n; ++i)
        if (source_of(student_keys[i], uses(teacher_keys, teacher->n, student_keys[i]), 1) == RELNAS_MERGE_FROM_STUDENT)
            store(ws, student, i, student_keys[i]);
}

/* ---- the block codec ------------------------------------------------------------------ */

enum { HAS_WEIGHTS = 1, HAS_BIASES = 2, HAS_BN = 4 };

void relnas_weight_set_put_block(relnas_binary_writer *w, const relnas_param_block *b)
{
    int32_t head[8] = {b->key.kind, b->key.cell, b->key.slot, b->key.op, b->nweights, b->nbiases, b->has_bn,
                       (b->weights ? HAS_WEIGHTS : 0) | (b->biases ? HAS_BIASES : 0) | (b->scales ? HAS_BN : 0)};
    relnas_binary_put(w, head, sizeof(head));
    if (b->weights) relnas_binary_put(w, b->weights, sizeof(float) * (size_t)b->nweights);
    if (b->biases) relnas_binary_put(w, b->biases, sizeof(float) * (size_t)b->nbiases);
    if (b->scales) {
        relnas_binary_put(w, b->scales, sizeof(float) * (size_t)b->nbiases);
        relnas_binary_put(w, b->rolling_mean, sizeof(float) * (size_t)b->nbiases);
        relnas_binary_put(w, b->rolling_variance, sizeof(float) * (size_t)b->nbiases);
    }
}

static float *get_floats(relnas_binary_reader *r, int n)
{
    float *x = RELNAS_CALLOC((size_t)n, sizeof(float));
    relnas_binary_get(r, x, sizeof(float) * (size_t)n);
    return x;
}

const char *relnas_weight_set_get_block(relnas_binary_reader *r, relnas_param_block *b)
{
    int32_t h[8];
    relnas_binary_get(r, h, sizeof(h));
    if (r->failed) return "truncated weight set";
    if (h[0] < RELNAS_KEY_NONE || h[0] > RELNAS_KEY_SHARED || h[4] < 0 || h[5] < 0 || (h[6] & ~1) || (h[7] & ~7))
        return "a weight-set block with an impossible header";
    /* sizes are checked against the bytes left before anything is allocated */
    size_t need = (h[7] & HAS_WEIGHTS ? (size_t)h[4] : 0) + (h[7] & HAS_BIASES ? (size_t)h[5] : 0) +
                  (h[7] & HAS_BN ? 3 * (size_t)h[5] : 0);
    if (need > relnas_binary_left(r) / sizeof(float)) return "a weight-set block larger than the file";
    *b = (relnas_param_block){{(relnas_key_kind)h[0], h[1], h[2], h[3]}, h[4], h[5], h[6], NULL, NULL, NULL, NULL, NULL};
    if (h[7] & HAS_WEIGHTS) b->weights = get_floats(r, h[4]);
    if (h[7] & HAS_BIASES) b->biases = get_floats(r, h[5]);
    if (h[7] & HAS_BN) {
        b->scales = get_floats(r, h[5]);
        b->rolling_mean = get_floats(r, h[5]);
        b->rolling_variance = get_floats(r, h[5]);
    }
    return NULL;
}
