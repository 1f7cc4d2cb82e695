"""Bad requests over REST: each gets the right status, HugeGraph's error
body (exception, message, cause) with an application/json type, and
changes nothing stored (the tasks and graphs are listed before and after).

hgc-rest runs with --max-body 65536 here, so the size limit is cheap to
cross; the stand-in worker keeps the machine quiet (no task runs).
"""

import json
import socket
import time
import unittest

import rest_harness as h

STACK = None
GRAPH = "hugegraph"
MAX_BODY = 65536
PR_CLASS = "com.baidu.hugegraph.computer.algorithm.rank.pagerank.PageRankParams"
WCC_CLASS = "com.baidu.hugegraph.computer.algorithm.community.wcc.WccParams"


def setUpModule():
    global STACK
    STACK = h.Stack(fake_worker=True, rest_args=["--max-body", str(MAX_BODY)],
                    server_args=["--max-jobs", "64"]).start()
    try:
        STACK.load_graph(GRAPH)
        STACK.create()  # one task, so that "nothing changed" has something to compare
    except BaseException:
        STACK.stop()
        raise


def tearDownModule():
    status = STACK.stop()
    assert status.get("hgc-rest") == 0, "hgc-rest did not stop cleanly: %r" % status


def settled_snapshot(graph=GRAPH):
    """The stored state once the scheduler has nothing left to do (every
    task running under the stand-in worker, or final, and nothing changing
    for a moment), so that only the request under test could change it."""
    deadline = time.monotonic() + h.T(15)
    last = None
    while True:
        snap = STACK.snapshot(graph)
        if snap == last and all(t["task_status"] in h.FINAL | {"running"} for t in snap["tasks"]):
            return snap
        if time.monotonic() > deadline:
            raise AssertionError("tasks never settled: %r" % snap["tasks"])
        last = snap
        time.sleep(0.15)


def raw_exchange(head, body_pieces=(), timeout=10):
    """Sends a request's head and body pieces on a plain socket and reads
    the answer until the server closes or it is complete; tolerates the
    server closing early (it refuses the rest of a body). (status, headers,
    body)."""
    s = socket.create_connection(("127.0.0.1", STACK.rest.port), timeout=h.T(timeout))
    try:
        s.sendall(head)
        try:
            for p in body_pieces:
                s.sendall(p)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head_text, _, rest = data.partition(b"\r\n\r\n")
                hdrs = {}
                for line in head_text.split(b"\r\n")[1:]:
                    k, _, v = line.decode().partition(":")
                    hdrs[k.strip().lower()] = v.strip()
                if "content-length" in hdrs and len(rest) >= int(hdrs["content-length"]):
                    break
    finally:
        s.close()
    head_text, _, rest = data.partition(b"\r\n\r\n")
    lines = head_text.decode().split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, rest[:int(hdrs.get("content-length", len(rest)))]


class Refusals(h.RestCase):

    def refused(self, method, path, body=None, status=400, exception=h.EXC_ILLEGAL,
                contains=None, graph=GRAPH, **kw):
        before = settled_snapshot(graph)
        err = self.assertError(STACK.request(method, path, body, **kw), status, exception,
                               contains)
        self.assertEqual(STACK.snapshot(graph), before, "a refused request changed stored state")
        return err

    def create_path(self, algorithm="page-rank", graph=GRAPH):
        return "%s/%s" % (STACK.jobs(graph), algorithm)


