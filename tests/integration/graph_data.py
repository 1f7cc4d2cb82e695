"""The integration tests' graphs, independent of hgc: the LDBC Graphalytics
datasets with their reference outputs, generators of random and slow
graphs, the contract's id order, and page-rank by its definition in numpy
(docs/algorithms.md)."""

import decimal
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.environ.get("HGC_SOURCE_DIR") or os.path.join(HERE, "..", ".."))
TEST_DATA = os.path.abspath(
    os.environ.get("HGC_TEST_DATA") or os.path.join(SOURCE_DIR, "tests", "data"))
GRAPHALYTICS = os.path.join(TEST_DATA, "graphalytics")


def id_order_key(k):
    """The contract's id order: numbers by value before strings byte by byte."""
    return (0, k, b"") if isinstance(k, int) else (1, 0, k.encode())


def read_properties(path):
    props = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            props[k.strip()] = v.strip()
    return props


def parse_id(tok):
    """An id token of a dataset file: its number when it reads as one, else its text."""
    try:
        return int(tok)
    except ValueError:
        return tok


class Dataset:
    """One LDBC Graphalytics validation graph with its reference outputs."""

    def __init__(self, name):
        self.name = name
        base = os.path.join(GRAPHALYTICS, name)
        self.edge_file = base + ".e"
        self.props = read_properties(base + ".properties")
        with open(base + ".v") as f:
            self.vertices = [parse_id(l.split()[0]) for l in f if l.strip()]
        self.edges = []
        self.weighted = False
        with open(self.edge_file) as f:
            for l in f:
                p = l.split()
                if p:
                    self.edges.append((parse_id(p[0]), parse_id(p[1])))
                    self.weighted = self.weighted or len(p) > 2

    def prop(self, key):
        return self.props["graph.%s.%s" % (self.name, key)]

    @property
    def directed(self):
        return self.prop("directed") == "true"

    @property
    def pr_alpha(self):
        """Our page_rank.alpha: 1 - damping factor, as an exact decimal string."""
        return str(decimal.Decimal(1) - decimal.Decimal(self.prop("pr.damping-factor")))

    @property
    def pr_iterations(self):
        return int(self.prop("pr.num-iterations"))

    def reference(self, algo):
        out = {}
        with open(os.path.join(GRAPHALYTICS, "%s-%s" % (self.name, algo))) as f:
            for l in f:
                p = l.split()
                if p:
                    out[parse_id(p[0])] = p[1]
        return out


# --------------------------------------------------------------------------
# Graph generators and an independent page-rank

def random_digraph(n, m, seed, dangling_frac=0.05):
    """Directed graph on 1..n with m distinct edges, no self-loops; a share
    of vertices has no out-edges (each of those has an in-edge); every vertex
    is on some edge (LoadEdges only knows vertices through edges)."""
    rng = random.Random(seed)
    dangling = set(rng.sample(range(1, n + 1), int(n * dangling_frac)))
    sources = [v for v in range(1, n + 1) if v not in dangling]
    edges = set()
    for v in range(1, n + 1):  # every vertex touched
        if v in dangling:
            u = rng.choice(sources)
            edges.add((u, v))
        else:
            w = rng.randint(1, n)
            while w == v:
                w = rng.randint(1, n)
            edges.add((v, w))
    while len(edges) < m:
        u = rng.choice(sources)
        w = rng.randint(1, n)
        if u != w:
            edges.add((u, w))
    out = sorted(edges)
    rng.shuffle(out)
    return out


def bipartite_cycle_graph(n, m, seed):
    """A 'slow' graph: two sides A (ids 1..a) and B, every edge goes across,
    every vertex has out-edges and a != b. With a tiny teleport probability
    page-rank oscillates between the sides and takes ~ln(1e16)/alpha steps to
    settle, so a job on it runs as long as its step count says, and the rank
    after k steps differs from the rank after k+1."""
    rng = random.Random(seed)
    a = n * 2 // 5
    A = list(range(1, a + 1))
    B = list(range(a + 1, n + 1))
    edges = set()
    for v in A:
        edges.add((v, rng.choice(B)))
    for v in B:
        edges.add((v, rng.choice(A)))
    while len(edges) < m:
        if rng.random() < 0.5:
            edges.add((rng.choice(A), rng.choice(B)))
        else:
            edges.add((rng.choice(B), rng.choice(A)))
    out = sorted(edges)
    rng.shuffle(out)
    return out


def reference_pagerank(edges, alpha, steps, threshold=0.0):
    """docs/algorithms.md page-rank in numpy, independent of the server:
    r0 = 1/N; r'(v) = alpha/N + (1-alpha)(sum_{u->v} r(u)/outdeg(u) + D/N);
    stop when sum|r'-r| <= threshold or after `steps` steps.
    Returns ({vertex: rank}, steps done)."""
    import numpy as np
    verts = sorted({u for e in edges for u in e}, key=id_order_key)
    index = {v: i for i, v in enumerate(verts)}
    n = len(verts)
    src = np.fromiter((index[u] for u, _ in edges), dtype=np.int64, count=len(edges))
    dst = np.fromiter((index[v] for _, v in edges), dtype=np.int64, count=len(edges))
    outdeg = np.bincount(src, minlength=n).astype(np.float64)
    dangling = outdeg == 0
    try:
        import scipy.sparse as sp
        # M[v, u] = (number of edges u->v) / outdeg(u); duplicates add up.
        M = sp.csr_matrix((1.0 / outdeg[src], (dst, src)), shape=(n, n))
        spread = M.dot
    except ImportError:
        inv = np.zeros(n)
        inv[~dangling] = 1.0 / outdeg[~dangling]

        def spread(r):
            return np.bincount(dst, weights=(r * inv)[src], minlength=n)
    r = np.full(n, 1.0 / n)
    done = 0
    alpha = float(alpha)
    for _ in range(int(steps)):
        d = r[dangling].sum()
        r2 = alpha / n + (1.0 - alpha) * (spread(r) + d / n)
        diff = np.abs(r2 - r).sum()
        r = r2
        done += 1
        if diff <= threshold:
            break
    return {v: float(r[i]) for i, v in enumerate(verts)}, done


def compare_ranks(tc, got, ref, rel=1e-6, what="page-rank"):
    """Every vertex of ref in got and vice versa, each within rel."""
    missing = set(ref) - set(got)
    extra = set(got) - set(ref)
    if missing or extra:
        tc.fail("%s: vertex sets differ: %d missing, e.g. %r; %d extra, e.g. %r"
                % (what, len(missing), sorted(missing, key=id_order_key)[:10], len(extra),
                   sorted(extra, key=id_order_key)[:10]))
    bad = []
    for v, r in ref.items():
        r = float(r)
        g = got[v]
        if not isinstance(g, float) or abs(g - r) > rel * abs(r):
            bad.append((v, g, r))
    if bad:
        tc.fail("%s: %d of %d vertices off by more than %g relative, e.g. (vertex, got, ref) %r"
                % (what, len(bad), len(ref), rel, bad[:5]))
