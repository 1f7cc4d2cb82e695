/* test_result_file.c: result files: each value kind round trips with a
 * copy of the graph's ids that outlives the graph; bad values and damaged
 * files are refused. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "graph_build.h"
#include "graph_file.h"
#include "result_file.h"
#include "fixture.h"

static char msg[ALGO_MSG_MAX];

static void make_dir(void)
{
    fixture_make_dir("result");
}

TestSuite(result_file, .init = make_dir, .fini = remove_dir);

/* Vertices in id order: -4, 2, 30, "m\xc3\xbc", "x". */
static void map_graph(algo_graph *g)
{
    algo_graph_builder *b;
    algo_vid v[] = {str("x"), num(30), num(-4), str("m\xc3\xbc"), num(2)};
    cr_assert_eq(algo_graph_builder_new(&b), 0);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(algo_graph_builder_add_edge(b, &v[i], &v[(i + 1) % 5], 0, 0, msg), 0);
    cr_assert_eq(algo_graph_builder_write(b, tmp_path("g"), msg), 0, "%s", msg);
    algo_graph_builder_free(b);
    cr_assert_eq(algo_graph_map(g, tmp_path("g"), msg), 0, "%s", msg);
}

static void check_ids(const algo_idmap *ids)
{
    cr_assert_eq(ids->n, 5);
    cr_assert_eq(ids->num[0], -4);
    cr_assert_eq(ids->num[1], 2);
    cr_assert_eq(ids->num[2], 30);
    for (int i = 0; i < 3; i++)
        cr_assert(!algo_idmap_is_str(ids, (uint64_t)i));
    cr_assert(algo_idmap_is_str(ids, 3) && algo_idmap_is_str(ids, 4));
    cr_assert_eq(ids->str_off[4] - ids->str_off[3], 3);
    cr_assert_eq(memcmp(ids->str + ids->str_off[3], "m\xc3\xbc", 3), 0);
    cr_assert_eq(ids->str_off[5] - ids->str_off[4], 1);
    cr_assert_eq(ids->str[ids->str_off[4]], 'x');
}

Test(result_file, kinds_round_trip_without_the_graph)
{
    algo_graph g;
    algo_result r;
    double dv[5] = {0.5, -1.25, 1e300, 0.0, 3.0};
    int64_t iv[5] = {INT64_MIN, -1, 0, 7, INT64_MAX};
    uint32_t vv[5] = {0, 0, 2, 4, 3};
    map_graph(&g);
    cr_assert_eq(
        algo_result_write(tmp_path("d"), &g, ALGO_VALUE_DOUBLE, dv, "page-rank", "rank", msg), 0,
        "%s", msg);
    cr_assert_eq(algo_result_write(tmp_path("i"), &g, ALGO_VALUE_INT64, iv, "kcore", "", msg), 0,
                 "%s", msg);
    cr_assert_eq(
        algo_result_write(tmp_path("v"), &g, ALGO_VALUE_VERTEX, vv, "wcc", "component", msg), 0,
        "%s", msg);
    algo_graph_unmap(&g);
    cr_assert_eq(unlink(tmp_path("g")), 0); /* results stand alone */

    cr_assert_eq(algo_result_map(&r, tmp_path("d"), msg), 0, "%s", msg);
    cr_assert_eq(r.kind, ALGO_VALUE_DOUBLE);
    cr_assert_eq(r.n, 5);
    cr_assert_str_eq(r.algorithm, "page-rank");
    cr_assert_str_eq(r.property, "rank");
    check_ids(&r.ids);
    cr_assert_eq(memcmp(r.values, dv, sizeof dv), 0);
    algo_result_unmap(&r);
    cr_assert_null(r.map_);
    algo_result_unmap(&r);

    cr_assert_eq(algo_result_map(&r, tmp_path("i"), msg), 0, "%s", msg);
    cr_assert_eq(r.kind, ALGO_VALUE_INT64);
    cr_assert_str_eq(r.property, "");
    check_ids(&r.ids);
    cr_assert_eq(memcmp(r.values, iv, sizeof iv), 0);
    algo_result_unmap(&r);

    cr_assert_eq(algo_result_map(&r, tmp_path("v"), msg), 0, "%s", msg);
    cr_assert_eq(r.kind, ALGO_VALUE_VERTEX);
    check_ids(&r.ids);
    const uint32_t *got = r.values;
    for (int i = 0; i < 5; i++)
        cr_assert_eq(got[i], vv[i]);
    /* Vertex 4 ("x") points at vertex 3, shown as "mü". */
    cr_assert_eq(memcmp(r.ids.str + r.ids.str_off[got[4]], "m\xc3\xbc", 3), 0);
    algo_result_unmap(&r);
}

