"""Certificate login (SPEC §4, §16), against the real binary over TLS with Python's ssl: the
customer listener asks every client for a certificate of "CX Support Root" and requires none; a
certificate account's `POST /api/login` on a connection that presented its valid certificate gets
the session at once (no one-time password, no mail); no certificate, another ID's, one of a
foreign CA, a revoked one and an expired one (service clock) are refused with their codes; one
session per ID and the take-over hold for certificate logins too; otp accounts are unchanged."""

import datetime as dt
import socket
import ssl
import subprocess
import tempfile
import unittest

from cxs_harness import (PASSWORD, SESSION_COOKIE, CustomerClient, CustomerTestCase,
                         certificate_account, issue_client_certificate, login, mail_mark, mails_to,
                         wait_otp)


class CertificateLogin(CustomerTestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def client(self, cert: tuple[str, str] | None = None, lang: str | None = None) -> CustomerClient:
        c = CustomerClient(self.srv, lang=lang)
        self.addCleanup(c.close)
        if cert:
            c.http.context.load_cert_chain(*cert)
        return c

    def account_with_certificate(self, name: str) -> tuple[dict, tuple[str, str], dict]:
        acct, account, password = certificate_account(self.srv)
        cert, key, made = issue_client_certificate(self.srv, account, password, self.tmp.name, name)
        return acct, (cert, key), made

    def password_step(self, c: CustomerClient, acct: dict, **extra):
        return c.post("/api/login", {"id": acct["id"], "password": PASSWORD, **extra}, csrf=None)

    def test_the_listener_asks_for_a_certificate_of_our_ca_and_requires_none(self):
        host, port = self.srv.customer_addr
        ctx = ssl.create_default_context(cafile=str(self.srv.cafile))
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2  # the request's CA names are visible to s_client
        with socket.create_connection((host, port), timeout=10) as raw, \
                ctx.wrap_socket(raw, server_hostname=host) as tls:
            self.assertEqual(tls.version(), "TLSv1.2", "the handshake passed without a client certificate")
        done = subprocess.run(["openssl", "s_client", "-connect", f"{host}:{port}", "-tls1_2", "-CAfile",
                               str(self.srv.cafile)], input=b"", capture_output=True, timeout=30)
        text = done.stdout.decode("utf-8", "replace")
        self.assertIn("Acceptable client certificate CA names", text)
        self.assertIn("CN = CX Support Root", text)
        # The admin listener asks for none.
        admin_host, admin_port = self.srv.admin_addr
        done = subprocess.run(["openssl", "s_client", "-connect", f"{admin_host}:{admin_port}", "-tls1_2"],
                              input=b"", capture_output=True, timeout=30)
        self.assertNotIn("Acceptable client certificate CA names", done.stdout.decode("utf-8", "replace"))

    def test_a_valid_certificate_of_the_id_opens_a_session_at_once(self):
        acct, cert, _ = self.account_with_certificate("mine")
        c = self.client(cert)
        mark = mail_mark(self.srv)
        status, headers, body = self.password_step(c, acct)
        self.assertEqual(status, 200, body)
        self.assertEqual(set(body), {"csrf_token", "id"})
        self.assertEqual(body["id"], acct["id"])
        self.assertIsNotNone(c.session, "the session cookie is set")
        c.csrf = body["csrf_token"]
        me = self.assertStatus(c.get("/api/me"), 200)
        self.assertEqual(me["id"], acct["id"])
        self.assertEqual(me["auth_method"], "certificate")
        self.assertEqual(mails_to(self.srv, acct["email"], mark), [], "no one-time password is mailed")
        # A wrong password is refused as ever, certificate or not.
        other = self.client(cert)
        status, _, body = other.post("/api/login", {"id": acct["id"], "password": "Wr0ngPassword"}, csrf=None)
        self.assertEqual(status, 401, body)
        self.assertEqual(body["error"]["code"], "invalid_credentials")
        # One session per ID; the take-over ends the first at once.
        status, _, body = self.password_step(other, acct)
        self.assertEqual(status, 409, body)
        self.assertEqual(body["error"]["code"], "session_active")
        status, _, body = self.password_step(other, acct, take_over=True)
        self.assertEqual(status, 200, body)
        status, _, body = c.get("/api/me")
        self.assertEqual(status, 401)
        self.assertEqual(body["error"]["code"], "session_replaced")

    def test_refusals_name_what_is_wrong_with_the_certificate(self):
        acct, cert, made = self.account_with_certificate("first")
        other, other_cert, _ = self.account_with_certificate("other")
        for client, code in ((self.client(), "certificate_required"),
                             (self.client(other_cert), "certificate_mismatch"),
                             (self.client(self.foreign_certificate(acct["id"])), "certificate_mismatch")):
            status, headers, body = self.password_step(client, acct)
            self.assertEqual(status, 401, f"{code}: {body}")
            self.assertEqual(body["error"]["code"], code)
            self.assertRegex(body["error"]["message"], r"[ぁ-んァ-ン一-龥]", "a Japanese message")
            self.assertIsNone(client.cookie(SESSION_COOKIE))
        en = self.password_step(self.client(lang="en"), acct)[2]
        self.assertIn("client certificate", en["error"]["message"])
        # Revoked by an operator.
        status, _, answer = self.srv.admin("POST", f"/admin/accounts/{acct['id']}/certificates/{made['serial']}/revoke",
                                           {})
        self.assertEqual(status, 200, answer)
        status, _, body = self.password_step(self.client(cert), acct)
        self.assertEqual((status, body["error"]["code"]), (401, "certificate_revoked"))
        # The other account's certificate still lets it in.
        status, _, body = self.password_step(self.client(other_cert), other)
        self.assertEqual(status, 200, body)

    def test_an_expired_certificate_is_refused(self):
        acct, cert, made = self.account_with_certificate("old")
        not_after = dt.datetime.fromisoformat(made["not_after"])
        self.srv.advance((not_after - self.srv.now()).total_seconds() + 60)
        status, _, body = self.password_step(self.client(cert), acct)
        self.assertEqual((status, body["error"]["code"]), (401, "certificate_expired"), body)

    def test_an_otp_account_is_unchanged_by_a_certificate(self):
        _, cert, _ = self.account_with_certificate("stray")
        acct = self.srv.create_account()
        mark = mail_mark(self.srv)
        status, _, body = self.password_step(self.client(cert), acct)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["second_factor"], "otp")
        # Its code's mail first: arriving after the next login began, it was taken for that one's.
        wait_otp(self.srv, acct["email"], after=mark)
        c = login(self.srv, acct["id"], PASSWORD, email_to=acct["email"])
        self.addCleanup(c.close)

    # -- helpers -----------------------------------------------------------------------------------

    def foreign_certificate(self, cn: str) -> tuple[str, str]:
        """A self-signed client certificate with the ID's CN, of no CA of ours."""
        cert, key = f"{self.tmp.name}/foreign.crt", f"{self.tmp.name}/foreign.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "30", "-subj", f"/CN={cn}", "-addext", "extendedKeyUsage=clientAuth"],
                       check=True, capture_output=True, timeout=60)
        return cert, key


if __name__ == "__main__":
    unittest.main()
