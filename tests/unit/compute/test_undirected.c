/* test_undirected.c: the undirected view (compute/runtime/undirected.c)
 * against the adjacency matrix (undirected_fixture.h) for every direction
 * and folding, with the view's lists sorted (the two-way merge) and with
 * them shuffled (the per-vertex k-way merge), for 1, 2 and 3 threads. */
#include "undirected.h"
#include "undirected_fixture.h"

/* The graph's lists, each shuffled in place (out and in). */
static void shuffle_lists(tgraph *t)
{
    for (int dir = 0; dir < 2; dir++) {
        uint64_t *off = dir ? t->in_off : t->out_off;
        uint32_t *nbr = dir ? t->in_src : t->out_dst;
        for (uint64_t v = 0; v < t->g.n; v++)
            for (uint64_t e = off[v + 1]; e > off[v] + 1; e--) {
                uint64_t j = off[v] + fixture_rng() % (e - off[v]);
                uint32_t x = nbr[e - 1];
                nbr[e - 1] = nbr[j];
                nbr[j] = x;
            }
    }
}

static void check(const tgraph *t, const unsigned char *adj, algo_edge_dir dir, algo_edge_freq freq,
                  const char *what)
{
    uint64_t n = t->g.n;
    char msg[ALGO_MSG_MAX] = "";
    algo_graph_view view;
    cr_assert_eq(algo_graph_view_init(&view, &t->g, dir, freq, -1, msg), 0, "%s", msg);
    for (int threads = 1; threads <= 3; threads++) {
        algo_team *team = NULL;
        algo_undirected u;
        cr_assert_eq(algo_team_new(&team, threads, msg), 0, "%s", msg);
        cr_assert_eq(algo_undirected_init(&u, &view, team, msg), 0, "%s", msg);
        uint64_t entries = 0;
        for (uint64_t v = 0; v < n; v++) {
            cr_assert_eq(algo_undirected_degree(&u, v), adj_degree(adj, n, v),
                         "%s, %d threads: degree of %llu", what, threads, (unsigned long long)v);
            for (uint64_t e = u.off[v]; e < u.off[v + 1]; e++) {
                cr_assert(adj[v * n + u.nbr[e]], "%s: %llu-%u is no edge", what,
                          (unsigned long long)v, u.nbr[e]);
                cr_assert(e == u.off[v] || u.nbr[e - 1] < u.nbr[e], "%s: %llu's list unsorted",
                          what, (unsigned long long)v);
            }
            entries += algo_undirected_degree(&u, v);
        }
        cr_expect_eq(u.m, entries);
        algo_undirected_release(&u);
        algo_team_free(team);
    }
    algo_graph_view_release(&view);
}

Test(undirected, the_union_of_out_and_in_lists_sorted_or_not)
{
    const uint64_t sizes[][2] = {{1, 3}, {40, 300}, {300, 3000}};
    const algo_edge_dir dirs[] = {ALGO_DIR_OUT, ALGO_DIR_IN, ALGO_DIR_BOTH};
    const algo_edge_freq freqs[] = {ALGO_FREQ_MULTIPLE, ALGO_FREQ_SINGLE};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int shuffled = 0; shuffled < 2; shuffled++) {
            tgraph t;
            random_graph(&t, sizes[i][0], sizes[i][1]);
            unsigned char *adj = adjacency(&t);
            if (shuffled)
                shuffle_lists(&t);
            for (int d = 0; d < 3; d++)
                for (int f = 0; f < 2; f++) {
                    char what[64];
                    snprintf(what, sizeof what, "n=%llu dir %d freq %d%s",
                             (unsigned long long)sizes[i][0], d, f, shuffled ? " shuffled" : "");
                    check(&t, adj, dirs[d], freqs[f], what);
                }
            free(adj);
            tgraph_free(&t);
        }
}

/* A random graph with every edge also reversed (no self-loop, no repeat):
 * the out- and in-lists are one list twice. */
