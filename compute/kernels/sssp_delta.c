/* sssp_delta.c: sssp with the edges' own weights: delta-stepping over the
 * team, on integer labels while every weight met is an integer.
 *
 * Delta-stepping (Meyer & Sanders, J. Algorithms 2003) as GAPBS sssp.cc
 * does it (the speed reference): vertices wait in buckets of width delta,
 * each member keeps its own buckets; a round relaxes the shared frontier
 * (the current bucket gathered from every member), each member then keeps
 * relaxing its own current bucket while it is small (bucket fusion, Zhang
 * et al., CGO 2020), and the smallest non-empty bucket of all becomes the
 * next frontier. A vertex is never removed from a bucket: an entry whose
 * distance has since dropped to an earlier bucket is skipped. Buckets ahead
 * of the current one by RING or more share its last ring slot (relaxed
 * early: more work, the same result).
 *
 * delta = mean sampled weight / mean out-degree (m / n): about one
 * relaxation in a bucket per vertex, Meyer & Sanders' Θ(1/d) for uniform
 * weights in [0, 1]; on the GAPBS Kronecker graph with weights 1..255 it is
 * about 2.6 (2 on integer labels), next to GAPBS's chosen 2. No option: the
 * result doesn't depend on it.
 *
 * Two searches, one loop:
 * - Integer (tried first): a vertex's label is one 64-bit word, distance
 *   << 32 | predecessor, lowered by compare-and-swap to the least (distance,
 *   predecessor) pair offered, so the predecessor needs no pass of its own
 *   and ties go to the smallest. Buckets are distance >> shift (delta
 *   rounded down to a power of two). An edge met that is not a whole
 *   number below 2^32, or a distance that would reach 2^32 - 1, stops it,
 *   and the real search starts again from scratch.
 * - Real: double distances, then the predecessors in a parallel pass.
 *
 * Exact distances: fl(a + w) is monotone in a and never below a, so every
 * order of relaxations that stops when no edge relaxes ends at the same
 * fixpoint (the greatest d with d(v) <= fl(d(u) + w(u, v)), d(source) = 0):
 * each distance is the least, over paths, of the path's weights added in
 * path order in double, exactly what Dijkstra computes, for any team size
 * and interleaving. Integer sums below 2^32 are exact in double too, so
 * both searches give the same distances.
 *
 * Predecessors: for every reached v, the smallest in-neighbour p with
 * dist(p) < dist(v) and dist(p) + w(p, v) == dist(v). The integer search
 * gets it from its labels: each u is relaxed at its final distance, any
 * earlier offer from u was larger, so the least pair left is (dist(v), that
 * p). The real search takes the first such p in v's sorted in-list (a pass
 * over fixed blocks).
 *
 * Cost: O(n + m) work per round a vertex is relaxed in (a few on the
 * Kronecker graph; O(n m) worst case, like every label-correcting method);
 * memory beyond the output (the integer labels live in the distances'
 * 8 bytes a vertex): per member RING bucket headers (24 bytes each) and its
 * buckets' entries (4 bytes per insertion still waiting), and the shared
 * frontier (4 bytes per entry of the largest bucket).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sssp.h"

/* Bucket slots per member: buckets cur .. cur + RING - 1 have their own. */
#define RING 4096
/* Frontier entries a member takes at a time. */
#define CHUNK 64
/* A member relaxes its current bucket again itself while it is this small. */
#define FUSE_BELOW 1000
#define NO_BIN     UINT64_MAX
#define SAMPLES    1024
/* A relax asks for the label of the neighbour this many entries ahead in
 * the list: labels are read in no useful order, and a successful
 * compare-and-swap (a locked instruction) waits for every earlier load,
 * so misses taken one at a time set the pace. kron20w at 2 threads: 4,
 * 8, 16, 32 ahead took 0.30-0.33, 0.29-0.31, 0.28-0.29, 0.27-0.29 s
 * where none took 0.32-0.35. */
