#include <stdlib.h>
#include "data_cfg.h"
#include "option_list.h"

void relnas_free_data_cfg(list *options)
{
    for (node *n = options->front; n; n = n->next) {
        free(((kvp *)n->val)->key);
        free(n->val);
    }
    free_list(options);
}
