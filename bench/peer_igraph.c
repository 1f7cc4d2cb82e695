/* peer_igraph.c: igraph (the C library, Debian's libigraph-dev) as the
 * speed peer of hgc's kernels that GAPBS has no counterpart for. Reads an
 * edge list of numeric ids ("src dst" a line, the graph bench/algorithms.sh
 * makes), numbers the vertices by id as hgc's snapshot does, builds the
 * igraph graphs once (not timed), then times one kernel, best of REPS
 * runs, and prints its time and a digest of its output to compare with
 * hgc's result (bench/result_digest.c):
 *
 *   kcore       igraph_coreness (ALL) on the undirected view: every edge
 *               taken both ways, self-loops dropped, parallel edges folded
 *               (hgc's kcore.k = 0); digest: sum and max of the cores.
 *   lpa         igraph_community_label_propagation (ALL) on the directed
 *               graph: asynchronous, random order, until no label changes
 *               (hgc's lpa is synchronous for bsp.max_super_step steps, so
 *               only the scale compares); digest: communities, largest.
 *   closeness K igraph_harmonic_centrality (OUT, hops) of the K sources
 *               hgc's closeness_centrality.sample_rate = K/n picks
 *               (runtime/sources.h: the first K steps of a splitmix64
 *               Fisher-Yates shuffle seeded 0x5eed0fc3a11). igraph sums
 *               out of each source, hgc into each target: the totals over
 *               all vertices agree once hgc's n/K scaling is undone.
 *   clustering  igraph_transitivity_local_undirected (ZERO: 0 below
 *               degree 2) on the undirected view; digest: sum.
 *   degree      igraph_degree (ALL, loops counted twice) on the directed
 *               graph (hgc's degree_centrality.direction = both); sum.
 *
 * The first of the REPS runs is timed apart as well ("first"): its result
 * vector is new, so it is the one that takes the vector's fresh pages, as
 * every hgc run (a new worker) takes its output's.
 *
 * igraph runs on one thread. The undirected view (to_undirected +
 * simplify) is built before the clock starts, while hgc's seconds include
 * building its own: the comparison leans igraph's way.
 *
 * Usage: peer_igraph EDGE_FILE [-r REPS] KERNEL...  (the graph is read once)
 * Prints a line per kernel: "igraph KERNEL: n=.. m=.. prep=..s first=.. seconds=.. DIGEST",
 * prep the graph's making (read, igraph_create, the undirected view),
 * seconds the best run.
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

static void die(const char *what)
{
    fprintf(stderr, "peer_igraph: %s\n", what);
    exit(1);
}

static void check(igraph_error_t rc, const char *what)
{
    if (rc != IGRAPH_SUCCESS) {
        fprintf(stderr, "peer_igraph: %s: %s\n", what, igraph_strerror(rc));
        exit(1);
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The whole file in memory, NUL-terminated. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t cap = (size_t)1 << 24, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (!buf)
            die("out of memory reading the edge list");
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap + 1);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* "src dst [anything]" lines of non-negative ids into e[2m]; other lines
 * (comments, blank) are skipped. */
static int64_t *parse_edges(const char *text, int64_t *m_out)
{
    int64_t m = 0, cap = (int64_t)1 << 20;
    int64_t *e = malloc((size_t)cap * 2 * sizeof *e);
    const char *p = text;
    while (*p) {
        const char *line = p;
        while (*p && *p != '\n')
            p++;
        const char *end = p;
        if (*p)
            p++;
        int64_t v[2];
        const char *q = line;
        int got = 0;
        for (; got < 2; got++) {
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            if (q == end || *q < '0' || *q > '9')
                break;
            int64_t x = 0;
            while (q < end && *q >= '0' && *q <= '9')
                x = x * 10 + (*q++ - '0');
            v[got] = x;
        }
        if (got < 2)
            continue;
        if (m == cap) {
            cap *= 2;
            e = realloc(e, (size_t)cap * 2 * sizeof *e);
        }
        if (!e)
            die("out of memory for the edges");
        e[2 * m] = v[0];
        e[2 * m + 1] = v[1];
        m++;
    }
    *m_out = m;
    return e;
}

/* Renames ids to 0..n-1 in id order (hgc's vertex order for numeric ids);
 * returns n. Through a table by id when the ids are small, else by sort. */
