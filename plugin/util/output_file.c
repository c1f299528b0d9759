#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "output_file.h"
#include "relnas_error.h"

/* The file a dangling symlink names (it will be created there). Returns 0, or -1. */
static int follow_dangling(const char *path, char *out, size_t len)
{
    char link[PATH_MAX], target[PATH_MAX];
    snprintf(link, sizeof(link), "%s", path);
    struct stat sb;
    for (int hops = 0; hops < 40 && lstat(link, &sb) == 0 && S_ISLNK(sb.st_mode); ++hops) {
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        if (n < 0) return -1;
        target[n] = '\0';
        if (target[0] == '/') snprintf(link, sizeof(link), "%s", target);
        else {
            char dir[PATH_MAX];
            snprintf(dir, sizeof(dir), "%s", link);
            const char *parent = dirname(dir);
            if (strlen(parent) + 1 + strlen(target) >= sizeof(link)) return -1;
            memcpy(link, parent, strlen(parent));
            link[strlen(parent)] = '/';
            memcpy(link + strlen(parent) + 1, target, strlen(target) + 1);
        }
    }
    if (lstat(link, &sb) == 0) return -1; /* a loop, or too many hops */
    snprintf(out, len, "%s", link);
    return 0;
}

int relnas_output_begin(relnas_output *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof(*o));
    struct stat sb;
    char resolved[PATH_MAX];
    snprintf(resolved, sizeof(resolved), "%s", path);
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) return relnas_errorf(err, errlen, "%s is a directory: expected a file path", path);
        o->in_place = !S_ISREG(sb.st_mode); /* opened by its own name: /dev/stdout may be a pipe */
        if (!o->in_place && !realpath(path, resolved)) return relnas_errorf(err, errlen, "%s: %s", path, strerror(errno));
    } else if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && follow_dangling(path, resolved, sizeof(resolved)))
        return relnas_errorf(err, errlen, "%s: a symlink that cannot be followed", path);
    if (strlen(resolved) >= sizeof(o->path) || strlen(path) >= sizeof(o->name))
        return relnas_errorf(err, errlen, "%.200s...: path too long", path);
    snprintf(o->path, sizeof(o->path), "%s", resolved);
    snprintf(o->name, sizeof(o->name), "%s", path);
    if (!o->in_place) snprintf(o->temp, sizeof(o->temp), "%s.tmp", o->path);
    else {
        const char *dir = getenv("TMPDIR");
        snprintf(o->temp, sizeof(o->temp), "%s/relnas-output-%d.tmp", dir && *dir ? dir : "/tmp", (int)getpid());
    }
    return 0;
}

/* The temporary file's bytes into the target, opened as it is (no truncation of a device). */
static int copy_in_place(const relnas_output *o)
{
    int from = open(o->temp, O_RDONLY), to = open(o->path, O_WRONLY | O_NOCTTY);
    int failed = from < 0 || to < 0 ? errno : 0;
    char buf[65536];
    for (ssize_t n; !failed && (n = read(from, buf, sizeof(buf))) != 0;) {
        if (n < 0) failed = errno;
        for (ssize_t done = 0; !failed && done < n;) {
            ssize_t w = write(to, buf + done, (size_t)(n - done));
            if (w < 0) failed = errno;
            else done += w;
        }
    }
    if (from >= 0) close(from);
    if (to >= 0 && close(to) && !failed) failed = errno;
    return failed;
}

/* fsync of the directory holding path, so a rename is durable. */
static void sync_directory(const char *path)
{
    char copy[4096];
    snprintf(copy, sizeof(copy), "%s", path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) fsync(fd), close(fd);
}

int relnas_output_commit(relnas_output *o, char *err, size_t errlen)
{
    int fd = open(o->temp, O_RDONLY), failed = fd < 0 ? errno : 0;
    if (fd >= 0 && fsync(fd)) failed = errno;
    if (fd >= 0) close(fd);
    if (!failed) failed = o->in_place ? copy_in_place(o) : rename(o->temp, o->path) ? errno : 0;
    unlink(o->temp);
    if (failed) return relnas_errorf(err, errlen, "%s: cannot write: %s", o->name, strerror(failed));
    if (!o->in_place) sync_directory(o->path);
    return 0;
}

void relnas_output_abort(relnas_output *o)
{
    unlink(o->temp);
}
