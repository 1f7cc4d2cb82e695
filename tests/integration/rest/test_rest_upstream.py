"""hgc-rest when the job service is not there, and hgc-rest as a program:
an upstream that goes down gives 503 with a sentence naming it, /healthz
says so, the bridge stays up and recovers when the service is back; a
stream cut by the service's end finishes with an error line; flags,
environment, a port in use, clean stop on SIGTERM and SIGINT.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import rest_harness as h

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from procs import free_port  # noqa: E402  (tests/integration/procs.py)


class UpstreamDown(h.RestCase):

    def setUp(self):
        self.stack = h.Stack(fake_worker=True).start()
        self.addCleanup(self.stack.stop)

    def assertUnreachable(self, answer, upstream):
        body = self.assertError(answer, 503, h.EXC_UNAVAILABLE)
        self.assertIn("the job service at %s is not reachable" % upstream, body["message"])

    def test_down_then_back(self):
        st = self.stack
        st.load_graph("hugegraph")
        tid = st.create(body={"worker_instances": "1"})
        st.wait_status(tid, {"running"})
        upstream = st.server.addr
        port = st.server.port
        _, health = st.json("GET", "/healthz", expect=200)
        self.assertEqual(health["status"], "SERVING")

        # A watch in progress when the service goes away.
        c = st.conn(timeout=60)
        c.request("GET", "%s/%d/watch" % (st.jobs(), tid))
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        self.assertEqual(json.loads(r.readline())["task_status"], "running")

        self.assertIsNotNone(st.server.stop(), "hgc-server did not stop")
        rest_lines = [json.loads(x) for x in r.read().splitlines() if x.strip()]
        c.close()
        self.assertTrue(rest_lines and set(rest_lines[-1]) == {"error"}, rest_lines)
        self.assertEqual(set(rest_lines[-1]["error"]) - {"status"}, h.ERROR_FIELDS)

        # Every call: 503, a sentence that names the upstream.
        for method, path, body, ct in (
                ("GET", st.jobs() + "?limit=100", None, None),
                ("POST", st.jobs() + "/page-rank", h.DOC_CREATE_BODY, None),
                ("GET", "%s/%d" % (st.jobs(), tid), None, None),
                ("PUT", "%s/%d" % (st.jobs(), tid), None, None),
                ("GET", "%s/update/%d" % (st.jobs(), tid), b'{"status": "RUNNING"}', None),
                ("GET", "%s/%d/result" % (st.jobs(), tid), None, None),
                ("GET", "%s/%d/watch" % (st.jobs(), tid), None, None),
                ("POST", "/graphs/other/edges", b"1 2\n", "text/plain")):
            with self.subTest(method=method, path=path):
                self.assertUnreachable(st.request(method, path, body, content_type=ct), upstream)
        status, hdrs, data = st.request("GET", "/healthz")
        self.assertEqual(status, 503, data)
        self.assertJsonType(hdrs)
        health = json.loads(data)
        self.assertEqual(health["upstream"], upstream)
        self.assertNotEqual(health["status"], "SERVING")
        self.assertIn("not reachable", health["message"])
        # The bridge itself still answers what needs no upstream.
        st.json("GET", "/openapi.json", expect=200)
        self.assertError(st.request("GET", "/nowhere"), 404, h.EXC_NOT_FOUND)
        self.assertTrue(st.rest.alive())

        # The service is back on the same address: so is the bridge.
        st.restart_server(port)
        deadline = time.monotonic() + h.T(30)
        while st.request("GET", "/healthz")[0] != 200:
            self.assertLess(time.monotonic(), deadline, "the bridge never reconnected")
            time.sleep(0.2)
        tasks = st.tasks()
        self.assertIn(tid, [t["id"] for t in tasks])

    def test_nothing_listening_from_the_start(self):
        port = free_port()
        p = h.Proc("hgc-rest-alone", [h.REST_BIN, "--listen", "127.0.0.1:0", "--upstream",
                                      "127.0.0.1:%d" % port], self.stack.tmp)
        p.start()
        try:
            conn_stack = h.rest_client(p)
            self.assertUnreachable(conn_stack.request("GET", "/graphs/g/jobs/computerdis"),
                                   "127.0.0.1:%d" % port)
            self.assertEqual(conn_stack.request("GET", "/healthz")[0], 503)
            self.assertTrue(p.alive())
        finally:
            self.assertEqual(p.stop(), 0)


class UnixSocket(h.RestCase):
    """hgc-server on a unix socket (--listen unix:PATH) and hgc-rest with
    --upstream unix:PATH: a load, a job that runs to success (its worker
    reports through the socket), its result."""

    def test_a_job_through_a_unix_socket(self):
        st = h.Stack(unix_socket=True).start()
        self.addCleanup(st.stop)
        self.assertTrue(st.server.addr.startswith("unix:"), st.server.addr)
        st.load_graph("u")
        tid = st.create("u")
        self.assertEqual(st.wait_status(tid, graph="u")["task_status"], "success")
        _, res = st.json("GET", "%s/%d/result" % (st.jobs("u"), tid), expect=200)
        self.assertEqual(len(res["rows"]), 10, res)


class Program(unittest.TestCase):

    def run_rest(self, args, env=None, timeout=10):
        e = dict(os.environ)
        e.update(env or {})
        return subprocess.run([h.REST_BIN] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=h.T(timeout), env=e, stdin=subprocess.DEVNULL)

    def setUp(self):
        if not h.REST_BIN:
            self.skipTest("hgc-rest not built")

    def test_help(self):
        r = self.run_rest(["--help"])
        self.assertEqual(r.returncode, 0)
        for flag in (b"--listen", b"--upstream", b"--max-body", b"--timeout-ms", b"--help"):
            self.assertIn(flag, r.stdout)

    def test_bad_flags(self):
        for args in (["--bogus"], ["--listen"], ["--listen", "nohost"], ["--max-body", "0"],
                     ["--max-body", "-5"], ["--timeout-ms", "abc"], ["--upstream", "x:99999"]):
            with self.subTest(args=args):
                r = self.run_rest(args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(b"hgc-rest:", r.stderr)

    def test_bad_environment(self):
        r = self.run_rest([], env={"HGC_REST_TIMEOUT_MS": "never"})
        self.assertEqual(r.returncode, 2)
        self.assertIn(b"HGC_REST_TIMEOUT_MS", r.stderr)

    def test_port_in_use(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        try:
            r = self.run_rest(["--listen", "127.0.0.1:%d" % s.getsockname()[1]])
            self.assertEqual(r.returncode, 1)
            # One line with the reason; libmicrohttpd's own ("Failed to
            # bind to port 0") is not shown.
            self.assertEqual(r.stderr.decode(), "hgc-rest: cannot listen on 127.0.0.1:%d: "
                             "Address already in use\n" % s.getsockname()[1])
        finally:
            s.close()

    def test_environment_and_signals(self):
        tmp = tempfile.mkdtemp(prefix="hgc-rest-prog-")
        self.addCleanup(shutil.rmtree, tmp, True)
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(sig=sig):
                p = h.Proc("rest", [h.REST_BIN], tmp)
                self.addCleanup(p.stop, signal.SIGKILL)
                os.environ["HGC_REST_LISTEN"] = "127.0.0.1:0"
                os.environ["HGC_UPSTREAM"] = "127.0.0.1:1"
                try:
                    p.start()
                finally:
                    del os.environ["HGC_REST_LISTEN"]
                    del os.environ["HGC_UPSTREAM"]
                self.assertTrue(p.addr.startswith("127.0.0.1:"))
                st = h.rest_client(p)
                _, health = st.json("GET", "/healthz", expect=503)
                self.assertEqual(health["upstream"], "127.0.0.1:1")
                self.assertEqual(p.stop(sig), 0)
                self.assertIn("GET /healthz 503", p.stderr())  # one log line a request


if __name__ == "__main__":
    unittest.main()
