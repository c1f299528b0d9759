#include <string.h>
#include "merge_rule.h"

void relnas_cell_usage(const relnas_cell_genotype *cell, unsigned char used[RELNAS_DAG_EDGES][RELNAS_PRIMITIVE_COUNT])
{
    memset(used, 0, sizeof(unsigned char) * RELNAS_DAG_EDGES * RELNAS_PRIMITIVE_COUNT);
    for (int e = 0; e < RELNAS_EDGES; ++e)
        used[relnas_dag_edge(e / 2, cell->edges[e].input)][cell->edges[e].op] = 1;
}

relnas_merge_source relnas_merge_source_for(int teacher_uses, int student_uses)
{
    if (student_uses && !teacher_uses) return RELNAS_MERGE_FROM_STUDENT;
    if (teacher_uses) return RELNAS_MERGE_FROM_TEACHER;
    return RELNAS_MERGE_KEEP;
}
