"""Password reissue (パスワードの再発行): the request always answers 202, the mailed link is
valid one hour and once, the new password follows the sign-up rules, and a reissue unlocks a
locked ID and ends its live session (SPEC §4, §11, §14)."""

import unittest

from cxs_harness import (MINUTE, PASSWORD, RESET_TTL, SUBJECT_RESET, CustomerTestCase,
                         finish_login, mail_mark, start_login, wait_mail)

NEW_PASSWORD = "Neue2Passwort"
WRONG = "Wr0ngPassword"


class PasswordReset(CustomerTestCase):

    def request_reset(self, account_id, mail_to, status=202):
        c = self.client()
        got = self.assertStatus(c.post("/api/password/reset-request",
                                       {"id": account_id, "email": mail_to}), status)
        return got

    def reset_token(self, acct):
        """Asks for a reissue link for acct and answers the token of the mailed link."""
        mark = mail_mark(self.srv)
        self.assertEqual(self.request_reset(acct["id"], acct["email"]), {"status": "accepted"})
        mail = wait_mail(self.srv, SUBJECT_RESET, to=acct["email"], after=mark)
        return mail.link_token(f"{self.srv.public_url}/password/reset/"), mail

    def reset(self, token, password=NEW_PASSWORD):
        return self.client().post("/api/password/reset", {"token": token, "password": password})

    def test_request_always_202_and_mails_only_a_match(self):
        s = self.srv
        acct = s.create_account()
        mark = mail_mark(s)
        for account_id, mail_to in ((acct["id"], "someone.else@example.com"),
                                    ("Zz9Zz9Zz9Z", acct["email"]),
                                    ("Zz9Zz9Zz9Z", "nobody@example.com"),
                                    (acct["id"], ""),
                                    ("", acct["email"])):
            with self.subTest(id=account_id, email=mail_to):
                self.assertEqual(self.request_reset(account_id, mail_to), {"status": "accepted"})
        self.assertNoMailTo(acct["email"], mark, "reset requests that do not match")
        self.assertNoMailTo("someone.else@example.com", mark, "reset requests")
        self.assertNoMailTo("nobody@example.com", mark, "reset requests")
        token, mail = self.reset_token(acct)
        self.assertMailBasics(mail, acct["email"], SUBJECT_RESET)
        self.assertIn(f"{s.public_url}/password/reset/{token}", mail.lines())

    def test_reset_sets_a_new_password_once(self):
        s = self.srv
        acct = s.create_account()
        token, _ = self.reset_token(acct)
        for weak in ("short1A", "alllower1", "NoDigitsHere", "Has-Hyphen1", ""):
            with self.subTest(password=weak):
                status, _, body = self.reset(token, weak)
                self.assertEqual(status, 422, body)
                self.assertFieldError(body, "password", {"weak_password", "required"})
        status, _, body = self.reset(token)
        self.assertEqual((status, body), (200, {"status": "reset"}))
        self.assertCustomerError(self.reset(token, "Another3Passw0rd"), 410, "expired",
                                 "the link a second time")
        c = self.client()
        self.assertCustomerError(c.post("/api/login", {"id": acct["id"], "password": PASSWORD}),
                                 401, "invalid_credentials", "the old password")
        self.login(acct, NEW_PASSWORD)

    def test_unknown_tokens(self):
        for token in ("A" * 43, "short", "not a token!"):
            with self.subTest(token=token):
                self.assertCustomerError(self.reset(token), 410, "expired")

    def test_link_lives_one_hour(self):
        s = self.srv
        a, b = s.create_account(), s.create_account()
        token_a, _ = self.reset_token(a)
        token_b, _ = self.reset_token(b)
        s.advance(RESET_TTL - MINUTE)
        self.assertStatus(self.reset(token_a), 200, "59 minutes")
        s.advance(2 * MINUTE)
        self.assertCustomerError(self.reset(token_b), 410, "expired", "61 minutes")
        c = self.client()
        self.assertCustomerError(c.post("/api/login", {"id": b["id"], "password": NEW_PASSWORD}),
                                 401, "invalid_credentials", "the expired link changed nothing")
        self.login(b, PASSWORD)

    def test_reset_unlocks_a_locked_id(self):
        acct = self.srv.create_account()
        c = self.client()
        for _ in range(5):
            self.assertCustomerError(c.post("/api/login", {"id": acct["id"], "password": WRONG}),
                                     401, "invalid_credentials")
        self.assertCustomerError(c.post("/api/login", {"id": acct["id"], "password": PASSWORD}),
                                 423, "locked")
        token, _ = self.reset_token(acct)
        self.assertStatus(self.reset(token), 200)
        ticket, code = start_login(c, acct["id"], NEW_PASSWORD, email_to=acct["email"])
        finish_login(c, ticket, code)

    def test_reset_ends_the_live_session(self):
        acct = self.srv.create_account()
        c = self.login(acct)
        old = c.session
        token, _ = self.reset_token(acct)
        self.assertStatus(self.reset(token), 200)
        self.assertCustomerError(c.get("/api/me", session=old), 401, "unauthenticated",
                                 "the session from before the reissue")
        again = self.login(acct, NEW_PASSWORD)              # no 409
        self.assertStatus(again.get("/api/me"), 200)


if __name__ == "__main__":
    unittest.main()
