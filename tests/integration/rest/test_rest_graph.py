"""HugeGraph's graph endpoints over REST, in HugeGraph's own shapes, against
hgc-rest in front of a real hgc-server: one vertex and one edge at a time
(`POST /graphs/{graph}/graph/vertices`, `.../graph/edges`), batches
(`.../vertices/batch`, `.../edges/batch`: a JSON array in, the ids out),
reading a vertex back (string ids JSON-quoted in the path, as HugeGraph's
clients send them) and its edges, and dropping a graph behind HugeGraph's
confirmation sentence. Bad bodies get HugeGraph's error body.

What is checked is the shape a HugeGraph client parses: field names, JSON
types (an integer property stays an integer, a real a real), statuses.
"""

import json
import unittest
import urllib.parse

import rest_harness as h

STACK = None
SENTENCE = "I'm sure to drop the graph"
VERTEX_FIELDS = {"id", "label", "type", "properties"}
EDGE_FIELDS = {"id", "label", "type", "outV", "inV", "outVLabel", "inVLabel", "properties"}


def setUpModule():
    global STACK
    STACK = h.Stack().start()


def tearDownModule():
    status = STACK.stop()
    assert status.get("hgc-rest") == 0, "hgc-rest did not stop cleanly: %r" % status


def quoted(vid):
    """A vertex id as a path segment the way HugeGraph clients write it:
    a string id JSON-quoted and percent-encoded, a number as is."""
    if isinstance(vid, int):
        return str(vid)
    return urllib.parse.quote(json.dumps(vid), safe="")


def drop_path(name, sentence=SENTENCE):
    # HugeGraph's clients form-encode the sentence: '+' for spaces.
    return "/graphs/%s?confirm_message=%s" % (name, urllib.parse.quote_plus(sentence))


class GraphCase(h.RestCase):
    """Each test has a graph of its own, created empty and dropped after."""

    def setUp(self):
        self.g = "g_" + self._testMethodName[5:][:40]
        STACK.json("POST", "/graphs/" + self.g, expect=201)
        self.addCleanup(STACK.request, "DELETE", drop_path(self.g))

    def path(self, rest):
        return "/graphs/%s/graph/%s" % (self.g, rest)

    def add_vertex(self, body):
        return STACK.json("POST", self.path("vertices"), body, expect=201)[1]

    def add_edge(self, body):
        return STACK.json("POST", self.path("edges"), body, expect=201)[1]

    def vertex(self, vid, expect=200):
        return STACK.json("GET", self.path("vertices/" + quoted(vid)), expect=expect)[1]

    def edges(self, query):
        return STACK.json("GET", self.path("edges?" + urllib.parse.urlencode(query)),
                          expect=200)[1]

    def assertVertex(self, v, vid=None, label=None, properties=None):
        self.assertEqual(set(v), VERTEX_FIELDS, v)
        self.assertEqual(v["type"], "vertex", v)
        self.assertIn(type(v["id"]), (int, str), v)
        self.assertIsInstance(v["properties"], dict, v)
        if vid is not None:
            self.assertEqual(v["id"], vid, v)
            self.assertIs(type(v["id"]), type(vid), v)
        if label is not None:
            self.assertEqual(v["label"], label, v)
        if properties is not None:
            self.assertProperties(v["properties"], properties)

    def assertEdge(self, e, out_v, label, in_v, properties=None):
        self.assertEqual(set(e), EDGE_FIELDS, e)
        self.assertEqual(e["type"], "edge", e)
        self.assertEqual((e["outV"], e["label"], e["inV"]), (out_v, label, in_v), e)
        self.assertIs(type(e["outV"]), type(out_v), e)
        self.assertIs(type(e["inV"]), type(in_v), e)
        self.assertEqual(e["id"], "%s>%s>%s" % (out_v, label, in_v), e)
        if properties is not None:
            self.assertProperties(e["properties"], properties)

    def assertProperties(self, got, want):
        """Equal, and each value of the same JSON type (29 is no 29.0)."""
        for k, v in want.items():
            self.assertIn(k, got, got)
            self.assertEqual(got[k], v, "%s: %r" % (k, got))
            self.assertIs(type(got[k]), type(v), "%s: %r" % (k, got))

    def assertBad(self, method, path, body, contains=None, status=400, **kw):
        before = STACK.graphs()
        answer = STACK.request(method, path, body, **kw)
        exc = h.EXC_NOT_SUPPORTED if status == 415 else h.EXC_ILLEGAL
        self.assertError(answer, status, exc, contains)
        self.assertEqual(STACK.graphs(), before, "a refused request changed the graphs")


