"""Start-up, TLS, the operator token, flags, probes and SIGTERM (SPEC §9, §11, §12, §14)."""

import json
import os
import socket
import ssl
import stat
import subprocess
import threading
import time
import unittest

from cxs_harness import FIXED_NOW, Server, ServerTestCase, csv_body, generated


class ReadyServer(ServerTestCase):
    """A server started as in production (no test clock)."""

    server_options = {"clock": None}

    def test_ready_line_is_the_only_stdout_line(self):
        s = self.srv
        self.assertRegex(s.ready_line, r"^cxs ready customer=https://127\.0\.0\.1:\d+ "
                                       r"admin=https://127\.0\.0\.1:\d+$")
        self.assertNotEqual(s.customer_addr[1], s.admin_addr[1])
        self.assertStatus(s.get("/healthz"), 200)   # some activity, then stdout is still one line
        lines = s.stdout().splitlines()
        self.assertEqual(lines, [s.ready_line], "stdout must hold only the ready line (logs go "
                                                "to stderr)")

    def test_tls_certificate_verifies(self):
        s = self.srv
        self.assertTrue(s.cafile.is_file(), f"{s.cafile} missing")
        self.assertTrue((s.data_dir / "tls" / "server.key").is_file())
        ctx = ssl.create_default_context(cafile=str(s.cafile))
        for addr in (s.admin_addr, s.customer_addr):
            for name in ("localhost", "127.0.0.1"):
                with socket.create_connection(addr, timeout=10) as raw, \
                        ctx.wrap_socket(raw, server_hostname=name) as tls:
                    cert = tls.getpeercert()
                    sans = {v for _, v in cert.get("subjectAltName", ())}
                    self.assertIn("localhost", sans)
                    self.assertIn("127.0.0.1", sans)
                    key = tls.cipher()
                    self.assertIsNotNone(key)
        # The check is real: without the certificate as CA the handshake fails.
        plain = ssl.create_default_context()
        with socket.create_connection(s.admin_addr, timeout=10) as raw:
            with self.assertRaises(ssl.SSLCertVerificationError):
                plain.wrap_socket(raw, server_hostname="127.0.0.1")
        # The key is ECDSA P-256.
        out = subprocess.run(["openssl", "x509", "-in", str(s.cafile), "-noout", "-text"],
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0:
            self.assertIn("id-ecPublicKey", out.stdout)
            self.assertRegex(out.stdout, r"prime256v1|P-256")

    def test_probes_answer_without_token(self):
        s = self.srv
        for path, want in (("/healthz", {"status": "ok"}), ("/readyz", {"status": "ready"})):
            body = self.assertStatus(s.admin("GET", path, token=None), 200, path)
            self.assertEqual(body, want)

    def test_token_required(self):
        s = self.srv
        for path in ("/metrics", "/admin/registry", "/admin/accounts/Abcde01234"):
            for token, headers in ((None, None), ("wrong-token", None),
                                   (None, {"Authorization": f"Basic {s.token}"}),
                                   (None, {"Authorization": "Bearer"}),
                                   (s.token + "x", None), (s.token[:-1], None)):
                status, _, body = s.admin("GET", path, token=token, headers=headers)
                self.assertEqual(status, 401, f"{path} token={token!r} headers={headers}: {body}")
                self.assertErrorCode(body, "unauthorized", path)
        status, _, _ = s.admin("POST", "/admin/ingest", csv_body([]), token=None,
                               headers={"Content-Type": "text/csv"})
        self.assertEqual(status, 401)
        self.assertStatus(s.get("/metrics"), 200)
        self.assertStatus(s.get("/admin/registry"), 200)

    def test_token_file_private_and_never_printed(self):
        s = self.srv
        mode = stat.S_IMODE(os.stat(s.token_file).st_mode)
        self.assertEqual(mode, 0o600, f"token file mode {oct(mode)}")
        self.assertGreaterEqual(len(s.token), 16, "a random token should be long")
        self.assertNotIn(s.token, s.stdout())
        self.assertNotIn(s.token, s.stderr())


class Lifecycle(unittest.TestCase):
    """Flags, the test clock guard, custom token file and SIGTERM (a server per test)."""

    def run_bad(self, server: Server, args, timeout=15):
        p = server.spawn(server.args() + list(args))
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            self.fail(f"server with {args} did not exit within {timeout} s")
        return rc, server.stdout(), server.stderr()

    def test_bad_flags_exit_nonzero_naming_the_flag(self):
        s = Server(clock=None)
        self.addCleanup(s.close)
        for args, name in ((["--no-such-flag=1"], "no-such-flag"),
                           (["--http.port=notaport"], "http.port"),
                           (["--admin.port=70000"], "admin.port")):
            rc, out, err = self.run_bad(s, args)
            self.assertNotEqual(rc, 0, f"{args}: exit code 0")
            self.assertNotIn("cxs ready", out, args)
            self.assertTrue(any(name in line for line in err.splitlines()),
                            f"{args}: no stderr line names {name!r}:\n{err}")

    def test_testing_clock_refused_with_public_listener(self):
        s = Server(clock=FIXED_NOW, http_host="0.0.0.0")
        self.addCleanup(s.close)
        rc, out, err = self.run_bad(s, [])
        self.assertNotEqual(rc, 0, "--testing.clock with --http.host=0.0.0.0 must be refused")
        self.assertNotIn("cxs ready", out)
        self.assertIn("testing.clock", err)

    def test_custom_token_file(self):
        s = Server(clock=None, token_file=None)
        self.addCleanup(s.close)
        given = s.tmp / "given.token"
        given.write_text("it-operator-token-0123456789\n")
        os.chmod(given, 0o600)
        s.token_file, s.custom_token_file = given, True
        s.start()
        self.assertEqual(s.token, "it-operator-token-0123456789")
        self.assertStatus(s.get("/admin/registry"), 200)
        self.assertEqual(s.admin("GET", "/metrics", token="other")[0], 401)
        self.assertEqual(s.terminate(), 0)
        # A token file path that does not exist yet is created, mode 0600.
        s.token_file = s.tmp / "new" / "op.token"
        s.token_file.parent.mkdir()
        s.start()
        self.assertEqual(stat.S_IMODE(os.stat(s.token_file).st_mode), 0o600)
        self.assertTrue(s.token)
        self.assertStatus(s.get("/metrics"), 200)

    def assertStatus(self, result, status):
        self.assertEqual(result[0], status, result[2])
        return result[2]

    def test_sigterm_exits_zero(self):
        s = Server(clock=None)
        self.addCleanup(s.close)
        s.start()
        self.assertStatus(s.get("/healthz"), 200)
        self.assertStatus(s.get("/metrics"), 200)
        t0 = time.monotonic()
        self.assertEqual(s.terminate(timeout=15), 0, s.stderr_tail())
        self.assertLess(time.monotonic() - t0, 15)
        # And it starts again on the same data dir with the same token.
        token = s.token
        s.start()
        self.assertEqual(s.token, token)
        self.assertStatus(s.get("/readyz"), 200)

    def test_sigterm_finishes_in_flight_ingest(self):
        s = Server(clock=FIXED_NOW)
        self.addCleanup(s.close)
        s.start()
        acct = s.create_account(registered="2026-01-01")
        # About 0.9 MB, under the 1 MiB of other routes so that only SIGTERM is tested here
        # (test_ingest checks bodies of several MB); the server needs some 40 ms for it.
        records = generated(5, s.routes(acct["opid"]), "2026-08-01", "2026-11-19", 95)
        body = csv_body(records)
        answer = {}
        sent = threading.Event()

        def post():
            c = s.client(retry=False, timeout=60)
            try:
                c.request("GET", "/healthz", token=None)       # the session exists already
                c.conn.request("POST", "/admin/ingest", body=body, headers={
                    "Authorization": f"Bearer {s.token}", "Content-Type": "text/csv"})
                sent.set()
                r = c.conn.getresponse()
                answer["status"], answer["body"] = r.status, r.read()
            except Exception as e:  # noqa: BLE001 - reported below
                answer["error"] = repr(e)
            finally:
                sent.set()
                c.close()

        t = threading.Thread(target=post, daemon=True)
        t.start()
        self.assertTrue(sent.wait(60))
        time.sleep(0.005)
        rc = s.terminate(timeout=60)
        t.join(60)
        self.assertEqual(rc, 0, s.stderr_tail())
        self.assertNotIn("error", answer, f"in-flight request lost at SIGTERM: {answer}")
        self.assertEqual(answer["status"], 200, answer.get("body", b"")[:500])
        got = json.loads(answer["body"])
        self.assertEqual(got["accepted"], len(records))
        # Everything acknowledged is there after the restart.
        s.start()
        again = s.ingest(records)
        self.assertEqual((again["accepted"], again["duplicates"]), (0, len(records)))


class Readiness(unittest.TestCase):

    def test_not_ready_until_the_registry_has_an_opid(self):
        s = Server(registry={"opids": []}, clock=FIXED_NOW)
        self.addCleanup(s.close)
        s.start()
        status, _, body = s.admin("GET", "/readyz", token=None)
        self.assertEqual(status, 503, body)
        self.assertEqual(body["error"]["code"], "not_ready")
        self.assertEqual(s.admin("GET", "/healthz", token=None)[0], 200)  # alive all the same
        registry = {"opids": [{"opid": "READY01", "parent": True,
                               "ans": [{"an": "0120987654", "dns": ["0312345678"]}]}]}
        self.assertEqual(s.admin("PUT", "/admin/registry", registry)[0], 200)
        status, _, body = s.admin("GET", "/readyz", token=None)
        self.assertEqual((status, body), (200, {"status": "ready"}))


if __name__ == "__main__":
    unittest.main()
