/* The group commit of a file's syncs (service/group_sync.c), on a real
 * file: every ticket is answered, by syncs that began after its write;
 * writers that meet share rounds; a file that is gone or replaced is
 * handled. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "group_sync.h"

static char dir[] = "/tmp/hgc-test-gsync-XXXXXX";
static char path[256];

static void setup(void)
{
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/log", dir);
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(group_sync, .init = setup, .fini = teardown);

static void append(const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

Test(group_sync, tickets_in_order)
{
    svc_group_sync *g = NULL;
    cr_assert_eq(svc_group_sync_new(&g, path), 0);
    cr_expect_str_eq(svc_group_sync_path(g), path);
    cr_expect_eq(svc_group_sync_wait(g, 0), 0);
    /* No file yet: nothing to sync, and no error. */
    cr_expect_eq(svc_group_sync_now(g), 0);
    append("a");
    uint64_t t1 = svc_group_sync_note(g);
    append("b");
    uint64_t t2 = svc_group_sync_note(g);
    cr_expect_eq(t2, t1 + 1);
    cr_expect_eq(svc_group_sync_wait(g, t2), 0);
    cr_expect_eq(svc_group_sync_wait(g, t1), 0, "an earlier ticket is covered");
    /* Replaced (a new inode): followed. */
    cr_assert_eq(unlink(path), 0);
    append("c");
    cr_expect_eq(svc_group_sync_now(g), 0);
    svc_group_sync_free(g);
    svc_group_sync_free(NULL);
}

typedef struct writer {
    svc_group_sync *g;
    pthread_mutex_t *file_lock;
    int n, errors;
} writer;

static void *write_many(void *arg)
{
    writer *w = arg;
    for (int i = 0; i < w->n; i++) {
        pthread_mutex_lock(w->file_lock);
        append("x");
        uint64_t t = svc_group_sync_note(w->g);
        pthread_mutex_unlock(w->file_lock);
        if (svc_group_sync_wait(w->g, t) != 0)
            w->errors++;
    }
    return NULL;
}

Test(group_sync, concurrent_writers_all_answered)
{
    enum { THREADS = 8, EACH = 50 };
    svc_group_sync *g = NULL;
    pthread_mutex_t file_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_t th[THREADS];
    writer w[THREADS];
    cr_assert_eq(svc_group_sync_new(&g, path), 0);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (writer){g, &file_lock, EACH, 0};
        cr_assert_eq(pthread_create(&th[i], NULL, write_many, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        cr_expect_eq(w[i].errors, 0);
    }
    cr_expect_eq(svc_group_sync_note(g), THREADS * EACH + 1);
    svc_group_sync_free(g);
}
