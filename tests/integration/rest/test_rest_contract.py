"""The documented requests of HugeGraph's "graph computing tasks" REST API,
sent exactly as written, against hgc-rest in front of a real hgc-server and
hgc-worker: status codes, Content-Type, every field name and JSON type
(docs/contract.md). Also: the later create body, a page-rank run checked
against the LDBC Graphalytics reference, the result endpoint, the ndjson
watch, edge-list uploads in pieces, /healthz and /openapi.json.
"""

import json
import os
import time
import unittest

import rest_harness as h

STACK = None
GRAPH = "hugegraph"
PR_CLASS = "com.baidu.hugegraph.computer.algorithm.rank.pagerank.PageRankParams"


def setUpModule():
    global STACK
    STACK = h.Stack().start()
    try:
        loaded = STACK.load_graph(GRAPH)
        assert loaded["graph"]["vertices"] == 10 and loaded["graph"]["edges"] == 17, loaded
    except BaseException:
        STACK.stop()
        raise


def tearDownModule():
    status = STACK.stop()
    # SIGTERM must stop hgc-rest cleanly (exit 0), not by a kill.
    assert status.get("hgc-rest") == 0, "hgc-rest did not stop cleanly: %r" % status


def properties(name):
    props = {}
    with open(os.path.join(h.GRAPHALYTICS, name + ".properties")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                props[k.strip()] = v.strip()
    return props


def reference(name):
    with open(os.path.join(h.GRAPHALYTICS, name)) as f:
        return {int(a): float(b) for a, b in (line.split() for line in f if line.strip())}


class Documented(h.RestCase):
    """The five endpoints of the document, as written there."""

    def test_1_create(self):
        status, hdrs, data = STACK.request("POST", STACK.jobs(GRAPH) + "/page-rank",
                                           h.DOC_CREATE_BODY)
        self.assertEqual(status, 201, data)
        self.assertJsonType(hdrs)
        body = json.loads(data)
        self.assertEqual(set(body), {"task_id", "message"})
        self.assertIs(type(body["task_id"]), int)
        self.assertGreaterEqual(body["task_id"], 1)
        self.assertEqual(body["message"], "success")
        t = STACK.task(body["task_id"])
        self.assertEqual(t["task_name"], "computer-proxy:page-rank")

    def test_1_create_ids_count_per_graph_from_1(self):
        STACK.load_graph("counting")
        first = STACK.create("counting")
        second = STACK.create("counting")
        self.assertEqual((first, second), (1, 2))

    def test_2_delete_finished(self):
        tid = STACK.create()
        STACK.wait_status(tid)
        status, hdrs, data = STACK.request("DELETE", "%s/%d" % (STACK.jobs(GRAPH), tid))
        self.assertEqual(status, 200, data)
        self.assertJsonType(hdrs)
        self.assertEqual(json.loads(data), {"task_id": tid, "message": "success"})
        self.assertError(STACK.request("GET", "%s/%d" % (STACK.jobs(GRAPH), tid)), 404,
                         h.EXC_NOT_FOUND)
        self.assertNotIn(tid, [t["id"] for t in STACK.tasks()])
        self.assertError(STACK.request("GET", "%s/%d/result" % (STACK.jobs(GRAPH), tid)), 404,
                         h.EXC_NOT_FOUND)

    def test_3_cancel_finished_is_204_and_changes_nothing(self):
        tid = STACK.create()
        before = STACK.wait_status(tid)
        status, hdrs, data = STACK.request("PUT", "%s/%d" % (STACK.jobs(GRAPH), tid))
        self.assertEqual(status, 204)
        self.assertEqual(data, b"")
        self.assertNotIn("content-type", hdrs)
        self.assertEqual(STACK.task(tid), before)

    def test_4_list(self):
        ids = [STACK.create() for _ in range(3)]
        status, hdrs, data = STACK.request("GET", STACK.jobs(GRAPH) + "?limit=100")
        self.assertEqual(status, 201, data)
        self.assertJsonType(hdrs)
        body = json.loads(data)
        self.assertIn("tasks", body)
        self.assertIsInstance(body["tasks"], list)
        listed = [t["id"] for t in body["tasks"]]
        for tid in ids:
            self.assertIn(tid, listed)
        self.assertEqual(listed, sorted(listed), "listed by id, oldest first")
        for t in body["tasks"]:
            self.assertTaskSummary(t)
        self.assertLessEqual(len(body["tasks"]), 100)

    def test_4_list_limit_and_status_filter(self):
        STACK.load_graph("listing")
        ids = [STACK.create("listing") for _ in range(3)]
        for tid in ids:
            STACK.wait_status(tid, graph="listing")
        _, body = STACK.json("GET", STACK.jobs("listing") + "?limit=2", expect=201)
        self.assertEqual([t["id"] for t in body["tasks"]], ids[:2])
        _, body = STACK.json("GET", STACK.jobs("listing"), expect=201)  # default 100
        self.assertEqual([t["id"] for t in body["tasks"]], ids)
        for word in ("SUCCESS", "success"):
            _, body = STACK.json("GET", STACK.jobs("listing") + "?status=" + word, expect=201)
            self.assertEqual({t["task_status"] for t in body["tasks"]}, {"success"})

    def test_4_list_pages(self):
        STACK.load_graph("paging")
        ids = [STACK.create("paging") for _ in range(3)]
        seen, page = [], ""
        for _ in range(10):
            _, body = STACK.json("GET", "%s?limit=1&page=%s" % (STACK.jobs("paging"), page),
                                 expect=201)
            self.assertIn("page", body)
            seen += [t["id"] for t in body["tasks"]]
            page = body["page"]
            if not page:
                break
        self.assertEqual(seen, ids)

    def test_4_list_page_key_as_the_contract_says(self):
        # contract.md: "page" is in the answer only when the caller gave
        # one: the next token, and null at the end.
        _, body = STACK.json("GET", STACK.jobs(GRAPH) + "?limit=100", expect=201)
        self.assertEqual(set(body), {"tasks"})
        _, body = STACK.json("GET", STACK.jobs(GRAPH) + "?limit=-1&page=", expect=201)
        self.assertIn("page", body)
        self.assertIsNone(body["page"])
        ids = [t["id"] for t in body["tasks"]]
        if len(ids) >= 2:
            # Paging one task at a time walks every task once, then null.
            seen, page = [], ""
            while page is not None:
                _, b = STACK.json("GET", STACK.jobs(GRAPH) + "?limit=1&page=" + page, expect=201)
                seen += [t["id"] for t in b["tasks"]]
                page = b["page"]
                self.assertTrue(page is None or isinstance(page, str))
            self.assertEqual(seen, ids)

    def test_get_one_task(self):
        tid = STACK.create()
        t = STACK.wait_status(tid)
        self.assertEqual(set(t), set(h.TASK_FIELDS) | {"task_input", "task_result"})
        summary = {k: t[k] for k in h.TASK_FIELDS}
        self.assertTaskSummary(summary)
        self.assertIsInstance(json.loads(t["task_input"]), dict)
        self.assertIsInstance(json.loads(t["task_result"]), dict)


class CreateBodies(h.RestCase):

    def task_input(self, tid):
        return json.loads(STACK.task(tid)["task_input"])

    def test_later_body_gives_the_same_task(self):
        doc = STACK.create()
        later = STACK.json("POST", STACK.jobs(GRAPH),
                           {"algorithm": "page-rank", "worker": 2, "params": {}}, expect=201)[1]
        self.assertEqual(set(later), {"task_id", "message"})
        self.assertEqual(self.task_input(later["task_id"]), self.task_input(doc))
        self.assertEqual(STACK.task(later["task_id"])["task_name"],
                         STACK.task(doc)["task_name"])

    def test_later_body_with_options_gives_the_same_task(self):
        doc = STACK.create(body={"worker_instances": "2", "internal_algorithm": "[pagerank]",
                                 "params_class": PR_CLASS, "page_rank.alpha": "0.2",
                                 "bsp.max_super_step": 3})
        later = STACK.json("POST", STACK.jobs(GRAPH), {
            "algorithm": "page-rank", "worker": 2,
            "params": {"page_rank.alpha": "0.2", "bsp.max_super_step": "3"}}, expect=201)[1]
        self.assertEqual(self.task_input(later["task_id"]), self.task_input(doc))

    def test_other_spellings_of_the_same_create(self):
        base = self.task_input(STACK.create())
        for body in ({"worker_instances": 2, "internal_algorithm": ["pagerank"]},
                     {"worker_instances": "2", "internal_algorithm": "pagerank"},
                     {"worker_instances": "2",
                      "params_class": "org.apache.hugegraph.computer.algorithm.centrality."
                                      "pagerank.PageRankParams"}):
            with self.subTest(body=body):
                self.assertEqual(self.task_input(STACK.create(body=body)), base)

    def test_worker_instances_defaults_to_1(self):
        a = self.task_input(STACK.create(body={}))
        b = self.task_input(STACK.create(body={"worker_instances": "1"}))
        self.assertEqual(a, b)


class PageRank(h.RestCase):
    """A page-rank job on example-directed, created over REST, against the
    LDBC Graphalytics reference output example-directed-PR."""

    def run_reference(self, workers):
        props = properties("example-directed")
        damping = float(props["graph.example-directed.pr.damping-factor"])
        steps = int(props["graph.example-directed.pr.num-iterations"])
        body = {"worker_instances": str(workers), "internal_algorithm": "[pagerank]",
                "params_class": PR_CLASS, "page_rank.alpha": repr(1 - damping),
                "pagerank.l1DiffThreshold": "0", "bsp.max_super_step": str(steps)}
        tid = STACK.create(body=body)
        t = STACK.wait_status(tid, timeout=120)
        self.assertEqual(t["task_status"], "success", t)
        self.assertEqual(t["task_progress"], 100)
        status, hdrs, data = STACK.request("GET", "%s/%d/result?limit=-1" % (STACK.jobs(GRAPH), tid))
        self.assertEqual(status, 200, data)
        self.assertJsonType(hdrs)
        res = json.loads(data)
        self.assertEqual(set(res), {"task_id", "algorithm", "property", "total", "rows"})
        self.assertEqual(res["task_id"], tid)
        self.assertEqual(res["algorithm"], "page-rank")
        self.assertEqual(res["property"], "page_rank")
        self.assertIs(type(res["total"]), int)
        self.assertEqual(res["total"], 10)
        ref = reference("example-directed-PR")
        got = {}
        for row in res["rows"]:
            self.assertEqual(set(row), {"id", "value"})
            self.assertIs(type(row["id"]), int)
            self.assertIn(type(row["value"]), (int, float))
            got[row["id"]] = row["value"]
        self.assertEqual(set(got), set(ref))
        for v, want in ref.items():
            self.assertLessEqual(abs(got[v] - want) / want, 1e-6, "vertex %d: %r vs %r" % (
                v, got[v], want))
        return tid

    def test_reference_one_worker(self):
        self.run_reference(1)

    def test_reference_two_workers(self):
        self.run_reference(2)

    def test_result_limit_offset_order(self):
        tid = self.run_reference(1)
        path = "%s/%d/result" % (STACK.jobs(GRAPH), tid)
        _, all_rows = STACK.json("GET", path + "?limit=-1", expect=200)
        _, page = STACK.json("GET", path + "?limit=2&offset=8", expect=200)
        self.assertEqual(page["total"], 10)
        self.assertEqual(page["rows"], all_rows["rows"][8:10])
        _, top = STACK.json("GET", path + "?limit=3&order=desc", expect=200)
        values = [r["value"] for r in top["rows"]]
        self.assertEqual(len(values), 3)
        self.assertEqual(values, sorted((r["value"] for r in all_rows["rows"]), reverse=True)[:3])
        _, default = STACK.json("GET", path, expect=200)
        self.assertEqual(len(default["rows"]), 10)  # default limit 100 > 10


class ShortestPaths(h.RestCase):
    """sssp over REST on example-directed: each row's value is the object
    {"path": [ids], "total_weight": w}, against example-directed-SSSP."""

    def test_sssp_rows_are_path_objects(self):
        body = {"single_source_shortest_path.source_id": "1",
                "single_source_shortest_path.target_id": "*",
                "single_source_shortest_path.weight_property": "weight"}
        tid = STACK.create(algorithm="sssp", body=body)
        t = STACK.wait_status(tid, timeout=120)
        self.assertEqual(t["task_status"], "success", t)
        _, res = STACK.json("GET", "%s/%d/result?limit=-1" % (STACK.jobs(GRAPH), tid), expect=200)
        ref = {k: v for k, v in reference("example-directed-SSSP").items() if v != float("inf")}
        self.assertEqual(res["total"], len(ref))
        got = {}
        for row in res["rows"]:
            self.assertEqual(set(row["value"]), {"path", "total_weight"}, row)
            path = row["value"]["path"]
            self.assertEqual((path[0], path[-1]), (1, row["id"]), row)
            got[row["id"]] = row["value"]["total_weight"]
        self.assertEqual(set(got), set(ref))
        for v, want in ref.items():
            self.assertLessEqual(abs(got[v] - want), 1e-4 * want, (v, got[v], want))
        _, top = STACK.json("GET", "%s/%d/result?limit=1&order=desc" % (STACK.jobs(GRAPH), tid),
                            expect=200)
        self.assertAlmostEqual(top["rows"][0]["value"]["total_weight"], max(ref.values()), delta=1e-9)


class Streams(h.RestCase):

    def test_watch_a_finished_task_is_one_line(self):
        tid = STACK.create()
        final = STACK.wait_status(tid)
        status, hdrs, data = STACK.request("GET", "%s/%d/watch" % (STACK.jobs(GRAPH), tid))
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["content-type"], "application/x-ndjson")
        lines = data.decode().splitlines()
        self.assertEqual(len(lines), 1, data)
        self.assertEqual(json.loads(lines[0]), final)

    def test_watch_unknown_task_is_a_normal_404(self):
        self.assertError(STACK.request("GET", STACK.jobs(GRAPH) + "/999999/watch"), 404,
                         h.EXC_NOT_FOUND)

    def test_upload_in_chunks_over_several_messages(self):
        # ~3 MiB of edges, sent chunked in odd-sized pieces (lines split
        # across pieces): the bridge passes it on in <= 1 MiB messages.
        n = 250000
        text = "".join("%d %d\n" % (i, (i * 7 + 1) % n) for i in range(n)).encode()
        self.assertGreater(len(text), 2 * 1024 * 1024)

        def pieces():
            step = 65537
            for i in range(0, len(text), step):
                yield text[i:i + step]

        c = STACK.conn(timeout=120)
        try:
            c.request("POST", "/graphs/big/edges", body=pieces(),
                      headers={"Content-Type": "text/plain; charset=utf-8"}, encode_chunked=True)
            r = c.getresponse()
            data = r.read()
        finally:
            c.close()
        self.assertEqual(r.status, 201, data)
        body = json.loads(data)
        self.assertEqual(body["edges_loaded"], n)
        self.assertEqual(body["graph"]["edges"], n)
        self.assertEqual(body["graph"]["vertices"], n)
        _, g = STACK.json("GET", "/graphs/big", expect=200)
        self.assertEqual(g["edges"], n)

    def test_upload_as_octet_stream_appends(self):
        STACK.load_graph("octets", text=b"1 2\n")
        status, hdrs, data = STACK.request("POST", "/graphs/octets/edges", b"2 3\n3 1\n",
                                           content_type="application/octet-stream")
        self.assertEqual(status, 201, data)
        self.assertEqual(json.loads(data)["graph"]["edges"], 3)


