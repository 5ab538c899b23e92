"""Login and sessions: password then the mailed one-time password, its 5 tries, 10-minute life
and replacement, one session per ID (409), the 30-minute idle end and the 12-hour end, logout, the lock after five
wrong passwords, cookie flags and CSRF (SPEC §4, §11, §14 "Sign-up and login")."""

import unittest

from cxs_harness import (LOCK_TIME, MINUTE, OTP_TTL, PASSWORD, SESSION_COOKIE, SESSION_IDLE,
                         SUBJECT_OTP, SUBJECT_REPLACED, CustomerTestCase, finish_login, mail_mark,
                         mails_to, metric_sum, parse_metrics, start_login, wait_mail)

WRONG = "Wr0ngPassword"
UNKNOWN_ID = "Zz9Zz9Zz9Z"


def wrong_code(code: str) -> str:
    return f"{(int(code) + 1) % 1000000:06d}"


class Login(CustomerTestCase):

    def logins(self) -> dict:
        samples, _ = parse_metrics(self.srv.metrics())
        out = {o: metric_sum(samples, "cxs_logins_total", outcome=o)
               for o in ("otp_sent", "success", "invalid_credentials", "locked", "session_active",
                         "invalid_code", "ticket_expired")}
        out["sessions"] = metric_sum(samples, "cxs_sessions")
        return out

    def password_step(self, c, account_id, password=PASSWORD):
        return c.post("/api/login", {"id": account_id, "password": password})

    def otp_step(self, c, ticket, code):
        return c.post("/api/login/otp", {"ticket": ticket, "code": code})

    # -- the happy path ---------------------------------------------------------------------------

    def test_password_otp_cookie_and_me(self):
        s = self.srv
        acct = s.create_account()
        before = self.logins()
        c = self.client()
        mark = mail_mark(s)
        answer = self.assertStatus(self.password_step(c, acct["id"]), 200)
        self.assertEqual(answer["second_factor"], "otp")
        self.assertIsInstance(answer["ticket"], str)
        self.assertGreaterEqual(len(answer["ticket"]), 16)
        self.assertIsNone(c.cookie(), "no session before the second factor")
        mail = wait_mail(s, SUBJECT_OTP, to=acct["email"], after=mark)
        self.assertMailBasics(mail, acct["email"], SUBJECT_OTP)
        code = mail.otp
        self.assertRegex(code, r"^\d{6}$")
        status, headers, body = self.otp_step(c, answer["ticket"], code)
        self.assertEqual(status, 200, body)
        self.assertSecurityHeaders(headers, "login/otp")
        self.assertEqual(body["id"], acct["id"])
        self.assertIsInstance(body["csrf_token"], str)
        self.assertGreaterEqual(len(body["csrf_token"]), 16)
        cookie = c.cookie()
        self.assertIsNotNone(cookie, f"no {SESSION_COOKIE} cookie: {headers.get_all('Set-Cookie')}")
        self.assertGreaterEqual(len(cookie.value), 16, cookie)
        self.assertEqual(cookie.name, "__Host-cxs_session", "SPEC §18")
        self.assertNotIn("domain", cookie.attrs, "a __Host- cookie names no Domain")
        self.assertEqual(cookie.attrs.get("path"), "/", cookie)
        self.assertIs(cookie.attrs.get("secure"), True, cookie)
        self.assertIs(cookie.attrs.get("httponly"), True, cookie)
        self.assertEqual(str(cookie.attrs.get("samesite", "")).lower(), "strict", cookie)
        self.assertNotIn(body["csrf_token"], cookie.value)
        c.csrf = body["csrf_token"]

        me = self.assertStatus(c.get("/api/me"), 200)
        self.assertEqual(me["id"], acct["id"])
        self.assertEqual(me["opid"], acct["opid"])
        self.assertEqual(me["plan"], "free")
        self.assertEqual(me["auth_method"], "otp")
        self.assertEqual(me["email"], acct["email"])
        self.assertEqual(me["csrf_token"], body["csrf_token"])
        self.assertEqual(sorted(me["ans"]), sorted(s.routes(acct["opid"])))
        self.assertRegex(me["registered"], r"^\d{4}-\d{2}-\d{2}$")
        after = self.logins()
        self.assertGreaterEqual(after["otp_sent"] - before["otp_sent"], 1)
        self.assertGreaterEqual(after["success"] - before["success"], 1)
        self.assertGreaterEqual(after["sessions"], 1)

    def test_wrong_password_and_unknown_id_answer_alike(self):
        s = self.srv
        acct = s.create_account()
        before = self.logins()
        c = self.client()
        mark = mail_mark(s)
        wrong = self.assertCustomerError(self.password_step(c, acct["id"], WRONG), 401,
                                         "invalid_credentials")
        unknown = self.assertCustomerError(self.password_step(c, UNKNOWN_ID, PASSWORD), 401,
                                           "invalid_credentials")
        self.assertEqual(wrong, unknown, "the same answer, so IDs cannot be probed")
        self.assertNoMailTo(acct["email"], mark, "wrong password")
        self.assertGreaterEqual(self.logins()["invalid_credentials"] - before["invalid_credentials"],
                                2)
        # An ID that cannot be one is answered at once, without the auth actor, yet counted.
        before = self.logins()
        self.assertCustomerError(self.password_step(c, "not an id!", PASSWORD), 401, "invalid_credentials")
        self.assertEqual(self.logins()["invalid_credentials"] - before["invalid_credentials"], 1)
        en = self.assertCustomerError(self.client(lang="en").post(
            "/api/login", {"id": acct["id"], "password": WRONG}), 401, "invalid_credentials")
        self.assertNotEqual(en["error"]["message"], wrong["error"]["message"])

    def test_certificate_account_is_refused(self):
        made = mail_mark(self.srv)
        acct = self.srv.create_account(auth_method="certificate")
        # Its download credentials come by mail (SPEC §16); no one-time password ever does.
        wait_mail(self.srv, "電子証明書ダウンロードのご案内", to=acct["email"], after=made)
        mark = mail_mark(self.srv)
        self.assertCustomerError(self.password_step(self.client(), acct["id"]), 401,
                                 "certificate_required")
        self.assertNoMailTo(acct["email"], mark, "certificate account")

    # -- the one-time password -------------------------------------------------------------------

    def test_five_wrong_codes_end_the_ticket(self):
        s = self.srv
        acct = s.create_account()
        c = self.client()
        # Four wrong codes leave the fifth try, which may be right.
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        for i in range(4):
            self.assertCustomerError(self.otp_step(c, ticket, wrong_code(code)), 401,
                                     "invalid_code", f"try {i + 1}")
        finish_login(c, ticket, code)
        c.logout()
        # Five wrong codes: the right one is refused afterwards.
        before = self.logins()
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        for i in range(5):
            self.assertCustomerError(self.otp_step(c, ticket, wrong_code(code)), 401,
                                     "invalid_code", f"try {i + 1}")
        self.assertCustomerError(self.otp_step(c, ticket, code), 401, "ticket_expired",
                                 "right code after 5 wrong ones")
        self.assertIsNone(c.session)
        self.assertCustomerError(self.otp_step(c, ticket, "abcdef"), 401, "ticket_expired")
        after = self.logins()
        self.assertGreaterEqual(after["invalid_code"] - before["invalid_code"], 5)
        self.assertGreaterEqual(after["ticket_expired"] - before["ticket_expired"], 1)
        # SPEC §18: five wrong codes in a row also lock the ID for 30 minutes, like passwords.
        self.assertCustomerError(self.password_step(c, acct["id"]), 423, "locked", "after 5 wrong codes")
        self.srv.advance(LOCK_TIME + MINUTE)
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        finish_login(c, ticket, code)

    def test_wrong_codes_count_across_tickets(self):
        """SPEC §18: a fresh ticket (the password again) does not give five new tries."""
        acct = self.srv.create_account()
        c = self.client()
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        for i in range(3):
            self.assertCustomerError(self.otp_step(c, ticket, wrong_code(code)), 401, "invalid_code",
                                     f"first ticket, try {i + 1}")
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        for i in range(2):
            self.assertCustomerError(self.otp_step(c, ticket, wrong_code(code)), 401, "invalid_code",
                                     f"second ticket, try {i + 1}")
        self.assertCustomerError(self.otp_step(c, ticket, code), 423, "locked",
                                 "the right code after five wrong ones over two tickets")
        self.assertCustomerError(self.password_step(c, acct["id"]), 423, "locked")
        self.assertIsNone(c.session)

    def test_a_completed_login_ends_the_row_of_wrong_codes(self):
        acct = self.srv.create_account()
        c = self.client()
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        for _ in range(4):
            self.assertCustomerError(self.otp_step(c, ticket, wrong_code(code)), 401, "invalid_code")
        finish_login(c, ticket, code)
        c.logout()
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        for _ in range(4):
            self.assertCustomerError(self.otp_step(c, ticket, wrong_code(code)), 401, "invalid_code")
        finish_login(c, ticket, code)

    def test_code_is_single_use(self):
        acct = self.srv.create_account()
        c = self.client()
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        finish_login(c, ticket, code)
        other = self.client()
        self.assertCustomerError(self.otp_step(other, ticket, code), 401, "ticket_expired",
                                 "the same ticket and code again")
        self.assertIsNone(other.session)

    def test_code_lives_ten_minutes(self):
        s = self.srv
        a, b = s.create_account(), s.create_account()
        ca, cb = self.client(), self.client()
        ticket_a, code_a = start_login(ca, a["id"], email_to=a["email"])
        ticket_b, code_b = start_login(cb, b["id"], email_to=b["email"])
        s.advance(OTP_TTL - MINUTE)
        finish_login(ca, ticket_a, code_a)
        s.advance(MINUTE + 10)
        self.assertCustomerError(self.otp_step(cb, ticket_b, code_b), 401, "ticket_expired",
                                 "after 10 minutes")
        self.assertIsNone(cb.session)

    def test_a_new_login_replaces_the_code(self):
        acct = self.srv.create_account()
        c = self.client()
        ticket1, code1 = start_login(c, acct["id"], email_to=acct["email"])
        ticket2, code2 = start_login(c, acct["id"], email_to=acct["email"])
        self.assertNotEqual(ticket1, ticket2)
        self.assertCustomerError(self.otp_step(c, ticket1, code1), 401, "ticket_expired",
                                 "the replaced ticket")
        if code1 != code2:
            self.assertCustomerError(self.otp_step(c, ticket2, code1), 401, "invalid_code",
                                     "the old code on the new ticket")
        finish_login(c, ticket2, code2)

    # -- one session per ID, idle end, logout ----------------------------------------------------

    def test_one_session_per_id(self):
        s = self.srv
        acct = s.create_account()
        first = self.login(acct)
        before = self.logins()
        mark = mail_mark(s)
        messages = {}
        for lang, words in ((None, ("30", "ログイン")), ("en", ("30", "log"))):
            other = self.client(lang=lang)
            err = self.assertCustomerError(self.password_step(other, acct["id"]), 409,
                                           "session_active", f"second login ({lang})")
            message = messages[lang] = err["error"]["message"]
            for w in words:
                self.assertIn(w, message.lower(), f"the 409 message ({lang}) says it is logged in "
                              f"elsewhere and released after 30 minutes: {message!r}")
        self.assertNotEqual(messages[None], messages["en"])
        # The password is checked first: a wrong one is a plain 401.
        self.assertCustomerError(self.password_step(self.client(), acct["id"], WRONG), 401,
                                 "invalid_credentials")
        self.assertNoMailTo(acct["email"], mark, "refused logins")
        self.assertGreaterEqual(self.logins()["session_active"] - before["session_active"], 2)
        self.assertStatus(first.get("/api/me"), 200, "the first session is untouched")

    def test_take_over_ends_the_other_session_after_the_second_factor(self):
        """SPEC §19: with "take_over": true the login goes on past the 409; when its code passes
        the other session ends, its next request says why, and the owner is mailed."""
        s = self.srv
        acct = s.create_account()
        first = self.login(acct)
        before = self.logins()
        second = self.client(lang="en")
        ticket, code = start_login(second, acct["id"], email_to=acct["email"], take_over=True)
        self.assertStatus(first.get("/api/me"), 200, "the first session stands until the code passes")
        mark = mail_mark(s)
        finish_login(second, ticket, code)
        self.assertStatus(second.get("/api/me"), 200, "the new session")
        for lang in (None, "en"):
            err = self.assertCustomerError(first.get("/api/me", lang=lang), 401, "session_replaced",
                                           f"the taken-over session ({lang})")
            self.assertIn("ログイン" if lang is None else "logged in", err["error"]["message"])
        notice = wait_mail(s, SUBJECT_REPLACED, to=acct["email"], after=mark)
        self.assertMailBasics(notice, acct["email"], SUBJECT_REPLACED)
        self.assertIn(acct["id"], notice.text)
        self.assertEqual(self.logins()["sessions"], before["sessions"], "one session replaced another")
        # The new session is the ID's one session: a plain login meets it.
        self.assertCustomerError(self.password_step(self.client(), acct["id"]), 409, "session_active")
        # Logging out of the new one leaves the old cookie merely replaced, never live again.
        self.assertStatus(second.post("/api/logout", {}), 200)
        self.assertCustomerError(first.get("/api/me"), 401, "session_replaced")

    def test_take_over_with_nothing_live_is_a_plain_login_without_notice(self):
        s = self.srv
        acct = s.create_account()
        c = self.client()
        mark = mail_mark(s)
        ticket, code = start_login(c, acct["id"], email_to=acct["email"], take_over=True)
        finish_login(c, ticket, code)
        self.assertStatus(c.get("/api/me"), 200)
        self.assertEqual([m for m in mails_to(s, acct["email"], mark) if SUBJECT_REPLACED in m.subject], [])

    def test_take_over_must_be_a_boolean(self):
        acct = self.srv.create_account()
        for lang in (None, "en"):
            c = self.client(lang=lang)
            for bad in ("true", 1, None):
                status, _, body = c.post("/api/login", {"id": acct["id"], "password": PASSWORD, "take_over": bad})
                self.assertEqual(status, 422, body)
                self.assertEqual([(e["field"], e["code"]) for e in body["errors"]], [("take_over", "invalid")])
                self.assertTrue(body["errors"][0]["message"])

    def test_a_wrong_password_takes_nothing_over(self):
        s = self.srv
        acct = s.create_account()
        first = self.login(acct)
        self.assertCustomerError(
            self.client().post("/api/login", {"id": acct["id"], "password": WRONG, "take_over": True}),
            401, "invalid_credentials")
        self.assertStatus(first.get("/api/me"), 200)

    def test_session_ends_after_30_idle_minutes(self):
        s = self.srv
        acct = s.create_account()
        c = self.login(acct)
        s.advance(SESSION_IDLE - 10 * MINUTE)
        self.assertStatus(c.get("/api/me"), 200, "20 minutes idle")
        s.advance(SESSION_IDLE - 10 * MINUTE)                 # 40 min after login, 20 idle
        self.assertStatus(c.get("/api/me"), 200, "a request keeps the session alive")
        s.advance(SESSION_IDLE + 10)
        self.assertCustomerError(c.get("/api/me"), 401, "unauthenticated", "after 30 idle minutes")
        again = self.login(acct)                              # no 409
        self.assertStatus(again.get("/api/me"), 200)

    def test_session_ends_12_hours_after_login_however_busy(self):
        # SPEC §18: activity restarts the idle clock but never extends the 12 hours.
        s = self.srv
        acct = s.create_account()
        c = self.login(acct)
        for step in range(1, 36):                             # 35 × 20 min = 11 h 40 min
            s.advance(20 * MINUTE)
            self.assertStatus(c.get("/api/me"), 200, f"{step * 20} minutes after login")
        s.advance(19 * MINUTE)
        self.assertStatus(c.get("/api/me"), 200, "11 h 59 min after login")
        s.advance(MINUTE + 5)
        self.assertCustomerError(c.get("/api/me"), 401, "unauthenticated", "12 hours after login")
        again = self.login(acct)                              # the ended session blocks nothing
        self.assertStatus(again.get("/api/me"), 200)

    def test_logout(self):
        s = self.srv
        acct = s.create_account()
        c = self.login(acct)
        old_cookie, old_csrf = c.session, c.csrf
        self.assertCustomerError(c.post("/api/logout", {}, csrf=None), 403, "csrf",
                                 "logout without the CSRF token")
        self.assertStatus(c.get("/api/me"), 200)
        sessions = self.logins()["sessions"]
        status, headers, body = c.post("/api/logout", {})
        self.assertEqual((status, body), (200, {"status": "logged_out"}))
        self.assertSecurityHeaders(headers, "logout")
        cookie = c.cookie()
        self.assertIsNotNone(cookie, f"logout sets {SESSION_COOKIE}: {headers.get_all('Set-Cookie')}")
        self.assertEqual(cookie.attrs.get("max-age"), "0", cookie)
        self.assertEqual(cookie.attrs.get("path"), "/", cookie)
        self.assertTrue(cookie.cleared)
        self.assertLessEqual(self.logins()["sessions"], sessions - 1)
        self.assertCustomerError(c.get("/api/me", session=old_cookie), 401, "unauthenticated",
                                 "the old cookie")
        self.assertCustomerError(c.post("/api/logout", {}, session=old_cookie, csrf=old_csrf),
                                 401, "unauthenticated", "logout twice")
        again = self.login(acct)                              # at once, no 409
        self.assertNotEqual(again.session, old_cookie)
        self.assertNotEqual(again.csrf, old_csrf)
        self.assertCustomerError(again.put("/api/me", {"person": "x"}, csrf=old_csrf), 403, "csrf",
                                 "the CSRF token of the ended session")

    # -- lock ------------------------------------------------------------------------------------

    def test_five_wrong_passwords_lock_for_30_minutes(self):
        s = self.srv
        acct = s.create_account()
        c = self.client()
        before = self.logins()
        for i in range(5):
            self.assertCustomerError(self.password_step(c, acct["id"], WRONG), 401,
                                     "invalid_credentials", f"wrong password {i + 1}")
        mark = mail_mark(s)
        self.assertCustomerError(self.password_step(c, acct["id"]), 423, "locked",
                                 "the right password while locked")
        self.assertCustomerError(self.password_step(c, acct["id"], WRONG), 423, "locked")
        s.advance(LOCK_TIME - MINUTE)
        self.assertCustomerError(self.password_step(c, acct["id"]), 423, "locked", "29 minutes")
        self.assertNoMailTo(acct["email"], mark, "locked logins")
        self.assertGreaterEqual(self.logins()["locked"] - before["locked"], 3)
        s.advance(2 * MINUTE)
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        finish_login(c, ticket, code)

    def test_malformed_ids_are_refused_at_once_and_never_counted(self):
        """SPEC §18: an ID that is not 10 letters or digits answers 401 at once and is kept nowhere,
        so it never locks (not even itself) and never fills a table."""
        c = self.client()
        for bad in ("short", "Abcdefghi!", "Abcdefghijk", "Ａｂｃｄｅｆｇｈｉｊ", "A" * 200000):
            for i in range(6):
                self.assertCustomerError(self.password_step(c, bad, WRONG), 401, "invalid_credentials",
                                         f"{bad[:12]!r} try {i + 1}")
        # Not even a string of letters: empty, a number, null, a list, an object — 401 all the same,
        # before the rest of the body (a missing password too); only a body without `id` is 422.
        for bad in ("", 1234567890, None, ["Abcdefghij"], {"id": "Abcdefghij"}):
            self.assertCustomerError(self.password_step(c, bad, WRONG), 401, "invalid_credentials", repr(bad))
            self.assertCustomerError(c.post("/api/login", {"id": bad}), 401, "invalid_credentials", repr(bad))
        status, _, body = c.post("/api/login", {"password": WRONG})
        self.assertEqual((status, body["errors"][0]["field"], body["errors"][0]["code"]), (422, "id", "required"))
        acct = self.srv.create_account()
        for i in range(6):  # its neighbour by case and length is a different, malformed ID
            self.assertCustomerError(self.password_step(c, acct["id"] + "x", WRONG), 401,
                                     "invalid_credentials")
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        finish_login(c, ticket, code)

    def test_unknown_ids_lock_the_same_way(self):
        c = self.client()
        for i in range(5):
            self.assertCustomerError(self.password_step(c, "Nosuch0001", WRONG), 401,
                                     "invalid_credentials", f"try {i + 1}")
        self.assertCustomerError(self.password_step(c, "Nosuch0001", WRONG), 423, "locked")

    def test_only_wrong_passwords_in_a_row_count(self):
        acct = self.srv.create_account()
        c = self.client()
        for _ in range(4):
            self.assertCustomerError(self.password_step(c, acct["id"], WRONG), 401,
                                     "invalid_credentials")
        start_login(c, acct["id"], email_to=acct["email"])     # right: the count starts again
        for _ in range(4):
            self.assertCustomerError(self.password_step(c, acct["id"], WRONG), 401,
                                     "invalid_credentials")
        ticket, code = start_login(c, acct["id"], email_to=acct["email"])
        finish_login(c, ticket, code)

    # -- session and CSRF on the other routes ----------------------------------------------------

    def test_routes_need_a_session(self):
        routes = [("GET", "/api/me", None), ("PUT", "/api/me", {"person": "x"}),
                  ("POST", "/api/logout", {}), ("GET", "/api/plan", None),
                  ("POST", "/api/plan", {"plan": "free", "confirm": True}),
                  ("GET", "/api/analytics/traffic", None), ("GET", "/api/analytics/origin", None),
                  ("GET", "/api/groups/an", None), ("GET", "/api/groups/dn", None),
                  ("GET", "/api/custom", None), ("POST", "/api/custom/upload", b"a,b\n"),
                  ("GET", "/api/users", None)]
        c = self.client()
        for cookie in (None, "A" * 43, ""):
            for method, path, body in routes:
                with self.subTest(cookie=cookie, method=method, path=path):
                    result = c.request(method, path, body, session=cookie, csrf="x" * 43)
                    self.assertCustomerError(result, 401, "unauthenticated")
                    self.assertSecurityHeaders(result[1], f"{method} {path}")

    def test_csrf_on_state_changing_requests(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        changes = [("PUT", "/api/me", {"person": "書き換え"}),
                   ("POST", "/api/plan", {"plan": "standard"}),
                   ("POST", "/api/logout", {})]
        for method, path, body in changes:
            for token in (None, "", "x" * 43, c.csrf[:-1], c.csrf + "x"):
                with self.subTest(method=method, path=path, token=token):
                    self.assertCustomerError(c.request(method, path, body, csrf=token), 403,
                                             "csrf")
        me = self.assertStatus(c.get("/api/me", csrf=None), 200, "GET needs no token")
        self.assertNotEqual(me["person"], "書き換え")
        self.assertEqual(me["plan"], "free")
        self.assertEqual(self.assertStatus(c.put("/api/me", {"person": "書き換え"}), 200)["person"],
                         "書き換え")


if __name__ == "__main__":
    unittest.main()
