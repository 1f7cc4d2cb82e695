/* kcore.c: k-cores on the undirected view (docs/algorithms.md).
 *
 * kcore.k = k > 0: peel every vertex of degree < k, and those whose degree
 * falls below k as their neighbours go, until none is left; a vertex of
 * the k-core gets its degree within the core, the others 0.
 * kcore.k = 0: every vertex's core number (equals NetworkX core_number and
 * igraph_coreness, which follow Batagelj and Zaversnik's O(n + m) bucket
 * algorithm, "An O(m) algorithm for cores decomposition of networks",
 * 2003), here by level peeling over the team (as in Dasari, Desh and
 * Zubair's ParK, 2014, and Kabir and Madduri's PKC, 2017): each level k
 * removes every vertex left of degree k, frontier by frontier. Each member
 * owns every T-th run of 4096 vertices and alone takes from their degrees,
 * with plain decrements: while peeling it takes from its own and boxes
 * what it owes the others' vertices, which each owner takes after the
 * frontier (no atomic on a degree: those serialised the misses that are
 * the peeling's cost; kron20, 2 threads, 0.27-0.35 -> 0.20-0.26 s). Member
 * 0 ends alone once fewer than SOLO_BELOW vertices are left. Both results
 * are unique, so any order of work gives them: the same for any team
 * size.
 *
 * The undirected view (runtime/undirected.h) is built over the team; the
 * k > 0 peeling is sequential (one pass over the lists). Progress is
 * reported per twentieth of the vertices peeled (for k > 0: per twentieth
 * of the first scan, then of the peeling), stopping there when asked.
 *
 * Cost: O(n + m) time for k > 0; for k = 0 O(m) for the peeling plus a
 * scan of the vertices left per level (O(n x levels) at worst, far less
 * on real graphs, whose cores shrink fast). Memory beyond the output: the
 * undirected view (8n + 4m' bytes; none when borrowed, undirected.h), and
 * for k = 0 the two frontiers (2 arrays of 4n bytes; the degrees and the
 * vertices left live in the output until it is written), two words per
 * block, a byte per run and the boxes (4 bytes per decrement owed across
 * members in the largest frontier; at most 4m'); for k > 0 a queue of n
 * 32-bit entries and a byte per vertex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/big_alloc.h"
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

/* ---- core numbers: level peeling over the team.
 *
 * Level k is the least degree among the vertices left. Its frontier is
 * every vertex left of degree k; peeling a frontier vertex takes one off
 * the degree of each neighbour still above k, and the neighbours that so
 * reach k (the one decrement that finds k + 1) form the next frontier of
 * the same level, until a frontier is empty. Every vertex peeled at level
 * k has core number k (Batagelj and Zaversnik's invariant, met a set at a
 * time instead of a vertex at a time). A vertex peeled keeps degree k,
 * as no decrement takes from a degree not above the level's k: the
 * degrees end as the core numbers, and a vertex is left while its degree
 * is above the last level's k (no mark of its own: 4 bytes a vertex in
 * all, where a 64-bit degree and core number took 16). The frontiers
 * are the same sets for any team size (only their order differs), so are
 * the counts that progress reports; the core numbers are unique. */

#define PUSH_BUF 256 /* a member's frontier entries between two reservations */

/* Vertices left under which member 0 peels alone. Below it, on kron20,
 * the levels' frontiers are many and short and most decrements cross
 * members (the dense core): boxes and barriers cost more than a second
 * member gives (2 threads, kron20, medians of 8 interleaved runs: 0.18 s
 * at 2^16 vertices, 0.19 s at 2^17, 0.135-0.142 s at 2^18, 0.139 s at
 * 2^19, 0.147 s alone from the start). With one scan per level and the
 * degrees asked for ahead, 2^18, 2^19 and alone after the first scan
 * measured alike (medians 0.112-0.121 s of 15-20 interleaved runs), and
 * 1 thread 0.105 s: on this kind of VM, random read-modify-writes into
 * a 2.6 MB array gain nothing from the second vCPU (stop 21). */
#define SOLO_BELOW (64 * ALGO_BLOCK)

#define OWN_SHIFT 12 /* vertices are owned in runs of 2^12 (16 KiB of degrees) */

/* The decrements one member owes another's vertices in a frontier, each
 * box apart from the others (team.h): its length is written at every
 * decrement owed. */
typedef struct kc_box {
    uint32_t *v;
    uint64_t len, cap;
} __attribute__((aligned(ALGO_APART))) kc_box;

