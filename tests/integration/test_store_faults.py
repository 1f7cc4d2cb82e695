"""Faults of the disk at the scheduler's worst moments. The scheduler
records a task running, then starts its worker, then records the
worker's end. Each fault below once left a task "running" with no worker
until the service restarted.

- A worker that cannot start, on a disk that is full at that moment: the
  record of the failure is refused too. The task must end failed, saying
  why, once the disk has room again, without a restart.
- The move to running commits, but the sync after it fails: the task is
  running as far as every reader can see, and must get its worker.
- A worker's end is recorded (the task goes back to the queue), but the
  sync after it fails: the record is tried again, and must not count the
  attempt twice or take the next attempt's worker for this one's.
- A worker's progress reports are answered without waiting for a sync,
  so a failing sync neither holds nor fails them.
- A worker's last report (success, with its result) commits, but the
  sync after it fails. On an I/O error the worker is answered UNAVAILABLE
  and reports again until it gives up; a repeat of the same attempt's end
  is taken as done once a sync goes through. On a full disk it is
  answered RESOURCE_EXHAUSTED, final. Whether the disk is back before the
  worker gives up or only after it has exited, the task stays success
  with its result, once, and its log says nothing was refused.

hgc-server runs with fault_shim.c preloaded, which makes each fault
happen for real at that moment (the file says how). The full disk is a
small tmpfs (skipped with a message where mounting is refused).
"""

import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import grpc, jobs_pb2  # noqa: E402

SHIM = os.environ.get("HGC_FAULT_SHIM", "")


