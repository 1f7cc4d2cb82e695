"""The graph store: vertices and edges with labels and properties, loaded by
every path (AddVertices/AddEdges streams, AddVertex/AddEdge, LoadEdges with
JSON lines, LDBC Graphalytics and plain edge lists) and read back with
GetVertex, ListEdges and GetGraph. Every check compares with what the test
fed, never with the server's own earlier answers."""

import json
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import grpc, graphs_pb2, common_pb2, jobs_pb2  # noqa: E402

SC = grpc.StatusCode
IA = SC.INVALID_ARGUMENT
I64_MAX = 2 ** 63 - 1
I64_MIN = -2 ** 63


# ---------------------------------------------------------------- helpers

def vid(k):
    return common_pb2.VertexId(num=k) if isinstance(k, int) else common_pb2.VertexId(str=k)


def val(x):
    if isinstance(x, bool):
        return common_pb2.Value(boolean=x)
    if isinstance(x, int):
        return common_pb2.Value(integer=x)
    if isinstance(x, float):
        return common_pb2.Value(number=x)
    if isinstance(x, list):
        return common_pb2.Value(list=common_pb2.ValueList(items=[val(i) for i in x]))
    return common_pb2.Value(text=x)


def typed(v):
    """A Value as (type, python value), so 1 (int) and 1.0 (double) differ."""
    k = v.WhichOneof("kind")
    return (k, getattr(v, k))


def typed_py(x):
    return typed(val(x))


def vertex(k=None, label="", **props):
    v = graphs_pb2.Vertex(label=label)
    if k is not None:
        v.id.CopyFrom(vid(k))
    for key, x in props.items():
        v.properties[key].CopyFrom(val(x))
    return v


def gedge(src, dst, label="", out_label="", in_label="", **props):
    e = graphs_pb2.GraphEdge(label=label, outV=vid(src), inV=vid(dst), outVLabel=out_label,
                             inVLabel=in_label)
    for key, x in props.items():
        e.properties[key].CopyFrom(val(x))
    return e


def add_vertices(s, graph, batches, **kw):
    def gen():
        for i, b in enumerate(batches):
            yield graphs_pb2.AddVerticesRequest(graph=graph if i == 0 else "", vertices=b)
    return s.graphs.AddVertices(gen(), **kw)


def add_edges(s, graph, batches, **kw):
    def gen():
        for i, b in enumerate(batches):
            yield graphs_pb2.AddEdgesRequest(graph=graph if i == 0 else "", edges=b)
    return s.graphs.AddEdges(gen(), **kw)


def load_format(s, graph, parts, chunk=1 << 16):
    """LoadEdges with (format, bytes) parts, each cut in `chunk` pieces."""
    def gen():
        first = True
        for fmt, data in parts:
            if isinstance(data, str):
                data = data.encode()
            for i in range(0, max(len(data), 1), chunk):
                yield graphs_pb2.EdgeBatch(graph=graph if first else "", format=fmt,
                                           text=data[i:i + chunk])
                first = False
    return s.graphs.LoadEdges(gen())


def get_vertex(s, graph, k):
    return s.graphs.GetVertex(graphs_pb2.GetVertexRequest(graph=graph, id=vid(k)))


def list_edges(s, graph, k, direction="", label="", limit=-1):
    return list(s.graphs.ListEdges(graphs_pb2.ListEdgesRequest(
        graph=graph, vertex_id=vid(k), direction=direction, label=label, limit=limit)).edges)


def props_of(msg):
    return {k: typed(v) for k, v in msg.properties.items()}


def edge_tuple(e):
    return (H.vid_key(e.outV), e.label, H.vid_key(e.inV), tuple(sorted(props_of(e).items())))


def describe(g):
    """What GetGraph says about the graph's content, as plain data."""
    return {
        "vertices": g.vertices, "edges": g.edges,
        "vlabels": {l.name: l.count for l in g.vertex_labels},
        "elabels": {l.name: l.count for l in g.edge_labels},
        "keys": {(k.kind, k.label, k.key): k.type for k in g.property_keys},
    }


