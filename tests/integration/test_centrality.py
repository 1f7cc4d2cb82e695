"""ppr, closeness-centrality and betweenness-centrality through the real
server and workers (docs/algorithms.md), checked against NetworkX
(Debian's python3-networkx): pagerank with a personalization, harmonic
centrality, betweenness (normalized=False), on a small real graph, a random
graph of 10^4 vertices, a graph with self-loops, parallel edges and
vertices without out-edges, a weighted graph and string ids; the common
options that change a result; bad options refused before a task exists;
a cancel in the middle ends the task within a second."""

import math
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import jobs_pb2  # noqa: E402

import networkx as nx  # noqa: E402

SC = H.grpc.StatusCode

# self-loops (2, 9), parallel edges (0->1 twice, 3->4 three times), vertices
# without out-edges (13, 14), 2-cycles; LoadEdges knows vertices only
# through edges, so 12 and 7 are not vertices at all
MESSY = [(0, 1), (0, 1), (1, 2), (2, 0), (2, 2), (3, 4), (3, 4), (3, 4), (4, 5), (5, 3),
         (1, 5), (6, 1), (2, 8), (8, 9), (9, 8), (9, 9), (5, 10), (10, 11), (11, 5), (0, 11),
         (11, 0), (11, 13), (8, 14), (6, 14)]


def karate_edges():
    G = nx.karate_club_graph()
    return [(u, v) for u, v in G.edges()] + [(v, u) for u, v in G.edges()]


def multi(edges, weighted=False):
    G = nx.MultiDiGraph()
    for e in edges:
        G.add_edge(e[0], e[1], **({"weight": e[2]} if weighted else {}))
    return G


def simple(edges, weighted=False):
    G = nx.DiGraph()
    for e in edges:
        w = e[2] if weighted else 1.0
        if not G.has_edge(e[0], e[1]) or G[e[0]][e[1]]["weight"] > w:
            G.add_edge(e[0], e[1], weight=w)
    return G


def text(edges):
    return "".join(" ".join(str(x) for x in e) + "\n" for e in edges).encode()


def sample_sources(ids, rate):
    """The documented sample: the first k of a splitmix64-driven Fisher-Yates
    shuffle of the indices (vertices in id order), seed 0x5eed0fc3a11."""
    n = len(ids)
    k = n if rate >= 1 else min(n, max(1, int(math.floor(rate * n + 0.5))))
    idx = list(range(n))
    M = (1 << 64) - 1
    state = 0x5eed0fc3a11
    if k < n:
        for i in range(k):
            state = (state + 0x9e3779b97f4a7c15) & M
            z = state
            z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
            z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
            z ^= z >> 31
            j = i + z % (n - i)
            idx[i], idx[j] = idx[j], idx[i]
    order = sorted(ids, key=H.id_order_key)
    return [order[i] for i in sorted(idx[:k])]