#define LIST_AHEAD 16

typedef struct bucket {
    uint32_t *item;
    uint64_t len, cap;
} bucket;

/* What one member writes as it relaxes (its bucket tops, its count of
 * vertices reached) sits apart from the others (team.h), and so does the
 * shared cursor. */
typedef struct member {
    bucket *ring;
    uint64_t top;     /* buckets below top may be non-empty */
    uint64_t reached; /* vertices this member found first (progress) */
    uint64_t vote;    /* its smallest non-empty bucket, or NO_BIN */
    uint64_t vote_len;
    int nomem;
} __attribute__((aligned(ALGO_APART))) member;

typedef struct delta_run {
    const sssp_search *s;
    int ints;         /* the integer search (labels in best[]), else the real one */
    uint64_t *best;   /* integer search: n labels, distance << 32 | predecessor */
    unsigned shift;   /* integer search: bucket = distance >> shift */
    double inv_delta; /* real search: bucket = distance * inv_delta */
    double delta;     /* the bucket width, for progress and messages */
    double *dist;
    uint32_t *frontier;
    uint64_t flen, fcap;
    uint64_t cur; /* the bucket the frontier holds */
    int threads;
    int quit;    /* set by member 0 before a barrier: everyone leaves */
    int nomem;   /* the frontier or a bucket could not grow */
    int bad;     /* atomic: an edge that weighs <= 0 was met */
    int give_up; /* atomic: the integer search met what it can't hold */
    uint32_t bad_u, bad_x;
    double bad_w;
    uint64_t reported;
    _Alignas(ALGO_APART) uint64_t cursor; /* atomic: the next frontier entry to take */
    member m[ALGO_TEAM_MAX_THREADS];
} delta_run;

/* Labels of the integer search: none yet, and the largest distance + 1. */
#define NO_LABEL UINT64_MAX
#define INT_END  UINT32_MAX

static inline double ldd(const double *p)
{
    double d;
    __atomic_load(p, &d, __ATOMIC_RELAXED);
    return d;
}

static inline uint64_t bin_of(const delta_run *r, double d)
{
    double q = d * r->inv_delta;
    return q < 4611686018427387904.0 ? (uint64_t)q : (uint64_t)1 << 62;
}

static int bucket_push(bucket *b, uint32_t x)
{
    if (b->len == b->cap) {
        uint64_t cap = b->cap ? 2 * b->cap : 256;
        uint32_t *p = realloc(b->item, cap * sizeof *p);
        if (!p)
            return -1;
        b->item = p;
        b->cap = cap;
    }
    b->item[b->len++] = x;
    return 0;
}

/* x into bucket b of this member (the last ring slot when b is that far
 * ahead of cur). */
static inline void member_push(member *me, uint64_t b, uint64_t cur, uint32_t x)
{
    if (b > cur + RING - 1)
        b = cur + RING - 1;
    if (bucket_push(&me->ring[b % RING], x) != 0)
        me->nomem = 1;
    if (b + 1 > me->top)
        me->top = b + 1;
}

