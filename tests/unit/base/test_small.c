/* Tests of base/hex.h, base/fnv.h and base/limits.h. */
#include <criterion/criterion.h>
#include <string.h>

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
