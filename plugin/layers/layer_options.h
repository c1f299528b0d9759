/* Darknet option lists. Reading a plugin layer's cfg options strictly: a value that is not
 * a number, out of range, or not one of the allowed words is an error naming the key and
 * what was expected. The readers return 0, or -1 with a message in err (relnas_errorf,
 * relnas_error.h). */
#ifndef RELNAS_LAYER_OPTIONS_H
#define RELNAS_LAYER_OPTIONS_H

#include <stddef.h>
#include "darknet.h"
#include "parser.h"

/* Integer `key` in [lo, hi]; `def` when absent. */
int relnas_opt_int(list *options, const char *key, int def, int lo, int hi, int *out, char *err, size_t errlen);

/* Real `key` in [lo, hi); `def` when absent. */
int relnas_opt_float(list *options, const char *key, float def, float lo, float hi, float *out,
                     char *err, size_t errlen);

/* `key` as the index of one of the NULL-terminated words; choices[0] when absent. */
int relnas_opt_word(list *options, const char *key, const char *const *choices, int *out,
                    char *err, size_t errlen);

/* Where a layer reads its input: `input` is a layer index, negative counting back from this
 * layer (default -1, the previous layer); for layer 0 that is the network input, which
 * later layers cannot read (Darknet passes them the previous output in its place). Sets
 * *from (-1 for the network input) and the input's height, width and channels. */
int relnas_opt_input(list *options, size_params params, int *from, int *h, int *w, int *c,
                     char *err, size_t errlen);

/* Frees a Darknet option list and its key/value pairs. keys_owned: read_data_cfg's lists,
 * where each key is the line it read (the value points into it) and is freed too; not
 * lists of option_insert'ed keys that belong to someone else. */
void relnas_options_free(list *options, int keys_owned);

#endif
