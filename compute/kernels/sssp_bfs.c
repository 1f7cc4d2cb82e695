/* sssp_bfs.c: sssp when every effective edge weighs the same w0 (no weight
 * property): a breadth-first search from the source over the team;
 * distance = level × w0 (one rounding, where adding w0 level times would
 * round at each step: the same doubles whenever w0's multiples are exact,
 * integers for instance).
 *
 * Direction-optimising BFS (Beamer, Asanović, Patterson, SC 2012; GAPBS
 * bfs.cc is the speed reference, its alpha 15 and beta 18 switch): top-down
 * steps push the frontier (a queue) along out-edges; when the frontier's
 * out-edges outnumber a fifteenth of those still unexplored, bottom-up steps
 * let every unseen vertex look along its in-edges for a frontier member (a
 * bitmap), until the frontier shrinks under n/18 and stops growing.
 *
 * Determinism without a second pass: each vertex holds one 64-bit key,
 * level << 32 | predecessor, lowered by atomic min. Top-down, every frontier
 * vertex offers (level + 1, itself) to each out-neighbour, so a vertex found
 * in a step ends with the smallest in-neighbour of the frontier; bottom-up,
 * a vertex scans its sorted in-list and stops at the first frontier member,
 * the same vertex. So the predecessor is the smallest in-neighbour one level
 * closer whatever the team size or the switch points.
 *
 * Cost: O(n + m) time (bottom-up steps may rescan in-lists; GAPBS's bound);
 * memory beyond the output: the keys live in the distance array until the
 * end, plus a queue of n vertices (4n bytes) and two bitmaps (n/4 bytes).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sssp.h"

#define ALPHA 15
#define BETA  18
/* Queue entries a member takes at a time, and keeps before publishing. */
#define CHUNK     64
#define LOCAL_CAP 1024
/* A top-down step over fewer frontier edges than this runs on the caller. */
#define SERIAL_EDGES 4096

#define UNSEEN UINT64_MAX

typedef struct bfs_run {
    const algo_graph_view *v;
    algo_progress *progress;
    uint64_t *key;   /* n: level << 32 | predecessor, or UNSEEN */
    uint32_t *queue; /* n: the frontier is queue[head, tail) */
    uint64_t head, tail;
    uint64_t next_tail;     /* top-down: where found vertices go (atomic) */
    uint64_t *front, *next; /* bitmaps of n bits */
    uint64_t level;         /* of the frontier */
    uint64_t cursor;        /* a step's shared position (atomic) */
    uint64_t count;         /* top-down: edges out of the found; bottom-up: found */
} bfs_run;

static inline uint64_t ld64(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static uint64_t out_degree(const algo_graph_view *v, uint32_t x)
{
    return algo_view_out_degree(v, x);
}

/* A member's found vertices, published to the queue in runs. */
typedef struct local_q {
    uint32_t item[LOCAL_CAP];
    uint64_t len;
} local_q;

static void flush(bfs_run *r, local_q *q)
{
    if (!q->len)
        return;
    uint64_t at = __atomic_fetch_add(&r->next_tail, q->len, __ATOMIC_RELAXED);
    memcpy(r->queue + at, q->item, q->len * sizeof *q->item);
    q->len = 0;
}

static void push(bfs_run *r, local_q *q, uint32_t x)
{
    if (q->len == LOCAL_CAP)
        flush(r, q);
    q->item[q->len++] = x;
}

/* Top-down: the frontier's out-edges, each offering (level + 1, u). */
static void td_member(void *arg, int tid)
{
    (void)tid;
    bfs_run *r = arg;
    const algo_graph_view *v = r->v;
    const uint64_t len = r->tail - r->head, cand_hi = (r->level + 1) << 32;
    uint64_t scout = 0;
    local_q q;
    q.len = 0;
    for (;;) {
        uint64_t i = __atomic_fetch_add(&r->cursor, CHUNK, __ATOMIC_RELAXED);
        if (i >= len || algo_progress_stopped(r->progress))
            break;
        uint64_t end = i + CHUNK < len ? i + CHUNK : len;
        for (; i < end; i++) {
            uint32_t u = r->queue[r->head + i];
            uint64_t cand = cand_hi | u;
            for (int p = 0; p < v->parts; p++) {
                const algo_adj *a = &v->out[p];
                for (uint64_t e = a->off[u]; e < a->off[u + 1]; e++) {
                    uint32_t x = a->nbr[e];
                    uint64_t k = ld64(&r->key[x]);
                    while (cand < k) {
                        if (__atomic_compare_exchange_n(&r->key[x], &k, cand, 1, __ATOMIC_RELAXED,
                                                        __ATOMIC_RELAXED)) {
                            if (k == UNSEEN) { /* the first to find x */
                                push(r, &q, x);
                                scout += out_degree(v, x);
                            }
                            break;
                        }
                    }
                }
            }
        }
    }
    flush(r, &q);
    __atomic_fetch_add(&r->count, scout, __ATOMIC_RELAXED);
}

static inline int bit(const uint64_t *bm, uint32_t x)
{
    return (int)((bm[x >> 6] >> (x & 63)) & 1);
}

/* Bottom-up over a block: every unseen vertex takes its smallest
 * in-neighbour in the frontier. Blocks are whole bitmap words (ALGO_BLOCK
 * is a multiple of 64), so `next` needs no atomics. */
static void bu_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    bfs_run *r = arg;
    const algo_graph_view *v = r->v;
    const uint64_t cand_hi = (r->level + 1) << 32;
    uint64_t found = 0;
    memset(r->next + lo / 64, 0, ((hi + 63) / 64 - lo / 64) * sizeof *r->next);
    if (algo_progress_stopped(r->progress))
        return;
    for (uint64_t x = lo; x < hi; x++) {
        if (r->key[x] != UNSEEN)
            continue;
        uint32_t best = ALGO_NO_VERTEX;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *a = &v->in[p];
            for (uint64_t e = a->off[x]; e < a->off[x + 1]; e++) {
                uint32_t u = a->nbr[e];
                if (u >= best)
                    break;
                if (bit(r->front, u)) {
                    best = u;
                    break;
                }
            }
        }
        if (best != ALGO_NO_VERTEX) {
            r->key[x] = cand_hi | best;
            r->next[x >> 6] |= 1ull << (x & 63);
            found++;
        }
    }
    __atomic_fetch_add(&r->count, found, __ATOMIC_RELAXED);
}

