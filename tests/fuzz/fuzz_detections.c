/* Fuzz target: devkit detection files (comp4_det_test_<class>.txt) read by `relnas map
 * --dets`, then scored: a file that reads must give an AP in [0, 1] for every class. The
 * test set is two images with one object of each of two classes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "voc_map.h"

static char dir[] = "/tmp/relnas-fuzz-dets-XXXXXX";
static char *ids[] = {"000005", "000007"}, *names[] = {"cat", "dog"};
static int by_id[] = {0, 1};
static relnas_voc_object objects[] = {
    {0, 0, 0, {10, 10, 50, 60}},
    {1, 1, 1, {5, 5, 20, 20}},
};
static const relnas_voc_testset testset = {2, 2, 2, ids, ids, names, objects, by_id};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static char path[256];
    if (!path[0]) {
        if (!mkdtemp(dir)) abort();
        snprintf(path, sizeof(path), "%s/comp4_det_test_cat.txt", dir);
    }
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp)) abort();
    relnas_voc_detection *dets;
    int n;
    char err[1024];
    if (relnas_voc_read_detections(&testset, dir, &dets, &n, err, sizeof(err)) == 0) {
        FILE *out = fopen("/dev/null", "w");
        double map = relnas_voc_print_map(out, &testset, dets, n, 0.5, size % 2 ? RELNAS_VOC07 : RELNAS_VOC12);
        fclose(out);
        if (!(map >= 0 && map <= 1)) abort();
        free(dets);
    }
    return 0;
}