# A small social graph with every kind of id and property.
PEOPLE = [
    ("1:marko", "person", {"name": "marko", "age": 29, "score": 0.5, "active": True}),
    ("vadas smith", "person", {"name": "vadas", "age": 27, "score": 1.25, "active": False}),
    ("日本語 ü ✓", "person", {"name": "名前", "age": 0, "score": -3.0, "active": True}),
    (I64_MAX, "software", {"name": "lop", "lang": "java"}),
    (I64_MIN, "software", {"name": "ripple"}),
    (42, "person", {"age": -7}),
]
KNOWS = [
    ("1:marko", "vadas smith", "knows", {"weight": 0.5, "since": 2010}),
    ("1:marko", "日本語 ü ✓", "knows", {"weight": 1.0, "since": 2011}),
    ("1:marko", I64_MAX, "created", {"weight": 0.4, "note": "α β"}),
    (42, I64_MIN, "created", {"weight": 1.0, "note": ""}),
    ("vadas smith", "1:marko", "knows", {"weight": 0.25, "since": 2012}),
    ("1:marko", "new one", "created", {"weight": 2.0, "note": "creates its end"}),
]


def in_label_of(dst):
    """The edge to the vertex it creates names that vertex's label."""
    return "software" if dst == "new one" else ""


TYPE_NAMES = {bool: "bool", int: "int", float: "double", str: "string"}