static void note_bad(delta_run *r, uint32_t u, uint32_t x, double w)
{
    int zero = 0;
    if (__atomic_compare_exchange_n(&r->bad, &zero, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        r->bad_u = u;
        r->bad_x = x;
        r->bad_w = w;
    }
}

/* Whether the search is to end early: a bad edge, or the integer search
 * giving way. */
static inline int halted(const delta_run *r)
{
    return __atomic_load_n(&r->bad, __ATOMIC_RELAXED) |
           __atomic_load_n(&r->give_up, __ATOMIC_RELAXED);
}

/* Real search: u's out-edges from its current distance, when that is still
 * in bucket `cur` or later (an earlier one means u was relaxed from there). */
static void relax_real(delta_run *r, member *me, uint32_t u, uint64_t cur)
{
    const algo_graph_view *v = r->s->view;
    double du = ldd(&r->dist[u]);
    if (bin_of(r, du) < cur)
        return;
    for (int p = 0; p < v->parts; p++) {
        const algo_adj *a = &v->out[p];
        algo_weights w = r->s->out_w[p];
        uint64_t end = a->off[u + 1];
        for (uint64_t e = a->off[u]; e < end; e++) {
            if (e + LIST_AHEAD < end)
                __builtin_prefetch(&r->dist[a->nbr[e + LIST_AHEAD]]);
            uint32_t x = a->nbr[e];
            double we = algo_weight(w, e);
            if (!(we > 0) || we == INFINITY) {
                note_bad(r, u, x, we);
                return;
            }
            double nd = du + we, old = ldd(&r->dist[x]);
            while (nd < old) {
                if (__atomic_compare_exchange(&r->dist[x], &old, &nd, 1, __ATOMIC_RELAXED,
                                              __ATOMIC_RELAXED)) {
                    if (old == INFINITY)
                        me->reached++;
                    member_push(me, bin_of(r, nd), cur, x);
                    break;
                }
            }
        }
    }
}

/* Integer search: offers x the label nd << 32 | u. x goes into a bucket
 * only when its distance drops (a smaller predecessor at the same
 * distance changes no bucket). */
static inline void offer(delta_run *r, member *me, uint32_t x, uint64_t nd, uint32_t u,
                         uint64_t cur)
{
    uint64_t label = nd << 32 | u, old = __atomic_load_n(&r->best[x], __ATOMIC_RELAXED);
    while (label < old) {
        if (__atomic_compare_exchange_n(&r->best[x], &old, label, 1, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
            if (old == NO_LABEL)
                me->reached++;
            if (old >> 32 > nd)
                member_push(me, nd >> r->shift, cur, x);
            break;
        }
    }
}

/* Integer search: the same as relax_real, offering each out-neighbour x
 * du + w. Whole-number weights (graph_file.h) need only the checks for 0
 * and for the end of the 32-bit distances; doubles are checked to be
 * whole numbers first. */
static void relax_int(delta_run *r, member *me, uint32_t u, uint64_t cur)
{
    const algo_graph_view *v = r->s->view;
    uint64_t du = __atomic_load_n(&r->best[u], __ATOMIC_RELAXED) >> 32;
    if ((du >> r->shift) < cur)
        return;
    for (int p = 0; p < v->parts; p++) {
        const algo_adj *a = &v->out[p];
        algo_weights w = r->s->out_w[p];
        uint64_t end = a->off[u + 1];
        if (w.u) {
            for (uint64_t e = a->off[u]; e < end; e++) {
                if (e + LIST_AHEAD < end)
                    __builtin_prefetch(&r->best[a->nbr[e + LIST_AHEAD]]);
                uint64_t wi = w.u[e], nd = du + wi;
                if (wi == 0 || nd >= INT_END) {
                    if (wi == 0)
                        note_bad(r, u, a->nbr[e], 0);
                    else
                        __atomic_store_n(&r->give_up, 1, __ATOMIC_RELAXED);
                    return;
                }
                offer(r, me, a->nbr[e], nd, u, cur);
            }
            continue;
        }
        for (uint64_t e = a->off[u]; e < end; e++) {
            if (e + LIST_AHEAD < end)
                __builtin_prefetch(&r->best[a->nbr[e + LIST_AHEAD]]);
            uint32_t x = a->nbr[e];
            double we = algo_weight(w, e);
            if (!(we >= 1 && we < (double)INT_END)) {
                if (!(we > 0) || we == INFINITY)
                    note_bad(r, u, x, we);
                else
                    __atomic_store_n(&r->give_up, 1, __ATOMIC_RELAXED);
                return;
            }
            uint64_t wi = (uint64_t)we, nd = du + wi;
            if ((double)wi != we || nd >= INT_END) {
                __atomic_store_n(&r->give_up, 1, __ATOMIC_RELAXED);
                return;
            }
            offer(r, me, x, nd, u, cur);
        }
    }
}

/* Asks for what relaxing list[i + 8] and list[i + 16] will read first:
 * the vertices of a frontier or bucket come in no useful order, so each
 * starts with misses on its label, its offsets and its list. */
static inline void ahead(const delta_run *r, const uint32_t *list, uint64_t i, uint64_t end)
{
    const algo_adj *a = &r->s->view->out[0];
    if (i + 16 < end) {
        uint32_t u = list[i + 16];
        __builtin_prefetch(&a->off[u]);
        __builtin_prefetch(r->ints ? (const void *)&r->best[u] : (const void *)&r->dist[u]);
    }
    if (i + 8 < end) {
        uint64_t e = a->off[list[i + 8]];
        __builtin_prefetch(&a->nbr[e]);
        algo_weights w = r->s->out_w[0];
        __builtin_prefetch(w.u ? (const void *)&w.u[e] : (const void *)&w.d[e]);
    }
}

/* The relax of the search `ints` says. */
static inline __attribute__((always_inline)) void relax(delta_run *r, member *me, uint32_t u,
                                                        uint64_t cur, const int ints)
{
    if (ints)
        relax_int(r, me, u, cur);
    else
        relax_real(r, me, u, cur);
}

/* The rounds of one member; `ints` is a constant in each caller below, so
 * each gets its own copy with its relax inlined. */
static inline __attribute__((always_inline)) void rounds(delta_run *r, int tid, const int ints)
{
    member *me = &r->m[tid];
    uint64_t cur = r->cur;
    uint32_t *mine = NULL; /* a copy of the own current bucket, for fusion */
    uint64_t mine_cap = 0;
    for (;;) {
        /* the shared frontier */
        for (;;) {
            uint64_t i = __atomic_fetch_add(&r->cursor, CHUNK, __ATOMIC_RELAXED);
            if (i >= r->flen || algo_progress_stopped(r->s->progress) || halted(r))
                break;
            uint64_t end = i + CHUNK < r->flen ? i + CHUNK : r->flen;
            for (; i < end; i++) {
                ahead(r, r->frontier, i, end);
                relax(r, me, r->frontier[i], cur, ints);
            }
        }
        /* fusion: the own current bucket while it is small */
        bucket *cb = &me->ring[cur % RING];
        while (cb->len > 0 && cb->len < FUSE_BELOW && !halted(r)) {
            if (cb->len > mine_cap) {
                uint32_t *p = realloc(mine, FUSE_BELOW * sizeof *p);
                if (!p) {
                    me->nomem = 1;
                    break;
                }
                mine = p;
                mine_cap = FUSE_BELOW;
            }
            uint64_t len = cb->len;
            memcpy(mine, cb->item, len * sizeof *mine);
            cb->len = 0;
            for (uint64_t i = 0; i < len; i++) {
                ahead(r, mine, i, len);
                relax(r, me, mine[i], cur, ints);
            }
        }
        me->vote = NO_BIN;
        me->vote_len = 0;
        for (uint64_t b = cur; b < me->top; b++)
            if (me->ring[b % RING].len) {
                me->vote = b;
                me->vote_len = me->ring[b % RING].len;
                break;
            }
        algo_team_barrier(r->s->team);

        /* every member reads the same votes: the next bucket, its size and
         * where each member's part of it goes */
        uint64_t next = NO_BIN, total = 0, at = 0;
        int fail = 0;
        for (int t = 0; t < r->threads; t++) {
            fail |= r->m[t].nomem;
            if (r->m[t].vote < next)
                next = r->m[t].vote;
        }
        for (int t = 0; t < r->threads; t++)
            if (r->m[t].vote == next) {
                if (t < tid)
                    at += r->m[t].vote_len;
                total += r->m[t].vote_len;
            }
        if (next == NO_BIN || fail || halted(r) || algo_progress_stopped(r->s->progress)) {
            if (tid == 0 && fail)
                r->nomem = 1;
            break;
        }
        if (total > r->fcap) {
            algo_team_barrier(r->s->team); /* nobody reads the frontier now */
            if (tid == 0) {
                uint32_t *p = realloc(r->frontier, total * sizeof *p);
                if (p) {
                    r->frontier = p;
                    r->fcap = total;
                } else {
                    r->nomem = 1;
                }
            }
            algo_team_barrier(r->s->team);
            if (r->nomem)
                break;
        }
        if (me->vote == next) {
            bucket *nb = &me->ring[next % RING];
            memcpy(r->frontier + at, nb->item, nb->len * sizeof *nb->item);
            nb->len = 0;
        }
        cur = next;
        if (tid == 0) {
            r->cur = cur; /* the others read it at the start only */
            r->flen = total;
            r->cursor = 0;
            uint64_t reached = 1;
            for (int t = 0; t < r->threads; t++)
                reached += r->m[t].reached; /* written before the barrier */
            uint64_t n = r->s->view->n;
            if (sssp_report_due(reached, n, &r->reported) &&
                algo_progress_step(r->s->progress, reached, n, (double)cur * r->delta))
                r->quit = 1;
        }
        algo_team_barrier(r->s->team);
        if (r->quit)
            break;
    }
    free(mine);
}

static void rounds_int(void *arg, int tid)
{
    rounds(arg, tid, 1);
}

static void rounds_real(void *arg, int tid)
{
    rounds(arg, tid, 0);
}

static void init_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    delta_run *r = arg;
    for (uint64_t x = lo; x < hi; x++) {
        if (r->ints)
            r->best[x] = NO_LABEL;
        else
            r->dist[x] = INFINITY;
        r->s->pred[x] = ALGO_NO_VERTEX;
    }
}

/* Integer search: the labels become distances and predecessors, in place
 * (best[] is dist[]'s memory). */
static void unpack_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    delta_run *r = arg;
    for (uint64_t x = lo; x < hi; x++) {
        uint64_t label = r->best[x];
        if (label == NO_LABEL) {
            r->dist[x] = INFINITY; /* pred[x] is ALGO_NO_VERTEX already */
            continue;
        }
        r->s->pred[x] = (uint32_t)label;
        r->dist[x] = (double)(label >> 32);
    }
}

