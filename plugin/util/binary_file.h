/* Small self-checking binary files (checkpoints): a magic and version, then the fields in
 * the machine's byte order, then a CRC-32 (zlib) of everything before it. Writing goes to a
 * temporary file that is fsync'ed and put in place (output_file.h), so a crash leaves the old
 * file or the new one, never half of one. Reading takes the whole file, checks size and
 * CRC first, and every get is bounds-checked: a bad file is a message, never a crash. */
#ifndef RELNAS_BINARY_FILE_H
#define RELNAS_BINARY_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "output_file.h"

typedef struct relnas_binary_writer {
    FILE *fp;
    relnas_output out;   /* the target and its temporary file (output_file.h) */
    unsigned long crc;
    int failed;
    char *memory;        /* a writer into memory (relnas_binary_create_memory) */
    size_t memory_size;
} relnas_binary_writer;

/* Opens path's temporary file and writes magic (8 bytes) and version. Returns 0, or -1 with
 * a message. */
int relnas_binary_create(relnas_binary_writer *w, const char *path, const char magic[8], uint32_t version,
                         char *err, size_t errlen);
void relnas_binary_put(relnas_binary_writer *w, const void *data, size_t bytes);
void relnas_binary_put_i32(relnas_binary_writer *w, int32_t v);
void relnas_binary_put_f64(relnas_binary_writer *w, double v);
/* Appends the CRC, syncs and renames into place. Returns 0, or -1 with a message (the
 * target is then untouched). */
int relnas_binary_commit(relnas_binary_writer *w, char *err, size_t errlen);

/* The same layout into memory, for sending over the transport (util/transport.h). */
void relnas_binary_create_memory(relnas_binary_writer *w, const char magic[8], uint32_t version);
/* Appends the CRC; *bytes (malloc'ed, the caller frees) and *size are the whole file. */
void relnas_binary_commit_memory(relnas_binary_writer *w, void **bytes, size_t *size);

typedef struct relnas_binary_reader {
    unsigned char *data;
    size_t size, pos;     /* size excludes the CRC */
    const char *path;
    int failed;
} relnas_binary_reader;

/* Reads path whole and checks magic, version and CRC. Returns 0, or -1 with a message
 * naming the file and what is wrong. */
int relnas_binary_open(relnas_binary_reader *r, const char *path, const char magic[8], uint32_t version,
                       char *err, size_t errlen);
/* relnas_binary_open for bytes in memory (copied); name stands for the path in messages. */
int relnas_binary_open_memory(relnas_binary_reader *r, const void *bytes, size_t size, const char *name,
                              const char magic[8], uint32_t version, char *err, size_t errlen);
/* Copies the next bytes; past the end it zeroes dst and marks the reader failed. */
void relnas_binary_get(relnas_binary_reader *r, void *dst, size_t bytes);
int32_t relnas_binary_get_i32(relnas_binary_reader *r);
double relnas_binary_get_f64(relnas_binary_reader *r);
/* Bytes not yet read. */
size_t relnas_binary_left(const relnas_binary_reader *r);
void relnas_binary_close(relnas_binary_reader *r);

#endif
