/* Tests of base/malloc_tune.h's worker tunables: the value GLIBC_TUNABLES
 * must hold, added to what a user set, never twice; and hgc-server's
 * export of it into its environment (which its workers inherit). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/malloc_tune.h"

Test(malloc_tune, unset_gets_the_workers_tunables)
{
    char buf[512];
    cr_assert_eq(hgc_worker_tunables(NULL, buf, sizeof buf), 1);
    cr_assert_str_eq(buf, HGC_WORKER_TUNABLES);
    cr_assert_eq(hgc_worker_tunables("", buf, sizeof buf), 1);
    cr_assert_str_eq(buf, HGC_WORKER_TUNABLES);
}

Test(malloc_tune, a_users_tunables_are_kept)
{
    char buf[512];
    cr_assert_eq(hgc_worker_tunables("glibc.malloc.check=3", buf, sizeof buf), 1);
    cr_assert_str_eq(buf, "glibc.malloc.check=3:" HGC_WORKER_TUNABLES);
    cr_assert_eq(hgc_worker_tunables(buf, buf + 256, 256), 0, "added twice");
}

Test(malloc_tune, a_small_buffer_is_refused)
{
    char buf[8];
    cr_assert_eq(hgc_worker_tunables(NULL, buf, sizeof buf), -1);
}

Test(malloc_tune, the_server_exports_them_once)
{
    setenv("GLIBC_TUNABLES", "glibc.malloc.check=3", 1);
    hgc_worker_tunables_export();
    cr_assert_str_eq(getenv("GLIBC_TUNABLES"), "glibc.malloc.check=3:" HGC_WORKER_TUNABLES);
    hgc_worker_tunables_export();
    cr_assert_str_eq(getenv("GLIBC_TUNABLES"), "glibc.malloc.check=3:" HGC_WORKER_TUNABLES);
}
