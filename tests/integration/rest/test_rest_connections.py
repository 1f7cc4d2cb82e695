"""hgc-rest holds many connections without locking anyone out: 10,000
idle connections and 200 slowloris clients (a byte of headers every 2 s)
open at once, and a probe client on fresh connections is still answered
at p99 < 50 ms (a bound in milliseconds, not a ratio: the issue asks for
it). Then the read deadlines: a client that trickles its headers or its
body is cut off after --read-timeout-ms, while a normal one on the same
server is served. And hgc-rest is back within 1 s of hgc-server listening
again after a restart (the channel's reconnect backoff). A kept-alive
connection holds well under 64 KiB.
"""

import resource
import socket
import threading
import time
import unittest

import rest_harness as h

IDLE = 10000
SLOW = 200
PROBES = 200


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            raise unittest.SkipTest("the fd limit is %d here; this test needs %d" % (hard, need))
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=h.T(30))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def get(sock, path):
    """One GET on sock (kept alive): the status, or None if hgc-rest closed."""
    sock.sendall(b"GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path.encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        b = sock.recv(65536)
        if not b:
            return None
        buf += b
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(rest) < length:
        b = sock.recv(65536)
        if not b:
            return None
        rest += b
    return int(head.split()[1])


def closed_within(sock, seconds):
    """True if hgc-rest closes sock (EOF or reset) within `seconds`."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


class ManyConnections(h.RestCase):

    def test_idle_and_slowloris_do_not_lock_out(self):
        raise_fd_limit(IDLE + SLOW + 512)
        # The read deadline above the test's length: these must stay open.
        st = h.Stack(rest_args=["--read-timeout-ms", "600000"]).start()
        self.addCleanup(st.stop)
        st.load_graph("hugegraph")
        path = st.jobs() + "?limit=10"
        socks = []
        self.addCleanup(lambda: [s.close() for s in socks])
        for _ in range(IDLE):
            socks.append(connect(st.rest.port))
        slow = [connect(st.rest.port) for _ in range(SLOW)]
        socks.extend(slow)
        stop = threading.Event()

        def slowloris():
            line = b"GET %s HTTP/1.1\r\nHost: t\r\nX-Slow: " % path.encode() + b"a" * 100000
            i = 0
            while not stop.wait(2):
                for s in slow:
                    try:
                        s.send(line[i:i + 1])
                    except OSError:
                        pass
                i += 1

        t = threading.Thread(target=slowloris, daemon=True)
        t.start()
        self.addCleanup(t.join)
        self.addCleanup(stop.set)
        time.sleep(2.5)  # every slow client has started its request

        # The probe: a new connection, and a call through to hgc-server
        # (its health check: the cheapest one, so that what is measured is
        # hgc-rest's, not the service's).
        lat = []
        for _ in range(PROBES):
            t0 = time.monotonic()
            with connect(st.rest.port) as s:
                self.assertEqual(get(s, "/healthz"), 200)
            lat.append(time.monotonic() - t0)
        lat.sort()
        p50, p99 = lat[len(lat) // 2], lat[int(len(lat) * 0.99) - 1]
        print("probes with %d idle and %d slow connections open: p50 %.1f ms, p99 %.1f ms"
              % (IDLE, SLOW, p50 * 1e3, p99 * 1e3))
        self.assertLess(p99, 0.050)
        # Every connection was held, not dropped: the first and the last
        # idle ones still answer.
        for s in (socks[0], socks[IDLE - 1]):
            self.assertEqual(get(s, path), 201)
        self.assertTrue(st.rest.alive())

    def test_a_kept_alive_connection_holds_little_memory(self):
        # docs/rest.md: about 34 KiB once it has served a request (with the
        # 128 KiB pool hgc-rest once had, 130 KiB: 260 MB for these).
        n = 2000
        raise_fd_limit(n + 512)
        st = h.Stack(rest_args=["--read-timeout-ms", "600000"]).start()
        self.addCleanup(st.stop)
        st.load_graph("hugegraph")

        def rss_kib():
            with open("/proc/%d/status" % st.rest.p.pid) as f:
                return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

        self.assertEqual(get(connect(st.rest.port), "/healthz"), 200)  # warm
        before = rss_kib()
        socks = [connect(st.rest.port) for _ in range(n)]
        self.addCleanup(lambda: [s.close() for s in socks])
        for s in socks:
            self.assertEqual(get(s, "/healthz"), 200)
        grown = rss_kib() - before
        print("%d kept-alive connections after a request each: hgc-rest grew by %d KiB (%.1f each)"
              % (n, grown, grown / n))
        # ASan's quarantine keeps every request's freed memory: the release pass checks.
        if h.SANITIZED:
            print("the bound on memory is checked in builds without sanitizers only")
            return
        self.assertLess(grown, n * 64)


class ReadDeadlines(h.RestCase):

    def setUp(self):
        self.stack = h.Stack(rest_args=["--read-timeout-ms", "1000"]).start()
        self.addCleanup(self.stack.stop)

    def trickle(self, s, data, every, until):
        """Sends data a byte every `every` s; True if hgc-rest closed it
        before `until` s passed."""
        t0 = time.monotonic()
        for i in range(len(data)):
            if time.monotonic() - t0 > until:
                return False
            try:
                s.send(data[i:i + 1])
            except OSError:
                return True
            if closed_within(s, every):
                return True
        return False

    def test_slow_headers_are_cut(self):
        st = self.stack
        s = connect(st.rest.port)
        self.addCleanup(s.close)
        t0 = time.monotonic()
        self.assertTrue(self.trickle(s, b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + b"a" * 200,
                                     0.2, h.T(10)))
        self.assertLess(time.monotonic() - t0, h.T(5))
        # A connection that sends nothing is cut as well.
        s2 = connect(st.rest.port)
        self.addCleanup(s2.close)
        self.assertTrue(closed_within(s2, h.T(5)))
        # Meanwhile, a normal client is served.
        self.assertEqual(st.request("GET", "/healthz")[0], 200)

    def test_slow_body_is_cut(self):
        st = self.stack
        s = connect(st.rest.port)
        self.addCleanup(s.close)
        before = st.graphs()
        head = (b"POST /graphs/slow/edges HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n"
                b"Content-Length: 100000\r\n\r\n")
        s.sendall(head)
        t0 = time.monotonic()
        self.assertTrue(self.trickle(s, b"1 2\n" * 25000, 0.2, h.T(15)))
        self.assertLess(time.monotonic() - t0, h.T(8))
        self.assertEqual(st.graphs(), before)
        self.assertEqual(st.request("GET", "/healthz")[0], 200)

    def test_idle_keepalive_between_requests_is_kept(self):
        st = self.stack
        s = connect(st.rest.port)
        self.addCleanup(s.close)
        self.assertEqual(get(s, "/healthz"), 200)
        time.sleep(1.6)  # past the read deadline, within the idle time
        self.assertEqual(get(s, "/healthz"), 200)


class UpstreamRestart(h.RestCase):

    def test_back_within_a_second(self):
        st = h.Stack(fake_worker=True).start()
        self.addCleanup(st.stop)
        st.load_graph("hugegraph")
        path = st.jobs() + "?limit=10"
        port = st.server.port
        self.assertIsNotNone(st.server.stop(), "hgc-server did not stop")
        # Down long enough for gRPC's default backoff to grow past 1 s.
        t0 = time.monotonic()
        while time.monotonic() - t0 < 4:
            self.assertEqual(st.request("GET", path)[0], 503)
            time.sleep(0.25)
        st.restart_server(port)  # returns once it prints 'listening on'
        listening = time.monotonic()
        while True:
            status = st.request("GET", path, timeout=5)[0]
            back = time.monotonic() - listening
            if status == 201:
                break
            self.assertEqual(status, 503)
            self.assertLess(back, 1.0, "hgc-rest still answers 503 %.2f s after hgc-server "
                            "listens again" % back)
            time.sleep(0.02)
        print("hgc-rest back %.3f s after hgc-server listened again" % back)
        self.assertLess(back, 1.0)


if __name__ == "__main__":
    unittest.main()
