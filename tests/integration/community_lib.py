"""What test_components.py and test_structure.py share: graphs of several
shapes loaded into a real server, jobs run to success, and the results
read back as {id: value} (docs/algorithms.md defines what each computes).
The references are NetworkX (Debian's python3-networkx), the LDBC
Graphalytics outputs in tests/data, and plain Python written from the
definitions; never numbers taken from our own output."""

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
from harness import jobs_pb2, graphs_pb2  # noqa: E402

import networkx as nx  # noqa: E402


def load_parts(s, graph, parts, chunk=1 << 16):
    """LoadEdges with (format, bytes) parts."""
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


def load_graphalytics(s, name):
    """A Graphalytics graph in its own format: isolated vertices kept, an
    undirected graph's edges added both ways (docs/operations.md)."""
    base = os.path.join(H.GRAPHALYTICS, name)
    parts = []
    for ext in ("properties", "v", "e"):
        with open(base + "." + ext, "rb") as f:
            parts.append(("graphalytics." + ext, f.read()))
    return load_parts(s, name, parts)


def load_edges(s, graph, edges, weights=None):
    """An edge list, `src dst [weight]` a line; parallel edges and self-loops kept."""
    if weights is None:
        text = "".join("%s %s\n" % (u, v) for u, v in edges)
    else:
        text = "".join("%s %s %r\n" % (u, v, w) for (u, v), w in zip(edges, weights))
    resp = H.load_text(s, graph, text)
    assert resp.edges_loaded == len(edges), resp
    return resp


def load_with_isolated(s, graph, edges, isolated):
    """Vertices without edges come in as JSON-lines vertices, then the edges."""
    lines = "".join(json.dumps({"id": v, "label": "vertex"}) + "\n" for v in isolated)
    load_parts(s, graph, [("jsonl", lines)])
    return load_edges(s, graph, edges)


def run(tc, s, graph, algorithm, params=None, timeout=300):
    """Creates the job, waits for success; (result dict, summary, Result)."""
    tid = H.create_job(s, graph, algorithm, params)
    task = tc.wait_task(s, graph, tid, timeout=timeout)
    tc.assertTaskStatus(task, "success")
    summary = H.parse_json_field(tc, task.task_result, "task_result")
    res = H.read_result(s, graph, tid)
    return res.as_dict(), summary, res


def odd_graph():
    """Isolated vertices, self-loops, parallel edges, edges both ways,
    vertices without out-edges, a triangle, a 4-clique: (edges, isolated)."""
    edges = [(1, 2), (2, 3), (3, 1), (1, 2), (1, 1), (3, 3), (2, 1),  # triangle, doubled, loops
             (3, 4), (4, 5),                                          # a tail to a sink
             (10, 11), (10, 12), (10, 13), (11, 12), (11, 13), (12, 13), (13, 10),  # K4
             (20, 21), (22, 21)]                                     # two into a sink
    return edges, [7, 8, 30]


def random_sparse(n=10000, m=15000, seed=4242):
    """n vertices 1..n each on an edge, m edges: self-loops and parallel edges included."""
    rng = random.Random(seed)
    edges = []
    for v in range(1, n + 1):
        edges.append((v, rng.randint(1, n)))
    while len(edges) < m:
        edges.append((rng.randint(1, n), rng.randint(1, n)))
    rng.shuffle(edges)
    return edges


def multi_digraph(edges, vertices=()):
    G = nx.MultiDiGraph()
    G.add_nodes_from(vertices)
    G.add_edges_from(edges)
    return G


def simple_undirected(edges, vertices=()):
    """The undirected view: both directions, self-loops dropped, parallel edges folded."""
    G = nx.Graph()
    G.add_nodes_from(vertices)
    G.add_edges_from((u, v) for u, v in edges if u != v)
    for u, v in edges:
        G.add_node(u)
        G.add_node(v)
    return G


def smallest(ids):
    return min(ids, key=H.id_order_key)


def definition_lpa(G, steps, direction="OUT"):
    """Synchronous label propagation written from docs/algorithms.md on a
    MultiDiGraph: labels flow along the edges (OUT), against them (IN) or
    both ways (BOTH); most frequent label, ties to the smallest id; a
    vertex without incoming labels keeps its own. Returns ({v: label}, steps run)."""
    label = {v: v for v in G.nodes}
    done = 0
    for _ in range(steps):
        nxt = {}
        for v in G.nodes:
            counts = {}
            sources = []
            if direction in ("OUT", "BOTH"):
                sources += [u for u, _ in G.in_edges(v)]
            if direction in ("IN", "BOTH"):
                sources += [w for _, w in G.out_edges(v)]
            for u in sources:
                counts[label[u]] = counts.get(label[u], 0) + 1
            if counts:
                best = max(counts.values())
                nxt[v] = smallest([l for l, c in counts.items() if c == best])
            else:
                nxt[v] = label[v]
        done += 1
        changed = any(nxt[v] != label[v] for v in G.nodes)
        label = nxt
        if not changed:
            break
    return label, done


def assert_refused(tc, s, graph, algorithm, params, says):
    """A bad option value: INVALID_ARGUMENT naming it, and no task made."""
    before = len(H.list_tasks(s, graph))
    tc.assertRpcError(H.grpc.StatusCode.INVALID_ARGUMENT,
                      lambda: H.create_job(s, graph, algorithm, params), contains=says)
    tc.assertEqual(len(H.list_tasks(s, graph)), before, "a refused job must not make a task")
