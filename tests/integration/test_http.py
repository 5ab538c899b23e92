"""HTTP and TLS edges of both listeners: idle keep-alive timeout, Expect: 100-continue,
malformed requests and oversized headers, HEAD, 405, 404 JSON on both listeners, TLS versions
and ciphers (issue 4 §2, §8; SPEC §10, §11)."""

import http.client
import json
import socket
import ssl
import threading
import time
import unittest
import warnings

from cxs_harness import FIXED_NOW, Client, ServerTestCase, cdr, csv_body

DAY = FIXED_NOW.replace(day=9, hour=14)
CLOSED_ERRORS = (ConnectionError, ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLError)


def tls_context(cafile, minimum=None, maximum=None, ciphers=None):
    ctx = ssl.create_default_context(cafile=str(cafile))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if minimum is not None:
            ctx.minimum_version = minimum
        if maximum is not None:
            ctx.maximum_version = maximum
    if ciphers:
        ctx.set_ciphers(ciphers)
    return ctx


def tls_connect(addr, cafile, timeout=10.0, **kw):
    raw = socket.create_connection(addr, timeout=timeout)
    try:
        return tls_context(cafile, **kw).wrap_socket(raw, server_hostname="localhost")
    except BaseException:
        raw.close()
        raise


class RawResponse:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def read_head(sock, buf: bytearray):
    """Reads one response head (status line and headers); what follows stays in buf.
    None when the server closes the connection first."""
    while b"\r\n\r\n" not in buf:
        try:
            chunk = sock.recv(65536)
        except CLOSED_ERRORS:
            return None
        if not chunk:
            return None
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    buf[:] = rest
    lines = head.decode("iso-8859-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers


def read_response(sock, buf: bytearray, head_request=False):
    got = read_head(sock, buf)
    if got is None:
        return None
    status, headers = got
    n = 0 if head_request else int(headers.get("content-length", "0"))
    while len(buf) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed inside a body ({len(buf)} of {n} bytes)")
        buf += chunk
    body = bytes(buf[:n])
    buf[:] = buf[n:]
    return RawResponse(status, headers, body)


def wait_closed(sock, timeout):
    """Seconds until the server closes sock (EOF or reset), or None if it stays open."""
    t0 = time.monotonic()
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return time.monotonic() - t0
    except socket.timeout:
        return None
    except CLOSED_ERRORS:
        return time.monotonic() - t0


class HttpEdges(ServerTestCase):
    """Both listeners of one server with --http.idle-timeout=1."""

    server_options = {"extra_args": ["--http.idle-timeout=1"]}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acct = cls.srv.create_account(registered="2026-01-01")
        cls.an = list(cls.srv.routes(cls.acct["opid"]))[0]

    def connect(self, listener="admin", **kw):
        addr = self.srv.admin_addr if listener == "admin" else self.srv.customer_addr
        sock = tls_connect(addr, self.srv.cafile, **kw)
        self.addCleanup(sock.close)
        return sock

    def https(self, listener="admin"):
        host, port = self.srv.admin_addr if listener == "admin" else self.srv.customer_addr
        conn = http.client.HTTPSConnection(host, port, timeout=10,
                                           context=tls_context(self.srv.cafile))
        self.addCleanup(conn.close)
        return conn

    def auth(self):
        return {"Authorization": f"Bearer {self.srv.token}"}

    def assertErrorShape(self, status, headers, body, want_status, msg=""):
        self.assertEqual(status, want_status, f"{msg}: {body[:300]!r}")
        ctype = headers.get("Content-Type")
        self.assertTrue(ctype and ctype.startswith("application/json"), f"{msg}: {ctype}")
        doc = json.loads(body)
        self.assertIsInstance(doc.get("error"), dict, f"{msg}: {doc}")
        self.assertIsInstance(doc["error"].get("code"), str, f"{msg}: {doc}")
        self.assertTrue(doc["error"]["code"], msg)
        self.assertIsInstance(doc["error"].get("message"), str, f"{msg}: {doc}")
        return doc

    def assertServing(self, msg):
        self.assertEqual(self.srv.admin("GET", "/healthz", token=None)[0], 200, msg)
        conn = self.https()
        conn.request("GET", "/readyz")
        self.assertEqual(conn.getresponse().status, 200, msg)

    # -- keep-alive and the idle timeout ---------------------------------------------------------

    def test_idle_keep_alive_connection_is_closed(self):
        conn = self.https()
        for _ in range(2):                       # keep-alive works: the same connection twice
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            self.assertEqual((r.status, r.read()), (200, b'{"status":"ok"}'))
            self.assertFalse(r.will_close)
        sock = conn.sock
        self.assertIsNotNone(sock)
        took = wait_closed(sock, 6)
        self.assertIsNotNone(took, "idle keep-alive connection still open 6 s after its last "
                                   "answer with --http.idle-timeout=1")
        self.assertGreater(took, 0.5, "closed well before the idle timeout")

    def test_idle_before_any_request_and_half_sent_header(self):
        for what, data in (("no request", b""), ("half a header", b"GET /healthz HTTP/1.1\r\n")):
            with self.subTest(what):
                sock = self.connect()
                if data:
                    sock.sendall(data)
                took = wait_closed(sock, 6)
                self.assertIsNotNone(took, f"{what}: connection still open after 6 s")
        self.assertServing("after idle connections")

    # -- Expect: 100-continue ----------------------------------------------------------------------

    def test_expect_100_continue_on_ingest(self):
        body = csv_body([cdr("exp-1", DAY, self.an), cdr("exp-2", DAY, self.an, "busy")])
        sock = self.connect()
        head = ("POST /admin/ingest HTTP/1.1\r\nHost: localhost\r\n"
                f"Authorization: Bearer {self.srv.token}\r\nContent-Type: text/csv\r\n"
                f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode()
        sock.sendall(head)
        sock.settimeout(5)
        buf = bytearray()
        try:
            got = read_head(sock, buf)
        except socket.timeout:
            self.fail("no interim answer within 5 s to Expect: 100-continue")
        self.assertIsNotNone(got, "connection closed instead of 100 Continue")
        self.assertEqual(got[0], 100, got)
        sock.sendall(body)
        r = read_response(sock, buf)
        self.assertIsNotNone(r, "closed after the body")
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json()["accepted"], 2, r.body)
        # The connection stays usable, and the records are there.
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        r = read_response(sock, buf)
        self.assertEqual(r.status if r else None, 200)
        self.assertEqual(self.srv.ingest([cdr("exp-1", DAY, self.an)])["duplicates"], 1)

    def test_expect_100_continue_over_the_limit_is_413_without_the_body(self):
        sock = self.connect()
        head = ("POST /admin/accounts HTTP/1.1\r\nHost: localhost\r\n"
                f"Authorization: Bearer {self.srv.token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {8 << 20}\r\nExpect: 100-continue\r\n\r\n").encode()
        sock.sendall(head)
        sock.settimeout(5)
        buf = bytearray()
        r = read_response(sock, buf)
        self.assertIsNotNone(r, "closed without an answer")
        self.assertEqual(r.status, 413, r.body)

    # -- malformed requests ------------------------------------------------------------------------

    def bad_request(self, data: bytes, what: str):
        """Sends data on a fresh connection: an error answer or a closed connection, never 2xx."""
        sock = self.connect()
        sock.sendall(data)
        sock.settimeout(5)
        t0 = time.monotonic()
        try:
            r = read_response(sock, bytearray())
        except socket.timeout:
            self.fail(f"{what}: neither an answer nor a close within 5 s")
        # Faster than the idle timeout (1 s): the parser refused it, not the idle timer.
        self.assertLess(time.monotonic() - t0, 0.8, f"{what}: not refused at once")
        if r is not None:
            self.assertGreaterEqual(r.status, 400, f"{what}: answered {r.status} {r.body!r}")
            self.assertLess(r.status, 500, f"{what}: answered {r.status} {r.body!r}")

    def test_malformed_requests_then_still_serving(self):
        keep = self.https()          # a connection of another client, open all along
        keep.request("GET", "/healthz")
        self.assertEqual(keep.getresponse().read(), b'{"status":"ok"}')
        cases = {
            "garbage line": b"\x00\x01\x02 garbage\r\n\r\n",
            "no target or version": b"GET\r\n\r\n",
            "bad version": b"GET /healthz HTTX/1.1\r\nHost: localhost\r\n\r\n",
            "header without colon": b"GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n",
            "bad content-length": (b"POST /admin/ingest HTTP/1.1\r\nHost: localhost\r\n"
                                   b"Content-Length: abc\r\n\r\n"),
            "header over 16 KiB": (b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                                   + b"a" * (17 * 1024) + b"\r\n\r\n"),
            "many headers over 16 KiB": (b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
                                         + b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 100)
                                                    for i in range(200)) + b"\r\n"),
        }
        for what, data in cases.items():
            with self.subTest(what):
                self.bad_request(data, what)
        # A header well under the limit is fine.
        sock = self.connect()
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                     + b"a" * (8 * 1024) + b"\r\n\r\n")
        sock.settimeout(5)
        r = read_response(sock, bytearray())
        self.assertEqual(r.status if r else None, 200, "an 8 KiB header must be accepted")
        self.assertServing("after malformed requests")
        keep.request("GET", "/healthz")
        self.assertEqual(keep.getresponse().status, 200, "another client's connection broken")

    # -- methods and routes ------------------------------------------------------------------------

    def test_head_healthz(self):
        conn = self.https()
        for path in ("/healthz", "/readyz"):
            conn.request("HEAD", path)
            r = conn.getresponse()
            self.assertEqual(r.status, 200, path)
            self.assertEqual(r.read(), b"", path)
            self.assertTrue(r.getheader("Content-Type", "").startswith("application/json"))
        # No stray body bytes on the connection: the next answer on it is read cleanly.
        conn.request("GET", "/healthz")
        r = conn.getresponse()
        self.assertEqual((r.status, r.read()), (200, b'{"status":"ok"}'))
        # On a raw connection too: HEAD's answer carries no body.
        sock = self.connect()
        sock.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                     b"GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        sock.settimeout(5)
        buf = bytearray()
        r1 = read_response(sock, buf, head_request=True)
        r2 = read_response(sock, buf)
        self.assertEqual(r1.status, 200)
        self.assertEqual((r2.status, r2.body), (200, b'{"status":"ready"}'))

    def test_wrong_methods_on_admin_routes_are_405(self):
        a = self.acct["id"]
        cases = [("DELETE", "/admin/registry"), ("POST", "/admin/registry"),
                 ("GET", "/admin/ingest"), ("PUT", "/admin/ingest"),
                 ("POST", "/metrics"), ("DELETE", "/metrics"),
                 ("GET", "/admin/retention/run"),
                 ("PUT", "/admin/accounts"), ("DELETE", "/admin/accounts"),
                 ("DELETE", f"/admin/accounts/{a}"), ("PUT", f"/admin/accounts/{a}"),
                 ("GET", f"/admin/accounts/{a}/plan"), ("PUT", f"/admin/accounts/{a}/plan"),
                 ("POST", f"/admin/accounts/{a}/analytics/traffic"),
                 ("DELETE", f"/admin/accounts/{a}/analytics/traffic")]
        conn = self.https()
        for method, path in cases:
            with self.subTest(method=method, path=path):
                conn.request(method, path, body=b"{}" if method in ("POST", "PUT") else None,
                             headers=self.auth())
                r = conn.getresponse()
                self.assertErrorShape(r.status, r.headers, r.read(), 405, f"{method} {path}")
        # Nothing was changed by them.
        self.assertEqual(self.srv.get(f"/admin/accounts/{a}")[2]["plan"], "free")

    def test_unknown_admin_routes_are_json_404(self):
        a = self.acct["id"]
        conn = self.https()
        for path in ("/", "/nope", "/admin", "/admin/nope", "/admin/registry/extra",
                     "/admin/retention", "/admin/retention/other", f"/admin/accounts/{a}/nope",
                     f"/admin/accounts/{a}/nope/x", f"/admin/accounts/{a}/analytics",
                     f"/admin/accounts/{a}/analytics/traffic/extra", "/metrics/extra",
                     "/api/analytics/traffic"):
            with self.subTest(path=path):
                conn.request("GET", path, headers=self.auth())
                r = conn.getresponse()
                self.assertErrorShape(r.status, r.headers, r.read(), 404, path)
        # Without the token the route is not revealed: 401.
        conn.request("GET", "/admin/nope")
        r = conn.getresponse()
        self.assertErrorShape(r.status, r.headers, r.read(), 401, "/admin/nope without token")

    def test_customer_listener_answers_json_404(self):
        conn = self.https("customer")
        # "/" is the browser pages' shell (test_web.py); these are no routes of the customer listener.
        for method, path in (("GET", "/api/nothing"), ("POST", "/api/nothing"),
                             ("GET", "/admin/registry"), ("GET", "/metrics")):
            with self.subTest(method=method, path=path):
                conn.request(method, path, body=b"{}" if method == "POST" else None)
                r = conn.getresponse()
                self.assertErrorShape(r.status, r.headers, r.read(), 404, f"customer {method} {path}")
        # The admin routes are not on the customer listener, even with the token.
        conn.request("GET", "/admin/registry", headers=self.auth())
        r = conn.getresponse()
        self.assertErrorShape(r.status, r.headers, r.read(), 404, "customer /admin/registry with token")


