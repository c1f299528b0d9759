#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "search_run_dir.h"
#include "cfg_writer.h"
#include "genotype_parse.h"
#include "relnas_check.h"
#include "relnas_error.h"
#include "search_log.h"

void relnas_run_dir_default(char *out, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, len, "runs/search-%Y%m%d-%H%M%S", &tm);
}

int relnas_make_directories(const char *path)
{
    char partial[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(partial)) return errno = ENAMETOOLONG, -1;
    for (size_t i = 1; i <= n; ++i)
        if (path[i] == '/' || path[i] == '\0') {
            memcpy(partial, path, i);
            partial[i] = '\0';
            if (mkdir(partial, 0777) && errno != EEXIST) return -1;
        }
    return 0;
}

struct run_dir_tee {
    FILE *a, *b;
};

static ssize_t tee_write(void *cookie, const char *buf, size_t n)
{
    struct run_dir_tee *t = cookie;
    fwrite(buf, 1, n, t->a);
    fwrite(buf, 1, n, t->b);
    fflush(t->a);
    return (ssize_t)n;
}

static FILE *open_log(const char *dir, const char *name, long resume_size, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (resume_size >= 0 && truncate(path, resume_size) && errno != ENOENT) {
        relnas_errorf(err, errlen, "%s: cannot cut back to %ld bytes: %s", path, resume_size, strerror(errno));
        return NULL;
    }
    FILE *fp = fopen(path, resume_size >= 0 ? "a" : "w");
    if (!fp) relnas_errorf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return fp;
}

void relnas_run_dir_close(relnas_run_dir *f)
{
    if (f->progress) fclose(f->progress);
    FILE *files[3] = {f->log, f->csv, f->jsonl};
    for (int k = 0; k < 3; ++k)
        if (files[k]) fclose(files[k]);
    free(f->tee);
    memset(f, 0, sizeof(*f));
}

int relnas_run_dir_open(relnas_run_dir *f, const char *dir, const relnas_search_state *st, int resume, char *err,
                        size_t errlen)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->checkpoint, sizeof(f->checkpoint), "%s/checkpoint", dir);
    f->log = open_log(dir, "log.txt", resume ? st->log_sizes[0] : -1, err, errlen);
    if (f->log) f->csv = open_log(dir, "log.csv", resume ? st->log_sizes[1] : -1, err, errlen);
    if (f->csv) f->jsonl = open_log(dir, "log.jsonl", resume ? st->log_sizes[2] : -1, err, errlen);
    if (!f->jsonl) return relnas_run_dir_close(f), -1;
    if (!resume) fputs(relnas_search_csv_header, f->csv);
    f->tee = RELNAS_CALLOC(1, sizeof(*f->tee));
    *f->tee = (struct run_dir_tee){stdout, f->log};
    f->progress = fopencookie(f->tee, "w", (cookie_io_functions_t){NULL, tee_write, NULL, NULL});
    RELNAS_ASSERT(f->progress);
    setvbuf(f->progress, NULL, _IOLBF, 0);
    return 0;
}

void relnas_run_dir_write_population(int gen, const char *text, void *ctx)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/population_gen%03d.txt", (const char *)ctx, gen);
    FILE *fp = fopen(path, "w");
    if (fp) fputs(text, fp), fclose(fp);
}

/* dir/name holding text. Returns 0, or -1 with a message. */
static int write_text(const char *dir, const char *name, const char *text, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) return relnas_errorf(err, errlen, "cannot write %.900s: %s", path, strerror(errno));
    fputs(text, fp);
    if (fclose(fp)) return relnas_errorf(err, errlen, "cannot write %.900s: %s", path, strerror(errno));
    return 0;
}

int relnas_run_dir_write_results(const char *dir, const relnas_search_state *st, const double *best, char *err,
                                 size_t errlen)
{
    relnas_genotype g;
    char repr[2048], path[4200];
    if (relnas_genotype_from_vector(best, &g, err, errlen)) return -1;
    relnas_genotype_format(repr, sizeof(repr), &g);
    strcat(repr, "\n");
    if (write_text(dir, "final.genotype", repr, err, errlen)) return -1;
    relnas_net_spec spec;
    relnas_net_preset("cifar", &spec);
    spec.classes = st->data.classes, spec.width = st->data.w, spec.height = st->data.h, spec.channels = st->data.c;
    spec.auxiliary = st->data.w >= 32 && st->data.h >= 32; /* the head's pooling needs 8x8 maps */
    snprintf(path, sizeof(path), "%s/final.cfg", dir);
    FILE *fp = fopen(path, "w");
    if (!fp) return relnas_errorf(err, errlen, "cannot write %.900s: %s", path, strerror(errno));
    int rc = relnas_write_cfg(fp, &g, &spec, "relnas search", err, errlen);
    if (fclose(fp) && rc == 0) rc = relnas_errorf(err, errlen, "cannot write %.900s: %s", path, strerror(errno));
    snprintf(path, sizeof(path), "%s/chart.png", dir);
    if (rc == 0)
        rc = relnas_write_search_chart(path, st->fast_loss, st->slow_loss, st->diversity, st->settings.generations,
                                       800, 480, err, errlen);
    return rc;
}