typedef struct kc_run {
    const algo_undirected *u;
    algo_team *team;
    peel *p;
    int single; /* one member peels: it takes from any degree */
    int members;
    uint8_t *owner; /* per run of 2^OWN_SHIFT vertices: the member that takes from their degrees */
    kc_box *box;    /* [from * members + to] */
    int oom;        /* a box could not grow */
    uint32_t *deg;  /* degree among the vertices left; once peeled, the core number */
    uint32_t *rem;  /* the vertices left at the level's start, per block of ALGO_BLOCK */
    uint32_t *cur;  /* the frontier being peeled */
    uint32_t *next; /* the one being gathered */
    uint64_t n_alive, n_cur, n_next;
    uint64_t *blk_len; /* per block of rem: the vertices in it, from its start */
    int64_t *blk_min;  /* per block of rem: their least degree */
    int gather;        /* no vertex left has degree k + 1: gather the level's frontier */
    uint64_t cursor;
    int64_t k;
    uint64_t done;
    int stop;
} kc_run;

typedef struct kc_member {
    kc_run *r;
    int tid;
    uint32_t buf[PUSH_BUF];
    unsigned nbuf;
} kc_member;

static void flush(kc_member *m)
{
    if (!m->nbuf)
        return;
    kc_run *r = m->r;
    uint64_t at = r->single ? (r->n_next += m->nbuf) - m->nbuf
                            : __atomic_fetch_add(&r->n_next, m->nbuf, __ATOMIC_RELAXED);
    memcpy(r->next + at, m->buf, m->nbuf * sizeof *m->buf);
    m->nbuf = 0;
}

static void push(kc_member *m, uint32_t w)
{
    m->buf[m->nbuf++] = w;
    if (m->nbuf == PUSH_BUF)
        flush(m);
}

/* A level's scan of one block of rem, whose vertices were left at the
 * last level's start: those peeled since (degree not above the last
 * level's k) leave it, the block keeping its place and shrinking from its
 * end; the least degree left is noted; and those of degree k + 1, the
 * next level if any vertex has it (160 of kron20's 175 levels), start its
 * frontier. One pass, without a branch on a degree. It replaced a count
 * pass and a copy pass whose unpredictable branches took 30% of the
 * peeling (kron20, 1 thread, medians of 7 interleaved runs: 0.145 ->
 * 0.117 s). */
static void scan_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)hi;
    kc_member *m = arg;
    kc_run *r = m->r;
    const uint32_t *deg = r->deg;
    const int64_t k = r->k;
    uint32_t *rem = r->rem + lo;
    uint64_t len = r->blk_len[b], kept = 0;
    int64_t min = INT64_MAX;
    for (uint64_t i = 0; i < len; i++) {
        uint32_t v = rem[i];
        int64_t d = deg[v];
        rem[kept] = v;
        kept += d > k;
        int64_t left = d > k ? d : INT64_MAX;
        min = left < min ? left : min;
        m->buf[m->nbuf] = v;
        m->nbuf += d == k + 1;
        if (m->nbuf == PUSH_BUF)
            flush(m);
    }
    r->blk_len[b] = kept;
    r->blk_min[b] = min;
    flush(m);
}

/* When no vertex left has degree k + 1: the frontier of the level's k. */
static void gather_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)hi;
    kc_member *m = arg;
    kc_run *r = m->r;
    const int64_t k = r->k;
    const uint32_t *rem = r->rem + lo;
    for (uint64_t i = 0, len = r->blk_len[b]; i < len; i++)
        if (r->deg[rem[i]] == k)
            push(m, rem[i]);
    flush(m);
}

/* One off w's degree if it is above k; w joins the next frontier if that
 * takes it to k. Without a branch on the degree (unpredictable on kron20:
 * 1 thread 0.22 -> 0.18 s). */
static inline void take_one(kc_member *m, uint32_t *deg, uint32_t k, uint32_t w)
{
    uint32_t d = deg[w];
    deg[w] = d - (d > k);
    if (d == k + 1)
        push(m, w);
}

static int box_grow(kc_run *r, kc_box *b)
{
    uint64_t cap = b->cap ? 2 * b->cap : 4096;
    uint32_t *v = realloc(b->v, cap * sizeof *v);
    if (!v) {
        __atomic_store_n(&r->oom, 1, __ATOMIC_RELAXED);
        return -1;
    }
    b->v = v;
    b->cap = cap;
    return 0;
}

/* How far ahead in a list a peel asks for a neighbour's degree when one
 * member peels (kron20, 1 thread, 12 interleaved runs, best and median:
 * none 0.113 and 0.122 s, 8 ahead 0.102 and 0.110 s, 24 ahead 0.102 and
 * 0.113 s). */
