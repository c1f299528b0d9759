/* Fuzz target: a CIFAR binary file, read as CIFAR-10 and as CIFAR-100. */
#include "fuzz_input.h"
#include "image_set.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    for (int cifar100 = 0; cifar100 < 2; ++cifar100) {
        relnas_image_set s;
        char err[512];
        if (relnas_read_cifar(&path, 1, cifar100, &s, err, sizeof(err)) == 0) relnas_image_set_free(&s);
    }
    return 0;
}
