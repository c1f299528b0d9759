#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "weights_save.h"
#include "relnas_error.h"

int relnas_save_weights_atomically(network *net, const char *path, char *err, size_t errlen)
{
    char temp[4300];
    snprintf(temp, sizeof(temp), "%s.tmp", path);
    FILE *probe = fopen(temp, "wb"); /* save_weights exits without naming the reason */
    if (!probe) return relnas_errorf(err, errlen, "cannot write %s", temp);
    fclose(probe);
    save_weights(net, temp);
    int fd = open(temp, O_RDONLY);
    int synced = fd >= 0 && fsync(fd) == 0;
    if (fd >= 0) close(fd);
    if (!synced || rename(temp, path)) return relnas_errorf(err, errlen, "cannot write %s", path);
    return 0;
}
