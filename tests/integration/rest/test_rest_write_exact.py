"""Writes are stored exactly as sent, or refused with 400 naming the field
(issue 8, items 5-7), through the real hgc-rest in front of a real
hgc-server:

- ids that are booleans or fractions, labels that are numbers, a whole
  number rounded through a double, null property values: refused, nothing
  stored;
- worker_instances 0 / "0" / -0 / 0.0 / 1e-999 and option values with
  spaces: refused, no task made;
- one id limit (512 bytes): an id at the limit is stored and read back
  through the REST path (plain and JSON-quoted, every byte escaped) and
  the edges query; one byte more is refused naming the limit, through
  every write path (vertex, edge, batch, edge-list upload, JSON lines);
- adding a vertex or an edge to an unknown graph is 404 and creates
  nothing; a bulk load still creates its graph.

Bodies are sent as raw text where Python's json would change the number
(9007199254740993.0 prints as ...992.0).
"""

import json
import unittest
import urllib.parse

import rest_harness as h

STACK = None
SENTENCE = "I'm sure to drop the graph"
ID_MAX = 512


def setUpModule():
    global STACK
    STACK = h.Stack().start()


def tearDownModule():
    status = STACK.stop()
    assert status.get("hgc-rest") == 0, "hgc-rest did not stop cleanly: %r" % status


def drop(name):
    STACK.request("DELETE", "/graphs/%s?confirm_message=%s" % (name, urllib.parse.quote_plus(SENTENCE)))


def escaped_all(s):
    """s JSON-quoted with every character as \\u00XX (ASCII only): the
    longest quoted form a JSON encoder may send."""
    return '"' + "".join("\\u%04x" % ord(c) for c in s) + '"'


class Case(h.RestCase):
    def setUp(self):
        self.g = "x_" + self._testMethodName[5:][:40]
        STACK.json("POST", "/graphs/" + self.g, expect=201)
        self.addCleanup(drop, self.g)

    def path(self, rest):
        return "/graphs/%s/graph/%s" % (self.g, rest)

    def refused(self, path, body, field, status=400, exc=h.EXC_ILLEGAL, contains=None):
        """Refused naming `field`, and nothing stored changes."""
        before = STACK.graphs()
        self.assertError(STACK.request("POST", path, body), status, exc, field)
        if contains:
            self.assertError(STACK.request("POST", path, body), status, exc, contains)
        self.assertEqual(STACK.graphs(), before, "a refused write changed the graphs: %s" % body)

    def vertex(self, vid_segment, expect=200):
        return STACK.json("GET", self.path("vertices/" + vid_segment), expect=expect)[1]


