#include <stdlib.h>
#include <string.h>
#include "parallel_pairs.h"
#include "binary_file.h"
#include "checkpoint.h"
#include "member.h"
#include "relnas_check.h"
#include "relnas_error.h"

static const char pairs_magic[8] = {'R', 'N', 'A', 'S', 'P', 'A', 'I', 'R'};
static const char merged_magic[8] = {'R', 'N', 'A', 'S', 'M', 'R', 'G', 'D'};
static const char members_magic[8] = {'R', 'N', 'A', 'S', 'M', 'B', 'R', 'S'};
enum { FORMAT = 1, RECORD_END = 0, RECORD_PAIR = 1, RECORD_FAILURE = 2 };

relnas_rng relnas_task_rng(uint64_t generation_seed, int task)
{
    return relnas_rng_seeded(generation_seed + 0x9e3779b97f4a7c15ull * (uint64_t)(task + 1));
}

int relnas_runs_task(const relnas_transport_info *t, int task)
{
    return task % t->size == t->rank;
}

int relnas_ranks_max(const relnas_transport_info *t, int value)
{
    return relnas_transport_max_int(value);
}

/* ---- this rank's pairs, serialized ---------------------------------------------------- */

/* The blocks of ws whose key skip (optional) has none of. */
static void put_blocks(relnas_binary_writer *w, const relnas_weight_set *ws, relnas_weight_set *skip)
{
    int n = 0;
    for (int i = 0; i < ws->count; ++i) n += !skip || !relnas_weight_set_find(skip, ws->blocks[i].key);
    relnas_binary_put_i32(w, n);
    for (int i = 0; i < ws->count; ++i)
        if (!skip || !relnas_weight_set_find(skip, ws->blocks[i].key)) relnas_weight_set_put_block(w, &ws->blocks[i]);
}

void relnas_pair_exchange_begin(relnas_pair_exchange *ex, const relnas_transport_info *t, int npairs)
{
    memset(ex, 0, sizeof(*ex));
    ex->t = *t, ex->npairs = npairs;
    ex->writer = RELNAS_CALLOC(1, sizeof(*ex->writer));
    relnas_binary_create_memory(ex->writer, pairs_magic, FORMAT);
}

void relnas_pair_exchange_add(relnas_pair_exchange *ex, int p, const relnas_pair_result *r,
                              const relnas_weight_set *fresh, relnas_weight_set *merged)
{
    relnas_binary_put_i32(ex->writer, RECORD_PAIR);
    relnas_binary_put_i32(ex->writer, p);
    relnas_pair_result_put(ex->writer, r);
    put_blocks(ex->writer, fresh, merged); /* a fresh block the merge rewrote travels once */
    put_blocks(ex->writer, merged, NULL);
}

void relnas_pair_exchange_fail(relnas_pair_exchange *ex, int status, const char *message)
{
    relnas_binary_put_i32(ex->writer, RECORD_FAILURE);
    relnas_binary_put_i32(ex->writer, status);
    char text[1024] = "";
    snprintf(text, sizeof(text), "rank %d: %s", ex->t.rank, message ? message : "");
    relnas_binary_put(ex->writer, text, sizeof(text));
}

/* ---- on rank 0: every rank's pairs, applied in pair order ------------------------------ */

typedef struct received_pair {
    int present;
    relnas_pair_result result;
    relnas_weight_set fresh, merged;
} received_pair;

/* Appends the blocks the reader holds to ws. NULL, or what is wrong. */
static const char *get_blocks(relnas_binary_reader *r, relnas_weight_set *ws)
{
    int32_t n = relnas_binary_get_i32(r);
    if (r->failed || n < 0) return "a bad block count";
    for (int i = 0; i < n; ++i) {
        relnas_param_block b;
        const char *problem = relnas_weight_set_get_block(r, &b);
        if (problem) return problem;
        relnas_weight_set_put(ws, &b, 1);
        free(b.weights), free(b.biases), free(b.scales), free(b.rolling_mean), free(b.rolling_variance);
    }
    return NULL;
}

/* Reads one rank's records into pairs[]; a failure record sets *status and message. */
static const char *read_rank(const void *bytes, size_t size, received_pair *pairs, int npairs, int *status,
                             char *message, size_t msglen)
{
    relnas_binary_reader r;
    char err[256];
    if (relnas_binary_open_memory(&r, bytes, size, "a rank's pairs", pairs_magic, FORMAT, err, sizeof(err)))
        return "a damaged message";
    const char *problem = NULL;
    for (int32_t kind; !problem && (kind = relnas_binary_get_i32(&r)) != RECORD_END;) {
        if (r.failed) problem = "a truncated message";
        else if (kind == RECORD_FAILURE) {
            int32_t s = relnas_binary_get_i32(&r);
            char text[1024];
            relnas_binary_get(&r, text, sizeof(text));
            text[sizeof(text) - 1] = '\0';
            if (s < *status || *status == 0) *status = s, snprintf(message, msglen, "%s", text);
        } else {
            int32_t p = relnas_binary_get_i32(&r);
            if (kind != RECORD_PAIR || p < 0 || p >= npairs || pairs[p].present) problem = "a bad pair record";
            else {
                pairs[p].present = 1;
                relnas_pair_result_get(&r, &pairs[p].result);
                problem = get_blocks(&r, &pairs[p].fresh);
                if (!problem) problem = get_blocks(&r, &pairs[p].merged);
            }
        }
    }
    if (!problem && r.failed) problem = "a truncated message";
    relnas_binary_close(&r);
    return problem;
}

