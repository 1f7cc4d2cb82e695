/* fixture.h: what the store's unit tests share: a temporary folder for
 * each test (made before it, removed after) and short id constructors.
 * Include after <criterion/criterion.h> and "graph_build.h". */
#ifndef TEST_ALGO_FIXTURE_H
#define TEST_ALGO_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];

/* /tmp/hgc-test-<name>-XXXXXX */
static inline void fixture_make_dir(const char *name)
{
    snprintf(dir, sizeof dir, "/tmp/hgc-test-%s-XXXXXX", name);
    cr_assert_not_null(mkdtemp(dir));
}

static inline void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A path in the test's folder; the last four stay valid. */
static inline char *tmp_path(const char *name)
{
    static char p[4][128];
    static int k;
    char *s = p[k++ % 4];
    snprintf(s, 128, "%s/%s", dir, name);
    return s;
}

static inline algo_vid num(int64_t x)
{
    return (algo_vid){.is_str = 0, .num = x};
}

static inline algo_vid str(const char *s)
{
    return (algo_vid){.is_str = 1, .str = s, .len = strlen(s)};
}

/* Whether two graphs' m weights are the same values held the same way
 * (doubles or whole numbers, or none). */
static inline int same_weights(algo_weights a, algo_weights b, uint64_t m)
{
    if ((a.d == NULL) != (b.d == NULL) || (a.u == NULL) != (b.u == NULL))
        return 0;
    return m == 0 || (a.d ? memcmp(a.d, b.d, m * 8) == 0 : !a.u || memcmp(a.u, b.u, m * 4) == 0);
}

#endif
