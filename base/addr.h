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

/* Why addr (as hgc_addr_check_grpc takes it) cannot be listened on, found
 * by trying: the name does not resolve, or binding it fails (in use, not
 * an address of this host, no permission, no such directory). Into why
 * (strerror's or gai_strerror's words); 0 if binding works now (the
 * failure was something else), -1 if it does not. For a message after a
 * server (gRPC's) failed to listen: it binds nothing that stays. */
int hgc_addr_listen_error(const char *addr, char *why, size_t cap);

#endif
