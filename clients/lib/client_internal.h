/* client_internal.h: what the files of hgc_client share and callers of
 * hgc_client.h do not see. */
#ifndef HGC_CLIENT_INTERNAL_H
#define HGC_CLIENT_INTERNAL_H

#include "hgc_client.h"

struct hgc_client {
    hgc_channel *channel;
    char *target;
    int timeout_ms;
};

/* Fills st with a failure found on this side; returns `code`. */
grpc_status_code client_fail(hgc_status *st, grpc_status_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One unary call to JobService (jobs != 0) or GraphService. */
grpc_status_code client_unary(hgc_client *c, int jobs, const char *method,
                              const ProtobufCMessage *req, ProtobufCMessage **reply,
                              hgc_status *st);

/* protobuf-c wants char * for string fields; NULL means "". */
char *client_str(const char *s);

#endif
