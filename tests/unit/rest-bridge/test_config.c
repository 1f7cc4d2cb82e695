/* test_config.c: hgc-rest's flags and environment (rest-bridge/
 * config.c): defaults, precedence flag > env > default, every refusal.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static int parse(rest_config *cfg, char msg[REST_CONFIG_MSG_MAX], int argc, ...)
{
    char *argv[16] = {(char *)"hgc-rest"};
    va_list ap;
    va_start(ap, argc);
    for (int i = 1; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    msg[0] = '\0';
    return rest_config_parse(cfg, argc, argv, msg);
}

static void clear_env(void)
{
    unsetenv("HGC_REST_LISTEN");
    unsetenv("HGC_UPSTREAM");
    unsetenv("HGC_REST_MAX_BODY");
    unsetenv("HGC_REST_TIMEOUT_MS");
    unsetenv("HGC_REST_READ_TIMEOUT_MS");
}

Test(rest_config, defaults, .init = clear_env)
{
    rest_config c;
    char msg[REST_CONFIG_MSG_MAX];
    cr_assert_eq(parse(&c, msg, 1), 0, "%s", msg);
    cr_expect_str_eq(c.listen, "127.0.0.1:8080");
    cr_expect_str_eq(c.upstream, "127.0.0.1:50051");
    cr_expect_eq(c.max_body, 1024 * 1024);
    cr_expect_eq(c.timeout_ms, 30000);
    cr_expect_eq(c.read_timeout_ms, 10000);
}

Test(rest_config, read_timeout, .init = clear_env)
{
    rest_config c;
    char msg[REST_CONFIG_MSG_MAX];
    setenv("HGC_REST_READ_TIMEOUT_MS", "2500", 1);
    cr_assert_eq(parse(&c, msg, 1), 0, "%s", msg);
    cr_expect_eq(c.read_timeout_ms, 2500);
    cr_assert_eq(parse(&c, msg, 2, "--read-timeout-ms=700"), 0, "%s", msg);
    cr_expect_eq(c.read_timeout_ms, 700);
    cr_expect_eq(parse(&c, msg, 3, "--read-timeout-ms", "0"), -1);
    cr_expect(strstr(msg, "--read-timeout-ms") != NULL, "%s", msg);
    setenv("HGC_REST_READ_TIMEOUT_MS", "soon", 1);
    cr_expect_eq(parse(&c, msg, 1), -1);
    cr_expect(strstr(msg, "HGC_REST_READ_TIMEOUT_MS") != NULL, "%s", msg);
    clear_env();
}

Test(rest_config, flags_over_env, .init = clear_env)
{
    rest_config c;
    char msg[REST_CONFIG_MSG_MAX];
    setenv("HGC_REST_LISTEN", "127.0.0.1:9000", 1);
    setenv("HGC_UPSTREAM", "127.0.0.1:7000", 1);
    setenv("HGC_REST_TIMEOUT_MS", "1500", 1);
    cr_assert_eq(parse(&c, msg, 5, "--listen", "0.0.0.0:0", "--max-body=2048", "--timeout-ms=99"),
                 0, "%s", msg);
    cr_expect_str_eq(c.listen, "0.0.0.0:0");
    cr_expect_str_eq(c.upstream, "127.0.0.1:7000");
    cr_expect_eq(c.max_body, 2048);
    cr_expect_eq(c.timeout_ms, 99);
    clear_env();
}

Test(rest_config, upstream_on_a_unix_socket, .init = clear_env)
{
    rest_config c;
    char msg[REST_CONFIG_MSG_MAX];
    cr_assert_eq(parse(&c, msg, 3, "--upstream", "unix:/run/hgc/hgc.sock"), 0, "%s", msg);
    cr_expect_str_eq(c.upstream, "unix:/run/hgc/hgc.sock");
    setenv("HGC_UPSTREAM", "unix:/tmp/h.sock", 1);
    cr_assert_eq(parse(&c, msg, 1), 0, "%s", msg);
    cr_expect_str_eq(c.upstream, "unix:/tmp/h.sock");
    clear_env();
    /* no path, and --listen (HTTP) takes no unix socket */
    cr_expect_eq(parse(&c, msg, 3, "--upstream", "unix:"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--listen", "unix:/tmp/r.sock"), -1);
}

Test(rest_config, refusals, .init = clear_env)
{
    rest_config c;
    char msg[REST_CONFIG_MSG_MAX];
    cr_expect_eq(parse(&c, msg, 2, "--nope"), -1);
    cr_expect(strstr(msg, "--nope") != NULL, "%s", msg);
    cr_expect_eq(parse(&c, msg, 2, "--listen"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--listen", "localhost"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--listen", "h:70000"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--listen", "::1:80"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--upstream", ":80"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--max-body", "0"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--max-body", "-1"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--max-body", "12k"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--timeout-ms", "0"), -1);
    cr_expect_eq(parse(&c, msg, 3, "--timeout-ms", "1e3"), -1);
    setenv("HGC_REST_MAX_BODY", "lots", 1);
    cr_expect_eq(parse(&c, msg, 1), -1);
    cr_expect(strstr(msg, "HGC_REST_MAX_BODY") != NULL, "%s", msg);
    clear_env();
}

Test(rest_config, help, .init = clear_env)
{
    rest_config c;
    char msg[REST_CONFIG_MSG_MAX];
    cr_redirect_stdout();
    cr_expect_eq(parse(&c, msg, 2, "--help"), 1);
}
