"""Harness of the integration tests: real hgc-server / hgc-worker / hgc
processes on loopback, driven over gRPC by an independent Python client.

Run the tests with /usr/bin/python3 only (Debian's grpcio, protobuf, numpy,
networkx are visible to it alone).

Environment (set by tests/integration/CMakeLists.txt; all optional when
running by hand from a build in <repo>/build):
  HGC_SERVER_BIN, HGC_WORKER_BIN, HGC_CLI_BIN  the three programs
  HGC_BIN_DIR       fallback directory to look for them
  HGC_TEST_DATA     the test data (default tests/data)
  HGC_SOURCE_DIR    the repository (for proto/)
  HGC_KEEP_TMP=1    keep temp dirs (data dirs, server stderr) after the run
  HGC_TIME_SCALE    multiply every bounded wait (default 1, 4 for ASan builds)

The Python stubs are generated at import time with the system protoc and
grpc_python_plugin into a temp dir (never Debian's grpc_tools).

Beside it: procs.py (/proc readings: which hgc-worker belongs to whom) and
graph_data.py (the datasets, generators and numpy references); the names
tests use from them are re-exported here.
"""

import atexit
import ctypes
import faulthandler
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import grpc

from graph_data import (GRAPHALYTICS, SOURCE_DIR, TEST_DATA, Dataset,  # noqa: F401
                        bipartite_cycle_graph, compare_ranks, id_order_key, parse_id,
                        random_digraph, read_properties, reference_pagerank)
from procs import Proc, all_procs, free_port, proc_alive, read_proc, worker_procs  # noqa: F401

GRPC_PROTO_DIR = "/usr/share/grpc-proto"

# DropGraphRequest.confirm_message must be this sentence (HugeGraph's guard).
DROP_CONFIRM = "I'm sure to drop the graph"

FINAL = frozenset({"success", "cancelled", "failed"})
STATUSES = frozenset({"new", "scheduling", "scheduled", "queued", "restoring", "running",
                      "success", "cancelling", "cancelled", "failed"})


# --------------------------------------------------------------------------
# Binaries

def _find_bin(env, name, subdir):
    p = os.environ.get(env)
    if p:
        return os.path.abspath(p)
    cands = []
    bindir = os.environ.get("HGC_BIN_DIR")
    if bindir:
        cands += [os.path.join(bindir, name), os.path.join(bindir, "..", subdir, name)]
    cands += [os.path.join(SOURCE_DIR, "build", "bin", name), os.path.join(SOURCE_DIR, "build", subdir, name)]
    for c in cands:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


SERVER_BIN = _find_bin("HGC_SERVER_BIN", "hgc-server", "service")
WORKER_BIN = _find_bin("HGC_WORKER_BIN", "hgc-worker", "algo")
CLI_BIN = _find_bin("HGC_CLI_BIN", "hgc", "clients")


