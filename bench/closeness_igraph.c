/* closeness_igraph.c: the speed peer of hgc's closeness-centrality:
 * igraph's harmonic centrality (igraph_harmonic_centrality, one BFS per
 * vertex asked for) from the same k sources hgc's sample_rate = k/n picks
 * (runtime/sources.h: a splitmix64-driven Fisher-Yates shuffle, seed
 * 0x5eed0fc3a11), on an edge list of numeric ids. Prints the kernel time.
 *
 * Usage: closeness_igraph EDGE_FILE K
 * Compare with: hgc-worker --snapshot S --algorithm closeness-centrality
 *               --opt closeness_centrality.sample_rate=K/N --threads T
 */
#include <igraph.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int64_t index_of(const int64_t *ids, int64_t n, int64_t id)
{
    const int64_t *p = bsearch(&id, ids, (size_t)n, sizeof id, cmp_i64);
    return p ? p - ids : -1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: closeness_igraph EDGE_FILE K\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    int64_t k = atoll(argv[2]), m = 0, cap = 1 << 20;
    int64_t *e = malloc((size_t)cap * 2 * sizeof *e);
    long long a, b;
    char line[256];
    while (e && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lld %lld", &a, &b) != 2)
            continue;
        if (m == cap) {
            cap *= 2;
            e = realloc(e, (size_t)cap * 2 * sizeof *e);
            if (!e)
                break;
        }
        e[2 * m] = a;
        e[2 * m + 1] = b;
        m++;
    }
    fclose(f);
    int64_t *ids = e ? malloc((size_t)(2 * m + 1) * sizeof *ids) : NULL;
    if (!ids) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    memcpy(ids, e, (size_t)(2 * m) * sizeof *ids);
    qsort(ids, (size_t)(2 * m), sizeof *ids, cmp_i64);
    int64_t n = 0;
    for (int64_t i = 0; i < 2 * m; i++)
        if (n == 0 || ids[n - 1] != ids[i])
            ids[n++] = ids[i];

    igraph_vector_int_t ev;
    igraph_vector_int_init(&ev, 2 * m);
    for (int64_t i = 0; i < 2 * m; i++)
        VECTOR(ev)[i] = index_of(ids, n, e[i]);
    igraph_t g;
    igraph_create(&g, &ev, (igraph_integer_t)n, IGRAPH_DIRECTED);

    /* hgc's sample of k sources of n */
    int64_t *all = malloc((size_t)n * sizeof *all);
    for (int64_t i = 0; i < n; i++)
        all[i] = i;
    uint64_t seed = 0x5eed0fc3a11ULL;
    if (k > n)
        k = n;
    for (int64_t i = 0; k < n && i < k; i++) {
        int64_t j = i + (int64_t)(splitmix64(&seed) % (uint64_t)(n - i));
        int64_t t = all[i];
        all[i] = all[j];
        all[j] = t;
    }
    igraph_vector_int_t vids;
    igraph_vector_int_init(&vids, k);
    for (int64_t i = 0; i < k; i++)
        VECTOR(vids)[i] = all[i];
    igraph_vector_t res;
    igraph_vector_init(&res, 0);
    double t0 = now_s();
    igraph_harmonic_centrality(&g, &res, igraph_vss_vector(&vids), IGRAPH_OUT, NULL, 0);
    double t1 = now_s();
    printf("igraph harmonic centrality: %lld vertices, %lld edges, %lld sources: %.3f s\n",
           (long long)n, (long long)m, (long long)k, t1 - t0);
    igraph_vector_destroy(&res);
    igraph_vector_int_destroy(&vids);
    igraph_vector_int_destroy(&ev);
    igraph_destroy(&g);
    free(all);
    free(ids);
    free(e);
    return 0;
}