Test(result_file, bad_arguments)
{
    algo_graph g;
    double dv[5] = {0};
    uint32_t vv[5] = {0, 1, 5, 0, 0};
    char longname[200];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    map_graph(&g);
    cr_assert_lt(algo_result_write(tmp_path("r"), &g, ALGO_VALUE_VERTEX, vv, "wcc", "c", msg), 0);
    cr_assert(strstr(msg, "vertex 2"), "%s", msg);
    cr_assert_lt(algo_result_write(tmp_path("r"), &g, (algo_value_kind)9, dv, "x", "y", msg), 0);
    cr_assert_lt(algo_result_write(tmp_path("r"), &g, ALGO_VALUE_DOUBLE, dv, longname, "y", msg),
                 0);
    cr_assert_lt(algo_result_write(tmp_path("r"), &g, ALGO_VALUE_DOUBLE, dv, "x", longname, msg),
                 0);
    cr_assert_eq(access(tmp_path("r"), F_OK), -1);
    cr_assert_eq(access(tmp_path("r.tmp"), F_OK), -1);
    cr_assert_lt(algo_result_write("/nonexistent-dir/r", &g, ALGO_VALUE_DOUBLE, dv, "x", "y", msg),
                 0);
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

Test(result_file, damaged_files_are_refused_or_safe)
{
    algo_graph g;
    algo_result r;
    uint32_t vv[5] = {1, 2, 3, 4, 0};
    size_t len;
    map_graph(&g);
    cr_assert_eq(algo_result_write(tmp_path("v"), &g, ALGO_VALUE_VERTEX, vv, "wcc", "c", msg), 0,
                 "%s", msg);
    unsigned char *f = slurp(tmp_path("v"), &len);
    for (size_t cut = 0; cut < len; cut++) {
        spill(tmp_path("bad"), f, cut);
        cr_assert_lt(algo_result_map(&r, tmp_path("bad"), msg), 0, "accepted cut at %zu", cut);
    }
    int unsafe = 0;
    for (size_t i = 0; i < len; i++) {
        f[i] ^= 0x80;
        spill(tmp_path("bad"), f, len);
        if (algo_result_map(&r, tmp_path("bad"), msg) == 0) {
            /* Whatever got through must be usable as the header says. */
            const uint32_t *v = r.values;
            for (uint64_t k = 0; k < r.n; k++)
                unsafe += v[k] >= r.n || r.ids.str_off[k] > r.ids.str_off[k + 1];
            unsafe += !memchr(r.algorithm, 0, sizeof r.algorithm);
            algo_result_unmap(&r);
            unsafe += i < 32; /* magic, version, kind, n, length */
        }
        f[i] ^= 0x80;
    }
    cr_assert_eq(unsafe, 0);
    /* A graph snapshot is not a result. */
    cr_assert_lt(algo_result_map(&r, tmp_path("g"), msg), 0);
    cr_assert(strstr(msg, "magic"), "%s", msg);
    free(f);
    algo_graph_unmap(&g);
}

Test(result_file, paths_round_trip_and_bad_predecessors_are_refused)
{
    algo_graph g;
    algo_result r;
    double dist[5] = {0, 1.5, INFINITY, 2.5, INFINITY};
    uint32_t pred[5] = {0, 0, 1, 1, ALGO_RESULT_NO_VERTEX};
    map_graph(&g);
    cr_assert_eq(algo_result_write_paths(tmp_path("p"), &g, dist, pred, "sssp", "sssp", msg), 0,
                 "%s", msg);
    /* paths go through their own writer, which writes the predecessors */
    cr_assert_neq(algo_result_write(tmp_path("q"), &g, ALGO_VALUE_PATHS, dist, "sssp", "", msg), 0);
    uint32_t bad[5] = {0, 0, 1, 7, 0};
    cr_assert_neq(algo_result_write_paths(tmp_path("q"), &g, dist, bad, "sssp", "", msg), 0);
    cr_assert(strstr(msg, "predecessor of vertex 3") != NULL, "%s", msg);
    algo_graph_unmap(&g);

    cr_assert_eq(algo_result_map(&r, tmp_path("p"), msg), 0, "%s", msg);
    cr_assert_eq(r.kind, ALGO_VALUE_PATHS);
    check_ids(&r.ids);
    cr_assert_eq(memcmp(r.values, dist, sizeof dist), 0);
    cr_assert_not_null(r.pred);
    cr_assert_eq(memcmp(r.pred, pred, sizeof pred), 0);
    algo_result_unmap(&r);

    /* a damaged predecessor is refused when mapped */
    FILE *f = fopen(tmp_path("p"), "r+b");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, -(long)(sizeof pred) + 12, SEEK_END) >= 0 ? 0 : -1, 0);
    uint32_t junk = 99;
    cr_assert_eq(fwrite(&junk, 4, 1, f), 1);
    fclose(f);
    cr_assert_neq(algo_result_map(&r, tmp_path("p"), msg), 0);
}