class Service(h.RestCase):

    def test_healthz(self):
        _, body = STACK.json("GET", "/healthz", expect=200)
        self.assertEqual(body, {"status": "SERVING", "upstream": STACK.server.addr})

    def test_openapi(self):
        _, doc = STACK.json("GET", "/openapi.json", expect=200)
        paths = doc["paths"]
        for p in ("/graphs/{graph}/jobs/computerdis/{algorithm}", "/graphs/{graph}/jobs/computerdis",
                  "/graphs/{graph}/jobs/computerdis/{task_id}",
                  "/graphs/{graph}/jobs/computerdis/update/{task_id}"):
            self.assertIn(p, paths)

    def test_keep_alive_connection_serves_many(self):
        c = STACK.conn()
        try:
            for path, want in (("/healthz", 200), (STACK.jobs(GRAPH) + "?limit=1", 201),
                               ("/nowhere", 404), (STACK.jobs(GRAPH) + "/abc", 400),
                               ("/healthz", 200)):
                c.request("GET", path)
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, want, path)
            # a refused body on the same connection, then another request
            c.request("POST", STACK.jobs(GRAPH) + "/page-rank", body=b"not json",
                      headers={"Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, 400)
            c.request("GET", "/healthz")
            r = c.getresponse()
            r.read()
            self.assertEqual(r.status, 200)
        finally:
            c.close()

    def test_request_timeout_header_is_accepted(self):
        for name in ("Request-Timeout", "X-Request-Timeout"):
            _, body = STACK.json("GET", STACK.jobs(GRAPH) + "?limit=1", expect=201,
                                 headers={name: "5000"})
            self.assertIn("tasks", body)
        self.assertError(STACK.request("GET", "/healthz", headers={"Request-Timeout": "soon"}),
                         400, h.EXC_ILLEGAL, "the Request-Timeout header 'soon'")
        self.assertError(STACK.request("GET", "/healthz", headers={"X-Request-Timeout": "0"}),
                         400, h.EXC_ILLEGAL, "the X-Request-Timeout header '0'")


if __name__ == "__main__":
    unittest.main()
