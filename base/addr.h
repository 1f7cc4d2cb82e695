/* addr.h: the network addresses the programs take on their command lines
 * (hgc-server --listen, hgc-rest --listen and --upstream, hgc --server):
 * "host:port", "[v6]:port", and for gRPC also "unix:PATH". Checked here,
 * before gRPC or libmicrohttpd see them: gRPC takes port 99999 as 34463
 * (modulo 65536) and 65536 as 0, a free port. */
#ifndef HGC_BASE_ADDR_H
#define HGC_BASE_ADDR_H

#include <stddef.h>

/* Splits "host:port" / "[v6]:port" into host (without brackets) and port
 * (0 to 65535, decimal digits only). 0, or -1: not such an address, or
 * the host does not fit host_size. A bare v6 address ("::1:80") is
 * refused as ambiguous. */
int hgc_addr_split(const char *addr, char *host, size_t host_size, int *port);

/* 0 if addr is "host:port" as hgc_addr_split takes it, or unix:PATH with
 * a path; -1 otherwise. */
int hgc_addr_check_grpc(const char *addr);

#endif
