"""Task states over REST, with a stand-in worker that never reports (so a
task stays running until the test moves it): the documented update
(`GET .../update/{id}` with a JSON body), PUT and ?status= forms, the
state machine's refusals, cancel of a running task, delete of an
unfinished one, and the ndjson watch following live changes.
"""

import json
import threading
import time
import unittest

import rest_harness as h

STACK = None
GRAPH = "hugegraph"


def setUpModule():
    global STACK
    # Tasks stay running here until moved: room for all of them at once.
    STACK = h.Stack(fake_worker=True, server_args=["--max-jobs", "64"]).start()
    try:
        STACK.load_graph(GRAPH)
    except BaseException:
        STACK.stop()
        raise


def tearDownModule():
    status = STACK.stop()
    assert status.get("hgc-rest") == 0, "hgc-rest did not stop cleanly: %r" % status


def running_task(case):
    """A task held running by the stand-in worker; cancelled after the test
    (a no-op if the test ended it), so no test leaves a slot taken."""
    tid = STACK.create(body={"worker_instances": "1", "internal_algorithm": "[pagerank]"})
    case.addCleanup(STACK.request, "PUT", "%s/%d" % (STACK.jobs(GRAPH), tid))
    STACK.wait_status(tid, {"running"}, timeout=15)
    return tid


def update_path(tid, graph=GRAPH):
    return "%s/update/%d" % (STACK.jobs(graph), tid)


class Update(h.RestCase):

    def test_documented_update(self):
        tid = running_task(self)
        # Exactly as the document writes it: a GET with a JSON body.
        status, hdrs, data = STACK.request("GET", update_path(tid), b'{"status": "RUNNING"}')
        self.assertEqual(status, 200, data)
        self.assertJsonType(hdrs)
        self.assertEqual(json.loads(data), {"task_id": tid, "message": "success"})
        self.assertEqual(STACK.task(tid)["task_status"], "running")

    def test_moves_through_the_state_machine(self):
        tid = running_task(self)
        _, r = STACK.json("GET", update_path(tid), {"status": "running", "progress": 40},
                          expect=200)
        self.assertEqual(r, {"task_id": tid, "message": "success"})
        t = STACK.task(tid)
        self.assertEqual((t["task_status"], t["task_progress"]), ("running", 40))
        # PUT and ?status= are the same call
        STACK.json("PUT", update_path(tid) + "?status=RUNNING", expect=200)
        STACK.json("PUT", update_path(tid), {"status": "SUCCEEDED", "message": "done"},
                   expect=200)
        t = STACK.task(tid)
        self.assertEqual(t["task_status"], "success")
        self.assertEqual(t["task_progress"], 100)
        self.assertGreaterEqual(t["task_update"], t["task_create"])

    def test_forbidden_move_is_400_and_changes_nothing(self):
        tid = running_task(self)
        STACK.json("GET", update_path(tid), {"status": "FAILED", "message": "broken"}, expect=200)
        before = STACK.task(tid)
        self.assertEqual(before["task_status"], "failed")
        for word in ("RUNNING", "SUCCEEDED", "queued", "cancelled"):
            with self.subTest(word=word):
                self.assertError(STACK.request("GET", update_path(tid), {"status": word}), 400,
                                 h.EXC_ILLEGAL)
        self.assertEqual(STACK.task(tid), before)

    def test_bad_update_bodies(self):
        tid = running_task(self)
        before = STACK.task(tid)
        for body in ({"status": "FLYING"}, {"status": "RUNNING", "progress": 101},
                     {"status": "RUNNING", "progress": "lots"}, {"state": "RUNNING"}, {}):
            with self.subTest(body=body):
                self.assertError(STACK.request("GET", update_path(tid), body), 400, h.EXC_ILLEGAL)
        self.assertEqual(STACK.task(tid), before)

    def test_update_unknown_task_or_graph_is_404(self):
        self.assertError(STACK.request("GET", update_path(999999), {"status": "RUNNING"}), 404,
                         h.EXC_NOT_FOUND)
        self.assertError(STACK.request("GET", update_path(1, "nograph"), {"status": "RUNNING"}),
                         404, h.EXC_NOT_FOUND)


