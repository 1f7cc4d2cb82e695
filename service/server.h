/* server.h: hgc-server as a library: sets everything up, serves until
 * SIGTERM or SIGINT, shuts down cleanly. */
#ifndef SVC_SERVER_H
#define SVC_SERVER_H

#include "config.h"

/* Returns the process exit code. */
int svc_server_run(const svc_config *cfg);

#endif
