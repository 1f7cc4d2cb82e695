/* lpa.c: synchronous label propagation (docs/algorithms.md; Raghavan,
 * Albert, Kumara 2007, in the synchronous form LDBC Graphalytics defines
 * as CDLP). Every vertex starts with itself as label; each superstep every
 * vertex takes the label most frequent among its in-neighbours in the
 * effective graph (labels flow along the edges input.edge_direction
 * gives: OUT from u to v for u->v, IN against the edges, BOTH both ways,
 * so an edge each way counts twice), ties to the smallest label; a vertex
 * without in-neighbours keeps its label. Stops after bsp.max_super_step
 * steps, or earlier once a step changes no label (every later step would
 * be the same).
 *
 * Pull over the view's in-CSR: a vertex's new label depends only on the
 * previous step's labels, so the result is the same for any team size.
 * After the first step only vertices with an in-neighbour whose label
 * changed are recomputed (the others would find the same mode again): a
 * vertex that changes marks its out-neighbours for the next step. On
 * graphs that settle, late steps cost O(n) plus the changed part. The
 * mode is taken by sorting the gathered labels (insertion sort) for lists
 * of up to 16, by counting them in a hash table for longer ones.
 *
 * Cost: O(m) per superstep at worst (the first), O(n + the in- and out-
 * edges of the vertices that changed) later; memory beyond the output: a
 * second label array (4n bytes), two marks per vertex (2n bytes), per
 * thread a scratch of the largest in-degree d and a hash table of at most
 * 4d entries (8 bytes each), and a count per block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/big_alloc.h"

#include "kernel.h"
#include "sort_u32.h"

typedef struct lpa_run {
    const algo_graph_view *v;
    algo_team *team;
    algo_progress *progress;
    int64_t max_steps;
    uint64_t n, nb, max_deg;
    uint32_t *cur, *next;
    unsigned char *act, *act_next; /* a vertex to recompute this step, next step */
    int all_active;                /* the first step: every vertex */
    uint64_t *changed;             /* per block */
    uint64_t cursor;

    /* written by member 0, read after a barrier */
    int stop, failed;
    int64_t steps;
    uint64_t last_changed;
} lpa_run;

typedef struct lpa_member {
    lpa_run *run;
    uint32_t *buf;  /* max_deg labels */
    uint32_t *keys; /* a hash table of cap labels and their counts */
    uint32_t *cnt;
    uint64_t cap;
} lpa_member;

#define SORT_MAX 16 /* shorter lists are sorted; longer ones counted in a hash table */

/* The most frequent of buf[0..d) (d > SORT_MAX), ties to the smallest, by
 * counting in an open-addressing table of the next power of two >= 2d. */
static uint32_t mode_hashed(lpa_member *me, uint64_t d)
{
    uint64_t cap = 2;
    while (cap < 2 * d)
        cap *= 2;
    const uint64_t mask = cap - 1;
    uint32_t best = 0, best_count = 0;
    for (uint64_t i = 0; i < d; i++) {
        uint32_t l = me->buf[i];
        uint64_t h = ((uint64_t)l * 0x9e3779b97f4a7c15ull) >> 32 & mask;
        while (me->cnt[h] && me->keys[h] != l)
            h = (h + 1) & mask;
        me->keys[h] = l;
        uint32_t c = ++me->cnt[h];
        if (c > best_count || (c == best_count && l < best)) {
            best = l;
            best_count = c;
        }
    }
    memset(me->cnt, 0, cap * sizeof *me->cnt);
    return best;
}

static void step_block(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    lpa_member *me = arg;
    lpa_run *run = me->run;
    const algo_graph_view *v = run->v;
    const uint32_t *cur = run->cur;
    uint64_t changed = 0;
    for (uint64_t x = lo; x < hi; x++) {
        uint32_t label = cur[x];
        if (!run->all_active) {
            if (!run->act[x]) { /* no in-neighbour changed: nor would x */
                run->next[x] = label;
                continue;
            }
            run->act[x] = 0;
        }
        uint64_t d = 0;
        for (int p = 0; p < v->parts; p++) {
            const algo_adj *in = &v->in[p];
            for (uint64_t e = in->off[x]; e < in->off[x + 1]; e++)
                me->buf[d++] = cur[in->nbr[e]];
        }
        if (d > SORT_MAX) {
            label = mode_hashed(me, d);
        } else if (d > 0) {
            algo_sort_u32(me->buf, d);
            uint64_t best = 0;
            for (uint64_t i = 0; i < d;) {
                uint64_t j = i + 1;
                while (j < d && me->buf[j] == me->buf[i])
                    j++;
                if (j - i > best) { /* ascending: the first of a tie is the smallest */
                    best = j - i;
                    label = me->buf[i];
                }
                i = j;
            }
        }
        run->next[x] = label;
        if (label != cur[x]) {
            changed++;
            /* x's out-neighbours see a new label: they recompute next step */
            for (int p = 0; p < v->parts; p++) {
                const algo_adj *out = &v->out[p];
                for (uint64_t e = out->off[x]; e < out->off[x + 1]; e++)
                    __atomic_store_n(&run->act_next[out->nbr[e]], 1, __ATOMIC_RELAXED);
            }
        }
    }
    run->changed[b] = changed;
}