/* Applies the pairs in order to ws; the blocks they changed, with their final values, go
 * to changed. */
static void apply_in_order(received_pair *pairs, int npairs, relnas_weight_set *ws, relnas_weight_set *changed)
{
    for (int p = 0; p < npairs; ++p) {
        for (int i = 0; i < pairs[p].fresh.count; ++i) relnas_weight_set_put(ws, &pairs[p].fresh.blocks[i], 0);
        for (int i = 0; i < pairs[p].merged.count; ++i) relnas_weight_set_put(ws, &pairs[p].merged.blocks[i], 1);
    }
    for (int p = 0; p < npairs; ++p)
        for (int k = 0; k < 2; ++k) {
            const relnas_weight_set *from = k ? &pairs[p].merged : &pairs[p].fresh;
            for (int i = 0; i < from->count; ++i)
                relnas_weight_set_put(changed, relnas_weight_set_find(ws, from->blocks[i].key), 1);
        }
}

/* Rank 0's answer: status, message, then (status 0) every pair's figures and the changed
 * blocks. */
static void write_answer(int status, const char *message, received_pair *pairs, int npairs,
                         const relnas_weight_set *changed, void **bytes, size_t *size)
{
    relnas_binary_writer w;
    relnas_binary_create_memory(&w, merged_magic, FORMAT);
    char text[1024] = "";
    snprintf(text, sizeof(text), "%s", message);
    relnas_binary_put_i32(&w, status);
    relnas_binary_put(&w, text, sizeof(text));
    if (status == 0) {
        for (int p = 0; p < npairs; ++p) relnas_pair_result_put(&w, &pairs[p].result);
        put_blocks(&w, changed, NULL);
    }
    relnas_binary_commit_memory(&w, bytes, size);
}

static void free_pairs(received_pair *pairs, int npairs)
{
    for (int p = 0; p < npairs; ++p) relnas_weight_set_free(&pairs[p].fresh), relnas_weight_set_free(&pairs[p].merged);
    free(pairs);
}

/* On rank 0: reads every rank's records, applies them, and writes the answer. */
static void merge_on_root(relnas_pair_exchange *ex, const unsigned char *all, const size_t *sizes,
                          relnas_weight_set *ws, void **answer, size_t *answer_size)
{
    received_pair *pairs = RELNAS_CALLOC((size_t)ex->npairs, sizeof(*pairs));
    int status = 0;
    char message[1024] = "";
    size_t offset = 0;
    for (int r = 0; r < ex->t.size; ++r) {
        const char *problem = read_rank(all + offset, sizes[r], pairs, ex->npairs, &status, message, sizeof(message));
        if (problem) status = -1, snprintf(message, sizeof(message), "rank %d sent %s", r, problem);
        offset += sizes[r];
    }
    for (int p = 0; status == 0 && p < ex->npairs; ++p)
        if (!pairs[p].present) status = -1, snprintf(message, sizeof(message), "no rank trained pair %d", p + 1);
    relnas_weight_set changed = {0};
    if (status == 0) apply_in_order(pairs, ex->npairs, ws, &changed);
    write_answer(status, message, pairs, ex->npairs, &changed, answer, answer_size);
    relnas_weight_set_free(&changed);
    free_pairs(pairs, ex->npairs);
}

/* On every other rank: rank 0's answer into ws and results. */
static int read_answer(const void *bytes, size_t size, int npairs, relnas_weight_set *ws,
                       relnas_pair_result *results, char *err, size_t errlen)
{
    relnas_binary_reader r;
    if (relnas_binary_open_memory(&r, bytes, size, "rank 0's merge", merged_magic, FORMAT, err, errlen)) return -1;
    int status = relnas_binary_get_i32(&r);
    char text[1024];
    relnas_binary_get(&r, text, sizeof(text));
    text[sizeof(text) - 1] = '\0';
    const char *problem = NULL;
    if (status == 0) {
        for (int p = 0; p < npairs; ++p) relnas_pair_result_get(&r, &results[p]);
        problem = get_blocks(&r, ws);
    }
    if (!problem && r.failed) problem = "a truncated message";
    relnas_binary_close(&r);
    if (problem) return relnas_errorf(err, errlen, "rank 0's merge: %s", problem);
    if (status == -1) return relnas_errorf(err, errlen, "%s", text);
    return status;
}