class Vertices(GraphCase):

    def test_add_vertex_with_each_property_type(self):
        props = {"name": "marko", "age": 29, "score": 0.75, "ratio": 1.0, "active": True,
                 "big": 2**53 + 1, "negative": -7, "empty": ""}
        v = self.add_vertex({"label": "person", "properties": props})
        # No id given: the service assigns a number.
        self.assertVertex(v, label="person", properties=props)
        self.assertIs(type(v["id"]), int, v)
        self.assertEqual(self.vertex(v["id"]), v)

    def test_answer_as_hugegraph_prints_it(self):
        status, hdrs, data = STACK.request(
            "POST", self.path("vertices"),
            b'{"id": "1:marko", "label": "person", "properties": {"age": 29}}')
        self.assertEqual(status, 201, data)
        self.assertJsonType(hdrs)
        self.assertEqual(json.loads(data), {"id": "1:marko", "label": "person", "type": "vertex",
                                            "properties": {"age": 29}})

    def test_string_id_read_back_quoted_and_plain(self):
        v = self.add_vertex({"id": "1:marko", "label": "person", "properties": {"age": 29}})
        self.assertVertex(v, vid="1:marko", label="person", properties={"age": 29})
        # As HugeGraph's clients send it: "/vertices/%221%3Amarko%22".
        self.assertEqual(self.vertex("1:marko"), v)
        plain = STACK.json("GET", self.path("vertices/1%3Amarko"), expect=200)[1]
        self.assertEqual(plain, v)

    def test_number_id_read_back(self):
        v = self.add_vertex({"id": 7, "label": "software", "properties": {"lang": "java"}})
        self.assertVertex(v, vid=7, label="software", properties={"lang": "java"})
        self.assertEqual(self.vertex(7), v)

    def test_quoted_number_is_a_string_id(self):
        # "7" in the path is the number 7; the string id "7" comes quoted.
        self.add_vertex({"id": "7"})
        self.assertVertex(self.vertex("7"), vid="7")
        self.assertError(STACK.request("GET", self.path("vertices/7")), 404, h.EXC_NOT_FOUND)

    def test_default_label(self):
        v = self.add_vertex({"id": 8})
        self.assertVertex(v, vid=8, label="vertex")

    def test_unknown_vertex_and_graph_are_404(self):
        self.add_vertex({"id": 1})
        self.assertError(STACK.request("GET", self.path("vertices/2")), 404, h.EXC_NOT_FOUND)
        self.assertError(STACK.request("GET", self.path("vertices/" + quoted("nobody"))), 404,
                         h.EXC_NOT_FOUND)
        self.assertError(STACK.request("GET", "/graphs/no_such_graph/graph/vertices/1"), 404,
                         h.EXC_NOT_FOUND)

    def test_batch_returns_the_ids_in_order(self):
        batch = [
            {"id": "1:marko", "label": "person", "properties": {"name": "marko", "age": 29}},
            {"id": "2:vadas", "label": "person", "properties": {"name": "vadas", "age": 27}},
            {"id": 3, "label": "software", "properties": {"name": "lop", "price": 328.5}},
        ]
        status, hdrs, data = STACK.request("POST", self.path("vertices/batch"), batch)
        self.assertEqual(status, 201, data)
        self.assertJsonType(hdrs)
        # HugeGraph answers a batch with the list of ids, nothing else.
        self.assertEqual(json.loads(data), ["1:marko", "2:vadas", 3])
        for item in batch:
            self.assertVertex(self.vertex(item["id"]), vid=item["id"], label=item["label"],
                              properties=item["properties"])

    def test_batch_without_ids_gets_numbers(self):
        _, ids = STACK.json("POST", self.path("vertices/batch"),
                            [{"label": "person"}, {"label": "person"}], expect=201)
        self.assertEqual(len(ids), 2, ids)
        self.assertTrue(all(type(i) is int for i in ids), ids)
        self.assertEqual(len(set(ids)), 2, ids)
        for i in ids:
            self.assertVertex(self.vertex(i), vid=i, label="person")


    def test_posting_a_vertex_that_exists_updates_it(self):
        def version():
            """The graph's version as GET /graphs lists it (a list doesn't fold)."""
            return [g for g in STACK.graphs()["graphs"] if g["name"] == self.g][0]["version"]

        self.add_vertex({"id": "1:marko", "label": "person",
                         "properties": {"name": "marko", "age": 29}})
        self.vertex("1:marko")  # a read folds: the graph has a version now
        before = version()
        v = self.add_vertex({"id": "1:marko", "properties": {"age": 30, "score": 1.0}})
        want = {"name": "marko", "age": 30, "score": 1.0}
        self.assertVertex(v, vid="1:marko", label="person", properties=want)
        self.assertEqual(set(v["properties"]), set(want), v)
        v = self.add_vertex({"id": "1:marko", "label": "person", "properties": {"active": True}})
        want["active"] = True
        self.assertVertex(v, vid="1:marko", label="person", properties=want)
        self.assertEqual(set(v["properties"]), set(want), v)
        self.assertEqual(version(), before, "an update is a small load: no new version")
        # refused: another label, another type; the vertex stays as it was
        self.assertBad("POST", self.path("vertices"), {"id": "1:marko", "label": "software"},
                       contains="has label 'person'")
        self.assertBad("POST", self.path("vertices"),
                       {"id": "1:marko", "properties": {"age": "thirty"}},
                       contains="is int; got string")
        self.assertEqual(self.vertex("1:marko"), v)
        self.assertEqual(version(), before + 1, "the read folded the updates")


