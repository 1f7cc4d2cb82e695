/* fuzz_edge_parse.c: the edge-list parser (graphstore/edge_parse.h) and the
 * snapshot builder behind it.
 *
 * Input: four header bytes, then the text.
 *   h[0], h[1]  where the first feed ends (little-endian, modulo the text
 *               length + 1)
 *   h[2]        the size of every later feed (0: the rest in one feed)
 *   h[3]        the text is repeated (h[3] % 32) + 1 times, so a 4 KiB
 *               input can reach the 64 KiB line limit
 *
 * Checks, each an abort() when it fails (a finding):
 *   - edge_parse.h promises a line may be split anywhere: the cut feeding
 *     gives the same verdict, message, edge and vertex counts as one feed;
 *   - the parser's edge count is the builder's;
 *   - an accepted input writes a snapshot that algo_graph_map accepts with
 *     the builder's n and m.
 * ASan/UBSan watch everything else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_parse.h"
#include "fuzz_tmp.h"
#include "graph_build.h"
#include "graph_file.h"

#define HEADER     4
#define MAX_REPEAT 32

typedef struct outcome {
    int rc; /* 0 accepted, -1 refused */
    char msg[ALGO_MSG_MAX];
    uint64_t parser_edges;
    uint64_t vertices;
    uint64_t edges;
} outcome;

static void die(const char *what, const outcome *a, const outcome *b)
{
    fprintf(stderr,
            "fuzz_edge_parse: %s\n"
            "  one feed: rc %d edges %llu/%llu vertices %llu msg '%s'\n"
            "  cut:      rc %d edges %llu/%llu vertices %llu msg '%s'\n",
            what, a->rc, (unsigned long long)a->parser_edges, (unsigned long long)a->edges,
            (unsigned long long)a->vertices, a->msg, b->rc, (unsigned long long)b->parser_edges,
            (unsigned long long)b->edges, (unsigned long long)b->vertices, b->msg);
    abort();
}

/* Feeds text[0, cut), then pieces of `piece` bytes (0: one piece), then
 * finishes; stops at the first refusal. Leaves the builder in *bp. */
static void parse(outcome *o, algo_graph_builder **bp, const char *text, size_t len, size_t cut,
                  size_t piece)
{
    algo_graph_builder *b = NULL;
    algo_edge_parser *p = NULL;

    memset(o, 0, sizeof *o);
    if (algo_graph_builder_new(&b) < 0 || algo_edge_parser_new(&p, b) < 0) {
        fprintf(stderr, "fuzz_edge_parse: out of memory\n");
        abort();
    }
    o->rc = algo_edge_parser_feed(p, text, cut, o->msg) < 0 ? -1 : 0;
    for (size_t at = cut; o->rc == 0 && at < len;) {
        size_t k = piece == 0 || piece > len - at ? len - at : piece;
        o->rc = algo_edge_parser_feed(p, text + at, k, o->msg) < 0 ? -1 : 0;
        at += k;
    }
    if (o->rc == 0)
        o->rc = algo_edge_parser_finish(p, o->msg) < 0 ? -1 : 0;
    if (o->rc == 0)
        o->msg[0] = '\0'; /* unspecified on success */
    o->parser_edges = algo_edge_parser_edges(p);
    o->vertices = algo_graph_builder_vertices(b);
    o->edges = algo_graph_builder_edges(b);
    algo_edge_parser_free(p);
    *bp = b;
}

static void check_snapshot(algo_graph_builder *b, const outcome *o)
{
    const char *path = fuzz_tmp_path("edges.graph");
    char msg[ALGO_MSG_MAX];
    algo_graph g;

    if (algo_graph_builder_write(b, path, msg) < 0) {
        fprintf(stderr, "fuzz_edge_parse: writing the snapshot failed: %s\n", msg);
        abort();
    }
    memset(&g, 0, sizeof g);
    if (algo_graph_map(&g, path, msg) < 0) {
        fprintf(stderr, "fuzz_edge_parse: the written snapshot does not map: %s\n", msg);
        abort();
    }
    if (g.n != o->vertices || g.m != o->edges) {
        fprintf(stderr, "fuzz_edge_parse: snapshot n %llu m %llu, builder n %llu m %llu\n",
                (unsigned long long)g.n, (unsigned long long)g.m, (unsigned long long)o->vertices,
                (unsigned long long)o->edges);
        abort();
    }
    algo_graph_unmap(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER)
        return 0;
    size_t body = size - HEADER;
    size_t repeat = (size_t)data[3] % MAX_REPEAT + 1;
    size_t len = body * repeat;
    /* An exact-size copy, so ASan sees any read past the text. */
    char *text = malloc(len ? len : 1);
    if (!text)
        return 0;
    for (size_t r = 0; r < repeat; r++)
        memcpy(text + r * body, data + HEADER, body);
    size_t cut = ((size_t)data[0] | (size_t)data[1] << 8) % (len + 1);
    size_t piece = data[2];

    algo_graph_builder *whole_b = NULL, *cut_b = NULL;
    outcome whole, split;
    parse(&whole, &whole_b, text, len, len, 0);
    parse(&split, &cut_b, text, len, cut, piece);

    if (whole.rc != split.rc || strcmp(whole.msg, split.msg) != 0 ||
        whole.parser_edges != split.parser_edges || whole.vertices != split.vertices ||
        whole.edges != split.edges)
        die("feeding in pieces changed the outcome", &whole, &split);
    if (split.rc == 0 && split.parser_edges != split.edges)
        die("the parser and the builder count different edges", &whole, &split);
    if (split.rc == 0)
        check_snapshot(cut_b, &split);

    algo_graph_builder_free(whole_b);
    algo_graph_builder_free(cut_b);
    free(text);
    return 0;
}
