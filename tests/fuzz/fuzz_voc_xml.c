/* Fuzz target: VOC annotation XML. */
#include "fuzz_input.h"
#include "voc_annotation.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    relnas_voc_annotation a;
    char err[512];
    if (relnas_read_voc_annotation(fuzz_file(0, data, size), &a, err, sizeof(err)) == 0) relnas_voc_annotation_free(&a);
    return 0;
}
