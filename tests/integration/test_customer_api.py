"""The customer API behind the session: /api/me and basic settings, /api/plan, the standard
features (403 plan_required on free), the analyses (the same answers as the admin API for the
session's own account), security headers on every answer, unknown paths (SPEC §4, §6, §7, §11,
§13, §14)."""

import json
import secrets
import tempfile
import unittest

from cxs_harness import (BILLING_PHONE, PASSWORD, SUBJECT_DOWNLOAD, UNREGISTERED_AN, CustomerClient,
                         CustomerTestCase, download_credentials, finish_login,
                         issue_client_certificate, mail_mark, start_login, wait_mail)

DETAILED = ("origin", "destination", "origin-destination", "numbers", "calls-minutes", "callers",
            "lines", "distribution")
ME_KEYS = {"role", "id", "opid", "plan", "auth_method", "email", "person", "department",
           "contractor_name", "industry", "phone", "ans", "registered", "csrf_token"}
NEW_PASSWORD = "Changed4Passw0rd"


def hyphenated(an: str) -> str:
    return f"{an[:4]}-{an[4:7]}-{an[7:]}"


class CustomerApi(CustomerTestCase):
    """No test of this class moves the test clock: the class-wide sessions must stay alive."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.free, cls.std = cls.free_and_standard_with_calls((5, 6), ("2026-08-01", "2026-10-01"), (25, 15),
                                                             ("fr", "st"))
        cls.free_ans = list(cls.srv.routes(cls.free["opid"]))
        cls.std_ans = list(cls.srv.routes(cls.std["opid"]))

    def setUp(self):
        self.free_c = self.login(self.free)
        self.std_c = self.login(self.std)
        self.addCleanup(self.free_c.logout, strict=False)
        self.addCleanup(self.std_c.logout, strict=False)

    def fresh(self, **kw):
        acct = self.srv.create_account(**kw)
        return acct, self.login(acct)

    # -- /api/me and basic settings --------------------------------------------------------------

    def test_me(self):
        me = self.assertStatus(self.free_c.get("/api/me"), 200)
        self.assertTrue(ME_KEYS <= set(me), f"missing {ME_KEYS - set(me)}")
        self.assertEqual(me["id"], self.free["id"])
        self.assertEqual(me["opid"], self.free["opid"])
        self.assertEqual(me["plan"], "free")
        self.assertEqual(me["auth_method"], "otp")
        self.assertEqual(me["email"], self.free["email"])
        self.assertEqual(me["person"], self.free["person"])
        self.assertEqual(me["registered"], "2026-06-01")
        self.assertEqual(sorted(me["ans"]), sorted(self.free_ans))
        self.assertEqual(me["csrf_token"], self.free_c.csrf)
        self.assertNotIn("password", me)
        self.assertNotIn(PASSWORD, json.dumps(me))
        std = self.assertStatus(self.std_c.get("/api/me"), 200)
        self.assertEqual((std["id"], std["plan"]), (self.std["id"], "standard"))

    def test_put_me_contact_fields(self):
        s = self.srv
        acct, c = self.fresh()
        changes = {"email": "renewed@example.com", "person": "新井 担当", "department": "営業部"}
        me = self.assertStatus(c.put("/api/me", {**changes, "current_password": PASSWORD}), 200)
        self.assertTrue(ME_KEYS <= set(me), f"the /api/me shape: missing {ME_KEYS - set(me)}")
        for k, v in changes.items():
            self.assertEqual(me[k], v, k)
        again = self.assertStatus(c.get("/api/me"), 200)
        for k, v in changes.items():
            self.assertEqual(again[k], v, k)
        admin = self.assertStatus(s.get(f"/admin/accounts/{acct['id']}"), 200)
        self.assertEqual((admin["email"], admin["person"], admin["department"]),
                         tuple(changes.values()))
        # The next one-time password goes to the new address.
        c.logout()
        self.mail_barrier()  # the change's notice to the old address is out before the mark
        mark = mail_mark(s)
        ticket, code = start_login(c, acct["id"], email_to="renewed@example.com")
        finish_login(c, ticket, code)
        self.assertNoMailTo(acct["email"], mark, "the one-time password after the change")

    def test_put_me_errors_change_nothing(self):
        acct, c = self.fresh()
        before = self.assertStatus(c.get("/api/me"), 200)
        cases = [
            ({"email": "not-an-address"}, "email", "invalid"),
            ({"auth_method": "sms"}, "auth_method", "invalid"),
            ({"password": "weak", "current_password": PASSWORD}, "password", "weak_password"),
            ({"password": NEW_PASSWORD}, "current_password", "required"),
            ({"password": NEW_PASSWORD, "current_password": "Wr0ngPassword"}, "current_password",
             "wrong_password"),
            ({"email": "other@example.com"}, "current_password", "required"),
            ({"email": "other@example.com", "current_password": "Wr0ngPassword"}, "current_password",
             "wrong_password"),
        ]
        for body, field, code in cases:
            with self.subTest(body=body):
                status, _, answer = c.put("/api/me", body)
                self.assertEqual(status, 422, answer)
                self.assertFieldError(answer, field, code)
        both = self.assertStatus(c.put("/api/me", {"email": "bad", "auth_method": "sms",
                                                   "person": "変わらない"}), 422)
        self.assertFieldError(both, "email", "invalid")
        self.assertFieldError(both, "auth_method", "invalid")
        self.assertCustomerError(c.put("/api/me", b"{oops",
                                       headers={"Content-Type": "application/json"}),
                                 400, "json")
        after = self.assertStatus(c.get("/api/me"), 200)
        self.assertEqual(after, before, "nothing changed")
        c.logout()
        self.login(acct)                                     # the password is unchanged

    def test_password_change(self):
        acct, c = self.fresh()
        me = self.assertStatus(c.put("/api/me", {"password": NEW_PASSWORD,
                                                 "current_password": PASSWORD}), 200)
        self.assertEqual(me["id"], acct["id"])
        self.assertNotIn(NEW_PASSWORD, json.dumps(me))
        c.logout()
        self.assertCustomerError(c.post("/api/login", {"id": acct["id"], "password": PASSWORD}),
                                 401, "invalid_credentials", "the old password")
        self.login(acct, NEW_PASSWORD)

    def test_auth_method_change(self):
        """SPEC §16: a switch to certificate (with the current password) mails new download
        credentials; the certificate they fetch is then the way in, with its own session at once;
        GET /api/certificates lists it. A switch back to otp revokes it."""
        s = self.srv
        acct, c = self.fresh()
        status, _, body = c.put("/api/me", {"auth_method": "certificate"})
        self.assertEqual(status, 422, body)
        self.assertEqual([(e["field"], e["code"]) for e in body["errors"]], [("current_password", "required")])
        mark = mail_mark(s)
        me = self.assertStatus(c.put("/api/me", {"auth_method": "certificate", "current_password": PASSWORD}), 200)
        self.assertEqual(me["auth_method"], "certificate")
        account, password = download_credentials(wait_mail(s, SUBJECT_DOWNLOAD, to=acct["email"], after=mark))
        self.assertEqual(self.assertStatus(c.get("/api/certificates"), 200), {"certificates": []})
        with tempfile.TemporaryDirectory() as tmp:
            cert, key, made = issue_client_certificate(s, account, password, tmp)
            listed = self.assertStatus(c.get("/api/certificates"), 200)["certificates"]
            self.assertEqual([(x["serial"], x["revoked"]) for x in listed], [(made["serial"], None)])
            self.assertEqual(listed[0]["not_after"], made["not_after"])
            c.logout()
            self.assertCustomerError(c.post("/api/login", {"id": acct["id"], "password": PASSWORD}, csrf=None),
                                     401, "certificate_required", "no certificate on this connection")
            web = CustomerClient(s)
            self.addCleanup(web.close)
            web.http.context.load_cert_chain(cert, key)
            status, _, body = web.post("/api/login", {"id": acct["id"], "password": PASSWORD}, csrf=None)
            self.assertEqual(status, 200, body)
            web.csrf = body["csrf_token"]
            # Back to otp: the certificate is revoked, the one-time password is the way in again.
            me = self.assertStatus(web.put("/api/me", {"auth_method": "otp", "current_password": PASSWORD}), 200)
            self.assertEqual(me["auth_method"], "otp")
            listed = self.assertStatus(web.get("/api/certificates"), 200)["certificates"]
            self.assertIsNotNone(listed[0]["revoked"])
            web.logout()
        self.login(acct)

    # -- plan ------------------------------------------------------------------------------------

    def test_plan_change_both_ways(self):
        s = self.srv
        acct, c = self.fresh()
        ans = list(s.routes(acct["opid"]))
        plan = self.assertStatus(c.get("/api/plan"), 200)
        self.assertEqual(plan["plan"], "free")
        self.assertNotIn("billing_an", plan)
        self.assertCustomerError(c.post("/api/plan", {"plan": "standard", "billing_an": ans[1],
                                                      "billing_phone": BILLING_PHONE}, csrf=None),
                                 403, "csrf")
        answer = self.assertStatus(c.post("/api/plan", {"plan": "standard"}), 422)
        self.assertFieldError(answer, "billing_an", "required")
        self.assertFieldError(answer, "billing_phone", "required")
        answer = self.assertStatus(c.post("/api/plan", {"plan": "standard",
                                                        "billing_an": self.std_ans[0],
                                                        "billing_phone": BILLING_PHONE}), 422)
        self.assertFieldError(answer, "billing_an", "an_not_in_opid")
        answer = self.assertStatus(c.post("/api/plan", {"plan": "standard",
                                                        "billing_an": ans[1],
                                                        "billing_phone": "123"}), 422)
        self.assertFieldError(answer, "billing_phone", "invalid")
        self.assertEqual(self.assertStatus(c.get("/api/plan"), 200)["plan"], "free")

        account = self.assertStatus(c.post("/api/plan", {"plan": "standard",
                                                         "billing_an": hyphenated(ans[1]),
                                                         "billing_phone": "03-1234-5678"}), 200)
        self.assertEqual(account["plan"], "standard")
        self.assertEqual(account["id"], acct["id"])
        plan = self.assertStatus(c.get("/api/plan"), 200)
        self.assertEqual(plan, {"plan": "standard", "billing_an": ans[1],
                                "billing_phone": "0312345678"})
        self.assertEqual(self.assertStatus(s.get(f"/admin/accounts/{acct['id']}"), 200)["plan"],
                         "standard")
        self.assertEqual(self.assertStatus(c.get("/api/me"), 200)["plan"], "standard")

        answer = self.assertStatus(c.post("/api/plan", {"plan": "free"}), 422)
        self.assertFieldError(answer, "confirm", "confirmation_required")
        self.assertEqual(self.assertStatus(c.get("/api/plan"), 200)["plan"], "standard")
        account = self.assertStatus(c.post("/api/plan", {"plan": "free", "confirm": True}), 200)
        self.assertEqual(account["plan"], "free")
        self.assertEqual(self.assertStatus(c.get("/api/plan"), 200), {"plan": "free"})
        self.assertEqual(self.assertStatus(s.get(f"/admin/accounts/{acct['id']}"), 200)["plan"],
                         "free")

    # -- analyses --------------------------------------------------------------------------------

    def same_as_admin(self, client, acct, name, params, msg=""):
        status, headers, body = client.get(f"/api/analytics/{name}", params=params, raw=True)
        a_status, a_headers, a_body = self.srv.analytics(acct["id"], name, raw=True, **params)
        self.assertEqual(status, a_status, f"{msg} {name} {params}: {body[:500]!r}")
        self.assertEqual(headers.get("Content-Type"), a_headers.get("Content-Type"), msg)
        if status >= 400:
            # Errors: the same code (and parameter); the customer's message is in its language.
            mine, theirs = json.loads(body)["error"], json.loads(a_body)["error"]
            self.assertEqual((mine.get("code"), mine.get("field")),
                             (theirs.get("code"), theirs.get("field")), f"{msg} {name} {params}")
            self.assertTrue(mine.get("message"), mine)
        elif (headers.get("Content-Type") or "").startswith("application/json"):
            self.assertEqual(json.loads(body), json.loads(a_body), f"{msg} {name} {params}")
        else:
            self.assertEqual(body, a_body, f"{msg} {name} {params}")
            self.assertEqual(headers.get("Content-Disposition"),
                             a_headers.get("Content-Disposition"), msg)
        self.assertSecurityHeaders(headers, f"{name} {params}")
        return status, body

    def test_analyses_answer_as_the_admin_api(self):
        ans = self.free_ans
        cases = [
            ("traffic", {}),
            ("traffic", {"from": "2026-10-01", "to": "2026-10-31"}),
            ("traffic", {"granularity": "month"}),
            ("traffic", {"from": "2026-11-02", "to": "2026-11-03", "granularity": "hour",
                         "weekday": "mon,tue", "hours": "9-18"}),
            ("traffic", {"an": hyphenated(ans[0])}),
            ("traffic", {"an": [ans[0], ans[2]], "from": "2026-09-01"}),
            ("traffic", {"from": "2026-11-01", "to": "2026-11-19", "format": "csv"}),
            ("compare", {"from": "2026-11-01", "to": "2026-11-10"}),
            ("compare", {"from": "2026-10-01", "to": "2026-10-31", "an": ans[0], "b_an": ans[1]}),
            ("compare", {"from": "2026-11-01", "to": "2026-11-10", "format": "csv"}),
            ("incomplete", {"from": "2026-08-01", "to": "2026-11-19", "granularity": "month"}),
            ("incomplete", {"format": "csv"}),
            ("traffic", {"hours": "9-9"}),
            ("traffic", {"from": "2027-01-01"}),
            ("nope", {}),
        ]
        for name, params in cases:
            with self.subTest(name=name, params=params):
                status, body = self.same_as_admin(self.free_c, self.free, name, params, "free")
                if name == "traffic" and not params:
                    self.assertEqual(status, 200)
                    self.assertGreater(json.loads(body)["totals"]["calls"], 100)
        for name, params in (("traffic", {"from": "2026-10-01"}), ("compare", {}),
                             ("incomplete", {"granularity": "month"})):
            with self.subTest(account="standard", name=name):
                self.same_as_admin(self.std_c, self.std, name, params, "standard")

    def test_an_that_is_not_the_accounts(self):
        for an in (self.std_ans[0], UNREGISTERED_AN):
            for name, params in (("traffic", {"an": an}), ("traffic", {"an": [self.free_ans[0], an]}),
                                 ("compare", {"an": self.free_ans[0], "b_an": an}),
                                 ("incomplete", {"an": an})):
                with self.subTest(an=an, name=name, params=params):
                    status, _, body = self.free_c.get(f"/api/analytics/{name}", params=params)
                    self.assertEqual(status, 404, body)
                    self.assertErrorCode(body, "not_found")

    def test_detailed_analyses_need_the_standard_plan(self):
        for name in DETAILED:
            with self.subTest(name=name):
                self.assertCustomerError(self.free_c.get(f"/api/analytics/{name}"), 403,
                                         "plan_required", name)
                self.same_as_admin(self.std_c, self.std, name, {}, "standard")

    # -- headers and unknown paths ---------------------------------------------------------------

    def test_security_headers_on_every_answer(self):
        anon = self.client()
        c = self.free_c
        requests = [
            (anon, "GET", "/api/me", None), (anon, "GET", "/api/nothing", None),
            (anon, "GET", "/", None), (anon, "GET", "/no/such/page", None),
            (anon, "POST", "/api/signup", b"nope"), (anon, "POST", "/api/signup", {}),
            (anon, "GET", f"/api/signup/{secrets.token_urlsafe(32)}", None),
            (anon, "POST", "/api/login", {"id": "Zz9Zz9Zz9Z", "password": "Wr0ngPassword"}),
            (anon, "POST", "/api/login/otp", {"ticket": "x", "code": "000000"}),
            (anon, "POST", "/api/password/reset-request", {"id": "Zz9Zz9Zz9Z", "email": "a@b.jp"}),
            (anon, "POST", "/api/password/reset", {"token": "A" * 43, "password": "Passw0rdXY"}),
            (anon, "HEAD", "/api/me", None),
            (c, "GET", "/api/me", None), (c, "GET", "/api/plan", None),
            (c, "PUT", "/api/me", {"email": "bad"}),
            (c, "GET", "/api/analytics/traffic", None),
            (c, "GET", "/api/analytics/traffic", {"format": "csv"}),
            (c, "GET", "/api/analytics/traffic", {"hours": "9-9"}),
            (c, "GET", "/api/analytics/origin", None),
            (c, "GET", "/api/groups/an", None), (c, "GET", "/api/nothing", None),
            (c, "DELETE", "/api/me", None), (c, "PATCH", "/api/plan", {}),
        ]
        seen = set()
        for client, method, path, body in requests:
            with self.subTest(method=method, path=path):
                params = body if method == "GET" else None
                payload = None if method == "GET" else body
                status, headers, _ = client.request(method, path, payload, params=params, raw=True)
                seen.add(status)
                self.assertSecurityHeaders(headers, f"{method} {path} -> {status}")
        self.assertTrue({200, 202, 400, 401, 403, 404, 410, 422} <= seen, sorted(seen))

    def test_unknown_api_paths(self):
        c = self.free_c
        for method, path in (("GET", "/api/nothing"), ("POST", "/api/nothing"),
                             ("GET", "/api/me/more"), ("GET", "/api/analytics"),
                             ("PUT", "/api/signup/x/y/z")):
            with self.subTest(method=method, path=path):
                status, headers, body = c.request(method, path, {} if method != "GET" else None)
                self.assertEqual(status, 404, body)
                self.assertTrue(headers.get("Content-Type", "").startswith("application/json"))
                self.assertErrorCode(body, "not_found")
        # Without a session the answer is an error too (401 or 404), never a page.
        status, headers, body = self.client().get("/api/nothing")
        self.assertIn(status, (401, 404), body)
        self.assertIsInstance(body, dict)
        self.assertIn("error", body)


if __name__ == "__main__":
    unittest.main()
