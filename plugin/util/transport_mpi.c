/* The transport of an MPI build (`make MPI=1`, Debian's Open MPI): transport.h over
 * MPI_COMM_WORLD. Errors do not return: the communicator's handler prints this rank, the
 * operation and MPI's reason, and aborts the job (Open MPI's launcher then names every rank
 * it stopped). */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "transport.h"
#include "relnas_check.h"
#include "relnas_error.h"

static relnas_transport_info self;
static int started;
static const char *operation = "start";
static size_t bytes_sent, bytes_received;
static char engine[MPI_MAX_LIBRARY_VERSION_STRING + 1];

static void on_error(MPI_Comm *comm, int *code, ...)
{
    char reason[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(*code, reason, &len);
    fprintf(stderr, "darknet relnas: rank %d of %d: %s failed (%s): another rank has probably died; stopping the "
            "job (continue with --resume RUN_DIR, any number of ranks)\n", self.rank, self.size, operation, reason);
    fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
}

int relnas_transport_init(relnas_transport_info *info, char *err, size_t errlen)
{
    if (!started) {
        int provided;
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
            return relnas_errorf(err, errlen, "MPI_Init failed");
        started = 1;
        MPI_Errhandler handler;
        MPI_Comm_create_errhandler(on_error, &handler);
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, handler);
        MPI_Comm_rank(MPI_COMM_WORLD, &self.rank);
        MPI_Comm_size(MPI_COMM_WORLD, &self.size);
        MPI_Comm local;
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, self.rank, MPI_INFO_NULL, &local);
        MPI_Comm_rank(local, &self.local_rank);
        MPI_Comm_size(local, &self.local_size);
        MPI_Comm_free(&local);
        int len = 0;
        MPI_Get_library_version(engine, &len);
        engine[strcspn(engine, ",\n")] = '\0'; /* "Open MPI v4.1.4" */
        self.engine = engine;
    }
    *info = self;
    return 0;
}

void relnas_transport_finalize(void)
{
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (started && !finalized) MPI_Finalize();
}

void relnas_transport_abort(int status)
{
    fflush(stdout), fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, status);
    exit(status);
}

void relnas_transport_bcast(void *buf, size_t bytes, int root)
{
    RELNAS_ASSERT(bytes <= INT_MAX);
    operation = "a broadcast";
    MPI_Bcast(buf, (int)bytes, MPI_BYTE, root, MPI_COMM_WORLD);
    if (self.rank == root) bytes_sent += bytes * (size_t)(self.size - 1);
    else bytes_received += bytes;
}

void relnas_transport_gather(const void *mine, size_t bytes, int root, void **all, size_t *sizes)
{
    RELNAS_ASSERT(bytes <= INT_MAX);
    int n = (int)bytes, *counts = NULL, *offsets = NULL;
    operation = "gathering results";
    *all = NULL;
    if (self.rank == root) {
        counts = RELNAS_CALLOC((size_t)self.size, sizeof(int));
        offsets = RELNAS_CALLOC((size_t)self.size, sizeof(int));
    }
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, root, MPI_COMM_WORLD);
    if (self.rank == root) {
        size_t total = 0;
        for (int r = 0; r < self.size; ++r) {
            RELNAS_ASSERT(total <= (size_t)INT_MAX - (size_t)counts[r]);
            offsets[r] = (int)total, sizes[r] = (size_t)counts[r], total += (size_t)counts[r];
        }
        *all = RELNAS_CALLOC(total ? total : 1, 1);
        bytes_received += total - bytes;
    } else {
        bytes_sent += bytes;
    }
    MPI_Gatherv(mine, n, MPI_BYTE, *all, counts, offsets, MPI_BYTE, root, MPI_COMM_WORLD);
    free(counts), free(offsets);
}

int relnas_transport_max_int(int value)
{
    int result = value;
    operation = "agreeing on a stop or an error";
    MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return result;
}

void relnas_transport_counts(size_t *sent, size_t *received)
{
    *sent = bytes_sent, *received = bytes_received;
}
