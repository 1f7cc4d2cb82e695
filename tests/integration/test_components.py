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


class Lpa(H.IntegrationTest):

    def test_graphalytics_cdlp(self):
        s = self.start_server()
        for name in ("example-directed", "example-undirected", "test-cdlp-directed",
                     "test-cdlp-undirected"):
            ds = H.Dataset(name)
            C.load_graphalytics(s, name)
            steps = ds.prop("cdlp.max-iterations")
            got, _, res = C.run(self, s, name, "lpa",
                                {"input.edge_direction": "BOTH", "bsp.max_super_step": steps})
            self.assertEqual(res.properties, {"lpa"})
            ref = {k: int(v) for k, v in ds.reference("CDLP").items()}
            self.assertEqual(got, ref, name + ": CDLP is lpa with BOTH, exactly")

    def test_definition_on_shapes_and_directions(self):
        s = self.start_server()
        edges = C.random_sparse(10000, 30000, seed=99)
        C.load_edges(s, "rnd", edges)
        G = C.multi_digraph(edges)
        for d, steps in (("OUT", 10), ("IN", 4), ("BOTH", 6)):
            want, done = C.definition_lpa(G, steps, d)
            got, summary, _ = C.run(self, s, "rnd", "lpa",
                                    {"input.edge_direction": d, "bsp.max_super_step": steps})
            self.assertEqual(got, want, d)
            self.assertEqual(summary["supersteps"], done, summary)
        # isolated vertices, self-loops, parallel edges (each counts), sinks
        edges, isolated = C.odd_graph()
        C.load_with_isolated(s, "odd", edges, isolated)
        want, _ = C.definition_lpa(C.multi_digraph(edges, isolated), 10, "BOTH")
        got, _, _ = C.run(self, s, "odd", "lpa", {"input.edge_direction": "BOTH"})
        self.assertEqual(got, want)
        # SINGLE folds the effective graph, which with BOTH holds each edge both
        # ways: every neighbour (a self-loop too) then counts once
        folded = set(edges) | {(v, u) for u, v in edges}
        want, _ = C.definition_lpa(C.multi_digraph(folded, isolated), 10, "OUT")
        got, _, _ = C.run(self, s, "odd", "lpa", {"input.edge_direction": "BOTH",
                                                  "input.edge_freq": "SINGLE"})
        self.assertEqual(got, want)
        # string ids, a small real graph: labels are ids, ties to the smaller in byte order
        mis = list(nx.les_miserables_graph().edges())
        C.load_edges(s, "mis", mis)
        want, _ = C.definition_lpa(C.multi_digraph(mis), 5, "BOTH")
        got, _, res = C.run(self, s, "mis", "lpa", {"input.edge_direction": "BOTH",
                                                    "bsp.max_super_step": 5})
        self.assertEqual(res.value_kinds, {"text"})
        self.assertEqual(got, want)

    def test_steps_and_refusals(self):
        s = self.start_server()
        # a directed cycle: labels rotate one place a step, never settle
        C.load_edges(s, "ring", [(i, i % 5 + 1) for i in range(1, 6)])
        got, summary, _ = C.run(self, s, "ring", "lpa", {"bsp.max_super_step": 2})
        self.assertEqual(got, {1: 4, 2: 5, 3: 1, 4: 2, 5: 3})
        self.assertEqual((summary["supersteps"], summary["converged"]), (2, False))
        got, summary, _ = C.run(self, s, "ring", "lpa")
        self.assertEqual(summary["supersteps"], 10, "bsp.max_super_step defaults to 10")
        C.assert_refused(self, s, "ring", "lpa", {"bsp.max_super_step": "0"}, "bsp.max_super_step")
        C.assert_refused(self, s, "ring", "lpa", {"bsp.max_super_step": "2.5"}, "bsp.max_super_step")
        C.assert_refused(self, s, "ring", "lpa", {"lpa.seed": "1"}, "lpa.seed")
        C.assert_refused(self, s, "ring", "lpa", {"input.edge_freq": "TWICE"}, "input.edge_freq")
        C.assert_refused(self, s, "ring", "lpa", {"output.output_property_name": "a b"},
                         "output.output_property_name")

    def test_cancel_in_the_middle(self):
        """Labels rotate round a 200k-vertex cycle forever: cancel it mid-run."""
        s = self.start_server()
        n = 200000
        C.load_edges(s, "ring", [(i, i % n + 1) for i in range(1, n + 1)])
        tid = H.create_job(s, "ring", "lpa", {"bsp.max_super_step": 1000000})
        workers = H.wait_running_with_worker(s, "ring", tid)
        get = lambda: s.jobs.GetJob(jobs_pb2.GetJobRequest(graph="ring", task_id=tid))  # noqa: E731
        time.sleep(1.0)  # supersteps under way (progress shows 0%: a million are asked for)
        self.assertEqual(get().task_status, "running", "the endless lpa ended by itself")
        t0 = time.monotonic()
        s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="ring", task_id=tid))
        task = self.wait_task(s, "ring", tid, timeout=10, interval=0.02)
        elapsed = time.monotonic() - t0
        self.assertEqual(task.task_status, "cancelled")
        self.assertLessEqual(elapsed, H.T(1.0), "cancelled %.2fs after the call" % elapsed)
        H.wait_for(lambda: not any(H.proc_alive(p.ident) for p in workers), H.T(2),
                   what="the worker to exit")


if __name__ == "__main__":
    unittest.main()
