"""Crashes: the server killed with SIGKILL mid-job and restarted on the same
data dir; workers killed with SIGKILL (retries, then failure)."""

import os
import re
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import grpc, jobs_pb2  # noqa: E402

SC = grpc.StatusCode
NOT_STARTED = ("new", "scheduling", "scheduled", "queued")


def get(s, graph, tid):
    return s.jobs.GetJob(jobs_pb2.GetJobRequest(graph=graph, task_id=tid))


class Restart(H.IntegrationTest):

    def calibrate(self, s, graph, target=5.0, base=500):
        """Steps of a page-rank on the slow graph that take about `target`
        seconds on this machine (measured with a `base`-step job). Nothing is
        asserted about speed: it only sizes the jobs that get killed."""
        t0 = time.monotonic()
        tid = H.create_job(s, graph, "page-rank", H.pr_params(H.SLOW_ALPHA, "0", base))
        self.assertTaskStatus(self.wait_task(s, graph, tid, timeout=300), "success")
        dt = time.monotonic() - t0
        steps = max(base, min(int(base * target / max(dt, 0.05)), 400000))
        sys.stderr.write("[calibrate: %d steps took %.2fs; long jobs get %d steps] " % (base, dt, steps))
        return steps

    def start_long(self, s, graph, steps, then=None):
        """Create a steps-long job (and then the jobs in `then`), wait until it
        runs with a worker and is still running a moment later. If the job was
        too short for that, try again with 4x the steps.
        Returns (task id, its workers, steps, ids of `then` jobs)."""
        for _ in range(4):
            tid = H.create_job(s, graph, "page-rank", H.pr_params(H.SLOW_ALPHA, "0", steps))
            more = [H.create_job(s, graph, "page-rank", p) for p in (then or [])]
            try:
                workers = H.wait_running_with_worker(s, graph, tid)
                time.sleep(0.3)
                if get(s, graph, tid).task_status == "running" and all(
                        H.proc_alive(p.ident) for p in workers):
                    sys.stderr.write("[task %d runs %d steps] " % (tid, steps))
                    return tid, workers, steps, more
            except AssertionError:
                if get(s, graph, tid).task_status not in H.FINAL:
                    raise
            H.wait_for(lambda: all(get(s, graph, t).task_status in H.FINAL for t in [tid] + more), 300,
                       what="the too-short jobs to end")
            steps *= 4
        self.fail("could not catch a job running (last try: %d steps)" % steps)

    def check_slow_result(self, s, graph, tid, edges, steps, alpha=H.SLOW_ALPHA):
        ref, _ = H.reference_pagerank(edges, alpha, steps, 0.0)
        H.compare_ranks(self, H.read_result(s, graph, tid).as_dict(), ref, rel=1e-6,
                        what="task %s/%d (%d steps) vs numpy" % (graph, tid, steps))

    def test_kill9_server_mid_job_then_restart(self):
        s = self.start_server(max_jobs=1)
        ds = H.Dataset("example-directed")
        H.load_dataset(s, ds)
        small = H.create_job(s, ds.name, "page-rank", H.pr_params("0.15", "0", 2))
        self.assertTaskStatus(self.wait_task(s, ds.name, small), "success")
        small_rows = H.read_result(s, ds.name, small).rows

        edges = H.load_slow_graph(s, "slow")
        steps = self.calibrate(s, "slow")
        short = H.pr_params("0.15", "0", 20)
        a, workers, steps, (b,) = self.start_long(s, "slow", steps, then=[short])
        self.assertIn(get(s, "slow", b).task_status, NOT_STARTED, "one job slot: b waits behind a")
        ids_before = {g: [t.id for t in H.list_tasks(s, g)] for g in (ds.name, "slow")}
        old = [p.ident for p in workers]

        s.kill(signal.SIGKILL)
        H.wait_for(lambda: not any(H.proc_alive(i) for i in old), 10,
                   what="the old worker to die with its server (PR_SET_PDEATHSIG)")
        s.restart()

        # Watch the restored task from the start of the new run.
        snaps, errs = [], []

        def watch():
            try:
                for t in s.jobs.WatchJob(jobs_pb2.WatchJobRequest(graph="slow", task_id=a), timeout=H.T(600)):
                    snaps.append(t)
            except Exception as e:  # noqa: BLE001
                errs.append(e)

        th = threading.Thread(target=watch, daemon=True)
        th.start()

        first = get(s, "slow", a)
        self.assertNotIn(first.task_status, ("failed", "cancelled", "cancelling"),
                         "restored task: %s %r" % (first.task_status, first.task_result))
        if first.task_status not in H.FINAL:
            # The first run's attempt (1 if attempts count from 1) is stale now.
            for stale in (1, 12345):
                self.assertRpcError((SC.FAILED_PRECONDITION, SC.INVALID_ARGUMENT, SC.ABORTED),
                                    s.jobs.UpdateJobStatus,
                                    jobs_pb2.UpdateJobStatusRequest(graph="slow", task_id=a, status="FAILED",
                                                                    message="stale", attempt=stale))

        ta = self.wait_task(s, "slow", a, timeout=600)
        self.assertTaskStatus(ta, "success")
        self.assertEqual(ta.task_retries, 1, "a running task restored once")
        self.assertEqual(ta.task_progress, 100)
        tb = self.wait_task(s, "slow", b, timeout=300)
        self.assertTaskStatus(tb, "success")
        self.assertEqual(tb.task_retries, 1, "contract.md: queued tasks go through restoring too (retries + 1)")

        th.join(H.T(30))
        self.assertFalse(errs, errs)
        statuses = [t.task_status for t in snaps]
        self.assertTrue(statuses and statuses[-1] == "success", statuses)
        self.assertTrue(all(x not in H.FINAL for x in statuses[:-1]), statuses)
        if "running" in statuses:
            after = statuses[statuses.index("running"):]
            self.assertNotIn("restoring", after, "went back to restoring: %r" % statuses)
            self.assertNotIn("queued", after, "went back to queued: %r" % statuses)
        progress = [t.task_progress for t in snaps]
        self.assertEqual(progress, sorted(progress), "progress went backwards in the new run: %r" % progress)
        self.assertTrue(all(t.task_retries == 1 for t in snaps), [t.task_retries for t in snaps])

        ids_after = {g: [t.id for t in H.list_tasks(s, g)] for g in (ds.name, "slow")}
        self.assertEqual(ids_after, ids_before, "tasks lost or added by the restart")
        self.check_slow_result(s, "slow", a, edges, steps)
        ref_b, _ = H.reference_pagerank(edges, "0.15", 20)
        H.compare_ranks(self, H.read_result(s, "slow", b).as_dict(), ref_b, rel=1e-6, what="task b")
        t_small = get(s, ds.name, small)
        self.assertEqual((t_small.task_status, t_small.task_retries), ("success", 0),
                         "a finished task is not run again")
        self.assertEqual(H.read_result(s, ds.name, small).rows, small_rows)
        self.assertEqual(s.workers(), [])

    def test_worker_sigkill_is_retried(self):
        s = self.start_server(max_retries=3)
        edges = H.load_slow_graph(s, "slow")
        steps = self.calibrate(s, "slow")
        tid, workers, steps, _ = self.start_long(s, "slow", steps)
        old = {p.ident for p in workers}
        for p in workers:
            os.kill(p.pid, signal.SIGKILL)

        def new_worker_or_final():
            if get(s, "slow", tid).task_status in H.FINAL:
                return True
            return [p for p in s.workers(task_id=tid, graph="slow") if p.ident not in old]

        H.wait_for(new_worker_or_final, 60, what="a new worker for the task")
        task = self.wait_task(s, "slow", tid, timeout=600)
        self.assertTaskStatus(task, "success")
        self.assertEqual(task.task_retries, 1, "one worker death, one retry")
        self.assertEqual(task.task_progress, 100)
        self.check_slow_result(s, "slow", tid, edges, steps)

    def test_max_retries_then_failed(self):
        s = self.start_server(max_retries=1)
        H.load_slow_graph(s, "slow")
        tid = H.create_endless_job(s, "slow")
        killed = set()
        kills = 0
        for _ in range(5):
            def next_worker():
                if get(s, "slow", tid).task_status in H.FINAL:
                    return "final"
                ws = [p for p in s.workers(task_id=tid, graph="slow") if p.ident not in killed]
                return ws

            got = H.wait_for(next_worker, 60, what="a worker of the task (kill %d)" % (kills + 1))
            if got == "final":
                break
            time.sleep(0.2)
            for p in got:
                killed.add(p.ident)
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            kills += 1
            if kills == 1:
                # after the first death the task must be retried, not failed
                t = H.wait_for(lambda: (lambda t: t if t.task_retries >= 1 or t.task_status in H.FINAL
                                        else None)(get(s, "slow", tid)), 30, what="a retry")
                self.assertNotIn(t.task_status, H.FINAL, "failed/ended after one worker death with "
                                 "--max-retries 1: %s %r" % (t.task_status, t.task_result))
        task = self.wait_task(s, "slow", tid, timeout=60)
        self.assertTaskStatus(task, "failed")
        self.assertEqual(kills, 2, "--max-retries 1: the second worker death fails the task")
        self.assertIn(task.task_retries, (1, 2))
        self.assertTrue(task.task_result.strip(), "failed without a reason")
        H.parse_json_field(self, task.task_result, "task_result")
        self.assertRegex(task.task_result.lower(), r"signal|sigkill|killed|retr",
                         "task_result should say why (signal / retries)")
        H.wait_for(lambda: not s.workers(), 10, what="no worker left")


if __name__ == "__main__":
    unittest.main()