class StoreFaults(H.IntegrationTest):

    def setUp(self):
        super().setUp()
        if not SHIM or not os.path.exists(SHIM):
            self.fail("HGC_FAULT_SHIM=%r: the fault_shim library is not built" % SHIM)

    def start_faulty(self, data_dir=None, **faults):
        """hgc-server with fault_shim.c preloaded and `faults` in its
        environment. verify_asan_link_order: the library comes before the
        sanitizer runtime in a sanitizer build; harmless elsewhere."""
        asan = os.environ.get("ASAN_OPTIONS", "")
        env = dict(faults, LD_PRELOAD=SHIM,
                   ASAN_OPTIONS=(asan + ":" if asan else "") + "verify_asan_link_order=0")
        return self.start_server(data_dir=data_dir, env=env)

    def mount_tmpfs(self):
        self.mnt = os.path.join(self.tmp, "mnt")
        os.makedirs(self.mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", self.mnt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise unittest.SkipTest("cannot mount a tmpfs for the data dir (%s): this test needs "
                                    "root (CI runs as root)" % (r.stderr.strip() or r.returncode))
        self.addCleanup(self.unmount)

    def unmount(self):
        # Cleanups run last in, first out: this one before the harness's,
        # so the servers stop here first (the test checks its own exit).
        for s in self.servers:
            s.stop()
        subprocess.run(["umount", self.mnt], capture_output=True)

    def test_a_start_refused_on_a_full_disk_ends_failed_once_there_is_room(self):
        self.mount_tmpfs()
        filler = os.path.join(self.mnt, "filler")
        s = self.start_faulty(os.path.join(self.mnt, "data"), HGC_FILL_ON_SPAWN=filler)
        H.load_text(s, "g", H.edges_text([(1, 2), (2, 3), (3, 1)]))
        tid = H.create_job(s, "g", "page-rank")

        def task():
            return s.jobs.GetJob(jobs_pb2.GetJobRequest(graph="g", task_id=tid))

        # The start filled the disk and failed; recording that fails too.
        H.wait_for(lambda: os.path.exists(filler), 30, what="the worker's start (the filler)")
        time.sleep(H.T(1.5))  # a retry or two, still refused
        self.assertEqual(task().task_status, "running", "the disk is full: nothing recorded yet")

        os.unlink(filler)
        t = self.wait_task(s, "g", tid, timeout=30)
        self.assertTaskStatus(t, "failed")
        self.assertIn("(trying again)", s.stderr_tail(), "what the server said meanwhile")
        self.assertIn("cannot start the worker", t.task_result)
        self.assertIn("No space left on device", t.task_result)
        self.assertEqual(s.workers(), [], "no worker ever ran")
        # The service works on: the next job (no more filling) succeeds.
        s.env.pop("HGC_FILL_ON_SPAWN")
        s.restart()
        self.assertTaskStatus(task(), "failed")
        ok = H.create_job(s, "g", "page-rank")
        self.assertTaskStatus(self.wait_task(s, "g", ok), "success")
        self.assertEqual(s.stop(), 0, "hgc-server's exit on SIGTERM")

    def test_a_start_whose_sync_fails_still_gets_its_worker(self):
        flag = os.path.join(self.tmp, "fail-syncs")
        s = self.start_faulty(HGC_FAIL_SYNC_THREAD="hgc-scheduler", HGC_FAIL_SYNC_WHILE=flag)
        H.load_text(s, "g", H.edges_text([(1, 2), (2, 3), (3, 1)]))
        open(flag, "w").close()  # from now on, every sync the scheduler leads fails
        try:
            tid = H.create_job(s, "g", "page-rank")
        except grpc.RpcError as e:
            # The scheduler's failing round can cover CreateJob's commit
            # too (a slow build): refused, and stored all the same.
            self.assertEqual(e.code(), grpc.StatusCode.UNAVAILABLE, e.details())
            self.assertIn("may not survive a power cut", e.details())
            tid = H.list_tasks(s, "g")[0].id
        t = self.wait_task(s, "g", tid, timeout=30)
        self.assertTaskStatus(t, "success")
        said = s.stderr_tail()
        self.assertIn("may not survive a power cut", said)
        self.assertIn("it starts all the same", said)
        os.unlink(flag)
        s.restart()
        self.assertTaskStatus(s.jobs.GetJob(jobs_pb2.GetJobRequest(graph="g", task_id=tid)),
                              "success")

    def test_a_workers_end_whose_sync_fails_counts_once(self):
        flag = os.path.join(self.tmp, "fail-syncs")
        s = self.start_faulty(HGC_FAIL_SYNC_THREAD="hgc-scheduler", HGC_FAIL_SYNC_WHILE=flag,
                              HGC_WORKER_PACE_MS="200")
        H.load_slow_graph(s, "g")
        # threshold 0 on the oscillating graph: all 15 steps run, 0.2 s apart
        tid = H.create_job(s, "g", "page-rank", H.pr_params(H.SLOW_ALPHA, "0", 15))
        first = H.wait_running_with_worker(s, "g", tid)
        open(flag, "w").close()  # from now on, every sync the scheduler leads fails
        os.kill(first[0].pid, signal.SIGKILL)

        def task():
            return s.jobs.GetJob(jobs_pb2.GetJobRequest(graph="g", task_id=tid))

        # The end is recorded (retry 1) and its sync fails; attempt 2 starts.
        H.wait_for(lambda: task().task_retries == 1 and s.workers(task_id=tid, graph="g") and
                   all(p.pid != first[0].pid for p in s.workers(task_id=tid, graph="g")), 30,
                   what="attempt 2 with its worker")
        time.sleep(H.T(2.5))  # the failed record is tried again meanwhile
        os.unlink(flag)
        t = self.wait_task(s, "g", tid, timeout=60)
        self.assertTaskStatus(t, "success")
        self.assertEqual(t.task_retries, 1, "one worker was killed: one retry")

    def test_a_workers_success_whose_sync_fails_stays_success(self):
        # The outage ends while the worker still reports (its tries span
        # about 3 s), or after it gave up and exited; or the sync finds
        # the disk full, which the worker does not retry.
        for outage, full in ((0.5, False), (6, False), (0.5, True)):
            with self.subTest(outage=outage, full=full):
                self.check_success_report_outage(outage, full)

    def check_success_report_outage(self, outage, full):
        flag = os.path.join(self.tmp, "fail-syncs-%s-%s" % (outage, full))
        # Unnamed threads are "hgc-server": the handlers of the worker's reports.
        s = self.start_faulty(HGC_FAIL_SYNC_THREAD="hgc-server", HGC_FAIL_SYNC_WHILE=flag,
                              HGC_FAIL_SYNC_FULL="1" if full else "0", HGC_WORKER_PACE_MS="200")
        edges = H.load_slow_graph(s, "g")
        tid = H.create_job(s, "g", "page-rank", H.pr_params(H.SLOW_ALPHA, "0", 5))
        H.wait_running_with_worker(s, "g", tid)
        open(flag, "w").close()  # from now on, every sync a handler leads fails

        def task():
            return s.jobs.GetJob(jobs_pb2.GetJobRequest(graph="g", task_id=tid))

        H.wait_for(lambda: task().task_status == "success", 30, what="the success committed")
        time.sleep(H.T(outage))
        os.unlink(flag)
        H.wait_for(lambda: not s.workers(task_id=tid, graph="g"), 30, what="the worker's exit")
        time.sleep(H.T(1.5))  # whatever the scheduler does with the worker's exit
        self.assertIn("cannot sync", s.stderr_tail())
        logs = "\n".join(text for _, text in s.task_logs())
        # Its progress reports are answered without a sync: none fails.
        self.assertNotIn("report RUNNING", logs)
        self.assertNotIn("refused RUNNING", logs)
        if not full:  # the repeat was taken (on a full disk the worker doesn't repeat)
            self.assertNotIn("server refused SUCCEEDED", logs)
        for when in ("after the outage", "after a restart"):
            t = task()
            self.assertTaskStatus(t, "success")
            self.assertEqual(t.task_retries, 0, when)
            self.assertEqual(s.workers(), [], when)
            ranks = H.read_result(s, "g", tid).as_dict()
            self.assertEqual(len(ranks), len({v for e in edges for v in e}), when)
            if when == "after the outage":
                s.restart()
        self.assertEqual(s.stop(), 0, "hgc-server's exit on SIGTERM")


if __name__ == "__main__":
    unittest.main()
