/* sources.h: the centralities' sweep over source vertices: which sources
 * (all, or a seeded sample), and a loop over them on the team whose result
 * does not depend on the thread count.
 *
 * Sources are cut into fixed chunks (their size depends on the number of
 * sources only). A round gives each member one chunk; the member adds that
 * chunk's contributions into its own accumulator of n doubles; then the
 * accumulators are added into the output vertex by vertex, in chunk order,
 * and cleared. So every vertex's total is the same sequence of additions
 * (chunk 0, chunk 1, ...) for 1, 2 or N threads: the same bits.
 *
 * Cost: the callbacks', plus O(n) per round per member for the sums;
 * memory: one accumulator of n doubles per member (8n bytes each).
 */
#ifndef ALGO_SOURCES_H
#define ALGO_SOURCES_H

#include <stdint.h>
#include "graph_file.h"
#include "progress.h"
#include "team.h"

/* The sample's seed: fixed, so the same rate picks the same sources. */
#define ALGO_SOURCES_SEED 0x5eed0fc3a11ULL

/* The sources for `rate` in (0, 1] of n vertices: rate 1 gives all of them
 * (0..n-1), a smaller rate max(1, round(rate * n)) vertices picked with
 * ALGO_SOURCES_SEED, in increasing order. *out is malloc'd (NULL when n is
 * 0). 0, or ALGO_EINVAL / ALGO_ENOMEM with msg. */
int algo_sources_pick(uint32_t **out, uint64_t *k, uint64_t n, double rate, char msg[ALGO_MSG_MAX]);

/* Called by member `tid` for each of its sources in order; adds the
 * source's contributions into acc (n doubles, the member's own). */
typedef void (*algo_source_fn)(void *arg, int tid, uint32_t source, double *acc);

/* out[v] += the contributions of every source, as above, then, when the
 * sources are a sample (k < n), out[] *= n / k; progress is reported as
 * sources done of k, at most ~1000 times. 0, ALGO_ENOMEM with
 * msg, or ALGO_ESTOPPED when the progress hook asked to stop (out then
 * holds the rounds done). */
int algo_sources_sweep(double *out, uint64_t n, const uint32_t *sources, uint64_t k,
                       algo_team *team, algo_progress *progress, algo_source_fn fn, void *arg,
                       char msg[ALGO_MSG_MAX]);

/* The same chunks and sums, with every member working on each source
 * together: fn(arg, tid, source, acc) is called by all members at once,
 * for one source after another, with one accumulator for all (each
 * vertex's entry written by one member); it may meet the others at
 * algo_team_barrier and must return from one (the sweep reads its stop
 * flag after it). A stop is seen before each source. For large graphs,
 * where one member's state per source no longer fits the cache beside
 * another's. Memory: one accumulator. */
typedef void (*algo_source_team_fn)(void *arg, int tid, uint32_t source, double *acc);
int algo_sources_sweep_together(double *out, uint64_t n, const uint32_t *sources, uint64_t k,
                                algo_team *team, algo_progress *progress, algo_source_team_fn fn,
                                void *arg, char msg[ALGO_MSG_MAX]);

#endif
