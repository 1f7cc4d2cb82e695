"""The worker's allocator settings (base/malloc_tune.h, GLIBC_TUNABLES):
a job's worker gets them from hgc-server's environment, added to the
tunables the server was started with; a worker started by hand starts
itself again once to get them, and then runs as usual."""

import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402

WORKER_TUNABLES = "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=67108864"
USERS = "glibc.malloc.arena_max=4"


def environ(pid):
    """The strings of a process's starting environment. glibc splits
    GLIBC_TUNABLES there in place when it reads it (a NUL for each ':'; the
    process's own getenv sees a whole copy), so each tunable is an item."""
    with open("/proc/%d/environ" % pid, "rb") as f:
        return [x.decode(errors="replace") for x in f.read().split(b"\0") if x]


def tunables(env):
    """The tunables in an environ() list, in order: GLIBC_TUNABLES's item
    and the glibc.* items right after it, each one on its own. Read just
    after an exec, before the loader has split the variable, the item
    still holds them all with their ':'s."""
    for i, x in enumerate(env):
        if x.startswith("GLIBC_TUNABLES="):
            out = [x[len("GLIBC_TUNABLES="):]]
            for y in env[i + 1:]:
                if not (y.startswith("glibc.") and "=" in y):
                    break
                out.append(y)
            return ":".join(out).split(":")
    return []


class WorkerEnvironment(H.IntegrationTest):

    def test_a_jobs_worker_and_one_started_by_hand(self):
        s = self.start_server(env={"HGC_WORKER_PACE_MS": "200", "GLIBC_TUNABLES": USERS})
        H.load_slow_graph(s, "g")
        tid = H.create_job(s, "g", "page-rank", {"bsp.max_super_step": "4"})
        H.wait_running_with_worker(s, "g", tid)
        env = environ(s.workers(task_id=tid)[0].pid)
        self.assertEqual(tunables(env), (USERS + ":" + WORKER_TUNABLES).split(":"), env[-8:])
        self.assertNotIn("HGC_WORKER_RESTARTED=1", env, "a job's worker started itself again: "
                         "%r" % env[-8:])
        self.assertTaskStatus(self.wait_task(s, "g", tid), "success")

        # by hand, on that graph's snapshot, without the tunables
        folder = os.path.join(s.data_dir, "graphs", "g")
        version = max(v for v in os.listdir(folder) if v[:1] == "v" and v[1:].isdigit())
        clean = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
        clean["HGC_WORKER_PACE_MS"] = "200"
        p = subprocess.Popen([H.WORKER_BIN, "--snapshot", os.path.join(folder, version, "graph.hgcg"),
                              "--algorithm", "page-rank", "--opt", "bsp.max_super_step=4"],
                             env=clean, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + H.T(10)
            while "HGC_WORKER_RESTARTED=1" not in environ(p.pid):
                self.assertLess(time.monotonic(), deadline, "the worker did not start itself again")
                time.sleep(0.01)
            self.assertEqual(tunables(environ(p.pid)), WORKER_TUNABLES.split(":"))
            out, err = p.communicate(timeout=H.T(60))
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.assertEqual(p.returncode, 0, err[-2000:])
        self.assertEqual(json.loads(out)["algorithm"], "page-rank", out[-500:])


if __name__ == "__main__":
    unittest.main()
