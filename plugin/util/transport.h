/* The processes of a job and the bytes they exchange: Open MPI in an MPI build
 * (`make MPI=1`: transport_mpi.c), one process otherwise (transport_single.c, where every
 * collective is a copy). The search's parallel mode (search/parallel_pairs.h) is written
 * against this contract only. Every function but init is collective unless it says not:
 * all ranks call it, in the same order. A failed exchange (a rank that died) ends the whole
 * job with a message naming this rank and the operation; it never returns. */
#ifndef RELNAS_TRANSPORT_H
#define RELNAS_TRANSPORT_H

#include <stddef.h>
#include <stdlib.h>

typedef struct relnas_transport_info {
    int rank, size;             /* this process and the job's process count */
    int local_rank, local_size; /* the same on this machine (for GPUs and threads) */
    const char *engine;         /* "Open MPI ..." or "single process" */
} relnas_transport_info;

/* Starts the transport (MPI_Init) once per process; later calls return the same. Returns
 * 0, or -1 with a message (a build without MPI started by mpirun with several ranks). */
int relnas_transport_init(relnas_transport_info *info, char *err, size_t errlen);

/* Whether the environment says this process is one of several of a launcher's job
 * (mpirun, srun): not collective, callable before init. Here, not in a .c file: it is the
 * same in both builds, which link one transport file or the other. */
static inline int relnas_transport_launched(void)
{
    /* Open MPI's launcher, PMI and Slurm's srun name the size of the job or job step */
    const char *names[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"};
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); ++i) {
        const char *size = getenv(names[i]);
        if (size && atoi(size) > 1) return 1;
    }
    return 0;
}

/* Ends it at exit (MPI_Finalize); not collective when the job is being aborted. */
void relnas_transport_finalize(void);

/* Stops every rank of the job with status (MPI_Abort); not collective. */
void relnas_transport_abort(int status);

/* bytes from root into buf on every rank. */
void relnas_transport_bcast(void *buf, size_t bytes, int root);

/* Every rank's bytes to root: on root, *all is a malloc'ed concatenation in rank order and
 * sizes[r] the bytes of rank r (sizes has one entry per rank); elsewhere *all is NULL. */
void relnas_transport_gather(const void *mine, size_t bytes, int root, void **all, size_t *sizes);

/* The largest of every rank's value (for a stop or an error any rank saw). */
int relnas_transport_max_int(int value);

/* Bytes this process has sent and received through the transport so far (payload only). */
void relnas_transport_counts(size_t *sent, size_t *received);

#endif
