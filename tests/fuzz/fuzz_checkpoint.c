/* Fuzz target: search checkpoints. The CRC-32 at the end is recomputed over each mutated
 * file first, so the fuzzer reaches the field checks behind the checksum (a file altered
 * by chance is refused by the checksum alone). Whatever loads must save again. */
#include <stdint.h>
#include <string.h>
#include <zlib.h>
#include "checkpoint.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 4 || size > (1u << 20)) return 0;
    unsigned char *file = malloc(size);
    memcpy(file, data, size);
    uint32_t crc = (uint32_t)crc32(0L, file, (uInt)(size - 4));
    memcpy(file + size - 4, &crc, 4);
    const char *path = fuzz_file(0, file, size);
    free(file);
    relnas_search_state st;
    char err[1024];
    if (relnas_checkpoint_load(path, &st, err, sizeof(err)) == 0) {
        const char *again = fuzz_file(1, (const unsigned char *)"", 0);
        if (relnas_checkpoint_save(again, &st, err, sizeof(err)) != 0) abort();
        relnas_search_state_free(&st);
    }
    return 0;
}
