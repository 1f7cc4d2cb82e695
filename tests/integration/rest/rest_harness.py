"""Harness of the REST integration tests: a real hgc-server (with the real
hgc-worker, or a stand-in that only sleeps, for tests that need a task to
stay running) and a real hgc-rest in front of it, both on free loopback
ports, talked to over HTTP/1.1 with http.client so that every byte sent is
the test's choice.

Run with /usr/bin/python3 (the python3 first on PATH may lack Debian's
modules; this harness needs only the standard library, but stay with the
one interpreter the other integration tests use).

Environment (set by tests/integration/rest/CMakeLists.txt):
  HGC_SERVER_BIN, HGC_WORKER_BIN, HGC_REST_BIN   the programs
  HGC_TEST_DATA      the test data (default tests/data)
  HGC_KEEP_TMP=1     keep the temp dirs (data dirs, stderr logs)
  HGC_TIME_SCALE     multiply every bounded wait (default 1; 4 for ASan builds)

Every process started here is stopped when its Stack stops (SIGTERM, then
SIGKILL after a bounded wait) and also dies with the test runner
(PR_SET_PDEATHSIG), so a failing or interrupted test leaves nothing behind.
"""

import ctypes
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TEST_DATA = os.path.abspath(
    os.environ.get("HGC_TEST_DATA") or os.path.join(SOURCE_DIR, "tests", "data"))
GRAPHALYTICS = os.path.join(TEST_DATA, "graphalytics")

FINAL = frozenset({"success", "cancelled", "failed"})
STATUSES = frozenset({"new", "scheduling", "scheduled", "queued", "restoring", "running",
                      "success", "cancelling", "cancelled", "failed"})
TASK_FIELDS = {"id": int, "task_type": str, "task_name": str, "task_status": str,
               "task_progress": int, "task_create": int, "task_update": int,
               "task_retries": int, "task_server": str}
ERROR_FIELDS = {"exception", "message", "cause"}
EXC_ILLEGAL = "class java.lang.IllegalArgumentException"
EXC_NOT_FOUND = "class com.baidu.hugegraph.exception.NotFoundException"
EXC_NOT_SUPPORTED = "class javax.ws.rs.NotSupportedException"
EXC_UNAVAILABLE = "class javax.ws.rs.ServiceUnavailableException"

DOC_CREATE_BODY = (b'{"worker_instances": "2", "internal_algorithm": "[pagerank]", '
                   b'"params_class": "com.baidu.hugegraph.computer.algorithm.rank.pagerank.PageRankParams"}')


def _find_bin(env, name):
    p = os.environ.get(env)
    if p:
        return os.path.abspath(p)
    for d in (os.environ.get("HGC_BIN_DIR"), os.path.join(SOURCE_DIR, "build", "bin")):
        if d and os.access(os.path.join(d, name), os.X_OK):
            return os.path.join(d, name)
    return None


SERVER_BIN = _find_bin("HGC_SERVER_BIN", "hgc-server")
WORKER_BIN = _find_bin("HGC_WORKER_BIN", "hgc-worker")
REST_BIN = _find_bin("HGC_REST_BIN", "hgc-rest")


def _is_asan(path):
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except (OSError, TypeError):
        return False


SANITIZED = _is_asan(REST_BIN)  # ASan's redzones and quarantine inflate memory figures
TIME_SCALE = float(os.environ.get("HGC_TIME_SCALE") or (4 if SANITIZED else 1))


def T(seconds):
    """A bounded wait, scaled for slow (sanitizer) builds."""
    return seconds * TIME_SCALE


_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    _libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


# A worker that never reports: its task stays "running" until someone
# (the test, through update or cancel) moves it. It leaves when the server
# that started it goes away.
FAKE_WORKER = """#!/bin/sh
while kill -0 $PPID 2>/dev/null; do sleep 0.2; done
"""


