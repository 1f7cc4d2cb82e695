/* test_graph_file.c: mapping snapshots: finding ids, and that damaged
 * files (truncated, any byte changed, targeted corruptions) are refused
 * or, when accepted, still safe to walk: checked here by an independent
 * walk of every offset and index. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#include "graph_build.h"
#include "graph_file.h"
#include "fixture.h"

static char msg[ALGO_MSG_MAX];

static void make_dir(void)
{
    fixture_make_dir("gfile");
}

TestSuite(graph_file, .init = make_dir, .fini = remove_dir);

/* Ids -50, 0, 7, 1000000, 1e12, "a", "ab", "b", "zz"; weighted: whole
 * numbers (stored as uint32) plus `frac` (0.1: stored as doubles). */
static void build_small_w(const char *path, double frac)
{
    algo_graph_builder *b;
    algo_vid v[] = {num(7), num(-50),           str("ab"), num(1000000), str("a"),
                    num(0), num(1000000000000), str("zz"), str("b")};
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    for (int i = 0; i < 9; i++)
        for (int j = 0; j < 9; j += 1 + i % 3)
            cr_assert_eq(algo_graph_builder_add_edge(b, &v[i], &v[j], 1, i * 10 + j + frac, msg), 0,
                         "%s", msg);
    cr_assert_eq(algo_graph_builder_write(b, path, msg), 0, "%s", msg);
    algo_graph_builder_free(b);
}

static void build_small(const char *path)
{
    build_small_w(path, 0);
}