/* The queue's vertices into `front` (cleared first). */
static void queue_to_bitmap(bfs_run *r)
{
    uint64_t words = (r->v->n + 63) / 64;
    memset(r->front, 0, words * sizeof *r->front);
    for (uint64_t i = r->head; i < r->tail; i++) {
        uint32_t x = r->queue[i];
        r->front[x >> 6] |= 1ull << (x & 63);
    }
}

/* `front`'s vertices into the queue, which starts over at 0. */
static void bitmap_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    bfs_run *r = arg;
    local_q q;
    q.len = 0;
    for (uint64_t w = lo / 64; w < (hi + 63) / 64; w++)
        for (uint64_t bits = r->front[w]; bits; bits &= bits - 1)
            push(r, &q, (uint32_t)(w * 64 + (uint64_t)__builtin_ctzll(bits)));
    flush(r, &q);
}

static void init_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    bfs_run *r = arg;
    for (uint64_t x = lo; x < hi; x++)
        r->key[x] = UNSEEN;
}

typedef struct finish_arg {
    bfs_run *r;
    double w0;
    double *dist;
    uint32_t *pred;
} finish_arg;

/* Keys to distances and predecessors, in place (key and dist share memory). */
static void finish_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    finish_arg *f = arg;
    for (uint64_t x = lo; x < hi; x++) {
        uint64_t k = f->r->key[x];
        if (k == UNSEEN) {
            f->dist[x] = INFINITY;
            f->pred[x] = ALGO_NO_VERTEX;
        } else {
            f->dist[x] = (double)(k >> 32) * f->w0;
            f->pred[x] = (uint32_t)k;
        }
    }
}

int sssp_bfs_run(const sssp_search *s, char msg[ALGO_MSG_MAX])
{
    const algo_graph_view *v = s->view;
    const uint64_t n = v->n;
    int rc = 0;
    /* The distance array holds the keys until finish_block: 8 bytes each,
     * written and read only as uint64_t until then. */
    bfs_run r = {.v = v, .progress = s->progress, .key = (uint64_t *)(void *)s->dist};
    r.queue = malloc((n ? n : 1) * sizeof *r.queue);
    r.front = malloc(((n + 63) / 64 + 1) * sizeof *r.front);
    r.next = malloc(((n + 63) / 64 + 1) * sizeof *r.next);
    if (!r.queue || !r.front || !r.next) {
        snprintf(msg, ALGO_MSG_MAX, "sssp: out of memory for the BFS queue of %llu vertices",
                 (unsigned long long)n);
        rc = ALGO_ENOMEM;
        goto done;
    }
    algo_team_for(s->team, n, init_block, &r);
    r.key[s->src] = s->src; /* level 0 */
    r.queue[0] = s->src;
    r.tail = 1;

    uint64_t edges_to_check = v->m, scout = out_degree(v, s->src);
    uint64_t seen = 1, reported = 0;
    while (r.tail > r.head) {
        if (scout > edges_to_check / ALPHA) {
            /* bottom-up until the frontier is small and shrinking */
            queue_to_bitmap(&r);
            uint64_t awake = r.tail - r.head, old;
            do {
                old = awake;
                r.count = 0;
                algo_team_for(s->team, n, bu_block, &r);
                awake = r.count;
                uint64_t *t = r.front;
                r.front = r.next;
                r.next = t;
                r.level++;
                seen += awake;
                if (algo_progress_stopped(s->progress) ||
                    (sssp_report_due(seen, n, &reported) &&
                     algo_progress_step(s->progress, seen, n, (double)r.level)))
                    goto stopped;
            } while (awake >= old || awake > n / BETA);
            r.head = r.tail = r.next_tail = 0;
            algo_team_for(s->team, n, bitmap_block, &r);
            r.tail = r.next_tail;
            scout = 1;
        } else {
            edges_to_check -= scout < edges_to_check ? scout : edges_to_check;
            r.count = 0;
            r.cursor = 0;
            r.next_tail = r.tail;
            if (scout < SERIAL_EDGES)
                td_member(&r, 0);
            else
                algo_team_run(s->team, td_member, &r);
            scout = r.count;
            r.head = r.tail;
            r.tail = r.next_tail;
            r.level++;
            seen += r.tail - r.head;
            if (algo_progress_stopped(s->progress) ||
                (sssp_report_due(seen, n, &reported) &&
                 algo_progress_step(s->progress, seen, n, (double)r.level)))
                goto stopped;
        }
    }
    if (reported < n && algo_progress_step(s->progress, n, n, (double)r.level))
        goto stopped;
    finish_arg f = {&r, s->w0, s->dist, s->pred};
    algo_team_for(s->team, n, finish_block, &f);
    goto done;
stopped:
    snprintf(msg, ALGO_MSG_MAX, "sssp: stopped at BFS level %llu, %llu of %llu vertices reached",
             (unsigned long long)r.level, (unsigned long long)seen, (unsigned long long)n);
    rc = ALGO_ESTOPPED;
done:
    free(r.queue);
    free(r.front);
    free(r.next);
    return rc;
}
