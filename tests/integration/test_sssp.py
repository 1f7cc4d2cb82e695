"""sssp through the real server and worker: distances against LDBC
Graphalytics SSSP (weighted) and BFS (unit weights), NetworkX on random and
string-id graphs, and every row's path checked to be a shortest path of real
edges (docs/algorithms.md)."""

import os
import random
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402

P = "single_source_shortest_path."


def params(source, target="*", weight="", **more):
    p = {P + "source_id": source, P + "target_id": target}
    if weight:
        p[P + "weight_property"] = weight
    p.update(more)
    return p


def path_rows(res):
    """{id: (path, total_weight)} from a paths result."""
    out = {}
    for page in res.pages:
        for r in page.rows:
            assert r.value.WhichOneof("kind") == "map", r.value
            f = r.value.map.fields
            path = [H.value_of(v) for v in f["path"].list.items]
            out[H.vid_key(r.id)] = (path, f["total_weight"].number)
    return out


class Sssp(H.IntegrationTest):

    def run_sssp(self, s, graph, p, status="success"):
        tid = H.create_job(s, graph, "sssp", p)
        task = self.wait_task(s, graph, tid)
        self.assertTaskStatus(task, status)
        return tid, task

    def check_paths(self, rows, source, weight_of, directed=True):
        """Each path starts at the source, ends at its row, follows edges and
        weighs its total."""
        for v, (path, total) in rows.items():
            self.assertEqual(path[0], source, (v, path))
            self.assertEqual(path[-1], v, (v, path))
            w = 0.0
            for a, b in zip(path, path[1:]):
                e = weight_of(a, b)
                if not directed:
                    ws = [x for x in (e, weight_of(b, a)) if x is not None]
                    e = min(ws) if ws else None
                self.assertIsNotNone(e, "no edge %r -> %r on the path to %r" % (a, b, v))
                w += e
            self.assertAlmostEqual(w, total, delta=1e-9 * (1 + total), msg=(v, path))

    def graphalytics(self, name, algo, weighted):
        ds = H.Dataset(name)
        s = self.start_server()
        H.load_dataset(s, ds)
        src = ds.prop(algo.lower() + ".source-vertex")
        p = params(src, weight="weight" if weighted else "")
        if not ds.directed:
            p["input.edge_direction"] = "BOTH"
        tid, _ = self.run_sssp(s, name, p)
        res = H.read_result(s, name, tid)
        rows = path_rows(res)
        ref = ds.reference(algo)
        w = {}
        with open(ds.edge_file) as f:
            for line in f:
                t = line.split()
                if t:
                    key = (H.parse_id(t[0]), H.parse_id(t[1]))
                    x = float(t[2]) if weighted else 1.0
                    w[key] = min(w.get(key, x), x)
        for v, want in ref.items():
            if want in ("infinity", "9223372036854775807"):
                self.assertNotIn(v, rows, "%s: %r is unreached" % (name, v))
                continue
            got = rows[v][1]
            if weighted:
                self.assertLessEqual(abs(got - float(want)), 1e-4 * abs(float(want)), (v, got, want))
            else:
                self.assertEqual(got, int(want), (v, got, want))
                self.assertEqual(len(rows[v][0]) - 1, int(want), "hops")
        self.assertEqual(res.totals, {len(rows)})
        self.check_paths(rows, H.parse_id(src), lambda a, b: w.get((a, b)), ds.directed)

    def test_graphalytics_sssp(self):
        self.graphalytics("example-directed", "SSSP", True)
        self.graphalytics("test-sssp-undirected", "SSSP", True)

    def test_graphalytics_bfs(self):
        self.graphalytics("test-bfs-directed", "BFS", False)
        self.graphalytics("example-undirected", "BFS", False)

    def test_networkx_random_weighted_and_unit(self):
        import networkx as nx
        rng = random.Random(7)
        edges = H.random_digraph(10000, 40000, seed=11)
        wts = {e: rng.choice([0.5, 1, 1.5, 2, 7]) for e in edges}
        text = "".join("%d %d %g\n" % (a, b, wts[(a, b)]) for a, b in edges)
        s = self.start_server()
        H.load_text(s, "r", text)
        G = nx.DiGraph()
        for (a, b), x in wts.items():
            G.add_edge(a, b, weight=x)
        src = edges[0][0]
        for weighted in (True, False):
            tid, _ = self.run_sssp(s, "r", params(str(src), weight="weight" if weighted else ""))
            rows = path_rows(H.read_result(s, "r", tid))
            want = (nx.single_source_dijkstra_path_length(G, src) if weighted else
                    nx.single_source_shortest_path_length(G, src))
            self.assertEqual(set(rows), set(want))
            for v, d in want.items():
                self.assertAlmostEqual(rows[v][1], d, delta=1e-9 * (1 + d))
            self.check_paths(rows, src,
                             (lambda a, b: wts.get((a, b))) if weighted else
                             (lambda a, b: 1.0 if (a, b) in wts else None))
        # 1 and 2 workers give the same paths
        one = H.read_result(s, "r", self.run_sssp(s, "r", params(str(src), weight="weight"))[0])
        tid = H.create_job(s, "r", "sssp", params(str(src), weight="weight"), workers=2)
        self.assertTaskStatus(self.wait_task(s, "r", tid), "success")
        two = H.read_result(s, "r", tid)
        self.assertEqual(path_rows(one), path_rows(two))

    def test_string_ids_targets_and_paging(self):
        # a -> b -> d, a -> c -> d (a tie), e alone with a self-loop, f unreached
        text = "a b 1\na c 1\nb d 1\nc d 1\ne e 1\nd f 5\nf d 1\ng f 1\n"
        s = self.start_server()
        H.load_text(s, "s", text)
        tid, task = self.run_sssp(s, "s", params("a", "d, f ,e"))
        rows = path_rows(H.read_result(s, "s", tid))
        self.assertEqual(rows, {"d": (["a", "b", "d"], 2.0), "f": (["a", "b", "d", "f"], 3.0)})
        tid, _ = self.run_sssp(s, "s", params("a", "*", "weight"))
        full = H.read_result(s, "s", tid)
        self.assertEqual([k for k, _ in full.rows], ["a", "b", "c", "d", "f"], "id order")
        self.assertEqual(full.totals, {5})
        page = H.read_result(s, "s", tid, offset=1, limit=2)
        self.assertEqual([k for k, _ in page.rows], ["b", "c"])
        desc = H.read_result(s, "s", tid, order="desc", limit=2)
        self.assertEqual([k for k, _ in desc.rows], ["f", "d"])
        # IN: paths to the source
        tid, _ = self.run_sssp(s, "s", params("d", "a,g", "weight", **{"input.edge_direction": "IN"}))
        self.assertEqual(path_rows(H.read_result(s, "s", tid)), {"a": (["d", "b", "a"], 2.0),
                                                                  "g": (["d", "f", "g"], 2.0)})

    def test_bad_options_refused_before_a_task(self):
        s = self.start_server()
        H.load_text(s, "b", "1 2 1\n2 3 0\n")
        before = len(H.list_tasks(s, "b"))
        import grpc
        for p, words in [({P + "target_id": "*"}, P + "source_id"),
                         (params(""), "non-empty"),
                         (params("1", **{P + "default_weight": "0"}), "default_weight"),
                         (params("1", **{P + "default_weight": "x"}), "default_weight")]:
            self.assertRpcError([grpc.StatusCode.INVALID_ARGUMENT], H.create_job, s, "b", "sssp",
                                p, contains=words)
        self.assertEqual(len(H.list_tasks(s, "b")), before)
        # found by the worker: named in the failure
        _, task = self.run_sssp(s, "b", params("9"), status="failed")
        self.assertIn("source id '9'", task.task_result)
        _, task = self.run_sssp(s, "b", params("1", weight="weight"), status="failed")
        self.assertIn("weighs 0", task.task_result)


if __name__ == "__main__":
    unittest.main()
