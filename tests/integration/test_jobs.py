"""The task model of docs/contract.md against a real server: the state
machine through UpdateJobStatus, cancel, delete, list, get, health, stop."""

import json
import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import grpc, jobs_pb2, health_pb2  # noqa: E402

SC = grpc.StatusCode
REFUSED_MOVE = (SC.FAILED_PRECONDITION, SC.INVALID_ARGUMENT)


def update(s, graph, tid, status, progress=None, message="", attempt=0):
    req = jobs_pb2.UpdateJobStatusRequest(graph=graph, task_id=tid, status=status, message=message,
                                          attempt=attempt)
    if progress is not None:
        req.progress = progress
    return s.jobs.UpdateJobStatus(req)


def get(s, graph, tid):
    return s.jobs.GetJob(jobs_pb2.GetJobRequest(graph=graph, task_id=tid))


class Jobs(H.IntegrationTest):

    def blocked_server(self, **kw):
        """A server with one job slot, taken by an endless job (task 1 of
        graph 'slow'); later tasks of 'slow' stay queued."""
        s = self.start_server(max_jobs=1, **kw)
        H.load_slow_graph(s, "slow")
        blocker = H.create_endless_job(s, "slow")
        self.assertEqual(blocker, 1)
        H.wait_running_with_worker(s, "slow", blocker)
        return s

    def short_job(self, s, graph="slow"):
        return H.create_job(s, graph, "page-rank", H.pr_params("0.15", "0", 3))

    def test_health_serving(self):
        s = self.start_server()
        for svc in ("", "hgc.v1.JobService", "hgc.v1.GraphService"):
            r = s.health.Check(health_pb2.HealthCheckRequest(service=svc))
            self.assertEqual(r.status, health_pb2.HealthCheckResponse.SERVING, svc)
        self.assertRpcError(SC.NOT_FOUND, s.health.Check,
                            health_pb2.HealthCheckRequest(service="no.such.Service"))

    def test_unix_socket(self):
        """--listen unix:PATH: clients and the workers' reports go through the
        socket, and a job runs to success (the port gRPC reports for a unix
        address is not an address: workers were told "unix:1")."""
        path = os.path.join(self.tmp, "hgc.sock")
        s = self.start_server(listen="unix:" + path)
        self.assertIn("listening on unix:" + path, s.stdout_lines)
        H.load_text(s, "u", "1 2\n2 3\n3 1\n")
        tid = H.create_job(s, "u", "page-rank")
        task = self.wait_task(s, "u", tid, timeout=60)
        self.assertTaskStatus(task, "success")
        self.assertEqual(H.read_result(s, "u", tid).as_dict().keys(), {1, 2, 3})

    def test_state_machine_through_update(self):
        s = self.blocked_server()
        t2, t3, t4, t5 = (self.short_job(s) for _ in range(4))
        self.assertEqual([t2, t3, t4, t5], [2, 3, 4, 5])
        for t in (t2, t3, t4, t5):
            self.assertIn(get(s, "slow", t).task_status, ("new", "scheduling", "scheduled", "queued"))

        # queued -> running -> running (progress) -> success
        r = update(s, "slow", t2, "RUNNING", progress=10)
        self.assertEqual(r.task_id, t2)
        task = get(s, "slow", t2)
        self.assertEqual((task.task_status, task.task_progress), ("running", 10))
        update(s, "slow", t2, "running", progress=40, message="half way")
        task = get(s, "slow", t2)
        self.assertEqual((task.task_status, task.task_progress), ("running", 40))
        update(s, "slow", t2, "SUCCEEDED")
        done = get(s, "slow", t2)
        self.assertEqual((done.task_status, done.task_progress), ("success", 100))
        self.assertEqual(done.task_result, "{}", "an earlier progress message read as the summary")
        self.assertRpcError(SC.FAILED_PRECONDITION, s.jobs.ReadResult,
                            jobs_pb2.ReadResultRequest(graph="slow", task_id=t2),
                            contains="has no result file to read (a success reported by an update")
        for st in ("RUNNING", "running", "FAILED", "failed", "CANCELLED", "queued", "INITIALIZING",
                   "restoring", "cancelling", "new"):
            self.assertRpcError(REFUSED_MOVE, update, s, "slow", t2, st)
        after = get(s, "slow", t2)
        self.assertEqual(after.task_status, "success", "a final state is final")
        self.assertEqual(after.task_update, done.task_update, "a refused move changed task_update")
        s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="slow", task_id=t2))
        self.assertEqual(get(s, "slow", t2).task_status, "success", "cancel of a finished task changes nothing")

        # queued -> failed (with the reason) -> stays failed
        update(s, "slow", t3, "FAILED", message="operator says no")
        task = get(s, "slow", t3)
        self.assertEqual(task.task_status, "failed")
        self.assertIn("operator says no", task.task_result)
        for st in ("SUCCEEDED", "RUNNING", "cancelled", "queued"):
            self.assertRpcError(REFUSED_MOVE, update, s, "slow", t3, st)
        self.assertEqual(get(s, "slow", t3).task_status, "failed")

        # queued -> cancelled -> stays cancelled
        update(s, "slow", t4, "cancelled")
        self.assertEqual(get(s, "slow", t4).task_status, "cancelled")
        for st in ("running", "SUCCEEDED", "failed"):
            self.assertRpcError(REFUSED_MOVE, update, s, "slow", t4, st)
        self.assertEqual(get(s, "slow", t4).task_status, "cancelled")

        # bad words and values change nothing
        before = get(s, "slow", t5)
        self.assertRpcError(SC.INVALID_ARGUMENT, update, s, "slow", t5, "EXPLODED", contains="EXPLODED")
        self.assertRpcError(SC.INVALID_ARGUMENT, update, s, "slow", t5, "")
        self.assertRpcError(SC.INVALID_ARGUMENT, update, s, "slow", t5, "running", progress=101)
        self.assertRpcError(SC.INVALID_ARGUMENT, update, s, "slow", t5, "running", progress=-1)
        self.assertEqual(get(s, "slow", t5), before)
        self.assertRpcError(SC.NOT_FOUND, update, s, "slow", 999, "running")
        self.assertRpcError(SC.NOT_FOUND, update, s, "no-such-graph", 1, "running")

        # a failure reported without a message says so, not an earlier progress message
        update(s, "slow", t5, "RUNNING", progress=30, message="step 3")
        self.assertIn("step 3", get(s, "slow", t5).task_result)
        update(s, "slow", t5, "FAILED")
        task = get(s, "slow", t5)
        self.assertEqual(task.task_status, "failed")
        self.assertEqual(json.loads(task.task_result), {"error": "reported failed without a message"})

        # an update from a run attempt that is not the current one is refused
        self.assertRpcError(REFUSED_MOVE, update, s, "slow", 1, "FAILED", message="stale", attempt=12345,
                            contains="task 1 is on attempt 1, not 12345")
        self.assertEqual(get(s, "slow", 1).task_status, "running")

    def test_cancel_queued_at_once(self):
        s = self.blocked_server()
        t = self.short_job(s)
        self.assertIn(get(s, "slow", t).task_status, ("new", "scheduling", "scheduled", "queued"))
        s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="slow", task_id=t))
        task = get(s, "slow", t)
        self.assertEqual(task.task_status, "cancelled", "a task that has not started is cancelled at once")
        s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="slow", task_id=t))  # again: no change, OK
        self.assertEqual(get(s, "slow", t).task_status, "cancelled")
        self.assertEqual(s.workers(task_id=t), [])
        self.assertRpcError(SC.NOT_FOUND, s.jobs.CancelJob, jobs_pb2.CancelJobRequest(graph="slow", task_id=99))
        self.assertRpcError(SC.NOT_FOUND, s.jobs.CancelJob,
                            jobs_pb2.CancelJobRequest(graph="nope", task_id=1))
        self.assertEqual(get(s, "slow", 1).task_status, "running", "the running task was not touched")

    def test_cancel_running_within_2s(self):
        s = self.start_server()
        H.load_slow_graph(s, "slow")
        tid = H.create_endless_job(s, "slow")
        workers = H.wait_running_with_worker(s, "slow", tid)
        time.sleep(0.5)
        self.assertEqual(get(s, "slow", tid).task_status, "running", "the endless job ended by itself")
        idents = [p.ident for p in workers]
        t0 = time.monotonic()
        s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="slow", task_id=tid))
        seen = []
        while True:
            task = get(s, "slow", tid)
            if not seen or seen[-1] != task.task_status:
                seen.append(task.task_status)
            if task.task_status in H.FINAL or time.monotonic() - t0 > 10:
                break
            time.sleep(0.02)
        elapsed = time.monotonic() - t0
        self.assertEqual(task.task_status, "cancelled", "statuses seen: %r" % seen)
        self.assertLessEqual(elapsed, 2.0, "cancelled only %.2fs after the call (statuses %r)" % (elapsed, seen))
        self.assertTrue(set(seen) <= {"running", "cancelling", "cancelled"}, seen)
        alive = [i for i in idents if H.proc_alive(i)]
        self.assertEqual(alive, [], "worker processes alive after the task became cancelled")
        self.assertEqual(s.workers(), [], "hgc-worker processes left")

    def test_delete(self):
        s = self.start_server()
        ds = H.Dataset("example-directed")
        H.load_dataset(s, ds)
        g = ds.name
        tid = H.create_job(s, g, "page-rank", H.pr_params("0.15", "0", 2))
        self.assertTaskStatus(self.wait_task(s, g, tid), "success")
        res_dir = os.path.join(s.data_dir, "results", g, str(tid))
        log = os.path.join(s.data_dir, "logs", g, "%d.log" % tid)
        self.assertTrue(os.path.isdir(res_dir), "no results dir %s" % res_dir)
        self.assertTrue(os.path.isfile(log), "no task log %s" % log)
        r = s.jobs.DeleteJob(jobs_pb2.DeleteJobRequest(graph=g, task_id=tid))
        self.assertEqual(r.task_id, tid)
        self.assertFalse(os.path.exists(res_dir), "results dir still there after delete")
        self.assertFalse(os.path.exists(log), "task log still there after delete")
        self.assertRpcError(SC.NOT_FOUND, get, s, g, tid)
        self.assertNotIn(tid, [t.id for t in H.list_tasks(s, g)])
        self.assertRpcError(SC.NOT_FOUND, lambda: H.read_result(s, g, tid))
        self.assertRpcError(SC.NOT_FOUND, s.jobs.DeleteJob, jobs_pb2.DeleteJobRequest(graph=g, task_id=tid))

        # a running task can't be deleted; once cancelled it can
        H.load_slow_graph(s, "slow")
        t = H.create_endless_job(s, "slow")
        H.wait_running_with_worker(s, "slow", t)
        self.assertRpcError(SC.FAILED_PRECONDITION, s.jobs.DeleteJob,
                            jobs_pb2.DeleteJobRequest(graph="slow", task_id=t), contains="cancel")
        self.assertEqual(get(s, "slow", t).task_status, "running")
        self.assertTrue(s.workers(task_id=t), "delete refused but the worker is gone")
        s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="slow", task_id=t))
        self.assertTaskStatus(self.wait_task(s, "slow", t, timeout=10), "cancelled")
        s.jobs.DeleteJob(jobs_pb2.DeleteJobRequest(graph="slow", task_id=t))
        self.assertFalse(os.path.exists(os.path.join(s.data_dir, "results", "slow", str(t))))
        self.assertFalse(os.path.exists(os.path.join(s.data_dir, "logs", "slow", "%d.log" % t)))
        self.assertEqual(H.list_tasks(s, "slow"), [])

    def test_list_limit_status_paging(self):
        s = self.blocked_server(name="it-node-7")
        now_ms = time.time() * 1000
        ids = [H.create_job(s, "slow", "PageRank", H.pr_params("0.15", "0", 3)) for _ in range(105)]
        self.assertEqual(ids, list(range(2, 107)))
        for t in ids[:50]:
            s.jobs.CancelJob(jobs_pb2.CancelJobRequest(graph="slow", task_id=t))
        all_ids = list(range(1, 107))

        def ids_of(limit=0, status="", page=None):
            """The ids listed, and the answer's page: None when the request did
            not page, else the next token, or "END" for the null at the end."""
            req = jobs_pb2.ListJobsRequest(graph="slow", limit=limit, status=status)
            if page is not None:
                req.page = page
            r = s.jobs.ListJobs(req)
            if not r.HasField("page"):
                return [t.id for t in r.tasks], None
            kind = r.page.WhichOneof("kind")
            self.assertIn(kind, ("string_value", "null_value"))
            return [t.id for t in r.tasks], (r.page.string_value if kind == "string_value" else "END")

        self.assertIsNone(ids_of(limit=10)[1], "no page asked, no page answered")
        self.assertEqual(ids_of(limit=-1, page="")[1], "END", "null at the end")

        self.assertEqual(ids_of(limit=0)[0], all_ids[:100], "limit 0 means 100, oldest first")
        self.assertEqual(ids_of(limit=-1)[0], all_ids)
        self.assertEqual(ids_of(limit=10)[0], all_ids[:10])
        self.assertEqual(ids_of(limit=-1, status="cancelled")[0], ids[:50])
        self.assertEqual(ids_of(limit=-1, status="CANCELLED")[0], ids[:50])
        self.assertEqual(ids_of(limit=-1, status="queued")[0], ids[50:])
        self.assertEqual(ids_of(limit=-1, status="RUNNING")[0], [1])
        self.assertEqual(ids_of(limit=-1, status="success")[0], [])

        def pages(limit, status=""):
            got, token, n = [], "", 0
            while True:
                part, token = ids_of(limit=limit, status=status, page=token)
                got += part
                n += 1
                self.assertLessEqual(len(part), limit)
                if token == "END":
                    return got, n
                self.assertLess(n, 200, "paging does not end")

        got, n = pages(7)
        self.assertEqual(got, all_ids, "paging by 7 should give every task once, in order")
        self.assertGreaterEqual(n, 16)
        got, _ = pages(20, "queued")
        self.assertEqual(got, ids[50:])

        tasks = s.jobs.ListJobs(jobs_pb2.ListJobsRequest(graph="slow", limit=-1)).tasks
        for t in tasks:
            self.assertEqual(t.task_type, "computer-proxy")
            self.assertEqual(t.task_server, "it-node-7")
            self.assertLessEqual(t.task_create, t.task_update)
            self.assertLess(abs(t.task_create - now_ms), 600000, "task_create is not epoch ms: %d" % t.task_create)
        self.assertEqual(tasks[0].task_name, "computer-proxy:page-rank")
        self.assertEqual(tasks[1].task_name, "computer-proxy:PageRank", "task_name keeps the algorithm as given")
        self.assertRpcError(SC.NOT_FOUND, s.jobs.ListJobs, jobs_pb2.ListJobsRequest(graph="nope"))

    def test_default_server_name_and_get_unknown(self):
        s = self.start_server()
        ds = H.Dataset("example-directed")
        H.load_dataset(s, ds)
        tid = H.create_job(s, ds.name, "page-rank", H.pr_params("0.15", "0", 2))
        task = self.wait_task(s, ds.name, tid)
        self.assertEqual(task.task_server, "server-1")
        self.assertEqual(task.task_retries, 0)
        self.assertRpcError(SC.NOT_FOUND, get, s, ds.name, tid + 1)
        self.assertRpcError(SC.NOT_FOUND, get, s, ds.name, 123456789)
        self.assertRpcError(SC.NOT_FOUND, get, s, "no-such-graph", 1, contains="no-such-graph")

    def test_sigterm_stops_cleanly_with_a_running_job(self):
        s = self.start_server()
        H.load_slow_graph(s, "slow")
        tid = H.create_endless_job(s, "slow")
        idents = [p.ident for p in H.wait_running_with_worker(s, "slow", tid)]
        rc = s.stop()
        self.assertEqual(rc, 0, "hgc-server exit code after SIGTERM")
        H.wait_for(lambda: not any(H.proc_alive(i) for i in idents), 10,
                   what="the worker to end with the server")


if __name__ == "__main__":
    unittest.main()
