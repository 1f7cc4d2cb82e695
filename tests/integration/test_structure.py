"""kcore, triangle-count, clustering-coefficient and degree-centrality as
real jobs (docs/algorithms.md), against NetworkX (core_number, k_core,
triangles, clustering, degree) and LDBC Graphalytics' undirected LCC
(relative 1e-4), on a real graph, a random sparse one of 10^4 vertices,
one with isolated vertices, self-loops, parallel edges and sinks, a
weighted one, and string ids. Plus the common options and refusals
before a task exists."""

import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
import community_lib as C  # noqa: E402
import networkx as nx  # noqa: E402


def shapes():
    """(graph name, edges, isolated vertices) of every shape."""
    edges, isolated = C.odd_graph()
    return [("karate", list(nx.karate_club_graph().edges()), []),
            ("rnd", C.random_sparse(10000, 40000, seed=7), []),
            ("odd", edges, isolated),
            ("mis", list(nx.les_miserables_graph().edges()), [])]


def load_shapes(s):
    out = []
    for name, edges, isolated in shapes():
        if isolated:
            C.load_with_isolated(s, name, edges, isolated)
        else:
            C.load_edges(s, name, edges)
        out.append((name, edges, isolated))
    return out


class Undirected(H.IntegrationTest):

    def test_networkx_on_every_shape(self):
        s = self.start_server()
        for name, edges, isolated in load_shapes(s):
            U = C.simple_undirected(edges, isolated)
            got, summary, res = C.run(self, s, name, "kcore", {"kcore.k": 0})
            self.assertEqual(res.value_kinds, {"integer"})
            self.assertEqual(got, nx.core_number(U), name + ": core numbers")
            for k in (2, 3, 5):
                core = nx.k_core(U, k)
                want = {v: (core.degree(v) if v in core else 0) for v in U.nodes}
                got, summary, _ = C.run(self, s, name, "kcore", {"kcore.k": k})
                self.assertEqual(got, want, "%s: %d-core" % (name, k))
                self.assertEqual(summary["core_vertices"], core.number_of_nodes())
            got, summary, res = C.run(self, s, name, "triangle-count")
            self.assertEqual(res.properties, {"triangle_count"})
            self.assertEqual(got, nx.triangles(U), name + ": triangles")
            self.assertEqual(summary["triangles"], sum(nx.triangles(U).values()) // 3)
            got, _, res = C.run(self, s, name, "clustering-coefficient")
            self.assertEqual(res.value_kinds, {"number"})
            want = nx.clustering(U)
            self.assertEqual(set(got), set(want))
            for v in want:
                self.assertAlmostEqual(got[v], want[v], delta=1e-12, msg="%s: clustering of %r" % (name, v))

    def test_graphalytics_lcc(self):
        s = self.start_server()
        for name in ("example-undirected", "test-lcc-undirected"):
            ds = H.Dataset(name)
            C.load_graphalytics(s, name)
            got, _, _ = C.run(self, s, name, "clustering-coefficient")
            ref = {k: float(v) for k, v in ds.reference("LCC").items()}
            self.assertEqual(set(got), set(ref))
            for v, want in ref.items():
                self.assertLessEqual(abs(got[v] - want), 1e-4 * abs(want) + 1e-15, "%s %r" % (name, v))

    def test_options_and_refusals(self):
        s = self.start_server()
        # K4 on 1..4 plus a tail 4-5: the 3-core is the K4
        C.load_edges(s, "g", [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4), (3, 4), (4, 5)])
        got, _, _ = C.run(self, s, "g", "kcore")
        self.assertEqual(got, {1: 3, 2: 3, 3: 3, 4: 3, 5: 0}, "kcore.k defaults to 3")
        # a limit of one out-edge a vertex leaves 1-2, 2-3, 3-4, 4-5: no triangle, no 2-core
        lim = {"input.limit_edges_in_one_vertex": 1}
        got, _, _ = C.run(self, s, "g", "triangle-count", lim)
        self.assertEqual(got, {1: 0, 2: 0, 3: 0, 4: 0, 5: 0})
        got, _, _ = C.run(self, s, "g", "kcore", dict(lim, **{"kcore.k": 2}))
        self.assertEqual(got, {1: 0, 2: 0, 3: 0, 4: 0, 5: 0})
        got, _, res = C.run(self, s, "g", "clustering-coefficient",
                            {"output.output_property_name": "lcc", "input.edge_direction": "IN"})
        self.assertEqual(res.properties, {"lcc"})
        self.assertEqual(got, {1: 1.0, 2: 1.0, 3: 1.0, 4: 0.5, 5: 0.0}, "direction doesn't matter")
        C.assert_refused(self, s, "g", "kcore", {"kcore.k": "-1"}, "kcore.k")
        C.assert_refused(self, s, "g", "kcore", {"kcore.k": "two"}, "kcore.k")
        C.assert_refused(self, s, "g", "kcore", {"kcore.k": "1.5"}, "kcore.k")
        C.assert_refused(self, s, "g", "triangle-count", {"triangle.k": "1"}, "triangle.k")
        C.assert_refused(self, s, "g", "clustering-coefficient",
                         {"input.limit_edges_in_one_vertex": "0"}, "input.limit_edges_in_one_vertex")


