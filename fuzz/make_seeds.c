/* make_seeds.c: writes seed inputs that are hard to write by hand, all
 * deterministic, with the real writers (so they are valid files):
 *
 *   <graph_dir>: snapshots (weighted Graphalytics example when given,
 *   numeric, string and mixed ids, isolated vertices, self-loops and
 *   parallel edges, empty) and result files of each value kind;
 *   <edge_dir>: edge lists with fuzz_edge_parse's four header bytes.
 *
 * Usage: fuzz_make_seeds <graph_dir> <edge_dir> [example-directed.e]
 * Every file stays far below 50 KB.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_parse.h"
#include "graph_build.h"
#include "graph_file.h"
#include "result_file.h"

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_make_seeds: %s: %s\n", what, msg);
    exit(1);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            char *nb = realloc(buf, cap);
            if (!nb)
                die(path, "out of memory");
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void write_file(const char *dir, const char *name, const void *hdr, size_t hlen,
                       const void *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(hdr, 1, hlen, f) != hlen || fwrite(data, 1, len, f) != len || fclose(f))
        die(path, "cannot write");
}

/* Parses `text` into a snapshot at dir/name; also writes it as an edge
 * seed (header: cut in the middle, later feeds of 7 bytes, no repeat). */
static void graph_from_text(const char *gdir, const char *edir, const char *name, const char *text,
                            size_t len)
{
    char msg[ALGO_MSG_MAX], path[1024];
    algo_graph_builder *b = NULL;
    algo_edge_parser *p = NULL;
    if (algo_graph_builder_new(&b) < 0 || algo_edge_parser_new(&p, b) < 0)
        die(name, "out of memory");
    if (algo_edge_parser_feed(p, text, len, msg) < 0 || algo_edge_parser_finish(p, msg) < 0)
        die(name, msg);
    snprintf(path, sizeof path, "%s/%s.graph", gdir, name);
    if (algo_graph_builder_write(b, path, msg) < 0)
        die(path, msg);
    algo_edge_parser_free(p);
    algo_graph_builder_free(b);

    unsigned char hdr[4] = {(unsigned char)(len / 2), (unsigned char)(len / 2 >> 8), 7, 0};
    snprintf(path, sizeof path, "%s.txt", name);
    write_file(edir, path, hdr, sizeof hdr, text, len);
}

/* One result file of each kind over the snapshot dir/name.graph. */
static void results_for(const char *gdir, const char *name)
{
    char msg[ALGO_MSG_MAX], path[1024];
    algo_graph g;
    snprintf(path, sizeof path, "%s/%s.graph", gdir, name);
    if (algo_graph_map(&g, path, msg) < 0)
        die(path, msg);
    uint64_t n = g.n ? g.n : 1;
    double *d = calloc(n, sizeof *d);
    int64_t *c = calloc(n, sizeof *c);
    uint32_t *v = calloc(n, sizeof *v);
    if (!d || !c || !v)
        die(name, "out of memory");
    for (uint64_t i = 0; i < g.n; i++) {
        d[i] = 1.0 / (double)g.n;                          /* a rank */
        c[i] = (int64_t)(g.out_off[i + 1] - g.out_off[i]); /* a degree */
        /* the smallest out-neighbour, else itself: a label */
        v[i] = g.out_off[i + 1] > g.out_off[i] && g.out_dst[g.out_off[i]] < i
                   ? g.out_dst[g.out_off[i]]
                   : (uint32_t)i;
    }
    struct {
        algo_value_kind kind;
        const void *values;
        const char *algo, *prop, *suffix;
    } kinds[] = {
        {ALGO_VALUE_DOUBLE, d, "page-rank", "page_rank", "double"},
        {ALGO_VALUE_INT64, c, "degree-centrality", "degree", "int64"},
        {ALGO_VALUE_VERTEX, v, "wcc", "component", "vertex"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        snprintf(path, sizeof path, "%s/%s-%s.result", gdir, name, kinds[k].suffix);
        if (algo_result_write(path, &g, kinds[k].kind, kinds[k].values, kinds[k].algo,
                              kinds[k].prop, msg) < 0)
            die(path, msg);
    }
    free(d);
    free(c);
    free(v);
    algo_graph_unmap(&g);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: fuzz_make_seeds <graph_dir> <edge_dir> [example-directed.e]\n");
        return 2;
    }
    const char *gdir = argv[1], *edir = argv[2];
    static const struct {
        const char *name, *text;
    } graphs[] = {
        {"numeric", "1 2\n2 3\n3 1\n3 3\n1 2\n7 1\n"},
        {"weighted", "# a comment\n0 1 0.5\n1 2 2\n2 0 -1.25e3\n\n0 0 1\r\n"},
        {"strings", "alice bob\nbob carol\ncarol alice\nbob bob\n"},
        {"mixed", "-5 alice\n\xc3\xa9t\xc3\xa9 12\n12 -5 3.5\n9223372036854775807 alice\n"},
        {"sparse", "0 100000\n4000000000 5\n"},
        {"empty", ""},
    };
    for (size_t i = 0; i < sizeof graphs / sizeof graphs[0]; i++) {
        graph_from_text(gdir, edir, graphs[i].name, graphs[i].text, strlen(graphs[i].text));
        results_for(gdir, graphs[i].name);
    }
    if (argc == 4) {
        size_t len = 0;
        char *text = read_file(argv[3], &len);
        if (!text)
            die(argv[3], "cannot read");
        graph_from_text(gdir, edir, "example-directed", text, len);
        results_for(gdir, "example-directed");
        free(text);
    }
    return 0;
}
