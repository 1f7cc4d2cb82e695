#include "base/addr.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

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

int hgc_addr_listen_error(const char *addr, char *why, size_t cap)
{
    int fd, err = 0;
    if (strncmp(addr, "unix:", 5) == 0) {
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        const char *path = addr + 5;
        if (strlen(path) >= sizeof un.sun_path) {
            snprintf(why, cap, "the path is longer than %zu bytes", sizeof un.sun_path - 1);
            return -1;
        }
        memcpy(un.sun_path, path, strlen(path) + 1);
        if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
            err = errno;
        else if (bind(fd, (struct sockaddr *)&un, sizeof un) < 0)
            err = errno;
        else
            unlink(path); /* made by this probe */
        if (fd >= 0)
            close(fd);
    } else {
        char host[256], port_text[8];
        int port;
        struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE}, *ai = NULL;
        if (hgc_addr_split(addr, host, sizeof host, &port) < 0) {
            snprintf(why, cap, "not HOST:PORT or unix:PATH");
            return -1;
        }
        snprintf(port_text, sizeof port_text, "%d", port);
        int rc = getaddrinfo(host, port_text, &hints, &ai);
        if (rc != 0) {
            snprintf(why, cap, "%s", gai_strerror(rc));
            return -1;
        }
        /* The first address that fails says why; gRPC binds them all. */
        for (struct addrinfo *a = ai; a && !err; a = a->ai_next) {
            if ((fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol)) < 0) {
                err = errno;
                break;
            }
            int one = 1;
            (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            if (bind(fd, a->ai_addr, a->ai_addrlen) < 0)
                err = errno;
            close(fd);
        }
        freeaddrinfo(ai);
    }
    if (!err)
        return 0;
    snprintf(why, cap, "%s", strerror(err));
    return -1;
}
