/* channel_watch.h: keeps a client channel connecting on its own.
 *
 * The gRPC C core makes progress on a connection attempt only while some
 * thread polls (a call waiting on its completion queue). A long-lived
 * channel whose calls fail fast (UNAVAILABLE while the server is down)
 * polls almost never, so its reconnects were seen seconds late: hgc-rest
 * answered 503 for 4-15 s after hgc-server was back. A watcher asks the
 * channel to connect whenever it is idle and watches the channel's state
 * on the channel's async queue, whose thread (client_async.c) always
 * polls: reconnect attempts follow the channel's backoff (client.c: at
 * most 0.5 s apart), and the first one after the server listens again
 * succeeds at once.
 *
 * Cost: no thread of its own (it makes the channel's async side if no
 * call has); a wake-up of that thread a second when nothing changes.
 */
#ifndef HGC_CHANNEL_WATCH_H
#define HGC_CHANNEL_WATCH_H

#include "hgc_rpc.h"

typedef struct hgc_channel_watch hgc_channel_watch;

/* Starts watching c (which must outlive the watcher). 0, or -1 with msg. */
int hgc_channel_watch_new(hgc_channel_watch **out, hgc_channel *c, char msg[HGC_MSG_MAX]);

/* Stops (within a second) and frees. Before hgc_channel_free, whose async
 * side it uses. NULL is fine. */
void hgc_channel_watch_free(hgc_channel_watch *w);

#endif
