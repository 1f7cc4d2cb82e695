/* Tests of base/hex.h, base/fnv.h, base/limits.h and base/addr.h. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/addr.h"
#include "base/fnv.h"
#include "base/hex.h"
#include "base/limits.h"

Test(hex, digits)
{
    const char *d = "0123456789abcdef";
    const char *u = "0123456789ABCDEF";
    for (int i = 0; i < 16; i++) {
        cr_expect_eq(hgc_hex_digit(d[i]), i);
        cr_expect_eq(hgc_hex_digit(u[i]), i);
    }
    int n = 0;
    for (int c = -128; c < 256; c++)
        n += hgc_hex_digit(c) >= 0;
    cr_expect_eq(n, 22, "0-9, a-f, A-F and nothing else");
    cr_expect_eq(hgc_hex_digit('g'), -1);
    cr_expect_eq(hgc_hex_digit('/'), -1);
    cr_expect_eq(hgc_hex_digit(-1), -1);
}

/* The published FNV-1a 64 test vectors: the graph store's header
 * checksums depend on these exact values. */
Test(fnv, published_vectors)
{
    cr_expect_eq(hgc_fnv1a(HGC_FNV1A_INIT, "", 0), 0xcbf29ce484222325ull);
    cr_expect_eq(hgc_fnv1a(HGC_FNV1A_INIT, "a", 1), 0xaf63dc4c8601ec8cull);
    cr_expect_eq(hgc_fnv1a(HGC_FNV1A_INIT, "foobar", 6), 0x85944171f73967e8ull);
    /* Folding in pieces is folding the whole. */
    cr_expect_eq(hgc_fnv1a(hgc_fnv1a(HGC_FNV1A_INIT, "foo", 3), "bar", 3),
                 hgc_fnv1a(HGC_FNV1A_INIT, "foobar", 6));
}

Test(limits, message_size)
{
    char msg[HGC_MSG_MAX];
    cr_expect_eq(sizeof msg, 256);
}

Test(addr, split)
{
    char host[64];
    int port = -1;
    cr_expect_eq(hgc_addr_split("127.0.0.1:0", host, sizeof host, &port), 0);
    cr_expect_str_eq(host, "127.0.0.1");
    cr_expect_eq(port, 0);
    cr_expect_eq(hgc_addr_split("[::1]:8080", host, sizeof host, &port), 0);
    cr_expect_str_eq(host, "::1");
    cr_expect_eq(port, 8080);
    cr_expect_eq(hgc_addr_split("localhost:65535", host, sizeof host, &port), 0);
    cr_expect_eq(port, 65535);
    cr_expect_eq(hgc_addr_split("h:00080", host, sizeof host, &port), 0);
    cr_expect_eq(port, 80);
    /* gRPC would take these as other ports (modulo 65536, or 0) */
    const char *bad[] = {"h:65536", "h:99999", "h:104095", "h:+80",   "h: 80",
                         "h:-1",    "h:80x",   "h:",       ":80",     "h",
                         "::1:80",  "[::1:80", "[]:80",    "h:000080"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(hgc_addr_split(bad[i], host, sizeof host, &port), -1, "%s", bad[i]);
    cr_expect_eq(hgc_addr_split("averyveryverylonghostnamethatdoesnotfit:1", host, 8, &port), -1);
}

Test(addr, grpc)
{
    cr_expect_eq(hgc_addr_check_grpc("unix:/tmp/hgc.sock"), 0);
    cr_expect_eq(hgc_addr_check_grpc("127.0.0.1:50051"), 0);
    cr_expect_eq(hgc_addr_check_grpc("unix:"), -1);
    cr_expect_eq(hgc_addr_check_grpc("127.0.0.1:99999"), -1);
    cr_expect_eq(hgc_addr_check_grpc("nohostport"), -1);
}