def _is_asan(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
        return b"libasan.so" in data or b"__asan_init" in data
    except OSError:
        return False


if os.environ.get("HGC_TIME_SCALE"):
    TIME_SCALE = float(os.environ["HGC_TIME_SCALE"])
else:
    TIME_SCALE = 4.0 if (SERVER_BIN and _is_asan(SERVER_BIN)) or (WORKER_BIN and _is_asan(WORKER_BIN)) else 1.0


def T(seconds):
    """A bounded wait, scaled for slow (sanitizer) builds."""
    return seconds * TIME_SCALE


# --------------------------------------------------------------------------
# Stubs, generated at test time

def _proto_include_dirs():
    dirs = [os.path.join(SOURCE_DIR, "proto"), os.path.join(SOURCE_DIR, "proto", "third_party"),
            GRPC_PROTO_DIR, "/usr/share/gocode/src/github.com/gogo/googleapis", "/usr/include"]
    return [d for d in dirs if os.path.isdir(d)]


def _proto_closure(roots, incs):
    """roots plus every .proto they import (transitively), except
    google/protobuf/* which Python's protobuf package already has."""
    seen, todo = [], list(roots)
    while todo:
        p = todo.pop()
        if p in seen or p.startswith("google/protobuf/"):
            continue
        seen.append(p)
        for d in incs:
            f = os.path.join(d, p)
            if os.path.isfile(f):
                with open(f) as fh:
                    todo += re.findall(r'^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;', fh.read(), re.M)
                break
    return sorted(seen)


def _generate_stubs():
    d = tempfile.mkdtemp(prefix="hgc-it-stubs-")
    atexit.register(shutil.rmtree, d, True)
    incs = _proto_include_dirs()
    ours = sorted("hgc/v1/" + f for f in os.listdir(os.path.join(SOURCE_DIR, "proto", "hgc", "v1"))
                  if f.endswith(".proto"))
    protos = _proto_closure(ours + ["grpc/health/v1/health.proto"], incs)
    cmd = ["protoc"] + ["-I" + i for i in incs] + [
        "--python_out=" + d, "--grpc_out=" + d,
        "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin"] + protos
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise RuntimeError("protoc failed: %s\n%s" % (" ".join(cmd), r.stdout.decode(errors="replace")))
    sys.path.insert(0, d)
    # The generated health module lives in package grpc.health.v1; the real
    # grpc package is a regular package, so add our dir to its search path.
    # (google is a namespace package: google.api merges by itself.)
    grpc.__path__.append(os.path.join(d, "grpc"))
    return d


STUB_DIR = _generate_stubs()
from hgc.v1 import common_pb2, jobs_pb2, jobs_pb2_grpc, graphs_pb2, graphs_pb2_grpc  # noqa: E402
from grpc.health.v1 import health_pb2, health_pb2_grpc  # noqa: E402


class _TimedMethod:
    def __init__(self, method, timeout):
        self._m = method
        self._t = timeout

    def __call__(self, *a, **kw):
        kw.setdefault("timeout", self._t)
        return self._m(*a, **kw)

    def with_call(self, *a, **kw):
        kw.setdefault("timeout", self._t)
        return self._m.with_call(*a, **kw)

    def future(self, *a, **kw):
        kw.setdefault("timeout", self._t)
        return self._m.future(*a, **kw)


class _Timed:
    """Stub wrapper: every call gets a deadline unless the caller gives one."""

    def __init__(self, stub, timeout):
        self._stub = stub
        self._t = timeout

    def __getattr__(self, name):
        return _TimedMethod(getattr(self._stub, name), self._t)


# --------------------------------------------------------------------------
# Processes

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # The server dies if the test runner dies (ctest timeout, ^C).
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


_live_servers = set()


@atexit.register
def _kill_leftovers():
    for s in list(_live_servers):
        try:
            s.kill(signal.SIGKILL)
        except Exception:
            pass
        s.kill_workers()


class ServerError(Exception):
    pass


class Server:
    """One real hgc-server on 127.0.0.1:0 with its own data dir."""

    _seq = 0

    def __init__(self, tmp_root, name=None, max_jobs=None, max_retries=None, extra_args=(),
                 data_dir=None, env=None, listen="127.0.0.1:0"):
        Server._seq += 1
        self.n = Server._seq
        self.data_dir = os.path.realpath(data_dir or os.path.join(tmp_root, "data-%d" % self.n))
        self.stderr_path = os.path.join(tmp_root, "server-%d.stderr" % self.n)
        self.name = name
        self.max_jobs = max_jobs
        self.max_retries = max_retries
        self.extra_args = list(extra_args)
        self.listen = listen  # HOST:PORT, or unix:PATH
        self.env = dict(env or {})  # added to the environment (the workers inherit it)
        self.proc = None
        self.addr = None
        self.channel = None
        self.stdout_lines = []
        self.runs = 0
        self.last_rc = None
        self.final_rc = None

    # --- life cycle
    def argv(self):
        a = [SERVER_BIN, "--listen", self.listen, "--data-dir", self.data_dir,
             "--worker", WORKER_BIN]
        if self.name is not None:
            a += ["--name", self.name]
        if self.max_jobs is not None:
            a += ["--max-jobs", str(self.max_jobs)]
        if self.max_retries is not None:
            a += ["--max-retries", str(self.max_retries)]
        return a + self.extra_args

    def start(self, timeout=None):
        if not SERVER_BIN or not WORKER_BIN:
            raise ServerError("hgc-server or hgc-worker not built (HGC_SERVER_BIN=%r HGC_WORKER_BIN=%r)"
                              % (SERVER_BIN, WORKER_BIN))
        assert threading.current_thread() is threading.main_thread()  # PDEATHSIG is per thread
        os.makedirs(self.data_dir, exist_ok=True)
        self.runs += 1
        with open(self.stderr_path, "ab") as f:
            f.write(("=== run %d: %s\n" % (self.runs, " ".join(self.argv()))).encode())
        err = open(self.stderr_path, "ab")
        try:
            self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=err, preexec_fn=_die_with_parent, close_fds=True,
                                         env=dict(os.environ, **self.env))
        finally:
            err.close()
        _live_servers.add(self)
        q = queue.Queue()
        proc = self.proc

        def reader():
            for line in proc.stdout:
                line = line.decode(errors="replace").rstrip("\n")
                self.stdout_lines.append(line)
                q.put(line)
            q.put(None)

        threading.Thread(target=reader, daemon=True).start()
        deadline = time.monotonic() + (timeout or T(30))
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill(signal.SIGKILL)
                raise ServerError("no 'listening on' line within the timeout; stderr:\n" + self.stderr_tail())
            try:
                line = q.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                rc = proc.wait()
                raise ServerError("hgc-server exited (rc %s) before listening; stderr:\n%s"
                                  % (rc, self.stderr_tail()))
            if self.listen.startswith("unix:") and line.strip() == "listening on " + self.listen:
                self.addr = self.listen
                break
            m = re.search(r"listening on (\S+):(\d+)\s*$", line)
            if m:
                host, port = m.group(1), int(m.group(2))
                if port == 0:
                    raise ServerError("server printed port 0: " + line)
                self.addr = "%s:%d" % (host, port)
                break
        self.channel = grpc.insecure_channel(self.addr)
        grpc.channel_ready_future(self.channel).result(timeout=T(10))
        self.jobs = _Timed(jobs_pb2_grpc.JobServiceStub(self.channel), T(30))
        self.graphs = _Timed(graphs_pb2_grpc.GraphServiceStub(self.channel), T(120))
        self.health = _Timed(health_pb2_grpc.HealthStub(self.channel), T(10))
        return self

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def _close_channel(self):
        if self.channel is not None:
            try:
                self.channel.close()
            except Exception:
                pass
            self.channel = None

    def kill(self, sig=signal.SIGKILL, wait=True):
        """Send sig to the server; with wait, reap it (SIGKILL: at once)."""
        if not self.running():
            return self.proc.returncode if self.proc else None
        os.kill(self.proc.pid, sig)
        if not wait:
            return None
        try:
            rc = self.proc.wait(timeout=T(30))
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            rc = self.proc.wait()
        self.last_rc = rc
        self._close_channel()
        self._close_stdout()
        _live_servers.discard(self)
        return rc

    def _close_stdout(self):
        try:
            self.proc.stdout.close()
        except Exception:
            pass

    def stop(self, timeout=None):
        """SIGTERM, bounded wait, then SIGKILL. Returns the exit code, or
        'timeout' if SIGTERM did not stop it."""
        if self.proc is None:
            return None
        if not self.running():
            self._close_channel()
            self._close_stdout()
            _live_servers.discard(self)
            return self.proc.returncode
        self._close_channel()
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout or T(20))
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            rc = "timeout"
        self.last_rc = rc
        self._close_stdout()
        _live_servers.discard(self)
        return rc

    def restart(self, timeout=None):
        """Start again on the same data dir (the old process must be gone)."""
        if self.running():
            self.stop()
        return self.start(timeout)

    def kill_workers(self):
        for p in worker_procs(self.data_dir):
            try:
                os.kill(p.pid, signal.SIGKILL)
            except OSError:
                pass

    def workers(self, task_id=None, graph=None):
        return worker_procs(self.data_dir, task_id=task_id, graph=graph,
                            server_pid=self.pid if self.running() else None)

    # --- diagnostics
    def stderr_tail(self, lines=80):
        try:
            with open(self.stderr_path, "rb") as f:
                data = f.read().decode(errors="replace").splitlines()
        except OSError:
            return "(no stderr file)"
        return "\n".join(data[-lines:])

    def task_logs(self, lines=40, max_files=12):
        out = []
        root = os.path.join(self.data_dir, "logs")
        for dirpath, _, files in os.walk(root):
            for fn in sorted(files):
                p = os.path.join(dirpath, fn)
                try:
                    with open(p, "rb") as f:
                        text = f.read().decode(errors="replace").splitlines()
                except OSError:
                    continue
                out.append((os.path.relpath(p, self.data_dir), "\n".join(text[-lines:])))
        return out[:max_files]

    def dump(self, stream=None):
        stream = stream or sys.stderr
        stream.write("\n----- hgc-server #%d (%s, data dir %s) stderr tail -----\n%s\n"
                     % (self.n, self.addr, self.data_dir, self.stderr_tail()))
        if self.stdout_lines:
            stream.write("----- stdout -----\n%s\n" % "\n".join(self.stdout_lines[-20:]))
        for path, tail in self.task_logs():
            stream.write("----- %s -----\n%s\n" % (path, tail))
        stream.flush()