int relnas_pair_exchange_finish(relnas_pair_exchange *ex, relnas_weight_set *ws, relnas_pair_result *results,
                                relnas_exchange_bytes *bytes, char *err, size_t errlen)
{
    relnas_binary_put_i32(ex->writer, RECORD_END);
    void *mine, *all, *answer = NULL;
    size_t mine_size, answer_size = 0;
    relnas_binary_commit_memory(ex->writer, &mine, &mine_size);
    free(ex->writer), ex->writer = NULL;
    size_t *sizes = RELNAS_CALLOC((size_t)ex->t.size, sizeof(size_t));
    relnas_transport_gather(mine, mine_size, 0, &all, sizes);
    free(mine);
    size_t total = 0;
    for (int r = 0; ex->t.rank == 0 && r < ex->t.size; ++r) total += sizes[r];
    if (ex->t.rank == 0) merge_on_root(ex, all, sizes, ws, &answer, &answer_size);
    uint64_t n = answer_size;
    relnas_transport_bcast(&n, sizeof(n), 0);
    if (ex->t.rank != 0) answer = RELNAS_CALLOC((size_t)n ? (size_t)n : 1, 1);
    relnas_transport_bcast(answer, (size_t)n, 0);
    /* rank 0 reads its own answer too: the figures reach every rank the same way */
    relnas_weight_set none = {0};
    int rc = read_answer(answer, (size_t)n, ex->npairs, ex->t.rank == 0 ? &none : ws, results, err, errlen);
    relnas_weight_set_free(&none);
    if (bytes && ex->t.rank == 0)
        *bytes = (relnas_exchange_bytes){total, (size_t)n, total - sizes[0] + (size_t)(ex->t.size - 1) * (size_t)n,
                                         (size_t)(ex->t.size - 1) * total};
    free(answer), free(all), free(sizes);
    return rc;
}

/* ---- scores and whole states ------------------------------------------------------------ */

/* members[0..n) in the codec, and back. */
static void put_members(const relnas_member *members, int n, void **bytes, size_t *size)
{
    relnas_binary_writer w;
    relnas_binary_create_memory(&w, members_magic, FORMAT);
    for (int i = 0; i < n; ++i) relnas_member_put(&w, &members[i]);
    relnas_binary_commit_memory(&w, bytes, size);
}

static void get_members(const void *bytes, size_t size, relnas_member *members, int n)
{
    relnas_binary_reader r;
    char err[256];
    RELNAS_ASSERT(relnas_binary_open_memory(&r, bytes, size, "members", members_magic, FORMAT, err, sizeof(err)) == 0);
    for (int i = 0; i < n; ++i) relnas_member_get(&r, &members[i]);
    RELNAS_ASSERT(!r.failed);
    relnas_binary_close(&r);
}

void relnas_share_members(const relnas_transport_info *t, relnas_member *members, int n)
{
    void *mine, *all, *answer = NULL;
    size_t size, *sizes = RELNAS_CALLOC((size_t)t->size, sizeof(size_t)), answer_size = 0;
    put_members(members, n, &mine, &size);
    relnas_transport_gather(mine, size, 0, &all, sizes);
    if (t->rank == 0) {
        relnas_member *theirs = RELNAS_CALLOC((size_t)n, sizeof(*theirs));
        for (int r = 0; r < t->size; ++r) { /* every rank's records are the same size */
            get_members((const char *)all + size * (size_t)r, size, theirs, n);
            for (int i = r; i < n; i += t->size) members[i] = theirs[i];
        }
        free(theirs);
        put_members(members, n, &answer, &answer_size);
    } else answer = RELNAS_CALLOC(size, 1);
    relnas_transport_bcast(answer, size, 0);
    get_members(answer, size, members, n);
    free(mine), free(all), free(sizes), free(answer);
}

int relnas_share_state(const relnas_transport_info *t, relnas_search_state *st, char *err, size_t errlen)
{
    if (t->size == 1) return 0;
    void *bytes = NULL;
    size_t size = 0;
    if (t->rank == 0) relnas_checkpoint_to_memory(st, &bytes, &size);
    uint64_t n = size;
    relnas_transport_bcast(&n, sizeof(n), 0);
    if (t->rank != 0) bytes = RELNAS_CALLOC((size_t)n ? (size_t)n : 1, 1);
    relnas_transport_bcast(bytes, (size_t)n, 0);
    int rc = 0;
    if (t->rank != 0) {
        relnas_search_state_free(st);
        rc = relnas_checkpoint_from_memory(bytes, (size_t)n, "rank 0's state", st, err, errlen);
    }
    free(bytes);
    return rc;
}
