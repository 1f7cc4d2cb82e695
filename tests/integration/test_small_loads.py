#!/usr/bin/python3
"""Small loads (AddVertices, AddEdges, AddVertex, AddEdge) go to the current
version's delta log and are folded into a new version later (service/graphs.h).
These tests drive the real hgc-server through every way a log ends: a read, a
job, an idle pause, a stop, a kill -9, a drop. What is expected is computed
here from what was sent, and page-rank is checked against NetworkX."""
import os
import signal
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import grpc, graphs_pb2, common_pb2  # noqa: E402

SC = grpc.StatusCode
NEVER = ["--fold-after-ms", str(24 * 3600 * 1000)]  # no idle folds: only reads, jobs, starts


def vid(k):
    return common_pb2.VertexId(str=k) if isinstance(k, str) else common_pb2.VertexId(num=k)


def gedge(src, dst, label="", **props):
    e = graphs_pb2.GraphEdge(label=label, outV=vid(src), inV=vid(dst))
    for k, v in props.items():
        if isinstance(v, float):
            e.properties[k].number = v
        elif isinstance(v, str):
            e.properties[k].text = v
        else:
            e.properties[k].integer = v
    return e


def add_edges(s, graph, batches, **kw):
    def gen():
        for i, b in enumerate(batches):
            yield graphs_pb2.AddEdgesRequest(graph=graph if i == 0 else "", edges=b)
    return s.graphs.AddEdges(gen(), **kw)


def add_vertex(s, graph, k, label="", **props):
    req = graphs_pb2.AddVertexRequest(graph=graph, id=vid(k), label=label)
    for key, v in props.items():
        if isinstance(v, str):
            req.properties[key].text = v
        else:
            req.properties[key].integer = v
    return s.graphs.AddVertex(req)


def list_graph(s, name):
    """The graph as ListGraphs shows it: no fold happens for this read."""
    for g in s.graphs.ListGraphs(graphs_pb2.ListGraphsRequest()).graphs:
        if g.name == name:
            return g
    return None


def on_disk(s, graph):
    return sorted(os.listdir(os.path.join(s.data_dir, "graphs", graph)))


def out_edges(s, graph, k):
    r = s.graphs.ListEdges(graphs_pb2.ListEdgesRequest(graph=graph, vertex_id=vid(k),
                                                       direction="OUT", limit=-1))
    return sorted((H.vid_key(e.inV), e.label, e.properties["w"].integer) for e in r.edges)


