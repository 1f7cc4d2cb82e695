"""/proc readings of the integration tests: which processes exist, what
they run, which hgc-worker belongs to which server or task; and a free
loopback port."""

import os
import socket


class Proc:
    __slots__ = ("pid", "argv", "exe", "ppid", "state", "start")

    def __repr__(self):
        return "Proc(pid=%d, state=%s, argv=%r)" % (self.pid, self.state, self.argv)

    @property
    def ident(self):
        return (self.pid, self.start)

    def arg(self, name):
        """Value of --name V or --name=V in argv, else None."""
        for i, a in enumerate(self.argv):
            if a == name and i + 1 < len(self.argv):
                return self.argv[i + 1]
            if a.startswith(name + "="):
                return a[len(name) + 1:]
        return None


def read_proc(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            raw = f.read()
        with open("/proc/%d/stat" % pid, "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return None
    p = Proc()
    p.pid = pid
    p.argv = [a.decode(errors="replace") for a in raw.split(b"\0") if a]
    try:
        p.exe = os.readlink("/proc/%d/exe" % pid)
    except OSError:
        p.exe = ""
    rest = stat[stat.rfind(")") + 2:].split()
    p.state = rest[0]
    p.ppid = int(rest[1])
    p.start = int(rest[19])
    return p


def all_procs():
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            p = read_proc(int(name))
            if p is not None:
                out.append(p)
    return out


def proc_alive(ident):
    """True if the process (pid, start time) still exists and is not a zombie."""
    p = read_proc(ident[0])
    return p is not None and p.start == ident[1] and p.state not in ("Z", "X")


def _is_worker(p):
    names = [os.path.basename(p.exe.replace(" (deleted)", ""))]
    if p.argv:
        names.append(os.path.basename(p.argv[0]))
    return "hgc-worker" in names


def _touches_dir(p, d):
    if d in " ".join(p.argv):
        return True
    try:
        if os.readlink("/proc/%d/cwd" % p.pid).startswith(d):
            return True
    except OSError:
        pass
    try:
        for fd in os.listdir("/proc/%d/fd" % p.pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (p.pid, fd)).startswith(d):
                    return True
            except OSError:
                pass
    except OSError:
        pass
    return False


def worker_procs(data_dir=None, task_id=None, graph=None, server_pid=None):
    """hgc-worker processes (not zombies) that belong to a data dir (argv,
    cwd or open files inside it, or a descendant of server_pid), optionally
    of one task (--task-id) and graph (--graph)."""
    procs = all_procs()
    by_pid = {p.pid: p for p in procs}
    d = os.path.realpath(data_dir) if data_dir else None
    out = []
    for p in procs:
        if p.state in ("Z", "X") or not _is_worker(p):
            continue
        mine = d is None and server_pid is None
        if not mine and d is not None and _touches_dir(p, d):
            mine = True
        if not mine and server_pid is not None:
            q, seen = p, 0
            while q is not None and q.ppid > 1 and seen < 64:
                if q.ppid == server_pid:
                    mine = True
                    break
                q = by_pid.get(q.ppid)
                seen += 1
        if not mine:
            continue
        if task_id is not None and p.arg("--task-id") != str(task_id):
            continue
        if graph is not None and p.arg("--graph") != graph:
            continue
        out.append(p)
    return out


def free_port():
    """A port that nothing listens on (bound then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