class Bodies(Refusals):

    def test_not_json(self):
        for body in (b"worker_instances=2", b"{bad", b'{"a": 1', b"", b"\xff\xfe{}",
                     b'{"worker_instances": "2"} trailing'):
            if not body:
                continue
            with self.subTest(body=body):
                self.refused("POST", self.create_path(), body, contains="JSON")

    def test_valid_json_hgc_cannot_hold(self):
        self.refused("POST", self.create_path(), b'{"worker_instances": 99999999999999999999}',
                     contains="whole number beyond the 64-bit range")
        self.refused("POST", self.create_path(), b'{"worker_instances": "1", "params": {"a": "x\\u0000y"}}',
                     contains="can't hold a NUL character")

    def test_json_that_is_not_an_object(self):
        for body in (b"[1, 2]", b'"page-rank"', b"7", b"null", b"true"):
            with self.subTest(body=body):
                self.refused("POST", self.create_path(), body, contains="object")

    def test_duplicate_keys(self):
        self.refused("POST", self.create_path(),
                     b'{"worker_instances": "1", "worker_instances": "2"}')

    def test_wrong_types(self):
        for body in ({"worker_instances": True}, {"worker_instances": [2]},
                     {"worker_instances": {"n": 2}}, {"worker_instances": 2.5},
                     {"internal_algorithm": {"name": "pagerank"}},
                     {"params": "page_rank.alpha=0.1"}, {"params": [1]},
                     {"page_rank.alpha": "abc"}, {"page_rank.alpha": [0.1]},
                     {"bsp.max_super_step": "many"}):
            with self.subTest(body=body):
                self.refused("POST", self.create_path(), body)

    def test_worker_instances_out_of_range(self):
        for v in ("abc", -1, "-1", 10**9, "1000000000", "1e3", "", 2**40):
            with self.subTest(worker_instances=v):
                self.refused("POST", self.create_path(), {"worker_instances": v},
                             contains="worker")

    def test_worker_instances_zero_is_refused_absent_is_one(self):
        # worker_instances carries presence (issue 8): an explicit 0 in any
        # spelling is out of range, not "absent"; absent is 1.
        for wi in ("0", "-0", "0.0"):
            self.refused("POST", self.create_path("page-rank"), '{"worker_instances": %s}' % wi,
                         contains="worker_instances must be a whole number from 1 to")
        self.refused("POST", self.create_path("page-rank"), {"worker_instances": "0"},
                     contains="worker_instances")
        b = STACK.create(body={})
        self.assertEqual(json.loads(STACK.task(b)["task_input"])["worker_instances"], 1)

    def test_unknown_algorithm(self):
        err = self.refused("POST", self.create_path("foo"), {}, contains="foo")
        self.assertIn("page-rank", err["message"])  # says what is supported
        self.refused("POST", STACK.jobs(GRAPH), {"algorithm": "foo"}, contains="foo")

    def test_disagreeing_algorithms(self):
        for body in ({"internal_algorithm": "[wcc]"}, {"internal_algorithm": ["pagerank", "wcc"]},
                     {"params_class": WCC_CLASS},
                     {"params_class": "com.baidu.hugegraph.computer.algorithm.NoSuchParams"},
                     {"algorithm": "wcc"}):
            with self.subTest(body=body):
                self.refused("POST", self.create_path("page-rank"), body)
        self.refused("POST", STACK.jobs(GRAPH), {"algorithm": "wcc", "params_class": PR_CLASS})

    def test_body_cannot_contradict_the_path(self):
        self.refused("POST", self.create_path(), {"graph": "other"}, contains="graph")

    def test_unknown_and_bad_options(self):
        err = self.refused("POST", self.create_path(), {"foo.bar": "1"}, contains="foo.bar")
        self.assertIn("page_rank.alpha", err["message"])  # names the known ones
        self.refused("POST", self.create_path(), {"params": {"foo.bar": "1"}}, contains="foo.bar")
        for body in ({"page_rank.alpha": "2"}, {"page_rank.alpha": -0.5},
                     {"bsp.max_super_step": 0}, {"input.edge_direction": "SIDEWAYS"}):
            with self.subTest(body=body):
                self.refused("POST", self.create_path(), body)

    def test_body_over_the_limit_by_content_length(self):
        before = settled_snapshot()
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n" % (self.create_path(), MAX_BODY + 1)).encode()
        answer = raw_exchange(head)  # refused before the body is sent
        self.assertError(answer, 413, h.EXC_ILLEGAL, contains="limit")
        self.assertEqual(STACK.snapshot(), before)

    def test_body_over_the_limit_chunked(self):
        before = settled_snapshot()
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n" % self.create_path()).encode()
        filler = b'{"params": {"x": "' + b"a" * (MAX_BODY + 1) + b'"}}'
        pieces = [b"%x\r\n%s\r\n" % (len(filler[i:i + 8192]), filler[i:i + 8192])
                  for i in range(0, len(filler), 8192)] + [b"0\r\n\r\n"]
        # No length announced: counted as it comes, kept up to the limit
        # only, answered 413 at its end.
        answer = raw_exchange(head, pieces)
        self.assertError(answer, 413, h.EXC_ILLEGAL, contains="limit")
        self.assertEqual(STACK.snapshot(), before)

    def test_refusal_before_the_body_with_expect_100_continue(self):
        # A client that waits for 100 Continue gets the refusal instead,
        # without sending its body.
        for ct, status in (("text/plain", 415), ("application/json", 413)):
            with self.subTest(ct=ct):
                size = 10 if status == 415 else MAX_BODY * 10
                head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\n"
                        "Content-Length: %d\r\nExpect: 100-continue\r\n\r\n"
                        % (self.create_path(), ct, size)).encode()
                before = settled_snapshot()
                self.assertError(raw_exchange(head), status)
                self.assertEqual(STACK.snapshot(), before)

    def test_body_just_under_the_limit_is_read(self):
        body = json.dumps({"params": {"x": "a" * (MAX_BODY - 100)}}).encode()
        self.assertLessEqual(len(body), MAX_BODY)
        # read whole, then refused by the service for the unknown option
        self.refused("POST", self.create_path(), body, contains="x")

    def test_wrong_content_type(self):
        for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                   "multipart/form-data; boundary=x"):
            with self.subTest(ct=ct):
                self.refused("POST", self.create_path(), b"{}", status=415,
                             exception=h.EXC_NOT_SUPPORTED, content_type=ct)
        # no Content-Type at all, with a body
        before = settled_snapshot()
        head = ("POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                % self.create_path()).encode()
        self.assertError(raw_exchange(head), 415, h.EXC_NOT_SUPPORTED)
        self.assertEqual(STACK.snapshot(), before)
        # an edge list must be text
        self.refused("POST", "/graphs/%s/edges" % GRAPH, b"1 2\n", status=415,
                     exception=h.EXC_NOT_SUPPORTED, content_type="application/json")
        self.refused("GET", "%s/update/1" % STACK.jobs(GRAPH), b'{"status": "RUNNING"}',
                     status=415, exception=h.EXC_NOT_SUPPORTED, content_type="text/plain")

    def test_json_with_parameters_is_json(self):
        tid = STACK.create(body=None)  # the document's body, as application/json
        status, _, data = STACK.request("POST", self.create_path(), h.DOC_CREATE_BODY,
                                        content_type="Application/JSON; charset=UTF-8")
        self.assertEqual(status, 201, data)
        self.assertGreater(json.loads(data)["task_id"], tid)


class Paths(Refusals):

    def test_unknown_route(self):
        for method, path in (("GET", "/"), ("GET", "/nowhere"), ("GET", "/graphs/x/y/z/w"),
                             ("GET", "%s/1/result/extra" % STACK.jobs(GRAPH)),
                             ("POST", "/healthz"), ("GET", "/graphs/%s/jobs" % GRAPH)):
            with self.subTest(path=path):
                self.refused(method, path, status=404, exception=h.EXC_NOT_FOUND)

    def test_overlong_path_segment(self):
        """A segment no path variable can hold (4096 bytes once decoded) is a
        bad request naming the limits, not 'there is no endpoint'."""
        for path in ("/graphs/%s/graph/vertices/%s" % (GRAPH, "a" * 4200),
                     "/graphs/%s/graph/vertices/%s" % (GRAPH, "%61" * 4100),
                     "%s/jobs/computerdis" % ("/graphs/" + "g" * 5000)):
            with self.subTest(length=len(path)):
                self.refused("GET", path, contains="a segment of the path is 4096 bytes or more")

    def test_known_path_wrong_method(self):
        status, hdrs, data = STACK.request("DELETE", STACK.jobs(GRAPH))
        self.assertError((status, hdrs, data), 404, h.EXC_NOT_FOUND, "DELETE")
        self.assertIn("POST", hdrs.get("allow", ""))
        self.assertIn("GET", hdrs.get("allow", ""))
        self.refused("PATCH", "%s/1" % STACK.jobs(GRAPH), status=404, exception=h.EXC_NOT_FOUND)
        for path in ("/healthz", "/openapi.json"):
            status, hdrs, data = STACK.request("POST", path, {})
            self.assertError((status, hdrs, data), 404, h.EXC_NOT_FOUND,
                             "POST is not an endpoint of %s; it takes GET, HEAD" % path)
            self.assertEqual(hdrs.get("allow"), "GET, HEAD")

    def test_unknown_graph(self):
        for method, path, body in (("GET", STACK.jobs("nograph"), None),
                                   ("POST", self.create_path(graph="nograph"), {}),
                                   ("POST", STACK.jobs("nograph"), {"algorithm": "page-rank"}),
                                   ("GET", "%s/1" % STACK.jobs("nograph"), None),
                                   ("GET", "%s/1/result" % STACK.jobs("nograph"), None),
                                   ("PUT", "%s/1" % STACK.jobs("nograph"), None),
                                   ("DELETE", "%s/1" % STACK.jobs("nograph"), None),
                                   ("GET", "/graphs/nograph", None)):
            with self.subTest(method=method, path=path):
                self.refused(method, path, body, status=404, exception=h.EXC_NOT_FOUND,
                             contains="nograph")

    def test_unknown_task(self):
        for method, path in (("GET", "%s/999999" % STACK.jobs(GRAPH)),
                             ("GET", "%s/999999/result" % STACK.jobs(GRAPH)),
                             ("GET", "%s/999999/watch" % STACK.jobs(GRAPH)),
                             ("PUT", "%s/999999" % STACK.jobs(GRAPH)),
                             ("DELETE", "%s/999999" % STACK.jobs(GRAPH))):
            with self.subTest(method=method, path=path):
                self.refused(method, path, status=404, exception=h.EXC_NOT_FOUND)

    def test_non_numeric_task_id(self):
        for tid in ("abc", "1.5", "0x10", "%20", "99999999999999999999", "0", "-1"):
            for method in ("GET", "DELETE", "PUT"):
                with self.subTest(tid=tid, method=method):
                    self.refused(method, "%s/%s" % (STACK.jobs(GRAPH), tid), contains="task_id")

    def test_graph_names_that_try_to_leave_their_place(self):
        for graph in ("..", "%2E%2E", "a%2Fb", "..%2F..%2Fetc", "%2F", "a%00b"):
            with self.subTest(graph=graph):
                self.refused("GET", STACK.jobs(graph))
                self.refused("POST", "%s/page-rank" % STACK.jobs(graph), {})
                self.refused("POST", "/graphs/%s/edges" % graph, b"1 2\n",
                             content_type="text/plain")
        # "/" inside a name, decoded: never a different route
        self.refused("GET", "/graphs/%s%%2Fjobs%%2Fcomputerdis" % GRAPH)


class Query(Refusals):

    def test_limits(self):
        for q in ("limit=100000000000000000000", "limit=1000000000", "limit=abc", "limit=-2",
                  "limit=", "limit=1.5"):
            with self.subTest(q=q):
                self.refused("GET", "%s?%s" % (STACK.jobs(GRAPH), q), contains="limit")

    def test_result_limits(self):
        tid = STACK.create()
        for q in ("limit=100000000000000000000", "limit=abc", "offset=-1", "order=sideways"):
            with self.subTest(q=q):
                self.refused("GET", "%s/%d/result?%s" % (STACK.jobs(GRAPH), tid, q))

    def test_unknown_query_parameter(self):
        err = self.refused("GET", STACK.jobs(GRAPH) + "?limit=10&foo=1", contains="foo")
        self.assertIn("limit", err["message"])  # says what the endpoint takes
        self.refused("GET", STACK.jobs(GRAPH) + "?graph=other", contains="graph")
        self.refused("PUT", "%s/1?force=true" % STACK.jobs(GRAPH), contains="force")

    def test_parameter_given_twice(self):
        self.refused("GET", STACK.jobs(GRAPH) + "?limit=1&limit=2", contains="'limit' is given twice")
        # in the query and in the body, with other values: which one counts would be a guess
        self.refused("PUT", "%s/update/1?status=RUNNING" % STACK.jobs(GRAPH), b'{"status": "FAILED"}',
                     contains="'status' is 'RUNNING' in the query but the body gives another value")

    def test_malformed_query(self):
        self.refused("GET", STACK.jobs(GRAPH) + "?limit=%zz")
        self.refused("GET", STACK.jobs(GRAPH) + "?status=%00")

    def test_bad_status_filter(self):
        self.refused("GET", STACK.jobs(GRAPH) + "?status=flying", contains="flying")
        self.refused("GET", STACK.jobs(GRAPH) + "?page=garbage", contains="page")


if __name__ == "__main__":
    unittest.main()
