"""The certificate download site (SPEC §16), against the real binary: the download credentials in
mail (3/3) of a certificate account and in the mail of an operator-made one; /certsrv/ behind HTTP
Basic auth with them (401 with the challenge otherwise, five wrong passwords lock the download
account 30 minutes on the service clock, across a restart); a PKCS#12 issued (JSON or file) that `openssl pkcs12`
opens with the shown password, its certificate for the ID (clientAuth, issued by CX Support Root,
one year); a new one revoking the earlier, listed by the operators and in the CRL; the CSR path;
a cross-site POST refused."""

import base64
import datetime as dt
import os
import re
import subprocess
import tempfile
import unittest

from cxs_harness import (SUBJECT_DOWNLOAD, SUBJECT_READY, CustomerClient, CustomerTestCase, Server,
                         basic_auth, certificate_account, customer_args, download_credentials,
                         issue_client_certificate, mail_mark, mails_to, signup_body, wait_mail)

SUBJECT_EXPIRING = "【CX Support】電子証明書の有効期限のお知らせ"


def openssl(*args: str, stdin: bytes | None = None, check: bool = True) -> str:
    done = subprocess.run(["openssl", *args], input=stdin, capture_output=True, timeout=60)
    out = (done.stdout + done.stderr).decode("utf-8", "replace")
    if check and done.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)} failed:\n{out}")
    return out


basic = basic_auth