class Centrality(H.IntegrationTest):

    def run_job(self, s, graph, algorithm, params, timeout=300):
        tid = H.create_job(s, graph, algorithm, params)
        task = self.wait_task(s, graph, tid, timeout=timeout)
        self.assertTaskStatus(task, "success")
        self.assertEqual(task.task_progress, 100)
        return tid, H.read_result(s, graph, tid)

    def compare(self, got, want, rel, what, floor=1e-12):
        self.assertEqual(set(got), set(want), what + ": vertex sets differ")
        bad = [(v, got[v], want[v]) for v in want
               if not abs(got[v] - want[v]) <= rel * max(abs(want[v]), floor)]
        self.assertFalse(bad, "%s: %d of %d differ, e.g. %r" % (what, len(bad), len(want), bad[:5]))

    def refused(self, s, graph, algorithm, params, *contains):
        before = len(H.list_tasks(s, graph))
        self.assertRpcError(SC.INVALID_ARGUMENT, H.create_job, s, graph, algorithm, params,
                            contains=list(contains))
        self.assertEqual(len(H.list_tasks(s, graph)), before, "a refused job made a task")

    # ---- ppr

    def test_ppr_against_networkx(self):
        s = self.start_server()
        conv = {"ppr.l1DiffThreshold": "1e-13", "bsp.max_super_step": 10000}
        # a small real graph
        H.load_text(s, "karate", text(karate_edges()))
        _, res = self.run_job(s, "karate", "ppr", dict(conv, **{"ppr.source": 0}))
        self.assertEqual(res.properties, {"ppr"})
        want = nx.pagerank(multi(karate_edges()), alpha=0.85, personalization={0: 1}, tol=1e-15,
                           max_iter=10000)
        self.compare(res.as_dict(), want, 1e-6, "karate", floor=1e-7)
        # self-loops, parallel edges, sinks; alpha and the source given as numbers
        H.load_text(s, "messy", text(MESSY))
        tid = H.create_job(s, "messy", "", {"ppr.source": 3, "ppr.alpha": 0.6,
                                            "ppr.l1DiffThreshold": "1e-13",
                                            "bsp.max_super_step": 10000},
                           params_class="org.apache.hugegraph.computer.algorithm.centrality.ppr."
                                        "PersonalPageRankParams")
        self.assertTaskStatus(self.wait_task(s, "messy", tid), "success")
        res = H.read_result(s, "messy", tid)
        want = nx.pagerank(multi(MESSY), alpha=0.6, personalization={3: 1}, tol=1e-15,
                           max_iter=10000)
        self.compare(res.as_dict(), want, 1e-6, "messy", floor=1e-7)
        # string ids
        names = ["ann", "bob", "cy", "dee", "ed", "flo"]
        sedges = [(names[u % 6], names[v % 6]) for u, v in MESSY if u % 6 != v % 6]
        H.load_text(s, "names", text(sedges))
        _, res = self.run_job(s, "names", "ppr", dict(conv, **{"ppr.source": "dee"}))
        self.assertEqual(res.id_kinds, {"str"})
        want = nx.pagerank(multi(sedges), alpha=0.85, personalization={"dee": 1}, tol=1e-15,
                           max_iter=10000)
        self.compare(res.as_dict(), want, 1e-6, "string ids", floor=1e-7)
        # 10^4 vertices, IN: the walk goes against the edges
        edges = H.random_digraph(10000, 50000, seed=99)
        H.load_text(s, "rnd", H.edges_text(edges))
        _, res = self.run_job(s, "rnd", "ppr",
                              dict(conv, **{"ppr.source": 17, "input.edge_direction": "IN"}))
        want = nx.pagerank(multi([(v, u) for u, v in edges]), alpha=0.85,
                           personalization={17: 1}, tol=1e-15, max_iter=10000)
        self.compare(res.as_dict(), want, 1e-6, "random IN", floor=1e-7)

    def test_ppr_bad_options_refused_before_a_task(self):
        s = self.start_server()
        H.load_text(s, "g", text(MESSY))
        self.refused(s, "g", "ppr", {}, "ppr.source", "required")
        self.refused(s, "g", "ppr", {"ppr.source": 99}, "ppr.source", "99", "does not exist")
        self.refused(s, "g", "ppr", {"ppr.source": "alice"}, "alice", "does not exist")
        self.refused(s, "g", "ppr", {"ppr.source": 1, "ppr.alpha": 1.5}, "ppr.alpha")
        self.refused(s, "g", "ppr", {"ppr.source": 1, "ppr.l1DiffThreshold": -1}, "l1DiffThreshold")
        self.refused(s, "g", "ppr", {"ppr.source": 1, "ppr.nope": 1}, "ppr.nope", "ppr.source")
        self.refused(s, "g", "ppr", {"ppr.source": 1, "bsp.max_super_step": 0}, "bsp.max_super_step")
        self.refused(s, "g", "ppr", {"ppr.source": 1, "input.edge_direction": "UP"},
                     "input.edge_direction")

    def test_ppr_max_super_step_and_output_name(self):
        s = self.start_server()
        H.load_text(s, "g", text(MESSY))
        tid, res = self.run_job(s, "g", "ppr", {"ppr.source": 0, "bsp.max_super_step": 2,
                                                "ppr.l1DiffThreshold": 0,
                                                "output.output_property_name": "near_0"})
        summary = H.parse_json_field(self, self.wait_task(s, "g", tid).task_result, "task_result")
        self.assertEqual(summary.get("supersteps"), 2, summary)
        self.assertEqual(res.properties, {"near_0"})
        # two steps by hand, from 1/N
        G = multi(MESSY)
        n = G.number_of_nodes()
        r = {v: 1.0 / n for v in G}
        for _ in range(2):
            d = sum(r[v] for v in G if G.out_degree(v) == 0)
            nr = {v: 0.0 for v in G}
            for u, v in G.edges():
                nr[v] += 0.85 * r[u] / G.out_degree(u)
            nr[0] += 0.15 + 0.85 * d
            r = nr
        # threshold 0 runs in single precision (compute/runtime/rank_walk.h)
        self.compare(res.as_dict(), r, 1e-6, "2 steps")

    # ---- closeness

    def test_closeness_against_networkx(self):
        s = self.start_server()
        H.load_text(s, "karate", text(karate_edges()))
        _, res = self.run_job(s, "karate", "closeness-centrality", {})
        self.assertEqual(res.properties, {"closeness_centrality"})
        self.compare(res.as_dict(), nx.harmonic_centrality(simple(karate_edges())), 1e-12, "karate")
        H.load_text(s, "messy", text(MESSY))
        for d, G in (("OUT", simple(MESSY)), ("IN", simple(MESSY).reverse()),
                     ("BOTH", simple(MESSY).to_undirected())):
            _, res = self.run_job(s, "messy", "closeness_centrality", {"input.edge_direction": d})
            self.compare(res.as_dict(), nx.harmonic_centrality(G), 1e-12, "messy " + d)
        # weighted (les miserables, both ways), and string ids
        L = nx.les_miserables_graph()
        wedges = [(u.replace(" ", "_"), v.replace(" ", "_"), float(w))
                  for u, v, w in L.edges(data="weight")]
        wedges += [(v, u, w) for u, v, w in wedges]
        H.load_text(s, "lesmis", text(wedges))
        _, res = self.run_job(s, "lesmis", "closeness-centrality",
                              {"closeness_centrality.weight_property": "weight"})
        self.assertEqual(res.id_kinds, {"str"})
        self.compare(res.as_dict(), nx.harmonic_centrality(simple(wedges, True), distance="weight"),
                     1e-12, "les miserables, weighted")
        _, res = self.run_job(s, "lesmis", "closeness-centrality", {})
        self.compare(res.as_dict(), nx.harmonic_centrality(simple(wedges)), 1e-12,
                     "les miserables, hops")

    def test_closeness_sampled_on_10k_vertices(self):
        s = self.start_server()
        edges = H.random_digraph(10000, 50000, seed=5)
        H.load_text(s, "rnd", H.edges_text(edges))
        p = {"closeness_centrality.sample_rate": "0.01"}
        t1, a = self.run_job(s, "rnd", "closeness-centrality", p)
        _, b = self.run_job(s, "rnd", "closeness-centrality", p)
        self.assertEqual(a.rows, b.rows, "the same seed must give the same result")
        summary = H.parse_json_field(self, self.wait_task(s, "rnd", t1).task_result, "task_result")
        self.assertEqual(summary.get("sources"), 100, summary)
        G = simple(edges)
        src = sample_sources(list(G.nodes()), 0.01)
        want = {v: x * 100.0 for v, x in nx.harmonic_centrality(G, sources=src).items()}
        self.compare(a.as_dict(), want, 1e-12, "sampled, against NetworkX from the same sources")

    def test_closeness_bad_options(self):
        s = self.start_server()
        H.load_text(s, "g", text(MESSY))
        for rate in ("0", "-0.5", "1.5", "x"):
            self.refused(s, "g", "closeness-centrality", {"closeness_centrality.sample_rate": rate},
                         "closeness_centrality.sample_rate", "above 0")
        self.refused(s, "g", "closeness-centrality", {"closeness_centrality.weight": "w"},
                     "closeness_centrality.weight_property")
        self.refused(s, "g", "closeness-centrality", {"input.limit_edges_in_one_vertex": 0},
                     "input.limit_edges_in_one_vertex")
        # weights the graph does not have: the task fails, saying what to do
        tid = H.create_job(s, "g", "closeness-centrality",
                           {"closeness_centrality.weight_property": "weight"})
        task = self.wait_task(s, "g", tid)
        self.assertTaskStatus(task, "failed")
        self.assertIn("no edge weights", task.task_result)

    def test_closeness_limit_and_freq(self):
        s = self.start_server()
        H.load_text(s, "g", text(MESSY))
        # limit 1: each vertex keeps its first out-edge (by neighbour order)
        _, res = self.run_job(s, "g", "closeness-centrality", {"input.limit_edges_in_one_vertex": 1})
        G = nx.DiGraph()
        G.add_nodes_from(v for e in MESSY for v in e)
        for u in sorted(G.nodes()):
            outs = sorted(v for a, v in MESSY if a == u)
            if outs:
                G.add_edge(u, outs[0])
        self.compare(res.as_dict(), nx.harmonic_centrality(G), 1e-12, "limit 1")

    # ---- betweenness

    def test_betweenness_against_networkx(self):
        s = self.start_server()
        H.load_text(s, "karate", text(karate_edges()))
        _, res = self.run_job(s, "karate", "betweenness-centrality", {})
        self.assertEqual(res.properties, {"betweenness_centrality"})
        self.compare(res.as_dict(), nx.betweenness_centrality(simple(karate_edges()), normalized=False),
                     1e-9, "karate")
        H.load_text(s, "messy", text(MESSY))
        for d, G in (("OUT", simple(MESSY)), ("IN", simple(MESSY).reverse()),
                     ("BOTH", simple(MESSY).to_undirected().to_directed())):
            for freq in ("MULTIPLE", "SINGLE"):
                _, res = self.run_job(s, "messy", "BetweennessCentrality",
                                      {"input.edge_direction": d, "input.edge_freq": freq})
                self.compare(res.as_dict(), nx.betweenness_centrality(G, normalized=False), 1e-9,
                             "messy %s %s" % (d, freq))
        names = ["ann", "bob", "cy", "dee", "ed", "flo", "gus"]
        sedges = [(names[u % 7], names[v % 7]) for u, v in MESSY]
        H.load_text(s, "names", text(sedges))
        _, res = self.run_job(s, "names", "betweenness-centrality",
                              {"betweenness_centrality.sample_rate": 1})
        self.assertEqual(res.id_kinds, {"str"})
        self.compare(res.as_dict(), nx.betweenness_centrality(simple(sedges), normalized=False),
                     1e-9, "string ids")

    def test_betweenness_sampled_on_10k_vertices(self):
        s = self.start_server()
        edges = H.random_digraph(10000, 50000, seed=6)
        H.load_text(s, "rnd", H.edges_text(edges))
        p = {"betweenness_centrality.sample_rate": "0.005"}
        _, a = self.run_job(s, "rnd", "betweenness-centrality", p)
        _, b = self.run_job(s, "rnd", "betweenness-centrality", p)
        self.assertEqual(a.rows, b.rows, "the same seed must give the same result")
        G = simple(edges)
        src = sample_sources(list(G.nodes()), 0.005)
        self.assertEqual(len(src), 50)
        sub = nx.betweenness_centrality_subset(G, src, list(G.nodes()), normalized=False)
        want = {v: x * 200.0 for v, x in sub.items()}
        self.compare(a.as_dict(), want, 1e-9, "sampled, against NetworkX from the same sources",
                     floor=1e-6)
        self.refused(s, "rnd", "betweenness-centrality", {"betweenness_centrality.sample_rate": 0},
                     "betweenness_centrality.sample_rate")

    # ---- cancel

    def cancel_midway(self, graph, algorithm, params):
        s = self.start_server()
        H.load_slow_graph(s, graph)
        tid = H.create_job(s, graph, algorithm, params)
        H.wait_running_with_worker(s, graph, tid)
        H.wait_for(lambda: H.worker_procs(task_id=tid, graph=graph) and
                   s.jobs.GetJob(jobs_pb2.GetJobRequest(graph=graph, task_id=tid)).task_progress > 0,
                   120, what="progress above 0")
        t0 = time.monotonic()
        s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph=graph, task_id=tid))
        task = self.wait_task(s, graph, tid, timeout=10, interval=0.02)
        elapsed = time.monotonic() - t0
        self.assertTaskStatus(task, "cancelled")
        self.assertLess(task.task_progress, 100)
        self.assertLessEqual(elapsed, H.T(1.0), "cancelled %.2fs after the call" % elapsed)
        H.wait_for(lambda: not s.workers(), 5, what="the worker to go")

    def test_cancel_betweenness(self):
        self.cancel_midway("slow", "betweenness-centrality", {})

    def test_cancel_closeness(self):
        self.cancel_midway("slow", "closeness-centrality", {})

    def test_cancel_ppr(self):
        self.cancel_midway("slow", "ppr", {"ppr.source": 1, "ppr.l1DiffThreshold": 0,
                                           "bsp.max_super_step": 1000000})


if __name__ == "__main__":
    unittest.main()
