/* bench_load.c: times loading an edge-list file the way the service does:
 * read in 8 MiB pieces through algo_edge_parser into a builder, write the
 * snapshot (fsync + rename included), then algo_graph_map it (which
 * validates every edge).
 *
 * Usage: bench_load EDGE_FILE [SNAPSHOT_PATH]   (default /tmp/bench_load.graph)
 * Prints one line per phase and a final "TOTAL <seconds>" line that
 * run_load.sh reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "edge_parse.h"
#include "graph_build.h"
#include "graph_file.h"

static long peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

int main(int argc, char **argv)
{
    char msg[ALGO_MSG_MAX];
    const char *in_path = argc > 1 ? argv[1] : NULL;
    const char *out_path = argc > 2 ? argv[2] : "/tmp/bench_load.graph";
    algo_graph_builder *b = NULL;
    algo_edge_parser *p = NULL;
    algo_graph g;
    size_t cap = (size_t)8 << 20;
    char *buf = malloc(cap);
    int rc = 1;

    if (!in_path) {
        fprintf(stderr, "usage: bench_load EDGE_FILE [SNAPSHOT_PATH]\n");
        return 2;
    }
    int fd = open(in_path, O_RDONLY);
    if (fd < 0 || !buf || algo_graph_builder_new(&b) < 0 || algo_edge_parser_new(&p, b) < 0) {
        fprintf(stderr, "bench_load: %s: %s\n", in_path, strerror(errno));
        goto out;
    }
    double t0 = hgc_now_s();
    for (;;) {
        ssize_t r = read(fd, buf, cap);
        if (r < 0) {
            fprintf(stderr, "bench_load: read: %s\n", strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        if (algo_edge_parser_feed(p, buf, (size_t)r, msg) < 0) {
            fprintf(stderr, "bench_load: %s\n", msg);
            goto out;
        }
    }
    if (algo_edge_parser_finish(p, msg) < 0) {
        fprintf(stderr, "bench_load: %s\n", msg);
        goto out;
    }
    double t1 = hgc_now_s();
    uint64_t m = algo_graph_builder_edges(b), n = algo_graph_builder_vertices(b);
    if (algo_graph_builder_write(b, out_path, msg) < 0) {
        fprintf(stderr, "bench_load: %s\n", msg);
        goto out;
    }
    double t2 = hgc_now_s();
    algo_graph_builder_free(b);
    b = NULL;
    if (algo_graph_map(&g, out_path, msg) < 0) {
        fprintf(stderr, "bench_load: %s\n", msg);
        goto out;
    }
    double t3 = hgc_now_s();
    algo_graph_unmap(&g);

    printf("ours: %llu vertices, %llu edges\n", (unsigned long long)n, (unsigned long long)m);
    printf("ours: parse+add   %.3f s\n", t1 - t0);
    printf("ours: build+write %.3f s (fsync included)\n", t2 - t1);
    printf("ours: map+check   %.3f s\n", t3 - t2);
    printf("ours: parse+build+write %.3f s, %.1f M edges/s, peak RSS %ld MB\n", t2 - t0,
           (double)m / (t2 - t0) / 1e6, peak_rss_mb());
    printf("TOTAL %.3f\n", t2 - t0);
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    algo_edge_parser_free(p);
    algo_graph_builder_free(b);
    free(buf);
    return rc;
}
