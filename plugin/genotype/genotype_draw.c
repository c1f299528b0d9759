#include "genotype_draw.h"

static void write_cell(FILE *out, const relnas_cell_genotype *cell, const char *name, const char *title)
{
    fprintf(out, "  subgraph cluster_%s {\n    label=\"%s\";\n    fontsize=20;\n", name, title);
    fprintf(out, "    %s_s0 [label=\"c_{k-2}\", fillcolor=darkseagreen2];\n", name);
    fprintf(out, "    %s_s1 [label=\"c_{k-1}\", fillcolor=darkseagreen2];\n", name);
    for (int j = 0; j < RELNAS_NODES; ++j)
        fprintf(out, "    %s_s%d [label=\"%d\", fillcolor=lightblue];\n", name, 2 + j, j);
    fprintf(out, "    %s_out [label=\"c_{k}\", fillcolor=palegoldenrod];\n", name);
    for (int e = 0; e < RELNAS_EDGES; ++e)
        fprintf(out, "    %s_s%d -> %s_s%d [label=\"%s\"];\n", name, cell->edges[e].input, name, 2 + e / 2,
                relnas_ops[cell->edges[e].op].name);
    for (int i = 0; i < cell->nconcat; ++i)
        fprintf(out, "    %s_s%d -> %s_out [color=gray];\n", name, cell->concat[i], name);
    fprintf(out, "  }\n");
}

void relnas_genotype_write_dot(FILE *out, const relnas_genotype *g)
{
    fprintf(out, "digraph genotype {\n  rankdir=LR;\n  fontname=\"times\";\n");
    fprintf(out, "  node [style=\"rounded,filled\", shape=rect, align=center, fontsize=20, "
                 "height=0.5, width=0.5, penwidth=2, fontname=\"times\"];\n");
    fprintf(out, "  edge [fontsize=16, fontname=\"times\"];\n");
    write_cell(out, &g->normal, "normal", "normal cell");
    write_cell(out, &g->reduce, "reduce", "reduction cell");
    fprintf(out, "}\n");
}
