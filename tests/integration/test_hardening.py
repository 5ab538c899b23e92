"""SPEC §18 against the real binary: what a request body must be (JSON with its media type, free
text without control characters), and the admin token checked before a body is read. Login, lockout and limiter rules of §18 are in test_login.py
and test_ratelimit.py."""

import json
import socket
import ssl
import time
import unittest

from cxs_harness import PASSWORD, CustomerTestCase

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


if __name__ == "__main__":
    unittest.main()
