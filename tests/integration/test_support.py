"""Support routes (SPEC §19) on the admin listener, against the real binary: an operator lifts a
lockout, ends an ID's session, sets the auth method (to certificate with download credentials
mailed, back to otp with the certificates revoked; the customer gets the notice mail), sends new
download credentials, and cancels a pending sign-up application (the OPID is
free again, its link gone)."""

import tempfile
import unittest

from cxs_harness import (PASSWORD, SUBJECT_CHANGED, SUBJECT_DOWNLOAD, SUBJECT_PROVISIONAL,
                         CustomerClient, CustomerTestCase, download_credentials,
                         issue_client_certificate, mail_mark, signup_body, wait_mail)

WRONG = "Wr0ngPassword"


class Support(CustomerTestCase):

    def test_unlock_lifts_a_lockout(self):
        s = self.srv
        acct = s.create_account()
        c = self.client()
        self.assertEqual(self.assertStatus(s.admin("POST", f"/admin/accounts/{acct['id']}/unlock", {}), 200),
                         {"id": acct["id"], "was_locked": False})
        for _ in range(5):
            c.post("/api/login", {"id": acct["id"], "password": WRONG})
        self.assertCustomerError(c.post("/api/login", {"id": acct["id"], "password": PASSWORD}), 423, "locked")
        self.assertEqual(self.assertStatus(s.admin("POST", f"/admin/accounts/{acct['id']}/unlock", {}), 200),
                         {"id": acct["id"], "was_locked": True})
        self.login(acct).logout()  # the right password and the mailed code work at once

    def test_end_sessions_logs_the_id_out(self):
        s = self.srv
        acct = s.create_account()
        c = self.login(acct)
        self.assertStatus(c.get("/api/me"), 200)
        self.assertEqual(self.assertStatus(s.admin("POST", f"/admin/accounts/{acct['id']}/sessions/end", {}), 200),
                         {"id": acct["id"], "ended": True})
        status, _, _ = c.get("/api/me")
        self.assertEqual(status, 401, "the session cookie no longer works")
        self.assertEqual(self.assertStatus(s.admin("POST", f"/admin/accounts/{acct['id']}/sessions/end", {}), 200),
                         {"id": acct["id"], "ended": False})
        self.login(acct).logout()  # no 409: the ID may log in again at once

    def test_auth_method_switch_brings_credentials_or_revocation(self):
        """SPEC §16: an operator's switch to certificate mails download credentials; support can
        send new ones; a switch back to otp revokes the ID's certificates."""
        s = self.srv
        acct = s.create_account()
        path = f"/admin/accounts/{acct['id']}/auth_method"
        for bad, code in (("sms", "invalid"), ("", "required"), (None, "required")):
            with self.subTest(auth_method=bad):
                sent = {} if bad is None else {"auth_method": bad}
                self.assertFieldError(self.assertStatus(s.admin("PUT", path, sent), 422), "auth_method", {code})
        self.assertEqual(s.get(f"/admin/accounts/{acct['id']}")[2]["auth_method"], "otp", "nothing changed")
        mark = mail_mark(s)
        self.assertEqual(self.assertStatus(s.admin("PUT", path, {"auth_method": "otp"}), 200)["auth_method"], "otp")
        self.assertNoMailTo(acct["email"], mark, "setting the method it already has")
        credentials = f"/admin/accounts/{acct['id']}/download-credentials"
        self.assertFieldError(self.assertStatus(s.admin("POST", credentials, {}), 422), "auth_method",
                              {"not_certificate"})

        mark = mail_mark(s)
        self.assertEqual(self.assertStatus(s.admin("PUT", path, {"auth_method": "certificate"}), 200)["auth_method"],
                         "certificate")
        first = download_credentials(wait_mail(s, SUBJECT_DOWNLOAD, to=acct["email"], after=mark))
        mark = mail_mark(s)
        self.assertEqual(self.assertStatus(s.admin("POST", credentials, {}), 200), {"id": acct["id"], "mailed": True})
        second = download_credentials(wait_mail(s, SUBJECT_DOWNLOAD, to=acct["email"], after=mark))
        self.assertNotEqual(first, second)
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(AssertionError, msg="the earlier credentials are void"):
                issue_client_certificate(s, *first, tmp)
            _, _, made = issue_client_certificate(s, *second, tmp)
        self.assertStatus(s.admin("PUT", path, {"auth_method": "otp"}), 200)
        listed = self.assertStatus(s.get(f"/admin/accounts/{acct['id']}/certificates"), 200)["certificates"]
        self.assertEqual([c["serial"] for c in listed], [made["serial"]])
        self.assertIsNotNone(listed[0]["revoked"], "a switch to otp revokes")
        self.assertEqual(self.assertStatus(s.admin("POST", "/admin/accounts/Zz9Zz9Zz9Z/download-credentials", {}),
                                           404)["error"]["code"], "not_found")

    def test_unknown_ids_and_opids_are_404(self):
        s = self.srv
        for method, path, body in (("POST", "/admin/accounts/Zz9Zz9Zz9Z/unlock", {}),
                                   ("POST", "/admin/accounts/Zz9Zz9Zz9Z/sessions/end", {}),
                                   ("PUT", "/admin/accounts/Zz9Zz9Zz9Z/auth_method", {"auth_method": "otp"}),
                                   ("DELETE", "/admin/signup/NOPENDING", None)):
            with self.subTest(path=path):
                status, _, answer = s.admin(method, path, body)
                self.assertEqual(status, 404, answer)
                self.assertEqual(answer["error"]["code"], "not_found")

    def test_the_routes_need_the_operator_token(self):
        s = self.srv
        for method, path in (("POST", "/admin/accounts/Zz9Zz9Zz9Z/unlock"),
                             ("POST", "/admin/accounts/Zz9Zz9Zz9Z/sessions/end"),
                             ("PUT", "/admin/accounts/Zz9Zz9Zz9Z/auth_method"),
                             ("DELETE", "/admin/signup/OPX")):
            with self.subTest(path=path):
                status, _, _ = s.admin(method, path, {}, token=None)
                self.assertEqual(status, 401)

    def test_cancel_a_pending_application(self):
        s = self.srv
        web = self.client()
        body = signup_body(s)
        opid = body["opid"]
        mark = mail_mark(s)
        self.assertStatus(web.post("/api/signup", body), 202)
        token = wait_mail(s, SUBJECT_PROVISIONAL, to=body["email"], after=mark).link_token(
            f"{s.public_url}/signup/confirm/")
        retry = self.assertStatus(web.post("/api/signup", body), 422)
        self.assertFieldError(retry, "opid", {"opid_taken"})
        status, _, answer = s.admin("DELETE", f"/admin/signup/{opid}")
        self.assertEqual((status, answer), (204, None))
        self.assertStatus(web.get(f"/api/signup/{token}"), 404)
        self.assertStatus(web.post(f"/api/signup/{token}/confirm", {}, csrf=None, session=None), 404)
        # The OPID is free again: a corrected application is taken.
        self.assertStatus(web.post("/api/signup", dict(body, email=f"{opid.lower()}.fixed@example.com")), 202)
        status, _, _ = s.admin("DELETE", f"/admin/signup/{opid}")
        self.assertEqual(status, 204)
        status, _, _ = s.admin("DELETE", f"/admin/signup/{opid}")
        self.assertEqual(status, 404, "nothing pending any more")


if __name__ == "__main__":
    unittest.main()
