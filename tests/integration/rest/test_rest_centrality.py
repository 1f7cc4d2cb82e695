"""ppr, closeness-centrality and betweenness-centrality over REST, as
HugeGraph callers send them (the create path, params_class, params as
strings or numbers): each runs to success and its result, read back with
GET .../result, equals NetworkX on LDBC's example-directed graph; an
unknown ppr.source and a missing one are refused with 400 before a task
exists."""

import os
import unittest

import networkx as nx

import rest_harness as h

STACK = None
G = "ex"
ROOT = "com.baidu.hugegraph.computer.algorithm."


def setUpModule():
    global STACK
    STACK = h.Stack().start()
    try:
        STACK.load_graph(G)
    except BaseException:
        STACK.stop()
        raise


def tearDownModule():
    STACK.stop()


def networkx_graph():
    D = nx.DiGraph()
    with open(os.path.join(h.GRAPHALYTICS, "example-directed.e")) as f:
        for line in f:
            if line.strip():
                u, v = line.split()[:2]
                D.add_edge(int(u), int(v))
    return D


class RestCentrality(h.RestCase):

    def run_job(self, path_name, body):
        tid = STACK.create(G, path_name, body)
        t = STACK.wait_status(tid, graph=G)
        self.assertEqual(t["task_status"], "success", t)
        _, res = STACK.json("GET", "%s/%d/result?limit=-1" % (STACK.jobs(G), tid), expect=200)
        return {r["id"]: r["value"] for r in res["rows"]}

    def close(self, got, want, rel, what):
        self.assertEqual(set(got), set(want), what)
        for v in want:
            self.assertLessEqual(abs(got[v] - want[v]), rel * max(abs(want[v]), 1e-9),
                                 "%s: vertex %r: %r, want %r" % (what, v, got[v], want[v]))

    def test_the_three_against_networkx(self):
        D = networkx_graph()
        got = self.run_job("ppr", {"params_class": ROOT + "centrality.ppr.PersonalPageRankParams",
                                   "params": {"ppr.source": "3", "ppr.l1DiffThreshold": "1e-14",
                                              "bsp.max_super_step": "1000"}})
        want = nx.pagerank(D, alpha=0.85, personalization={3: 1}, tol=1e-15, max_iter=10000)
        self.close(got, want, 1e-6, "ppr")
        got = self.run_job("closeness-centrality", {
            "params_class": ROOT + "centrality.closeness.ClosenessCentralityParams",
            "params": {"input.edge_direction": "BOTH"}})
        self.close(got, nx.harmonic_centrality(D.to_undirected()), 1e-12, "closeness BOTH")
        got = self.run_job("betweenness_centrality", {
            "params_class": ROOT + "centrality.betweenness.BetweennessCentralityParams",
            "params": {"betweenness_centrality.sample_rate": 1}})
        self.close(got, nx.betweenness_centrality(D, normalized=False), 1e-9, "betweenness")

    def test_ppr_source_refused_before_a_task(self):
        before = STACK.tasks(G)
        for params, words in (({"ppr.source": "12345"}, "does not exist"),
                              ({}, "required"),
                              ({"ppr.source": "3", "ppr.alpha": "2"}, "ppr.alpha")):
            body = self.assertError(STACK.request("POST", "%s/ppr" % STACK.jobs(G),
                                                  {"params": params}), 400, contains=words)
            self.assertIn("ppr.", body["message"])
        self.assertEqual(STACK.tasks(G), before, "a refused job changed the tasks")


if __name__ == "__main__":
    unittest.main()
