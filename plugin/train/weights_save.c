#include <stdio.h>
#include "weights_save.h"
#include "output_file.h"
#include "relnas_error.h"

int relnas_save_weights_atomically(network *net, const char *path, char *err, size_t errlen)
{
    relnas_output out;
    if (relnas_output_begin(&out, path, err, errlen)) return -1;
    FILE *probe = fopen(out.temp, "wb"); /* save_weights exits without naming the reason */
    if (!probe) return relnas_errorf(err, errlen, "cannot write %s", out.temp);
    fclose(probe);
    save_weights(net, out.temp);
    return relnas_output_commit(&out, err, errlen);
}
