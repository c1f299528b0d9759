#include <stdio.h>
#include <stdlib.h>
#include "device_scratch.h"

static int allocations;

int relnas_device_scratch_allocations(void)
{
    return allocations;
}

#ifdef GPU
#include "cuda.h"

enum { max_devices = 64 };

static void *buffers[max_devices][RELNAS_SCRATCH_PURPOSES];
static size_t sizes[max_devices][RELNAS_SCRATCH_PURPOSES];

static void fail(const char *what, int device, size_t bytes, cudaError_t status)
{
    fprintf(stderr, "darknet: %s on GPU %d (%zu bytes of scratch): CUDA error: %s\n", what, device, bytes,
            cudaGetErrorString(status));
    exit(EXIT_FAILURE);
}

void *relnas_device_scratch(relnas_scratch_purpose purpose, size_t bytes)
{
    int device = -1;
    cudaError_t status = cudaGetDevice(&device);
    if (status != cudaSuccess) fail("no current device", device, bytes, status);
    if (device >= max_devices) fail("device index beyond the scratch table", device, bytes, cudaErrorInvalidDevice);
    if (sizes[device][purpose] >= bytes) return buffers[device][purpose];
    /* cudaFree waits for the device: kernels still reading the old buffer finish first. */
    if (buffers[device][purpose] && (status = cudaFree(buffers[device][purpose])) != cudaSuccess)
        fail("cannot free the old scratch", device, bytes, status);
    buffers[device][purpose] = NULL, sizes[device][purpose] = 0;
    size_t grown = bytes < 4096 ? 4096 : bytes;
    if ((status = cudaMalloc(&buffers[device][purpose], grown)) != cudaSuccess)
        fail("cannot allocate", device, grown, status);
    sizes[device][purpose] = grown;
    ++allocations;
    return buffers[device][purpose];
}
#else
void *relnas_device_scratch(relnas_scratch_purpose purpose, size_t bytes)
{
    fprintf(stderr, "darknet: device scratch asked for in a build without a GPU\n");
    exit(EXIT_FAILURE);
}
#endif
