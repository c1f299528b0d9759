/* The transport of a build without MPI: one process, every collective a copy
 * (transport.h). Started by mpirun with several ranks it refuses, naming the fix. */
#include <stdlib.h>
#include <string.h>
#include "transport.h"
#include "relnas_check.h"
#include "relnas_error.h"

int relnas_transport_init(relnas_transport_info *info, char *err, size_t errlen)
{
    *info = (relnas_transport_info){0, 1, 0, 1, "single process"};
    if (relnas_transport_launched())
        return relnas_errorf(err, errlen, "started as one of several processes (mpirun or srun), but this darknet "
                             "was built without MPI: rebuild with `make MPI=1`");
    return 0;
}

void relnas_transport_finalize(void)
{
}

void relnas_transport_abort(int status)
{
    exit(status);
}

void relnas_transport_bcast(void *buf, size_t bytes, int root)
{
}

void relnas_transport_gather(const void *mine, size_t bytes, int root, void **all, size_t *sizes)
{
    *all = RELNAS_CALLOC(bytes ? bytes : 1, 1);
    memcpy(*all, mine, bytes);
    sizes[0] = bytes;
}

int relnas_transport_max_int(int value)
{
    return value;
}

void relnas_transport_counts(size_t *sent, size_t *received)
{
    *sent = *received = 0;
}