static void member(void *arg, int tid)
{
    lpa_run *run = arg;
    lpa_member me = {run, malloc((run->max_deg ? run->max_deg : 1) * sizeof(uint32_t)), NULL, NULL,
                     2};
    while (me.cap < 2 * run->max_deg)
        me.cap *= 2;
    me.keys = malloc(me.cap * sizeof *me.keys);
    me.cnt = calloc(me.cap, sizeof *me.cnt);
    if (!me.buf || !me.keys || !me.cnt)
        __atomic_store_n(&run->failed, 1, __ATOMIC_RELAXED);
    algo_team_barrier(run->team);
    if (__atomic_load_n(&run->failed, __ATOMIC_RELAXED))
        goto done;
    for (int64_t step = 1; step <= run->max_steps; step++) {
        algo_team_for_in_run(run->team, run->n, &run->cursor, step_block, &me);
        if (tid == 0) {
            run->cursor = 0;
            uint64_t changed = algo_sum_blocks_u64(run->changed, run->nb);
            uint32_t *t = run->cur;
            run->cur = run->next;
            run->next = t;
            unsigned char *a = run->act; /* all cleared by the step */
            run->act = run->act_next;
            run->act_next = a;
            run->all_active = 0;
            run->steps = step;
            run->last_changed = changed;
            if (algo_progress_step(run->progress, (uint64_t)step, (uint64_t)run->max_steps,
                                   (double)changed))
                run->stop = 1;
        }
        algo_team_barrier(run->team);
        if (run->stop || run->last_changed == 0)
            break;
    }
done:
    free(me.buf);
    free(me.keys);
    free(me.cnt);
}

int algo_kernel_lpa(algo_output *out, const algo_kernel_ctx *k, char msg[ALGO_MSG_MAX])
{
    const algo_graph_view *v = k->view;
    int rc = 0;
    lpa_run run = {.v = v,
                   .team = k->team,
                   .progress = k->progress,
                   .max_steps = k->common->max_super_step,
                   .n = v->n,
                   .nb = algo_blocks(v->n)};
    uint32_t *other = NULL;
    if (v->n == 0)
        return 0;
    for (uint64_t x = 0; x < v->n; x++) {
        uint64_t d = algo_view_in_degree(v, x);
        if (d > run.max_deg)
            run.max_deg = d;
        out->vtx[x] = (uint32_t)x;
    }
    other = hgc_big_calloc(v->n, sizeof *other); /* on 2 MiB pages (base/big_alloc.h) */
    run.changed = calloc(run.nb, sizeof *run.changed);
    run.act = calloc(v->n, 1);
    run.act_next = calloc(v->n, 1);
    run.all_active = 1;
    if (!other || !run.changed || !run.act || !run.act_next) {
        snprintf(msg, ALGO_MSG_MAX, "lpa: out of memory for %llu vertices",
                 (unsigned long long)v->n);
        rc = ALGO_ENOMEM;
        goto done;
    }
    run.cur = out->vtx;
    run.next = other;
    algo_team_run(k->team, member, &run);
    if (run.failed) {
        snprintf(msg, ALGO_MSG_MAX, "lpa: out of memory for a list of %llu labels",
                 (unsigned long long)run.max_deg);
        rc = ALGO_ENOMEM;
        goto done;
    }
    if (run.cur != out->vtx)
        memcpy(out->vtx, run.cur, v->n * sizeof *out->vtx);
    if (run.stop) {
        snprintf(msg, ALGO_MSG_MAX, "lpa: stopped after superstep %lld", (long long)run.steps);
        rc = ALGO_ESTOPPED;
        goto done;
    }
    algo_output_stat_int(out, "supersteps", run.steps);
    algo_output_stat_bool(out, "converged", run.last_changed == 0);
    algo_output_stat_int(out, "threads", algo_team_size(k->team));
    if (v->m != k->graph->m)
        algo_output_stat_int(out, "effective_edges", (int64_t)v->m);
done:
    hgc_big_free(other, v->n, sizeof *other);
    free(run.changed);
    free(run.act);
    free(run.act_next);
    return rc;
}
