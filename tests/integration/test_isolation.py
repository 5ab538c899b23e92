"""Isolation between accounts on the customer API: every route tried with the other account's
AN, ID, session, CSRF token, ticket, code and reissue link answers 401/403/404 or the caller's
own data, never the other's (SPEC §4 "scoped to the session's own account", §11)."""

import json
import unittest

from cxs_harness import (BILLING_PHONE, PASSWORD, SUBJECT_RESET, CustomerTestCase, finish_login,
                         mail_mark, start_login, wait_mail)

ANALYSES = ("traffic", "compare", "incomplete")
DETAILED = ("origin", "destination", "origin-destination", "numbers", "calls-minutes", "callers",
            "lines", "distribution")
NEW_PASSWORD = "Isolat3dPass"


class Isolation(CustomerTestCase):
    """A (free) and B (standard), both with calls; each test logs both in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a, cls.b = cls.free_and_standard_with_calls((21, 22), ("2026-09-01", "2026-09-01"), (30, 9),
                                                        ("ia", "ib"))
        cls.a_ans = list(cls.srv.routes(cls.a["opid"]))
        cls.b_ans = list(cls.srv.routes(cls.b["opid"]))

    def setUp(self):
        self.ca = self.login(self.a)
        self.cb = self.login(self.b)
        self.addCleanup(self.ca.logout, strict=False)
        self.addCleanup(self.cb.logout, strict=False)

    def assertNothingOf(self, other, result, msg=""):
        """The answer carries nothing that identifies the other account."""
        status, headers, body = result
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else json.dumps(
            body, ensure_ascii=False)
        for value in (other["id"], other["email"], other["opid"]):
            self.assertNotIn(value, text, f"{msg}: the other account's {value!r} in {text[:500]}")
        self.assertSecurityHeaders(headers, msg)

    # -- own data only --------------------------------------------------------------------------

    def test_each_session_sees_its_own_account(self):
        for c, me, other in ((self.ca, self.a, self.b), (self.cb, self.b, self.a)):
            with self.subTest(account=me["id"]):
                got = self.assertStatus(c.get("/api/me"), 200)
                self.assertEqual((got["id"], got["opid"], got["email"]),
                                 (me["id"], me["opid"], me["email"]))
                self.assertEqual(sorted(got["ans"]), sorted(self.srv.routes(me["opid"])))
                self.assertNothingOf(other, c.get("/api/me", raw=True), "/api/me")
                self.assertNothingOf(other, c.get("/api/plan", raw=True), "/api/plan")
                for name in ANALYSES:
                    result = c.get(f"/api/analytics/{name}", raw=True)
                    self.assertEqual(result[0], 200, result[2][:300])
                    self.assertNothingOf(other, result, name)
                    mine = self.srv.analytics(me["id"], name)[2]
                    self.assertEqual(json.loads(result[2]), mine, f"{name}: the own figures")
        ta = self.assertStatus(self.ca.get("/api/analytics/traffic"), 200)["totals"]["calls"]
        tb = self.assertStatus(self.cb.get("/api/analytics/traffic"), 200)["totals"]["calls"]
        self.assertNotEqual(ta, tb, "the two accounts have different data")

    def test_the_other_accounts_ans_are_not_found(self):
        for c, mine, theirs, other in ((self.ca, self.a_ans, self.b_ans, self.b),
                                       (self.cb, self.b_ans, self.a_ans, self.a)):
            for an in theirs:
                for name, params in (("traffic", {"an": an}),
                                     ("traffic", {"an": [mine[0], an]}),
                                     ("traffic", {"an": f"{mine[0]},{an}", "format": "csv"}),
                                     ("compare", {"an": mine[0], "b_an": an}),
                                     ("compare", {"an": an}),
                                     ("incomplete", {"an": an, "granularity": "month"})):
                    with self.subTest(client=c.id, name=name, params=params):
                        result = c.get(f"/api/analytics/{name}", params=params, raw=True)
                        self.assertEqual(result[0], 404, result[2][:300])
                        self.assertEqual(json.loads(result[2])["error"]["code"], "not_found")
                        self.assertNothingOf(other, result, f"{name} {params}")
        for name in DETAILED:                               # B is standard: its own name checks
            with self.subTest(name=name):
                result = self.cb.get(f"/api/analytics/{name}", params={"an": self.a_ans[0]},
                                     raw=True)
                self.assertIn(result[0], (404, 501), result[2][:300])
                self.assertNothingOf(self.a, result, name)
                result = self.ca.get(f"/api/analytics/{name}", params={"an": self.b_ans[0]},
                                     raw=True)
                self.assertIn(result[0], (403, 404), result[2][:300])
                self.assertNothingOf(self.b, result, name)

    def test_the_other_accounts_id_in_requests(self):
        s, b = self.srv, self.b
        b_before = self.assertStatus(s.get(f"/admin/accounts/{b['id']}"), 200)
        for params in ({"id": b["id"]}, {"account": b["id"]}, {"account_id": b["id"]}):
            with self.subTest(params=params):
                me = self.assertStatus(self.ca.get("/api/me", params=params), 200)
                self.assertEqual(me["id"], self.a["id"])
                result = self.ca.get("/api/analytics/traffic", params=params, raw=True)
                self.assertEqual(result[0], 200)
                self.assertEqual(json.loads(result[2]), s.analytics(self.a["id"], "traffic")[2])
                self.assertNothingOf(b, result, f"traffic {params}")
        for path in (f"/api/accounts/{b['id']}", f"/api/me/{b['id']}",
                     f"/api/analytics/traffic/{b['id']}", f"/api/{b['id']}/me",
                     f"/admin/accounts/{b['id']}", f"/api/plan/{b['id']}"):
            with self.subTest(path=path):
                result = self.ca.get(path, raw=True)
                self.assertEqual(result[0], 404, result[2][:300])
                self.assertNothingOf(b, result, path)
        result = self.ca.get(f"/api/users/{b['id']}", raw=True)
        self.assertIn(result[0], (403, 404), result[2][:300])   # A is free: plan_required or 404
        self.assertNothingOf(b, result, "/api/users/{id}")
        # Changes naming B change A at most, never B.
        status, _, body = self.ca.put("/api/me", {"id": b["id"], "person": "Aの担当"})
        self.assertIn(status, (200, 422), body)
        if status == 200:
            self.assertEqual(body["id"], self.a["id"])
        status, _, body = self.ca.post("/api/plan", {"id": b["id"], "plan": "standard",
                                                     "billing_an": self.b_ans[0],
                                                     "billing_phone": BILLING_PHONE})
        self.assertEqual(status, 422, body)
        self.assertFieldError(body, "billing_an", "an_not_in_opid")
        status, _, body = self.cb.post("/api/plan", {"id": self.a["id"], "plan": "free"})
        self.assertEqual(status, 422, body)
        self.assertFieldError(body, "confirm", "confirmation_required")
        self.assertEqual(self.assertStatus(s.get(f"/admin/accounts/{b['id']}"), 200), b_before,
                         "B is unchanged")
        a_now = self.assertStatus(s.get(f"/admin/accounts/{self.a['id']}"), 200)
        self.assertEqual(a_now["plan"], "free")

    # -- sessions, CSRF tokens, tickets, codes, links -------------------------------------------

    def test_sessions_and_csrf_tokens_do_not_mix(self):
        a, b = self.ca, self.cb
        self.assertCustomerError(a.put("/api/me", {"person": "x"}, csrf=b.csrf), 403, "csrf",
                                 "A's session with B's CSRF token")
        self.assertCustomerError(b.put("/api/me", {"person": "x"}, csrf=a.csrf), 403, "csrf",
                                 "B's session with A's CSRF token")
        self.assertCustomerError(a.post("/api/logout", {}, csrf=b.csrf), 403, "csrf")
        # B's cookie in A's client is B, with B's token only.
        me = self.assertStatus(a.get("/api/me", session=b.session), 200)
        self.assertEqual(me["id"], self.b["id"])
        self.assertCustomerError(a.put("/api/me", {"person": "x"}, session=b.session,
                                       csrf=a.csrf), 403, "csrf")
        # Logging A out leaves B alone.
        a.logout()
        self.assertStatus(b.get("/api/me"), 200)
        self.assertNotEqual(self.assertStatus(self.srv.get(f"/admin/accounts/{self.b['id']}"),
                                              200)["person"], "x")

    def test_tickets_codes_and_passwords_do_not_mix(self):
        s = self.srv
        c, d = s.create_account(), s.create_account()
        cc, cd = self.client(), self.client()
        ticket_c, code_c = start_login(cc, c["id"], email_to=c["email"])
        ticket_d, code_d = start_login(cd, d["id"], email_to=d["email"])
        if code_c != code_d:
            self.assertCustomerError(cc.post("/api/login/otp", {"ticket": ticket_c,
                                                               "code": code_d}),
                                     401, "invalid_code", "C's ticket with D's code")
        body = finish_login(cd, ticket_d, code_d)
        self.assertEqual(body["id"], d["id"])
        self.assertEqual(self.assertStatus(cd.get("/api/me"), 200)["id"], d["id"])
        body = finish_login(cc, ticket_c, code_c)
        self.assertEqual(body["id"], c["id"])
        # One account's password does not open another.
        e = s.create_account(password=NEW_PASSWORD)
        self.assertCustomerError(self.client().post("/api/login", {"id": c["id"],
                                                                   "password": NEW_PASSWORD}),
                                 401, "invalid_credentials", "C's ID with E's password")
        self.login(e, NEW_PASSWORD)

    def test_reissue_links_are_bound_to_their_id(self):
        s = self.srv
        c, d = s.create_account(), s.create_account()
        anon = self.client()
        mark = mail_mark(s)
        for account_id, mail_to in ((c["id"], d["email"]), (d["id"], c["email"])):
            self.assertStatus(anon.post("/api/password/reset-request",
                                        {"id": account_id, "email": mail_to}), 202)
        self.assertNoMailTo(c["email"], mark, "ID and email of different accounts")
        self.assertNoMailTo(d["email"], mark, "ID and email of different accounts")
        self.assertStatus(anon.post("/api/password/reset-request",
                                    {"id": d["id"], "email": d["email"]}), 202)
        token = wait_mail(s, SUBJECT_RESET, to=d["email"], after=mark).link_token(
            f"{s.public_url}/password/reset/")
        self.assertStatus(anon.post("/api/password/reset", {"token": token,
                                                            "password": NEW_PASSWORD}), 200)
        self.assertCustomerError(anon.post("/api/login", {"id": c["id"], "password": NEW_PASSWORD}),
                                 401, "invalid_credentials", "D's link changed C's password")
        self.login(c, PASSWORD)
        self.login(d, NEW_PASSWORD)

    def test_without_a_session_nothing_is_served(self):
        anon = self.client()
        for method, path in (("GET", "/api/me"), ("GET", "/api/plan"),
                             ("GET", f"/api/analytics/traffic?an={self.a_ans[0]}"),
                             ("GET", "/api/analytics/compare"), ("GET", "/api/analytics/incomplete"),
                             ("PUT", "/api/me"), ("POST", "/api/plan")):
            with self.subTest(method=method, path=path):
                result = anon.request(method, path, {} if method != "GET" else None, raw=True)
                self.assertEqual(result[0], 401, result[2][:300])
                self.assertNothingOf(self.a, result, path)
                self.assertNothingOf(self.b, result, path)


if __name__ == "__main__":
    unittest.main()
