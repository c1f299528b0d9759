#include <math.h>
#include "member.h"
#include "genotype_parse.h"

relnas_member relnas_member_unscored(int index)
{
    return (relnas_member){.index = index, .train_loss = NAN, .valid_loss = NAN, .valid_accuracy = NAN};
}

int relnas_member_faster(const relnas_member *a, const relnas_member *b)
{
    if (!isfinite(b->valid_loss)) return 1;
    if (!isfinite(a->valid_loss)) return 0;
    return a->valid_loss <= b->valid_loss;
}

void relnas_member_genotype(const relnas_population *pop, int index, char *buf, size_t len)
{
    relnas_genotype_text_of_vector(pop->x[index], buf, len);
}

void relnas_member_put(relnas_binary_writer *w, const relnas_member *m)
{
    relnas_binary_put_i32(w, m->index);
    double figures[4] = {m->train_loss, m->valid_loss, m->valid_accuracy, m->seconds};
    relnas_binary_put(w, figures, sizeof(figures));
}

void relnas_member_get(relnas_binary_reader *r, relnas_member *m)
{
    double figures[4] = {NAN, NAN, NAN, 0};
    m->index = relnas_binary_get_i32(r);
    relnas_binary_get(r, figures, sizeof(figures));
    m->train_loss = figures[0], m->valid_loss = figures[1], m->valid_accuracy = figures[2], m->seconds = figures[3];
}

void relnas_pair_result_put(relnas_binary_writer *w, const relnas_pair_result *p)
{
    relnas_member_put(w, &p->member[0]);
    relnas_member_put(w, &p->member[1]);
    relnas_binary_put_i32(w, p->fast);
}

void relnas_pair_result_get(relnas_binary_reader *r, relnas_pair_result *p)
{
    relnas_member_get(r, &p->member[0]);
    relnas_member_get(r, &p->member[1]);
    p->fast = relnas_binary_get_i32(r);
}
