/* The published genotypes that come with the plugin (also as files in genotypes/). */
#ifndef RELNAS_BUNDLED_GENOTYPES_H
#define RELNAS_BUNDLED_GENOTYPES_H

/* The repr of the bundled genotype called `name` (any case), or NULL. */
const char *relnas_bundled_genotype(const char *name);

/* "RelativeNAS, DARTS_V1, DARTS_V2, DARTS", for messages. */
const char *relnas_bundled_genotype_names(void);

#endif
