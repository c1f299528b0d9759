/* Fuzz target: an IDX image file and label file (the first two bytes say where the input
 * splits into the two). */
#include "fuzz_input.h"
#include "image_set.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 2) return 0;
    size_t split = ((size_t)data[0] << 8 | data[1]) % (size - 1);
    const char *images = fuzz_file(0, data + 2, split), *labels = fuzz_file(1, data + 2 + split, size - 2 - split);
    relnas_image_set s;
    char err[512];
    if (relnas_read_idx(images, labels, &s, err, sizeof(err)) == 0) relnas_image_set_free(&s);
    return 0;
}