class CancelDelete(h.RestCase):

    def test_delete_unfinished_is_400_saying_cancel_first(self):
        tid = running_task(self)
        body = self.assertError(STACK.request("DELETE", "%s/%d" % (STACK.jobs(GRAPH), tid)), 400,
                                h.EXC_ILLEGAL)
        self.assertIn("cancel", body["message"])
        self.assertEqual(STACK.task(tid)["task_status"], "running")

    def test_cancel_running_then_delete(self):
        tid = running_task(self)
        status, hdrs, data = STACK.request("PUT", "%s/%d" % (STACK.jobs(GRAPH), tid))
        self.assertEqual((status, data), (204, b""))
        t = STACK.wait_status(tid, timeout=30)
        self.assertEqual(t["task_status"], "cancelled")
        status, _, data = STACK.request("DELETE", "%s/%d" % (STACK.jobs(GRAPH), tid))
        self.assertEqual(status, 200, data)
        self.assertEqual(json.loads(data), {"task_id": tid, "message": "success"})

    def test_cancel_unknown_is_404(self):
        self.assertError(STACK.request("PUT", STACK.jobs(GRAPH) + "/999999"), 404, h.EXC_NOT_FOUND)
        self.assertError(STACK.request("DELETE", STACK.jobs(GRAPH) + "/999999"), 404,
                         h.EXC_NOT_FOUND)


class Watch(h.RestCase):

    def test_watch_follows_changes_until_final(self):
        tid = running_task(self)
        c = STACK.conn(timeout=60)
        try:
            c.request("GET", "%s/%d/watch" % (STACK.jobs(GRAPH), tid))
            r = c.getresponse()
            self.assertEqual(r.status, 200)
            self.assertEqual(r.getheader("Content-Type"), "application/x-ndjson")
            first = json.loads(r.readline())
            self.assertEqual(first["task_status"], "running")
            STACK.json("GET", update_path(tid), {"status": "RUNNING", "progress": 50}, expect=200)
            STACK.json("GET", update_path(tid), {"status": "SUCCEEDED"}, expect=200)
            lines = [json.loads(line) for line in r.read().splitlines() if line.strip()]
        finally:
            c.close()
        self.assertTrue(lines, "no line after the first")
        self.assertEqual(lines[-1]["task_status"], "success")
        self.assertNotIn("error", lines[-1])
        self.assertIn(50, [t["task_progress"] for t in lines])

    def test_deadline_inside_a_stream_ends_with_an_error_line(self):
        tid = running_task(self)
        t0 = time.monotonic()
        status, hdrs, data = STACK.request("GET", "%s/%d/watch" % (STACK.jobs(GRAPH), tid),
                                           headers={"Request-Timeout": "700"})
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - t0, h.T(20))
        lines = [json.loads(line) for line in data.splitlines()]
        self.assertEqual(lines[0]["task_status"], "running")
        self.assertEqual(set(lines[-1]), {"error"}, lines[-1])
        err = lines[-1]["error"]
        self.assertEqual(err["status"], 504)
        self.assertEqual(set(err) - {"status"}, h.ERROR_FIELDS)

    def test_client_leaving_a_watch_does_not_hurt(self):
        tid = running_task(self)
        for _ in range(5):
            c = STACK.conn()
            c.request("GET", "%s/%d/watch" % (STACK.jobs(GRAPH), tid))
            r = c.getresponse()
            r.readline()
            c.close()  # gone mid-stream
        # The watches end when the task does; the bridge keeps serving.
        STACK.json("GET", update_path(tid), {"status": "SUCCEEDED"}, expect=200)
        STACK.json("GET", "/healthz", expect=200)


if __name__ == "__main__":
    unittest.main()
