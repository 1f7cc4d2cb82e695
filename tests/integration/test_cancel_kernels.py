"""A cancel in the middle of each kernel that has no cancel test of its own
(wcc, kcore, triangle-count, clustering-coefficient, sssp) ends its task within a second, with the worker gone and nothing written as
a result.

On a test graph these kernels end in milliseconds, too soon to be caught
running, so the server runs with HGC_WORKER_PACE_MS (a pause after each
progress step, docs/operations.md): the cancel lands while the kernel is
between two of its steps, its progress above 0 and below 100. page-rank,
ppr, lpa, closeness and betweenness are cancelled mid-run without pacing
in test_jobs.py, test_centrality.py and test_components.py; degree-centrality
is one pass over the edges, with no middle to stop in."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import jobs_pb2  # noqa: E402

PACE_MS = 300

KERNELS = [
    ("wcc", {}),
    ("kcore", {}),
    ("kcore", {"kcore.k": "0"}),
    ("triangle-count", {}),
    ("clustering-coefficient", {}),
]


class CancelEachKernel(H.IntegrationTest):
    def test_cancel_in_the_middle(self):
        s = self.start_server(env={"HGC_WORKER_PACE_MS": str(PACE_MS)})
        edges = H.load_slow_graph(s, "g")
        # sssp from a vertex with out-edges: its BFS reports per level
        sssp = ("sssp", {"single_source_shortest_path.source_id": str(edges[0][0]),
                         "single_source_shortest_path.target_id": "*"})
        get = lambda tid: s.jobs.GetJob(jobs_pb2.GetJobRequest(graph="g", task_id=tid))  # noqa: E731
        for alg, params in KERNELS + [sssp]:
            with self.subTest(alg, **params):
                tid = H.create_job(s, "g", alg, params)
                H.wait_running_with_worker(s, "g", tid)
                H.wait_for(lambda: get(tid).task_progress > 0, H.T(60),
                           what="%s: progress above 0" % alg)
                t0 = time.monotonic()
                s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="g", task_id=tid))
                task = self.wait_task(s, "g", tid, timeout=10, interval=0.02)
                elapsed = time.monotonic() - t0
                self.assertTaskStatus(task, "cancelled")
                self.assertLess(task.task_progress, 100)
                self.assertLessEqual(elapsed, H.T(1.0), "%s cancelled %.2fs after the call"
                                     % (alg, elapsed))
                H.wait_for(lambda: not s.workers(), H.T(5), what="%s: the worker to go" % alg)
                with self.assertRaises(H.grpc.RpcError) as e:
                    list(s.jobs.ReadResult(jobs_pb2.ReadResultRequest(graph="g", task_id=tid)))
                self.assertEqual(e.exception.code(), H.grpc.StatusCode.FAILED_PRECONDITION,
                                 e.exception.details())

    def test_pace_is_only_a_pause(self):
        """The same job paced and not paced gives the same result."""
        edges = [(1, 2), (2, 3), (3, 1), (3, 4), (4, 5), (5, 3), (6, 7)]
        rows = []
        for env in ({}, {"HGC_WORKER_PACE_MS": "50"}):
            s = self.start_server(env=env)
            H.load_text(s, "t", H.edges_text(edges))
            tid = H.create_job(s, "t", "triangle-count", {})
            self.assertTaskStatus(self.wait_task(s, "t", tid), "success")
            rows.append(sorted(str(p) for p in
                               s.jobs.ReadResult(jobs_pb2.ReadResultRequest(graph="t", task_id=tid))))
        self.assertEqual(rows[0], rows[1])


if __name__ == "__main__":
    unittest.main()
