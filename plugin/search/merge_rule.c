#include "merge_rule.h"

relnas_merge_source relnas_merge_source_for(int teacher_uses, int student_uses)
{
    if (student_uses && !teacher_uses) return RELNAS_MERGE_FROM_STUDENT;
    if (teacher_uses) return RELNAS_MERGE_FROM_TEACHER;
    return RELNAS_MERGE_KEEP;
}
