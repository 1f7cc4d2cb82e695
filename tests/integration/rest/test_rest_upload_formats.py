"""The upload `POST /graphs/{graph}/edges` in its other formats, against
hgc-rest in front of a real hgc-server:

- `?format=jsonl`: HugeGraph vertex and edge objects, one a line, read back
  through HugeGraph's vertex and edge endpoints;
- LDBC Graphalytics in one request: a multipart/form-data body with the
  parts `properties`, `v` and `e` (built here by hand, sent whole and
  chunked in small pieces so that parts and boundaries are split across
  reads), checked against counts and weights read from the files here;
- refusals (unknown part, .v before .properties, a body cut before its
  closing boundary, no boundary, an unknown format): 400 with HugeGraph's
  error body, and the graph as it was.
"""

import json
import os
import time
import unittest
import urllib.parse

import rest_harness as h

STACK = None
BOUNDARY = "hgc-test-7MA4YWxkTrZu0gW"


def setUpModule():
    global STACK
    STACK = h.Stack().start()


def tearDownModule():
    status = STACK.stop()
    assert status.get("hgc-rest") == 0, "hgc-rest did not stop cleanly: %r" % status


def read(name):
    with open(os.path.join(h.GRAPHALYTICS, name), "rb") as f:
        return f.read()


def lines(data):
    return [l.split() for l in data.decode().splitlines() if l.strip()]


def form(parts, boundary=BOUNDARY, close=True):
    """A multipart/form-data body: parts are (name, filename or None, bytes)."""
    b = boundary.encode()
    out = [b"preamble, ignored\r\n"]
    for name, filename, data in parts:
        disp = 'form-data; name="%s"' % name
        if filename:
            disp += '; filename="%s"' % filename
        out += [b"--", b, b"\r\n", ("Content-Disposition: %s\r\n" % disp).encode(),
                b"Content-Type: application/octet-stream\r\n\r\n", data, b"\r\n"]
    if close:
        out += [b"--", b, b"--\r\n"]
    return b"".join(out)


def ga_parts(base, names=("properties", "v", "e"), filenames=False):
    return [(n, "%s.%s" % (base, ext) if filenames else None, read("%s.%s" % (base, ext)))
            for n, ext in zip(names, ("properties", "v", "e"))]


def form_type(boundary=BOUNDARY):
    return "multipart/form-data; boundary=" + boundary


def post_chunked(path, body, content_type, piece=7):
    """POST with Transfer-Encoding: chunked, `piece` bytes a chunk, with
    short pauses so that the server reads it in many pieces."""
    def pieces():
        for i in range(0, len(body), piece):
            if i % (piece * 64) == 0:
                time.sleep(0.002)
            yield body[i:i + piece]
    c = STACK.conn()
    try:
        c.request("POST", path, body=pieces(), headers={"Content-Type": content_type},
                  encode_chunked=True)
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def drop(g):
    STACK.request("DELETE", "/graphs/%s?confirm_message=%s" % (
        g, urllib.parse.quote_plus("I'm sure to drop the graph")))


class UploadCase(h.RestCase):

    def setUp(self):
        self.g = "u_" + self._testMethodName[5:][:40]
        self.addCleanup(drop, self.g)

    def edges_path(self, query=""):
        return "/graphs/%s/edges%s" % (self.g, query)

    def graph(self, expect=200):
        return STACK.json("GET", "/graphs/" + self.g, expect=expect)[1]

    def out_edges(self, vid):
        q = urllib.parse.urlencode({"vertex_id": json.dumps(vid), "direction": "OUT",
                                    "limit": -1})
        return STACK.json("GET", "/graphs/%s/graph/edges?%s" % (self.g, q), expect=200)[1]["edges"]

    def assertLoaded(self, answer, vertices, edges):
        status, hdrs, data = answer
        self.assertEqual(status, 201, data[:2000])
        self.assertJsonType(hdrs)
        j = json.loads(data)
        self.assertEqual((j["graph"]["vertices"], j["graph"]["edges"]), (vertices, edges), j)
        g = self.graph()
        self.assertEqual((g["vertices"], g["edges"]), (vertices, edges), g)
        return j

    def assertRefused(self, answer, contains):
        """400 with HugeGraph's body, and the graph (and the list) unchanged."""
        return self.assertError(answer, 400, h.EXC_ILLEGAL, contains)

    def preload(self):
        """A small graph, so that 'unchanged' means its version stays."""
        STACK.load_graph(self.g, text=b"100 200 1.5\n200 300 2.5\n")
        return self.graph(), STACK.graphs()

    def assertUnchanged(self, before):
        self.assertEqual((self.graph(), STACK.graphs()), before,
                         "a refused upload changed the graph")