#define DEG_AHEAD 16

static void peel_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    kc_member *m = arg;
    kc_run *r = m->r;
    const uint64_t *off = r->u->off;
    const uint32_t *nbr = r->u->nbr;
    const uint32_t *cur = r->cur;
    const uint32_t k = (uint32_t)r->k;
    uint32_t *deg = r->deg;
    const int single = r->single;
    const uint8_t *owner = r->owner;
    kc_box *out = r->box + (uint64_t)m->tid * (uint64_t)r->members;
    for (uint64_t i = lo; i < hi; i++) {
        /* The frontier's vertices come in no useful order, so each list
         * starts with a miss: ask for the offsets 16 vertices ahead and
         * the list itself 8 ahead (1 thread on kron20: 0.37 -> 0.27 s). */
        if (i + 16 < hi)
            __builtin_prefetch(&off[cur[i + 16]]);
        if (i + 8 < hi)
            __builtin_prefetch(&nbr[off[cur[i + 8]]]);
        uint32_t v = cur[i];
        uint64_t e = off[v], end = off[v + 1];
        if (single) {
            /* a neighbour's degree is a miss in L2 (2.6 MB of them on
             * kron20), and hubs' long lists are most of the work: ask for
             * it DEG_AHEAD entries ahead */
            for (; e + DEG_AHEAD < end; e++) {
                __builtin_prefetch(&deg[nbr[e + DEG_AHEAD]], 1);
                take_one(m, deg, k, nbr[e]);
            }
            for (; e < end; e++)
                take_one(m, deg, k, nbr[e]);
            continue;
        }
        for (; e < end; e++) {
            uint32_t w = nbr[e];
            int o = owner[w >> OWN_SHIFT];
            if (o == m->tid) {
                take_one(m, deg, k, w);
            } else {
                kc_box *to = &out[o];
                if (to->len < to->cap || box_grow(r, to) == 0)
                    to->v[to->len++] = w;
            }
        }
    }
    flush(m);
}

/* After a frontier: the decrements the other members owe this one's vertices. */
static void take_owed(kc_member *m)
{
    kc_run *r = m->r;
    const uint32_t k = (uint32_t)r->k;
    for (int from = 0; from < r->members; from++) {
        kc_box *in = &r->box[(uint64_t)from * (uint64_t)r->members + (uint64_t)m->tid];
        for (uint64_t i = 0; i < in->len; i++)
            take_one(m, r->deg, k, in->v[i]);
        in->len = 0;
    }
    flush(m);
}

static void swap_u32(uint32_t **a, uint32_t **b)
{
    uint32_t *t = *a;
    *a = *b;
    *b = t;
}

/* The team's loop over [0, n), or member 0's alone once it works solo. */
static void loop(kc_member *m, uint64_t n, algo_block_fn fn, int solo)
{
    kc_run *r = m->r;
    if (!solo) {
        algo_team_for_in_run(r->team, n, &r->cursor, fn, m);
        return;
    }
    for (uint64_t b = 0, nb = algo_blocks(n); b < nb; b++)
        fn(m, b, b * ALGO_BLOCK, b + 1 < nb ? (b + 1) * ALGO_BLOCK : n);
}

static void sync_team(kc_run *r, int solo)
{
    if (!solo)
        algo_team_barrier(r->team);
}

static void levels_member(void *arg, int tid)
{
    kc_run *r = arg;
    kc_member m = {.r = r, .tid = tid};
    int solo = 0;
    for (;;) {
        loop(&m, r->u->n, scan_block, solo);
        if (tid == 0) {
            uint64_t nb = algo_blocks(r->u->n), alive = 0;
            int64_t k = INT64_MAX;
            for (uint64_t b = 0; b < nb; b++) {
                alive += r->blk_len[b];
                if (r->blk_min[b] < k)
                    k = r->blk_min[b];
            }
            r->gather = k != r->k + 1;
            r->k = k;
            r->n_alive = alive;
            r->cursor = 0;
        }
        sync_team(r, solo);
        if (r->n_alive == 0)
            return;
        if (!solo && r->n_alive < SOLO_BELOW) {
            /* what is left is too little to share: member 0 ends alone */
            if (tid != 0)
                return;
            solo = r->single = 1;
        }
        if (r->gather)
            loop(&m, r->u->n, gather_block, solo);
        /* the level's frontiers, each gathering the next */
        for (;;) {
            if (tid == 0) {
                swap_u32(&r->cur, &r->next);
                r->n_cur = r->n_next;
                r->n_next = 0;
                r->cursor = 0;
                /* a frontier of one block is one member's work: member 0
                 * peels it, and the next while they stay that small, with
                 * plain decrements while the others wait at the barrier */
                while (!solo && r->n_cur > 0 && r->n_cur <= ALGO_BLOCK && !r->stop) {
                    int single = r->single;
                    r->single = 1;
                    loop(&m, r->n_cur, peel_block, 1);
                    r->single = single;
                    r->done += r->n_cur;
                    if (peeled(r->p, r->done))
                        r->stop = 1;
                    swap_u32(&r->cur, &r->next);
                    r->n_cur = r->n_next;
                    r->n_next = 0;
                }
            }
            sync_team(r, solo);
            if (r->stop)
                return;
            if (r->n_cur == 0)
                break;
            loop(&m, r->n_cur, peel_block, solo);
            if (!solo)
                take_owed(&m);
            if (tid == 0) {
                r->done += r->n_cur;
                if (r->oom || peeled(r->p, r->done))
                    r->stop = 1;
            }
            sync_team(r, solo);
            if (r->stop)
                return;
        }
        if (tid == 0)
            r->cursor = 0;
        sync_team(r, solo);
    }
}

