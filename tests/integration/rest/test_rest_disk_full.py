"""A full disk (issue 8, item 1): every write is acknowledged and kept, or
refused with a clear message and absent; nothing half done is left.

The data dir is a small tmpfs (mount -t tmpfs -o size=30m; skipped with a
message where mounting is refused). A filler file sets the free space,
swept from 0 to 400 KB in steps; at every step the test creates a job,
loads a new graph, adds a vertex and an edge, updates a vertex and deletes
a job, all through the real hgc-rest and hgc-server. A refusal must be 507
(the disk is full) or 503 (the store failed) with HugeGraph's error body.
Then the filler goes: everything acknowledged must be found, everything
refused absent (no task, no graph, no graph folder), the service must
work, and a restart must find the same.
"""

import collections
import json
import os
import subprocess
import sys
import time
import unittest

from rest_harness import GRAPHALYTICS, RestCase, Stack, T

FILLER = "filler"
KB = 1024
STEPS = list(range(0, 401 * KB, 25 * KB))
REFUSED = (507, 503)


def set_free(mnt, want):
    """Grows or shrinks the filler file so that about `want` bytes are free."""
    path = os.path.join(mnt, FILLER)
    st = os.statvfs(mnt)
    free = st.f_bavail * st.f_frsize
    size = os.path.getsize(path) if os.path.exists(path) else 0
    if free > want:
        with open(path, "ab") as f:
            left = free - want
            while left > 0:
                try:
                    n = f.write(b"\0" * min(left, 1 << 20))
                    f.flush()
                except OSError:
                    break
                left -= n
    elif free < want:
        with open(path, "r+b" if size else "ab") as f:
            f.truncate(max(0, size - (want - free)))
    st = os.statvfs(mnt)
    return st.f_bavail * st.f_frsize


def edge_text(seed, n=1500):
    return "".join("%d %d\n" % (i, (i * 7 + seed) % n + n) for i in range(n)).encode()