class GraphStore(H.IntegrationTest):

    def setUp(self):
        super().setUp()
        self.s = self.start_server()

    # ---------------------------------------------------------- checkers

    def check_people(self, graph, people=PEOPLE, knows=KNOWS, new_label="software"):
        s = self.s
        for k, label, props in people:
            with self.subTest(vertex=k):
                v = get_vertex(s, graph, k)
                self.assertEqual(H.vid_key(v.id), k)
                self.assertEqual(v.label, label)
                self.assertEqual(v.type, "vertex")
                self.assertEqual(props_of(v), {a: typed_py(b) for a, b in props.items()})
        # the vertex an edge created has the label the edge named, no properties
        v = get_vertex(s, graph, "new one")
        self.assertEqual((v.label, dict(v.properties)), (new_label, {}))
        # edges, each way
        fed = {}
        for src, dst, label, props in knows:
            fed.setdefault(src, []).append(
                (src, label, dst, tuple(sorted((a, typed_py(b)) for a, b in props.items()))))
        for k, _, _ in people:
            outs = list_edges(s, graph, k, "OUT")
            self.assertEqual(sorted(map(edge_tuple, outs), key=repr), sorted(fed.get(k, []), key=repr))
            for e in outs:
                self.assertEqual(e.type, "edge")
                self.assertEqual(e.id, "%s>%s>%s" % (H.vid_key(e.outV), e.label, H.vid_key(e.inV)))
            ins = list_edges(s, graph, k, "in")
            want_in = [t for lst in fed.values() for t in lst if t[2] == k]
            self.assertEqual(sorted(map(edge_tuple, ins), key=repr), sorted(want_in, key=repr))
            both = list_edges(s, graph, k, "BOTH")
            self.assertEqual(len(both), len(outs) + len(ins))
        # label filter and limit
        self.assertEqual({e.label for e in list_edges(s, graph, "1:marko", "OUT", "created")}, {"created"})
        self.assertEqual(len(list_edges(s, graph, "1:marko", "OUT", "created")), 2)
        self.assertEqual(list_edges(s, graph, "1:marko", "OUT", "no-such-label"), [])
        self.assertEqual(len(list_edges(s, graph, "1:marko", "OUT", limit=1)), 1)
        # the description
        d = describe(H.get_graph(s, graph))
        vl = {}
        for _, label, _ in people:
            vl[label] = vl.get(label, 0) + 1
        vl[new_label] = vl.get(new_label, 0) + 1
        el = {}
        for _, _, label, _ in knows:
            el[label] = el.get(label, 0) + 1
        keys = {}
        for _, label, props in people:
            for a, b in props.items():
                keys[("vertex", label, a)] = TYPE_NAMES[type(b)]
        for _, _, label, props in knows:
            for a, b in props.items():
                keys[("edge", label, a)] = TYPE_NAMES[type(b)]
        self.assertEqual(d, {"vertices": len(people) + 1, "edges": len(knows),
                             "vlabels": vl, "elabels": el, "keys": keys})

    def assertRefused(self, fn, contains, graph, code=IA):
        before = H.get_graph(self.s, graph) if graph else None
        self.assertRpcError(code, fn, contains=contains)
        if graph:
            after = H.get_graph(self.s, graph)
            self.assertEqual(after, before, "the graph changed after a refused load")

    # ---------------------------------------------------------- loading paths

    def test_add_vertices_and_edges_round_trip(self):
        s = self.s
        vs = [vertex(k, label, **props) for k, label, props in PEOPLE]
        H.create_graph(s, "social")  # adds need the graph (issue 8)
        r = add_vertices(s, "social", [vs[:2], vs[2:]])
        self.assertEqual([H.vid_key(i) for i in r.ids], [k for k, _, _ in PEOPLE])
        # a small load goes to the current version's delta log (0: the
        # empty graph CreateGraph made): the counts change at once, the
        # version when something reads the graph (a fold)
        self.assertEqual((r.graph.vertices, r.graph.edges, r.graph.version), (len(PEOPLE), 0, 0))
        es = [gedge(a, b, label, in_label=in_label_of(b), **p) for a, b, label, p in KNOWS]
        r = add_edges(s, "social", [es[:3], es[3:]])
        self.assertEqual(list(r.ids), ["%s>%s>%s" % (a, l, b) for a, b, l, _ in KNOWS])
        self.assertEqual((r.graph.vertices, r.graph.edges, r.graph.version),
                         (len(PEOPLE) + 1, len(KNOWS), 0))
        self.assertEqual(H.get_graph(s, "social").version, 1)
        self.check_people("social")
        # a string id may come JSON-quoted (HugeGraph's REST paths)
        self.assertEqual(get_vertex(s, "social", '"vadas smith"').label, "person")
        self.assertEqual(H.vid_key(get_vertex(s, "social", json.dumps("日本語 ü ✓")).id), "日本語 ü ✓")
        # unknown vertex and graph
        self.assertRpcError(SC.NOT_FOUND, get_vertex, s, "social", "nobody", contains="nobody")
        self.assertRpcError(SC.NOT_FOUND, get_vertex, s, "no-such-graph", 1)
        self.assertRpcError(SC.NOT_FOUND, list_edges, s, "social", 12345)
        self.assertRpcError(SC.NOT_FOUND, list_edges, s, "no-such-graph", 1)
        self.assertRpcError(IA, list_edges, s, "social", 42, "SIDEWAYS", contains="OUT, IN or BOTH")
        g = H.get_graph(s, "social")
        self.assertEqual(list(g.versions), [1])
        self.assertGreater(g.size_bytes, 0)
        # ListGraphs still lists it
        names = [x.name for x in s.graphs.ListGraphs(graphs_pb2.ListGraphsRequest()).graphs]
        self.assertIn("social", names)

    def test_assigned_ids_and_unary_adds(self):
        s = self.s
        H.create_graph(s, "u")  # adds need the graph (issue 8)
        r = add_vertices(s, "u", [[vertex(10, "person", age=1), vertex(None, "person", age=2),
                                   vertex(None, "", age=3)]])
        ids = [H.vid_key(i) for i in r.ids]
        self.assertEqual(ids[0], 10)
        self.assertTrue(all(isinstance(i, int) for i in ids) and len(set(ids)) == 3, ids)
        self.assertEqual(props_of(get_vertex(s, "u", ids[1])), {"age": ("integer", 2)})
        self.assertEqual(get_vertex(s, "u", ids[2]).label, "vertex")
        # AddVertex: a small load, answered as stored
        v = s.graphs.AddVertex(graphs_pb2.AddVertexRequest(
            graph="u", id=vid("solo"), label="person", properties={"age": val(5)}))
        self.assertEqual((H.vid_key(v.id), v.label, props_of(v)), ("solo", "person", {"age": ("integer", 5)}))
        e = s.graphs.AddEdge(graphs_pb2.AddEdgeRequest(
            graph="u", label="likes", outV=vid("solo"), inV=vid(10), properties={"w": val(0.5)}))
        self.assertEqual(e.id, "solo>likes>10")
        g = H.get_graph(s, "u")  # folds both adds into version 2
        self.assertEqual((g.version, g.vertices, g.edges), (2, 4, 1))
        self.assertEqual([edge_tuple(x) for x in list_edges(s, "u", 10, "IN")],
                         [("solo", "likes", 10, (("w", ("number", 0.5)),))])
        # later values of a vertex replace earlier ones; its label stays
        add_vertices(s, "u", [[vertex(10, "", age=11)]])
        self.assertEqual((get_vertex(s, "u", 10).label, props_of(get_vertex(s, "u", 10))),
                         ("person", {"age": ("integer", 11)}))
        # AddVertex of a vertex that exists answers with all it has now
        v = s.graphs.AddVertex(graphs_pb2.AddVertexRequest(
            graph="u", id=vid(10), properties={"name": val("ten")}))
        self.assertEqual((v.label, props_of(v)),
                         ("person", {"age": ("integer", 11), "name": ("text", "ten")}))

    def test_string_of_digits_is_a_string_id(self):
        # Over gRPC an id is exactly what the caller sent (common.proto):
        # {str: "7"} is the string vertex, never the number 7 (issue 11).
        s = self.s
        H.create_graph(s, "d7")  # adds need the graph (issue 8)
        add_vertices(s, "d7", [[vertex(7, "number"), vertex("7", "text"), vertex("-3", "neg")]])
        add_edges(s, "d7", [[gedge("7", 7, "s2n"), gedge(7, "-3", "n2m")]])
        v = get_vertex(s, "d7", "7")
        self.assertEqual((v.id.WhichOneof("kind"), v.id.str, v.label), ("str", "7", "text"))
        v = get_vertex(s, "d7", 7)
        self.assertEqual((v.id.WhichOneof("kind"), v.id.num, v.label), ("num", 7, "number"))
        self.assertEqual([edge_tuple(e) for e in list_edges(s, "d7", "7", "OUT")],
                         [("7", "s2n", 7, ())])
        self.assertEqual([edge_tuple(e) for e in list_edges(s, "d7", 7, "OUT")],
                         [(7, "n2m", "-3", ())])
        # only the string "-3" exists: the number -3 is not it, and back
        self.assertEqual(get_vertex(s, "d7", "-3").label, "neg")
        self.assertRpcError(SC.NOT_FOUND, get_vertex, s, "d7", -3, contains="-3")
        H.create_graph(s, "d8")
        add_vertices(s, "d8", [[vertex(8, "number")]])
        self.assertRpcError(SC.NOT_FOUND, get_vertex, s, "d8", "8", contains="'8'")
        self.assertRpcError(SC.NOT_FOUND, list_edges, s, "d8", "8")

    def test_jsonl_round_trip(self):
        lines = []
        for k, label, props in PEOPLE:
            lines.append(json.dumps({"id": k, "label": label, "properties": props}, ensure_ascii=False))
        for a, b, label, props in KNOWS:
            e = {"label": label, "outV": a, "inV": b, "properties": props}
            if in_label_of(b):
                e["inVLabel"] = in_label_of(b)
            lines.append(json.dumps(e, ensure_ascii=False))
        text = ("\n".join(lines) + "\n").encode()
        r = load_format(self.s, "social-jsonl", [("jsonl", text)], chunk=7)  # cuts lines and UTF-8
        self.assertEqual((r.graph.vertices, r.graph.edges, r.edges_loaded),
                         (len(PEOPLE) + 1, len(KNOWS), len(KNOWS)))
        self.check_people("social-jsonl")

    def test_graphalytics_example_directed(self):
        base = os.path.join(H.GRAPHALYTICS, "example-directed")
        parts = []
        for ext in ("properties", "v", "e"):
            with open(base + "." + ext, "rb") as f:
                parts.append(("graphalytics." + ext, f.read()))
        r = load_format(self.s, "ga", parts, chunk=11)
        ds = H.Dataset("example-directed")
        fed = {}
        with open(base + ".e") as f:
            for line in f:
                p = line.split()
                if p:
                    fed.setdefault(int(p[0]), []).append((int(p[1]), float(p[2])))
        self.assertEqual((r.graph.vertices, r.graph.edges), (len(ds.vertices), len(ds.edges)))
        self.assertTrue(r.graph.weighted)
        d = describe(H.get_graph(self.s, "ga"))
        self.assertEqual(d["keys"], {("edge", "edge", "weight"): "double"})
        self.assertEqual(d["vlabels"], {"vertex": len(ds.vertices)})
        for v in ds.vertices:
            self.assertEqual(get_vertex(self.s, "ga", v).label, "vertex")
            got = sorted((H.vid_key(e.inV), props_of(e)["weight"][1])
                         for e in list_edges(self.s, "ga", v, "OUT"))
            self.assertEqual(got, sorted(fed.get(v, [])), "out-edges of %d" % v)

    def test_cli_load_formats_and_show(self):
        if not H.CLI_BIN:
            self.skipTest("hgc CLI not built")
        base = os.path.join(H.GRAPHALYTICS, "example-directed")
        r = H.run_cli(["graph", "load", "ga-cli", base + ".properties", "--format", "graphalytics"],
                      server=self.s, json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        ds = H.Dataset("example-directed")
        g = H.get_graph(self.s, "ga-cli")
        self.assertEqual((g.vertices, g.edges), (len(ds.vertices), len(ds.edges)))
        path = os.path.join(self.tmp, "people.jsonl")
        with open(path, "w") as f:
            f.write('{"id": "a b", "label": "person", "properties": {"age": 3}}\n')
            f.write('{"label": "knows", "outV": "a b", "inV": 7}\n')
        r = H.run_cli(["graph", "load", "j-cli", path, "--format", "jsonl"], server=self.s)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = H.run_cli(["graph", "show", "j-cli"], server=self.s)
        self.assertEqual(r.returncode, 0, r.stderr)
        for line in ("vertex label: person (1)", "vertex label: vertex (1)", "edge label: knows (1)",
                     "property: vertex person.age: int", "versions: 1"):
            self.assertIn(line, r.stdout.splitlines())

    def test_graphalytics_undirected_adds_both_ways(self):
        base = os.path.join(H.GRAPHALYTICS, "test-wcc-undirected")
        parts = []
        for ext in ("properties", "v", "e"):
            with open(base + "." + ext, "rb") as f:
                parts.append(("graphalytics." + ext, f.read()))
        r = load_format(self.s, "gau", parts)
        pairs = []
        with open(base + ".e") as f:
            pairs = [tuple(map(int, l.split()[:2])) for l in f if l.strip()]
        loops = sum(1 for a, b in pairs if a == b)
        self.assertEqual(r.graph.edges, 2 * len(pairs) - loops)
        a, b = pairs[0]
        self.assertIn(b, [H.vid_key(e.inV) for e in list_edges(self.s, "gau", a, "OUT")])
        self.assertIn(a, [H.vid_key(e.inV) for e in list_edges(self.s, "gau", b, "OUT")])

    def test_plain_edge_list(self):
        text = "1 2 0.5\n2 3 1.5\n# comment\n3 1 2\n-9223372036854775808 9223372036854775807 1\n"
        r = H.load_text(self.s, "plain", text, chunk=5)
        self.assertEqual((r.graph.vertices, r.graph.edges, r.edges_loaded), (5, 4, 4))
        self.assertEqual(get_vertex(self.s, "plain", 1).label, "vertex")
        self.assertEqual([(H.vid_key(e.inV), props_of(e)) for e in list_edges(self.s, "plain", 2, "OUT")],
                         [(3, {"weight": ("number", 1.5)})])
        self.assertEqual([H.vid_key(e.outV) for e in list_edges(self.s, "plain", I64_MAX, "IN")], [I64_MIN])
        self.assertEqual(describe(H.get_graph(self.s, "plain"))["elabels"], {"edge": 4})

    def test_plain_weighted_edge_list_weights_both_ways(self):
        """A plain weighted edge list keeps its weights once, in the
        structure (no weight column file, no in_to_out), and every edge
        still shows its weight from either end; an edge without one makes
        a real column again."""
        import random
        s, rng = self.s, random.Random(7)
        fed = {}
        while len(fed) < 2000:
            a, b = rng.randrange(300), rng.randrange(300)
            fed.setdefault((a, b), rng.randrange(-4000, 4000) / 8.0)
        text = "".join("%d %d %r\n" % (a, b, w) for (a, b), w in fed.items())
        r = H.load_text(s, "pw", text, chunk=4093)
        self.assertEqual(r.graph.edges, len(fed))
        probes = rng.sample(sorted({v for e in fed for v in e}), 12)

        def check(weights):
            for v in probes:
                got = {}
                for d in ("OUT", "IN"):
                    for e in list_edges(s, "pw", v, d):
                        got[(d, H.vid_key(e.outV), H.vid_key(e.inV))] = props_of(e)
                want = {}
                for (a, b), w in weights.items():
                    p = {} if w is None else {"weight": ("number", w)}
                    if a == v:
                        want[("OUT", a, b)] = p
                    if b == v:
                        want[("IN", a, b)] = p
                self.assertEqual(got, want, "edges of %d" % v)
            g = H.get_graph(s, "pw")
            self.assertEqual(describe(g)["keys"], {("edge", "edge", "weight"): "double"})
            self.assertTrue(g.weighted)
            folder = os.path.join(s.data_dir, "graphs", "pw", "v%d" % g.version)
            return sorted(os.listdir(folder))

        names = check(fed)
        self.assertEqual([n for n in names if n.endswith(".col")], [], names)
        with open(os.path.join(s.data_dir, "graphs", "pw", "v%d" % H.get_graph(s, "pw").version,
                               "schema.json")) as f:
            keys = json.load(f)["keys"]
        self.assertEqual(keys, [{"kind": "e", "label": "edge", "key": "weight", "type": "double",
                                 "in": "graph"}])
        # labels.bin: 192-byte header, section table at 56; in_to_out is
        # the third (offset, length) pair and has length 0
        with open(os.path.join(s.data_dir, "graphs", "pw", "v%d" % H.get_graph(s, "pw").version,
                               "labels.bin"), "rb") as f:
            head = f.read(192)
        self.assertEqual(head[:7], b"HGCLABL")
        self.assertEqual(int.from_bytes(head[56 + 2 * 16 + 8:56 + 3 * 16], "little"), 0)

        # more weighted edges and one without a weight
        more = {}
        while len(more) < 200:
            a, b = rng.randrange(300), rng.randrange(300)
            if (a, b) not in fed:
                more.setdefault((a, b), rng.randrange(-4000, 4000) / 8.0)
        bare = next((a, 299 - a) for a in range(300) if (a, 299 - a) not in fed and (a, 299 - a) not in more)
        text = "".join("%d %d %r\n" % (a, b, w) for (a, b), w in more.items())
        text += "%d %d\n" % bare
        r = H.load_text(s, "pw", text)
        allw = dict(fed)
        allw.update(more)
        allw[bare] = None
        self.assertEqual(r.graph.edges, len(allw))
        probes += list(bare) + [a for a, _ in list(more)[:4]]
        names = check(allw)
        self.assertEqual([n for n in names if n.endswith(".col")], ["e.0.col"], names)

    def test_pagerank_on_jsonl_matches_edge_list_and_shows_on_vertices(self):
        s = self.s
        edges = H.random_digraph(300, 1500, seed=99)
        H.load_text(s, "pr-edges", H.edges_text(edges))
        lines = "".join(json.dumps({"outV": a, "inV": b}) + "\n" for a, b in edges)
        load_format(s, "pr-jsonl", [("jsonl", lines)], chunk=100)
        params = H.pr_params("0.15", "0", 30)
        got = {}
        for g in ("pr-edges", "pr-jsonl"):
            tid = H.create_job(s, g, "page-rank", params)
            self.assertTaskStatus(self.wait_task(s, g, tid), "success")
            got[g] = (tid, H.read_result(s, g, tid))
        a, b = got["pr-edges"][1].as_dict(), got["pr-jsonl"][1].as_dict()
        self.assertEqual(set(a), set(b))
        for k in a:
            self.assertAlmostEqual(a[k], b[k], delta=1e-12 * max(1.0, abs(a[k])))
        ref, _ = H.reference_pagerank(edges, "0.15", 30, 0.0)
        H.compare_ranks(self, b, ref, rel=1e-6, what="page-rank on the jsonl graph vs numpy")
        # the result shows as a vertex property, under the output property name
        prop = got["pr-jsonl"][1].properties.pop()
        for k in list(a)[:20]:
            v = get_vertex(s, "pr-jsonl", k)
            self.assertEqual(typed(v.properties[prop]), ("number", b[k]))

    # ---------------------------------------------------------- versions

    def test_job_before_a_load_computes_on_the_old_version(self):
        s = self.s
        edges = H.random_digraph(20000, 80000, seed=5)
        H.load_text(s, "old", H.edges_text(edges))
        n_old = H.get_graph(s, "old").vertices
        tid = H.create_job(s, "old", "page-rank", H.pr_params("0.15", "0", 200))
        r = add_edges(s, "old", [[gedge(10 ** 9, 10 ** 9 + 1, "extra")]])
        self.assertEqual(r.graph.vertices, n_old + 2)
        task = self.wait_task(s, "old", tid, timeout=300)
        self.assertTaskStatus(task, "success")
        self.assertEqual(json.loads(task.task_result)["vertices"], n_old)
        # once the task is done the old version goes
        H.wait_for(lambda: list(H.get_graph(s, "old").versions) == [2], H.T(10),
                   what="version 1 to be removed")

    # ---------------------------------------------------------- restart and cut-off loads

    def snapshot_state(self, graphs, probes):
        out = {}
        for g in graphs:
            gr = H.get_graph(self.s, g)
            out[g] = (describe(gr), gr.version, list(gr.versions))
        for g, k in probes:
            out[(g, k)] = (props_of(get_vertex(self.s, g, k)),
                           sorted(map(edge_tuple, list_edges(self.s, g, k)), key=repr))
        return out

    def test_restart_and_cut_off_loads(self):
        s = self.s
        H.create_graph(s, "a")  # adds need the graph (issue 8)
        add_vertices(s, "a", [[vertex(k, l, **p) for k, l, p in PEOPLE]])
        add_edges(s, "a", [[gedge(x, y, l, in_label=in_label_of(y), **p) for x, y, l, p in KNOWS]])
        H.load_text(s, "b", "1 2\n2 3\n")
        load_format(s, "c", [("jsonl", '{"id": "x y", "properties": {"k": true}}\n')])
        probes = [("a", "1:marko"), ("a", I64_MIN), ("b", 2), ("c", "x y")]
        before = self.snapshot_state(["a", "b", "c"], probes)
        s.stop()
        s.start()
        self.assertEqual(self.snapshot_state(["a", "b", "c"], probes), before)

        # a client that goes away mid-stream: nothing stored
        gate = threading.Event()

        def slow_batches():
            yield graphs_pb2.AddEdgesRequest(graph="a", edges=[gedge("1:marko", "cut", "knows")])
            gate.wait(H.T(10))
            yield graphs_pb2.AddEdgesRequest(edges=[gedge("cut", "off", "knows")])

        fut = s.graphs.AddEdges.future(slow_batches())
        time.sleep(0.5)
        fut.cancel()
        gate.set()
        time.sleep(0.3)
        self.assertEqual(self.snapshot_state(["a", "b", "c"], probes), before)
        self.assertRpcError(SC.NOT_FOUND, get_vertex, s, "a", "cut")

        # kill -9 of the server mid-load: the graph comes back as it was
        gate2 = threading.Event()

        def stalled():
            yield graphs_pb2.EdgeBatch(graph="b", text=b"7 8\n9 ")
            gate2.wait(H.T(10))

        fut = s.graphs.LoadEdges.future(stalled())
        time.sleep(0.5)
        s.kill(signal.SIGKILL)
        gate2.set()
        try:
            fut.result(timeout=H.T(10))
        except grpc.RpcError:
            pass
        s.start()
        self.assertEqual(self.snapshot_state(["a", "b", "c"], probes), before)
        # and loads go on from there
        r = H.load_text(s, "b", "3 4\n")
        self.assertEqual((r.graph.version, r.graph.vertices, r.graph.edges), (before["b"][1] + 1, 4, 3))
        # no temporary folders or stray versions on disk
        for g in ("a", "b", "c"):
            names = sorted(os.listdir(os.path.join(s.data_dir, "graphs", g)))
            self.assertEqual(names, ["v%d" % v for v in H.get_graph(s, g).versions], g)

    # ---------------------------------------------------------- bad input

    def test_bad_input_names_the_item_and_changes_nothing(self):
        s = self.s
        H.create_graph(s, "bad")  # adds need the graph (issue 8)
        add_vertices(s, "bad", [[vertex(1, "person", age=29, name="a")]])
        add_edges(s, "bad", [[gedge(1, 2, "knows", weight=0.5)]])
        ok = vertex(5, "person", age=30)
        cases = [
            ("type clash", lambda: add_vertices(s, "bad", [[ok, ok, vertex(3, "person", age="old")]]),
             "item 3: property 'age' of vertex label 'person' is int; got string"),
            ("type clash in a later batch", lambda: add_edges(
                s, "bad", [[gedge(1, 3, "knows", weight=1.0)], [gedge(1, 4, "knows", weight=2)]]),
             "item 2: property 'weight' of edge label 'knows' is double; got int"),
            ("list value", lambda: add_vertices(s, "bad", [[ok, vertex(6, "person", tags=[1, 2])]]),
             "item 2: property 'tags' is a list"),
            ("empty key", lambda: add_vertices(s, "bad", [[vertex(7, "person", **{"": 1})]]),
             "item 1: a property key must be a non-empty string"),
            ("batch over the limit", lambda: add_vertices(
                s, "bad", [[vertex(i, "person") for i in range(100001)]]), "100000"),
            ("edge batch over the limit", lambda: add_edges(
                s, "bad", [[gedge(1, i, "knows") for i in range(100001)]]), "100000"),
            ("jsonl line that doesn't parse", lambda: load_format(
                s, "bad", [("jsonl", '{"id": 8}\n{"id": 9, "label":\n')]), "line 2"),
            ("jsonl type clash", lambda: load_format(
                s, "bad", [("jsonl", '{"id": 8, "label": "person"}\n\n{"id": 9, "label": "person", '
                            '"properties": {"age": "x"}}\n')]), "line 3"),
            ("jsonl list value", lambda: load_format(
                s, "bad", [("jsonl", '{"id": 9, "properties": {"t": [1]}}\n')]), "line 1"),
            ("invalid UTF-8", lambda: load_format(
                s, "bad", [("jsonl", b'{"id": 1}\n{"id": "\xff\xfe"}\n')]), "line 2"),
            ("edge list bad line", lambda: H.load_text(s, "bad", "1 2\n3 x y\n"), "line 2"),
            ("graphalytics without .properties", lambda: load_format(
                s, "bad", [("graphalytics.v", "1\n")]), "graphalytics.properties"),
            ("unknown format", lambda: load_format(s, "bad", [("csv", "1,2\n")]), "csv"),
        ]
        for what, fn, contains in cases:
            with self.subTest(what):
                self.assertRefused(fn, contains, "bad")
        # reads of unknown things
        self.assertRpcError(SC.NOT_FOUND, get_vertex, s, "nope", 1, contains="nope")
        self.assertRpcError(SC.NOT_FOUND, list_edges, s, "nope", 1)
        self.assertRpcError(SC.NOT_FOUND, H.get_graph, s, "nope")
        # adding to a graph that does not exist: NOT_FOUND, and it stays so
        self.assertRpcError(SC.NOT_FOUND, add_vertices, s, "fresh", [[vertex(1, "p")]],
                            contains="create it first")
        self.assertRpcError(SC.NOT_FOUND, add_edges, s, "fresh", [[gedge(1, 2, "e")]])
        self.assertRpcError(SC.NOT_FOUND, H.get_graph, s, "fresh")

    # ---------------------------------------------------------- drop

    def test_drop_needs_the_sentence(self):
        s = self.s
        H.load_text(s, "d", "1 2\n")
        self.assertRefused(lambda: s.graphs.DropGraph(graphs_pb2.DropGraphRequest(name="d")),
                           H.DROP_CONFIRM, "d")
        self.assertRefused(lambda: s.graphs.DropGraph(graphs_pb2.DropGraphRequest(
            name="d", confirm_message="yes")), H.DROP_CONFIRM, "d")
        s.graphs.DropGraph(graphs_pb2.DropGraphRequest(name="d", confirm_message=H.DROP_CONFIRM))
        self.assertRpcError(SC.NOT_FOUND, H.get_graph, s, "d")
        self.assertFalse(os.path.exists(os.path.join(s.data_dir, "graphs", "d")))
        if H.CLI_BIN:
            H.load_text(s, "d2", "1 2\n")
            r = H.run_cli(["graph", "drop", "d2"], server=s)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRpcError(SC.NOT_FOUND, H.get_graph, s, "d2")


if __name__ == "__main__":
    unittest.main()
