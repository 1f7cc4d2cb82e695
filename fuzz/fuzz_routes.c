/* fuzz_routes.c: the REST route matcher, rest_routes_match
 * (rest-bridge/routes.h), over the real table: built once from the
 * embedded descriptor set for the job and graph services.
 *
 * The input is a path (its bytes up to the first NUL), matched with every
 * HTTP method the bridge serves and one it does not. Checks beyond the
 * sanitizers, each an abort() (a finding), from routes.h's promises:
 *   - a match (0) returns a route of that method (for HEAD, a GET route
 *     that allows HEAD) whose pattern has the path's shape, and one
 *     decoded value per {variable}, each a C string within items[].value;
 *   - -2 returns a route of another method, and Allow lists methods;
 *   - -1 and -2 leave `vars` untouched;
 *   - -1 means no method matches the path at all.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgc/v1/graphs.pb-c.h"
#include "hgc/v1/jobs.pb-c.h"
#include "hgc_descriptors.h"
#include "routes.h"

static rest_routes *table;

static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
#define N_METHODS (sizeof methods / sizeof methods[0])

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const ProtobufCServiceDescriptor *const services[] = {
        &hgc__v1__job_service__descriptor,
        &hgc__v1__graph_service__descriptor,
    };
    char msg[REST_MSG_MAX];
    if (rest_routes_new(&table, hgc_descriptor_set, hgc_descriptor_set_len, services,
                        sizeof services / sizeof services[0], msg) != 0) {
        fprintf(stderr, "fuzz_routes: building the route table: %s\n", msg);
        abort();
    }
    if (rest_routes_count(table) == 0) {
        fprintf(stderr, "fuzz_routes: the route table is empty\n");
        abort();
    }
    return 0;
}

static void fail(const char *what, const char *method, const char *path)
{
    fprintf(stderr, "fuzz_routes: %s %s: %s\n", method, path, what);
    abort();
}

/* Variables in a pattern ("{name}"). */
static size_t count_vars(const char *pattern)
{
    size_t n = 0;
    for (const char *p = pattern; *p; p++)
        n += *p == '{';
    return n;
}

static void check_match(const char *method, const char *path, const rest_route *route,
                        const rest_path_vars *vars)
{
    if (!route)
        fail("matched without a route", method, path);
    /* HEAD answers by a GET route that allows it (routes.h: head). */
    int head = strcmp(method, "HEAD") == 0 && strcmp(route->http_method, "GET") == 0 && route->head;
    if (strcmp(route->http_method, method) != 0 && !head)
        fail("matched a route of another method", method, path);
    if (vars->n != count_vars(route->pattern) || vars->n > REST_MAX_VARS)
        fail("wrong number of variables", method, path);
    for (size_t i = 0; i < vars->n; i++) {
        if (!vars->items[i].name ||
            !memchr(vars->items[i].value, '\0', sizeof vars->items[i].value))
            fail("a variable without a name or unterminated", method, path);
        if (!strstr(route->pattern, vars->items[i].name))
            fail("a variable the pattern does not name", method, path);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size C string, so ASan sees any read past its end. */
    char *path = malloc(size + 1);
    if (!path)
        return 0;
    memcpy(path, data, size);
    path[size] = '\0';

    int any_match = 0, any_other = 0, any_none = 0;
    for (size_t i = 0; i < N_METHODS; i++) {
        const rest_route *route = NULL;
        rest_path_vars vars;
        memset(&vars, 0xa5, sizeof vars);
        vars.n = 12345;
        int rc = rest_routes_match(table, methods[i], path, &route, &vars);
        if (rc == 0) {
            any_match = 1;
            check_match(methods[i], path, route, &vars);
        } else if (rc == -1 || rc == -2) {
            any_none |= rc == -1;
            if (vars.n != 12345)
                fail("vars changed without a match", methods[i], path);
            if (rc == -2) {
                any_other = 1;
                if (!route || strcmp(route->http_method, methods[i]) == 0)
                    fail("-2 without a route of another method", methods[i], path);
            }
        } else {
            fail("unexpected return value", methods[i], path);
        }
        /* NULL outputs are allowed. */
        if (rest_routes_match(table, methods[i], path, NULL, NULL) != rc)
            fail("NULL outputs changed the answer", methods[i], path);
    }
    if (any_none && (any_match || any_other))
        fail("-1 for one method, a route for another", "*", path);
    char allow[64];
    size_t n_allow = rest_routes_allow(table, path, allow, sizeof allow);
    if ((any_match || any_other) != (n_allow > 0))
        fail("Allow disagrees with matching", "*", path);
    if (n_allow > 0 && !memchr(allow, '\0', sizeof allow))
        fail("Allow unterminated", "*", path);
    free(path);
    return 0;
}