class DownloadSite(CustomerTestCase):

    def setUp(self):
        self.web = CustomerClient(self.srv)
        self.addCleanup(self.web.close)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def path(self, name: str) -> str:
        return os.path.join(self.tmp.name, name)

    def write(self, name: str, data: bytes) -> str:
        with open(self.path(name), "wb") as f:
            f.write(data)
        return self.path(name)

    def credentials_of(self, mail) -> tuple[str, str]:
        self.assertIn(f"ダウンロードURL: {self.srv.public_url}/certsrv/", mail.lines())
        return download_credentials(mail)

    def certificate_account(self) -> tuple[str, str, str]:
        """An operator-made certificate account: its ID and the download credentials mailed."""
        mark = mail_mark(self.srv)
        acct = self.srv.create_account(auth_method="certificate")
        mail = wait_mail(self.srv, SUBJECT_DOWNLOAD, to=acct["email"], after=mark)
        self.assertIn(f"CX Support ID: {acct['id']} は電子証明書でログインする設定です。", mail.lines())
        return (acct["id"], *self.credentials_of(mail))

    def site(self, method: str, path: str, creds: dict | None, **kw):
        headers = dict(creds or {})
        headers.update(kw.pop("headers", {}))
        return self.web.request(method, path, headers=headers, csrf=None, session=None, **kw)

    def issue(self, creds: dict) -> dict:
        status, headers, body = self.site("POST", "/certsrv/issue", creds, headers={"Accept": "application/json"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        return body

    def revoked_serials(self) -> set[str]:
        status, _, crl = self.srv.admin("GET", "/admin/crl", raw=True)
        self.assertEqual(status, 200)
        text = openssl("crl", "-noout", "-text", stdin=crl)
        return {m.lower() for m in re.findall(r"Serial Number: ([0-9A-Fa-f]+)", text)}

    # -- the mails ---------------------------------------------------------------------------------

    def test_mail_three_of_a_certificate_sign_up_carries_working_credentials(self):
        s = self.srv
        body = signup_body(s, auth_method="certificate")
        mark = mail_mark(s)
        status, _, answer = self.web.post("/api/signup", body, csrf=None, session=None)
        self.assertEqual(status, 202, answer)
        first = wait_mail(s, "(1/3)", to=body["email"], after=mark)
        token = first.link_token(f"{s.public_url}/signup/confirm/")
        status, _, created = self.web.post(f"/api/signup/{token}/confirm", {}, csrf=None, session=None)
        self.assertEqual(status, 201, created)
        ready = wait_mail(s, SUBJECT_READY, to=body["email"], after=mark)
        account, password = self.credentials_of(ready)
        status, _, answer = self.site("GET", "/certsrv/status", basic(account, password))
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer, {"id": created["id"], "certificates": []})
        # The password is stored as a digest only: never in the data folder's files in the clear.
        self.assertFalse(any(password.encode() in p.read_bytes() for p in s.data_dir.rglob("*") if p.is_file()
                             and "outbox" not in p.parts),
                         "the download password is nowhere in the data folder")

    # -- Basic auth ----------------------------------------------------------------------------------

    def test_the_page_asks_for_the_download_credentials(self):
        acct_id, account, password = self.certificate_account()
        for creds in (None, basic(account, "WrongPassword123"), basic("nosuchaccnt2", password),
                      {"Authorization": "Bearer x"}):
            status, headers, body = self.site("GET", "/certsrv/", creds, raw=True)
            self.assertEqual(status, 401, creds)
            self.assertRegex(headers.get("WWW-Authenticate", ""), r'^Basic realm="[^"]+"')
            self.assertIn("ダウンロードアカウントまたはダウンロードパスワードが正しくありません", body.decode())
            # In Japanese, as the page, whatever the browser prefers (SPEC §16).
            _, _, english = self.site("GET", "/certsrv/", creds, raw=True, headers={"Accept-Language": "en"})
            self.assertIn("ダウンロードアカウントまたはダウンロードパスワードが正しくありません", english.decode())
            self.assertIn(b'lang="ja"', english)
        status, headers, page = self.site("GET", "/certsrv/", basic(account, password), raw=True)
        self.assertEqual(status, 200, page[:300])
        self.assertTrue(headers.get("Content-Type", "").startswith("text/html"))
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        self.assertIn(b'lang="ja"', page)
        status, _, _ = self.site("GET", "/certsrv.html", None, raw=True)
        self.assertEqual(status, 404, "the page is not served without its credentials")
        status, _, answer = self.site("GET", "/certsrv/status", basic(account, password))
        self.assertEqual(answer["id"], acct_id)
        status, headers, answer = self.site("GET", "/certsrv/status", None)
        self.assertEqual(status, 401)
        self.assertEqual(answer["error"]["code"], "download_credentials")
        self.assertIn("WWW-Authenticate", headers)

    def test_five_wrong_download_passwords_lock_the_account_for_thirty_minutes(self):
        _, account, password = self.certificate_account()
        for i in range(4):
            status, _, answer = self.site("GET", "/certsrv/status", basic(account, f"Wrong{i}"))
            self.assertEqual(status, 401, answer)
        status, headers, answer = self.site("GET", "/certsrv/status", basic(account, "Wrong5"))
        self.assertEqual(status, 423, answer)
        self.assertEqual(answer["error"]["code"], "download_locked")
        self.assertNotIn("WWW-Authenticate", headers)
        status, _, answer = self.site("GET", "/certsrv/status", basic(account, password))
        self.assertEqual(status, 423, "the right password waits out the lock too")
        status, _, page = self.site("POST", "/certsrv/issue", basic(account, password))
        self.assertEqual(status, 423, page)
        self.srv.advance(30 * 60 + 1)
        status, _, answer = self.site("GET", "/certsrv/status", basic(account, password))
        self.assertEqual(status, 200, answer)

    def test_a_download_lockout_outlives_a_restart(self):
        # SPEC §18: stored before the 423, so a kill -9 right after it hands out no fresh tries.
        s = Server(extra_args=customer_args())
        self.addCleanup(s.close)
        s.start()
        _, account, password = certificate_account(s)

        def status_with(pw: str) -> int:
            c = CustomerClient(s)
            try:
                return c.request("GET", "/certsrv/status", headers=basic(account, pw), csrf=None, session=None)[0]
            finally:
                c.close()
        self.assertEqual([status_with(f"Wrong{i}") for i in range(5)], [401] * 4 + [423])
        s.restart(hard=True)
        self.assertEqual(status_with(password), 423, "after kill -9 the right password still waits")
        s.restart()
        self.assertEqual(status_with(password), 423, "after SIGTERM too")
        s.advance(30 * 60 + 1)
        self.assertEqual(status_with(password), 200, "the lock ran out on the service clock")

    # -- issuing -------------------------------------------------------------------------------------

    def test_a_pkcs12_opens_with_its_password_and_holds_the_ids_client_certificate(self):
        acct_id, account, password = self.certificate_account()
        creds = basic(account, password)
        made = self.issue(creds)
        self.assertEqual(set(made), {"id", "pkcs12", "password", "serial", "not_after"})
        self.assertEqual(made["id"], acct_id)
        self.assertRegex(made["password"], r"^[A-Za-z0-9]{16}$")
        self.assertRegex(made["serial"], r"^[0-9a-f]{16,}$")
        p12 = self.write("cxs.p12", base64.b64decode(made["pkcs12"]))
        info = openssl("pkcs12", "-info", "-in", p12, "-passin", f"pass:{made['password']}", "-noout")
        self.assertIn("AES-256-CBC", info, "SPEC §16: AES-256-CBC under PBKDF2")
        self.assertIn("PBKDF2", info)
        # The layout `openssl pkcs12 -export` of OpenSSL 3 writes, which macOS's keychain imports:
        # an 8-byte MAC salt (a 16-byte one is refused there), HMAC-SHA-256 for MAC and PRF.
        self.assertIn("MAC: sha256", info)
        self.assertIn("salt length: 8", info)
        self.assertIn("PRF hmacWithSHA256", info)
        wrong = openssl("pkcs12", "-in", p12, "-passin", "pass:NotThePassword1", "-nokeys", check=False)
        self.assertIn("Mac verify error", wrong)
        cert = self.write("cert.pem", openssl("pkcs12", "-in", p12, "-passin", f"pass:{made['password']}",
                                              "-clcerts", "-nokeys").encode())
        text = openssl("x509", "-in", cert, "-noout", "-subject", "-issuer", "-serial", "-ext", "extendedKeyUsage",
                       "-dates", "-nameopt", "oneline")
        self.assertIn(f"subject=CN = {acct_id}", text)
        self.assertIn("issuer=CN = CX Support Root", text)
        self.assertIn("TLS Web Client Authentication", text)
        self.assertEqual(int(re.search(r"serial=([0-9A-F]+)", text).group(1), 16), int(made["serial"], 16))
        not_after = dt.datetime.fromisoformat(made["not_after"])
        self.assertLess(abs(not_after - (self.srv.now() + dt.timedelta(days=365))), dt.timedelta(minutes=5))
        _, _, ca = self.site("GET", "/certsrv/ca.pem", None, raw=True)
        ca_file = self.write("ca.pem", ca)
        self.assertIn(": OK", openssl("verify", "-CAfile", ca_file, "-purpose", "sslclient", "-attime",
                                      str(int(self.srv.now().timestamp())), cert))
        status, _, answer = self.site("GET", "/certsrv/status", creds)
        self.assertEqual([c["serial"] for c in answer["certificates"]], [made["serial"]])
        self.assertIsNone(answer["certificates"][0]["revoked"])

    def test_the_file_form_and_a_new_certificate_revoking_the_earlier(self):
        acct_id, account, password = self.certificate_account()
        creds = basic(account, password)
        first = self.issue(creds)
        status, headers, p12 = self.site("POST", "/certsrv/issue", creds, raw=True)
        self.assertEqual(status, 200, p12[:200])
        self.assertEqual(headers.get("Content-Type"), "application/x-pkcs12")
        self.assertEqual(headers.get("Content-Disposition"), f'attachment; filename="cxs-{acct_id}.p12"')
        second_serial = headers.get("X-Certificate-Serial")
        opened = openssl("pkcs12", "-in", self.write("second.p12", p12), "-passin",
                         f"pass:{headers.get('X-PKCS12-Password')}", "-nokeys", "-clcerts")
        self.assertIn(f"CN = {acct_id}", opened)
        listed = self.assertStatus(self.srv.get(f"/admin/accounts/{acct_id}/certificates"), 200)["certificates"]
        self.assertEqual([c["serial"] for c in listed], [second_serial, first["serial"]], "newest first")
        self.assertIsNone(listed[0]["revoked"])
        self.assertIsNotNone(listed[1]["revoked"], "a new certificate revokes the earlier one")
        revoked = self.revoked_serials()
        self.assertIn(first["serial"].lstrip("0"), {s.lstrip("0") for s in revoked})
        self.assertNotIn(second_serial.lstrip("0"), {s.lstrip("0") for s in revoked})
        # An operator revokes the other by serial: the CRL lists it from then on.
        status, _, answer = self.srv.admin("POST", f"/admin/accounts/{acct_id}/certificates/{second_serial}/revoke", {})
        self.assertEqual(status, 200, answer)
        self.assertIn(second_serial.lstrip("0"), {s.lstrip("0") for s in self.revoked_serials()})

    def test_a_csr_of_the_id_is_signed_and_others_are_refused_at_the_field(self):
        acct_id, account, password = self.certificate_account()
        creds = basic(account, password)

        def csr(cn: str, key: str = "rsa:2048") -> bytes:
            openssl("req", "-new", "-newkey", key, "-nodes", "-keyout", self.path(f"{cn}.key"), "-subj", f"/CN={cn}",
                    "-out", self.path(f"{cn}.csr"))
            with open(self.path(f"{cn}.csr"), "rb") as f:
                return f.read()

        pkcs10 = {"Content-Type": "application/pkcs10"}
        status, headers, pem = self.site("POST", "/certsrv/csr", creds, body=csr(acct_id), headers=pkcs10, raw=True)
        self.assertEqual(status, 200, pem[:300])
        self.assertEqual(headers.get("Content-Type"), "application/x-pem-file")
        self.assertTrue(pem.startswith(b"-----BEGIN CERTIFICATE-----"))
        text = openssl("x509", "-noout", "-subject", "-pubkey", "-nameopt", "oneline", stdin=pem)
        self.assertIn(f"subject=CN = {acct_id}", text)
        own_key = openssl("pkey", "-in", self.path(f"{acct_id}.key"), "-pubout")
        self.assertIn(own_key.strip(), text, "the certificate is of the customer's own key")

        for body, code in ((csr("Someone0001"), "csr_subject"), (b"not a request", "csr_invalid"),
                           (csr(acct_id, "rsa:1024"), "csr_key")):
            status, _, answer = self.site("POST", "/certsrv/csr", creds, body=body, headers=pkcs10)
            self.assertEqual(status, 422, answer)
            self.assertEqual([(e["field"], e["code"]) for e in answer["errors"]], [("csr", code)])
            self.assertTrue(answer["errors"][0]["message"])
        status, _, answer = self.site("POST", "/certsrv/csr", creds, body=csr(acct_id),
                                      headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 415, answer)

    def test_reminders_thirty_and_seven_days_before_the_end_once_each_across_a_restart(self):
        s = Server(extra_args=customer_args())
        self.addCleanup(s.close)
        s.start()
        acct, account, password = certificate_account(s)
        _, _, made = issue_client_certificate(s, account, password, self.tmp.name)
        not_after = dt.datetime.fromisoformat(made["not_after"])

        def remind() -> int:
            return self.assertStatus(s.admin("POST", "/admin/certificates/remind", {}), 200)["sent"]

        def reminders(mark) -> list:
            return [m for m in mails_to(s, acct["email"], mark) if m.subject == SUBJECT_EXPIRING]

        mark = mail_mark(s)
        self.assertEqual(remind(), 0, "a new certificate")
        s.advance((not_after - s.now()).total_seconds() - 30 * 86400 + 60)
        self.assertEqual(remind(), 1)
        mail = wait_mail(s, SUBJECT_EXPIRING, to=acct["email"], after=mark)
        self.assertIn(f"CX Support ID: {acct['id']} の電子証明書（シリアル番号 {made['serial']}）は、", mail.lines())
        self.assertIn("残り30日", mail.text)
        self.assertIn(f"電子証明書ダウンロードページ: {s.public_url}/certsrv/", mail.lines())
        self.assertEqual(remind(), 0, "once")
        s.restart()
        self.assertEqual(remind(), 0, "once across a restart")
        s.advance(23 * 86400)
        seven_mark = mail_mark(s)
        self.assertEqual(remind(), 1, "7 days before")
        self.assertIn("残り7日", wait_mail(s, SUBJECT_EXPIRING, to=acct["email"], after=seven_mark).text)
        s.restart()
        self.assertEqual(remind(), 0)
        self.assertEqual(len(reminders(mark)), 2, "one mail per reminder")

    def test_a_cross_site_post_is_refused(self):
        _, account, password = self.certificate_account()
        creds = basic(account, password)
        for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                        {"Sec-Fetch-Site": "same-site"}):
            status, _, answer = self.site("POST", "/certsrv/issue", creds, headers=headers)
            self.assertEqual(status, 403, headers)
            self.assertEqual(answer["error"]["code"], "forbidden_origin")
        host, port = self.srv.customer_addr
        status, _, answer = self.site("POST", "/certsrv/issue", creds,
                                      headers={"Origin": f"https://{host}:{port}", "Sec-Fetch-Site": "same-origin",
                                               "Accept": "application/json"})
        self.assertEqual(status, 200, answer)
        for path in ("/certsrv/nope", "/certsrv/issue/x"):
            status, _, _ = self.site("GET", path, creds)
            self.assertEqual(status, 404, path)
        status, headers, _ = self.site("GET", "/certsrv/issue", creds)
        self.assertEqual(status, 405)
        self.assertEqual(headers.get("Allow"), "POST")


if __name__ == "__main__":
    unittest.main()
