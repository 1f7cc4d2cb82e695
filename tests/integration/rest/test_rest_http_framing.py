"""hgc-rest's HTTP framing (RFC 9112 section 6.3), over raw sockets: a
body whose length two headers tell differently is refused with 400 and the
connection closed (behind a proxy that reads it the other way, the rest
would be a smuggled request), a Transfer-Encoding other than chunked gets
501, a query of thousands of parameters gets 431 rather than a silent
close, and a request line or header past a connection's 32 KiB gets
libmicrohttpd's 414 or 431; nothing of a refused request is stored, and
hgc-rest stays up. HEAD of a read answers as GET does, without the body.
"""

import json
import socket
import unittest

import rest_harness as h

BODY = b'{"worker_instances": "1", "internal_algorithm": "[pagerank]"}'


class Framing(h.RestCase):

    @classmethod
    def setUpClass(cls):
        cls.stack = h.Stack(fake_worker=True).start()
        cls.stack.load_graph("hugegraph")
        cls.stack.load_graph("served")  # the good requests' tasks: they change as they run

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def exchange(self, raw):
        """Sends raw bytes; everything read until hgc-rest closes (a
        connection left open past the timeout fails the test)."""
        s = socket.create_connection(("127.0.0.1", self.stack.rest.port), timeout=h.T(10))
        try:
            s.sendall(raw)
            out = b""
            while True:
                try:
                    b = s.recv(65536)
                except socket.timeout:
                    self.fail("hgc-rest kept the connection open after %r" % out[:300])
                if not b:
                    return out
                out += b
        finally:
            s.close()

    def assertRefused(self, raw, status, contains):
        before = self.stack.snapshot()
        out = self.exchange(raw)
        head, _, body = out.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 %d " % status), out[:500])
        self.assertEqual(out.count(b"HTTP/1.1 "), 1, out[:2000])  # nothing after it
        err = json.loads(body)
        self.assertEqual(set(err), h.ERROR_FIELDS, err)
        self.assertIn(contains, err["message"])
        self.assertEqual(self.stack.snapshot(), before)
        self.assertTrue(self.stack.rest.alive())
        return head.lower()

    def post(self, headers, body, graph="hugegraph"):
        return (b"POST %s/page-rank HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                % self.stack.jobs(graph).encode() + headers + b"\r\n" + body)

    def test_two_different_content_lengths(self):
        head = self.assertRefused(self.post(
            b"Content-Length: %d\r\nContent-Length: 5\r\n" % len(BODY), BODY), 400,
            "Content-Length headers with different values")
        self.assertIn(b"connection: close", head)

    def test_chunked_and_content_length(self):
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY)
        head = self.assertRefused(self.post(
            b"Transfer-Encoding: chunked\r\nContent-Length: %d\r\n" % len(BODY), chunked), 400,
            "both Transfer-Encoding and Content-Length")
        self.assertIn(b"connection: close", head)
        # The same with the headers the other way round.
        self.assertRefused(self.post(
            b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(BODY), chunked), 400,
            "both Transfer-Encoding and Content-Length")

    def test_unknown_transfer_encoding(self):
        self.assertRefused(self.post(b"Transfer-Encoding: gzip\r\n", BODY), 501,
                           "Transfer-Encoding 'gzip' is not supported")

    def test_thousands_of_query_parameters(self):
        for n in (300, 3000):
            with self.subTest(params=n):
                q = "&".join("p%d=1" % i for i in range(n)).encode()
                out = self.assertRefused(
                    b"GET %s?%s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    % (self.stack.jobs().encode(), q), 431, "the query has %d parameters" % n)
                self.assertTrue(out.startswith(b"http/1.1 431 "))

    def test_past_the_connection_memory(self):
        # 10,000 parameters (88 KB) and a 40 KB header: past the 32 KiB a
        # connection has for its request line and headers (docs/rest.md).
        q = "&".join("p%d=1" % i for i in range(10000)).encode()
        cases = [
            (b"GET %s?%s HTTP/1.1\r\nHost: t\r\n\r\n" % (self.stack.jobs().encode(), q),
             b"HTTP/1.1 414 URI Too Long\r\n"),
            (b"GET %s HTTP/1.1\r\nHost: t\r\nX-Pad: %s\r\n\r\n"
             % (self.stack.jobs().encode(), b"a" * 40000),
             b"HTTP/1.1 431 Request Header Fields Too Large\r\n"),
        ]
        for raw, status in cases:
            with self.subTest(status=status):
                before = self.stack.snapshot()
                out = self.exchange(raw)  # and the connection closed
                self.assertTrue(out.startswith(status), out[:500])
                self.assertIn(b"too big", out)
                self.assertEqual(self.stack.snapshot(), before)
                self.assertTrue(self.stack.rest.alive())

    def test_good_framing_still_served(self):
        # Chunked alone, and one Content-Length, on one kept-alive connection.
        raw = (self.post(b"Transfer-Encoding: chunked\r\n",
                         b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY), "served") +
               self.post(b"Content-Length: %d\r\nConnection: close\r\n" % len(BODY), BODY,
                         "served"))
        out = self.exchange(raw)
        self.assertEqual(out.count(b"HTTP/1.1 201 "), 2, out[:2000])

    def test_head_is_get_without_the_body(self):
        """HEAD of a read gets GET's status and headers, Content-Length
        included, and no body (the next answer on the connection follows at
        once); HEAD of the GET that changes state (update/{id}) is refused
        and changes nothing."""
        task = self.stack.json("POST", "%s/page-rank" % self.stack.jobs("served"), {},
                               expect=201)[1]["task_id"]
        for path in ("/healthz", "/graphs/served", "%s/%d" % (self.stack.jobs("served"), task),
                     self.stack.jobs("served") + "?limit=1"):
            with self.subTest(path=path):
                _, _, body = self.stack.request("GET", path)
                out = self.exchange(b"HEAD %s HTTP/1.1\r\nHost: t\r\n\r\n"
                                    b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                                    b"\r\n" % path.encode())
                head, _, rest = out.partition(b"\r\n\r\n")
                self.assertRegex(head, rb"^HTTP/1.1 20[01] ")
                self.assertIn(b"\r\nContent-Type: application/json\r\n", head)
                # Tasks and graphs move on; the length is GET's within a few digits.
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                self.assertLess(abs(length - len(body)), 8, (head, body))
                self.assertTrue(rest.startswith(b"HTTP/1.1 200 OK\r\n"), rest[:200])
        before = self.stack.snapshot()
        status, hdrs, _ = self.stack.request(
            "HEAD", "%s/update/%d" % (self.stack.jobs("served"), task))
        self.assertEqual(status, 404)
        self.assertNotIn("HEAD", hdrs["allow"])
        self.assertEqual(self.stack.snapshot(), before)
        status, hdrs, _ = self.stack.request("PATCH", "%s/%d" % (self.stack.jobs("served"), task))
        self.assertEqual(status, 404)
        self.assertIn("GET, HEAD, ", hdrs["allow"])


if __name__ == "__main__":
    unittest.main()
