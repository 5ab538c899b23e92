"""The browser pages on the customer listener (issue 6, W1): a built site served from memory with
year-long caching for hashed assets, revalidation for the rest, the brotli or gzip copy the build
made when the client accepts it, index.html for client-side routes, and the security headers on
every answer. The site is one this test writes to a temp folder (as the web build lays it out),
so the test does not depend on Node or the real front end."""

from __future__ import annotations

import gzip
import http.client
import ssl
import tempfile
import unittest
from pathlib import Path

from cxs_harness import Server, security_header_problems

INDEX = b'<!doctype html><html lang="ja"><head><script type="module" src="/assets/index-3f2a9c.js"></script></head><body></body></html>'
SCRIPT = b"console.log('cx support');\n" * 200
BROTLI_STAND_IN = b"\x8b\x03\x80brotli bytes the build made\x03"  # served as they are, never decoded


def write_site(root: Path):
    (root / "assets").mkdir(parents=True)
    (root / "fonts").mkdir()
    (root / "index.html").write_bytes(INDEX)
    (root / "index.html.gz").write_bytes(gzip.compress(INDEX))
    (root / "index.html.br").write_bytes(BROTLI_STAND_IN)
    (root / "assets" / "index-3f2a9c.js").write_bytes(SCRIPT)
    (root / "assets" / "index-3f2a9c.js.gz").write_bytes(gzip.compress(SCRIPT))
    (root / "assets" / "index-3f2a9c.js.br").write_bytes(BROTLI_STAND_IN)
    (root / "assets" / "app-1b2c.css").write_bytes(b"body{margin:0}")
    (root / "fonts" / "ipag.ttf").write_bytes(b"\x00\x01\x00\x00fake font")


class WebPages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="cxs-web-"))
        write_site(cls.tmp / "site")
        cls.srv = Server(extra_args=[f"--web.root={cls.tmp / 'site'}"])
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def get(self, path: str, method: str = "GET", **headers):
        host, port = self.srv.customer_addr
        conn = http.client.HTTPSConnection(host, port, timeout=10, context=ssl.create_default_context(cafile=str(self.srv.cafile)))
        self.addCleanup(conn.close)
        conn.request(method, path, headers=headers)
        r = conn.getresponse()
        return r.status, r.headers, r.read()

    def assertSecure(self, headers, msg):
        self.assertEqual(security_header_problems(headers), [], msg)

    def test_index_is_served_and_revalidated(self):
        # Uncompressed even when the client takes brotli and a .br copy exists (BREACH, testssl.sh).
        status, headers, body = self.get("/", **{"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual(status, 200)
        self.assertEqual(body, INDEX)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        self.assertEqual(headers["Cache-Control"], "no-cache")
        self.assertIsNone(headers["Content-Encoding"])
        self.assertSecure(headers, "/")

    def test_client_routes_answer_the_index(self):
        for path in ("/login", "/signup", "/signup/confirm/" + "A" * 43, "/password/reset/tok",
                     "/dashboard", "/analytics/traffic", "/settings", "/plan"):
            with self.subTest(path=path):
                status, headers, body = self.get(path)
                self.assertEqual(status, 200)
                self.assertEqual(body, INDEX)
                self.assertSecure(headers, path)

    def test_hashed_assets_are_immutable_and_compressed(self):
        status, headers, body = self.get("/assets/index-3f2a9c.js", **{"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Encoding"], "br")
        self.assertEqual(body, BROTLI_STAND_IN)
        self.assertEqual(headers["Cache-Control"], "public, max-age=31536000, immutable")
        self.assertEqual(headers["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(headers["Vary"], "Accept-Encoding")
        status, headers, body = self.get("/assets/index-3f2a9c.js", **{"Accept-Encoding": "gzip"})
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(body), SCRIPT)
        status, headers, body = self.get("/assets/index-3f2a9c.js", **{"Accept-Encoding": "br;q=0, gzip;q=0"})
        self.assertIsNone(headers["Content-Encoding"])
        self.assertEqual(body, SCRIPT)
        status, headers, body = self.get("/assets/index-3f2a9c.js")
        self.assertEqual(body, SCRIPT, "no Accept-Encoding: the plain file")

    def test_other_files_keep_their_type(self):
        status, headers, body = self.get("/assets/app-1b2c.css")
        self.assertEqual((status, headers["Content-Type"]), (200, "text/css; charset=utf-8"))
        status, headers, body = self.get("/fonts/ipag.ttf")
        self.assertEqual((status, headers["Content-Type"], headers["Cache-Control"]), (200, "font/ttf", "no-cache"))

    def test_head_has_no_body(self):
        status, headers, body = self.get("/", method="HEAD")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(int(headers["Content-Length"]), len(INDEX))

    def test_missing_files_and_admin_paths_are_404(self):
        for path in ("/assets/nope-123.js", "/favicon.ico", "/admin/registry", "/metrics", "/healthz",
                     "/../../etc/passwd", "/assets/../../../etc/passwd"):
            with self.subTest(path=path):
                status, headers, body = self.get(path)
                self.assertEqual(status, 404, body[:200])
                self.assertIn(b'"not_found"', body)
                self.assertSecure(headers, path)

    def test_pages_take_only_get_and_head(self):
        status, headers, body = self.get("/login", method="POST")
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "GET, HEAD")


class NoPagesBuilt(unittest.TestCase):
    """Without a built site the API works and the pages answer a clear 404."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="cxs-web-"))
        cls.srv = Server(extra_args=[f"--web.root={cls.tmp / 'none'}"])
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def test_pages_404_api_works(self):
        host, port = self.srv.customer_addr
        conn = http.client.HTTPSConnection(host, port, timeout=10, context=ssl.create_default_context(cafile=str(self.srv.cafile)))
        self.addCleanup(conn.close)
        conn.request("GET", "/login")
        r = conn.getresponse()
        self.assertEqual(r.status, 404)
        r.read()
        conn.request("GET", "/api/me")
        r = conn.getresponse()
        self.assertEqual(r.status, 401)
        r.read()


if __name__ == "__main__":
    unittest.main()