/* The n 32-bit degrees at the start of core[] into its n 64-bit values, in
 * place, from the top down: a piece [lo, hi) is copied out before its
 * values are written over bytes [8 lo, 8 hi), which lie above the degrees
 * [0, lo) still to be read. */
static void widen_in_place(int64_t *core, uint64_t n)
{
    enum { PIECE = 4096 };
    uint32_t piece[PIECE];
    for (uint64_t hi = n; hi > 0;) {
        uint64_t lo = hi > PIECE ? hi - PIECE : 0;
        memcpy(piece, (const uint32_t *)(const void *)core + lo, (hi - lo) * sizeof *piece);
        for (uint64_t i = 0; i < hi - lo; i++)
            core[lo + i] = piece[i];
        hi = lo;
    }
}

/* Core numbers into core[] by level peeling. 0, ALGO_ENOMEM, ALGO_ESTOPPED. */
static int core_numbers(int64_t *core, const algo_undirected *u, algo_team *team, peel *p)
{
    const uint64_t n = u->n, nb = algo_blocks(n);
    kc_run r = {.u = u, .team = team, .p = p, .members = algo_team_size(team), .k = -1};
    r.single = r.members == 1;
    int rc = ALGO_ENOMEM;
    const uint64_t runs = (n >> OWN_SHIFT) + 1;
    r.owner = malloc(runs);
    r.box = algo_calloc_apart((size_t)r.members * (size_t)r.members, sizeof *r.box);
    if (!r.owner || !r.box)
        goto done;
    for (uint64_t i = 0; i < runs; i++)
        r.owner[i] = (uint8_t)(i % (uint64_t)r.members);
    /* The degrees and the vertices left live in the output's 8n bytes
     * until the end: two arrays fewer to fault in and zero (peak RSS on
     * kron20, 2 threads: 165,140 -> 159,200 KiB); the frontiers on 2 MiB
     * pages (base/big_alloc.h). */
    r.deg = (uint32_t *)(void *)core;
    r.rem = r.deg + n;
    r.cur = hgc_big_calloc(n, sizeof *r.cur);
    r.next = hgc_big_calloc(n, sizeof *r.next);
    r.blk_len = malloc((nb ? nb : 1) * sizeof *r.blk_len);
    r.blk_min = malloc((nb ? nb : 1) * sizeof *r.blk_min);
    if (!r.cur || !r.next || !r.blk_len || !r.blk_min)
        goto done;
    /* a simple graph's degrees are below n, so fit 32 bits */
    for (uint64_t v = 0; v < n; v++) {
        r.deg[v] = (uint32_t)algo_undirected_degree(u, v);
        r.rem[v] = (uint32_t)v;
    }
    for (uint64_t b = 0; b < nb; b++)
        r.blk_len[b] = b + 1 < nb ? ALGO_BLOCK : n - b * ALGO_BLOCK;
    algo_team_run(team, levels_member, &r);
    widen_in_place(core, n);
    rc = r.oom ? ALGO_ENOMEM : r.stop ? ALGO_ESTOPPED : 0;
done:
    hgc_big_free(r.cur, n, sizeof *r.cur);
    hgc_big_free(r.next, n, sizeof *r.next);
    free(r.blk_len);
    free(r.blk_min);
    for (int i = 0; r.box && i < r.members * r.members; i++)
        free(r.box[i].v);
    free(r.box);
    free(r.owner);
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
    rc = o->k == 0 ? core_numbers(out->i64, &u, k->team, &p)
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
