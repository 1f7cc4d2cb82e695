/* spawn_fills_disk.c: an LD_PRELOAD library for test_start_failure.py.
 * With HGC_FILL_ON_SPAWN set to a file's path, posix_spawn fills that
 * file's filesystem (writes zeros to the file until the disk refuses) and
 * then fails with ENOSPC, starting nothing: a worker that cannot start,
 * on a disk that became full at that moment. Without the variable it is
 * the C library's posix_spawn. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <unistd.h>

typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                        const posix_spawnattr_t *, char *const[], char *const[]);

static void fill(const char *path)
{
    static const char zeros[1 << 16];
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    while (write(fd, zeros, sizeof zeros) > 0)
        ;
    /* the last page's worth, byte runs that still fit */
    for (size_t n = 4096; n > 0; n /= 2)
        while (write(fd, zeros, n) > 0)
            ;
    close(fd);
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
    const char *filler = getenv("HGC_FILL_ON_SPAWN");
    if (filler && filler[0]) {
        fill(filler);
        return ENOSPC;
    }
    spawn_fn next = (spawn_fn)dlsym(RTLD_NEXT, "posix_spawn");
    return next ? next(pid, path, fa, attr, argv, envp) : ENOSYS;
}