static void mirrored_graph(tgraph *t, uint64_t n, uint64_t m)
{
    uint32_t *src = malloc(2 * m * sizeof *src), *dst = malloc(2 * m * sizeof *dst);
    unsigned char *seen = calloc(n * n, 1);
    uint64_t k = 0;
    for (uint64_t i = 0; i < m; i++) {
        uint32_t a = (uint32_t)(fixture_rng() % n), b = (uint32_t)(fixture_rng() % n);
        if (a == b || seen[a * n + b])
            continue;
        seen[a * n + b] = seen[b * n + a] = 1;
        src[k] = a, dst[k++] = b;
        src[k] = b, dst[k++] = a;
    }
    tgraph_build(t, n, src, dst, k);
    free(seen);
    free(src);
    free(dst);
}

/* Borrowed (no copy) exactly when the graph is loaded both ways with
 * nothing to fold; each way of not being so still gives the right lists. */
Test(undirected, a_graph_with_every_edge_both_ways_is_borrowed_as_it_is)
{
    enum { AS_IS, ONE_WAY_ONLY, SELF_LOOP, PARALLEL, UNSORTED, N_KINDS };
    const char *names[] = {"both ways", "one edge one way", "a self-loop", "a parallel edge",
                           "both ways, lists in one same unsorted order"};
    for (int kind = 0; kind < N_KINDS; kind++) {
        tgraph m;
        mirrored_graph(&m, 200, 2000);
        /* the mirrored edges, changed by one edge as the kind says */
        uint64_t e = m.out_off[m.g.n];
        uint32_t *src = malloc((e + 2) * sizeof *src), *dst = malloc((e + 2) * sizeof *dst);
        uint64_t k = 0;
        for (uint64_t v = 0; v < m.g.n; v++)
            for (uint64_t i = m.out_off[v]; i < m.out_off[v + 1]; i++)
                src[k] = (uint32_t)v, dst[k++] = m.out_dst[i];
        if (kind == ONE_WAY_ONLY)
            k--; /* the last edge's reverse is elsewhere: it stays, this goes */
        else if (kind == SELF_LOOP)
            src[k] = 7, dst[k++] = 7;
        else if (kind == PARALLEL) /* both ways again: the lists still agree */
            src[k] = src[0], dst[k] = dst[0], src[k + 1] = dst[0], dst[k + 1] = src[0], k += 2;
        tgraph t;
        tgraph_build(&t, m.g.n, src, dst, k);
        if (kind == UNSORTED) /* out- and in-lists still equal, but not ascending */
            for (uint64_t v = 0; v < t.g.n; v++)
                for (uint64_t i = t.out_off[v] + 1; i < t.out_off[v + 1]; i += 2) {
                    uint32_t x = t.out_dst[i - 1];
                    t.out_dst[i - 1] = t.out_dst[i], t.out_dst[i] = x;
                    uint64_t j = t.in_off[v] + (i - t.out_off[v]);
                    x = t.in_src[j - 1];
                    t.in_src[j - 1] = t.in_src[j], t.in_src[j] = x;
                }
        unsigned char *adj = adjacency(&t);
        check(&t, adj, ALGO_DIR_OUT, ALGO_FREQ_MULTIPLE, names[kind]);

        char msg[ALGO_MSG_MAX] = "";
        algo_graph_view view;
        algo_team *team = NULL;
        algo_undirected u;
        cr_assert_eq(algo_graph_view_init(&view, &t.g, ALGO_DIR_OUT, ALGO_FREQ_MULTIPLE, -1, msg),
                     0, "%s", msg);
        cr_assert_eq(algo_team_new(&team, 2, msg), 0, "%s", msg);
        cr_assert_eq(algo_undirected_init(&u, &view, team, msg), 0, "%s", msg);
        cr_expect_eq(u.borrowed, kind == AS_IS, "%s: borrowed %d", names[kind], u.borrowed);
        if (kind == AS_IS)
            cr_expect_eq(u.nbr, t.out_dst, "borrowed lists are the graph's own");
        algo_undirected_release(&u);
        algo_team_free(team);
        algo_graph_view_release(&view);
        free(adj);
        free(src);
        free(dst);
        tgraph_free(&t);
        tgraph_free(&m);
    }
}