/* Real search: for each reached v, the smallest in-neighbour on a shortest
 * path. */
static void pred_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    const delta_run *r = arg;
    const algo_graph_view *v = r->s->view;
    const double *dist = r->dist;
    if (algo_progress_stopped(r->s->progress))
        return;
    for (uint64_t x = lo; x < hi; x++) {
        double dx = dist[x];
        if (x == r->s->src || dx == INFINITY)
            continue;
        uint32_t best = ALGO_NO_VERTEX;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->in[p];
            algo_weights w = r->s->in_w[p];
            for (uint64_t e = a->off[x]; e < a->off[x + 1]; e++) {
                uint32_t u = a->nbr[e];
                if (u >= best)
                    break;
                double du = dist[u];
                if (du < dx && du + algo_weight(w, e) == dx) {
                    best = u;
                    break;
                }
            }
        }
        r->s->pred[x] = best;
    }
}

/* Mean sampled weight / mean out-degree; 1 when that is not usable. */
static double pick_delta(const sssp_search *s)
{
    const algo_graph_view *v = s->view;
    double sum = 0;
    uint64_t k = 0;
    for (int p = 0; p < v->parts; p++) {
        uint64_t m = v->out[p].off[v->n];
        uint64_t step = m / SAMPLES ? m / SAMPLES : 1;
        for (uint64_t e = 0; e < m; e += step) {
            double w = algo_weight(s->out_w[p], e);
            if (w > 0 && w < INFINITY) {
                sum += w;
                k++;
            }
        }
    }
    double deg = v->n ? (double)v->m / (double)v->n : 1;
    double delta = k ? sum / (double)k / (deg > 1 ? deg : 1) : 1;
    return delta > 0 && delta < INFINITY ? delta : 1;
}

