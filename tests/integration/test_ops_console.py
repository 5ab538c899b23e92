"""The operators' console on the admin listener (SPEC §17, §18) against the real binary: the
token traded once for an `__Host-cxs_ops` session cookie (Secure, HttpOnly, SameSite=Strict),
which then stands for the token on every admin route, a change sent with it needing the
`X-CXS-Ops: 1` header; logout ending it; the account look-up by ID, OPID or AN, its last ingest
kept across a restart; the listener's CSP
letting the page load its own files only."""

from cxs_harness import CustomerTestCase, generated, set_cookies

COOKIE = "__Host-cxs_ops"


class OpsConsole(CustomerTestCase):

    def login_cookie(self):
        status, headers, body = self.srv.admin("POST", "/admin/login", {"token": self.srv.token}, token=None)
        self.assertEqual(status, 200, body)
        cookies = {c.name: c for c in set_cookies(headers)}
        self.assertIn(COOKIE, cookies)
        return cookies[COOKIE]

    def with_cookie(self, method, path, value, body=None, extra=None):
        headers = {"Cookie": f"{COOKIE}={value}", **(extra or {})}
        return self.srv.admin(method, path, body, headers=headers, token=None)

    def test_the_token_once_then_a_session_cookie(self):
        status, headers, body = self.srv.admin("POST", "/admin/login", {"token": "wrong"}, token=None)
        self.assertEqual(status, 401, body)
        self.assertEqual(set_cookies(headers), [])
        cookie = self.login_cookie()
        self.assertEqual((cookie.attrs.get("path"), cookie.attrs.get("secure"), cookie.attrs.get("httponly"),
                          cookie.attrs.get("samesite")), ("/", True, True, "Strict"))
        self.assertNotIn("domain", cookie.attrs)
        self.assertNotEqual(cookie.value, self.srv.token, "the cookie is a session, not the token")

        status, _, stats = self.with_cookie("GET", "/admin/stats", cookie.value)
        self.assertEqual(status, 200)
        self.assertIn("routes", stats)
        status, _, _ = self.with_cookie("GET", "/metrics", cookie.value)
        self.assertEqual(status, 200)

        # A change with the cookie alone is refused; with X-CXS-Ops: 1 it goes through.
        acct = self.srv.create_account()
        status, _, body = self.with_cookie("POST", f"/admin/accounts/{acct['id']}/plan", cookie.value, {"plan": "x"})
        self.assertEqual((status, body["error"]["code"]), (403, "csrf"))
        status, _, body = self.with_cookie("POST", f"/admin/accounts/{acct['id']}/plan", cookie.value, {"plan": "x"},
                                           {"X-CXS-Ops": "1"})
        self.assertEqual(status, 422, body)

        # A made-up cookie is nothing; logout ends the real one.
        status, _, _ = self.with_cookie("GET", "/admin/stats", "x" * 43)
        self.assertEqual(status, 401)
        status, headers, _ = self.with_cookie("POST", "/admin/logout", cookie.value)
        self.assertEqual(status, 200)
        cleared = {c.name: c for c in set_cookies(headers)}[COOKIE]
        self.assertEqual((cleared.value, cleared.attrs.get("max-age")), ("", "0"))
        status, _, _ = self.with_cookie("GET", "/admin/stats", cookie.value)
        self.assertEqual(status, 401)

    def test_look_up_by_id_opid_or_an(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        routes = s.routes(acct["opid"])
        an = sorted(routes)[0]
        self.assertEqual(s.ingest(generated(3, routes, "2026-11-01", "2026-11-02", 5, id_prefix="op"))["unowned"], 0)
        c = self.login(acct)
        for text in (acct["id"], acct["opid"].lower(), f"{an[:4]}-{an[4:7]}-{an[7:]}", f" {an} "):
            with self.subTest(text=text):
                got = self.assertStatus(s.get("/admin/accounts", params={"q": text}), 200)["accounts"]
                self.assertEqual([a["id"] for a in got], [acct["id"]])
                found = got[0]
                self.assertEqual((found["opid"], found["plan"], found["sessions"], found["children"]),
                                 (acct["opid"], "free", 1, 0))
                self.assertIn(an, found["ans"])
                self.assertRegex(found["last_ingest"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$")
                self.assertNotIn("password_hash", found)
        self.assertEqual(self.assertStatus(s.get("/admin/accounts", params={"q": "nobody"}), 200),
                         {"accounts": [], "total": 0, "next": None})
        c.logout()

    def test_the_last_ingest_outlives_a_restart(self):
        s = self.srv
        fed, quiet = s.create_account(registered="2026-01-01"), s.create_account(registered="2026-01-01")
        got = s.ingest(generated(2, s.routes(fed["opid"]), "2026-11-01", "2026-11-02", 5, id_prefix="li"))
        self.assertGreater(got["accepted"], 0)
        self.assertEqual(got["unowned"], 0)

        def last_ingest(acct):
            found = self.assertStatus(s.get("/admin/accounts", params={"q": acct["opid"]}), 200)["accounts"]
            return next(a["last_ingest"] for a in found if a["id"] == acct["id"])

        before = last_ingest(fed)
        self.assertRegex(before, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$")
        self.assertIsNone(last_ingest(quiet))
        s.restart()
        self.assertEqual((last_ingest(fed), last_ingest(quiet)), (before, None))

    def test_the_account_list_pages_in_opid_order(self):
        s = self.srv
        made = sorted((s.create_account(registered="2026-01-01") for _ in range(3)), key=lambda a: a["opid"])
        everyone = self.assertStatus(s.get("/admin/accounts"), 200)
        opids = [a["opid"] for a in everyone["accounts"]]
        self.assertEqual(opids, sorted(opids))
        self.assertEqual(everyone["total"], len(opids))
        self.assertIsNone(everyone["next"])
        for a in made:
            self.assertIn(a["opid"], opids)
        seen, after = [], None
        while True:
            params = {"limit": "2"} | ({"after": after} if after else {})
            page = self.assertStatus(s.get("/admin/accounts", params=params), 200)
            self.assertLessEqual(len(page["accounts"]), 2)
            self.assertEqual(page["total"], len(opids))
            seen += [a["opid"] for a in page["accounts"]]
            after = page["next"]
            if after is None:
                break
            self.assertEqual(after, seen[-1])
        self.assertEqual(seen, opids, "every account once, in order")
        for bad in ("0", "201", "ten"):
            with self.subTest(limit=bad):
                body = self.assertStatus(s.get("/admin/accounts", params={"limit": bad}), 400)
                self.assertEqual(body["error"]["code"], "invalid_parameter")
                self.assertEqual(body["error"]["field"], "limit")

    def test_the_listener_lets_the_page_load_its_own_files_only(self):
        status, headers, _ = self.srv.get("/healthz", token=None)
        csp = headers["Content-Security-Policy"]
        for directive in ("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"):
            self.assertIn(directive, csp)