class Exact(Case):
    def test_ids_that_would_change_are_refused(self):
        for body in ('{"id": true}', '{"id": false}', '{"id": 1.5}', '{"id": 1e300}',
                     '{"id": 9007199254740993.0}', '{"id": 1e16}'):
            self.refused(self.path("vertices"), body, "'id'")
        self.refused(self.path("vertices"), '{"id": 9007199254740993.0}', "'id'",
                     contains="2^53")
        self.refused(self.path("vertices/batch"), '[{"id": 1}, {"id": true}]', "vertices[1].id")
        self.refused(self.path("edges"), '{"outV": 1, "inV": 2.5}', "'inV'")
        self.refused(self.path("edges/batch"), '[{"outV": false, "inV": 2}]', "edges[0].outV")
        # Nothing of the refused batches was stored.
        self.assertError(STACK.request("GET", self.path("vertices/1")), 404, h.EXC_NOT_FOUND)

    def test_exact_ids_are_stored_exactly(self):
        # Written in digits, 2^53 + 1 is exact in JSON text: kept as is.
        v = STACK.json("POST", self.path("vertices"), '{"id": 9007199254740993}', expect=201)[1]
        self.assertEqual(v["id"], 9007199254740993)
        got = self.vertex("9007199254740993")
        self.assertEqual(got["id"], 9007199254740993)
        self.assertEqual(self.vertex("9007199254740992", expect=404)["exception"],
                         h.EXC_NOT_FOUND)
        v = STACK.json("POST", self.path("vertices"), '{"id": "true"}', expect=201)[1]
        self.assertEqual(v["id"], "true")

    def test_labels_must_be_strings(self):
        self.refused(self.path("vertices"), '{"id": 1, "label": 5}', "'label'")
        self.refused(self.path("vertices"), '{"id": 1, "label": true}', "'label'")
        self.refused(self.path("edges"), '{"outV": 1, "inV": 2, "label": 7}', "'label'")
        self.refused(self.path("edges"), '{"outV": 1, "inV": 2, "inVLabel": 1.5}', "'inVLabel'")

    def test_null_property_is_refused_not_dropped(self):
        self.refused(self.path("vertices"), '{"id": 1, "properties": {"a": 1, "b": null}}',
                     "properties.b")
        self.refused(self.path("edges"), '{"outV": 1, "inV": 2, "properties": {"w": null}}',
                     "properties.w")
        self.assertError(STACK.request("GET", self.path("vertices/1")), 404, h.EXC_NOT_FOUND)
        # A null id is "no id": the service assigns one.
        v = STACK.json("POST", self.path("vertices"), '{"id": null, "properties": {"a": 1}}',
                       expect=201)[1]
        self.assertIsInstance(v["id"], int)
        self.assertEqual(v["properties"], {"a": 1})


class JobNumbers(h.RestCase):
    @classmethod
    def setUpClass(cls):
        STACK.load_graph("jobs_exact")

    def test_zero_workers_and_spaced_numbers_are_refused(self):
        path = STACK.jobs("jobs_exact") + "/page-rank"
        before = STACK.tasks("jobs_exact")
        for wi in ('0', '"0"', '-0', '0.0', '1e-999', '" 2"', '"2 "', '"1e-999"', '2.5',
                   '9007199254740993.0', 'true'):
            body = '{"worker_instances": %s}' % wi
            self.assertError(STACK.request("POST", path, body), 400, h.EXC_ILLEGAL,
                             "worker_instances")
        self.assertError(STACK.request("POST", STACK.jobs("jobs_exact"),
                                       '{"algorithm": "page-rank", "worker": 0}'),
                         400, h.EXC_ILLEGAL, "worker")
        for opt in ('" 2"', '"2 "', '"1e-999"', '" 20"'):
            body = '{"bsp.max_super_step": %s}' % opt
            self.assertError(STACK.request("POST", path, body), 400, h.EXC_ILLEGAL,
                             "bsp.max_super_step")
        self.assertEqual(STACK.tasks("jobs_exact"), before, "a refused create made a task")
        # What stays accepted: absent (1), 1, "2", and options as numbers.
        for body, want in (('{}', 1), ('{"worker_instances": 1}', 1),
                           ('{"worker_instances": "2", "bsp.max_super_step": 2}', 2)):
            tid = STACK.json("POST", path, body, expect=201)[1]["task_id"]
            got = json.loads(STACK.task(tid, "jobs_exact")["task_input"])
            self.assertEqual(got["worker_instances"], want, got)