class FullDiskCase(RestCase):
    """A stack (Stack(**STACK)) whose data dir is a 30 MB tmpfs."""

    STACK = {}

    def setUp(self):
        self.st = Stack(**self.STACK)
        self.mnt = self.st.data_dir
        os.makedirs(self.mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=30m", "tmpfs", self.mnt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.st.stop()
            raise unittest.SkipTest("cannot mount a tmpfs for the data dir (%s): this test needs "
                                    "root (CI runs as root)" % (r.stderr.strip() or r.returncode))
        self.addCleanup(self.cleanup)
        self.statuses = []
        self.st.start()

    def cleanup(self):
        for p in (self.st.rest, self.st.server):
            if p is not None:
                p.stop()
        subprocess.run(["umount", self.mnt], capture_output=True)
        self.st.stop()

    def refused(self, what, answer):
        """A refusal: 507 or 503, HugeGraph's body, a message that says why."""
        status, _, data = answer
        msg = json.loads(data).get("message", "") if data.startswith(b"{") else ""
        self.statuses.append((what.split(" at ")[0], status, msg.split("(")[0][:60]))
        if status not in REFUSED:  # what the server said, for whoever reads the failure
            srv = self.st.server
            self.fail("%s: %d %s\nhgc-server %s; its stderr ends:\n%s\nits threads:\n%s" % (
                what, status, data[:300], "running" if srv.alive() else "exited %r" % srv.p.poll(),
                srv.stderr()[-3000:], srv.stacks()[-20000:]))
        body = self.assertError(answer, status)
        msg = body["message"].lower()
        if status == 507:
            self.assertTrue(msg.startswith("insufficient storage: "), body)
            self.assertIn("disk is full", msg, body)
        else:
            self.assertIn("storage", msg, body)
        return body

    def call(self, method, path, body=None, **kw):
        return self.st.request(method, path, body, **kw)


class DiskFull(FullDiskCase):

    def task_ids(self):
        status, _, data = self.call("GET", self.st.jobs("g") + "?limit=-1")
        self.assertEqual(status, 201, data[:300])
        return sorted(t["id"] for t in json.loads(data)["tasks"])

    def wait_final(self, ids):
        for tid in ids:
            self.st.wait_status(tid, graph="g", timeout=60)

    def test_every_write_is_kept_or_refused_whole(self):
        st, mnt = self.st, self.mnt
        with open(os.path.join(GRAPHALYTICS, "example-directed.e"), "rb") as f:
            st.load_graph("g", text=f.read())
        st.json("POST", "/graphs/g/graph/vertices",
                {"id": 999, "label": "person", "properties": {"step": -1}}, expect=201)
        # Finished jobs to delete, one a step.
        to_delete = [st.create("g") for _ in STEPS]
        self.wait_final(to_delete)

        acked = {"jobs": [], "loads": [], "vertices": [], "edges": [], "deleted": []}
        refused = {"loads": [], "vertices": [], "edges": [], "deleted": []}
        last_step = -1
        seen = set()
        for i, want in enumerate(STEPS):
            free = set_free(mnt, want)
            # create (a job)
            ans = self.call("POST", "%s/page-rank" % st.jobs("g"), {})
            if ans[0] == 201:
                tid = json.loads(ans[2])["task_id"]
                self.assertNotIn(tid, seen, "task id %d handed out twice" % tid)
                seen.add(tid)
                acked["jobs"].append(tid)
            else:
                self.refused("create at %d bytes free" % free, ans)
            # load (a new graph)
            name = "L%d" % i
            ans = self.call("POST", "/graphs/%s/edges" % name, edge_text(i),
                            content_type="text/plain")
            if ans[0] == 201:
                acked["loads"].append(name)
            else:
                self.refused("load at %d bytes free" % free, ans)
                refused["loads"].append(name)
                self.assertFalse(os.path.exists(os.path.join(mnt, "graphs", name)),
                                 "a refused load left graphs/%s" % name)
            # small adds: a vertex, an edge (with a new end vertex)
            vid, src = 1000 + i, 3000 + i
            ans = self.call("POST", "/graphs/g/graph/vertices",
                            {"id": vid, "label": "person", "properties": {"n": i}})
            if ans[0] == 201:
                acked["vertices"].append(vid)
            else:
                self.refused("vertex add at %d bytes free" % free, ans)
                refused["vertices"].append(vid)
            ans = self.call("POST", "/graphs/g/graph/edges",
                            {"label": "knows", "outV": src, "inV": 999, "outVLabel": "person",
                             "inVLabel": "person", "properties": {"n": i}})
            if ans[0] == 201:
                acked["edges"].append(src)
            else:
                self.refused("edge add at %d bytes free" % free, ans)
                refused["edges"].append(src)
            # update (an existing vertex)
            ans = self.call("POST", "/graphs/g/graph/vertices",
                            {"id": 999, "label": "person", "properties": {"step": i}})
            if ans[0] == 201:
                last_step = i
            else:
                self.refused("update at %d bytes free" % free, ans)
            # delete (a finished job)
            tid = to_delete[i]
            ans = self.call("DELETE", "%s/%d" % (st.jobs("g"), tid))
            if ans[0] == 200:
                acked["deleted"].append(tid)
            else:
                self.refused("delete at %d bytes free" % free, ans)
                refused["deleted"].append(tid)
            self.assertTrue(st.server.alive(), "hgc-server died at %d bytes free" % free)

        sys.stderr.write("acknowledged: %s\nrefused: %s\nrefusals: %s\n" % (
            {k: len(v) for k, v in acked.items()}, {k: len(v) for k, v in refused.items()},
            sorted(collections.Counter(self.statuses).items())))
        # Both outcomes must have happened, or the sweep tested nothing.
        for kind in ("loads", "vertices", "edges", "deleted"):
            self.assertTrue(refused[kind], "no %s was refused: the disk was never full" % kind)
        self.assertTrue(acked["loads"] and acked["vertices"] and acked["deleted"], acked)

        os.unlink(os.path.join(mnt, FILLER))
        self.check(acked, refused, to_delete, last_step)
        # No task is left hanging by a change the full disk refused: each
        # one created ends (a worker that could not write its result, or
        # report it, is retried or fails with the reason).
        self.wait_final(acked["jobs"])

        # The service works again: a job runs, a load is kept.
        tid = st.create("g")
        self.assertEqual(st.wait_status(tid, graph="g", timeout=120)["task_status"], "success")
        acked["jobs"].append(tid)
        st.load_graph("after", text=edge_text(99))

        # A restart finds everything acknowledged, and nothing refused.
        port = st.server.port
        self.assertEqual(st.server.stop(), 0)
        st.restart_server(port)
        deadline = time.monotonic() + T(30)
        while st.request("GET", "/healthz")[0] != 200:  # the bridge reconnects
            self.assertLess(time.monotonic(), deadline, "the bridge never reconnected")
            time.sleep(0.2)
        self.check(acked, refused, to_delete, last_step)
        self.assertFalse([n for n in os.listdir(os.path.join(mnt, "graphs")) if n.endswith(".tmp")])

    def check(self, acked, refused, to_delete, last_step):
        st = self.st
        ids = self.task_ids()
        kept = set(to_delete) - set(acked["deleted"])
        self.assertEqual(ids, sorted(kept | set(acked["jobs"])),
                         "tasks stored differ from those acknowledged")
        for name in acked["loads"]:
            _, g = st.json("GET", "/graphs/%s" % name, expect=200)
            self.assertEqual(g["edges"], 1500, g)
        for name in refused["loads"]:
            self.assertEqual(self.call("GET", "/graphs/%s" % name)[0], 404, name)
            self.assertFalse(os.path.exists(os.path.join(self.mnt, "graphs", name)), name)
        for vid in acked["vertices"]:
            st.json("GET", "/graphs/g/graph/vertices/%d" % vid, expect=200)
        for vid in refused["vertices"]:
            self.assertEqual(self.call("GET", "/graphs/g/graph/vertices/%d" % vid)[0], 404, vid)
        for src in acked["edges"]:
            _, e = st.json("GET", "/graphs/g/graph/edges?vertex_id=%d&direction=OUT" % src,
                           expect=200)
            self.assertEqual([x["inV"] for x in e["edges"]], [999], e)
        for src in refused["edges"]:
            self.assertEqual(self.call("GET", "/graphs/g/graph/vertices/%d" % src)[0], 404, src)
        _, v = st.json("GET", "/graphs/g/graph/vertices/999", expect=200)
        self.assertEqual(v["properties"]["step"], last_step, v)


class QueuedWhileFull(FullDiskCase):
    """A queued task the scheduler cannot start because the disk is full
    (its move to "running" is refused) waits for the next tick. It used to
    be tried again at once, forever, with the scheduler's lock held: every
    call that takes that lock (a cancel; a create that the disk still had
    room for) hung, a 504 after 30 s."""

    STACK = {"fake_worker": True, "server_args": ["--max-jobs", "1"]}

    def timed(self, what, method, path, body=None):
        began = time.monotonic()
        try:
            ans = self.call(method, path, body, timeout=10)
        except TimeoutError:
            self.fail("%s: no answer in 10 s; hgc-server's threads:\n%s" % (
                what, self.st.server.stacks()[-20000:]))
        took = time.monotonic() - began
        self.assertLess(took, T(5), "%s took %.1f s: %d %s" % (what, took, ans[0], ans[2][:200]))
        return ans

    def test_a_task_that_cannot_start_holds_nothing_up(self):
        st, mnt = self.st, self.mnt
        with open(os.path.join(GRAPHALYTICS, "example-directed.e"), "rb") as f:
            st.load_graph("g", text=f.read())
        first = st.create("g")
        st.wait_status(first, want={"running"}, graph="g", timeout=30)
        queued = st.create("g")  # one job at a time: this one waits
        self.assertEqual(st.task(queued, graph="g")["task_status"], "queued")
        set_free(mnt, 0)
        # The first job's worker ends (its command line, not hgc-server's,
        # which names it too): its slot frees, and the scheduler tries to
        # start the queued task on a full disk.
        fake = os.path.join(st.tmp, "fake-worker.sh")
        subprocess.run(["pkill", "-KILL", "-f", "^/bin/sh " + fake], check=True)
        time.sleep(0.5)
        for _ in range(3):
            self.refused("cancel on a full disk",
                         self.timed("cancel", "PUT", "%s/%d" % (st.jobs("g"), queued)))
            ans = self.timed("create", "POST", "%s/page-rank" % st.jobs("g"), {})
            if ans[0] != 201:  # (one whose insert still fits is kept: it is answered too)
                self.refused("create on a full disk", ans)
        os.unlink(os.path.join(mnt, FILLER))
        # With room again, the queued work starts (the first job, retried
        # after its worker was killed, or the one that waited), and a
        # cancel goes through.
        deadline = time.monotonic() + T(30)
        while not any(st.task(t, graph="g")["task_status"] == "running" for t in (first, queued)):
            self.assertLess(time.monotonic(), deadline, "nothing started once the disk had room")
            time.sleep(0.1)
        self.assertEqual(self.timed("cancel", "PUT", "%s/%d" % (st.jobs("g"), queued))[0], 204)


class FoldOnFullDisk(FullDiskCase):
    """A fold of small loads that the full disk refuses is tried again a
    second later at the soonest: at --fold-after-ms 1 it was tried (and
    logged) every few ms for as long as the disk stayed full. Once there is
    room, it folds."""

    STACK = {"server_args": ["--fold-after-ms", "1"]}
    FAILED = "folding its small loads"

    def add_vertex(self, vid, expect=201):
        self.st.json("POST", "/graphs/g/graph/vertices",
                     {"id": vid, "label": "person", "properties": {"n": vid}}, expect=expect)

    def wait_version(self, folder, above, why):
        """The graph's newest version once it is above `above`."""
        deadline = time.monotonic() + T(10)
        while True:
            have = [int(v[1:]) for v in os.listdir(folder) if v[:1] == "v" and v[1:].isdigit()]
            if have and max(have) > above:
                return max(have)
            self.assertLess(time.monotonic(), deadline, "%s: %s" % (why, sorted(os.listdir(folder))))
            time.sleep(0.05)

    def test_a_failed_fold_waits_before_it_is_tried_again(self):
        st, mnt = self.st, self.mnt
        st.load_graph("g", text=edge_text(0, n=40000))  # a version of about 3 MB
        folder = os.path.join(mnt, "graphs", "g")
        version = self.wait_version(folder, 0, "no first version")
        self.add_vertex(10 ** 6)  # with room: folded at once
        version = self.wait_version(folder, version, "no fold with room")
        set_free(mnt, 200 * KB)  # room for a small load, not for a new version
        self.add_vertex(10 ** 6 + 1)
        deadline = time.monotonic() + T(10)
        while self.FAILED not in st.server.stderr():
            self.assertLess(time.monotonic(), deadline, "no fold was tried (and refused): "
                            "the test shows nothing")
            time.sleep(0.05)
        time.sleep(3)
        tries = st.server.stderr().count(self.FAILED)
        self.assertLessEqual(tries, 5, "a refused fold was tried %d times in 3 s" % tries)
        os.unlink(os.path.join(mnt, FILLER))
        self.wait_version(folder, version, "no fold once the disk had room")


class ReadOnFullDisk(FullDiskCase):
    """A snapshot read on a full tmpfs: a vertex id of zero numbers left as
    a hole (the string offsets of numeric ids) got its page at the first
    read, and on a full tmpfs that read was a SIGBUS: hgc-server died at the
    next small load. Zeros are written on a tmpfs now; a full one refuses
    what needs room, and the service stays up."""

    def test_a_full_tmpfs_refuses_and_crashes_nothing(self):
        st, mnt = self.st, self.mnt
        st.load_graph("g", text=edge_text(0, n=40000))
        set_free(mnt, 0)
        ans = self.call("POST", "/graphs/g/graph/vertices",
                        {"id": 10 ** 6, "label": "person", "properties": {"n": 1}})
        self.assertTrue(st.server.alive(), "hgc-server died (%r); its stderr ends:\n%s" % (
            st.server.p.poll(), st.server.stderr()[-2000:]))
        if ans[0] != 201:
            self.refused("vertex add on a full disk", ans)
        os.unlink(os.path.join(mnt, FILLER))
        st.json("POST", "/graphs/g/graph/vertices",
                {"id": 10 ** 6 + 1, "label": "person", "properties": {"n": 2}}, expect=201)


if __name__ == "__main__":
    unittest.main()
