/* group_sync.h: a group commit for a file that writers append to and
 * must sync before they answer (the store's SQLite WAL, store.c).
 *
 * A writer that has written (say, committed a transaction) takes a ticket
 * with svc_group_sync_note, then, without holding its own locks, waits in
 * svc_group_sync_wait until an fdatasync of the file that began after its
 * write has finished. One waiter at a time leads a sync for everyone who
 * had written before it began; those arriving meanwhile wait for the next
 * round, so N writers that meet cost about two syncs, not N.
 *
 * The file is opened by path when needed and followed if it is replaced
 * (a new inode); a file that is gone has nothing left to sync. Thread-safe.
 */
#ifndef SVC_GROUP_SYNC_H
#define SVC_GROUP_SYNC_H

#include <stdint.h>

typedef struct svc_group_sync svc_group_sync;

/* For the file at `path`. 0 or -ENOMEM. */
int svc_group_sync_new(svc_group_sync **out, const char *path);
void svc_group_sync_free(svc_group_sync *g);

/* A write to the file has been made: its ticket (from 1). */
uint64_t svc_group_sync_note(svc_group_sync *g);

/* Waits until the write of `ticket` is synced: 0, or the -errno of the
 * sync that should have covered it. Ticket 0 returns 0 at once. */
int svc_group_sync_wait(svc_group_sync *g, uint64_t ticket);

/* Syncs the file now (for a caller that needs no ticket): 0 or -errno. */
int svc_group_sync_now(svc_group_sync *g);

/* The file's path. */
const char *svc_group_sync_path(const svc_group_sync *g);

#endif
