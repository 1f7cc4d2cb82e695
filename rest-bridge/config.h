/* config.h: hgc-rest's settings, from flags over HGC_* environment
 * variables over defaults. */
#ifndef REST_CONFIG_H
#define REST_CONFIG_H

#include <stddef.h>
#include "base/limits.h"

#define REST_ADDR_MAX       256
#define REST_CONFIG_MSG_MAX HGC_MSG_MAX

typedef struct rest_config {
    char listen[REST_ADDR_MAX];   /* "127.0.0.1:8080"; port 0 picks a free one */
    char upstream[REST_ADDR_MAX]; /* hgc-server's gRPC address */
    size_t max_body;              /* largest JSON body read, bytes */
    int timeout_ms;               /* default deadline of upstream calls; the ceiling of
                                     a caller's Request-Timeout */
    int read_timeout_ms;          /* a request's headers must be in within this; a body
                                     gets this much plus 1 s per KiB (docs/rest.md) */
} rest_config;

/* The defaults: 127.0.0.1:8080, 127.0.0.1:50051, 1 MiB, 30000 ms, 10000 ms. */
void rest_config_defaults(rest_config *cfg);

/* Defaults, then HGC_REST_LISTEN / HGC_UPSTREAM / HGC_REST_MAX_BODY /
 * HGC_REST_TIMEOUT_MS / HGC_REST_READ_TIMEOUT_MS, then flags. 0: run; 1: --help was asked (usage
 * printed to stdout); -1: bad flag or value, msg says which. */
int rest_config_parse(rest_config *cfg, int argc, char **argv, char msg[REST_CONFIG_MSG_MAX]);

#endif
