/* fuzz_tmp.c: the fuzz targets' scratch directory (fuzz_tmp.h). */
#define _GNU_SOURCE
#include "fuzz_tmp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NAMES 8

static char dir[512];
static char paths[MAX_NAMES][640];
static const char *names[MAX_NAMES];
static pid_t owner;

/* Removes the files we named and the directory; only in the process that
 * made it (a forked child exits through here too). */
static void cleanup(void)
{
    if (!dir[0] || getpid() != owner)
        return;
    for (int i = 0; i < MAX_NAMES && names[i]; i++) {
        char tmp[700];
        unlink(paths[i]);
        snprintf(tmp, sizeof tmp, "%s.tmp", paths[i]);
        unlink(tmp);
    }
    rmdir(dir);
}

static void make_dir(void)
{
    const char *base = getenv("HGC_FUZZ_TMPDIR");
    struct stat st;
    if (!base || !*base)
        base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0
                   ? "/dev/shm"
                   : NULL;
    if (!base)
        base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(dir, sizeof dir, "%s/hgc-fuzz-XXXXXX", base);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "fuzz_tmp: mkdtemp %s: %s\n", dir, strerror(errno));
        abort();
    }
    owner = getpid();
    atexit(cleanup);
}

const char *fuzz_tmp_path(const char *name)
{
    if (!dir[0])
        make_dir();
    for (int i = 0; i < MAX_NAMES; i++) {
        if (names[i] && strcmp(names[i], name) == 0)
            return paths[i];
        if (!names[i]) {
            names[i] = name;
            snprintf(paths[i], sizeof paths[i], "%s/%s", dir, name);
            return paths[i];
        }
    }
    fprintf(stderr, "fuzz_tmp: more than %d names\n", MAX_NAMES);
    abort();
}

void fuzz_tmp_write(const char *path, const uint8_t *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "fuzz_tmp: %s: %s\n", path, strerror(errno));
        abort();
    }
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "fuzz_tmp: write %s: %s\n", path, strerror(errno));
            abort();
        }
        data += w;
        len -= (size_t)w;
    }
    close(fd);
}
