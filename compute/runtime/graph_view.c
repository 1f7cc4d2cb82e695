/* graph_view.c: the effective graph of the common input options
 * (graph_view.h). Without folding or a limit the view only points into the
 * snapshot. Otherwise each vertex's effective out-list is gathered (merging
 * out- and in-lists for BOTH), sorted if the snapshot's was not, folded,
 * cut to the limit and appended to a heap CSR; the in-CSR is its transpose
 * by counting sort, so in-lists come out sorted by source.
 *
 * Cost: O(n + m) time and memory for a heap view (plus a sort of any
 * unsorted adjacency list); O(1), or O(n) to check a limit, otherwise.
 */
#include "graph_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sort_u32.h"

typedef struct heap_csr {
    uint64_t *out_off;
    uint32_t *out_nbr;
    uint64_t *in_off;
    uint32_t *in_nbr;
} heap_csr;

const char *algo_kernel_strerror(int code)
{
    switch (code) {
    case 0: return "success";
    case ALGO_EINVAL: return "invalid argument";
    case ALGO_ENOMEM: return "out of memory";
    case ALGO_ESTOPPED: return "stopped on request";
    default: return "unknown error";
    }
}

int algo_edge_dir_parse(algo_edge_dir *out, const char *s)
{
    static const char *const names[] = {"OUT", "IN", "BOTH"};
    for (int i = 0; s && i < 3; i++)
        if (strcasecmp(s, names[i]) == 0) {
            *out = (algo_edge_dir)i;
            return 0;
        }
    return -1;
}

int algo_edge_freq_parse(algo_edge_freq *out, const char *s)
{
    static const char *const names[] = {"MULTIPLE", "SINGLE", "SINGLE_PER_LABEL"};
    for (int i = 0; s && i < 3; i++)
        if (strcasecmp(s, names[i]) == 0) {
            *out = (algo_edge_freq)i;
            return 0;
        }
    return -1;
}

static void heap_free(heap_csr *h)
{
    if (!h)
        return;
    free(h->out_off);
    free(h->out_nbr);
    free(h->in_off);
    free(h->in_nbr);
    free(h);
}

void algo_graph_view_release(algo_graph_view *v)
{
    if (!v)
        return;
    heap_free(v->heap_);
    memset(v, 0, sizeof *v);
}

/* The snapshot's ranges for `dir`, as a view that borrows them. */
static void borrow(algo_graph_view *v, const algo_graph *g, algo_edge_dir dir)
{
    algo_adj o = {g->out_off, g->out_dst, g->out_simple}, i = {g->in_off, g->in_src, g->in_simple};
    memset(v, 0, sizeof *v);
    v->n = g->n;
    v->parts = dir == ALGO_DIR_BOTH ? 2 : 1;
    v->out[0] = dir == ALGO_DIR_IN ? i : o;
    v->in[0] = dir == ALGO_DIR_IN ? o : i;
    if (dir == ALGO_DIR_BOTH) {
        v->out[1] = i;
        v->in[1] = o;
    }
    v->m = dir == ALGO_DIR_BOTH ? 2 * g->m : g->m;
}

