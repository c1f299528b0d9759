#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dataset_spec.h"
#include "image_file_check.h"
#include "layer_options.h"
#include "darknet.h"
#include "option_list.h"
#include "program_name.h"
#include "relnas_check.h"
#include "relnas_error.h"

#define FASHION_MNIST_SYSTEM "/usr/share/datasets/fashion-mnist"
#define FASHION_MNIST_FETCHED "build/data/root" FASHION_MNIST_SYSTEM

static int holds_fashion_mnist(const char *dir)
{
    char probe[4200];
    snprintf(probe, sizeof(probe), "%s/train-images-idx3-ubyte.gz", dir);
    return access(probe, R_OK) == 0;
}

/* Runs the checkout's scripts/fetch-fashion-mnist into its build/data; the directory it printed. */
static int fetch_fashion_mnist(const char *checkout, char *dir, size_t len)
{
    char command[4400];
    snprintf(command, sizeof(command), "'%s/scripts/fetch-fashion-mnist' '%s/build/data'", checkout, checkout);
    fprintf(stderr, "Fashion-MNIST not found: fetching Debian's dataset-fashion-mnist into %s/build/data\n", checkout);
    FILE *p = popen(command, "r");
    if (!p) return -1;
    int ok = fgets(dir, (int)len, p) != NULL;
    if (pclose(p) != 0 || !ok) return -1;
    dir[strcspn(dir, "\n")] = '\0';
    return 0;
}

/* The Fashion-MNIST directory, from any working directory: $RELNAS_FASHION_MNIST, Debian's
 * package, or fetched into build/data of the checkout this binary belongs to (fetching it
 * there when missing). On failure err names every place looked. */
static int fashion_mnist_dir(char *dir, size_t len, char *err, size_t errlen)
{
    const char *env = getenv("RELNAS_FASHION_MNIST");
    char checkout[4000] = "", fetched[4200] = "";
    if (relnas_checkout_dir(checkout, sizeof(checkout)) == 0)
        snprintf(fetched, sizeof(fetched), "%s/" FASHION_MNIST_FETCHED, checkout);
    const char *places[] = {env && *env ? env : NULL, FASHION_MNIST_SYSTEM, fetched[0] ? fetched : NULL,
                            FASHION_MNIST_FETCHED};
    const char *names[] = {"$RELNAS_FASHION_MNIST=", "", "", "./"};
    char looked[3000] = "";
    for (size_t i = 0; i < sizeof(places) / sizeof(*places); ++i) {
        if (!places[i]) continue;
        if (holds_fashion_mnist(places[i])) return snprintf(dir, len, "%s", places[i]) < (int)len ? 0 : -1;
        size_t n = strlen(looked);
        snprintf(looked + n, sizeof(looked) - n, "%s%s%s", n ? ", " : "", names[i], places[i]);
    }
    if (checkout[0] && fetch_fashion_mnist(checkout, dir, len) == 0 && holds_fashion_mnist(dir)) return 0;
    return relnas_errorf(err, errlen, "Fashion-MNIST not found (looked in %s%s); run `make data` in the checkout, "
                         "apt-get install dataset-fashion-mnist, or set RELNAS_FASHION_MNIST to a directory holding "
                         "train-images-idx3-ubyte.gz and the three other files", looked,
                         checkout[0] ? "" : "; the checkout of this darknet binary was not found");
}

static int load_fashion_mnist(relnas_data_part part, relnas_image_set *out, char *err, size_t errlen)
{
    char dir[4000], images[4200], labels[4200];
    if (fashion_mnist_dir(dir, sizeof(dir), err, errlen)) return -1;
    const char *prefix = part == RELNAS_DATA_TRAIN ? "train" : "t10k";
    snprintf(images, sizeof(images), "%s/%s-images-idx3-ubyte.gz", dir, prefix);
    snprintf(labels, sizeof(labels), "%s/%s-labels-idx1-ubyte.gz", dir, prefix);
    return relnas_read_idx(images, labels, out, err, errlen);
}

static int load_cifar(const char *dir, int cifar100, relnas_data_part part, relnas_image_set *out, char *err,
                      size_t errlen)
{
    char files[5][4200];
    const char *paths[5];
    int n = 0;
    if (cifar100) snprintf(files[n++], sizeof(files[0]), "%s/%s.bin", dir, part == RELNAS_DATA_TRAIN ? "train" : "test");
    else if (part == RELNAS_DATA_TEST) snprintf(files[n++], sizeof(files[0]), "%s/test_batch.bin", dir);
    else
        for (; n < 5; ++n) snprintf(files[n], sizeof(files[n]), "%s/data_batch_%d.bin", dir, n + 1);
    for (int i = 0; i < n; ++i) paths[i] = files[i];
    return relnas_read_cifar(paths, n, cifar100, out, err, errlen);
}