Test(graph_file, find_ids)
{
    algo_graph g;
    build_small(tmp_path("g"));
    cr_assert_eq(algo_graph_map(&g, tmp_path("g"), msg), 0, "%s", msg);
    cr_assert_eq(g.n, 9);
    cr_assert_eq(algo_graph_find_num(&g, -50), 0);
    cr_assert_eq(algo_graph_find_num(&g, 0), 1);
    cr_assert_eq(algo_graph_find_num(&g, 7), 2);
    cr_assert_eq(algo_graph_find_num(&g, 1000000), 3);
    cr_assert_eq(algo_graph_find_num(&g, 1000000000000), 4);
    cr_assert_eq(algo_graph_find_str(&g, "a", 1), 5);
    cr_assert_eq(algo_graph_find_str(&g, "ab", 2), 6);
    cr_assert_eq(algo_graph_find_str(&g, "b", 1), 7);
    cr_assert_eq(algo_graph_find_str(&g, "zz", 2), 8);
    int64_t absent[] = {-51, -49, 1, 6, 8, 999999, INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        cr_assert_eq(algo_graph_find_num(&g, absent[i]), -1, "%" PRId64, absent[i]);
    const char *sabsent[] = {"", "A", "aa", "abc", "c", "z", "zzz", "7"};
    for (size_t i = 0; i < sizeof sabsent / sizeof *sabsent; i++)
        cr_assert_eq(algo_graph_find_str(&g, sabsent[i], strlen(sabsent[i])), -1, "%s", sabsent[i]);
    /* Spot check an edge: 7 -> "b" weighs 0*10 + 8 (vertex i=0, j=8). */
    uint64_t v = 2;
    int found = 0;
    for (uint64_t i = g.out_off[v]; i < g.out_off[v + 1]; i++)
        found += g.out_dst[i] == 7 && algo_weight(g.out_w, i) == 8.0;
    cr_assert_eq(found, 1);
    algo_graph_unmap(&g);
    algo_graph_unmap(&g); /* zeroed: safe */
}

Test(graph_file, only_numbers_or_only_strings)
{
    algo_graph_builder *b;
    algo_graph g;
    algo_vid x = str("x"), y = str("y"), one = num(1), two = num(2);
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_graph_builder_add_edge(b, &y, &x, 0, 0, msg), 0);
    cr_assert_eq(algo_graph_builder_write(b, tmp_path("s"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_graph_map(&g, tmp_path("s"), msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_find_num(&g, 0), -1);
    cr_assert_eq(algo_graph_find_str(&g, "x", 1), 0);
    cr_assert_eq(algo_graph_find_str(&g, "y", 1), 1);
    algo_graph_unmap(&g);

    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_graph_builder_add_edge(b, &two, &one, 0, 0, msg), 0);
    cr_assert_eq(algo_graph_builder_write(b, tmp_path("n"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_graph_map(&g, tmp_path("n"), msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_find_str(&g, "x", 1), -1);
    cr_assert_eq(algo_graph_find_num(&g, 1), 0);
    cr_assert_eq(algo_graph_find_num(&g, 2), 1);
    algo_graph_unmap(&g);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(*len + 1);
    cr_assert_eq(fread(p, 1, *len, f), *len);
    fclose(f);
    return p;
}

static void spill(const char *path, const void *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(p, 1, len, f), len);
    fclose(f);
}

/* What a kernel relies on, checked without the library's validator
 * (plain checks: Criterion asserts are too slow for thousands of maps).
 * 0 if safe, else the line of the failed check. */
static int walk_all(const algo_graph *g)
{
    const uint64_t *offs[2] = {g->out_off, g->in_off};
    const uint32_t *adjs[2] = {g->out_dst, g->in_src};
    volatile double sink = 0;
    if (g->ids.str_off[0] != 0)
        return __LINE__;
    for (uint64_t v = 0; v < g->n; v++) {
        if (g->ids.str_off[v] > g->ids.str_off[v + 1])
            return __LINE__;
        for (uint64_t k = g->ids.str_off[v]; k < g->ids.str_off[v + 1]; k++)
            sink += g->ids.str[k];
    }
    for (int d = 0; d < 2; d++) {
        if (offs[d][0] != 0 || offs[d][g->n] != g->m)
            return __LINE__;
        for (uint64_t v = 0; v < g->n; v++) {
            if (offs[d][v] > offs[d][v + 1])
                return __LINE__;
            for (uint64_t i = offs[d][v]; i < offs[d][v + 1]; i++) {
                if (adjs[d][i] >= g->n)
                    return __LINE__;
                sink += (double)g->ids.num[adjs[d][i]];
                if (algo_weights_on(g->out_w))
                    sink += algo_weight(d ? g->in_w : g->out_w, i);
            }
        }
    }
    return 0;
}

Test(graph_file, truncated_files_are_refused)
{
    size_t len;
    build_small(tmp_path("g"));
    unsigned char *f = slurp(tmp_path("g"), &len);
    algo_graph g;
    for (size_t cut = 0; cut < len; cut++) {
        spill(tmp_path("cut"), f, cut);
        cr_assert_lt(algo_graph_map(&g, tmp_path("cut"), msg), 0, "accepted at %zu of %zu", cut,
                     len);
        cr_assert(strstr(msg, tmp_path("cut")), "%s", msg);
    }
    /* One byte more is refused too: the header records the length. */
    f = realloc(f, len + 1);
    f[len] = 0;
    spill(tmp_path("long"), f, len + 1);
    cr_assert_lt(algo_graph_map(&g, tmp_path("long"), msg), 0);
    free(f);
}

/* Every byte changed three ways, weights stored as whole numbers (frac 0)
 * or as doubles (frac 0.1). */
static void any_changed_byte(double frac)
{
    size_t len, accepted = 0;
    build_small_w(tmp_path("g"), frac);
    unsigned char *f = slurp(tmp_path("g"), &len);
    algo_graph g;
    for (size_t i = 0; i < len; i++)
        for (int flip = 0; flip < 3; flip++) {
            static const unsigned char masks[] = {0x01, 0x80, 0xff};
            f[i] ^= masks[flip];
            spill(tmp_path("bad"), f, len);
            if (algo_graph_map(&g, tmp_path("bad"), msg) == 0) {
                int bad = walk_all(&g);
                algo_graph_unmap(&g);
                cr_assert_eq(bad, 0, "byte %zu ^ %#x accepted, unsafe (check at line %d)", i,
                             masks[flip], bad);
                /* The header up to its reserved tail is all structure. */
                cr_assert_geq(i, 184, "header byte %zu ^ %#x accepted", i, masks[flip]);
                accepted++;
            }
            f[i] ^= masks[flip];
        }
    cr_assert_lt(accepted, len * 3);
    free(f);
}

Test(graph_file, any_changed_byte_is_refused_or_harmless)
{
    any_changed_byte(0);
}

Test(graph_file, any_changed_byte_with_double_weights_is_refused_or_harmless)
{
    any_changed_byte(0.1);
}

/* Targeted damage, with the section located through a good mapping. */
static void corrupt_and_expect(size_t at, const void *bytes, size_t n, const char *what)
{
    size_t len;
    unsigned char *f = slurp(tmp_path("g"), &len);
    algo_graph g;
    cr_assert_leq(at + n, len);
    memcpy(f + at, bytes, n);
    spill(tmp_path("bad"), f, len);
    cr_assert_lt(algo_graph_map(&g, tmp_path("bad"), msg), 0, "accepted: %s", what);
    cr_assert(strstr(msg, what), "message '%s' lacks '%s'", msg, what);
    free(f);
}

Test(graph_file, targeted_corruptions)
{
    algo_graph g;
    build_small(tmp_path("g"));
    cr_assert_eq(algo_graph_map(&g, tmp_path("g"), msg), 0, "%s", msg);
    const char *base = g.map_;
    size_t dst0 = (size_t)((const char *)g.out_dst - base);
    size_t src0 = (size_t)((const char *)g.in_src - base);
    size_t off1 = (size_t)((const char *)(g.out_off + 1) - base);
    size_t num0 = (size_t)((const char *)g.ids.num - base);
    size_t soff = (size_t)((const char *)(g.ids.str_off + 6) - base);
    uint32_t big = 9, zero = 0;
    uint64_t huge = g.m + 1, past = 5;
    int64_t ids[2] = {g.ids.num[1], g.ids.num[0]};
    algo_graph_unmap(&g);

    corrupt_and_expect(0, "HGCGRAPX", 8, "bad magic");
    uint32_t version = 2;
    corrupt_and_expect(8, &version, 4, "version");
    /* target 9 of n = 9; the two lists are checked on two threads, and
     * each names its own list */
    corrupt_and_expect(dst0, &big, 4, "out-edge edge 0: neighbour 9 out of range");
    corrupt_and_expect(src0, &big, 4, "in-edge edge 0: neighbour 9 out of range");
    corrupt_and_expect(dst0 + 4, &zero, 4, "out of order"); /* list 0 sorted: 0, 1, ... */
    corrupt_and_expect(off1, &huge, 8, "out-edge offset");
    corrupt_and_expect(num0, ids, 16, "out of order");      /* ids swapped */
    corrupt_and_expect(soff, &past, 8, "string id offset"); /* offsets decrease */

    /* Both lists damaged: the out-edges' error is the one told, always. */
    size_t len;
    unsigned char *f = slurp(tmp_path("g"), &len);
    memcpy(f + dst0, &big, 4);
    memcpy(f + src0, &big, 4);
    spill(tmp_path("bad"), f, len);
    cr_assert_lt(algo_graph_map(&g, tmp_path("bad"), msg), 0);
    cr_assert(strstr(msg, "out-edge edge 0"), "%s", msg);
    free(f);
}

/* A graph of more than 2^20 edges, which is checked in parts on several
 * threads (csr_check.c): 2^16 vertices, each with 20 distinct out-edges. */
#define BIG_N   (1 << 16)
#define BIG_DEG 20
static void build_big(const char *path)
{
    algo_graph_builder *b;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    for (int64_t v = 0; v < BIG_N; v++) {
        algo_vid s = num(v);
        for (int64_t j = 0; j < BIG_DEG; j++) {
            algo_vid d = num((v + 1 + j * 3001) % BIG_N); /* never v */
            cr_assert_eq(algo_graph_builder_add_edge(b, &s, &d, 0, 0, msg), 0, "%s", msg);
        }
    }
    cr_assert_eq(algo_graph_builder_write(b, path, msg), 0, "%s", msg);
    algo_graph_builder_free(b);
}

/* The bytes of tmp_path("big") with each of the n (edge, value) pairs
 * written over out_dst, mapped: 0 or -1 as algo_graph_map, with *g. */
static int map_big_with(algo_graph *g, size_t dst0, const uint64_t *edge, const uint32_t *value,
                        int n)
{
    size_t len;
    unsigned char *f = slurp(tmp_path("big"), &len);
    for (int i = 0; i < n; i++)
        memcpy(f + dst0 + edge[i] * 4, &value[i], 4);
    spill(tmp_path("bad"), f, len);
    free(f);
    return algo_graph_map(g, tmp_path("bad"), msg);
}

Test(graph_file, large_graphs_are_checked_in_parts_and_tell_the_first_damage)
{
    algo_graph g;
    build_big(tmp_path("big"));
    cr_assert_eq(algo_graph_map(&g, tmp_path("big"), msg), 0, "%s", msg);
    cr_assert_eq(g.m, (uint64_t)BIG_N * BIG_DEG);
    cr_assert(g.out_simple && g.in_simple);
    const uint64_t m = g.m;
    size_t dst0 = (size_t)((const char *)g.out_dst - (const char *)g.map_);
    /* an edge early, in the middle and near the end, each a list's second */
    const uint64_t mid = g.out_off[BIG_N / 2] + 1, late = g.out_off[BIG_N - 3] + 1;
    const uint64_t early = g.out_off[5] + 1;
    uint32_t late_prev = g.out_dst[late - 1], mid_prev = g.out_dst[mid - 1];
    algo_graph_unmap(&g);

    /* out of range near the end alone: found there */
    uint64_t e1[] = {late};
    uint32_t v1[] = {BIG_N};
    cr_assert_lt(map_big_with(&g, dst0, e1, v1, 1), 0);
    char want[128];
    snprintf(want, sizeof want, "out-edge edge %llu: neighbour %u out of range",
             (unsigned long long)late, (unsigned)BIG_N);
    cr_assert(strstr(msg, want), "'%s' lacks '%s'", msg, want);

    /* damage in the middle and near the end: the middle's is told */
    uint64_t e2[] = {late, mid};
    uint32_t v2[] = {BIG_N, 0};
    cr_assert_lt(map_big_with(&g, dst0, e2, v2, 2), 0);
    snprintf(want, sizeof want, "out-edge edge %llu: neighbour 0 out of order",
             (unsigned long long)mid);
    cr_assert(mid_prev > 0 && strstr(msg, want), "'%s' lacks '%s'", msg, want);

    /* and with one early too: the early one */
    uint64_t e3[] = {late, mid, early};
    uint32_t v3[] = {BIG_N, 0, BIG_N + 5};
    cr_assert_lt(map_big_with(&g, dst0, e3, v3, 3), 0);
    snprintf(want, sizeof want, "out-edge edge %llu:", (unsigned long long)early);
    cr_assert(strstr(msg, want), "'%s' lacks '%s'", msg, want);

    /* a parallel edge near the end: still a good file, but not simple */
    uint64_t e4[] = {late};
    uint32_t v4[] = {late_prev};
    cr_assert_eq(map_big_with(&g, dst0, e4, v4, 1), 0, "%s", msg);
    cr_assert(!g.out_simple && g.in_simple);
    cr_assert_eq(g.m, m);
    algo_graph_unmap(&g);
}

/* Sections, or pieces of them, that are all zero are left as holes: the
 * string id offsets of a graph with numeric ids only (all zero) take no
 * disk, and still read back as zeros. */
/* Whether the test folder is on a tmpfs. */
static int on_tmpfs(const char *path)
{
    struct statfs fs;
    return statfs(path, &fs) == 0 && fs.f_type == TMPFS_MAGIC;
}

/* Where in [at, at + len) of path the first hole is, or -1. */
static off_t first_hole(const char *path, off_t at, off_t len)
{
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0);
    off_t hole = lseek(fd, at, SEEK_HOLE);
    close(fd);
    return hole >= 0 && hole < at + len ? hole : -1;
}

Test(graph_file, zero_sections_are_holes)
{
    algo_graph g;
    if (on_tmpfs(tmp_path("")))
        cr_skip_test("the test folder is on a tmpfs, where zeros are written (the next test)");
    build_big(tmp_path("big"));
    cr_assert_eq(algo_graph_map(&g, tmp_path("big"), msg), 0, "%s", msg);
    const off_t at = (off_t)((const char *)g.ids.str_off - (const char *)g.map_);
    const off_t len = (off_t)((g.n + 1) * sizeof *g.ids.str_off);
    for (uint64_t i = 0; i <= g.n; i++)
        cr_assert_eq(g.ids.str_off[i], 0);
    algo_graph_unmap(&g);
    int fd = open(tmp_path("big"), O_RDONLY);
    cr_assert_geq(fd, 0);
    /* past the block it may share with the section before, no data until
     * the block it may share with the section after */
    off_t data = lseek(fd, at + 4096, SEEK_DATA);
    close(fd);
    cr_assert_geq(data, at + len - 4096, "data at %lld in the section [%lld, %lld)",
                  (long long)data, (long long)at, (long long)(at + len));
}

/* On a tmpfs a hole gets its page when first read, a SIGBUS when the
 * tmpfs is full: there, zero sections are written like the rest. */
Test(graph_file, zero_sections_are_written_on_a_tmpfs)
{
    char shm[64] = "/dev/shm/hgc-test-holes-XXXXXX", path[128];
    if (!on_tmpfs("/dev/shm") || !mkdtemp(shm))
        cr_skip_test("no tmpfs at /dev/shm to write to");
    /* where the section is, from a copy: reading a tmpfs hole fills it */
    snprintf(path, sizeof path, "%s/copy", shm);
    algo_graph g;
    build_big(path);
    cr_assert_eq(algo_graph_map(&g, path, msg), 0, "%s", msg);
    const off_t at = (off_t)((const char *)g.ids.str_off - (const char *)g.map_);
    const off_t len = (off_t)((g.n + 1) * sizeof *g.ids.str_off);
    algo_graph_unmap(&g);
    unlink(path);
    snprintf(path, sizeof path, "%s/big", shm);
    build_big(path);
    off_t hole = first_hole(path, at, len);
    unlink(path);
    rmdir(shm);
    cr_assert_eq(hole, -1, "a hole at %lld in the zero section [%lld, %lld)", (long long)hole,
                 (long long)at, (long long)(at + len));
}

Test(graph_file, not_a_snapshot)
{
    algo_graph g;
    cr_assert_lt(algo_graph_map(&g, tmp_path("missing"), msg), 0);
    cr_assert(strstr(msg, "missing"), "%s", msg);
    cr_assert_lt(algo_graph_map(&g, dir, msg), 0);
    spill(tmp_path("empty"), "", 0);
    cr_assert_lt(algo_graph_map(&g, tmp_path("empty"), msg), 0);
    char text[4096];
    memset(text, '1', sizeof text);
    spill(tmp_path("text"), text, sizeof text);
    cr_assert_lt(algo_graph_map(&g, tmp_path("text"), msg), 0);
    cr_assert(strstr(msg, "magic"), "%s", msg);
}

/* Edges among numeric ids: each of the n pairs both ways with the weight
 * w both ways, then `extra` edges one way only (extra[2k] -> extra[2k+1]). */
static void build_pairs(const char *path, const int64_t (*pairs)[2], int n, const int64_t *extra,
                        int n_extra, int weighted, int uneven_weight)
{
    algo_graph_builder *b;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    for (int i = 0; i < n; i++) {
        algo_vid s = num(pairs[i][0]), d = num(pairs[i][1]);
        double w = 1 + i;
        cr_assert_eq(algo_graph_builder_add_edge(b, &s, &d, weighted, w, msg), 0, "%s", msg);
        cr_assert_eq(algo_graph_builder_add_edge(b, &d, &s, weighted, w + uneven_weight, msg), 0,
                     "%s", msg);
    }
    for (int i = 0; i < n_extra; i++) {
        algo_vid s = num(extra[2 * i]), d = num(extra[2 * i + 1]);
        cr_assert_eq(algo_graph_builder_add_edge(b, &s, &d, weighted, 1, msg), 0, "%s", msg);
    }
    cr_assert_eq(algo_graph_builder_write(b, path, msg), 0, "%s", msg);
    algo_graph_builder_free(b);
}

static size_t file_len(const char *path)
{
    size_t len;
    free(slurp(path, &len));
    return len;
}

/* A graph whose every edge is there both ways stores its lists once: the
 * in-lists are the out-lists (same pointers), the file is smaller, and
 * the lists say whether they are simple. Any difference (an edge one way,
 * a weight that differs) keeps both. */
Test(graph_file, symmetric_graphs_store_their_lists_once)
{
    static const int64_t ring[][2] = {{1, 2}, {2, 3}, {3, 1}, {1, 4}, {4, 5}};
    static const int64_t one_way[] = {5, 2};
    static const int64_t loop[][2] = {{1, 2}, {2, 3}, {3, 3}};
    static const int64_t twice[][2] = {{1, 2}, {2, 3}, {1, 2}};
    algo_graph g;
    struct {
        const char *name;
        const int64_t (*pairs)[2];
        int n, extra, weighted, uneven, in_is_out, simple;
    } cases[] = {
        {"ring", ring, 5, 0, 0, 0, 1, 1},      {"ring-w", ring, 5, 0, 1, 0, 1, 1},
        {"one-way", ring, 5, 1, 0, 0, 0, 1},   {"uneven-w", ring, 5, 0, 1, 1, 0, 1},
        {"self-loop", loop, 3, 0, 0, 0, 1, 0}, {"parallel", twice, 3, 0, 0, 0, 1, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        build_pairs(tmp_path("sym"), cases[c].pairs, cases[c].n, one_way, cases[c].extra,
                    cases[c].weighted, cases[c].uneven);
        cr_assert_eq(algo_graph_map(&g, tmp_path("sym"), msg), 0, "%s: %s", cases[c].name, msg);
        cr_expect_eq(g.in_is_out, cases[c].in_is_out, "%s", cases[c].name);
        cr_expect_eq(g.in_src == g.out_dst && g.in_off == g.out_off, cases[c].in_is_out, "%s",
                     cases[c].name);
        cr_expect_eq(g.out_simple, cases[c].simple, "%s", cases[c].name);
        cr_expect_eq(g.in_simple, cases[c].simple, "%s", cases[c].name);
        if (cases[c].weighted)
            cr_expect_eq(g.in_w.d == g.out_w.d && g.in_w.u == g.out_w.u, cases[c].in_is_out, "%s",
                         cases[c].name);
        /* the in-lists read as they would stored apart */
        for (uint64_t v = 0; v < g.n && cases[c].in_is_out; v++)
            cr_expect_eq(g.in_off[v + 1] - g.in_off[v], g.out_off[v + 1] - g.out_off[v]);
        cr_expect_eq(walk_all(&g), 0, "%s", cases[c].name);
        algo_graph_unmap(&g);
    }
    /* stored once: smaller than the same graph with one edge more stored twice */
    build_pairs(tmp_path("once"), ring, 5, one_way, 0, 1, 0);
    build_pairs(tmp_path("apart"), ring, 5, one_way, 1, 1, 0);
    cr_expect_lt(file_len(tmp_path("once")) + 10 * 12, file_len(tmp_path("apart")));

    /* a damaged list of a graph stored once is found by the one check */
    build_pairs(tmp_path("g"), ring, 5, one_way, 0, 0, 0);
    cr_assert_eq(algo_graph_map(&g, tmp_path("g"), msg), 0, "%s", msg);
    size_t dst0 = (size_t)((const char *)g.out_dst - (const char *)g.map_);
    algo_graph_unmap(&g);
    uint32_t big = 5; /* n = 5 */
    corrupt_and_expect(dst0, &big, 4, "out-edge edge 0: neighbour 5 out of range");
}

/* Any changed byte of a file that stores its lists once is refused or
 * harmless too (the flag among them: with it off, the in-sections are
 * missing; with it on in a file that has them, they are extra). */
Test(graph_file, any_changed_byte_of_a_symmetric_file_is_refused_or_harmless)
{
    static const int64_t ring[][2] = {{1, 2}, {2, 3}, {3, 1}, {1, 4}, {4, 5}};
    size_t len;
    build_pairs(tmp_path("g"), ring, 5, NULL, 0, 1, 0);
    unsigned char *f = slurp(tmp_path("g"), &len);
    algo_graph g;
    for (size_t i = 0; i < len; i++) {
        f[i] ^= 0xff;
        spill(tmp_path("bad"), f, len);
        if (algo_graph_map(&g, tmp_path("bad"), msg) == 0) {
            int bad = walk_all(&g);
            algo_graph_unmap(&g);
            cr_assert_eq(bad, 0, "byte %zu accepted, unsafe (check at line %d)", i, bad);
            cr_assert_geq(i, 184, "header byte %zu accepted", i);
        }
        f[i] ^= 0xff;
    }
    free(f);
}

/* Graphs with no edges (and no vertices at all) write and map: their
 * empty lists are trivially the same both ways. */
Test(graph_file, graphs_without_edges_write_and_map)
{
    algo_graph_builder *b;
    algo_graph g;
    algo_vid a = num(3), c = str("c");
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_graph_builder_write(b, tmp_path("none"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_graph_map(&g, tmp_path("none"), msg), 0, "%s", msg);
    cr_assert_eq(g.n, 0);
    cr_assert_eq(g.m, 0);
    algo_graph_unmap(&g);

    cr_assert_eq(algo_graph_builder_new(&b), 0);
    cr_assert_eq(algo_graph_builder_add_vertex(b, &a, msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_add_vertex(b, &c, msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_builder_write(b, tmp_path("lone"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_graph_map(&g, tmp_path("lone"), msg), 0, "%s", msg);
    cr_assert_eq(g.n, 2);
    cr_assert_eq(g.m, 0);
    cr_assert(g.in_is_out);
    cr_assert_eq(g.out_off[2], 0);
    cr_assert_eq(algo_graph_find_num(&g, 3), 0);
    algo_graph_unmap(&g);
}

/* Weights that are all whole numbers from 0 to 2^32 - 1 are stored as
 * uint32 (4 bytes an edge fewer each way) and read back as the same
 * values; one weight that is not (a fraction, -0, 2^32, a negative) keeps
 * every weight a double, with its bits. */
Test(graph_file, whole_number_weights_are_stored_as_uint32)
{
    static const double whole[] = {1, 2, 255, 0, 4294967295.0, 16777217, 7};
    static const double odd[] = {0, 0.5, -0.0, 4294967296.0, -3};
    enum { N = 1000, K = sizeof whole / sizeof *whole, CASES = sizeof odd / sizeof *odd };
    size_t len[CASES];
    for (int c = 0; c < CASES; c++) {
        algo_graph_builder *b;
        cr_assert_eq(algo_graph_builder_new(&b), 0);
        for (int i = 0; i < N; i++) {
            algo_vid s = num(i), d = num(i + 1);
            double w = c > 0 && i == N / 2 ? odd[c] : whole[i % K];
            cr_assert_eq(algo_graph_builder_add_edge(b, &s, &d, 1, w, msg), 0, "%s", msg);
        }
        char name[16];
        snprintf(name, sizeof name, "w%d", c);
        const char *path = tmp_path(name);
        cr_assert_eq(algo_graph_builder_write(b, path, msg), 0, "%s", msg);
        algo_graph_builder_free(b);
        len[c] = file_len(path);

        algo_graph g;
        cr_assert_eq(algo_graph_map(&g, path, msg), 0, "%s", msg);
        cr_assert_eq(g.m, N);
        cr_assert(c ? g.out_w.d && !g.out_w.u : g.out_w.u && !g.out_w.d, "case %d", c);
        cr_assert(c ? g.in_w.d && !g.in_w.u : g.in_w.u && !g.in_w.d, "case %d", c);
        for (int i = 0; i < N; i++) {
            double w = c > 0 && i == N / 2 ? odd[c] : whole[i % K];
            double wo = algo_weight(g.out_w, g.out_off[i]),
                   wi = algo_weight(g.in_w, g.in_off[i + 1]);
            cr_assert_eq(g.out_off[i + 1] - g.out_off[i], 1);
            cr_assert(memcmp(&wo, &w, 8) == 0 && memcmp(&wi, &w, 8) == 0,
                      "case %d edge %d: %g, %g, want %g", c, i, wo, wi, w);
        }
        algo_graph_unmap(&g);
    }
    /* Two weight sections of N edges, 4 bytes each fewer; alignment moves
     * each by under 64 bytes. */
    for (int c = 1; c < CASES; c++) {
        cr_assert_lt(len[0], len[c]);
        cr_assert_leq(len[c] - len[0], 8 * N + 128);
        cr_assert_geq(len[c] - len[0], 8 * N - 128);
    }
}

/* The header's section table (graph_file.c): offset and length of
 * section s at bytes 40 + 16 s, the file length at 32. */
static uint64_t header_u64(const unsigned char *f, size_t at)
{
    uint64_t v;
    memcpy(&v, f + at, 8);
    return v;
}

/* Sections of 2 MiB or more start on a 2 MiB boundary (so the page cache
 * holds them in whole 2 MiB folios); a file written before, with every
 * section at the next 64-byte boundary, still maps and reads the same;
 * a large section at neither place is refused. */
Test(graph_file, large_sections_start_on_2_mib_and_packed_files_still_map)
{
    enum { N = 600000, HUGE = 2u << 20, SECTIONS = 9 };
    algo_graph_builder *b;
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    for (int i = 0; i < N; i++) {
        algo_vid s = num(i), d = num(i + 1);
        cr_assert_eq(algo_graph_builder_add_edge(b, &s, &d, 1, 1 + i % 7, msg), 0, "%s", msg);
    }
    cr_assert_eq(algo_graph_builder_write(b, tmp_path("big"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);

    size_t len;
    unsigned char *f = slurp(tmp_path("big"), &len);
    int large = 0;
    for (int s = 0; s < SECTIONS; s++) {
        uint64_t off = header_u64(f, 40 + 16 * s), n = header_u64(f, 48 + 16 * s);
        if (n >= HUGE) {
            cr_assert_eq(off % HUGE, 0, "section %d (%" PRIu64 " bytes) at %" PRIu64, s, n, off);
            large++;
        } else {
            cr_assert_eq(off % 64, 0, "section %d at %" PRIu64, s, off);
        }
    }
    cr_assert_geq(large, 7, "ids, offsets, lists and weights are each over 2 MiB here");

    /* The same sections packed at 64-byte boundaries, as older files. */
    unsigned char *p = calloc(1, len);
    memcpy(p, f, 256);
    uint64_t pos = 256;
    for (int s = 0; s < SECTIONS; s++) {
        uint64_t off = header_u64(f, 40 + 16 * s), n = header_u64(f, 48 + 16 * s);
        pos = (pos + 63) & ~(uint64_t)63;
        memcpy(p + pos, f + off, n);
        memcpy(p + 40 + 16 * s, &pos, 8);
        pos += n;
    }
    memcpy(p + 32, &pos, 8);
    cr_assert_lt(pos, len, "packed is smaller");
    spill(tmp_path("packed"), p, pos);

    algo_graph g, h;
    cr_assert_eq(algo_graph_map(&g, tmp_path("big"), msg), 0, "%s", msg);
    cr_assert_eq(algo_graph_map(&h, tmp_path("packed"), msg), 0, "%s", msg);
    cr_assert_eq(h.n, N + 1);
    cr_assert_eq(h.m, N);
    cr_assert(h.out_w.u && h.in_w.u);
    cr_assert_eq(memcmp(g.ids.num, h.ids.num, 8 * h.n), 0);
    cr_assert_eq(memcmp(g.out_off, h.out_off, 8 * (h.n + 1)), 0);
    cr_assert_eq(memcmp(g.in_off, h.in_off, 8 * (h.n + 1)), 0);
    cr_assert_eq(memcmp(g.out_dst, h.out_dst, 4 * h.m), 0);
    cr_assert_eq(memcmp(g.in_src, h.in_src, 4 * h.m), 0);
    for (uint64_t e = 0; e < h.m; e++)
        if (algo_weight(g.out_w, e) != algo_weight(h.out_w, e) || h.out_dst[e] != e + 1 ||
            algo_weight(h.in_w, e) != 1 + e % 7)
            cr_assert_fail("edge %" PRIu64 " differs", e);
    algo_graph_unmap(&g);
    algo_graph_unmap(&h);

    /* The out-edge targets (section 4) 64 bytes past the packed place. */
    uint64_t off = header_u64(p, 40 + 16 * 4) + 64;
    memcpy(p + 40 + 16 * 4, &off, 8);
    spill(tmp_path("moved"), p, pos);
    cr_assert_lt(algo_graph_map(&h, tmp_path("moved"), msg), 0);
    cr_assert(strstr(msg, "section out-edge targets"), "%s", msg);
    free(p);
    free(f);
}