# --------------------------------------------------------------------------
# Base test case

class IntegrationTest(unittest.TestCase):
    """Starts servers on demand; on teardown stops them (SIGTERM must give
    exit code 0), kills leftover workers and removes temp dirs. When the test
    failed, prints each server's stderr tail and task logs."""

    maxDiff = 4000

    # No test takes near this, even sanitized (the slowest file takes 75 s
    # in all): past it, the test is hung. Every thread's Python stack goes
    # to stderr and the file ends, rather than ctest killing it silently at
    # 600 s. Armed anew by each test; between tests, the last arming holds.
    HUNG_AFTER_S = 240

    def setUp(self):
        faulthandler.dump_traceback_later(self.HUNG_AFTER_S, exit=True)
        self._problems_at_start = self._problem_count()
        self.tmp = tempfile.mkdtemp(prefix="hgc-it-")
        self.servers = []
        self.addCleanup(self._cleanup)
        if not SERVER_BIN or not WORKER_BIN:
            self.fail("hgc-server/hgc-worker not found: HGC_SERVER_BIN=%r HGC_WORKER_BIN=%r "
                      "(is the target defined and built?)" % (SERVER_BIN, WORKER_BIN))

    def start_server(self, **kw):
        s = Server(self.tmp, **kw)
        self.servers.append(s)
        s.start()
        return s

    def _problem_count(self):
        result = getattr(getattr(self, "_outcome", None), "result", None)
        if result is None or not hasattr(result, "failures"):
            return None
        return len(result.failures) + len(result.errors)

    def _failed(self):
        # (unittest resets _outcome.success while cleanups run: count the
        # failures and errors the result has collected instead)
        n = self._problem_count()
        return n is None or self._problems_at_start is None or n > self._problems_at_start

    def _cleanup(self):
        failed = self._failed()
        problems = []
        for s in self.servers:
            was_running = s.running()
            rc = s.stop()
            leftover = s.workers()
            if leftover:
                time.sleep(T(2))
                leftover = [p for p in s.workers()]
            if leftover:
                problems.append("server #%d: hgc-worker processes left after the server stopped: %r"
                                % (s.n, leftover))
                s.kill_workers()
            if was_running and rc != 0:
                problems.append("server #%d did not stop cleanly on SIGTERM: exit code %r" % (s.n, rc))
        if failed or problems:
            for s in self.servers:
                s.dump()
        if os.environ.get("HGC_KEEP_TMP"):
            sys.stderr.write("kept %s\n" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
        if problems and not failed:
            self.fail("; ".join(problems))

    # --- assertions
    def assertRpcError(self, codes, fn, *args, contains=None, **kw):
        """fn(*args) must fail with one of codes and a non-empty message
        (containing each of `contains`, case-insensitive). Returns the error."""
        if isinstance(codes, grpc.StatusCode):
            codes = (codes,)
        try:
            r = fn(*args, **kw)
            if hasattr(r, "__next__"):  # a server stream: errors come while reading
                r = list(r)
        except grpc.RpcError as e:
            self.assertIn(e.code(), codes, "wrong status code (%s: %r)" % (e.code(), e.details()))
            msg = e.details() or ""
            self.assertGreater(len(msg.strip()), 5, "error message empty or unclear: %r" % msg)
            for c in ([contains] if isinstance(contains, str) else (contains or [])):
                self.assertIn(c.lower(), msg.lower(), "message %r should mention %r" % (msg, c))
            return e
        self.fail("expected %s, the call succeeded with %r" % ([c.name for c in codes], r))

    def wait_task(self, s, graph, tid, statuses=FINAL, timeout=120, interval=0.05):
        return wait_task(s, graph, tid, statuses, timeout, interval)

    def assertTaskStatus(self, task, status):
        self.assertEqual(task.task_status, status,
                         "task %d is %s, expected %s; task_result=%r" % (
                             task.id, task.task_status, status, task.task_result))


# --------------------------------------------------------------------------
# Task helpers

def wait_task(s, graph, tid, statuses=FINAL, timeout=120, interval=0.05):
    """Poll GetJob until the task's status is in statuses; AssertionError
    with the last snapshot on timeout. timeout is scaled by T()."""
    if isinstance(statuses, str):
        statuses = {statuses}
    deadline = time.monotonic() + T(timeout)
    task = None
    while True:
        task = s.jobs.GetJob(jobs_pb2.GetJobRequest(graph=graph, task_id=tid))
        if task.task_status in statuses:
            return task
        if task.task_status in FINAL:
            raise AssertionError("task %s/%d ended %s while waiting for %s; task_result=%r"
                                 % (graph, tid, task.task_status, sorted(statuses), task.task_result))
        if time.monotonic() > deadline:
            raise AssertionError("task %s/%d still %s (progress %d) after %.0fs, waiting for %s"
                                 % (graph, tid, task.task_status, task.task_progress, T(timeout),
                                    sorted(statuses)))
        time.sleep(interval)


def wait_for(pred, timeout, interval=0.05, what="condition"):
    deadline = time.monotonic() + T(timeout)
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0fs waiting for %s" % (T(timeout), what))
        time.sleep(interval)


def create_graph(s, name):
    """CreateGraph: an empty graph. Adding vertices or edges needs one
    (a graph that does not exist is NOT_FOUND); LoadEdges creates its own."""
    return s.graphs.CreateGraph(graphs_pb2.CreateGraphRequest(name=name))


def create_job(s, graph, algorithm="page-rank", params=None, workers=None, **kw):
    # worker_instances has presence: None leaves it out (the default, 1);
    # an explicit 0 is refused.
    if workers is not None:
        kw["worker_instances"] = workers
    req = jobs_pb2.CreateJobRequest(graph=graph, algorithm=algorithm,
                                    params={k: str(v) for k, v in (params or {}).items()}, **kw)
    return s.jobs.CreateJob(req).task_id


def pr_params(alpha, threshold, steps):
    return {"page_rank.alpha": alpha, "pagerank.l1DiffThreshold": threshold,
            "bsp.max_super_step": steps}


def list_tasks(s, graph, status="", limit=-1):
    return list(s.jobs.ListJobs(jobs_pb2.ListJobsRequest(graph=graph, limit=limit, status=status)).tasks)


def vid_key(v):
    k = v.WhichOneof("kind")
    if k == "num":
        return v.num
    if k == "str":
        return v.str
    return None


def value_of(v):
    k = v.WhichOneof("kind")
    return None if k is None else getattr(v, k)


class Result:
    def __init__(self, pages):
        self.pages = pages
        self.rows = []  # (id key, value) in stream order
        self.id_kinds = set()
        self.value_kinds = set()
        for p in pages:
            for r in p.rows:
                self.id_kinds.add(r.id.WhichOneof("kind"))
                self.value_kinds.add(r.value.WhichOneof("kind"))
                self.rows.append((vid_key(r.id), value_of(r.value)))
        self.totals = {p.total for p in pages}
        self.properties = {p.property for p in pages}
        self.algorithms = {p.algorithm for p in pages}
        self.task_ids = {p.task_id for p in pages}

    def as_dict(self):
        return dict(self.rows)


def read_result(s, graph, tid, limit=-1, offset=0, order="", timeout=120):
    req = jobs_pb2.ReadResultRequest(graph=graph, task_id=tid, limit=limit, offset=offset, order=order)
    return Result(list(s.jobs.ReadResult(req, timeout=T(timeout))))


# --------------------------------------------------------------------------
# Loading graphs

def edge_batches(graph, text, chunk=1 << 16):
    """EdgeBatch messages carrying text (bytes), the first naming the graph.
    Chunks deliberately cut lines in the middle."""
    if not text:
        yield graphs_pb2.EdgeBatch(graph=graph)
        return
    for i in range(0, len(text), chunk):
        yield graphs_pb2.EdgeBatch(graph=graph if i == 0 else "", text=text[i:i + chunk])


def load_text(s, graph, text, chunk=1 << 16, timeout=None):
    if isinstance(text, str):
        text = text.encode()
    kw = {"timeout": timeout} if timeout else {}
    return s.graphs.LoadEdges(edge_batches(graph, text, chunk), **kw)


def edges_text(edges):
    return "".join("%s %s\n" % (u, v) for u, v in edges).encode()


def get_graph(s, name):
    return s.graphs.GetGraph(graphs_pb2.GetGraphRequest(name=name))


def load_dataset(s, ds, graph=None, chunk=1 << 16):
    with open(ds.edge_file, "rb") as f:
        return load_text(s, graph or ds.name, f.read(), chunk)


def parse_json_field(tc, text, what):
    try:
        return json.loads(text)
    except ValueError as e:
        tc.fail("%s is not JSON (%s): %r" % (what, e, text))


def run_cli(args, server=None, timeout=60, json_out=False):
    """Runs hgc [--server ADDR] [--json] args...; returns CompletedProcess (text)."""
    if not CLI_BIN:
        raise AssertionError("hgc CLI not built (HGC_CLI_BIN unset)")
    argv = [CLI_BIN]
    if server is not None:
        argv += ["--server", server if isinstance(server, str) else server.addr]
    if json_out:
        argv += ["--json"]
    argv += [str(a) for a in args]
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=T(timeout), text=True, errors="replace")


