/* The GPU a GPU build runs on, and how its numbers are computed. Deterministic by
 * default: the same seed gives the same bits (deterministic cuDNN algorithms, no TF32,
 * plugin kernels without atomics that reorder sums). RELNAS_GPU_FAST=1 in the environment
 * trades that for speed: cuDNN may pick non-deterministic algorithms, and convolutions and
 * cuBLAS may use TF32 tensor cores (~1e-3 relative on FP32). */
#ifndef RELNAS_GPU_DEVICE_H
#define RELNAS_GPU_DEVICE_H

/* Makes GPU `index` current and applies the math settings; on a machine where it cannot be
 * used, prints one line naming the CUDA error and -nogpu, and returns -1. */
int relnas_gpu_select(int index);

/* 1 when RELNAS_GPU_FAST=1: determinism may be traded for speed. */
int relnas_gpu_fast(void);

/* 1 when main must leave the device to the command (argv as main gets it): `relnas search`
 * started by a launcher (mpirun, srun) with several processes, whose ranks each select
 * their own GPU (rank on the machine mod visible GPUs); a context made on GPU 0 first would
 * put every rank's context there (issue 31). 0 otherwise: main selects -i N (default 0). */
int relnas_gpu_select_later(int argc, char **argv);

/* The same decision for a `relnas` command by name ("search"): 1 when its ranks each select
 * their own GPU, so a -gpus N given to it only says "on a GPU". */
int relnas_ranks_pick_gpu(const char *relnas_command);

#ifdef GPU
#include <stddef.h>
#include <cublas_v2.h>

/* Applies the math settings to a cuBLAS handle Darknet has just made (blas_handle, one per
 * device: patch 0075), so every GPU of a run computes alike, not GPU 0 alone; exits naming
 * the device when cuBLAS refuses. */
void relnas_cublas_configure(cublasHandle_t handle);

/* n floats, zeroed, on GPU `device` (a network's net->gpu_index), whatever Darknet's global
 * gpu_index says: Darknet's cuda_make_array gives NULL when the global is below 0 (patch
 * 0033), so a buffer for a network already on a GPU is made here. Never NULL: when the
 * device cannot give it, the program ends with file:line, the size and the CUDA error. */
#define RELNAS_DEVICE_CALLOC(device, n) relnas_device_calloc_checked((device), (n), __FILE__, __LINE__)
float *relnas_device_calloc_checked(int device, size_t n, const char *file, int line);

/* Frees a buffer RELNAS_DEVICE_CALLOC made (NULL: nothing). */
void relnas_device_free(float *buffer);
#endif

#endif
