/* Tests of base/clock.h and base/fs.h, on the real clocks and a real
 * temporary folder. No wall-clock durations are asserted beyond order. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fs.h"

Test(clock, monotonic_and_wall)
{
    int64_t a = hgc_now_ms();
    double s = hgc_now_s();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    usleep(2000);
    cr_expect_geq(hgc_now_ms(), a + 2);
    cr_expect_gt(hgc_now_s(), s);
    cr_expect_geq(hgc_ms_since(&t0), 2.0);
    cr_expect_lt(hgc_now_s() - (double)hgc_now_ms() / 1e3, 1.0, "the same clock");
    int64_t w = hgc_wall_ms();
    cr_expect_gt(w, (int64_t)1600000000 * 1000, "milliseconds since 1970");
    cr_expect_leq((int64_t)time(NULL) - w / 1000, 1);
}

Test(clock, timespecs)
{
    struct timespec ts;
    hgc_abs_timespec(12345, &ts);
    cr_expect_eq(ts.tv_sec, 12);
    cr_expect_eq(ts.tv_nsec, 345000000L);
    for (int64_t ms = 0; ms < 2000; ms += 7) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        hgc_deadline_in(&ts, ms);
        cr_assert(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L, "normalised");
        double d =
            (double)(ts.tv_sec - now.tv_sec) * 1e3 + (double)(ts.tv_nsec - now.tv_nsec) / 1e6;
        cr_assert(d >= (double)ms && d < (double)ms + 1000, "%lld ms ahead: %f", (long long)ms, d);
    }
}

static char root[64];

static void make_root(void)
{
    snprintf(root, sizeof root, "/tmp/hgc-base-fs-XXXXXX");
    cr_assert_not_null(mkdtemp(root));
}

static void remove_root(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_expect_eq(system(cmd), 0);
}

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

Test(fs, mkdir_p, .init = make_root, .fini = remove_root)
{
    char p[256];
    snprintf(p, sizeof p, "%s/a/b/c", root);
    cr_assert_eq(hgc_mkdir_p(p, 1), 0, "%s", strerror(errno));
    cr_expect(is_dir(p));
    cr_assert_eq(hgc_mkdir_p(p, 1), 0, "again: it exists");

    snprintf(p, sizeof p, "%s/x/y/file.log", root);
    cr_assert_eq(hgc_mkdir_p(p, 0), 0);
    snprintf(p, sizeof p, "%s/x/y", root);
    cr_expect(is_dir(p), "the parents only");
    snprintf(p, sizeof p, "%s/x/y/file.log", root);
    cr_expect(!is_dir(p));

    FILE *f = fopen(p, "w");
    cr_assert_not_null(f);
    fclose(f);
    cr_expect_eq(hgc_mkdir_p(p, 1), -1, "a file is in the way");
    cr_expect_eq(errno, ENOTDIR);
    char under[300];
    snprintf(under, sizeof under, "%s/z", p);
    cr_expect_eq(hgc_mkdir_p(under, 1), -1);

    char *longp = malloc(5000);
    memset(longp, 'a', 4999);
    longp[4999] = '\0';
    cr_expect_eq(hgc_mkdir_p(longp, 1), -1);
    cr_expect_eq(errno, ENAMETOOLONG);
    free(longp);
}

Test(fs, fsync_dir, .init = make_root, .fini = remove_root)
{
    char p[256];
    cr_expect_eq(hgc_fsync_dir(root), 0, "%s", strerror(errno));
    snprintf(p, sizeof p, "%s/file", root);
    cr_expect_eq(hgc_fsync_parent(p), 0, "the folder of a name");
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f);
    fclose(f);
    cr_expect_eq(hgc_fsync_dir(p), -1, "a file is not a folder");
    cr_expect_eq(errno, ENOTDIR);
    snprintf(p, sizeof p, "%s/missing/file", root);
    cr_expect_eq(hgc_fsync_parent(p), -1);
    cr_expect_eq(errno, ENOENT);
}