class Edges(GraphCase):

    def test_edge_creates_its_end_vertices(self):
        props = {"weight": 0.5, "date": "20160110", "since": 2016}
        e = self.add_edge({"label": "knows", "outV": "1:marko", "inV": "2:vadas",
                           "outVLabel": "person", "inVLabel": "person", "properties": props})
        self.assertEdge(e, "1:marko", "knows", "2:vadas", props)
        self.assertEqual((e["outVLabel"], e["inVLabel"]), ("person", "person"))
        self.assertVertex(self.vertex("1:marko"), vid="1:marko", label="person")
        self.assertVertex(self.vertex("2:vadas"), vid="2:vadas", label="person")

    def test_edge_between_existing_vertices_keeps_them(self):
        self.add_vertex({"id": 1, "label": "person", "properties": {"name": "marko"}})
        self.add_vertex({"id": 3, "label": "software", "properties": {"name": "lop"}})
        e = self.add_edge({"label": "created", "outV": 1, "inV": 3, "outVLabel": "person",
                           "inVLabel": "software", "properties": {"weight": 0.4}})
        self.assertEdge(e, 1, "created", 3, {"weight": 0.4})
        self.assertVertex(self.vertex(1), vid=1, label="person", properties={"name": "marko"})
        self.assertVertex(self.vertex(3), vid=3, label="software", properties={"name": "lop"})

    def test_batch_returns_the_edge_ids(self):
        batch = [
            {"label": "knows", "outV": "1:marko", "inV": "2:vadas", "outVLabel": "person",
             "inVLabel": "person", "properties": {"weight": 0.5}},
            {"label": "knows", "outV": "1:marko", "inV": "4:josh", "outVLabel": "person",
             "inVLabel": "person", "properties": {"weight": 1.0}},
            {"label": "created", "outV": "4:josh", "inV": 5, "outVLabel": "person",
             "inVLabel": "software", "properties": {"weight": 1.0}},
        ]
        status, hdrs, data = STACK.request("POST", self.path("edges/batch"), batch)
        self.assertEqual(status, 201, data)
        self.assertJsonType(hdrs)
        self.assertEqual(json.loads(data), ["1:marko>knows>2:vadas", "1:marko>knows>4:josh",
                                            "4:josh>created>5"])

    def test_answers_post_back_as_they_are(self):
        v = self.add_vertex({"id": 1, "label": "person", "properties": {"name": "marko"}})
        self.assertEqual(self.add_vertex(v), v)
        e = self.add_edge({"label": "knows", "outV": 1, "inV": 2, "outVLabel": "person",
                           "inVLabel": "person", "properties": {"weight": 0.5}})
        self.assertEqual(self.add_edge(e), e)
        self.assertEqual(self.add_edge(dict(e, id="")), e)
        status, _, data = STACK.request("POST", self.path("edges/batch"), [e, e])
        self.assertEqual((status, json.loads(data)), (201, [e["id"], e["id"]]), data)
        status, _, data = STACK.request("POST", self.path("vertices/batch"), [v])
        self.assertEqual((status, json.loads(data)), (201, [1]), data)

    def test_another_type_or_edge_id_is_refused(self):
        self.assertBad("POST", self.path("vertices"), {"id": 1, "type": "edge"},
                       'type is "edge"; a vertex\'s type is "vertex" (or leave it out)')
        self.assertBad("POST", self.path("vertices/batch"), [{"id": 1}, {"id": 2, "type": "x"}],
                       'item 2: type is "x"')
        self.assertBad("POST", self.path("edges"), {"outV": 1, "inV": 2, "type": "vertex"},
                       'type is "vertex"; an edge\'s type is "edge"')
        self.assertBad("POST", self.path("edges"),
                       {"label": "knows", "outV": 1, "inV": 2, "id": "1>knows>3"},
                       'id is "1>knows>3", but this edge\'s id is "1>knows>2"')
        self.assertBad("POST", self.path("edges/batch"),
                       [{"outV": 1, "inV": 2, "id": "1>edge>2"}, {"outV": 1, "inV": 2, "id": "2"}],
                       'item 2: id is "2", but this edge\'s id is "1>edge>2"')
        self.vertex(1, expect=404)

    def test_list_edges_of_a_vertex(self):
        STACK.json("POST", self.path("edges/batch"), [
            {"label": "knows", "outV": "1:marko", "inV": "2:vadas", "outVLabel": "person",
             "inVLabel": "person", "properties": {"weight": 0.5}},
            {"label": "created", "outV": "1:marko", "inV": 3, "outVLabel": "person",
             "inVLabel": "software", "properties": {"weight": 0.4}},
            {"label": "knows", "outV": "4:josh", "inV": "1:marko", "outVLabel": "person",
             "inVLabel": "person", "properties": {"weight": 1.0}},
        ], expect=201)
        marko = json.dumps("1:marko")  # quoted, as HugeGraph's clients send ids
        out = self.edges({"vertex_id": marko, "direction": "OUT"})
        self.assertEqual(set(out), {"edges"}, out)
        got = sorted((e["outV"], e["label"], str(e["inV"])) for e in out["edges"])
        self.assertEqual(got, [("1:marko", "created", "3"), ("1:marko", "knows", "2:vadas")])
        for e in out["edges"]:
            self.assertEqual(set(e), EDGE_FIELDS, e)
            self.assertEqual(e["type"], "edge")
        inward = self.edges({"vertex_id": marko, "direction": "in"})["edges"]
        self.assertEqual([(e["outV"], e["inV"]) for e in inward], [("4:josh", "1:marko")])
        self.assertProperties(inward[0]["properties"], {"weight": 1.0})
        both = self.edges({"vertex_id": marko})["edges"]  # BOTH by default
        self.assertEqual(len(both), 3, both)
        self.assertEqual(len(self.edges({"vertex_id": marko, "limit": 1})["edges"]), 1)
        only = self.edges({"vertex_id": marko, "label": "created"})["edges"]
        self.assertEqual([e["label"] for e in only], ["created"])
        # A number id in the query reads as a number.
        self.assertEqual([e["outV"] for e in self.edges({"vertex_id": 3})["edges"]], ["1:marko"])


