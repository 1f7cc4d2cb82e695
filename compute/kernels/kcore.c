/* kcore.c: k-cores on the undirected view (docs/algorithms.md).
 *
 * kcore.k = k > 0: peel every vertex of degree < k, and those whose degree
 * falls below k as their neighbours go, until none is left; a vertex of
 * the k-core gets its degree within the core, the others 0.
 * kcore.k = 0: every vertex's core number, by Batagelj and Zaversnik's
 * O(n + m) bucket algorithm ("An O(m) algorithm for cores decomposition
 * of networks", 2003), which is also what NetworkX core_number and igraph
 * follow. Both results are unique, so any order of work gives them.
 *
 * The undirected view (runtime/undirected.h) is built over the team; the
 * peeling itself is sequential (it is O(n + m), a pass over the lists),
 * reporting progress per twentieth of the vertices peeled (for k > 0: per
 * twentieth of the first scan, then of the peeling) and stopping there
 * when asked.
 *
 * Cost: O(n + m) time. Memory beyond the output: the undirected view
 * (8n + 4m' bytes), and for k = 0 three arrays of n 32-bit entries plus
 * the buckets (4 (max degree + 1) bytes); for k > 0 a queue of n 32-bit
 * entries and a byte per vertex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "specs/kcore.h"
#include "undirected.h"

#define SHARES 20

typedef struct peel {
    algo_progress *progress;
    uint64_t n, every, next_report;
} peel;

/* Called after `done` vertices are peeled: progress per share; non-zero: stop. */
static int peeled(peel *p, uint64_t done)
{
    if (done < p->next_report)
        return 0;
    p->next_report = done + p->every;
    return algo_progress_step(p->progress, done, p->n, 0);
}

/* Core numbers into core[] (Batagelj-Zaversnik). 0, ALGO_ENOMEM, ALGO_ESTOPPED. */
static int core_numbers(int64_t *core, const algo_undirected *u, peel *p)
{
    const uint64_t n = u->n;
    uint64_t max_deg = 0;
    int rc = ALGO_ENOMEM;
    uint32_t *deg = malloc(n * sizeof *deg), *vert = malloc(n * sizeof *vert),
             *pos = malloc(n * sizeof *pos), *bin = NULL;
    if (!deg || !vert || !pos)
        goto done;
    for (uint64_t v = 0; v < n; v++) {
        deg[v] = (uint32_t)algo_undirected_degree(u, v);
        if (deg[v] > max_deg)
            max_deg = deg[v];
    }
    bin = calloc(max_deg + 1, sizeof *bin);
    if (!bin)
        goto done;
    for (uint64_t v = 0; v < n; v++)
        bin[deg[v]]++;
    uint32_t start = 0;
    for (uint64_t d = 0; d <= max_deg; d++) {
        uint32_t c = bin[d];
        bin[d] = start;
        start += c;
    }
    for (uint64_t v = 0; v < n; v++) {
        pos[v] = bin[deg[v]]++;
        vert[pos[v]] = (uint32_t)v;
    }
    for (uint64_t d = max_deg; d > 0; d--)
        bin[d] = bin[d - 1];
    bin[0] = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t v = vert[i];
        for (uint64_t e = u->off[v]; e < u->off[v + 1]; e++) {
            uint32_t w = u->nbr[e];
            if (deg[w] > deg[v]) {
                /* move w to the front of its bucket, then one bucket down */
                uint32_t dw = deg[w], pw = pos[w], ps = bin[dw], s = vert[ps];
                if (s != w) {
                    pos[w] = ps;
                    vert[pw] = s;
                    pos[s] = pw;
                    vert[ps] = w;
                }
                bin[dw]++;
                deg[w]--;
            }
        }
        core[v] = deg[v];
        if (peeled(p, i + 1)) {
            rc = ALGO_ESTOPPED;
            goto done;
        }
    }
    rc = 0;
done:
    free(deg);
    free(vert);
    free(pos);
    free(bin);
    return rc;
}

/* The k-core: degree within it, 0 outside. 0, ALGO_ENOMEM, ALGO_ESTOPPED. */
static int k_core(int64_t *deg, uint64_t *kept, const algo_undirected *u, uint64_t k, peel *p)
{
    const uint64_t n = u->n;
    int rc = ALGO_ENOMEM;
    uint32_t *queue = malloc(n * sizeof *queue);
    unsigned char *gone = calloc(n, 1);
    uint64_t head = 0, tail = 0;
    if (!queue || !gone)
        goto done;
    /* progress: the scan is the first n units, the peeling the next n */
    p->n = 2 * n;
    for (uint64_t v = 0; v < n; v++) {
        deg[v] = (int64_t)algo_undirected_degree(u, v);
        if ((uint64_t)deg[v] < k) {
            gone[v] = 1;
            queue[tail++] = (uint32_t)v;
        }
        if (peeled(p, v + 1)) {
            rc = ALGO_ESTOPPED;
            goto done;
        }
    }
    p->next_report = n + p->every;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint64_t e = u->off[v]; e < u->off[v + 1]; e++) {
            uint32_t w = u->nbr[e];
            if (--deg[w] == (int64_t)k - 1 && !gone[w]) {
                gone[w] = 1;
                queue[tail++] = w;
            }
        }
        if (peeled(p, n + head)) {
            rc = ALGO_ESTOPPED;
            goto done;
        }
    }
    for (uint64_t v = 0; v < n; v++)
        if (gone[v])
            deg[v] = 0;
    *kept = n - tail;
    rc = 0;
done:
    free(queue);
    free(gone);
    return rc;
}

int algo_kernel_kcore(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_kcore_opts *o = k->opts;
    algo_undirected u;
    uint64_t kept = 0;
    int rc = algo_undirected_init(&u, k->view, k->team, msg);
    if (rc != 0)
        return rc;
    peel p = {.progress = k->progress, .n = u.n, .every = u.n / SHARES ? u.n / SHARES : 1};
    p.next_report = p.every;
    rc = o->k == 0 ? core_numbers(out->i64, &u, &p)
                   : k_core(out->i64, &kept, &u, (uint64_t)o->k, &p);
    if (rc == ALGO_ENOMEM) {
        snprintf(msg, ALGO_MSG_MAX, "kcore: out of memory for %llu vertices",
                 (unsigned long long)u.n);
        goto done;
    }
    if (rc == ALGO_ESTOPPED) {
        snprintf(msg, ALGO_MSG_MAX, "kcore: stopped while peeling");
        goto done;
    }
    if (o->k == 0) {
        int64_t max_core = 0;
        for (uint64_t v = 0; v < u.n; v++)
            if (out->i64[v] > max_core)
                max_core = out->i64[v];
        algo_output_stat_int(out, "max_core", max_core);
    } else {
        algo_output_stat_int(out, "core_vertices", (int64_t)kept);
    }
    algo_output_stat_int(out, "undirected_edges", (int64_t)(u.m / 2));
done:
    algo_undirected_release(&u);
    return rc;
}
