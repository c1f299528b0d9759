#include <strings.h>
#include "bundled_genotypes.h"

/* Facts from the official implementations' genotypes.py (RelativeNAS; DARTS V1/V2), in the
 * official repr. */
static const struct {
    const char *name, *repr;
} bundled[] = {
    {"RelativeNAS",
     "Genotype(normal=[('sep_conv_3x3', 0), ('dil_conv_5x5', 1), ('sep_conv_3x3', 1), "
     "('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('sep_conv_5x5', 1), ('skip_connect', 0), "
     "('sep_conv_3x3', 0)], normal_concat=range(2, 6), reduce=[('avg_pool_3x3', 1), "
     "('max_pool_3x3', 1), ('dil_conv_5x5', 1), ('max_pool_3x3', 1), ('avg_pool_3x3', 3), "
     "('skip_connect', 1), ('dil_conv_5x5', 3), ('sep_conv_3x3', 1)], reduce_concat=range(2, 6))"},
    {"DARTS_V1",
     "Genotype(normal=[('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), "
     "('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), "
     "('skip_connect', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), "
     "('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), "
     "('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=[2, 3, 4, 5])"},
    {"DARTS_V2",
     "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), "
     "('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), "
     "('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), "
     "('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), "
     "('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])"},
};

const char *relnas_bundled_genotype(const char *name)
{
    if (strcasecmp(name, "DARTS") == 0) name = "DARTS_V2"; /* as genotypes.py: DARTS = DARTS_V2 */
    for (unsigned i = 0; i < sizeof(bundled) / sizeof(bundled[0]); ++i)
        if (strcasecmp(bundled[i].name, name) == 0) return bundled[i].repr;
    return 0;
}

const char *relnas_bundled_genotype_names(void)
{
    return "RelativeNAS, DARTS_V1, DARTS_V2, DARTS";
}
