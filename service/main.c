/* hgc-server: flags, then the service (server.c). */
#include "config.h"
#include "server.h"
#include "base/malloc_tune.h"

int main(int argc, char **argv)
{
    hgc_worker_tunables_export(); /* before any thread: the workers' allocator */
    svc_config cfg;
    int rc = svc_config_parse(&cfg, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    return svc_server_run(&cfg);
}
