/* sources.c: picking source vertices and the chunked sweep over them
 * (sources.h). */
#include "sources.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_view.h" /* the return codes */
#include "sort_u32.h"

/* splitmix64 (Steele, Lea, Flood 2014): small, seedable, good enough to
 * shuffle. */
static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int algo_sources_pick(uint32_t **out, uint64_t *k, uint64_t n, double rate, char msg[ALGO_MSG_MAX])
{
    *out = NULL;
    *k = 0;
    if (!(rate > 0 && rate <= 1)) {
        snprintf(msg, ALGO_MSG_MAX, "sample rate must be above 0 and at most 1, got %g", rate);
        return ALGO_EINVAL;
    }
    if (n == 0)
        return 0;
    uint64_t want = rate >= 1 ? n : (uint64_t)llround(rate * (double)n);
    if (want < 1)
        want = 1;
    if (want > n)
        want = n;
    uint32_t *all = malloc(n * sizeof *all);
    if (!all) {
        snprintf(msg, ALGO_MSG_MAX, "out of memory for %llu sources", (unsigned long long)n);
        return ALGO_ENOMEM;
    }
    for (uint64_t i = 0; i < n; i++)
        all[i] = (uint32_t)i;
    if (want < n) {
        /* the first `want` steps of a Fisher-Yates shuffle */
        uint64_t seed = ALGO_SOURCES_SEED;
        for (uint64_t i = 0; i < want; i++) {
            uint64_t j = i + splitmix64(&seed) % (n - i);
            uint32_t t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        algo_sort_u32(all, want);
        uint32_t *shrunk = realloc(all, want * sizeof *all);
        if (shrunk)
            all = shrunk;
    }
    *out = all;
    *k = want;
    return 0;
}

typedef struct sweep {
    double *out;
    uint64_t n, k, chunk, n_chunks;
    const uint32_t *sources;
    algo_team *team;
    algo_progress *progress;
    algo_source_fn fn;
    void *arg;
    algo_source_team_fn team_fn; /* set: every member runs every source, on one acc */
    double **acc;                /* per member (one, acc[0], with team_fn) */
    int threads;
    uint64_t round_first, round_chunks; /* this round's chunks */
    uint64_t cursor;
    uint64_t reported; /* the last permille reported */
    int stop;
} sweep;

/* out += acc[0] + acc[1] + ... in chunk order; the accumulators are cleared. */
static void add_round(void *arg, uint64_t b, uint64_t lo, uint64_t hi)
{
    (void)b;
    sweep *s = arg;
    for (uint64_t v = lo; v < hi; v++) {
        double x = s->out[v];
        for (uint64_t c = 0; c < s->round_chunks; c++) {
            x += s->acc[c][v];
            s->acc[c][v] = 0;
        }
        s->out[v] = x;
    }
}

static void member(void *arg, int tid)
{
    sweep *s = arg;
    /* A round: a chunk per member, or with team_fn one chunk for all. */
    uint64_t per_round = s->team_fn ? 1 : (uint64_t)s->threads;
    for (uint64_t first = 0; first < s->n_chunks; first += per_round) {
        if (tid == 0) {
            s->round_first = first;
            s->round_chunks = s->n_chunks - first < per_round ? s->n_chunks - first : per_round;
            s->cursor = 0;
        }
        algo_team_barrier(s->team);
        if (s->team_fn) {
            /* A stop is looked for before each source, by all at once (the
             * source's function meets the others at barriers, and ends with
             * one, so s->stop is read before it is written again). */
            uint64_t lo = first * s->chunk, hi = lo + s->chunk < s->k ? lo + s->chunk : s->k;
            for (uint64_t i = lo; i < hi; i++) {
                if (tid == 0)
                    s->stop = algo_progress_stopped(s->progress);
                algo_team_barrier(s->team);
                if (s->stop)
                    break;
                s->team_fn(s->arg, tid, s->sources[i], s->acc[0]);
            }
        } else if ((uint64_t)tid < s->round_chunks) {
            uint64_t c = first + (uint64_t)tid;
            uint64_t lo = c * s->chunk, hi = lo + s->chunk < s->k ? lo + s->chunk : s->k;
            for (uint64_t i = lo; i < hi && !algo_progress_stopped(s->progress); i++)
                s->fn(s->arg, tid, s->sources[i], s->acc[tid]);
        }
        algo_team_barrier(s->team);
        algo_team_for_in_run(s->team, s->n, &s->cursor, add_round, s);
        if (tid == 0) {
            uint64_t end = (first + s->round_chunks) * s->chunk;
            uint64_t done = end < s->k ? end : s->k, permille = done * 1000 / s->k;
            if (algo_progress_stopped(s->progress))
                s->stop = 1;
            else if (permille > s->reported || done == s->k) {
                s->reported = permille;
                s->stop = algo_progress_step(s->progress, done, s->k, 0);
            }
        }
        algo_team_barrier(s->team);
        if (s->stop)
            break;
    }
}

static int sweep_run(double *out, uint64_t n, const uint32_t *sources, uint64_t k, algo_team *team,
                     algo_progress *progress, algo_source_fn fn, algo_source_team_fn team_fn,
                     void *arg, char msg[ALGO_MSG_MAX])
{
    int rc = ALGO_ENOMEM;
    sweep s = {.out = out,
               .n = n,
               .k = k,
               .sources = sources,
               .team = team,
               .progress = progress,
               .fn = fn,
               .team_fn = team_fn,
               .arg = arg,
               .threads = algo_team_size(team)};
    if (k == 0 || n == 0)
        return 0;
    /* chunks of 1 to 16 sources: by the count alone, never the threads */
    s.chunk = k / 1024;
    s.chunk = s.chunk < 1 ? 1 : s.chunk > 16 ? 16 : s.chunk;
    s.n_chunks = (k + s.chunk - 1) / s.chunk;
    s.acc = calloc((size_t)s.threads, sizeof *s.acc);
    if (!s.acc)
        goto done;
    for (int t = 0; t < (team_fn ? 1 : s.threads); t++)
        if (!(s.acc[t] = calloc(n, sizeof **s.acc)))
            goto done;
    algo_team_run(team, member, &s);
    rc = s.stop ? ALGO_ESTOPPED : 0;
    if (rc == 0 && k < n) { /* a sample: scale its sums up to all n sources */
        double scale = (double)n / (double)k;
        for (uint64_t x = 0; x < n; x++)
            out[x] *= scale;
    }
done:
    if (rc == ALGO_ENOMEM)
        snprintf(msg, ALGO_MSG_MAX, "out of memory for %d accumulators of %llu vertices", s.threads,
                 (unsigned long long)n);
    for (int t = 0; s.acc && t < s.threads; t++)
        free(s.acc[t]);
    free(s.acc);
    return rc;
}

int algo_sources_sweep(double *out, uint64_t n, const uint32_t *sources, uint64_t k,
                       algo_team *team, algo_progress *progress, algo_source_fn fn, void *arg,
                       char msg[ALGO_MSG_MAX])
{
    return sweep_run(out, n, sources, k, team, progress, fn, NULL, arg, msg);
}

int algo_sources_sweep_together(double *out, uint64_t n, const uint32_t *sources, uint64_t k,
                                algo_team *team, algo_progress *progress, algo_source_team_fn fn,
                                void *arg, char msg[ALGO_MSG_MAX])
{
    return sweep_run(out, n, sources, k, team, progress, NULL, fn, arg, msg);
}