class IdLimit(Case):
    def test_an_id_at_the_limit_is_readable_everywhere(self):
        vid = "k" * (ID_MAX - 3) + ":\"/"  # 512 bytes, with a quote and a slash
        self.assertEqual(len(vid.encode()), ID_MAX)
        other = "7" * ID_MAX  # all digits: a string id only read back quoted
        STACK.json("POST", self.path("vertices"), {"id": vid, "label": "p"}, expect=201)
        STACK.json("POST", self.path("edges"), {"outV": vid, "inV": other, "label": "e"},
                   expect=201)
        # Path: plain (percent-encoded), quoted, and quoted with every
        # byte escaped (the longest form a client may send).
        for seg in (urllib.parse.quote(vid, safe=""), urllib.parse.quote(json.dumps(vid), safe=""),
                    urllib.parse.quote(escaped_all(vid), safe="")):
            got = self.vertex(seg)
            self.assertEqual(got["id"], vid)
            self.assertEqual(got["label"], "p")
        got = self.vertex(urllib.parse.quote(json.dumps(other), safe=""))
        self.assertEqual(got["id"], other)
        # Query: the edges of each end, quoted (long and escaped forms too).
        for form in (json.dumps(vid), escaped_all(vid), vid):
            q = urllib.parse.urlencode({"vertex_id": form, "direction": "OUT"})
            edges = STACK.json("GET", self.path("edges?" + q), expect=200)[1]["edges"]
            self.assertEqual([(e["outV"], e["inV"]) for e in edges], [(vid, other)], form)
        q = urllib.parse.urlencode({"vertex_id": escaped_all(other), "direction": "IN"})
        edges = STACK.json("GET", self.path("edges?" + q), expect=200)[1]["edges"]
        self.assertEqual(len(edges), 1)

    def test_a_longer_id_is_refused_on_every_write(self):
        long_id = "k" * (ID_MAX + 1)
        msg = "at most %d bytes" % ID_MAX
        self.refused(self.path("vertices"), {"id": long_id}, msg)
        self.refused(self.path("vertices/batch"), [{"id": 1}, {"id": long_id}], msg)
        self.refused(self.path("edges"), {"outV": 1, "inV": long_id}, msg)
        self.refused(self.path("edges/batch"), [{"outV": long_id, "inV": 1}], msg)
        # Multi-byte: 171 three-byte characters are 513 bytes.
        self.refused(self.path("vertices"), {"id": "\u20ac" * 171}, msg)
        # Bulk loads hold the same limit (and create nothing).
        before = STACK.graphs()
        for fmt, text in (("edges", "a %s\n" % long_id),
                          ("jsonl", json.dumps({"id": long_id, "label": "p"}) + "\n")):
            self.assertError(STACK.request("POST", "/graphs/bulk_%s/edges?format=%s" % (self.g, fmt),
                                           text, content_type="text/plain"),
                             400, h.EXC_ILLEGAL, msg)
        self.assertEqual(STACK.graphs(), before)
        # A read of a longer id says so too (not "no endpoint").
        for seg in (urllib.parse.quote(long_id), urllib.parse.quote(json.dumps(long_id))):
            self.assertError(STACK.request("GET", self.path("vertices/" + seg)), 400,
                             h.EXC_ILLEGAL, msg)
        q = urllib.parse.urlencode({"vertex_id": json.dumps(long_id)})
        self.assertError(STACK.request("GET", self.path("edges?" + q)), 400, h.EXC_ILLEGAL, msg)


class UnknownGraph(h.RestCase):
    def test_adds_to_an_unknown_graph_are_404_and_create_nothing(self):
        before = STACK.graphs()
        for rest, body in (("vertices", {"id": 1}), ("vertices/batch", [{"id": 1}]),
                           ("edges", {"outV": 1, "inV": 2}),
                           ("edges/batch", [{"outV": 1, "inV": 2}])):
            answer = STACK.request("POST", "/graphs/nosuch/graph/" + rest, body)
            self.assertError(answer, 404, h.EXC_NOT_FOUND, "graph 'nosuch' does not exist")
        self.assertEqual(STACK.graphs(), before)
        self.assertError(STACK.request("GET", "/graphs/nosuch"), 404, h.EXC_NOT_FOUND)

    def test_created_empty_graph_takes_adds_and_bulk_load_creates(self):
        STACK.json("POST", "/graphs/made_first", expect=201)
        self.addCleanup(drop, "made_first")
        STACK.json("POST", "/graphs/made_first/graph/vertices", {"id": 1}, expect=201)
        self.addCleanup(drop, "loaded_new")
        g = STACK.load_graph("loaded_new", text=b"1 2\n")
        self.assertEqual(g["graph"]["name"], "loaded_new")
        STACK.json("POST", "/graphs/loaded_new/graph/edges", {"outV": 2, "inV": 3}, expect=201)


if __name__ == "__main__":
    unittest.main()
