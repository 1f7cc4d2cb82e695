/* job_watch.h: WatchJob as subscriptions. A watch holds no thread: the
 * handler subscribes the call and returns; one hub thread follows the
 * store's changes and sends each watched task's new snapshot through the
 * gRPC layer (hgc_call_post), ending the stream when the task is final.
 *
 * Cost: a store change makes the hub read each watched task once (watches
 * of one task share the read) and post to each of its watchers whose last
 * snapshot differs. A watcher that reads slowly gets the latest snapshot,
 * not every one between (hgc_call_post keeps one waiting message).
 */
#ifndef SVC_JOB_WATCH_H
#define SVC_JOB_WATCH_H

#include <stdint.h>
#include "hgc_rpc.h"
#include "store.h"

typedef struct svc_watch_hub svc_watch_hub;

/* Starts the hub's thread. 0, or negative with msg. */
int svc_watch_hub_start(svc_watch_hub **out, svc_store *store, char msg[SVC_MSG_MAX]);

/* After the gRPC server is down (no watch left). NULL is fine. */
void svc_watch_hub_stop(svc_watch_hub *h);

/* From a WatchJob handler, the graph and task id checked: keeps the call,
 * sends the task's snapshot now and every change after it, ends with OK
 * after the final one, NOT_FOUND if the task does not exist (or is
 * deleted), DEADLINE_EXCEEDED, CANCELLED or UNAVAILABLE (shutdown) if the
 * call ends first. The handler returns right after. */
void svc_watch_subscribe(svc_watch_hub *h, hgc_call *call, const char *graph, int64_t task_id);

#endif