class Proc:
    """One program of the stack; stdout and stderr go to files in tmp."""

    def __init__(self, name, argv, tmp):
        self.name, self.argv, self.tmp = name, argv, tmp
        self.out_path = os.path.join(tmp, name + ".out")
        self.err_path = os.path.join(tmp, name + ".err")
        self.p = None
        self.addr = None

    def start(self):
        with open(self.out_path, "wb") as out, open(self.err_path, "ab") as err:
            self.p = subprocess.Popen(self.argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                      preexec_fn=_die_with_parent, cwd=self.tmp)
        deadline = time.monotonic() + T(15)
        while time.monotonic() < deadline:
            with open(self.out_path) as f:
                for line in f:
                    if line.startswith("listening on "):
                        self.addr = line.split()[-1]
                        return self.addr
            if self.p.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("%s did not say 'listening on': %s\n%s" % (
            self.name, " ".join(self.argv), self.stderr()[-3000:]))

    @property
    def port(self):
        return int(self.addr.rsplit(":", 1)[1])

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def stop(self, sig=signal.SIGTERM, grace=None):
        """Stops the program; its exit status (None if it had to be killed)."""
        if self.p is None:
            return None
        if self.p.poll() is None:
            try:
                self.p.send_signal(sig)
                return self.p.wait(timeout=T(grace or 10))
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(timeout=T(10))
                return None
        return self.p.returncode

    def stderr(self):
        try:
            with open(self.err_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stacks(self):
        """Every thread's backtrace of the running program (gdb), for a
        failure's message: where a call that never answered is waiting."""
        if not self.alive():
            return "(%s is not running)" % self.name
        try:
            r = subprocess.run(["gdb", "-p", str(self.p.pid), "-batch", "-nx",
                                "-ex", "thread apply all bt"],
                               capture_output=True, text=True, timeout=T(60))
        except (OSError, subprocess.TimeoutExpired) as e:
            return "(no backtraces: %s)" % e
        return r.stdout or r.stderr


class Stack:
    """hgc-server (+ worker) and hgc-rest on free loopback ports."""

    def __init__(self, fake_worker=False, rest_args=(), server_args=(), unix_socket=False):
        for name, path in (("hgc-server", SERVER_BIN), ("hgc-worker", WORKER_BIN),
                           ("hgc-rest", REST_BIN)):
            if not path or not os.access(path, os.X_OK):
                raise unittest.SkipTest("%s not built (set HGC_%s_BIN)" % (
                    name, name.split("-")[1].upper()))
        self.tmp = tempfile.mkdtemp(prefix="hgc-rest-it-")
        self.data_dir = os.path.join(self.tmp, "data")
        worker = WORKER_BIN
        if fake_worker:
            worker = os.path.join(self.tmp, "fake-worker.sh")
            with open(worker, "w") as f:
                f.write(FAKE_WORKER)
            os.chmod(worker, 0o755)
        # unix_socket: hgc-server on a unix socket in tmp, hgc-rest's upstream
        listen = "unix:" + os.path.join(self.tmp, "hgc.sock") if unix_socket else "127.0.0.1:0"
        self.server_argv = [SERVER_BIN, "--listen", listen, "--data-dir", self.data_dir,
                            "--worker", worker] + list(server_args)
        self.rest_args = list(rest_args)
        self.server = None
        self.rest = None

    def start(self):
        try:
            self.server = Proc("hgc-server", self.server_argv, self.tmp)
            self.server.start()
            self.rest = Proc("hgc-rest", [REST_BIN, "--listen", "127.0.0.1:0", "--upstream",
                                          self.server.addr] + self.rest_args, self.tmp)
            self.rest.start()
        except BaseException:
            self.stop()
            raise
        return self

    def restart_server(self, port):
        """A new hgc-server on the same data dir and `port`."""
        argv = list(self.server_argv)
        argv[argv.index("--listen") + 1] = "127.0.0.1:%d" % port
        self.server = Proc("hgc-server", argv, self.tmp)
        self.server.start()

    def stop(self):
        status = {}
        for p in (self.rest, self.server):
            if p is not None:
                status[p.name] = p.stop()
        if os.environ.get("HGC_KEEP_TMP"):
            sys.stderr.write("kept %s\n" % self.tmp)
        else:
            shutil.rmtree(self.tmp, True)
        return status

    # ---------------------------------------------------------------- HTTP

    def conn(self, timeout=None):
        return http.client.HTTPConnection("127.0.0.1", self.rest.port, timeout=T(timeout or 30))

    def request(self, method, path, body=None, headers=None, content_type=None, timeout=None):
        """One request on a new connection: (status, headers (lower-case
        names), body bytes). A str or dict body is sent as JSON with
        Content-Type application/json unless content_type says otherwise."""
        hdrs = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        if body is not None and content_type is None and not any(
                k.lower() == "content-type" for k in hdrs):
            content_type = "application/json"
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        c = self.conn(timeout)
        try:
            c.request(method, path, body=body, headers=hdrs)
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def json(self, method, path, body=None, expect=None, **kw):
        """A request whose answer must be JSON (application/json); the parsed
        value. `expect`: the status it must have."""
        status, hdrs, data = self.request(method, path, body, **kw)
        if expect is not None and status != expect:
            raise AssertionError("%s %s: expected %d, got %d: %s" % (
                method, path, expect, status, data[:2000].decode(errors="replace")))
        ct = hdrs.get("content-type", "")
        if ct.split(";")[0].strip() != "application/json":
            raise AssertionError("%s %s: Content-Type %r, not application/json" % (method, path, ct))
        return status, json.loads(data)

    # ---------------------------------------------------------------- helpers

    def load_graph(self, graph, path=None, text=None):
        if text is None:
            with open(path or os.path.join(GRAPHALYTICS, "example-directed.e"), "rb") as f:
                text = f.read()
        return self.json("POST", "/graphs/%s/edges" % graph, text, expect=201,
                         content_type="text/plain")[1]

    def jobs(self, graph="hugegraph"):
        return "/graphs/%s/jobs/computerdis" % graph

    def create(self, graph="hugegraph", algorithm="page-rank", body=None):
        _, j = self.json("POST", "%s/%s" % (self.jobs(graph), algorithm),
                         DOC_CREATE_BODY if body is None else body, expect=201)
        return j["task_id"]

    def task(self, task_id, graph="hugegraph"):
        return self.json("GET", "%s/%d" % (self.jobs(graph), task_id), expect=200)[1]

    def wait_status(self, task_id, want=FINAL, graph="hugegraph", timeout=60):
        deadline = time.monotonic() + T(timeout)
        t = None
        while time.monotonic() < deadline:
            t = self.task(task_id, graph)
            if t["task_status"] in want:
                return t
            time.sleep(0.05)
        raise AssertionError("task %d never reached %s; last: %r" % (task_id, sorted(want), t))

    def tasks(self, graph="hugegraph"):
        return self.json("GET", self.jobs(graph) + "?limit=-1", expect=201)[1]["tasks"]

    def graphs(self):
        return self.json("GET", "/graphs", expect=200)[1]

    def snapshot(self, graph="hugegraph"):
        """Everything stored that a bad request could change."""
        return {"tasks": self.tasks(graph), "graphs": self.graphs()}


def rest_client(proc):
    """A Stack's HTTP helpers for an hgc-rest started alone."""
    st = Stack.__new__(Stack)
    st.rest, st.server = proc, None
    return st


class RestCase(unittest.TestCase):
    """Base: checks of answers in HugeGraph's shapes."""

    def assertJsonType(self, hdrs):
        ct = hdrs.get("content-type", "")
        self.assertEqual(ct.split(";")[0].strip(), "application/json", ct)

    def assertError(self, answer, status, exception=None, contains=None):
        """answer: (status, headers, body) of a refusal."""
        got, hdrs, data = answer
        self.assertEqual(got, status, data[:1000])
        self.assertJsonType(hdrs)
        body = json.loads(data)
        self.assertIsInstance(body, dict)
        self.assertEqual(set(body), ERROR_FIELDS, body)
        for k in ERROR_FIELDS:
            self.assertIsInstance(body[k], str, body)
        self.assertEqual(body["cause"], "")
        self.assertTrue(body["message"], body)
        if exception:
            self.assertEqual(body["exception"], exception, body)
        if contains:
            self.assertIn(contains.lower(), body["message"].lower(), body)
        return body

    def assertTaskSummary(self, t):
        self.assertEqual(set(t), set(TASK_FIELDS), t)
        for k, typ in TASK_FIELDS.items():
            self.assertIs(type(t[k]), typ, "%s: %r" % (k, t))
        self.assertEqual(t["task_type"], "computer-proxy")
        self.assertTrue(t["task_name"].startswith("computer-proxy:"), t)
        self.assertIn(t["task_status"], STATUSES)
        self.assertTrue(0 <= t["task_progress"] <= 100, t)
        self.assertGreater(t["task_create"], 10**12, t)  # epoch milliseconds
        self.assertGreaterEqual(t["task_update"], t["task_create"], t)
        self.assertGreaterEqual(t["task_retries"], 0)
        self.assertTrue(t["task_server"])
