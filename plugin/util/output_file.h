/* Writing an output file without lying: the bytes go to a temporary file that replaces the
 * target only once they are all written (a failed run never leaves half a file, nor
 * replaces a good one). A symlink is followed, not replaced; a target that is not a regular
 * file (a device such as /dev/full, a FIFO, /dev/stdout) is written in place, never renamed
 * over; a directory is refused. Every failure is a message naming the path. */
#ifndef RELNAS_OUTPUT_FILE_H
#define RELNAS_OUTPUT_FILE_H

#include <stddef.h>

typedef struct relnas_output {
    char name[4096];  /* the path as given, for messages */
    char path[4096];  /* the target, symlinks resolved */
    char temp[4200];  /* where the bytes go first */
    int in_place;     /* the target is not a regular file: copied into, not renamed over */
} relnas_output;

/* Chooses the target and the temporary file (not created). Returns 0, or -1 with a message. */
int relnas_output_begin(relnas_output *o, const char *path, char *err, size_t errlen);

/* Syncs the written temporary file and puts it in place. The temporary file is gone
 * afterwards, either way. Returns 0, or -1 with a message. */
int relnas_output_commit(relnas_output *o, char *err, size_t errlen);

/* Drops the temporary file after a failed write. */
void relnas_output_abort(relnas_output *o);

#endif
