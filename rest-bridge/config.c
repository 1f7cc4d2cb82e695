/* config.c: flags and environment of hgc-rest. Every value is checked
 * here, so the server starts with settings it can use or not at all. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"

#define DEFAULT_LISTEN     "127.0.0.1:8080"
#define DEFAULT_UPSTREAM   "127.0.0.1:50051"
#define DEFAULT_MAX_BODY   (1024 * 1024)
#define DEFAULT_TIMEOUT_MS 30000
#define DEFAULT_READ_MS    10000
/* A JSON body beyond this is not a job request; it also keeps a body
 * buffer's size well inside what size arithmetic can hold. */
#define MAX_BODY_CEILING ((size_t)1 << 30)

static const char usage[] =
    "usage: hgc-rest [options]\n"
    "HugeGraph's graph computing REST endpoints over hgc-server's gRPC API.\n"
    "\n"
    "  --listen ADDR      address to serve HTTP on (HGC_REST_LISTEN; default " DEFAULT_LISTEN ");\n"
    "                     port 0 picks a free one; prints 'listening on HOST:PORT'\n"
    "  --upstream ADDR    hgc-server's gRPC address, HOST:PORT or unix:PATH (HGC_UPSTREAM;\n"
    "                     default " DEFAULT_UPSTREAM ")\n"
    "  --max-body BYTES   largest JSON request body (HGC_REST_MAX_BODY; default 1048576);\n"
    "                     edge-list uploads are streamed and have no limit here\n"
    "  --timeout-ms N     deadline of each call to hgc-server (HGC_REST_TIMEOUT_MS;\n"
    "                     default 30000); a caller's Request-Timeout header may shorten it\n"
    "  --read-timeout-ms N  a client must send a request's headers within N ms of\n"
    "                     connecting (or of its idle period's end), and a body within\n"
    "                     N ms plus 1 s per KiB; else the connection is closed\n"
    "                     (HGC_REST_READ_TIMEOUT_MS; default 10000)\n"
    "  --help             this text\n";

void rest_config_defaults(rest_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->listen, sizeof cfg->listen, "%s", DEFAULT_LISTEN);
    snprintf(cfg->upstream, sizeof cfg->upstream, "%s", DEFAULT_UPSTREAM);
    cfg->max_body = DEFAULT_MAX_BODY;
    cfg->timeout_ms = DEFAULT_TIMEOUT_MS;
    cfg->read_timeout_ms = DEFAULT_READ_MS;
}

static int set_addr(char dst[REST_ADDR_MAX], const char *what, const char *v, char msg[])
{
    char host[REST_ADDR_MAX];
    int port;
    if (strlen(v) >= REST_ADDR_MAX || hgc_addr_split(v, host, sizeof host, &port) < 0) {
        snprintf(msg, REST_CONFIG_MSG_MAX, "%s '%.100s' is not HOST:PORT", what, v);
        return -1;
    }
    snprintf(dst, REST_ADDR_MAX, "%s", v);
    return 0;
}

/* hgc-server's address: HOST:PORT, or a unix socket (unix:PATH, which
 * hgc-server --listen also takes). */
static int set_upstream(char dst[REST_ADDR_MAX], const char *what, const char *v, char msg[])
{
    if (strncmp(v, "unix:", 5) != 0 || v[5] == '\0')
        return set_addr(dst, what, v, msg);
    if (strlen(v) >= REST_ADDR_MAX) {
        snprintf(msg, REST_CONFIG_MSG_MAX, "%s '%.100s...' is too long", what, v);
        return -1;
    }
    snprintf(dst, REST_ADDR_MAX, "%s", v);
    return 0;
}

static int set_size(size_t *dst, const char *what, const char *v, char msg[])
{
    char *end = NULL;
    errno = 0;
    uintmax_t n = strtoumax(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-' || n < 1 || n > MAX_BODY_CEILING) {
        snprintf(msg, REST_CONFIG_MSG_MAX, "%s '%.40s' must be a byte count from 1 to %zu", what, v,
                 MAX_BODY_CEILING);
        return -1;
    }
    *dst = (size_t)n;
    return 0;
}

static int set_ms(int *dst, const char *what, const char *v, char msg[])
{
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > 24L * 3600 * 1000) {
        snprintf(msg, REST_CONFIG_MSG_MAX, "%s '%.40s' must be milliseconds from 1 to 86400000",
                 what, v);
        return -1;
    }
    *dst = (int)n;
    return 0;
}

static int from_env(rest_config *cfg, char msg[])
{
    const char *v;
    if ((v = getenv("HGC_REST_LISTEN")) && *v &&
        set_addr(cfg->listen, "HGC_REST_LISTEN", v, msg) < 0)
        return -1;
    if ((v = getenv("HGC_UPSTREAM")) && *v &&
        set_upstream(cfg->upstream, "HGC_UPSTREAM", v, msg) < 0)
        return -1;
    if ((v = getenv("HGC_REST_MAX_BODY")) && *v &&
        set_size(&cfg->max_body, "HGC_REST_MAX_BODY", v, msg) < 0)
        return -1;
    if ((v = getenv("HGC_REST_TIMEOUT_MS")) && *v &&
        set_ms(&cfg->timeout_ms, "HGC_REST_TIMEOUT_MS", v, msg) < 0)
        return -1;
    if ((v = getenv("HGC_REST_READ_TIMEOUT_MS")) && *v &&
        set_ms(&cfg->read_timeout_ms, "HGC_REST_READ_TIMEOUT_MS", v, msg) < 0)
        return -1;
    return 0;
}

int rest_config_parse(rest_config *cfg, int argc, char **argv, char msg[REST_CONFIG_MSG_MAX])
{
    rest_config_defaults(cfg);
    if (from_env(cfg, msg) < 0)
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 1;
        }
        /* --flag VALUE and --flag=VALUE */
        static const char *const names[] = {"--listen", "--upstream", "--max-body", "--timeout-ms",
                                            "--read-timeout-ms"};
        const char *val = NULL;
        size_t k;
        for (k = 0; k < sizeof names / sizeof names[0]; k++) {
            size_t n = strlen(names[k]);
            if (strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                if (a[n] == '=')
                    val = a + n + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                break;
            }
        }
        if (k == sizeof names / sizeof names[0]) {
            snprintf(msg, REST_CONFIG_MSG_MAX, "unknown option '%.60s' (try --help)", a);
            return -1;
        }
        if (!val) {
            snprintf(msg, REST_CONFIG_MSG_MAX, "%s needs a value (try --help)", names[k]);
            return -1;
        }
        int rc = 0;
        switch (k) {
        case 0: rc = set_addr(cfg->listen, "--listen", val, msg); break;
        case 1: rc = set_upstream(cfg->upstream, "--upstream", val, msg); break;
        case 2: rc = set_size(&cfg->max_body, "--max-body", val, msg); break;
        case 3: rc = set_ms(&cfg->timeout_ms, "--timeout-ms", val, msg); break;
        default: rc = set_ms(&cfg->read_timeout_ms, "--read-timeout-ms", val, msg); break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}
