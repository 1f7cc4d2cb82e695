/* results.h: reading a task's result file back as ResultPage messages. */
#ifndef SVC_RESULTS_H
#define SVC_RESULTS_H

#include <stdint.h>
#include "hgc_rpc.h"

typedef enum svc_result_order {
    SVC_ORDER_VERTEX = 0, /* by vertex id (the file's order) */
    SVC_ORDER_ASC,        /* by value, then vertex */
    SVC_ORDER_DESC,
} svc_result_order;

/* "" -> by vertex, "asc"/"desc" any case. 0 or -1. */
int svc_result_order_parse(svc_result_order *out, const char *text);

/* Streams rows [offset, offset + limit) (limit -1: all) of the result in
 * `dir` in pages of up to 1000 rows; every page carries the header
 * fields. Returns the call's status. */
grpc_status_code svc_results_stream(hgc_call *call, const char *dir, int64_t task_id,
                                    svc_result_order order, int64_t offset, int64_t limit);

#endif
