"""Bad requests are refused with INVALID_ARGUMENT / NOT_FOUND and a clear
message, and change nothing stored (graphs, versions, tasks, files)."""

import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import grpc, jobs_pb2, graphs_pb2  # noqa: E402

SC = grpc.StatusCode
IA = SC.INVALID_ARGUMENT
NF = SC.NOT_FOUND
IA_NF = (IA, NF)

BAD_NAMES = ["a/b", "..", "", ".", "a b", "x" * 65, "ä", "a\\b", "../etc", "g\n"]


# --- hand-made protobuf encoding, for bytes the Python library refuses to send
def _varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _field_bytes(num, data):
    return _varint(num << 3 | 2) + _varint(len(data)) + data


def _field_varint(num, v):
    return _varint(num << 3) + _varint(v)


class BadRequests(H.IntegrationTest):

    def setUp(self):
        super().setUp()
        self.s = self.start_server()
        ds = H.Dataset("example-directed")
        H.load_dataset(self.s, ds)
        self.g = ds.name
        tid = H.create_job(self.s, self.g, "page-rank", H.pr_params("0.15", "0", 2))
        self.assertTaskStatus(self.wait_task(self.s, self.g, tid), "success")
        self.parent_listing = sorted(os.listdir(self.tmp))
        self.before_version = H.get_graph(self.s, self.g).version
        self.before = self.state()

    def state(self):
        s = self.s
        listed = s.graphs.ListGraphs(graphs_pb2.ListGraphsRequest()).graphs
        graphs = sorted(str(g).replace("\n", "; ") for g in listed)
        tasks = {}
        for g in listed:
            tasks[g.name] = [str(t).replace("\n", "; ") for t in H.list_tasks(s, g.name)]
        return graphs, tasks, H.data_tree(s.data_dir)

    def assertUnchanged(self, what=""):
        after = self.state()
        self.assertEqual(after[0], self.before[0], "graphs changed by a refused request %s" % what)
        self.assertEqual(after[1], self.before[1], "tasks changed by a refused request %s" % what)
        self.assertEqual(after[2], self.before[2], "files in the data dir changed by a refused request %s" % what)
        self.assertEqual(sorted(os.listdir(self.tmp)), self.parent_listing,
                         "something appeared beside the data dir %s" % what)

    def job(self, graph=None, algorithm="page-rank", params=None, workers=None, **kw):
        return H.create_job(self.s, self.g if graph is None else graph, algorithm,
                            params if params is not None else {}, workers, **kw)

    def raw_unary(self, method, payload, resp_cls):
        call = self.s.channel.unary_unary(method, request_serializer=None,
                                          response_deserializer=resp_cls.FromString)
        return call(payload, timeout=H.T(20))

    def raw_stream_unary(self, method, payloads, resp_cls):
        call = self.s.channel.stream_unary(method, request_serializer=None,
                                           response_deserializer=resp_cls.FromString)
        return call(iter(payloads), timeout=H.T(20))

    # ----------------------------------------------------------------- jobs
    def test_unknown_graph(self):
        e = self.assertRpcError(NF, self.job, graph="no-such-graph", contains="no-such-graph")
        self.assertUnchanged()
        req = dict(graph="no-such-graph", task_id=1)
        self.assertRpcError(NF, self.s.jobs.GetJob, jobs_pb2.GetJobRequest(**req))
        self.assertRpcError(NF, self.s.jobs.ListJobs, jobs_pb2.ListJobsRequest(graph="no-such-graph"))
        self.assertRpcError(NF, self.s.jobs.CancelJob, jobs_pb2.CancelJobRequest(**req))
        self.assertRpcError(NF, self.s.jobs.DeleteJob, jobs_pb2.DeleteJobRequest(**req))
        self.assertRpcError(NF, self.s.jobs.WatchJob, jobs_pb2.WatchJobRequest(**req))
        self.assertRpcError(NF, self.s.jobs.ReadResult, jobs_pb2.ReadResultRequest(**req))
        self.assertRpcError(NF, self.s.graphs.GetGraph, graphs_pb2.GetGraphRequest(name="no-such-graph"))
        self.assertRpcError(NF, self.s.graphs.DropGraph, graphs_pb2.DropGraphRequest(name="no-such-graph"))
        self.assertUnchanged()
        del e

    def test_unknown_algorithm(self):
        self.assertRpcError(IA, self.job, algorithm="no-such-algo", contains="no-such-algo")
        self.assertRpcError(IA, self.job, algorithm="")
        self.assertRpcError(IA, self.job, algorithm="page-rank-2")
        self.assertUnchanged()

    def test_unknown_option(self):
        e = self.assertRpcError(IA, self.job, params={"page_rank.nope": "1"}, contains="page_rank.nope")
        self.assertTrue("page_rank.alpha" in e.details() or "bsp.max_super_step" in e.details(),
                        "the message should name the options page-rank knows: %r" % e.details())
        self.assertRpcError(IA, self.job, params={"ppr.source": "1"})
        self.assertUnchanged()

    def test_bad_option_values(self):
        for k, v in [("page_rank.alpha", "abc"), ("page_rank.alpha", "1.5"), ("page_rank.alpha", "-0.1"),
                     ("page_rank.alpha", ""), ("bsp.max_super_step", "-5"), ("bsp.max_super_step", "x"),
                     ("bsp.max_super_step", "1.5"), ("bsp.max_super_step", "99999999999999999999"),
                     ("pagerank.l1DiffThreshold", "-1"), ("pagerank.l1DiffThreshold", "nan"),
                     ("input.edge_direction", "SIDEWAYS")]:
            with self.subTest(option=k, value=v):
                self.assertRpcError(IA, self.job, params={k: v}, contains=k)
        self.assertUnchanged()

    def test_worker_instances(self):
        for n in (-1, 10 ** 9, -(2 ** 31), 0):
            with self.subTest(worker_instances=n):
                self.assertRpcError(IA, self.job, workers=n, contains="from 1 to")
                self.assertRpcError(IA, self.job, worker=n, contains="from 1 to")
        self.assertUnchanged()
        # An explicit 0 is refused (issue 8); absent means the default, 1:
        # accepted, and the task id is the next one
        tid = self.job(params=H.pr_params("0.15", "0", 2))
        self.assertEqual(tid, 2, "refused creates must not use up task ids")
        self.assertTaskStatus(self.wait_task(self.s, self.g, tid), "success")

    def test_disagreeing_algorithm_names(self):
        self.assertRpcError(IA, self.job, internal_algorithm=["wcc"])
        self.assertRpcError(IA, self.job, params_class="com.baidu.hugegraph.computer.algorithm.community.wcc.WccParams")
        self.assertRpcError(IA, self.job, params_class="com.example.Nope")
        self.assertUnchanged()

    def test_bad_task_ids(self):
        for tid in (0, -1, 2, 2 ** 62):
            with self.subTest(task_id=tid):
                self.assertRpcError(IA_NF, self.s.jobs.GetJob, jobs_pb2.GetJobRequest(graph=self.g, task_id=tid))
                self.assertRpcError(IA_NF, self.s.jobs.CancelJob,
                                    jobs_pb2.CancelJobRequest(graph=self.g, task_id=tid))
                self.assertRpcError(IA_NF, self.s.jobs.DeleteJob,
                                    jobs_pb2.DeleteJobRequest(graph=self.g, task_id=tid))
                self.assertRpcError(IA_NF, self.s.jobs.ReadResult,
                                    jobs_pb2.ReadResultRequest(graph=self.g, task_id=tid))
        self.assertUnchanged()

    def test_bad_read_result_arguments(self):
        self.assertRpcError(IA, self.s.jobs.ReadResult,
                            jobs_pb2.ReadResultRequest(graph=self.g, task_id=1, order="sideways"))
        self.assertRpcError(IA, self.s.jobs.ReadResult,
                            jobs_pb2.ReadResultRequest(graph=self.g, task_id=1, offset=-1))
        self.assertRpcError(IA, self.s.jobs.ReadResult,
                            jobs_pb2.ReadResultRequest(graph=self.g, task_id=1, limit=-2))

    def test_invalid_utf8(self):
        # GetJobRequest{graph: "\xff\xfe", task_id: 1}
        self.assertRpcError(IA, self.raw_unary, "/hgc.v1.JobService/GetJob",
                            _field_bytes(1, b"\xff\xfe") + _field_varint(2, 1), jobs_pb2.Task)
        # CreateJobRequest{graph: g, algorithm: "page\xc3(rank"}
        self.assertRpcError(IA, self.raw_unary, "/hgc.v1.JobService/CreateJob",
                            _field_bytes(1, self.g.encode()) + _field_bytes(2, b"page\xc3(rank"), jobs_pb2.JobReply)
        # CreateJobRequest{graph: g, algorithm: page-rank, params: {"\xff": "1"}}
        entry = _field_bytes(1, b"\xff") + _field_bytes(2, b"1")
        self.assertRpcError(IA, self.raw_unary, "/hgc.v1.JobService/CreateJob",
                            _field_bytes(1, self.g.encode()) + _field_bytes(2, b"page-rank") + _field_bytes(6, entry),
                            jobs_pb2.JobReply)
        # CreateGraphRequest{name: "g\x80"}
        self.assertRpcError(IA, self.raw_unary, "/hgc.v1.GraphService/CreateGraph",
                            _field_bytes(1, b"g\x80"), graphs_pb2.Graph)
        # EdgeBatch{graph: "new\xff"}
        self.assertRpcError(IA, self.raw_stream_unary, "/hgc.v1.GraphService/LoadEdges",
                            [_field_bytes(1, b"new\xff") + _field_bytes(3, b"1 2\n")], graphs_pb2.LoadEdgesResponse)
        # EdgeBatch{graph: g, edges: [{src: {str: "\xc3\x28"}, dst: {num: 1}}]}
        edge = _field_bytes(1, _field_bytes(2, b"\xc3\x28")) + _field_bytes(2, _field_varint(1, 1))
        self.assertRpcError(IA, self.raw_stream_unary, "/hgc.v1.GraphService/LoadEdges",
                            [_field_bytes(1, self.g.encode()) + _field_bytes(2, edge)], graphs_pb2.LoadEdgesResponse)
        # a text edge whose id is not UTF-8
        self.assertRpcError(IA, H.load_text, self.s, self.g, b"1 2\n3 \xff\xfe\n")
        # not a protobuf message at all
        self.assertRpcError((IA, SC.INTERNAL), self.raw_unary, "/hgc.v1.JobService/GetJob",
                            b"\xff\xff\xff\xff", jobs_pb2.Task)
        self.assertUnchanged()

    # ---------------------------------------------------------------- graphs
    def test_bad_graph_names(self):
        for name in BAD_NAMES:
            with self.subTest(name=name):
                self.assertRpcError(IA, self.s.graphs.CreateGraph, graphs_pb2.CreateGraphRequest(name=name))
                self.assertRpcError(IA, H.load_text, self.s, name, b"1 2\n")
                self.assertRpcError(IA_NF, self.job, graph=name)
                self.assertRpcError(IA_NF, self.s.graphs.GetGraph, graphs_pb2.GetGraphRequest(name=name))
                self.assertRpcError(IA_NF, self.s.graphs.DropGraph, graphs_pb2.DropGraphRequest(name=name))
                self.assertRpcError(IA_NF, self.s.jobs.ListJobs, jobs_pb2.ListJobsRequest(graph=name))
        self.assertUnchanged()
        # the message names what is wrong: a printable character, or a byte that is not one
        self.assertRpcError(IA, self.s.graphs.CreateGraph, graphs_pb2.CreateGraphRequest(name="a b"),
                            contains="has the character ' ' (byte 0x20)")
        self.assertRpcError(IA, self.s.graphs.CreateGraph, graphs_pb2.CreateGraphRequest(name="caf\u00e9"),
                            contains="a byte that is not a printable ASCII character (0xc3)")
        # the limits themselves are fine
        for name in ("x" * 64, "A-z_0-9"):
            g = self.s.graphs.CreateGraph(graphs_pb2.CreateGraphRequest(name=name))
            self.assertEqual((g.name, g.version, g.vertices, g.edges), (name, 0, 0, 0))
            self.s.graphs.DropGraph(graphs_pb2.DropGraphRequest(name=name, confirm_message=H.DROP_CONFIRM))
        self.assertUnchanged("(after create and drop)")

    def test_create_existing_graph(self):
        self.assertRpcError(SC.ALREADY_EXISTS, self.s.graphs.CreateGraph, graphs_pb2.CreateGraphRequest(name=self.g))
        self.assertUnchanged()

    def test_unparsable_edge_lines(self):
        for text, line in [(b"1 2\n2 3\nfoo bar baz qux\n4 5\n", 3),
                           (b"1 2\n7\n", 2),
                           (b"# comment\n1 2 abc\n", 2),
                           (b"1 2\n\n3 4 1.0\n5 6 7 8\n", 4)]:
            for graph in (self.g, "fresh"):
                with self.subTest(text=text, graph=graph):
                    e = self.assertRpcError(IA, H.load_text, self.s, graph, text, chunk=3)
                    m = e.details().lower()
                    self.assertTrue("line %d" % line in m or text.split(b"\n")[line - 1].decode() in e.details(),
                                    "the message should name line %d: %r" % (line, e.details()))
                    self.assertUnchanged()
        # weighted and unweighted lines in one load? allowed or not, it is all or nothing
        try:
            H.load_text(self.s, "mixed", b"1 2\n2 3 0.5\n")
        except grpc.RpcError as e:
            self.assertEqual(e.code(), IA)
            self.assertUnchanged()

    def test_cut_off_load_changes_nothing(self):
        gate = threading.Event()

        def batches():
            yield graphs_pb2.EdgeBatch(graph=self.g, text=b"100 101\n102 103\n")
            yield graphs_pb2.EdgeBatch(text=b"104 105\n")
            gate.wait(H.T(20))

        fut = self.s.graphs.LoadEdges.future(batches(), timeout=H.T(30))
        time.sleep(0.5)
        fut.cancel()
        gate.set()
        with self.assertRaises((grpc.FutureCancelledError, grpc.RpcError)):
            fut.result()
        time.sleep(0.5)
        self.assertUnchanged("(client cancelled the load)")
        # and the graph still loads afterwards
        r = H.load_text(self.s, self.g, b"100 101\n")
        self.assertEqual(r.graph.version, self.before_graph_version() + 1)
        self.assertEqual(r.edges_loaded, 1)

    def before_graph_version(self):
        return self.before_version
        self.fail("graph missing")

    def test_update_status_bad_values(self):
        req = jobs_pb2.UpdateJobStatusRequest
        self.assertRpcError(IA, self.s.jobs.UpdateJobStatus, req(graph=self.g, task_id=1, status="BOGUS"))
        self.assertRpcError(IA_NF, self.s.jobs.UpdateJobStatus, req(graph=self.g, task_id=77, status="RUNNING"))
        self.assertRpcError((SC.FAILED_PRECONDITION, IA), self.s.jobs.UpdateJobStatus,
                            req(graph=self.g, task_id=1, status="RUNNING"))
        self.assertUnchanged()


if __name__ == "__main__":
    unittest.main()
