/* group_sync.c: group commit of one file's syncs (group_sync.h).
 *
 * Tickets count writes; `synced` is the highest ticket known durable. A
 * leader reads the last ticket given out before it syncs, so every write
 * with a ticket up to that one had reached the file (in the page cache)
 * when fdatasync began, and is durable when it returns. A failed sync
 * fails the tickets of its round only; the next round tries again.
 *
 * Cost: one fdatasync per round; a waiter costs a mutex and a condition
 * wait.
 */
#include "group_sync.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct svc_group_sync {
    pthread_mutex_t lock;
    pthread_cond_t done;
    uint64_t noted;  /* tickets given out */
    uint64_t synced; /* tickets known durable */
    uint64_t failed; /* tickets up to here failed with failed_err (if above synced) */
    int failed_err;
    int syncing; /* a round is running; only its leader touches fd */
    int fd;      /* -1 until needed */
    char *path;
};

int svc_group_sync_new(svc_group_sync **out, const char *path)
{
    svc_group_sync *g = calloc(1, sizeof *g);
    if (g == NULL || (g->path = strdup(path)) == NULL) {
        free(g);
        return -ENOMEM;
    }
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->done, NULL);
    g->fd = -1;
    *out = g;
    return 0;
}

void svc_group_sync_free(svc_group_sync *g)
{
    if (g == NULL)
        return;
    if (g->fd >= 0)
        close(g->fd);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->done);
    free(g->path);
    free(g);
}

const char *svc_group_sync_path(const svc_group_sync *g)
{
    return g->path;
}

uint64_t svc_group_sync_note(svc_group_sync *g)
{
    pthread_mutex_lock(&g->lock);
    uint64_t t = ++g->noted;
    pthread_mutex_unlock(&g->lock);
    return t;
}

/* One fdatasync of the file, by the round's leader only. */
static int sync_file(svc_group_sync *g)
{
    struct stat a, b;
    if (stat(g->path, &a) < 0)
        return errno == ENOENT ? 0 : -errno;
    if (g->fd >= 0 && (fstat(g->fd, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)) {
        close(g->fd);
        g->fd = -1;
    }
    if (g->fd < 0 && (g->fd = open(g->path, O_RDONLY | O_CLOEXEC)) < 0)
        return errno == ENOENT ? 0 : -errno;
    return fdatasync(g->fd) < 0 ? -errno : 0;
}

int svc_group_sync_wait(svc_group_sync *g, uint64_t ticket)
{
    int err = 0;
    pthread_mutex_lock(&g->lock);
    while (g->synced < ticket) {
        if (g->failed >= ticket) {
            err = g->failed_err;
            break;
        }
        if (g->syncing) {
            pthread_cond_wait(&g->done, &g->lock);
            continue;
        }
        uint64_t upto = g->noted;
        g->syncing = 1;
        pthread_mutex_unlock(&g->lock);
        int rc = sync_file(g);
        pthread_mutex_lock(&g->lock);
        g->syncing = 0;
        if (rc == 0) {
            if (upto > g->synced)
                g->synced = upto;
        } else {
            fprintf(stderr, "hgc-server: cannot sync %s: %s\n", g->path, strerror(-rc));
            g->failed = upto;
            g->failed_err = rc;
        }
        pthread_cond_broadcast(&g->done);
    }
    pthread_mutex_unlock(&g->lock);
    return err;
}

int svc_group_sync_now(svc_group_sync *g)
{
    return svc_group_sync_wait(g, svc_group_sync_note(g));
}