/* One whole search from the source (the integer one when r->ints): every
 * label and bucket starts empty. */
static void search(delta_run *r, int ints)
{
    const sssp_search *s = r->s;
    r->ints = ints;
    for (int t = 0; t < r->threads; t++) {
        member *me = &r->m[t];
        for (uint64_t b = 0; b < RING; b++)
            me->ring[b].len = 0;
        me->top = 0;
        me->reached = 0;
    }
    r->quit = 0; /* r->reported stays: a second search reports from where the first got */
    r->cursor = 0;
    algo_team_for(s->team, s->view->n, init_block, r);
    if (ints)
        r->best[s->src] = (uint64_t)s->src; /* distance 0, its own predecessor */
    else
        r->dist[s->src] = 0;
    r->frontier[0] = s->src;
    r->flen = 1;
    r->cur = 0;
    algo_team_run(s->team, ints ? rounds_int : rounds_real, r);
}

int sssp_delta_run(const sssp_search *s, int *integer, char msg[ALGO_MSG_MAX])
{
    const uint64_t n = s->view->n;
    int rc = 0;
    double delta = 1;
    delta_run *r = algo_calloc_apart(1, sizeof *r);
    if (!r)
        goto nomem;
    r->s = s;
    r->dist = s->dist;
    r->best = (uint64_t *)(void *)s->dist; /* both 8 bytes a vertex */
    r->threads = algo_team_size(s->team);
    delta = pick_delta(s);
    while (r->shift < 31 && (double)(2u << r->shift) <= delta)
        r->shift++;
    for (int t = 0; t < r->threads; t++)
        if (!(r->m[t].ring = calloc(RING, sizeof *r->m[t].ring)))
            goto nomem;
    r->fcap = n / 16 > 1024 ? n / 16 : 1024;
    if (!(r->frontier = malloc(r->fcap * sizeof *r->frontier)))
        goto nomem;

    r->delta = (double)(1u << r->shift);
    search(r, 1);
    if (r->give_up && !r->bad && !r->nomem && !r->quit && !algo_progress_stopped(s->progress)) {
        r->give_up = 0;
        r->inv_delta = 1 / delta;
        r->delta = delta;
        search(r, 0);
    }
    if (r->nomem)
        goto nomem;
    if (r->bad) {
        char a[64], b[64];
        sssp_id_text(s->g, r->bad_u, a, sizeof a);
        sssp_id_text(s->g, r->bad_x, b, sizeof b);
        snprintf(msg, ALGO_MSG_MAX,
                 "sssp: the edge %s -> %s weighs %g; weights must be finite and > 0", a, b,
                 r->bad_w);
        rc = ALGO_EINVAL;
        goto done;
    }
    if (r->quit || algo_progress_stopped(s->progress))
        goto stopped;
    if (r->ints)
        algo_team_for(s->team, n, unpack_block, r);
    else
        algo_team_for(s->team, n, pred_block, r);
    s->pred[s->src] = s->src;
    if (algo_progress_step(s->progress, n, n, 0))
        goto stopped;
    *integer = r->ints;
    goto done;
stopped:
    snprintf(msg, ALGO_MSG_MAX, "sssp: stopped at distance %g (delta-stepping, delta %g)",
             r ? (double)r->cur * r->delta : 0.0, r ? r->delta : delta);
    rc = ALGO_ESTOPPED;
    goto done;
nomem:
    snprintf(msg, ALGO_MSG_MAX, "sssp: out of memory for the buckets of %llu vertices",
             (unsigned long long)n);
    rc = ALGO_ENOMEM;
done:
    if (r) {
        for (int t = 0; t < r->threads; t++) {
            if (!r->m[t].ring)
                continue;
            for (uint64_t b = 0; b < RING; b++)
                free(r->m[t].ring[b].item);
            free(r->m[t].ring);
        }
        free(r->frontier);
    }
    free(r);
    return rc;
}
