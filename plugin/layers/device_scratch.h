/* Scratch memory on the current GPU that the kernels reuse from call to call (issue 31: batch
 * norm allocated its chunk sums with cudaMallocAsync on every call, the gradient norm a
 * cudaMalloc/cudaFree pair every step). One buffer per device and purpose, grown when a
 * larger one is asked for and kept until the process ends. Safe because every user runs
 * its kernels in order on the device's default stream, and one host thread drives each
 * device (Darknet's -gpus trains one thread per GPU). GPU builds only. */
#ifndef RELNAS_DEVICE_SCRATCH_H
#define RELNAS_DEVICE_SCRATCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum relnas_scratch_purpose {
    RELNAS_SCRATCH_BN_SUMS,     /* batch norm's per-chunk sums */
    RELNAS_SCRATCH_SUM_SQUARES, /* the gradient norm's accumulator and block sums */
    RELNAS_SCRATCH_PURPOSES
} relnas_scratch_purpose;

/* At least `bytes` of device memory on the current GPU for `purpose`; exits naming the size
 * and the device when CUDA cannot provide it. The contents are whatever was left there. */
void *relnas_device_scratch(relnas_scratch_purpose purpose, size_t bytes);

/* How many times the scratch buffers were (re)allocated in this process: for the tests. */
int relnas_device_scratch_allocations(void);

#ifdef __cplusplus
}
#endif

#endif
