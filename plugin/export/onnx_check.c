#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "onnx_check.h"
#include "layer_output.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "relnas_rng.h"

#define PYTHON "/usr/bin/python3" /* Debian's, where python3-opencv installs cv2 */
#define INSTALL "apt-get install python3-opencv python3-onnx"

/* Runs the model with OpenCV on DIR/input.f32 and writes DIR/<output>.f32, DIR/runtime.txt
 * and DIR/checker.txt. argv: model dir n c h w output names... */
static const char runner[] =
    "import sys\n"
    "import numpy as np\n"
    "model, d, n, c, h, w = sys.argv[1:7]\n"
    "names = sys.argv[7:]\n"
    "try:\n"
    "    import onnx\n"
    "    onnx.checker.check_model(onnx.load(model), full_check=True)\n"
    "    said = 'ONNX checker ' + onnx.__version__ + ': valid'\n"
    "except ImportError:\n"
    "    said = 'ONNX checker not run (python3-onnx is not installed)'\n"
    "except Exception as e:\n"
    "    said = 'ONNX checker: INVALID: ' + str(e).replace('\\n', ' ')[:200]\n"
    "open(d + '/checker.txt', 'w').write(said)\n"
    "import cv2\n"
    "x = np.fromfile(d + '/input.f32', dtype=np.float32).reshape(int(n), int(c), int(h), int(w))\n"
    "net = cv2.dnn.readNetFromONNX(model)\n"
    "net.setInput(x, 'image')\n"
    "outs = net.forward(names)\n"
    "for name, o in zip(names, outs):\n"
    "    np.ascontiguousarray(o, dtype=np.float32).tofile(d + '/' + name + '.f32')\n"
    "open(d + '/runtime.txt', 'w').write('OpenCV ' + cv2.__version__)\n";

static int write_floats(const char *path, const float *x, size_t n)
{
    FILE *fp = fopen(path, "wb");
    int failed = !fp || fwrite(x, sizeof(float), n, fp) != n;
    if (fp && fclose(fp)) failed = 1;
    return failed ? -1 : 0;
}

/* Reads exactly n floats; -1 if the file is missing or of another size. */
static int read_floats(const char *path, float *x, size_t n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    size_t got = fread(x, sizeof(float), n, fp);
    int extra = fgetc(fp) != EOF;
    fclose(fp);
    return got == n && !extra ? 0 : -1;
}

static void read_text(const char *path, char *out, size_t len)
{
    FILE *fp = fopen(path, "r");
    out[0] = '\0';
    if (!fp) return;
    size_t got = fread(out, 1, len - 1, fp);
    out[got] = '\0';
    fclose(fp);
}

static int run_opencv(const char *model, const char *dir, const network *net, int images,
                      const relnas_export_plan *plan, char *err, size_t errlen)
{
    if (access(PYTHON, X_OK) != 0)
        return relnas_errorf(err, errlen, "--check needs %s with OpenCV: %s", PYTHON, INSTALL);
    char dims[4][16];
    snprintf(dims[0], 16, "%d", images), snprintf(dims[1], 16, "%d", net->c);
    snprintf(dims[2], 16, "%d", net->h), snprintf(dims[3], 16, "%d", net->w);
    char *argv[8 + RELNAS_EXPORT_MAX_OUTPUTS + 1] = {PYTHON, "-c", (char *)runner, (char *)model, (char *)dir,
                                                     dims[0], dims[1], dims[2], dims[3]};
    int argc = 9;
    for (int k = 0; k < plan->noutputs; ++k) argv[argc++] = (char *)plan->output[k].name;
    argv[argc] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) return relnas_errorf(err, errlen, "--check: cannot start %s: %s", PYTHON, strerror(errno));
    if (pid == 0) {
        execv(PYTHON, argv);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return relnas_errorf(err, errlen, "--check: OpenCV's DNN module could not run %s (its message is above; "
                             "OpenCV missing? %s)", model, INSTALL);
    return 0;
}

