/* fault_shim.c: an LD_PRELOAD library for test_store_faults.py, which
 * makes two faults of a real disk happen at the moment a test needs them:
 *
 * - HGC_FILL_ON_SPAWN=PATH: posix_spawn fills PATH's filesystem (writes
 *   zeros to PATH until the disk refuses), then fails with ENOSPC and
 *   starts nothing: a worker that cannot start, on a disk that became full
 *   at that moment.
 * - HGC_FAIL_SYNC_THREAD=NAME and HGC_FAIL_SYNC_WHILE=PATH: fdatasync
 *   fails with EIO (ENOSPC with HGC_FAIL_SYNC_FULL=1) when called by the
 *   thread named NAME while the file PATH exists: a write that commits
 *   and then fails to reach the disk.
 *
 * Without these variables the calls are the C library's. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                        const posix_spawnattr_t *, char *const[], char *const[]);
typedef int (*sync_fn)(int);

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

int fdatasync(int fd)
{
    const char *thread = getenv("HGC_FAIL_SYNC_THREAD");
    const char *flag = getenv("HGC_FAIL_SYNC_WHILE");
    char name[16] = "";
    if (thread && flag && access(flag, F_OK) == 0 &&
        pthread_getname_np(pthread_self(), name, sizeof name) == 0 && strcmp(name, thread) == 0) {
        const char *full = getenv("HGC_FAIL_SYNC_FULL");
        errno = full && strcmp(full, "1") == 0 ? ENOSPC : EIO;
        return -1;
    }
    sync_fn next = (sync_fn)dlsym(RTLD_NEXT, "fdatasync");
    if (next == NULL) {
        errno = ENOSYS;
        return -1;
    }
    return next(fd);
}