/* The index of the label whose name occurs in path (Darknet's classifier convention). */
static int label_of(const char *path, char **labels, int classes)
{
    int found = -1;
    for (int k = 0; k < classes; ++k)
        if (strstr(path, labels[k])) {
            if (found >= 0) return -2; /* ambiguous */
            found = k;
        }
    return found;
}

static void store_image(relnas_image_set *s, int i, image im)
{
    long per = (long)s->c * s->h * s->w;
    for (long k = 0; k < per; ++k) {
        float v = im.data[k] * 255.0f + 0.5f;
        s->pixels[i * per + k] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

/* Image paths of `list`, decoded at w x h into out, labelled from the paths. */
static int load_image_list(const char *datafile, const char *list_path, char **labels, int classes, int w, int h,
                           relnas_image_set *out, char *err, size_t errlen)
{
    if (access(list_path, R_OK)) return relnas_errorf(err, errlen, "%s: cannot read the list %s", datafile, list_path);
    list *paths = get_paths((char *)list_path);
    char **items = (char **)list_to_array(paths);
    *out = (relnas_image_set){paths->size, h, w, 3, classes, RELNAS_CALLOC((size_t)paths->size * 3 * w * h, 1),
                              RELNAS_CALLOC((size_t)paths->size, 1)};
    int rc = 0;
    char why[1024];
    for (int i = 0; i < out->count && rc == 0; ++i) {
        int label = label_of(items[i], labels, classes);
        if (label < 0)
            rc = relnas_errorf(err, errlen, "%s, line %d: %s: %s", list_path, i + 1, items[i],
                               label == -1 ? "no label name occurs in the path" : "several label names occur in the path");
        else if (relnas_check_image_file(items[i], why, sizeof(why)))
            rc = relnas_errorf(err, errlen, "%s, line %d: %s", list_path, i + 1, why);
        if (rc) break;
        image im = load_image_color(items[i], w, h);
        store_image(out, i, im);
        free_image(im);
        out->labels[i] = (unsigned char)label;
    }
    for (int i = 0; i < paths->size; ++i) free(items[i]);
    free(items);
    free_list(paths);
    if (rc) relnas_image_set_free(out);
    return rc;
}

static int load_darknet_data(const char *datafile, relnas_data_part part, int w, int h, relnas_image_set *out,
                             char *err, size_t errlen)
{
    if (access(datafile, R_OK)) return relnas_errorf(err, errlen, "%s: cannot open", datafile);
    list *options = read_data_cfg((char *)datafile);
    const char *key = part == RELNAS_DATA_TRAIN ? "train" : "valid";
    char *list_path = option_find(options, (char *)key), *labels_path = option_find(options, "labels");
    int classes = option_find_int_quiet(options, "classes", 0), rc;
    if (!list_path || !labels_path || classes < 1 || classes > 256)
        rc = relnas_errorf(err, errlen, "%s: needs %s=, labels= and classes= (1 to 256)", datafile, key);
    else if (access(labels_path, R_OK))
        rc = relnas_errorf(err, errlen, "%s: cannot read labels=%s", datafile, labels_path);
    else {
        char **labels = get_labels(labels_path);
        rc = load_image_list(datafile, list_path, labels, classes, w, h, out, err, errlen);
        for (int k = 0; k < classes; ++k) free(labels[k]);
        free(labels);
    }
    relnas_options_free(options, 1);
    return rc;
}

int relnas_load_dataset(const char *spec, relnas_data_part part, int w, int h, relnas_image_set *out, char *err,
                        size_t errlen)
{
    memset(out, 0, sizeof(*out));
    size_t n = strlen(spec);
    if (strcmp(spec, "fashion-mnist") == 0) return load_fashion_mnist(part, out, err, errlen);
    if (strncmp(spec, "cifar10:", 8) == 0) return load_cifar(spec + 8, 0, part, out, err, errlen);
    if (strncmp(spec, "cifar100:", 9) == 0) return load_cifar(spec + 9, 1, part, out, err, errlen);
    if (n > 5 && strcmp(spec + n - 5, ".data") == 0) return load_darknet_data(spec, part, w, h, out, err, errlen);
    if (strncmp(spec, "idx:", 4) == 0 && strchr(spec, ',')) {
        if (part == RELNAS_DATA_TEST)
            return relnas_errorf(err, errlen, "%s is one image set: give the test images with --valid idx:IMAGES,LABELS",
                                 spec);
        char images[4200];
        snprintf(images, sizeof(images), "%.*s", (int)(strchr(spec, ',') - spec - 4), spec + 4);
        return relnas_read_idx(images, strchr(spec, ',') + 1, out, err, errlen);
    }
    return relnas_errorf(err, errlen, "unknown data '%s' (fashion-mnist, cifar10:DIR, cifar100:DIR, "
                         "idx:IMAGES,LABELS, FILE.data)", spec);
}
