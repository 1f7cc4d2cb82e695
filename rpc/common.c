/* common.c: what both sides of hgc_rpc use: the counted gRPC init, status
 * names, and conversion between protobuf-c messages and gRPC byte buffers.
 *
 * Packing costs one copy (message -> one slice that gRPC then owns).
 * Unpacking a message that arrived in one slice reads it in place; one that
 * arrived in several (large messages) is first joined into one buffer,
 * since protobuf-c wants contiguous input.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include "rpc_internal.h"

static pthread_mutex_t init_mu = PTHREAD_MUTEX_INITIALIZER;
static int init_count;

void hgc_rpc_init(void)
{
    pthread_mutex_lock(&init_mu);
    if (init_count++ == 0)
        grpc_init();
    pthread_mutex_unlock(&init_mu);
}

void hgc_rpc_shutdown(void)
{
    pthread_mutex_lock(&init_mu);
    if (init_count > 0 && --init_count == 0)
        grpc_shutdown();
    pthread_mutex_unlock(&init_mu);
}

const char *hgc_status_name(grpc_status_code code)
{
    static const char *const names[] = {
        "OK",
        "CANCELLED",
        "UNKNOWN",
        "INVALID_ARGUMENT",
        "DEADLINE_EXCEEDED",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED",
        "FAILED_PRECONDITION",
        "ABORTED",
        "OUT_OF_RANGE",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNAVAILABLE",
        "DATA_LOSS",
        "UNAUTHENTICATED",
    };
    if ((int)code >= 0 && (size_t)code < sizeof names / sizeof names[0])
        return names[code];
    return "UNKNOWN";
}

grpc_byte_buffer *hgc_pack(const ProtobufCMessage *msg)
{
    size_t n = protobuf_c_message_get_packed_size(msg);
    grpc_slice slice = grpc_slice_malloc(n);
    protobuf_c_message_pack(msg, GRPC_SLICE_START_PTR(slice));
    grpc_byte_buffer *bb = grpc_raw_byte_buffer_create(&slice, 1);
    grpc_slice_unref(slice);
    return bb;
}

ProtobufCMessage *hgc_unpack(grpc_byte_buffer *bb, const ProtobufCMessageDescriptor *desc,
                             ProtobufCAllocator *alloc)
{
    ProtobufCMessage *m = NULL;
    if (bb->type == GRPC_BB_RAW && bb->data.raw.compression == GRPC_COMPRESS_NONE &&
        bb->data.raw.slice_buffer.count <= 1) {
        /* The common case: no join needed. */
        if (bb->data.raw.slice_buffer.count == 0)
            return protobuf_c_message_unpack(desc, alloc, 0, (const uint8_t *)"");
        grpc_slice s = bb->data.raw.slice_buffer.slices[0];
        return protobuf_c_message_unpack(desc, alloc, GRPC_SLICE_LENGTH(s),
                                         GRPC_SLICE_START_PTR(s));
    }
    grpc_byte_buffer_reader r;
    if (!grpc_byte_buffer_reader_init(&r, bb))
        return NULL;
    grpc_slice all = grpc_byte_buffer_reader_readall(&r);
    grpc_byte_buffer_reader_destroy(&r);
    m = protobuf_c_message_unpack(desc, alloc, GRPC_SLICE_LENGTH(all), GRPC_SLICE_START_PTR(all));
    grpc_slice_unref(all);
    return m;
}

int hgc_method_path(char *buf, size_t size, const ProtobufCServiceDescriptor *svc,
                    const ProtobufCMethodDescriptor *md)
{
    int n = snprintf(buf, size, "/%s/%s", svc->name, md->name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}