class SmallLoads(H.IntegrationTest):

    def create(self, s, name):
        s.graphs.CreateGraph(graphs_pb2.CreateGraphRequest(name=name))

    def test_many_small_batches_then_a_job_matches_networkx(self):
        import networkx as nx
        s = self.start_server(extra_args=NEVER)
        self.create(s, "g")
        edges = H.random_digraph(2000, 10000, seed=7)
        batches = [edges[i:i + 50] for i in range(0, len(edges), 50)]
        for i, b in enumerate(batches):
            r = add_edges(s, "g", [[gedge(u, v) for u, v in b]])
            self.assertEqual(r.graph.version, 0, "a small load makes no version")
            self.assertEqual(r.graph.edges, (i + 1) * 50 if i + 1 < len(batches) else len(edges))
        self.assertEqual(on_disk(s, "g"), ["v0.delta"])
        nodes = {x for e in edges for x in e}
        g = list_graph(s, "g")
        self.assertEqual((g.vertices, g.edges, g.version), (len(nodes), len(edges), 0))

        # the job folds the log and pins the version; later loads don't reach it
        tid = H.create_job(s, "g", "page-rank", H.pr_params("0.15", "1e-13", 1000))
        self.assertEqual(list_graph(s, "g").version, 1)
        add_edges(s, "g", [[gedge(10 ** 6, 10 ** 6 + 1)]])
        task = self.wait_task(s, "g", tid, timeout=300)
        self.assertTaskStatus(task, "success")
        self.assertEqual(H.parse_json_field(self, task.task_result, "task_result")["vertices"],
                         len(nodes))
        G = nx.DiGraph()
        G.add_edges_from(edges)
        ref = nx.pagerank(G, alpha=0.85, tol=1e-15, max_iter=1000)
        H.compare_ranks(self, H.read_result(s, "g", tid).as_dict(), ref, rel=1e-6,
                        what="page-rank after 200 small loads vs networkx")
        self.assertEqual(list_graph(s, "g").edges, len(edges) + 1)

    def test_acknowledged_small_loads_survive_kill_9(self):
        s = self.start_server(extra_args=NEVER)
        self.create(s, "k")
        v = add_vertex(s, "k", "ä b", "person", age=3)  # a new vertex: answered, not folded
        self.assertEqual((H.vid_key(v.id), v.label, v.properties["age"].integer),
                         ("ä b", "person", 3))
        sent = []
        for i in range(20):
            batch = [("ä b", 1000 + i * 10 + j, i * 10 + j) for j in range(10)]
            add_edges(s, "k", [[gedge(a, b, "knows", w=w) for a, b, w in batch]])
            sent += batch
        add_vertex_unread = graphs_pb2.AddVerticesRequest(
            graph="k", vertices=[graphs_pb2.Vertex(id=vid(2 ** 63 - 1), label="big")])
        s.graphs.AddVertices(iter([add_vertex_unread]))
        self.assertEqual(on_disk(s, "k"), ["v0.delta"])

        # a stream left open when the server dies: its records are not kept
        gate = threading.Event()

        def stalled():
            yield graphs_pb2.AddEdgesRequest(graph="k", edges=[gedge("ä b", "lost", "knows", w=1)])
            gate.wait(H.T(10))

        fut = s.graphs.AddEdges.future(stalled())
        time.sleep(0.5)
        s.kill(signal.SIGKILL)
        gate.set()
        try:
            fut.result(timeout=H.T(10))
        except grpc.RpcError:
            pass
        s.start()
        # the start folded the log: one new version, nothing else on disk
        self.assertEqual(on_disk(s, "k"), ["v1"])
        g = list_graph(s, "k")
        self.assertEqual((g.version, g.vertices, g.edges), (1, 1 + 200 + 1, 200))
        self.assertEqual(out_edges(s, "k", "ä b"), sorted((b, "knows", w) for _, b, w in sent))
        v = s.graphs.GetVertex(graphs_pb2.GetVertexRequest(graph="k", id=vid(2 ** 63 - 1)))
        self.assertEqual(v.label, "big")
        self.assertRpcError(SC.NOT_FOUND, s.graphs.GetVertex,
                            graphs_pb2.GetVertexRequest(graph="k", id=vid("lost")))

    def test_a_clean_stop_keeps_the_log_and_the_start_folds_it(self):
        s = self.start_server(extra_args=NEVER)
        self.create(s, "c")
        add_edges(s, "c", [[gedge(1, 2, w=5)], [gedge(2, 3, w=6)]])
        s.stop()
        s.start()
        self.assertEqual(on_disk(s, "c"), ["v1"])
        self.assertEqual(out_edges(s, "c", 2), [(3, "edge", 6)])

    def test_an_idle_graph_is_folded_without_a_read(self):
        s = self.start_server(extra_args=["--fold-after-ms", "200"])
        self.create(s, "idle")
        add_edges(s, "idle", [[gedge(1, 2), gedge(2, 3)]])
        H.wait_for(lambda: list_graph(s, "idle").version == 1, H.T(10),
                   what="the idle graph to be folded")
        H.wait_for(lambda: on_disk(s, "idle") == ["v1"], H.T(10), what="the log to be removed")
        # and small loads go on from the new version
        add_edges(s, "idle", [[gedge(3, 4)]])
        H.wait_for(lambda: list_graph(s, "idle").version == 2, H.T(10),
                   what="the second fold")
        self.assertEqual((list_graph(s, "idle").vertices, list_graph(s, "idle").edges), (4, 3))

    def test_refused_small_load_leaves_log_and_counts_as_they_were(self):
        s = self.start_server(extra_args=NEVER)
        self.create(s, "r")
        add_edges(s, "r", [[gedge(1, 2, w=1)]])
        size = os.path.getsize(os.path.join(s.data_dir, "graphs", "r", "v0.delta"))
        bad = [[gedge(5, 6, w=1)], [gedge(6, 7, w="text")]]  # item 2: int then string
        self.assertRpcError(SC.INVALID_ARGUMENT, add_edges, s, "r", bad, contains="item 2")
        self.assertEqual(os.path.getsize(os.path.join(s.data_dir, "graphs", "r", "v0.delta")), size)
        g = list_graph(s, "r")
        self.assertEqual((g.vertices, g.edges, g.version), (2, 1, 0))
        # the next small load starts from the graph without the refused records
        add_edges(s, "r", [[gedge(2, 3, w=2)]])
        self.assertEqual(out_edges(s, "r", 2), [(3, "edge", 2)])
        self.assertRpcError(SC.NOT_FOUND, s.graphs.GetVertex,
                            graphs_pb2.GetVertexRequest(graph="r", id=vid(5)))

    def test_drop_forgets_the_log_and_the_open_snapshot(self):
        s = self.start_server(extra_args=NEVER)
        self.create(s, "d")
        add_edges(s, "d", [[gedge("a", "b")]])
        # read: version 1 is folded and its snapshot stays open for readers
        s.graphs.GetVertex(graphs_pb2.GetVertexRequest(graph="d", id=vid("a")))
        s.graphs.DropGraph(graphs_pb2.DropGraphRequest(
            name="d", confirm_message="I'm sure to drop the graph"))
        self.create(s, "d")
        g = list_graph(s, "d")
        self.assertEqual((g.vertices, g.edges, g.version), (0, 0, 0))
        add_edges(s, "d", [[gedge("c", "d")]])
        # the new graph's version 1 is not the old one's, open or not
        self.assertRpcError(SC.NOT_FOUND, s.graphs.GetVertex,
                            graphs_pb2.GetVertexRequest(graph="d", id=vid("a")))
        s.graphs.GetVertex(graphs_pb2.GetVertexRequest(graph="d", id=vid("c")))
        self.assertEqual(H.get_graph(s, "d").vertices, 2)

    def test_bulk_load_after_small_loads_keeps_them(self):
        s = self.start_server(extra_args=NEVER)
        self.create(s, "mix")
        add_edges(s, "mix", [[gedge(1, 2, w=7)]])
        r = H.load_text(s, "mix", "2 3\n3 4\n")
        self.assertEqual((r.graph.version, r.graph.vertices, r.graph.edges), (1, 4, 3))
        self.assertEqual(on_disk(s, "mix"), ["v1"])
        self.assertEqual(out_edges(s, "mix", 1), [(2, "edge", 7)])

    def test_readding_a_vertex_is_a_small_load(self):
        """AddVertex of a vertex the graph has (a property update) goes to the
        log like any small load: the version stays until a fold, the answer is
        the vertex with all it has (its earlier unfolded updates and results
        too), reads see it at once, kill -9 keeps it, and a job created after
        it computes on a version with it."""
        s = self.start_server(extra_args=NEVER)
        self.create(s, "up")
        jsonl = (b'{"id": "p", "label": "person", "properties": {"name": "ann", "age": 29}}\n'
                 b'{"id": 2, "label": "person", "properties": {"name": "bob"}}\n'
                 b'{"label": "knows", "outV": "p", "inV": 2}\n'
                 b'{"label": "knows", "outV": 2, "inV": "p"}\n')
        s.graphs.LoadEdges(iter([graphs_pb2.EdgeBatch(graph="up", format="jsonl", text=jsonl)]))
        tid = H.create_job(s, "up", "page-rank", H.pr_params("0.15", "0", 5))
        self.assertTaskStatus(self.wait_task(s, "up", tid), "success")
        rank = H.read_result(s, "up", tid).as_dict()["p"]
        delta = os.path.join(s.data_dir, "graphs", "up", "v1.delta")

        def props(v):
            return {k: H.value_of(x) for k, x in v.properties.items()}

        def vertex(k):
            return s.graphs.GetVertex(graphs_pb2.GetVertexRequest(graph="up", id=vid(k)))

        # updates: into v1's log, answered with everything the vertex has
        v = add_vertex(s, "up", "p", age=30)
        self.assertEqual((H.vid_key(v.id), v.label, props(v)),
                         ("p", "person", {"name": "ann", "age": 30, "page_rank": rank}))
        v = add_vertex(s, "up", "p", city="Rome")  # the unfolded age=30 shows too
        self.assertEqual((v.label, props(v)),
                         ("person", {"name": "ann", "age": 30, "city": "Rome", "page_rank": rank}))
        self.assertEqual(on_disk(s, "up"), ["v1", "v1.delta"])
        self.assertEqual(list_graph(s, "up").version, 1)
        # refused updates change nothing
        size = os.path.getsize(delta)
        self.assertRpcError(SC.INVALID_ARGUMENT, add_vertex, s, "up", "p", age="old",
                            contains="property 'age' of vertex label 'person' is int; got string")
        self.assertRpcError(SC.INVALID_ARGUMENT, add_vertex, s, "up", "p", "robot", age=1,
                            contains="has label 'person'")
        self.assertEqual(os.path.getsize(delta), size)
        # a vertex an unfolded edge made, then updated: its label is the edge's
        s.graphs.AddEdge(graphs_pb2.AddEdgeRequest(graph="up", label="knows", outV=vid("q"),
                                                   inV=vid(2), outVLabel="person"))
        v = add_vertex(s, "up", "q", age=5)
        self.assertEqual((v.label, props(v)), ("person", {"age": 5}))
        g = list_graph(s, "up")
        self.assertEqual((g.version, g.vertices, g.edges), (1, 3, 3))

        # kill -9: the start folds the log, the updates are there
        s.kill(signal.SIGKILL)
        s.start()
        self.assertEqual(list_graph(s, "up").version, 2)
        self.assertEqual(props(vertex("p")),
                         {"name": "ann", "age": 30, "city": "Rome", "page_rank": rank})
        self.assertEqual((vertex("q").label, props(vertex("q"))), ("person", {"age": 5}))

        # an acknowledged update is what the next read shows (it folds)
        v = add_vertex(s, "up", "p", age=31)
        self.assertEqual(list_graph(s, "up").version, 2)
        self.assertEqual(props(vertex("p")), props(v))
        self.assertEqual(list_graph(s, "up").version, 3)
        # a job created after an update computes on a version with it
        add_vertex(s, "up", "p", age=32)
        tid = H.create_job(s, "up", "page-rank", H.pr_params("0.15", "0", 5))
        self.assertEqual(list_graph(s, "up").version, 4)
        self.assertTaskStatus(self.wait_task(s, "up", tid), "success")
        with open(os.path.join(s.data_dir, "logs", "up", "%d.log" % tid)) as f:
            self.assertIn("page-rank on up version 4", f.read())
        self.assertEqual(props(vertex("p"))["age"], 32)

    def test_concurrent_updates_of_one_vertex(self):
        # Writers each update their own key of one vertex while readers
        # and the idle folder fold the graph under them: every answer has
        # the writer's latest value, and at the end the vertex has them all.
        s = self.start_server(extra_args=["--fold-after-ms", "30"])
        self.create(s, "hot")
        add_edges(s, "hot", [[gedge("hub", i) for i in range(50)]])
        writers, rounds = 4, 25
        errors = []

        def write(w):
            try:
                for i in range(rounds):
                    v = add_vertex(s, "hot", "hub", **{"k%d" % w: i})
                    if v.properties["k%d" % w].integer != i:
                        errors.append("writer %d round %d: %r" % (w, i, v))
                        return
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append("writer %d: %r" % (w, e))

        stop = threading.Event()

        def read():
            while not stop.is_set():
                try:
                    s.graphs.GetVertex(graphs_pb2.GetVertexRequest(graph="hot", id=vid("hub")))
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append("reader: %r" % (e,))
                    return

        ts = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        ts.append(threading.Thread(target=read))
        for t in ts:
            t.start()
        for t in ts[:writers]:
            t.join(H.T(120))
        stop.set()
        ts[-1].join(H.T(60))
        self.assertEqual(errors, [])
        v = s.graphs.GetVertex(graphs_pb2.GetVertexRequest(graph="hot", id=vid("hub")))
        self.assertEqual({k: x.integer for k, x in v.properties.items()},
                         {"k%d" % w: rounds - 1 for w in range(writers)})
        g = list_graph(s, "hot")
        self.assertEqual((g.vertices, g.edges), (51, 50))

    def test_concurrent_small_loads_reads_folds_and_jobs(self):
        # Writers (unary batches and streams), readers, jobs and the idle
        # folder all on one graph at once: nothing lost, nothing doubled.
        s = self.start_server(extra_args=["--fold-after-ms", "30"])
        self.create(s, "busy")
        writers, batches, per = 4, 30, 20
        errors = []

        def write(w):
            try:
                for b in range(batches):
                    es = [gedge(w * 100000 + b * per + i, -1 - w, w=b) for i in range(per)]
                    if b % 2:
                        s.graphs.AddEdgeBatch(graphs_pb2.AddEdgesRequest(graph="busy", edges=es))
                    else:
                        add_edges(s, "busy", [es[:per // 2], es[per // 2:]])
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append("writer %d: %r" % (w, e))

        stop = threading.Event()
        tids = []

        reads = []
        jobs_lock = threading.Lock()

        def read():
            while not stop.is_set():
                try:
                    H.get_graph(s, "busy")
                    with jobs_lock:
                        if len(tids) < 3:
                            tids.append(H.create_job(s, "busy", "page-rank",
                                                     H.pr_params("0.15", "0", 5)))
                    s.graphs.ListEdges(graphs_pb2.ListEdgesRequest(
                        graph="busy", vertex_id=vid(-1), direction="IN", limit=5))
                    reads.append(1)
                except grpc.RpcError as e:
                    # before the first writes: no vertex -1, no edges for a
                    # job; a job whose version kept moving: create it again
                    if e.code() not in (SC.NOT_FOUND, SC.FAILED_PRECONDITION, SC.UNAVAILABLE):
                        errors.append("reader: %r" % (e,))
                        return
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append("reader: %r" % (e,))
                    return

        ts = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        ts += [threading.Thread(target=read) for _ in range(2)]
        for t in ts:
            t.start()
        for t in ts[:writers]:
            t.join(H.T(120))
        stop.set()
        for t in ts[writers:]:
            t.join(H.T(60))
        self.assertEqual(errors, [])
        self.assertGreater(len(reads), 0)
        self.assertEqual(len(tids), 3)
        total = writers * batches * per
        g = H.get_graph(s, "busy")
        self.assertEqual((g.edges, g.vertices), (total, total + writers))
        for w in range(writers):
            got = s.graphs.ListEdges(graphs_pb2.ListEdgesRequest(
                graph="busy", vertex_id=vid(-1 - w), direction="IN", limit=-1)).edges
            self.assertEqual(sorted(H.vid_key(e.outV) for e in got),
                             [w * 100000 + i for i in range(batches * per)])
        for tid in tids:
            self.assertTaskStatus(self.wait_task(s, "busy", tid, timeout=120), "success")


if __name__ == "__main__":
    unittest.main()
