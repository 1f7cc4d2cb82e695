"""The hgc CLI against a real server: the page-rank flow, --json output and
exit codes (0 ok, 1 job failed or cancelled, 2 usage, 3 server refused,
4 unreachable)."""

import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import jobs_pb2  # noqa: E402


def parse_json_output(tc, p, what):
    """stdout as one JSON document, or as JSON lines (a list then)."""
    out = p.stdout.strip()
    try:
        return json.loads(out)
    except ValueError:
        pass
    try:
        return [json.loads(l) for l in out.splitlines() if l.strip()]
    except ValueError:
        tc.fail("%s: --json output is neither JSON nor JSON lines:\n%s\nstderr: %s" % (what, out[:2000], p.stderr))


def _id(v):
    if isinstance(v, dict):  # {"num": 1} / {"str": "a"}
        v = v.get("num", v.get("str"))
    if isinstance(v, str):
        try:
            return int(v)
        except ValueError:
            return v
    return v


def _value(v):
    if isinstance(v, dict):  # {"number": 0.1}
        v = v.get("number", next(iter(v.values()), None))
    return float(v)


def rows_of(doc):
    """Result rows from the CLI's JSON, in any of the likely shapes:
    {"rows": [...]}, [...], JSON lines; a row {"id": .., "value": ..},
    {"vertex": .., "<property>": ..} or [id, value]."""
    if isinstance(doc, dict):
        for k in ("rows", "result", "results", "vertices"):
            if k in doc:
                return rows_of(doc[k])
        return {_id(k): _value(v) for k, v in doc.items()}
    out = {}
    for r in doc:
        if isinstance(r, dict) and "rows" in r:
            out.update(rows_of(r))
        elif isinstance(r, dict):
            vid = r.get("id", r.get("vertex"))
            val = r.get("value", r.get("page_rank", r.get("rank")))
            out[_id(vid)] = _value(val)
        else:
            out[_id(r[0])] = _value(r[1])
    return out


