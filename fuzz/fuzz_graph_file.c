/* fuzz_graph_file.c: file validation of the store, algo_graph_map
 * (graphstore/graph_file.h) and algo_result_map (graphstore/result_file.h).
 *
 * The input is a whole file: written to the scratch directory, then
 * mapped as a snapshot and as a result (the magic picks at most one).
 * The promise under test is "a corrupted file is an error, never a bad
 * read": when a map is accepted, every offset, neighbour, weight, id and
 * value is read the way a kernel or the result reader reads it. ASan does
 * not see past the end of a mapping (its tail page reads as zeros), so
 * each array's extent is also checked against the mapping here, and each
 * id must be found at its own index (the id map is promised strictly
 * ordered). A failed check is an abort() (a finding).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_tmp.h"
#include "graph_file.h"
#include "result_file.h"

static volatile uint64_t sink; /* keeps the reads */

static void fail(const char *what, uint64_t i)
{
    fprintf(stderr, "fuzz_graph_file: %s (index %llu)\n", what, (unsigned long long)i);
    abort();
}

/* `count` items of `size` bytes at p lie within [map, map + len). */
static void check_extent(const void *map, size_t len, const void *p, uint64_t count, size_t size,
                         const char *what)
{
    uintptr_t b = (uintptr_t)map, a = (uintptr_t)p;
    if (count == 0)
        return;
    if (a < b || a - b > len || count > (len - (a - b)) / size)
        fail(what, count);
    if (a % size != 0)
        fail("misaligned array", a - b);
}

/* Reads id i (its bytes when it is a string) and looks it up. Lookup via
 * find_* is what a result reader and the job parameters do. */
static void walk_id(const algo_idmap *ids, uint64_t i, const void *map, size_t len,
                    int64_t (*find_num)(const void *, int64_t),
                    int64_t (*find_str)(const void *, const char *, size_t), const void *owner)
{
    if (algo_idmap_is_str(ids, i)) {
        uint64_t b = ids->str_off[i], e = ids->str_off[i + 1];
        check_extent(map, len, ids->str + b, e - b, 1, "string id outside the file");
        uint64_t h = 0;
        for (uint64_t k = b; k < e; k++)
            h = h * 31 + (unsigned char)ids->str[k];
        sink += h;
        if (find_str && find_str(owner, ids->str + b, e - b) != (int64_t)i)
            fail("string id not found at its own index", i);
    } else {
        sink += (uint64_t)ids->num[i];
        if (find_num && find_num(owner, ids->num[i]) != (int64_t)i)
            fail("numeric id not found at its own index", i);
    }
}

static void walk_ids(const algo_idmap *ids, const void *map, size_t len,
                     int64_t (*find_num)(const void *, int64_t),
                     int64_t (*find_str)(const void *, const char *, size_t), const void *owner)
{
    check_extent(map, len, ids->num, ids->n, 8, "numeric ids outside the file");
    check_extent(map, len, ids->str_off, ids->n + 1, 8, "string offsets outside the file");
    for (uint64_t i = 0; i < ids->n; i++)
        walk_id(ids, i, map, len, find_num, find_str, owner);
}

static int64_t graph_find_num(const void *g, int64_t id)
{
    return algo_graph_find_num(g, id);
}

static int64_t graph_find_str(const void *g, const char *s, size_t n)
{
    return algo_graph_find_str(g, s, n);
}

static void walk_csr(const algo_graph *g, const uint64_t *off, const uint32_t *adj, algo_weights w,
                     const char *what)
{
    check_extent(g->map_, g->map_len_, off, g->n + 1, 8, what);
    check_extent(g->map_, g->map_len_, adj, g->m, 4, what);
    if (w.d && w.u)
        fail("weights both as doubles and as whole numbers", 0);
    if (w.d)
        check_extent(g->map_, g->map_len_, w.d, g->m, 8, what);
    if (w.u)
        check_extent(g->map_, g->map_len_, w.u, g->m, 4, what);
    for (uint64_t v = 0; v < g->n; v++) {
        for (uint64_t i = off[v]; i < off[v + 1]; i++) {
            uint32_t u = adj[i];
            if (u >= g->n)
                fail("neighbour out of range", i);
            /* A kernel reads the neighbour's id and offsets. */
            sink += off[u] + (algo_idmap_is_str(&g->ids, u) ? 0 : (uint64_t)g->ids.num[u]);
            if (algo_weights_on(w)) {
                double x = algo_weight(w, i);
                uint64_t bits;
                memcpy(&bits, &x, sizeof bits); /* any double, NaN too */
                sink += bits;
            }
        }
    }
}

static void try_graph(const char *path)
{
    algo_graph g;
    char msg[ALGO_MSG_MAX];
    memset(&g, 0, sizeof g);
    if (algo_graph_map(&g, path, msg) < 0)
        return;
    if (algo_weights_on(g.out_w) != algo_weights_on(g.in_w))
        fail("one direction weighted, the other not", 0);
    walk_ids(&g.ids, g.map_, g.map_len_, graph_find_num, graph_find_str, &g);
    walk_csr(&g, g.out_off, g.out_dst, g.out_w, "out-edges outside the file");
    walk_csr(&g, g.in_off, g.in_src, g.in_w, "in-edges outside the file");
    algo_graph_unmap(&g);
}

static void try_result(const char *path)
{
    algo_result r;
    char msg[ALGO_MSG_MAX];
    memset(&r, 0, sizeof r);
    if (algo_result_map(&r, path, msg) < 0)
        return;
    if (!memchr(r.algorithm, '\0', sizeof r.algorithm) ||
        !memchr(r.property, '\0', sizeof r.property))
        fail("name not terminated", 0);
    sink += strlen(r.algorithm) + strlen(r.property);
    if (r.ids.n != r.n)
        fail("id map and result disagree on n", r.ids.n);
    walk_ids(&r.ids, r.map_, r.map_len_, NULL, NULL, NULL);
    switch (r.kind) {
    case ALGO_VALUE_DOUBLE:
    case ALGO_VALUE_INT64:
        check_extent(r.map_, r.map_len_, r.values, r.n, 8, "values outside the file");
        for (uint64_t i = 0; i < r.n; i++)
            sink += ((const uint64_t *)r.values)[i];
        break;
    case ALGO_VALUE_VERTEX:
        check_extent(r.map_, r.map_len_, r.values, r.n, 4, "values outside the file");
        for (uint64_t i = 0; i < r.n; i++) {
            uint32_t u = ((const uint32_t *)r.values)[i];
            if (u >= r.n)
                fail("vertex value out of range", i);
            walk_id(&r.ids, u, r.map_, r.map_len_, NULL, NULL, NULL); /* shown as its id */
        }
        break;
    default: fail("unknown value kind accepted", (uint64_t)r.kind);
    }
    algo_result_unmap(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_tmp_path("input.bin");
    fuzz_tmp_write(path, data, size);
    try_graph(path);
    try_result(path);
    return 0;
}