class Graphalytics(UploadCase):

    def check_directed(self, answer):
        v, e = lines(read("example-directed.v")), lines(read("example-directed.e"))
        j = self.assertLoaded(answer, len(v), len(e))
        self.assertEqual(j["edges_loaded"], len(e), j)
        self.assertTrue(j["graph"]["weighted"], j)
        want = {}
        for src, dst, w in e:
            want.setdefault(int(src), {})[int(dst)] = float(w)
        for src in (int(e[0][0]), int(e[-1][0])):
            got = {x["inV"]: x["properties"]["weight"] for x in self.out_edges(src)}
            self.assertEqual(got, want[src], "out-edges of %d" % src)
            for x in self.out_edges(src):
                self.assertIs(type(x["properties"]["weight"]), float, x)

    def test_directed_in_one_request(self):
        body = form(ga_parts("example-directed"))
        self.check_directed(STACK.request("POST", self.edges_path(), body,
                                          content_type=form_type()))

    def test_directed_chunked_in_small_pieces(self):
        body = form(ga_parts("example-directed", filenames=True))
        for piece in (1, 7, 64):
            with self.subTest(piece=piece):
                drop(self.g)
                self.check_directed(post_chunked(self.edges_path(), body, form_type(), piece))

    def test_parts_known_by_filename(self):
        body = form(ga_parts("example-directed", names=("file1", "file2", "file3"),
                             filenames=True))
        self.check_directed(STACK.request("POST", self.edges_path(), body,
                                          content_type=form_type()))

    def test_quoted_boundary_and_other_headers(self):
        b = "a b:c'()+_,-./=?"
        body = form(ga_parts("example-directed"), boundary=b)
        self.check_directed(STACK.request("POST", self.edges_path(), body,
                                          content_type='multipart/form-data; boundary="%s"' % b))

    def test_undirected_adds_edges_both_ways(self):
        v, e = lines(read("example-undirected.v")), lines(read("example-undirected.e"))
        loops = sum(1 for a, b, _ in e if a == b)
        body = form(ga_parts("example-undirected"))
        self.assertLoaded(post_chunked(self.edges_path(), body, form_type(), 5),
                          len(v), 2 * len(e) - loops)
        for a, b, w in e[:3]:
            a, b, w = int(a), int(b), float(w)
            fwd = {x["inV"]: x["properties"]["weight"] for x in self.out_edges(a)}
            back = {x["inV"]: x["properties"]["weight"] for x in self.out_edges(b)}
            self.assertEqual((fwd.get(b), back.get(a)), (w, w), "%d-%d" % (a, b))


class Jsonl(UploadCase):

    VID = "a b ünï 中文"
    LINES = [
        {"id": VID, "label": "person", "properties": {"name": "marko", "age": 29}},
        {"id": 7, "label": "software", "properties": {"lang": "c"}},
        {"label": "created", "outV": VID, "inV": 7, "outVLabel": "person",
         "inVLabel": "software", "properties": {"weight": 0.5, "since": 2016}},
    ]

    def body(self):
        return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in self.LINES).encode()

    def check(self, answer):
        j = self.assertLoaded(answer, 2, 1)
        self.assertEqual(j["edges_loaded"], 1, j)
        vq = urllib.parse.quote(json.dumps(self.VID, ensure_ascii=False), safe="")
        v = STACK.json("GET", "/graphs/%s/graph/vertices/%s" % (self.g, vq), expect=200)[1]
        self.assertEqual((v["id"], v["label"]), (self.VID, "person"), v)
        self.assertEqual(v["properties"], {"name": "marko", "age": 29}, v)
        self.assertIs(type(v["properties"]["age"]), int, v)
        (e,) = self.out_edges(self.VID)
        self.assertEqual((e["outV"], e["label"], e["inV"]), (self.VID, "created", 7), e)
        self.assertEqual(e["properties"], {"weight": 0.5, "since": 2016}, e)

    def test_jsonl_round_trip(self):
        self.check(STACK.request("POST", self.edges_path("?format=jsonl"), self.body(),
                                 content_type="text/plain; charset=utf-8"))

    def test_jsonl_as_ndjson_chunked(self):
        self.check(post_chunked(self.edges_path("?format=jsonl"), self.body(),
                                "application/x-ndjson", 3))

    def test_jsonl_over_several_upload_messages(self):
        # 3 MiB of lines: the bridge sends 1 MiB messages and only the first
        # carries the query's format; lines cut between messages go on.
        n = 20000
        lines = "".join(json.dumps({"label": "knows", "outV": i, "inV": (i * 7) % n,
                                    "properties": {"note": "x" * 120, "w": i}}) + "\n"
                        for i in range(n)).encode()
        self.assertGreater(len(lines), 3 << 20)
        j = self.assertLoaded(STACK.request("POST", self.edges_path("?format=jsonl"), lines,
                                            content_type="text/plain"), n, n)
        self.assertEqual(j["edges_loaded"], n, j)
        (e,) = self.out_edges(n - 1)
        self.assertEqual((e["inV"], e["properties"]["w"]), (((n - 1) * 7) % n, n - 1), e)

    def test_format_edges_is_the_edge_list(self):
        self.assertLoaded(STACK.request("POST", self.edges_path("?format=edges"), b"1 2\n2 3\n",
                                        content_type="text/plain"), 3, 2)