static relnas_check_result compare(const float *darknet, const float *other, size_t n)
{
    relnas_check_result r = {0, 0};
    for (size_t i = 0; i < n; ++i) {
        double d = fabs((double)darknet[i] - other[i]);
        if (!(d <= r.max_diff)) r.max_diff = d; /* a NaN difference stays NaN: never a pass */
        if (fabs(darknet[i]) > r.max_abs) r.max_abs = fabs(darknet[i]);
    }
    return r;
}

/* Darknet's forward on x, each output compared with what OpenCV wrote into dir. */
static int compare_outputs(network *net, const float *x, const char *dir, const relnas_export_plan *plan,
                           relnas_check_report *report, char *err, size_t errlen)
{
    network_predict(net, (float *)x);
    char path[4300];
    for (int k = 0; k < plan->noutputs; ++k) {
        layer l = net->layers[plan->output[k].layer];
        relnas_pull_output(net, l);
        size_t n = (size_t)l.outputs * report->images;
        float *other = RELNAS_CALLOC(n, sizeof(float));
        snprintf(path, sizeof(path), "%s/%s.f32", dir, plan->output[k].name);
        int rc = read_floats(path, other, n);
        if (rc == 0) report->result[k] = compare(l.output, other, n);
        free(other);
        if (rc) return relnas_errorf(err, errlen, "--check: OpenCV gave no %zu-float output %s", n, plan->output[k].name);
    }
    return 0;
}

static void remove_dir(const char *dir, const relnas_export_plan *plan)
{
    char path[4300];
    static const char *const files[] = {"input.f32", "runtime.txt", "checker.txt"};
    for (int k = 0; k < 3; ++k) snprintf(path, sizeof(path), "%s/%s", dir, files[k]), unlink(path);
    for (int k = 0; k < plan->noutputs; ++k)
        snprintf(path, sizeof(path), "%s/%s.f32", dir, plan->output[k].name), unlink(path);
    rmdir(dir);
}

int relnas_onnx_check(network *net, const char *path, const relnas_export_plan *plan, int images,
                      relnas_check_report *report, char *err, size_t errlen)
{
    memset(report, 0, sizeof(*report));
    report->images = images;
    set_batch_network(net, images);
    size_t n = (size_t)images * net->c * net->h * net->w;
    float *x = RELNAS_CALLOC(n, sizeof(float));
    relnas_rng rng = relnas_rng_seeded(20261207);
    for (size_t i = 0; i < n; ++i) x[i] = (float)relnas_rng_uniform(&rng);
    const char *tmp = getenv("TMPDIR");
    char dir[4096], input[4200];
    snprintf(dir, sizeof(dir), "%s/relnas-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) return free(x), relnas_errorf(err, errlen, "--check: cannot make %s: %s", dir, strerror(errno));
    snprintf(input, sizeof(input), "%s/input.f32", dir);
    int rc = write_floats(input, x, n) ? relnas_errorf(err, errlen, "--check: cannot write %s", input) : 0;
    if (rc == 0) rc = run_opencv(path, dir, net, images, plan, err, errlen);
    if (rc == 0) rc = compare_outputs(net, x, dir, plan, report, err, errlen);
    char text[4300];
    snprintf(text, sizeof(text), "%s/runtime.txt", dir), read_text(text, report->runtime, sizeof(report->runtime));
    snprintf(text, sizeof(text), "%s/checker.txt", dir), read_text(text, report->checker, sizeof(report->checker));
    remove_dir(dir, plan);
    free(x);
    return rc;
}

int relnas_onnx_check_passed(const relnas_check_report *r, const relnas_export_plan *plan)
{
    if (strstr(r->checker, "INVALID")) return 0;
    for (int k = 0; k < plan->noutputs; ++k)
        if (!(r->result[k].max_diff <= RELNAS_ONNX_CHECK_TOLERANCE * r->result[k].max_abs)) return 0;
    return 1;
}
