#!/usr/bin/python3
"""Graph folders that no committed version owns (issue 8, item 3): a
refused load leaves none behind at once, and a restart removes those a
crash or an older server left (an empty folder, a folder of a graph the
catalog doesn't have, a version newer than the catalog's, a *.tmp)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import grpc, graphs_pb2, common_pb2  # noqa: E402

SC = grpc.StatusCode


def vertex(k, **props):
    v = graphs_pb2.Vertex(id=common_pb2.VertexId(num=k), label="person")
    for key, val in props.items():
        if isinstance(val, str):
            v.properties[key].text = val
        else:
            v.properties[key].integer = val
    return v


class GraphFolders(H.IntegrationTest):
    def folder(self, s, graph):
        return os.path.join(s.data_dir, "graphs", graph)

    def test_refused_small_load_leaves_no_folder(self):
        s = self.start_server()
        s.graphs.CreateGraph(graphs_pb2.CreateGraphRequest(name="e"))
        # The second vertex's age is a string where the first made it an
        # integer: the whole batch is refused.
        req = graphs_pb2.AddVerticesRequest(graph="e", vertices=[vertex(1, age=30),
                                                                 vertex(2, age="x")])
        self.assertRpcError(SC.INVALID_ARGUMENT, s.graphs.AddVertexBatch, req, contains="item 2")
        self.assertFalse(os.path.exists(self.folder(s, "e")), os.listdir(os.path.dirname(
            self.folder(s, "e"))))
        g = H.get_graph(s, "e")
        self.assertEqual((g.version, g.vertices), (0, 0))
        # Refused as a stream that is cut off, too.
        self.assertRpcError(SC.INVALID_ARGUMENT, s.graphs.AddVertices,
                            iter([req]), contains="item 2")
        self.assertFalse(os.path.exists(self.folder(s, "e")))
        # And the graph still takes a good load.
        s.graphs.AddVertexBatch(graphs_pb2.AddVerticesRequest(graph="e", vertices=[vertex(1)]))
        self.assertEqual(H.get_graph(s, "e").vertices, 1)

    def test_restart_removes_what_no_version_owns(self):
        s = self.start_server()
        H.load_text(s, "g", "1 2\n2 3\n")
        s.graphs.CreateGraph(graphs_pb2.CreateGraphRequest(name="e"))
        self.assertEqual(s.stop(), 0)
        root = os.path.join(s.data_dir, "graphs")
        leftovers = [os.path.join(root, "e"),                 # empty, graph at version 0
                     os.path.join(root, "ghost", "v1"),       # a graph the catalog lacks
                     os.path.join(root, "g", "v7"),           # newer than the catalog's
                     os.path.join(root, "g", "v2.tmp")]       # a write cut off
        for d in leftovers:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(root, "ghost", "v1", "graph.hgcg"), "wb") as f:
            f.write(b"junk")
        s.start()
        self.assertEqual(sorted(os.listdir(root)), ["g"])
        self.assertEqual(sorted(os.listdir(os.path.join(root, "g"))), ["v1"])
        self.assertEqual(H.get_graph(s, "g").edges, 2)
        self.assertEqual(H.get_graph(s, "e").version, 0)


if __name__ == "__main__":
    unittest.main()