class Cli(H.IntegrationTest):

    def setUp(self):
        super().setUp()
        if not H.CLI_BIN:
            self.fail("hgc CLI not found (HGC_CLI_BIN)")

    def cli(self, s, *args, json_out=False, timeout=60):
        return H.run_cli(list(args), server=s, json_out=json_out, timeout=timeout)

    def assertExit(self, p, code, what):
        self.assertEqual(p.returncode, code, "%s: exit code %d, expected %d\nstdout: %s\nstderr: %s"
                         % (what, p.returncode, code, p.stdout[-2000:], p.stderr[-2000:]))

    def test_pagerank_flow(self):
        s = self.start_server()
        ds = H.Dataset("example-directed")
        p = self.cli(s, "graph", "load", ds.name, ds.edge_file)
        self.assertExit(p, 0, "graph load")
        g = H.get_graph(s, ds.name)
        self.assertEqual((g.vertices, g.edges), (10, 17), "graph load through the CLI stored something else")

        p = self.cli(s, "graph", "show", ds.name, json_out=True)
        self.assertExit(p, 0, "graph show --json")
        doc = parse_json_output(self, p, "graph show")
        doc = doc.get("graph", doc) if isinstance(doc, dict) else doc
        self.assertEqual((doc.get("name"), doc.get("vertices"), doc.get("edges")), (ds.name, 10, 17), doc)

        p = self.cli(s, "graph", "list", json_out=True)
        self.assertExit(p, 0, "graph list --json")
        doc = parse_json_output(self, p, "graph list")
        self.assertEqual([(g.get("name"), g.get("edges")) for g in doc.get("graphs", [])], [(ds.name, 17)], doc)

        p = self.cli(s, "job", "submit", ds.name, "page-rank",
                     "--opt", "page_rank.alpha=" + ds.pr_alpha, "--opt", "pagerank.l1DiffThreshold=0",
                     "--opt", "bsp.max_super_step=%d" % ds.pr_iterations, "--wait", json_out=True, timeout=120)
        self.assertExit(p, 0, "job submit --wait")
        tasks = H.list_tasks(s, ds.name)
        self.assertEqual([t.id for t in tasks], [1])
        self.assertEqual(tasks[0].task_status, "success", "--wait returned before the task was final")
        doc = parse_json_output(self, p, "job submit")
        if isinstance(doc, list):
            doc = doc[-1]
        self.assertEqual(doc.get("task_id", doc.get("id")), 1, doc)

        p = self.cli(s, "job", "result", ds.name, "1", "--limit", "-1", json_out=True)
        self.assertExit(p, 0, "job result --json")
        got = rows_of(parse_json_output(self, p, "job result"))
        H.compare_ranks(self, got, ds.reference("PR"), rel=1e-6, what="hgc job result")

        p = self.cli(s, "job", "show", ds.name, "1", json_out=True)
        self.assertExit(p, 0, "job show --json")
        doc = parse_json_output(self, p, "job show")
        self.assertEqual((doc.get("id"), doc.get("task_status")), (1, "success"), doc)

        p = self.cli(s, "job", "list", ds.name, json_out=True)
        self.assertExit(p, 0, "job list --json")
        doc = parse_json_output(self, p, "job list")
        self.assertEqual([(t.get("id"), t.get("task_status")) for t in doc.get("tasks", [])], [(1, "success")], doc)
        self.assertIsNone(doc.get("page", "absent"), "job list --json: the last page's token is null")

        # a list cut by --limit says where the rest starts (docs/cli.md), without --page too
        p = self.cli(s, "job", "submit", ds.name, "degree-centrality", "--wait", timeout=120)
        self.assertExit(p, 0, "a second job")
        p = self.cli(s, "job", "list", ds.name, "--limit", "1")
        self.assertExit(p, 0, "job list --limit 1")
        self.assertEqual(p.stdout.split()[7:9], ["1", "computer-proxy:page-rank"], p.stdout)
        self.assertIn("next page: p1", p.stderr, "job list --limit 1 hid that more tasks remain")
        p = self.cli(s, "job", "list", ds.name, "--limit", "1", "--page", "p1", json_out=True)
        self.assertExit(p, 0, "job list --page p1")
        doc = parse_json_output(self, p, "job list --page p1")
        self.assertEqual([t.get("id") for t in doc.get("tasks", [])], [2], doc)
        self.assertIsNone(doc.get("page", "absent"), doc)
        p = self.cli(s, "job", "delete", ds.name, "2")
        self.assertExit(p, 0, "job delete 2")

        # plain (human) output works too
        self.assertExit(self.cli(s, "job", "result", ds.name, "1", "--limit", "-1"), 0, "job result")

        p = self.cli(s, "job", "delete", ds.name, "1")
        self.assertExit(p, 0, "job delete")
        self.assertEqual(H.list_tasks(s, ds.name), [])
        self.assertExit(self.cli(s, "job", "show", ds.name, "1"), 3, "job show of a deleted task")

    def test_refused_and_usage_exit_codes(self):
        s = self.start_server()
        ds = H.Dataset("example-directed")
        self.assertExit(self.cli(s, "graph", "load", ds.name, ds.edge_file), 0, "graph load")
        cases = [
            (["job", "submit", "no-such-graph", "page-rank"], 3),
            (["job", "submit", ds.name, "no-such-algo"], 3),
            (["job", "submit", ds.name, "page-rank", "--opt", "page_rank.nope=1"], 3),
            (["job", "submit", ds.name, "page-rank", "--workers", "1000000000"], 3),
            (["job", "show", ds.name, "999"], 3),
            (["job", "cancel", ds.name, "999"], 3),
            (["job", "result", ds.name, "999"], 3),
            (["graph", "show", "no-such-graph"], 3),
            (["graph", "load", "a/b", ds.edge_file], 3),
            (["job", "frobnicate"], 2),
            (["job", "submit"], 2),
            (["job", "show", ds.name, "not-a-number"], 2),
            (["--no-such-flag", "graph", "list"], 2),
            (["job", "submit", ds.name, "page-rank", "--opt", "no-equals-sign"], 2),
        ]
        for args, code in cases:
            with self.subTest(args=args):
                p = self.cli(s, *args)
                self.assertExit(p, code, "hgc " + " ".join(args))
                if code != 0:
                    self.assertTrue(p.stderr.strip(), "no message on stderr for a refusal")
        self.assertExit(H.run_cli([]), 2, "hgc without arguments")
        self.assertEqual(H.list_tasks(s, ds.name), [], "refused submits created tasks")

        bad = os.path.join(self.tmp, "bad.e")
        with open(bad, "w") as f:
            f.write("1 2\n2 3\nnot an edge line at all\n")
        p = self.cli(s, "graph", "load", ds.name, bad)
        self.assertExit(p, 3, "graph load of a file with a bad line")
        self.assertIn("3", p.stderr, "the message should name line 3")
        self.assertEqual(H.get_graph(s, ds.name).edges, 17, "a refused load changed the graph")

        missing = os.path.join(self.tmp, "missing.e")
        p = self.cli(s, "graph", "load", ds.name, missing)
        self.assertExit(p, 2, "graph load of a missing file (docs/cli.md: 2)")

    def test_graph_vertex_and_edges(self):
        s = self.start_server()
        path = os.path.join(self.tmp, "small.jsonl")
        with open(path, "w") as f:
            for obj in ({"id": 1, "label": "person", "properties": {"name": "marko", "age": 29}},
                        {"id": 2, "label": "person", "properties": {"name": "vadas", "age": 27}},
                        {"id": "42", "label": "software", "properties": {"lang": "c"}},
                        {"label": "knows", "outV": 1, "inV": 2, "properties": {"weight": 0.5}},
                        {"label": "created", "outV": 1, "inV": "42"}):
                f.write(json.dumps(obj) + "\n")
        self.assertExit(self.cli(s, "graph", "load", "g", path, "--format", "jsonl"), 0, "graph load --format jsonl")

        p = self.cli(s, "graph", "vertex", "g", "1")
        self.assertExit(p, 0, "graph vertex")
        self.assertEqual(p.stdout.splitlines(), ["id: 1", "label: person", "age: 29", "name: marko"])
        p = self.cli(s, "graph", "vertex", "g", "1", json_out=True)
        self.assertExit(p, 0, "graph vertex --json")
        doc = parse_json_output(self, p, "graph vertex")
        self.assertEqual((doc.get("id"), doc.get("label"), doc.get("properties")),
                         (1, "person", {"name": "marko", "age": 29}), doc)
        # "42" is a string id: --string-id says so
        p = self.cli(s, "graph", "vertex", "g", "42", "--string-id")
        self.assertExit(p, 0, "graph vertex --string-id")
        self.assertEqual(p.stdout.splitlines(), ["id: 42", "label: software", "lang: c"])
        p = self.cli(s, "graph", "vertex", "g", "42", "--string-id", json_out=True)
        self.assertEqual(parse_json_output(self, p, "graph vertex --string-id").get("id"), "42")

        p = self.cli(s, "graph", "edges", "g", "1")
        self.assertExit(p, 0, "graph edges")
        rows = [l.split() for l in p.stdout.splitlines()]
        self.assertEqual(rows[0], ["ID", "LABEL", "OUT", "IN", "PROPERTIES"], p.stdout)
        self.assertEqual(sorted(rows[1:]), [["1>created>42", "created", "1", "42", "{}"],
                                            ["1>knows>2", "knows", "1", "2", '{"weight":0.5}']], p.stdout)
        p = self.cli(s, "graph", "edges", "g", "1", "--label", "knows", "--direction", "out")
        self.assertExit(p, 0, "graph edges --label")
        self.assertEqual([l.split()[0] for l in p.stdout.splitlines()[1:]], ["1>knows>2"], p.stdout)
        p = self.cli(s, "graph", "edges", "g", "1", "--direction", "in")
        self.assertExit(p, 0, "graph edges --direction in")
        self.assertEqual(len(p.stdout.splitlines()), 1, "1 has no in-edges: header only\n" + p.stdout)
        p = self.cli(s, "graph", "edges", "g", "2", "--direction", "in", json_out=True)
        self.assertExit(p, 0, "graph edges --json")
        doc = parse_json_output(self, p, "graph edges")
        self.assertEqual([(e.get("id"), e.get("label"), e.get("outV"), e.get("inV"), e.get("properties"))
                          for e in doc.get("edges", [])],
                         [("1>knows>2", "knows", 1, 2, {"weight": 0.5})], doc)

        # unknown vertex or graph: refused, exit 3 with the server's message
        for args in (["graph", "vertex", "g", "999"], ["graph", "edges", "g", "999"],
                     ["graph", "vertex", "no-such-graph", "1"], ["graph", "edges", "no-such-graph", "1"]):
            with self.subTest(args=args):
                p = self.cli(s, *args)
                self.assertExit(p, 3, "hgc " + " ".join(args))
                self.assertIn("999" if "999" in args else "no-such-graph", p.stderr)
        self.assertExit(self.cli(s, "graph", "edges", "g", "1", "--direction", "sideways"), 2, "bad --direction")
        # a vertex not found says how its id was looked up
        p = self.cli(s, "graph", "vertex", "g", "999")
        self.assertIn("looked up as the number 999; for a string id add --string-id", p.stderr)
        p = self.cli(s, "graph", "edges", "g", "999", "--string-id")
        self.assertExit(p, 3, "graph edges of a missing string id")
        self.assertIn('looked up as the string "999"', p.stderr)
        # stdin can't hold a Graphalytics graph's three files
        p = self.cli(s, "graph", "load", "g", "-", "--format", "graphalytics")
        self.assertExit(p, 2, "graph load - --format graphalytics")
        self.assertIn("give their path, not '-' (stdin)", p.stderr)

    def test_unreachable_server(self):
        port = H.free_port()
        t0 = time.monotonic()
        p = H.run_cli(["graph", "list"], server="127.0.0.1:%d" % port, timeout=120)
        self.assertExit(p, 4, "graph list against a closed port")
        self.assertTrue(p.stderr.strip(), "no message for an unreachable server")
        p = H.run_cli(["job", "list", "g"], server="127.0.0.1:%d" % port, timeout=120)
        self.assertExit(p, 4, "job list against a closed port")
        del t0

    def test_ports_out_of_range_are_refused(self):
        """gRPC reads port 99999 as 34463 and 65536 as 0 (any free port):
        hgc-server --listen, hgc --server and $HGC_SERVER refuse them."""
        for addr in ("127.0.0.1:99999", "127.0.0.1:65536", "nohostport"):
            with self.subTest(addr=addr):
                data = os.path.join(self.tmp, "never")
                p = subprocess.run([H.SERVER_BIN, "--listen", addr, "--data-dir", data],
                                   stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                   timeout=H.T(30))
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn("not HOST:PORT (a port from 0 to 65535) or unix:PATH", p.stderr)
                self.assertNotIn("listening on", p.stdout)
                self.assertFalse(os.path.exists(data), "a refused start made its data directory")
                p = H.run_cli(["graph", "list"], server=addr)
                self.assertExit(p, 2, "hgc --server " + addr)
                self.assertIn("a port from 0 to 65535", p.stderr)
                p = subprocess.run([H.CLI_BIN, "graph", "list"], env=dict(os.environ, HGC_SERVER=addr),
                                   stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                   timeout=H.T(30))
                self.assertEqual(p.returncode, 4, p.stderr)
                self.assertIn("the server address '%s' is not HOST:PORT" % addr, p.stderr)

    def test_bad_environment_value_is_named(self):
        p = subprocess.run([H.SERVER_BIN, "--data-dir", os.path.join(self.tmp, "never")],
                           env=dict(os.environ, HGC_MAX_JOBS="abc"), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=H.T(30))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--max-jobs must be a whole number from 1 to 1024, got 'abc'", p.stderr)
        self.assertIn("comes from the environment variable HGC_MAX_JOBS", p.stderr)

    def test_listen_failure_says_why(self):
        """A port in use: hgc-server exits 1 with the reason, not only 'cannot listen'."""
        import socket
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            addr = "127.0.0.1:%d" % taken.getsockname()[1]
            p = subprocess.run([H.SERVER_BIN, "--listen", addr, "--data-dir", os.path.join(self.tmp, "d")],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=H.T(60))
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("cannot listen on %s: Address already in use" % addr, p.stderr)

    def test_wait_on_cancelled_job_exits_1(self):
        s = self.start_server()
        H.load_slow_graph(s, "slow")
        argv = [H.CLI_BIN, "--server", s.addr, "job", "submit", "slow", "page-rank",
                "--opt", "page_rank.alpha=" + H.SLOW_ALPHA, "--opt", "pagerank.l1DiffThreshold=0",
                "--opt", "bsp.max_super_step=1000000", "--wait"]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        try:
            H.wait_for(lambda: H.list_tasks(s, "slow"), 30, what="the submitted task")
            H.wait_running_with_worker(s, "slow", 1)
            self.assertIsNone(proc.poll(), "hgc job submit --wait returned while the job runs")
            p = self.cli(s, "job", "cancel", "slow", "1")
            self.assertExit(p, 0, "job cancel")
            out, err = proc.communicate(timeout=H.T(30))
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 1, "--wait on a job that got cancelled: exit %d\nstdout: %s\nstderr: %s"
                         % (proc.returncode, out, err))
        self.assertEqual(s.jobs.GetJob(jobs_pb2.GetJobRequest(graph="slow", task_id=1)).task_status, "cancelled")


if __name__ == "__main__":
    unittest.main()
