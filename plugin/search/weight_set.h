/* The RelativeNAS weight set: every parameter any candidate network has had, keyed by what
 * the layer is (relnas_layer_key: an op by cell, DAG edge and primitive; other layers by
 * place), so candidates of different genotypes load from it and merge back into it. A block
 * holds a layer's weights, biases and, with batch norm, scales and running statistics. */
#ifndef RELNAS_WEIGHT_SET_H
#define RELNAS_WEIGHT_SET_H

#include "binary_file.h"
#include "cfg_writer.h"
#include "darknet.h"

typedef struct relnas_param_block {
    relnas_layer_key key;
    int nweights, nbiases, has_bn;
    float *weights, *biases, *scales, *rolling_mean, *rolling_variance;
} relnas_param_block;

typedef struct relnas_weight_set {
    int count, capacity;
    relnas_param_block *blocks;
} relnas_weight_set;

void relnas_weight_set_free(relnas_weight_set *ws);

/* Which candidate's trained weights the weight set keeps after a pair (docs/design.md,
 * "The search"). Op weights are shared per (cell, DAG edge, op) (relnas_dag_edge in
 * genotype.h); a candidate uses (edge, op) when one of its node's two inputs is that state
 * through that op. */
typedef enum relnas_merge_source {
    RELNAS_MERGE_KEEP,         /* neither trained it: the weight set's value stays */
    RELNAS_MERGE_FROM_TEACHER, /* the fast learner trained it (alone or with the student) */
    RELNAS_MERGE_FROM_STUDENT, /* only the slow learner trained it */
} relnas_merge_source;

/* The rule for one op's weights: the student's if only the student uses the op, else the
 * teacher's if the teacher does, else unchanged. Every other parameter (stem,
 * preprocessing, classifier, BN statistics) always comes from the teacher. */
relnas_merge_source relnas_merge_source_for(int teacher_uses, int student_uses);

/* Whether a and b name the same parameters (one block). */
int relnas_same_layer_key(relnas_layer_key a, relnas_layer_key b);

/* The block for key, or NULL. */
relnas_param_block *relnas_weight_set_find(relnas_weight_set *ws, relnas_layer_key key);

/* Gives every keyed layer of net (keys[i] for layer i) the weight set's parameters; a layer
 * the set has not seen adds its own as a new block. Optimiser state (momentum) is zeroed:
 * each candidate trains with a fresh SGD state. */
void relnas_weight_set_load(relnas_weight_set *ws, network *net, const relnas_layer_key *keys);

/* relnas_weight_set_load reading base (unchanged) first, then fresh; a layer neither has
 * adds its own parameters to fresh. load(ws) is load_layered(ws, ws). */
void relnas_weight_set_load_layered(relnas_weight_set *base, relnas_weight_set *fresh, network *net,
                                    const relnas_layer_key *keys);

/* A copy of b into ws: a new block if ws has none of its key, else its values replace the
 * block's when overwrite is set (the sizes must match). */
void relnas_weight_set_put(relnas_weight_set *ws, const relnas_param_block *b, int overwrite);

/* After a pair, by relnas_merge_source_for's rule: the teacher's (fast learner's) parameters for its
 * shared layers and its ops, the student's for the ops only it uses; ops neither uses keep
 * their value. */
void relnas_weight_set_merge(relnas_weight_set *ws, network *teacher, const relnas_layer_key *teacher_keys,
                             network *student, const relnas_layer_key *student_keys);

/* One block in the layout of checkpoints and of the pairs' messages between ranks, and back
 * (NULL on success, else what is wrong; sizes are checked against the bytes left before
 * anything is allocated). */
void relnas_weight_set_put_block(relnas_binary_writer *w, const relnas_param_block *b);
const char *relnas_weight_set_get_block(relnas_binary_reader *r, relnas_param_block *b);

#endif
