/* Which candidate's trained weights the weight set keeps after a pair (DESIGN.md §4); the
 * one rule relnas_weight_set_merge applies. Op weights are shared per (cell, DAG edge, op)
 * (relnas_dag_edge in genotype.h); a candidate uses (edge, op) when one of its node's two
 * inputs is that state through that op. */
#ifndef RELNAS_MERGE_RULE_H
#define RELNAS_MERGE_RULE_H

#include "genotype.h"

typedef enum relnas_merge_source {
    RELNAS_MERGE_KEEP,         /* neither trained it: the weight set's value stays */
    RELNAS_MERGE_FROM_TEACHER, /* the fast learner trained it (alone or with the student) */
    RELNAS_MERGE_FROM_STUDENT, /* only the slow learner trained it */
} relnas_merge_source;

/* The rule for one op's weights: the student's if only the student uses the op, else the
 * teacher's if the teacher does, else unchanged. Every other parameter (stem,
 * preprocessing, classifier, BN statistics) always comes from the teacher. */
relnas_merge_source relnas_merge_source_for(int teacher_uses, int student_uses);

#endif
