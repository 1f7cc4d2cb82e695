/* snapshot_fixture.h: what the snapshot folder tests share
 * (test_snapshot*.c): paths in the test's folder, a builder, files
 * written and copied, and the check that a damaged folder is refused.
 * Include after fixture.h and "snapshot.h". */
#ifndef TEST_ALGO_SNAPSHOT_FIXTURE_H
#define TEST_ALGO_SNAPSHOT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

static char msg[ALGO_MSG_MAX];

/* A path in the test's folder; the last eight stay valid. */
static inline char *in_dir(const char *name)
{
    static char p[8][256];
    static int k;
    char *s = p[k++ % 8];
    snprintf(s, 256, "%s/%s", dir, name);
    return s;
}

static inline algo_graph_builder *new_builder(void)
{
    algo_graph_builder *b;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    return b;
}

static inline void put_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

static inline void copy_folder(const char *from, const char *to)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s && cp -r %s %s", to, from, to);
    cr_assert_eq(system(cmd), 0);
}

/* The folder must not open, and the refusal must say why. */
static inline void refused(const char *folder, const char *what)
{
    algo_snapshot s;
    msg[0] = 0;
    cr_assert_lt(algo_snapshot_open(&s, folder, msg), 0, "%s: opened", what);
    cr_assert_neq(msg[0], 0, "%s: no message", what);
}

#endif