static int64_t number_vertices(int64_t *e, int64_t m)
{
    int64_t max = 0, n = 0;
    for (int64_t i = 0; i < 2 * m; i++)
        if (e[i] > max)
            max = e[i];
    if (max < ((int64_t)1 << 32) && max / 8 < 2 * m + 1) {
        int64_t *index = calloc((size_t)max + 1, sizeof *index);
        if (!index)
            die("out of memory for the ids");
        for (int64_t i = 0; i < 2 * m; i++)
            index[e[i]] = 1;
        for (int64_t id = 0; id <= max; id++)
            index[id] = index[id] ? n++ : -1;
        for (int64_t i = 0; i < 2 * m; i++)
            e[i] = index[e[i]];
        free(index);
        return n;
    }
    int64_t *ids = malloc((size_t)(2 * m + 1) * sizeof *ids);
    if (!ids)
        die("out of memory for the ids");
    memcpy(ids, e, (size_t)(2 * m) * sizeof *ids);
    qsort(ids, (size_t)(2 * m), sizeof *ids, cmp_i64);
    for (int64_t i = 0; i < 2 * m; i++)
        if (n == 0 || ids[n - 1] != ids[i])
            ids[n++] = ids[i];
    for (int64_t i = 0; i < 2 * m; i++) {
        const int64_t *hit = bsearch(&e[i], ids, (size_t)n, sizeof *ids, cmp_i64);
        e[i] = hit - ids;
    }
    free(ids);
    return n;
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* hgc's sample of k of n sources (runtime/sources.c), into vids. */
static void hgc_sources(igraph_vector_int_t *vids, int64_t n, int64_t k)
{
    int64_t *all = malloc((size_t)n * sizeof *all);
    if (!all)
        die("out of memory for the sources");
    for (int64_t i = 0; i < n; i++)
        all[i] = i;
    uint64_t seed = 0x5eed0fc3a11ULL;
    for (int64_t i = 0; k < n && i < k; i++) {
        int64_t j = i + (int64_t)(splitmix64(&seed) % (uint64_t)(n - i));
        int64_t t = all[i];
        all[i] = all[j];
        all[j] = t;
    }
    qsort(all, (size_t)k, sizeof *all, cmp_i64);
    check(igraph_vector_int_resize(vids, k), "sources");
    for (int64_t i = 0; i < k; i++)
        VECTOR(*vids)[i] = all[i];
    free(all);
}

static void usage(void)
{
    fprintf(stderr, "usage: peer_igraph EDGE_FILE [-r REPS] KERNEL...   KERNEL: kcore, lpa, "
                    "closeness K, clustering, degree\n");
    exit(2);
}

enum { KCORE, LPA, CLOSENESS, CLUSTERING, DEGREE, KERNELS };
static const char *const names[KERNELS] = {"kcore", "lpa", "closeness", "clustering", "degree"};

/* Times kernel `which` on g (directed) or u (the undirected view), best of
 * reps, and prints its line. */
static void run(int which, const igraph_t *g, const igraph_t *u, const igraph_vector_int_t *vids,
                int reps, double prep)
{
    igraph_vector_int_t iv;
    igraph_vector_t dv;
    check(igraph_vector_int_init(&iv, 0), "result");
    check(igraph_vector_init(&dv, 0), "result");
    double best = -1, first = -1;
    for (int r = 0; r < reps; r++) {
        igraph_rng_seed(igraph_rng_default(), 42);
        double t0 = now_s();
        switch (which) {
        case KCORE: check(igraph_coreness(u, &iv, IGRAPH_ALL), "coreness"); break;
        case LPA:
            check(igraph_community_label_propagation(g, &iv, IGRAPH_ALL, NULL, NULL, NULL),
                  "label propagation");
            break;
        case CLOSENESS:
            check(igraph_harmonic_centrality(g, &dv, igraph_vss_vector(vids), IGRAPH_OUT, NULL, 0),
                  "harmonic centrality");
            break;
        case CLUSTERING:
            check(igraph_transitivity_local_undirected(u, &dv, igraph_vss_all(),
                                                       IGRAPH_TRANSITIVITY_ZERO),
                  "transitivity");
            break;
        default: check(igraph_degree(g, &iv, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS), "degree");
        }
        double t = now_s() - t0;
        if (r == 0)
            first = t;
        if (best < 0 || t < best)
            best = t;
    }

    char digest[256];
    if (which == KCORE || which == DEGREE) {
        int64_t sum = 0, max = 0;
        for (int64_t i = 0; i < igraph_vector_int_size(&iv); i++) {
            sum += VECTOR(iv)[i];
            if (VECTOR(iv)[i] > max)
                max = VECTOR(iv)[i];
        }
        snprintf(digest, sizeof digest, "sum=%lld max=%lld", (long long)sum, (long long)max);
    } else if (which == LPA) {
        int64_t n = igraph_vector_int_size(&iv), communities = 0, largest = 0;
        int64_t *size = calloc((size_t)n + 1, sizeof *size);
        if (!size)
            die("out of memory for the digest");
        for (int64_t i = 0; i < n; i++) {
            int64_t c = VECTOR(iv)[i];
            communities += size[c]++ == 0;
            if (size[c] > largest)
                largest = size[c];
        }
        free(size);
        snprintf(digest, sizeof digest, "communities=%lld largest=%lld", (long long)communities,
                 (long long)largest);
    } else {
        double sum = 0, max = 0;
        for (int64_t i = 0; i < igraph_vector_size(&dv); i++) {
            sum += VECTOR(dv)[i];
            if (VECTOR(dv)[i] > max)
                max = VECTOR(dv)[i];
        }
        snprintf(digest, sizeof digest, "sum=%.10g max=%.10g", sum, max);
    }
    const igraph_t *on = which == KCORE || which == CLUSTERING ? u : g;
    printf("igraph %s: n=%lld m=%lld%s prep=%.2fs first=%.6f seconds=%.6f %s\n", names[which],
           (long long)igraph_vcount(on), (long long)igraph_ecount(on),
           on == u ? " (undirected view)" : "", prep, first, best, digest);
    fflush(stdout);
    igraph_vector_int_destroy(&iv);
    igraph_vector_destroy(&dv);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int64_t k = 0;
    int reps = 1, want[KERNELS] = {0}, any = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
            continue;
        }
        if (!path) {
            path = argv[i];
            continue;
        }
        int w = 0;
        while (w < KERNELS && strcmp(argv[i], names[w]) != 0)
            w++;
        if (w == KERNELS)
            usage();
        if (w == CLOSENESS) {
            if (i + 1 >= argc || (k = atoll(argv[++i])) < 1)
                usage();
        }
        want[w] = any = 1;
    }
    if (!path || !any || reps < 1)
        usage();

    /* ---- the graphs, not timed */
    double t_read = now_s();
    size_t len;
    char *text = slurp(path, &len);
    int64_t m;
    int64_t *e = parse_edges(text, &m);
    free(text);
    int64_t n = number_vertices(e, m);
    igraph_vector_int_t ev;
    check(igraph_vector_int_init(&ev, 2 * m), "edges");
    for (int64_t i = 0; i < 2 * m; i++)
        VECTOR(ev)[i] = e[i];
    free(e);
    igraph_t g, u;
    check(igraph_create(&g, &ev, (igraph_integer_t)n, IGRAPH_DIRECTED), "igraph_create");
    igraph_vector_int_destroy(&ev);
    double prep = now_s() - t_read, prep_u = 0;
    if (want[KCORE] || want[CLUSTERING]) {
        double t0 = now_s();
        check(igraph_copy(&u, &g), "copy");
        check(igraph_to_undirected(&u, IGRAPH_TO_UNDIRECTED_COLLAPSE, NULL), "to_undirected");
        check(igraph_simplify(&u, 1, 1, NULL), "simplify");
        prep_u = now_s() - t0;
    }
    igraph_vector_int_t vids;
    check(igraph_vector_int_init(&vids, 0), "sources");
    if (want[CLOSENESS])
        hgc_sources(&vids, n, k < n ? k : n);

    for (int w = 0; w < KERNELS; w++)
        if (want[w])
            run(w, &g, &u, &vids, reps, w == KCORE || w == CLUSTERING ? prep + prep_u : prep);
    if (want[KCORE] || want[CLUSTERING])
        igraph_destroy(&u);
    igraph_vector_int_destroy(&vids);
    igraph_destroy(&g);
    return 0;
}
