/* fs.c: file-system helpers (see fs.h). */
#include "base/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int hgc_mkdir_p(const char *path, int include_last)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (!include_last) {
        char *slash = strrchr(buf, '/');
        if (slash == NULL)
            return 0;
        *slash = '\0';
    }
    size_t n = strlen(buf);
    if (n == 0)
        return 0;
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char saved = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) == 0) {
                if (hgc_fsync_parent(buf) < 0) /* the new entry survives a power cut */
                    return -1;
            } else if (errno != EEXIST) {
                return -1;
            }
            buf[i] = saved;
        }
    }
    struct stat sb;
    if (stat(buf, &sb) < 0)
        return -1;
    if (!S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

int hgc_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc < 0 ? -1 : 0;
}

int hgc_fsync_parent(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return hgc_fsync_dir(dirname(buf));
}