class Refusals(UploadCase):

    def test_unknown_part_name(self):
        before = self.preload()
        parts = ga_parts("example-directed") + [("extra", "notes.txt", b"hello\n")]
        body = form(parts)
        for send in (lambda: STACK.request("POST", self.edges_path(), body,
                                           content_type=form_type()),
                     lambda: post_chunked(self.edges_path(), body, form_type(), 11)):
            err = self.assertRefused(send(), "'extra'")
            for name in ("properties", "v", "e", "notes.txt"):
                self.assertIn(name, err["message"])
            self.assertUnchanged(before)

    def test_v_before_properties(self):
        before = self.preload()
        # The parts as named, the .v first: passed on in that order.
        parts = ga_parts("example-directed")
        body = form([parts[1], parts[0], parts[2]])
        self.assertRefused(STACK.request("POST", self.edges_path(), body,
                                         content_type=form_type()),
                           "graphalytics.v text came before the graphalytics.properties text")
        self.assertUnchanged(before)

    def test_cut_before_the_closing_boundary(self):
        before = self.preload()
        whole = form(ga_parts("example-directed"))
        for body in (form(ga_parts("example-directed"), close=False),
                     whole[:len(whole) - len("--\r\n") - 1],
                     whole[:len(whole) // 2]):
            self.assertRefused(STACK.request("POST", self.edges_path(), body,
                                             content_type=form_type()),
                               "ends before its closing boundary")
            self.assertUnchanged(before)
        self.assertRefused(post_chunked(self.edges_path(), whole[:-20], form_type(), 13),
                           "ends before its closing boundary")
        self.assertUnchanged(before)

    def test_no_boundary(self):
        before = self.preload()
        body = form(ga_parts("example-directed"))
        self.assertRefused(STACK.request("POST", self.edges_path(), body,
                                         content_type="multipart/form-data"), "no boundary")
        self.assertRefused(STACK.request("POST", self.edges_path(), b"no boundary line here\r\n",
                                         content_type=form_type()), "no boundary line")
        self.assertUnchanged(before)

    def test_part_without_name(self):
        before = self.preload()
        body = ("--%s\r\nContent-Type: text/plain\r\n\r\n1 2\r\n--%s--\r\n" % (
            BOUNDARY, BOUNDARY)).encode()
        self.assertRefused(STACK.request("POST", self.edges_path(), body,
                                         content_type=form_type()), "no Content-Disposition")
        self.assertUnchanged(before)

    def test_format_query_with_a_form(self):
        before = self.preload()
        body = form(ga_parts("example-directed"))
        self.assertRefused(STACK.request("POST", self.edges_path("?format=jsonl"), body,
                                         content_type=form_type()), "format=jsonl")
        self.assertUnchanged(before)

    def test_unknown_format(self):
        before = self.preload()
        self.assertRefused(STACK.request("POST", self.edges_path("?format=xyz"), b"1 2\n",
                                         content_type="text/plain"),
                           "format 'xyz' is not known")
        self.assertUnchanged(before)

    def test_bad_jsonl_line(self):
        before = self.preload()
        self.assertRefused(STACK.request("POST", self.edges_path("?format=jsonl"),
                                         b'{"id": 1}\n{"outV": 1\n', content_type="text/plain"),
                           "jsonl")
        self.assertUnchanged(before)

    def test_other_content_type_still_415(self):
        before = self.preload()
        self.assertError(STACK.request("POST", self.edges_path(), b"1 2\n",
                                       content_type="application/json"), 415,
                         h.EXC_NOT_SUPPORTED, "multipart/form-data")
        self.assertUnchanged(before)


if __name__ == "__main__":
    unittest.main()
