#include <stdlib.h>
#include "non_finite.h"
#include "relnas_error.h"
#include "relnas_hooks.h"

void relnas_stop_on_non_finite_loss(network *net, float loss)
{
    char where[256];
    /* net->seen already counts this sub-batch; net->batch is the sub-batch size */
    size_t iteration = (*net->seen - 1) / ((size_t)net->batch * net->subdivisions) + 1;
    relnas_describe_first_non_finite(net, where, sizeof(where));
    fprintf(stderr,
            "error: the loss is %g at iteration %zu (learning rate %g)%s.\n"
            "Stopped: every update from here on would be NaN. Lower learning_rate (or add burn_in) in the "
            "cfg, or check the data; the last saved weights are from before this.\n",
            loss, iteration, get_current_rate(net), where);
    relnas_exit_failure_now();
}