static int is_sorted(const uint32_t *a, uint64_t n)
{
    for (uint64_t i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

/* v's effective out-list before folding and the limit, sorted, into buf
 * (room for its degree; tmp as much, for a merge). Returns its length. */
static uint64_t gather(uint32_t *buf, uint32_t *tmp, const algo_graph_view *b, uint64_t v)
{
    const algo_adj *a0 = &b->out[0];
    uint64_t n0 = a0->off[v + 1] - a0->off[v];
    memcpy(buf, a0->nbr + a0->off[v], n0 * sizeof *buf);
    if (!is_sorted(buf, n0))
        algo_sort_u32(buf, n0);
    if (b->parts == 1)
        return n0;

    const algo_adj *a1 = &b->out[1];
    uint64_t n1 = a1->off[v + 1] - a1->off[v];
    memcpy(tmp, a1->nbr + a1->off[v], n1 * sizeof *tmp);
    if (!is_sorted(tmp, n1))
        algo_sort_u32(tmp, n1);
    /* merge from the back so buf can hold the result in place */
    uint64_t i = n0, j = n1, k = n0 + n1;
    while (j > 0) {
        if (i > 0 && buf[i - 1] > tmp[j - 1])
            buf[--k] = buf[--i];
        else
            buf[--k] = tmp[--j];
    }
    return n0 + n1;
}

static int build_heap(algo_graph_view *v, const algo_graph_view *b, algo_edge_freq freq,
                      int64_t limit, char msg[ALGO_MSG_MAX])
{
    int rc = ALGO_ENOMEM;
    uint64_t n = b->n, max_deg = 0, kept = 0;
    heap_csr *h = NULL;
    uint32_t *buf = NULL, *tmp = NULL;
    uint64_t *pos = NULL;

    for (uint64_t u = 0; u < n; u++) {
        uint64_t d = algo_view_out_degree(b, u);
        if (d > max_deg)
            max_deg = d;
    }
    h = calloc(1, sizeof *h);
    if (!h)
        goto done;
    h->out_off = malloc((n + 1) * sizeof *h->out_off);
    h->in_off = calloc(n + 1, sizeof *h->in_off);
    h->out_nbr = malloc((b->m ? b->m : 1) * sizeof *h->out_nbr);
    buf = malloc((max_deg ? max_deg : 1) * sizeof *buf);
    tmp = malloc((max_deg ? max_deg : 1) * sizeof *tmp);
    if (!h->out_off || !h->in_off || !h->out_nbr || !buf || !tmp)
        goto done;

    h->out_off[0] = 0;
    for (uint64_t u = 0; u < n; u++) {
        uint64_t d = gather(buf, tmp, b, u);
        if (freq != ALGO_FREQ_MULTIPLE && d > 1) {
            /* sorted, so parallel edges are adjacent */
            uint64_t w = 1;
            for (uint64_t r = 1; r < d; r++)
                if (buf[r] != buf[w - 1])
                    buf[w++] = buf[r];
            d = w;
        }
        if (limit >= 0 && d > (uint64_t)limit)
            d = (uint64_t)limit;
        memcpy(h->out_nbr + kept, buf, d * sizeof *buf);
        kept += d;
        h->out_off[u + 1] = kept;
    }
    if (kept < b->m) {
        uint32_t *shrunk = realloc(h->out_nbr, (kept ? kept : 1) * sizeof *shrunk);
        if (shrunk)
            h->out_nbr = shrunk;
    }

    /* transpose: counting sort by target; sources come in ascending order */
    h->in_nbr = malloc((kept ? kept : 1) * sizeof *h->in_nbr);
    pos = malloc((n + 1) * sizeof *pos);
    if (!h->in_nbr || !pos)
        goto done;
    for (uint64_t e = 0; e < kept; e++)
        h->in_off[h->out_nbr[e] + 1]++;
    for (uint64_t u = 0; u < n; u++)
        h->in_off[u + 1] += h->in_off[u];
    memcpy(pos, h->in_off, (n + 1) * sizeof *pos);
    for (uint64_t u = 0; u < n; u++)
        for (uint64_t e = h->out_off[u]; e < h->out_off[u + 1]; e++)
            h->in_nbr[pos[h->out_nbr[e]]++] = (uint32_t)u;

    memset(v, 0, sizeof *v);
    v->n = n;
    v->m = kept;
    v->parts = 1;
    v->out[0] = (algo_adj){h->out_off, h->out_nbr, 0};
    v->in[0] = (algo_adj){h->in_off, h->in_nbr, 0};
    v->heap_ = h;
    h = NULL;
    rc = 0;
done:
    if (rc == ALGO_ENOMEM)
        snprintf(msg, ALGO_MSG_MAX, "out of memory building the graph view (%llu edges)",
                 (unsigned long long)b->m);
    heap_free(h);
    free(buf);
    free(tmp);
    free(pos);
    return rc;
}

int algo_graph_view_init(algo_graph_view *v, const algo_graph *g, algo_edge_dir dir,
                         algo_edge_freq freq, int64_t limit, char msg[ALGO_MSG_MAX])
{
    algo_graph_view b;
    if (!v || !g || (g->n && (!g->out_off || !g->in_off))) {
        snprintf(msg, ALGO_MSG_MAX, "no graph to view");
        return ALGO_EINVAL;
    }
    if (dir != ALGO_DIR_OUT && dir != ALGO_DIR_IN && dir != ALGO_DIR_BOTH) {
        snprintf(msg, ALGO_MSG_MAX, "unknown edge direction %d", (int)dir);
        return ALGO_EINVAL;
    }
    borrow(&b, g, dir);
    if (g->n == 0) {
        /* nothing to copy; a snapshot of no vertices still has off[0] */
        *v = b;
        return 0;
    }

    int need_copy = freq != ALGO_FREQ_MULTIPLE;
    if (!need_copy && limit >= 0)
        for (uint64_t u = 0; u < g->n && !need_copy; u++)
            need_copy = algo_view_out_degree(&b, u) > (uint64_t)limit;
    if (!need_copy) {
        *v = b;
        return 0;
    }
    return build_heap(v, &b, freq, limit, msg);
}
