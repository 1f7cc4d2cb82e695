#!/usr/bin/python3
"""End to end: small adds (AddVertex over gRPC, each its own commit: the
delta log's fdatasync, then the catalog's counts) and CreateGraph calls
per second at N concurrent callers, against each hgc-server binary given,
on a data dir on the disk to measure. Run by bench/run_commit.sh with the
server before issue 8 (catalog commits not synced) and after (synced,
group commit), so the two stand side by side in one run.

  durable_adds.py DIR SECONDS THREADS LABEL=SERVER_BIN [LABEL=SERVER_BIN ...]
"""
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
import harness as H  # noqa: E402
from harness import graphs_pb2, common_pb2  # noqa: E402


def run(server_bin, root, seconds, threads, what):
    H.SERVER_BIN = server_bin
    s = H.Server(tempfile.mkdtemp(dir=root))
    s.start()
    try:
        names = ["g%d" % i for i in range(threads)]
        if what == "adds":
            for n in names:  # a first version, so the adds are small loads
                H.load_text(s, n, "1 2\n")
        counts = [0] * threads
        stop = time.monotonic() + seconds

        def work(i):
            k = 0
            while time.monotonic() < stop:
                k += 1
                if what == "adds":
                    s.graphs.AddVertex(graphs_pb2.AddVertexRequest(
                        graph=names[i], id=common_pb2.VertexId(num=1000 + k)))
                else:
                    s.graphs.CreateGraph(graphs_pb2.CreateGraphRequest(name="c%d_%d" % (i, k)))
                counts[i] += 1

        ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
        t0 = time.monotonic()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return sum(counts) / (time.monotonic() - t0)
    finally:
        s.stop()


def main():
    root, seconds, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    servers = [a.split("=", 1) for a in sys.argv[4:]]
    rounds = int(os.environ.get("ROUNDS", "3"))
    for what in ("adds", "creates"):
        # The servers take turns, `rounds` times: load from elsewhere on
        # the machine then falls on both; the best of each is printed.
        best = {}
        for _ in range(rounds):
            for label, binary in servers:
                r = run(binary, root, seconds, threads, what)
                best[label] = max(best.get(label, 0), r)
        base = best[servers[0][0]]
        for label, _ in servers:
            print("%-8s %3d callers  %-8s %8.0f calls/s  %6.3fx  (best of %d)" % (
                what, threads, label, best[label], best[label] / base, rounds))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
