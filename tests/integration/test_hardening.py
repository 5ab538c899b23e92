"""SPEC §18 against the real binary: what a request body must be (JSON with its media type, free
text without control characters), the current password for a new email or auth method (and its
lockout), notice mails and voided reissue links, the admin token checked before a body is read,
files for the service's user only, and a server certificate that is not a CA. Login, lockout,
session and limiter rules of §18 are in test_login.py and test_ratelimit.py."""

import json
import os
import re
import socket
import ssl
import stat
import subprocess
import threading
import time
import unittest

from cxs_harness import (PASSWORD, SUBJECT_CHANGED, SUBJECT_RESET, CustomerClient, CustomerTestCase, Server,
                         mail_mark, mails_to, metric_sum, parse_metrics, wait_mail)

WRONG = "Wr0ngPassword"
NEW_PASSWORD = "Hardened5Pass"

JSON_POSTS = ["/api/signup", "/api/login", "/api/login/otp", "/api/password/reset-request",
              "/api/password/reset"]


class MediaType(CustomerTestCase):

    def test_public_json_routes_answer_415_to_other_media_types(self):
        c = self.client()
        body = json.dumps({"id": "Abcdefghij", "password": PASSWORD}).encode()
        for path in JSON_POSTS:
            for ctype in ("text/plain", "application/x-www-form-urlencoded",
                          "multipart/form-data; boundary=x"):
                self.assertCustomerError(c.post(path, body, headers={"Content-Type": ctype}), 415,
                                         "unsupported_media_type", f"{path} as {ctype}")
            self.assertCustomerError(c.post(path, body), 415, "unsupported_media_type",
                                     f"{path} without a type")

    def test_the_type_may_carry_a_charset(self):
        c = self.client()
        body = json.dumps({"id": "Abcdefghij", "password": "Wr0ngPassword"}).encode()
        self.assertCustomerError(
            c.post("/api/login", body, headers={"Content-Type": "application/json; charset=UTF-8"}),
            401, "invalid_credentials")

    def test_session_routes_with_a_body_need_json_too(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        for method, path in (("PUT", "/api/me"), ("POST", "/api/plan")):
            self.assertCustomerError(
                c.request(method, path, b"person=x", headers={"Content-Type": "application/x-www-form-urlencoded"}),
                415, "unsupported_media_type", f"{method} {path}")
        # Routes without a body take any type: logout still works.
        status, _, _ = c.post("/api/logout", b"", headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 200)


    def test_a_free_account_hears_plan_required_before_the_type_is_judged(self):
        # SPEC §15: the plan is checked after the session, before the body (its type included).
        routes = (("POST", "/api/groups/an"), ("POST", "/api/groups/dn"), ("PUT", "/api/groups/an/0123456789abcdef"),
                  ("PUT", "/api/groups/dn/0123456789abcdef"), ("POST", "/api/custom"),
                  ("PUT", "/api/custom/0123456789abcdef"), ("POST", "/api/custom/upload"), ("POST", "/api/users"),
                  ("PATCH", "/api/users/Abcdefghij"))
        free = self.login(self.srv.create_account())
        standard = self.login(self.srv.create_account(plan="standard"))
        for method, path in routes:
            for ctype in ("text/plain", None):
                headers = {"Content-Type": ctype} if ctype else {}
                self.assertCustomerError(free.request(method, path, b"name=x", headers=headers), 403,
                                         "plan_required", f"free: {method} {path} as {ctype}")
                self.assertCustomerError(standard.request(method, path, b"name=x", headers=headers), 415,
                                         "unsupported_media_type", f"standard: {method} {path} as {ctype}")

    def test_operator_json_routes_answer_415_to_other_media_types(self):
        s = self.srv
        acct = s.create_account()
        before = s.get("/admin/registry")[2]
        for method, path, body in (("PUT", "/admin/registry", {"opids": []}),
                                   ("PATCH", "/admin/registry", {"opids": []}),
                                   ("POST", "/admin/accounts", {"opid": s.take_opid(), "plan": "free"}),
                                   ("POST", f"/admin/accounts/{acct['id']}/plan", {"plan": "standard"}),
                                   ("PUT", f"/admin/accounts/{acct['id']}/auth_method", {"auth_method": "otp"}),
                                   ("POST", "/admin/backup", {"dir": str(s.tmp / "never")}),
                                   ("POST", "/admin/login", {"token": s.token})):
            raw = json.dumps(body).encode()
            for ctype in ("text/plain", "application/x-www-form-urlencoded", None):
                headers = {"Content-Type": ctype} if ctype else {}
                status, _, answer = s.admin(method, path, raw, headers)
                self.assertEqual((status, answer["error"]["code"]), (415, "unsupported_media_type"),
                                 f"{method} {path} as {ctype}: {answer}")
        self.assertEqual(s.get("/admin/registry")[2], before, "a refused body changed the registry")
        self.assertFalse((s.tmp / "never").exists())
        # Routes without a body take any type.
        status, _, _ = s.admin("POST", f"/admin/accounts/{acct['id']}/unlock", b"", {"Content-Type": "text/plain"})
        self.assertEqual(status, 200)


class ControlCharacters(CustomerTestCase):

    def test_settings_refuse_control_characters_in_free_text(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        for field in ("person", "department"):
            for text in ("line\nbreak", "tab\there", "nul\u0000", "del\u007f"):
                status, _, body = c.put("/api/me", {field: text})
                self.assertEqual(status, 422, f"{field} {text!r}: {body}")
                self.assertIn(field, [e["field"] for e in body["errors"]], body)
        status, _, body = c.get("/api/me")
        self.assertEqual(body["person"], "試験 太郎", "nothing was stored")

    def test_operators_cannot_create_them_either(self):
        for field in ("person", "department"):
            body = {"opid": self.srv.take_opid(), "plan": "free", "auth_method": "otp",
                    "password": PASSWORD, "email": "ctl@example.com", field: "a\r\nb"}
            status, _, body = self.srv.admin("POST", "/admin/accounts", body)
            self.assertEqual(status, 422, body)
            self.assertIn(field, [e["field"] for e in body["errors"]], body)



class CurrentPassword(CustomerTestCase):

    def test_a_new_email_needs_the_current_password(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        new = {"email": "moved@example.com"}
        status, _, body = c.put("/api/me", new)
        self.assertEqual(status, 422, body)
        self.assertFieldError(body, "current_password", "required")
        status, _, body = c.put("/api/me", {**new, "current_password": WRONG})
        self.assertEqual(status, 422, body)
        self.assertFieldError(body, "current_password", "wrong_password")
        self.assertEqual(self.assertStatus(c.get("/api/me"), 200)["email"], acct["email"], "nothing stored")
        me = self.assertStatus(c.put("/api/me", {**new, "current_password": PASSWORD}), 200)
        self.assertEqual(me["email"], "moved@example.com")

    def test_unchanged_values_and_contact_fields_need_no_password(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        mark = mail_mark(self.srv)
        me = self.assertStatus(c.put("/api/me", {"email": acct["email"], "auth_method": "otp",
                                                 "person": "別の 担当"}), 200)
        self.assertEqual(me["person"], "別の 担当")
        time.sleep(0.5)
        self.assertEqual(mails_to(self.srv, acct["email"], mark), [], "no notice for contact fields")

    def test_a_current_password_sent_with_contact_fields_is_checked(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        status, _, body = c.put("/api/me", {"person": "別の 担当", "current_password": WRONG})
        self.assertEqual(status, 422, body)
        self.assertFieldError(body, "current_password", "wrong_password")
        self.assertEqual(self.assertStatus(c.get("/api/me"), 200)["person"], "試験 太郎", "nothing stored")
        me = self.assertStatus(c.put("/api/me", {"person": "別の 担当", "current_password": PASSWORD}), 200)
        self.assertEqual(me["person"], "別の 担当")

    def test_wrong_current_passwords_lock_the_id(self):
        s = self.srv
        acct = s.create_account()
        c = self.login(acct)
        for i in range(5):
            status, _, body = c.put("/api/me", {"auth_method": "otp", "email": "x@example.com",
                                                "current_password": WRONG})
            self.assertEqual(status, 422, f"try {i + 1}: {body}")
        self.assertCustomerError(c.put("/api/me", {"email": "x@example.com", "current_password": PASSWORD}),
                                 423, "locked", "the right password after five wrong ones")
        c.logout()
        self.assertCustomerError(self.client().post("/api/login", {"id": acct["id"], "password": PASSWORD}),
                                 423, "locked", "login shares the count")


class Notices(CustomerTestCase):

    def test_an_email_change_tells_the_old_and_the_new_address(self):
        s = self.srv
        acct = s.create_account()
        c = self.login(acct)
        mark = mail_mark(s)
        self.assertStatus(c.put("/api/me", {"email": "new.home@example.com", "current_password": PASSWORD}), 200)
        for to in (acct["email"], "new.home@example.com"):
            mail = wait_mail(s, SUBJECT_CHANGED, to=to, after=mark)
            self.assertMailBasics(mail, to, SUBJECT_CHANGED)
            self.assertIn("・メールアドレス", mail.lines())
            self.assertIn(acct["id"], mail.text)
            self.assertNotIn(PASSWORD, mail.text)

    def test_a_password_change_is_told_and_voids_open_reissue_links(self):
        s = self.srv
        acct = s.create_account()
        token = self.reissue_token(acct)
        c = self.login(acct)
        mark = mail_mark(s)
        self.assertStatus(c.put("/api/me", {"password": NEW_PASSWORD, "current_password": PASSWORD}), 200)
        mail = wait_mail(s, SUBJECT_CHANGED, to=acct["email"], after=mark)
        self.assertIn("・パスワード", mail.lines())
        self.assertCustomerError(self.client().post("/api/password/reset", {"token": token, "password": WRONG + "9"}),
                                 410, "expired", "a link from before the change")

    def test_a_reissue_is_told_and_voids_the_other_links(self):
        s = self.srv
        acct = s.create_account()
        first = self.reissue_token(acct)
        second = self.reissue_token(acct)
        mark = mail_mark(s)
        status, _, body = self.client().post("/api/password/reset", {"token": second, "password": NEW_PASSWORD})
        self.assertEqual(status, 200, body)
        mail = wait_mail(s, SUBJECT_CHANGED, to=acct["email"], after=mark)
        self.assertIn("・パスワード（パスワードの再発行）", mail.lines())
        self.assertCustomerError(self.client().post("/api/password/reset", {"token": first, "password": WRONG + "9"}),
                                 410, "expired", "the other link")
        self.login(acct, NEW_PASSWORD)

    def reissue_token(self, acct) -> str:
        mark = mail_mark(self.srv)
        status, _, _ = self.client().post("/api/password/reset-request", {"id": acct["id"], "email": acct["email"]})
        self.assertEqual(status, 202)
        mail = wait_mail(self.srv, SUBJECT_RESET, to=acct["email"], after=mark)
        return mail.link_token(f"{self.srv.public_url}/password/reset/")


class BoundedHashing(CustomerTestCase):
    """Issue 11: Argon2id work in flight is bounded; beyond the bound a request is answered 503
    busy with Retry-After and a request ID (the log has the same ID), never queued without end."""
    server_options = {"extra_args": ["--auth.hash-parallel=1", "--auth.hash-queue=0"]}

    def hashes(self) -> float:
        samples, _ = parse_metrics(self.srv.metrics())
        return metric_sum(samples, "cxs_password_hashes_total")

    def test_a_burst_of_logins_meets_503_busy(self):
        s = self.srv
        ids = [f"Burst{i:05d}" for i in range(16)]
        start = threading.Barrier(len(ids))
        answers = []
        lock = threading.Lock()

        def one(account_id):
            c = CustomerClient(s)
            try:
                start.wait()
                got = c.post("/api/login", {"id": account_id, "password": "Wr0ngPassword"})
            finally:
                c.close()
            with lock:
                answers.append(got)

        threads = [threading.Thread(target=one, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        statuses = sorted(a[0] for a in answers)
        self.assertEqual(len(answers), len(ids))
        self.assertTrue(set(statuses) <= {401, 503}, statuses)
        busy = [a for a in answers if a[0] == 503]
        self.assertTrue(busy, f"16 logins at once with one hashing place: {statuses}")
        for status, headers, body in busy:
            self.assertEqual(body["error"]["code"], "busy", body)
            self.assertEqual(headers.get("Retry-After"), "1")
            self.assertRegex(body["error"]["request_id"], r"^[0-9a-f]{16}$")
        request_id = busy[0][2]["error"]["request_id"]
        deadline = time.monotonic() + 5
        while f"request {request_id}" not in s.stderr() + s.stdout() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn(f"request {request_id}", s.stderr() + s.stdout(), "the log names the same request")
        # The burst passed: a login is answered as usual.
        self.assertCustomerError(self.client().post("/api/login", {"id": "Burst99999", "password": "Wr0ngPassword"}),
                                 401, "invalid_credentials")

    def test_a_made_up_reissue_link_costs_no_hash(self):
        before = self.hashes()
        for _ in range(3):
            self.assertCustomerError(
                self.client().post("/api/password/reset", {"token": "A" * 43, "password": "Hardened5Pass"}),
                410, "expired")
        self.assertEqual(self.hashes(), before, "the link is checked before the password is hashed")
        acct = self.srv.create_account()
        self.login(acct)
        self.assertGreater(self.hashes(), before, "a login's verify is counted")


class AdminTokenBeforeBody(CustomerTestCase):

    def send_head(self, head: bytes) -> tuple[bytes, float]:
        """Sends only a request head over TLS and reads what comes back within 10 s."""
        host, port = self.srv.admin_addr
        ctx = ssl.create_default_context(cafile=str(self.srv.cafile))
        with socket.create_connection((host, port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname=host) as tls:
                started = time.monotonic()
                tls.sendall(head)
                answer = b""
                try:
                    while b"\r\n\r\n" not in answer:
                        chunk = tls.recv(4096)
                        if not chunk:
                            break
                        answer += chunk
                except (socket.timeout, TimeoutError):
                    pass
                return answer, time.monotonic() - started

    def test_a_wrong_token_is_answered_before_the_body(self):
        # 200 MB announced, none sent: only an answer from the head can come back.
        for auth in (b"", b"Authorization: Bearer wrong\r\n"):
            answer, took = self.send_head(b"POST /admin/ingest HTTP/1.1\r\nHost: x\r\n" + auth +
                                          b"Content-Type: text/csv\r\nContent-Length: 200000000\r\n\r\n")
            self.assertTrue(answer.startswith(b"HTTP/1.1 401"), answer[:200])
            self.assertLess(took, 5, "answered at once, not after a body timeout")

    def test_the_right_token_still_reads_the_body(self):
        status, _, body = self.srv.admin("GET", "/admin/registry")
        self.assertEqual(status, 200, body)

    def test_a_json_route_refuses_another_type_before_the_body(self):
        # 900 KB announced (under the 1 MiB limit), none sent: the head alone earns the 415.
        auth = f"Authorization: Bearer {self.srv.token}\r\n".encode()
        answer, took = self.send_head(b"PUT /admin/registry HTTP/1.1\r\nHost: x\r\n" + auth +
                                      b"Content-Type: text/plain\r\nContent-Length: 900000\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 415"), answer[:200])
        self.assertIn(b"unsupported_media_type", answer)
        self.assertLess(took, 5, "answered at once, not after a body timeout")



class PrivateFiles(CustomerTestCase):

    def test_every_file_the_service_writes_is_its_own_users_alone(self):
        s = self.srv
        acct = s.create_account()
        self.login(acct)  # a mail in the outbox, a session, the mail queue in the database
        old = os.umask(0o022)
        try:
            seen = 0
            for root, dirs, files in os.walk(s.data_dir):
                for d in dirs + ["."]:
                    mode = stat.S_IMODE(os.stat(os.path.join(root, d)).st_mode)
                    self.assertEqual(mode & 0o077, 0, f"{os.path.join(root, d)} is {mode:04o}")
                for f in files:
                    mode = stat.S_IMODE(os.stat(os.path.join(root, f)).st_mode)
                    self.assertEqual(mode & 0o077, 0, f"{os.path.join(root, f)} is {mode:04o}")
                    seen += 1
            self.assertGreater(seen, 5, "the database, keys, TLS files and a mail were looked at")
        finally:
            os.umask(old)

    def test_a_token_file_others_can_read_is_refused(self):
        s = Server()
        self.addCleanup(s.close)
        token = s.tmp / "operator.token"
        token.write_text("0123456789abcdef0123456789abcdef\n")
        token.chmod(0o644)
        p = s.spawn(s.args() + [f"--admin.token-file={token}"])
        try:
            code = p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            self.fail("started with a token file others can read")
        self.assertNotEqual(code, 0)
        self.assertIn("operator.token", s.stderr())
        self.assertIn("chmod 600", s.stderr())


class AdminHeaders(CustomerTestCase):

    def test_every_admin_answer_carries_the_security_headers(self):
        s = self.srv
        answers = [s.admin("GET", "/healthz"), s.admin("GET", "/metrics", raw=True),
                   s.admin("GET", "/admin/registry", token=None), s.admin("GET", "/admin/nope"),
                   s.admin("DELETE", "/admin/registry")]
        for status, headers, _ in answers:
            with self.subTest(status=status):
                self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff")
                self.assertIn("max-age=", headers.get("Strict-Transport-Security", ""))
                self.assertEqual(headers.get("X-Frame-Options"), "DENY")
                self.assertEqual(headers.get("Cache-Control"), "no-store")
                self.assertIn("default-src 'none'", headers.get("Content-Security-Policy", ""))


class WireFacts(CustomerTestCase):
    """ASVS rows the other classes do not show: no clear text, no version banner, no CORS."""

    def test_clear_text_http_gets_no_http_answer(self):
        for host, port in (self.srv.customer_addr, self.srv.admin_addr):
            with socket.create_connection((host, port), timeout=10) as raw:
                raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                try:
                    got = raw.recv(4096)
                except (ConnectionResetError, socket.timeout, TimeoutError):
                    got = b""
                self.assertFalse(got.startswith(b"HTTP/"), f"port {port} answered clear text: {got[:80]!r}")

    def test_no_version_in_the_server_header(self):
        for status, headers, _ in (self.client().get("/api/me"), self.srv.admin("GET", "/healthz")):
            self.assertEqual(headers.get("Server"), "cxs")
            self.assertIsNone(headers.get("X-Powered-By"))

    def test_api_answers_are_not_stored(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        for status, headers, _ in (c.get("/api/me"), self.client().get("/api/me"),
                                   c.post("/api/logout", {})):
            self.assertEqual(headers.get("Cache-Control"), "no-store", status)

    def test_a_cors_preflight_is_refused(self):
        status, headers, _ = self.client().request(
            "OPTIONS", "/api/login", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
            csrf=None)
        self.assertEqual(status, 405)
        self.assertFalse([k for k in headers.keys() if k.lower().startswith("access-control-")], dict(headers))

    def test_a_line_break_in_an_email_is_refused(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        status, _, body = c.put("/api/me", {"email": "a@b.jp\r\nBcc: c@d.jp", "current_password": PASSWORD})
        self.assertEqual(status, 422, body)
        self.assertFieldError(body, "email", "invalid")


class ServerCertificate(CustomerTestCase):

    def test_the_self_signed_certificate_is_not_a_ca(self):
        text = subprocess.run(["openssl", "x509", "-noout", "-text", "-in", str(self.srv.cafile)],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("CA:FALSE", text)
        self.assertNotIn("Certificate Sign", text)
        self.assertIn("TLS Web Server Authentication", text)

    def not_after(self, cert) -> float:
        end = subprocess.run(["openssl", "x509", "-noout", "-enddate", "-in", str(cert)],
                             capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
        return ssl.cert_time_to_seconds(end)

    def test_it_lives_397_days_and_is_made_anew_before_it_ends(self):
        days = (self.not_after(self.srv.cafile) - time.time()) / 86400
        self.assertGreater(days, 396)
        self.assertLessEqual(days, 397, "browsers refuse certificates issued for longer")
        # A certificate within 30 days of its end is replaced at the next start.
        s = Server()
        self.addCleanup(s.close)
        tls = s.data_dir / "tls"
        tls.mkdir(mode=0o700)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-days", "10", "-subj", "/CN=localhost", "-keyout", str(tls / "server.key"),
                        "-out", str(tls / "server.crt")], check=True, capture_output=True)
        os.chmod(tls / "server.key", 0o600)
        os.chmod(tls / "server.crt", 0o600)
        s.start()
        self.assertGreater((self.not_after(s.cafile) - time.time()) / 86400, 396, "renewed at start")
        status, _, _ = s.admin("GET", "/healthz")
        self.assertEqual(status, 200, "served with the new certificate")


if __name__ == "__main__":
    unittest.main()