class Degree(H.IntegrationTest):

    def test_networkx_on_every_shape(self):
        s = self.start_server()
        for name, edges, isolated in load_shapes(s):
            G = C.multi_digraph(edges, isolated)
            for d, want in (("out", dict(G.out_degree())), ("in", dict(G.in_degree())),
                            ("both", dict(G.degree()))):
                got, _, res = C.run(self, s, name, "degree-centrality",
                                    {"degree_centrality.direction": d})
                self.assertEqual(res.value_kinds, {"number"})
                self.assertEqual(got, {v: float(x) for v, x in want.items()}, "%s %s" % (name, d))

    def test_weights_and_common_options(self):
        s = self.start_server()
        mis = nx.les_miserables_graph()
        edges = [(u, v) for u, v in mis.edges()]
        weights = [float(mis[u][v]["weight"]) / 4 for u, v in edges]
        C.load_edges(s, "mis", edges, weights)
        G = nx.MultiDiGraph()
        G.add_weighted_edges_from((u, v, w) for (u, v), w in zip(edges, weights))
        opts = {"degree_centrality.weight_property": "weight"}
        for d, want in (("out", G.out_degree(weight="weight")), ("in", G.in_degree(weight="weight")),
                        ("both", G.degree(weight="weight"))):
            got, summary, _ = C.run(self, s, "mis", "degree-centrality",
                                    dict(opts, **{"degree_centrality.direction": d}))
            self.assertTrue(summary["weighted"])
            for v, x in dict(want).items():
                self.assertTrue(math.isclose(got[v], x, rel_tol=1e-12), "%s %r: %r vs %r" % (d, v, got[v], x))
        # input.edge_direction IN reverses every edge: out-degree there is the in-degree
        got, _, _ = C.run(self, s, "mis", "degree-centrality", {"input.edge_direction": "IN"})
        self.assertEqual(got, {v: float(x) for v, x in G.in_degree()})
        # BOTH adds the reverse of each edge
        got, _, _ = C.run(self, s, "mis", "degree-centrality", {"input.edge_direction": "BOTH"})
        self.assertEqual(got, {v: float(x) for v, x in G.degree()})
        # folding and a limit, on parallel edges
        C.load_edges(s, "par", [(1, 2), (1, 2), (1, 3), (1, 4), (2, 2), (3, 1)])
        got, _, res = C.run(self, s, "par", "degree-centrality",
                            {"input.edge_freq": "SINGLE", "output.output_property_name": "deg"})
        self.assertEqual(res.properties, {"deg"})
        self.assertEqual(got, {1: 3.0, 2: 1.0, 3: 1.0, 4: 0.0})
        got, _, _ = C.run(self, s, "par", "degree-centrality", {"input.limit_edges_in_one_vertex": 2})
        self.assertEqual(got, {1: 2.0, 2: 1.0, 3: 1.0, 4: 0.0})
        # weights that aren't there: the task fails saying why
        for graph, prop, says in (("par", "weight", "has no edge weights"),
                                  ("mis", "cost", "'cost' is not an edge weight")):
            tid = H.create_job(s, graph, "degree-centrality",
                               {"degree_centrality.weight_property": prop})
            task = self.wait_task(s, graph, tid)
            self.assertTaskStatus(task, "failed")
            self.assertIn(says, task.task_result)
        C.assert_refused(self, s, "par", "degree-centrality",
                         {"degree_centrality.direction": "sideways"}, "degree_centrality.direction")
        C.assert_refused(self, s, "par", "degree-centrality",
                         {"degree_centrality.weight": "weight"}, "degree_centrality.weight_property")
        C.assert_refused(self, s, "par", "degree-centrality", {"bsp.max_super_step": "-3"},
                         "bsp.max_super_step")


if __name__ == "__main__":
    unittest.main()