class Drop(h.RestCase):

    def make(self, name):
        STACK.json("POST", "/graphs/" + name, expect=201)
        STACK.json("POST", "/graphs/%s/graph/vertices" % name, {"id": 1}, expect=201)
        self.addCleanup(STACK.request, "DELETE", drop_path(name))

    def test_drop_needs_the_sentence(self):
        self.make("drop_guarded")
        for path in ("/graphs/drop_guarded",
                     "/graphs/drop_guarded?confirm_message=",
                     drop_path("drop_guarded", "i'm sure to drop the graph"),
                     drop_path("drop_guarded", "I'm sure")):
            self.assertError(STACK.request("DELETE", path), 400, h.EXC_ILLEGAL)
            STACK.json("GET", "/graphs/drop_guarded", expect=200)  # still there

    def test_drop_with_the_sentence(self):
        self.make("drop_me")
        # Exactly as HugeGraph's clients send it.
        status, hdrs, data = STACK.request(
            "DELETE", "/graphs/drop_me?confirm_message=I%27m+sure+to+drop+the+graph")
        self.assertEqual(status, 204, data)
        self.assertEqual(data, b"")
        self.assertError(STACK.request("GET", "/graphs/drop_me"), 404, h.EXC_NOT_FOUND)
        self.assertError(STACK.request("GET", "/graphs/drop_me/graph/vertices/1"), 404,
                         h.EXC_NOT_FOUND)
        # %20 for the spaces works as well.
        self.make("drop_me_too")
        status, _, data = STACK.request(
            "DELETE", "/graphs/drop_me_too?confirm_message=I%27m%20sure%20to%20drop%20the%20graph")
        self.assertEqual(status, 204, data)


