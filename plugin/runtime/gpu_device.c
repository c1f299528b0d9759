#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gpu_device.h"
#include "transport.h"

int relnas_gpu_fast(void)
{
    const char *v = getenv("RELNAS_GPU_FAST");
    return v && strcmp(v, "1") == 0;
}

int relnas_ranks_pick_gpu(const char *relnas_command)
{
    return strcmp(relnas_command, "search") == 0 && relnas_transport_launched();
}

int relnas_gpu_select_later(int argc, char **argv)
{
    return argc > 2 && strcmp(argv[1], "relnas") == 0 && relnas_ranks_pick_gpu(argv[2]);
}

#ifdef GPU
#include "cuda.h"

void relnas_cublas_configure(cublasHandle_t handle)
{
    cublasStatus_t math = cublasSetMathMode(handle, relnas_gpu_fast() ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH);
    if (math != CUBLAS_STATUS_SUCCESS) {
        int device = -1;
        cudaGetDevice(&device);
        fprintf(stderr, "darknet: GPU %d: cuBLAS cannot be set up (status %d); add -nogpu to run on the CPU\n",
                device, (int)math);
        exit(EXIT_FAILURE);
    }
}

int relnas_gpu_select(int index)
{
    int count = 0;
    cudaError_t status = cudaGetDeviceCount(&count);
    if (status == cudaSuccess && (index < 0 || index >= count)) status = cudaErrorInvalidDevice;
    if (status == cudaSuccess) status = cudaSetDevice(index);
    if (status == cudaSuccess) status = cudaFree(0); /* creates the context: the first call a broken driver fails */
    if (status != cudaSuccess) {
        cudaGetLastError();
        fprintf(stderr, "darknet: GPU %d is not usable (CUDA error: %s); this is a GPU build: add -nogpu to run on "
                "the CPU\n", index, cudaGetErrorString(status));
        return -1;
    }
    gpu_index = index;
    blas_handle(); /* made and configured now (relnas_cublas_configure): a failure shows here, not mid-run */
    return 0;
}

float *relnas_device_calloc_checked(int device, size_t n, const char *file, int line)
{
    float *p = NULL;
    size_t bytes = sizeof(float) * (n ? n : 1);
    cudaError_t status = device >= 0 ? cudaSetDevice(device) : cudaErrorInvalidDevice;
    if (status == cudaSuccess) status = cudaMalloc((void **)&p, bytes);
    if (status == cudaSuccess) status = cudaMemset(p, 0, bytes);
    if (status != cudaSuccess || !p) {
        fprintf(stderr, "%s:%d: cannot allocate %zu bytes on GPU %d (CUDA error: %s)\n", file, line, bytes, device,
                cudaGetErrorString(status));
        exit(EXIT_FAILURE);
    }
    return p;
}

void relnas_device_free(float *buffer)
{
    if (buffer) check_error(cudaFree(buffer));
}
#else
int relnas_gpu_select(int index)
{
    fprintf(stderr, "darknet: GPU %d requested, but this darknet was built without a GPU; rebuild with "
            "`make GPU=1 CUDNN=1`\n", index);
    return -1;
}
#endif