def tls11_contexts() -> str | None:
    """None when this Python/OpenSSL can speak TLS 1.1 at all (checked against a local
    TLS 1.1-only server), else why not."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            server_ctx.minimum_version = server_ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            client_ctx.minimum_version = client_ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        server_ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        client_ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        client_ctx.check_hostname = False
        client_ctx.verify_mode = ssl.CERT_NONE
    except (ValueError, ssl.SSLError, AttributeError) as e:
        return f"TLS 1.1 cannot be configured here: {e}"
    return server_ctx, client_ctx


class TlsVersions(ServerTestCase):
    """TLS 1.2 and 1.3 only, with the Mozilla intermediate ciphers, on both listeners."""

    def listeners(self):
        return (("admin", self.srv.admin_addr), ("customer", self.srv.customer_addr))

    def handshake(self, addr, **kw):
        with tls_connect(addr, self.srv.cafile, **kw) as sock:
            return sock.version(), sock.cipher()[0]

    def test_tls12_and_tls13_accepted(self):
        for name, addr in self.listeners():
            for version, label in ((ssl.TLSVersion.TLSv1_2, "TLSv1.2"),
                                   (ssl.TLSVersion.TLSv1_3, "TLSv1.3")):
                with self.subTest(listener=name, version=label):
                    got, _ = self.handshake(addr, minimum=version, maximum=version)
                    self.assertEqual(got, label)
            # And a request over TLS 1.2 works.
            c = Client(*addr, self.srv.cafile, self.srv.token)
            c.context.maximum_version = ssl.TLSVersion.TLSv1_2
            try:
                self.assertIn(c.request("GET", "/healthz").status, (200, 404))
            finally:
                c.close()

    def test_tls11_and_tls10_refused(self):
        probe = tls11_contexts()
        if isinstance(probe, str):
            self.skipTest(probe)
        server_ctx, client_ctx = probe
        # Prove that this OpenSSL offers TLS 1.1 when asked: a local TLS 1.1 server accepts it.
        key, cert = self.srv.data_dir / "tls" / "server.key", self.srv.data_dir / "tls" / "server.crt"
        server_ctx.load_cert_chain(str(cert), str(key))
        ls = socket.create_server(("127.0.0.1", 0))
        self.addCleanup(ls.close)
        result = {}

        def serve():
            try:
                conn, _ = ls.accept()
                with server_ctx.wrap_socket(conn, server_side=True) as tls:
                    result["version"] = tls.version()
            except Exception as e:  # noqa: BLE001
                result["error"] = repr(e)

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        try:
            with socket.create_connection(ls.getsockname(), timeout=5) as raw, \
                    client_ctx.wrap_socket(raw) as tls:
                offered = tls.version()
        except (ssl.SSLError, OSError) as e:
            self.skipTest(f"the local OpenSSL ({ssl.OPENSSL_VERSION}) refuses to speak TLS 1.1 "
                          f"even to itself ({e}); TLS 1.1 refusal not checked")
        t.join(5)
        self.assertEqual(offered, "TLSv1.1")
        for name, addr in self.listeners():
            for version in ("TLSv1_1", "TLSv1"):
                with self.subTest(listener=name, version=version):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", DeprecationWarning)
                        v = getattr(ssl.TLSVersion, version)
                        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                        ctx.minimum_version = ctx.maximum_version = v
                    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
                    ctx.check_hostname = False
                    ctx.verify_mode = ssl.CERT_NONE
                    with socket.create_connection(addr, timeout=5) as raw:
                        with self.assertRaises(ssl.SSLError, msg=f"{name} accepted {version}") \
                                as caught:
                            with ctx.wrap_socket(raw) as tls:
                                self.fail(f"{name} listener accepted {tls.version()}")
                    # Refused for its version (not, say, for want of a shared cipher).
                    self.assertRegex(str(caught.exception).lower(), r"protocol|version",
                                     f"{name}: {version} refused for another reason")

    def test_only_intermediate_ciphers_on_tls12(self):
        for name, addr in self.listeners():
            with self.subTest(listener=name, cipher="ECDHE-ECDSA-AES128-GCM-SHA256"):
                _, cipher = self.handshake(addr, maximum=ssl.TLSVersion.TLSv1_2,
                                           ciphers="ECDHE-ECDSA-AES128-GCM-SHA256")
                self.assertEqual(cipher, "ECDHE-ECDSA-AES128-GCM-SHA256")
            # CBC and SHA-1 suites are not in Mozilla's intermediate list.
            for weak in ("ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384"):
                with self.subTest(listener=name, cipher=weak):
                    with self.assertRaises(ssl.SSLError, msg=f"{name} accepted {weak}"):
                        self.handshake(addr, maximum=ssl.TLSVersion.TLSv1_2,
                                       ciphers=weak + ":@SECLEVEL=0")


if __name__ == "__main__":
    unittest.main()
