#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "binary_file.h"
#include "relnas_check.h"
#include "relnas_error.h"

int relnas_binary_create(relnas_binary_writer *w, const char *path, const char magic[8], uint32_t version,
                         char *err, size_t errlen)
{
    memset(w, 0, sizeof(*w));
    if (relnas_output_begin(&w->out, path, err, errlen)) return -1;
    w->fp = fopen(w->out.temp, "wb");
    if (!w->fp) return relnas_errorf(err, errlen, "%s: cannot write: %s", w->out.temp, strerror(errno));
    w->crc = crc32(0L, Z_NULL, 0);
    relnas_binary_put(w, magic, 8);
    relnas_binary_put(w, &version, sizeof(version));
    return 0;
}

void relnas_binary_put(relnas_binary_writer *w, const void *data, size_t bytes)
{
    if (w->failed || bytes == 0) return;
    if (fwrite(data, 1, bytes, w->fp) != bytes) w->failed = errno ? errno : EIO;
    /* zlib's crc32 takes a uInt length: feed large arrays in pieces */
    for (size_t done = 0; done < bytes;) {
        size_t piece = bytes - done < (1u << 30) ? bytes - done : (1u << 30);
        w->crc = crc32(w->crc, (const Bytef *)data + done, (uInt)piece);
        done += piece;
    }
}

void relnas_binary_put_i32(relnas_binary_writer *w, int32_t v)
{
    relnas_binary_put(w, &v, sizeof(v));
}

void relnas_binary_put_f64(relnas_binary_writer *w, double v)
{
    relnas_binary_put(w, &v, sizeof(v));
}

int relnas_binary_commit(relnas_binary_writer *w, char *err, size_t errlen)
{
    uint32_t crc = (uint32_t)w->crc;
    if (!w->failed && fwrite(&crc, 1, sizeof(crc), w->fp) != sizeof(crc)) w->failed = errno ? errno : EIO;
    if (!w->failed && fflush(w->fp)) w->failed = errno ? errno : EIO;
    if (fclose(w->fp) && !w->failed) w->failed = errno ? errno : EIO;
    w->fp = NULL;
    if (!w->failed) return relnas_output_commit(&w->out, err, errlen);
    relnas_output_abort(&w->out);
    return relnas_errorf(err, errlen, "%s: cannot write: %s", w->out.name, strerror(w->failed));
}

static int read_whole(const char *path, unsigned char **data, size_t *size, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return relnas_errorf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(fp), &sb) || !S_ISREG(sb.st_mode)) {
        fclose(fp);
        return relnas_errorf(err, errlen, "%s: not a regular file", path);
    }
    *size = (size_t)sb.st_size;
    *data = malloc(*size ? *size : 1);
    size_t got = *data ? fread(*data, 1, *size, fp) : 0;
    fclose(fp);
    if (!*data || got != *size) {
        free(*data), *data = NULL;
        return relnas_errorf(err, errlen, "%s: cannot read %zu bytes", path, *size);
    }
    return 0;
}

void relnas_binary_create_memory(relnas_binary_writer *w, const char magic[8], uint32_t version)
{
    memset(w, 0, sizeof(*w));
    w->fp = open_memstream(&w->memory, &w->memory_size);
    RELNAS_ASSERT(w->fp);
    w->crc = crc32(0L, Z_NULL, 0);
    relnas_binary_put(w, magic, 8);
    relnas_binary_put(w, &version, sizeof(version));
}

void relnas_binary_commit_memory(relnas_binary_writer *w, void **bytes, size_t *size)
{
    uint32_t crc = (uint32_t)w->crc;
    relnas_binary_put(w, &crc, sizeof(crc));
    RELNAS_ASSERT(fclose(w->fp) == 0 && !w->failed); /* memory streams fail only without memory */
    *bytes = w->memory, *size = w->memory_size;
    w->fp = NULL, w->memory = NULL;
}

/* Checks the magic, version and CRC of the bytes r holds. */
static int check_whole(relnas_binary_reader *r, const char magic[8], uint32_t version, char *err, size_t errlen)
{
    const char *path = r->path;
    const char *problem = NULL;
    char versions[160];
    uint32_t found_version = 0, stored_crc = 0;
    if (r->size < 16 || memcmp(r->data, magic, 8)) problem = "not a file of this kind (wrong magic)";
    else {
        memcpy(&found_version, r->data + 8, 4);
        r->size -= 4;
        memcpy(&stored_crc, r->data + r->size, 4);
        uLong crc = crc32(0L, Z_NULL, 0);
        for (size_t done = 0; done < r->size;) {
            size_t piece = r->size - done < (1u << 30) ? r->size - done : (1u << 30);
            crc = crc32(crc, r->data + done, (uInt)piece);
            done += piece;
        }
        snprintf(versions, sizeof(versions), "written by another version of this program (format %u; this build "
                 "reads format %u: finish it with the build that wrote it)", found_version, version);
        if (found_version != version) problem = versions;
        else if ((uint32_t)crc != stored_crc) problem = "corrupt (checksum mismatch: truncated or altered)";
    }
    if (problem) {
        relnas_binary_close(r);
        return relnas_errorf(err, errlen, "%s: %s", path, problem);
    }
    r->pos = 12;
    return 0;
}

int relnas_binary_open(relnas_binary_reader *r, const char *path, const char magic[8], uint32_t version,
                       char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    r->path = path;
    if (read_whole(path, &r->data, &r->size, err, errlen)) return -1;
    return check_whole(r, magic, version, err, errlen);
}

int relnas_binary_open_memory(relnas_binary_reader *r, const void *bytes, size_t size, const char *name,
                              const char magic[8], uint32_t version, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    r->path = name;
    r->data = RELNAS_CALLOC(size ? size : 1, 1);
    memcpy(r->data, bytes, size);
    r->size = size;
    return check_whole(r, magic, version, err, errlen);
}

void relnas_binary_get(relnas_binary_reader *r, void *dst, size_t bytes)
{
    if (r->failed || bytes > r->size - r->pos) {
        r->failed = 1;
        memset(dst, 0, bytes);
        return;
    }
    memcpy(dst, r->data + r->pos, bytes);
    r->pos += bytes;
}

int32_t relnas_binary_get_i32(relnas_binary_reader *r)
{
    int32_t v;
    relnas_binary_get(r, &v, sizeof(v));
    return v;
}

double relnas_binary_get_f64(relnas_binary_reader *r)
{
    double v;
    relnas_binary_get(r, &v, sizeof(v));
    return v;
}

size_t relnas_binary_left(const relnas_binary_reader *r)
{
    return r->size - r->pos;
}

void relnas_binary_close(relnas_binary_reader *r)
{
    free(r->data);
    r->data = NULL;
}
