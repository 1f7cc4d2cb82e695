"""NetworkX as the oracle of the centrality unit tests (test_ppr.c,
test_closeness_centrality.c, test_betweenness_centrality.c).

usage: nx_oracle.py ALGORITHM SHAPE [DIRECTION] [KEY=VALUE ...]

Prints the graph, then NetworkX's answer on it:
  n m weighted
  m lines "src dst [weight]"  (vertices are 0..n-1)
  n lines: the value of vertex 0, 1, ...
DIRECTION (OUT, IN, BOTH) is the view hgc's kernel will take of the graph;
the answer is computed on the graph that view means.
"""
import random
import sys

import networkx as nx


def shape(name):
    """(n, edges, weighted): a list of (u, v[, w]) over vertices 0..n-1."""
    if name == "karate":  # a small real graph, undirected: both ways
        G = nx.karate_club_graph()
        e = [(u, v) for u, v in G.edges()] + [(v, u) for u, v in G.edges()]
        return G.number_of_nodes(), e, False
    if name == "lesmis":  # weighted real graph, both ways
        G = nx.convert_node_labels_to_integers(nx.les_miserables_graph(), ordering="sorted")
        e = [(u, v, float(d["weight"])) for u, v, d in G.edges(data=True)]
        e += [(v, u, w) for u, v, w in e]
        return G.number_of_nodes(), e, True
    if name == "random":  # sparse random digraph with sinks and sources
        rnd = random.Random(1107)
        n, e = 800, []
        for _ in range(3200):
            u, v = rnd.randrange(n), rnd.randrange(n)
            if u % 17 == 3:  # no out-edges
                continue
            e.append((u, v))
        return n, e, False
    if name == "messy":  # isolated vertices, self-loops, parallel edges, sinks
        e = [(0, 1), (0, 1), (1, 2), (2, 0), (2, 2), (3, 4), (3, 4), (3, 4), (4, 5),
             (5, 3), (1, 5), (6, 6), (7, 1), (2, 8), (8, 9), (9, 8), (9, 9), (5, 10),
             (10, 11), (11, 5), (0, 11), (11, 0)]
        return 14, e, False  # 12 and 13 isolated; 10's only way out is 11
    if name == "wrandom":  # weighted random digraph
        rnd = random.Random(2024)
        n, e = 600, []
        for _ in range(2400):
            u, v = rnd.randrange(n), rnd.randrange(n)
            e.append((u, v, rnd.choice([0.5, 1.0, 1.5, 2.0, 3.25])))
        return n, e, True
    raise SystemExit("unknown shape " + name)


def graph_of(n, edges, weighted, direction):
    G = nx.MultiDiGraph()
    G.add_nodes_from(range(n))
    for e in edges:
        u, v = e[0], e[1]
        kw = {"weight": e[2]} if weighted else {}
        if direction in ("OUT", "BOTH"):
            G.add_edge(u, v, **kw)
        if direction in ("IN", "BOTH"):
            G.add_edge(v, u, **kw)
    return G


def simple(G):
    """The MultiDiGraph as a DiGraph (parallel edges once, the smallest weight)."""
    D = nx.DiGraph()
    D.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        w = d.get("weight", 1.0)
        if not D.has_edge(u, v) or D[u][v]["weight"] > w:
            D.add_edge(u, v, weight=w)
    return D


def main():
    algo, sh = sys.argv[1], sys.argv[2]
    direction = sys.argv[3] if len(sys.argv) > 3 else "OUT"
    opts = dict(a.split("=", 1) for a in sys.argv[4:])
    n, edges, weighted = shape(sh)
    G = graph_of(n, edges, weighted, direction)
    if algo == "ppr":
        # pagerank sums parallel edges' weights: MULTIPLE counts each
        H = nx.MultiDiGraph()
        H.add_nodes_from(G)
        H.add_edges_from((u, v) for u, v in G.edges())
        ans = nx.pagerank(H, alpha=float(opts.get("alpha", 0.85)),
                          personalization={int(opts["source"]): 1}, tol=1e-15, max_iter=100000)
    elif algo == "closeness":
        ans = nx.harmonic_centrality(simple(G), distance="weight" if opts.get("weighted") else None)
    elif algo == "betweenness":
        ans = nx.betweenness_centrality(simple(G), normalized=False)
    else:
        raise SystemExit("unknown algorithm " + algo)
    print(n, len(edges), int(weighted))
    for e in edges:
        print(*e)
    for v in range(n):
        print(repr(float(ans[v])))


main()