class BadBodies(GraphCase):
    """Refused with HugeGraph's error body, and nothing stored changes."""

    def test_batch_body_must_be_an_array(self):
        self.assertBad("POST", self.path("vertices/batch"), {"vertices": [{"id": 1}]},
                       "must be a JSON array")
        self.assertBad("POST", self.path("edges/batch"), {"label": "knows", "outV": 1, "inV": 2},
                       "must be a JSON array")
        self.assertBad("POST", self.path("vertices/batch"), "7", "must be a JSON array")

    def test_not_json(self):
        self.assertBad("POST", self.path("vertices/batch"), '[{"id": 1},', "not valid JSON")
        self.assertBad("POST", self.path("vertices"), "{id: 1}", "not valid JSON")
        self.assertBad("POST", self.path("vertices"), "[]", "JSON object")

    def test_unknown_keys_are_named(self):
        self.assertBad("POST", self.path("vertices/batch"), [{"id": 1}, {"lable": "person"}],
                       "vertices[1].lable")
        self.assertBad("POST", self.path("edges"), {"label": "knows", "outV": 1, "inV": 2,
                                                    "out_v_label": "person"}, "out_v_label")

    def test_bad_values(self):
        # An id is a number or a string; a property value a scalar.
        self.assertBad("POST", self.path("vertices"), {"id": {"x": 1}}, "id")
        self.assertBad("POST", self.path("vertices"), {"id": 1, "properties": {"x": {"y": 1}}},
                       "property 'x' is a list or object; values are numbers, integers, text "
                       "or booleans")
        self.assertBad("POST", self.path("vertices"), {"id": 1, "properties": {"age": None}},
                       "field 'properties.age' is null")
        self.assertBad("POST", self.path("vertices"), {"id": 1, "properties": {"tags": [1, 2]}},
                       "property 'tags' is a list or object")
        self.assertBad("POST", self.path("vertices"), {"id": 1, "properties": {"": 1}})

    def test_edge_needs_both_ends(self):
        self.assertBad("POST", self.path("edges"), {"label": "knows", "outV": 1})
        self.assertBad("POST", self.path("edges"), {"label": "knows", "inV": 1})
        self.assertBad("POST", self.path("edges/batch"), [{"label": "knows", "outV": 1, "inV": 2},
                                                          {"label": "knows", "outV": 1}])

    def test_batch_is_all_or_nothing(self):
        self.assertBad("POST", self.path("vertices/batch"),
                       [{"id": 1}, {"id": 2, "properties": {"tags": [1]}}])
        self.assertError(STACK.request("GET", self.path("vertices/1")), 404, h.EXC_NOT_FOUND)

    def test_wrong_content_type(self):
        self.assertBad("POST", self.path("vertices/batch"), b'[{"id": 1}]', status=415,
                       content_type="text/plain")
        self.assertBad("POST", self.path("vertices"), b'{"id": 1}', status=415,
                       content_type="text/plain")

    def test_unknown_query_parameter(self):
        self.assertBad("GET", self.path("edges?vertex_id=1&direction=OUT&nope=1"), None,
                       "unknown query parameter 'nope'")


class Described(h.RestCase):

    def test_openapi_lists_the_graph_endpoints(self):
        _, doc = STACK.json("GET", "/openapi.json", expect=200)
        paths = doc["paths"]
        gv, ge = "/graphs/{graph}/graph/vertices", "/graphs/{graph}/graph/edges"
        self.assertIn("post", paths[gv])
        self.assertIn("get", paths[gv + "/{id}"])
        self.assertIn("post", paths[ge])
        self.assertIn("get", paths[ge])
        batch = paths[gv + "/batch"]["post"]
        body = batch["requestBody"]["content"]["application/json"]["schema"]
        self.assertEqual(body["type"], "array")
        answer = batch["responses"]["201"]["content"]["application/json"]["schema"]
        self.assertEqual(answer["type"], "array")
        params = {p["name"] for p in paths["/graphs/{name}"]["delete"]["parameters"]}
        self.assertIn("confirm_message", params)


if __name__ == "__main__":
    unittest.main()
