/* clustering_coefficient.c: the local clustering coefficient on the
 * undirected view (docs/algorithms.md; NetworkX `clustering`, LDBC
 * Graphalytics' LCC on undirected graphs):
 *   c(v) = 2 T(v) / (d(v) (d(v) - 1)),  0 when d(v) < 2,
 * T(v) the triangles through v (triangle_count.c: degree-ordered N+ lists,
 * each N+(i) marked in a bitmap and probed by its members' N+),
 * d(v) v's degree in the undirected view.
 *
 * Cost: triangle-count's; memory beyond the output: triangle-count's plus
 * an int64 per vertex for T.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/big_alloc.h"

#include "kernel.h"
#include "triangle_count.h"
#include "undirected.h"

int algo_kernel_clustering_coefficient(algo_output *out, const algo_kernel_ctx *k,
                                       char msg[ALGO_MSG_MAX])
{
    algo_undirected u;
    uint64_t total = 0;
    char why[ALGO_MSG_MAX] = "";
    int64_t *tri = NULL;
    int rc = algo_undirected_init(&u, k->view, k->team, msg);
    if (rc != 0)
        return rc;
    tri = hgc_big_calloc(u.n, sizeof *tri); /* on 2 MiB pages (base/big_alloc.h) */
    if (!tri) {
        snprintf(msg, ALGO_MSG_MAX, "clustering-coefficient: out of memory for %llu vertices",
                 (unsigned long long)u.n);
        rc = ALGO_ENOMEM;
        goto done;
    }
    rc = algo_triangles(tri, &total, &u, k->team, k->progress, why);
    if (rc != 0) {
        snprintf(msg, ALGO_MSG_MAX, "clustering-coefficient: %s", why);
        goto done;
    }
    for (uint64_t v = 0; v < u.n; v++) {
        double d = (double)algo_undirected_degree(&u, v);
        out->f64[v] = d < 2 ? 0 : 2.0 * (double)tri[v] / (d * (d - 1));
    }
    algo_output_stat_int(out, "triangles", (int64_t)total);
    algo_output_stat_int(out, "undirected_edges", (int64_t)(u.m / 2));
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
done:
    hgc_big_free(tri, u.n, sizeof *tri);
    algo_undirected_release(&u);
    return rc;
}
