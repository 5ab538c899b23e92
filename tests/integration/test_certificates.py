"""Client certificates (SPEC §16), against the real binary: the CA made at first start in the data
folder (0700/0600) and kept across restarts, GET /certsrv/ca.pem for anyone, the operators'
certificate list, revocation by serial and the CRL (read back by `openssl crl`). Issuing comes with
the download site (issue 15, C3)."""

import os
import stat
import subprocess
import tempfile
import unittest

from cxs_harness import CustomerClient, Server, ServerTestCase


def openssl(*args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["openssl", *args], input=stdin, capture_output=True, timeout=30)
    return (done.stdout + done.stderr).decode("utf-8", "replace")


class Certificates(ServerTestCase):

    def ca_pem(self, srv=None) -> bytes:
        c = CustomerClient(srv or self.srv)
        self.addCleanup(c.close)
        status, headers, body = c.get("/certsrv/ca.pem", raw=True, session=None)
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(headers.get("Content-Type"), "application/x-pem-file")
        return body

    def test_the_ca_certificate_is_served_to_anyone(self):
        pem = self.ca_pem()
        self.assertTrue(pem.startswith(b"-----BEGIN CERTIFICATE-----"), pem[:60])
        text = openssl("x509", "-noout", "-subject", "-ext", "basicConstraints,keyUsage", stdin=pem)
        self.assertIn("CN = CX Support Root", text)
        self.assertIn("CA:TRUE", text)
        self.assertIn("Certificate Sign", text)

    def test_the_ca_is_made_once_private_and_kept_across_a_restart(self):
        srv = Server()
        self.addCleanup(srv.close)
        srv.start()
        before = self.ca_pem(srv)
        folder = srv.data_dir / "ca"
        self.assertEqual(stat.S_IMODE(os.stat(folder).st_mode), 0o700)
        for name in ("ca.key", "ca.crt"):
            self.assertEqual(stat.S_IMODE(os.stat(folder / name).st_mode), 0o600, name)
        srv.restart()
        self.assertEqual(self.ca_pem(srv), before, "the same root after a restart")

    def test_the_operators_list_and_revoke_name_the_id(self):
        s = self.srv
        acct = s.create_account()
        answer = self.assertStatus(s.get(f"/admin/accounts/{acct['id']}/certificates"), 200)
        self.assertEqual(answer, {"certificates": []})
        status, _, body = s.admin("POST", f"/admin/accounts/{acct['id']}/certificates/7a01/revoke", {})
        self.assertEqual(status, 404, body)
        self.assertEqual(body["error"]["code"], "not_found")
        for path in ("/admin/accounts/Zz9Zz9Zz9Z/certificates", "/admin/accounts/Zz9Zz9Zz9Z/certificates/7a01/revoke"):
            status, _, body = s.admin("GET" if path.endswith("certificates") else "POST", path,
                                      None if path.endswith("certificates") else {})
            self.assertEqual(status, 404, f"{path}: {body}")
        status, _, _ = s.admin("GET", "/admin/crl", token=None)
        self.assertEqual(status, 401, "the CRL is the operators'")

    def test_the_crl_is_signed_by_the_ca(self):
        status, headers, crl = self.srv.admin("GET", "/admin/crl", raw=True)
        self.assertEqual(status, 200, crl[:300])
        self.assertEqual(headers.get("Content-Type"), "application/x-pem-file")
        self.assertTrue(crl.startswith(b"-----BEGIN X509 CRL-----"), crl[:60])
        with tempfile.TemporaryDirectory() as tmp:
            ca_file, crl_file = os.path.join(tmp, "ca.pem"), os.path.join(tmp, "crl.pem")
            with open(ca_file, "wb") as f:
                f.write(self.ca_pem())
            with open(crl_file, "wb") as f:
                f.write(crl)
            self.assertIn("verify OK", openssl("crl", "-noout", "-in", crl_file, "-CAfile", ca_file))
            text = openssl("crl", "-noout", "-text", "-in", crl_file)
            self.assertIn("CX Support Root", text)
            self.assertIn("No Revoked Certificates", text)


if __name__ == "__main__":
    unittest.main()
