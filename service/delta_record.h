/* delta_record.h: the payload of one record of a delta log, a vertex
 * ('V') or an edge ('E'), in the layout delta_log.h gives. delta_log.c
 * frames, checksums and stores the payloads; this file only turns records
 * into bytes and back.
 */
#ifndef SVC_DELTA_RECORD_H
#define SVC_DELTA_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "records.h"
#include "store.h"

#define SVC_RECORD_VERTEX 'V' /* the record is an algo_vertex_rec */
#define SVC_RECORD_EDGE   'E' /* an algo_edge_rec */

/* 0, or -EINVAL with msg when the record holds what the layout can't
 * say (an empty string id, an unknown property type, a length without
 * bytes). */
int svc_record_check(uint8_t kind, const void *rec, char msg[SVC_MSG_MAX]);

/* The record's payload at p, or only its size when p is NULL. The caller
 * sizes first and refuses a record of 4 GiB or more (lengths are u32). */
size_t svc_record_encode(uint8_t *p, uint8_t kind, const void *rec);

/* What decoding reuses from record to record. Zeroed to start. */
typedef struct svc_record_scratch {
    algo_prop *props;
    size_t cap;
} svc_record_scratch;

void svc_record_scratch_free(svc_record_scratch *s);

#define SVC_RECORD_CORRUPT 1

/* Decodes the payload p[len] of kind and hands the record to the sink,
 * whose pointers reach into p and s. 0; SVC_RECORD_CORRUPT when the bytes
 * are not exactly one record of kind; -ENOMEM (m empty); or the sink's
 * negative error, with its sentence in m. */
int svc_record_decode(uint8_t kind, const uint8_t *p, size_t len, svc_record_scratch *s,
                      const algo_record_sink *sink, char m[ALGO_MSG_MAX]);

#endif
