#include "base/addr.h"

#include <string.h>

int hgc_addr_split(const char *addr, char *host, size_t host_size, int *port)
{
    const char *colon = strrchr(addr, ':');
    if (!colon || colon == addr)
        return -1;
    const char *h = addr;
    size_t hlen = (size_t)(colon - addr);
    if (h[0] == '[') { /* [::1]:8080 */
        if (hlen < 3 || h[hlen - 1] != ']')
            return -1;
        h++;
        hlen -= 2;
    } else if (memchr(h, ':', hlen)) {
        return -1; /* a bare v6 address is ambiguous: ask for brackets */
    }
    if (hlen + 1 > host_size)
        return -1;
    /* Digits only (no sign, no spaces), at most five, at most 65535. */
    const char *d = colon + 1;
    size_t nd = strspn(d, "0123456789");
    if (nd == 0 || nd > 5 || d[nd] != '\0')
        return -1;
    long p = 0;
    for (size_t i = 0; i < nd; i++)
        p = p * 10 + (d[i] - '0');
    if (p > 65535)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = (int)p;
    return 0;
}

int hgc_addr_check_grpc(const char *addr)
{
    if (strncmp(addr, "unix:", 5) == 0)
        return addr[5] != '\0' ? 0 : -1;
    char host[256];
    int port;
    return hgc_addr_split(addr, host, sizeof host, &port);
}
