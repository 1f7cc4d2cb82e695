"""wcc and lpa as real jobs (docs/algorithms.md), against LDBC Graphalytics
(WCC: the same partition; CDLP = lpa with BOTH, exact), NetworkX's weakly
connected components, and label propagation written out from the
definition; on a real graph, a random sparse one of 10^4 vertices, one
with isolated vertices, self-loops and parallel edges, and string ids.
Plus the common options, refusals before a task exists, and a cancel."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import jobs_pb2  # noqa: E402
import community_lib as C  # noqa: E402
import networkx as nx  # noqa: E402


def components_labels(G):
    want = {}
    for comp in nx.weakly_connected_components(G):
        m = C.smallest(comp)
        for v in comp:
            want[v] = m
    return want


class Wcc(H.IntegrationTest):

    def test_graphalytics(self):
        s = self.start_server()
        for name in ("example-directed", "example-undirected", "test-wcc-directed",
                     "test-wcc-undirected"):
            ds = H.Dataset(name)
            C.load_graphalytics(s, name)
            got, summary, res = C.run(self, s, name, "wcc")
            self.assertEqual(res.properties, {"wcc"})
            self.assertEqual(res.value_kinds, {"integer"})
            ref = {k: int(v) for k, v in ds.reference("WCC").items()}
            self.assertEqual(set(got), set(ref), name)
            groups = {}
            for v, r in ref.items():
                groups.setdefault(r, []).append(v)
            want = {v: C.smallest(g) for g in groups.values() for v in g}
            self.assertEqual(got, want, name + ": the same partition, labelled by smallest id")
            self.assertEqual(summary.get("components"), len(groups), summary)

    def test_networkx_shapes(self):
        s = self.start_server()
        # a small real graph
        karate = list(nx.karate_club_graph().edges())
        C.load_edges(s, "karate", karate)
        got, _, _ = C.run(self, s, "karate", "wcc")
        self.assertEqual(got, components_labels(C.multi_digraph(karate)))
        # random sparse, 10^4 vertices, many components
        edges = C.random_sparse(10000, 9000)
        C.load_edges(s, "rnd", edges)
        got, summary, _ = C.run(self, s, "rnd", "wcc")
        G = C.multi_digraph(edges)
        self.assertEqual(got, components_labels(G))
        self.assertEqual(summary["components"], nx.number_weakly_connected_components(G))
        # isolated vertices, self-loops, parallel edges, sinks
        edges, isolated = C.odd_graph()
        C.load_with_isolated(s, "odd", edges, isolated)
        got, _, _ = C.run(self, s, "odd", "WCC",
                          {"output.output_property_name": "component"})
        self.assertEqual(got, components_labels(C.multi_digraph(edges, isolated)))
        self.assertEqual(got[30], 30)
        # string ids: labels come back as ids, in byte order
        mis = list(nx.les_miserables_graph().edges())
        C.load_edges(s, "mis", mis + [("zeta", "Alpha"), ("alpha", "zeta")])
        got, _, res = C.run(self, s, "mis", "wcc")
        self.assertEqual(res.value_kinds, {"text"})
        self.assertEqual(got, components_labels(C.multi_digraph(mis + [("zeta", "Alpha"),
                                                                         ("alpha", "zeta")])))
        self.assertEqual(got["zeta"], "Alpha", "upper case sorts first, byte by byte")

    def test_common_options(self):
        s = self.start_server()
        # 1->2, 1->3, 4->3: one component; a limit of 1 edge cuts 1->3
        C.load_edges(s, "g", [(1, 2), (1, 3), (4, 3), (5, 5)])
        got, _, res = C.run(self, s, "g", "wcc", {"output.output_property_name": "cc_id"})
        self.assertEqual(res.properties, {"cc_id"})
        self.assertEqual(got, {1: 1, 2: 1, 3: 1, 4: 1, 5: 5})
        got, summary, _ = C.run(self, s, "g", "wcc", {"input.limit_edges_in_one_vertex": 1})
        self.assertEqual(got, {1: 1, 2: 1, 3: 3, 4: 3, 5: 5})
        self.assertEqual(summary.get("effective_edges"), 3, summary)
        for d in ("IN", "BOTH"):
            got, _, _ = C.run(self, s, "g", "wcc", {"input.edge_direction": d})
            self.assertEqual(got, {1: 1, 2: 1, 3: 1, 4: 1, 5: 5}, d)
        got, _, _ = C.run(self, s, "g", "wcc", {"input.edge_freq": "SINGLE"})
        self.assertEqual(got, {1: 1, 2: 1, 3: 1, 4: 1, 5: 5})
        C.assert_refused(self, s, "g", "wcc", {"wcc.k": "1"}, "wcc.k")
        C.assert_refused(self, s, "g", "wcc", {"input.edge_direction": "UP"}, "input.edge_direction")
        C.assert_refused(self, s, "g", "wcc", {"input.limit_edges_in_one_vertex": "x"},
                         "input.limit_edges_in_one_vertex")


if __name__ == "__main__":
    unittest.main()