def data_tree(data_dir, skip=("hgc.db",)):
    """Relative paths of everything under data_dir except the database files."""
    out = set()
    for dirpath, dirs, files in os.walk(data_dir):
        for n in dirs + files:
            rel = os.path.relpath(os.path.join(dirpath, n), data_dir)
            if not any(rel == k or rel.startswith(k + "-") or rel.startswith(k + ".") for k in skip):
                out.add(rel)
    return out


# --------------------------------------------------------------------------
# Long-running jobs

SLOW_ALPHA = "0.0001"
_slow_cache = {}


def slow_graph_edges(n=50000, m=200000, seed=7):
    key = (n, m, seed)
    if key not in _slow_cache:
        _slow_cache[key] = bipartite_cycle_graph(n, m, seed)
    return _slow_cache[key]


def load_slow_graph(s, name, n=50000, m=200000):
    edges = slow_graph_edges(n, m)
    resp = load_text(s, name, edges_text(edges))
    assert resp.edges_loaded == len(edges), resp
    return edges


def create_endless_job(s, graph, **kw):
    """A page-rank that runs for minutes (threshold 0, a million steps on
    the oscillating graph): something to cancel, kill or queue behind."""
    return create_job(s, graph, "page-rank", pr_params(SLOW_ALPHA, "0", 1000000), **kw)


def wait_running_with_worker(s, graph, tid, timeout=60):
    """Wait until the task is running and its hgc-worker process exists."""
    wait_task(s, graph, tid, "running", timeout)
    return wait_for(lambda: s.workers(task_id=tid, graph=graph), 20,
                    what="an hgc-worker process of task %s/%d" % (graph, tid))
