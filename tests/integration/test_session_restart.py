"""Sessions survive a restart (SPEC §19): kept in storage as digests with their last use. After a
SIGTERM or a kill -9 the cookie of a live session still works (with its CSRF token) and its ID
still has a session (409 on a second login); a session that a logout or an operator ended
before the restart stays ended; one another login took over still says so. The rest of the
sign-in state that must outlive a restart does (SPEC §4, §18): a lock still holds and one an
operator lifted stays lifted; a mailed reissue link still works, once."""

import unittest

from cxs_harness import (PASSWORD, SUBJECT_RESET, CustomerClient, CustomerTestCase, finish_login, mail_mark,
                         start_login, wait_mail)

WRONG = "Wr0ngPassword"
NEW_PASSWORD = "Neue2Passwort"


class SessionsSurviveRestart(CustomerTestCase):

    def cookie_works(self, cookie, csrf=None):
        c = CustomerClient(self.srv)
        try:
            status, _, body = c.get("/api/me", session=cookie)
            if status == 200 and csrf is not None:
                self.assertEqual(body["csrf_token"], csrf, "the same CSRF token")
            return status
        finally:
            c.close()

    def test_sessions_survive_sigterm_and_kill9_but_not_their_end(self):
        s = self.srv
        live, logged_out, ended = (s.create_account() for _ in range(3))
        c = self.login(live)
        cookie, csrf = c.session, c.csrf
        out = self.login(logged_out)
        out_cookie = out.session
        out.logout()
        ended_cookie = self.login(ended).session
        self.assertEqual(s.admin("POST", f"/admin/accounts/{ended['id']}/sessions/end", {})[0], 200)

        s.restart()
        self.assertEqual(self.cookie_works(cookie, csrf), 200, "after SIGTERM")
        self.assertEqual(self.cookie_works(out_cookie), 401, "logged out before the restart")
        self.assertEqual(self.cookie_works(ended_cookie), 401, "ended by an operator before the restart")
        again = CustomerClient(s)
        self.addCleanup(again.close)
        status, _, body = again.post("/api/login", {"id": live["id"], "password": PASSWORD})
        self.assertEqual((status, body["error"]["code"]), (409, "session_active"), "the ID still has its session")

        fresh = self.login(logged_out)  # written before the login answered: a kill -9 keeps it
        s.restart(hard=True)
        self.assertEqual(self.cookie_works(fresh.session, fresh.csrf), 200, "after kill -9")
        self.assertEqual(self.cookie_works(cookie, csrf), 200, "the first one too")
        # A state-changing request with the kept CSRF token works on the kept session.
        kept = CustomerClient(s)
        self.addCleanup(kept.close)
        kept.session, kept.csrf = cookie, csrf
        status, _, _ = kept.post("/api/logout", {})
        self.assertEqual(status, 200)
        s.restart()
        self.assertEqual(self.cookie_works(cookie), 401, "logged out after the first restart")

    def test_a_session_taken_over_still_says_so_after_a_restart(self):
        # SPEC §19: its next request answers session_replaced, whatever happened in between.
        s = self.srv
        acct = s.create_account()
        first = self.login(acct).session
        second = self.client()
        ticket, code = start_login(second, acct["id"], email_to=acct["email"], take_over=True)
        finish_login(second, ticket, code)
        taken, csrf = second.session, second.csrf

        def me(cookie):
            c = CustomerClient(s)
            try:
                return c.get("/api/me", session=cookie)
            finally:
                c.close()
        s.restart(hard=True)
        self.assertCustomerError(me(first), 401, "session_replaced", "after kill -9")
        self.assertStatus(me(taken), 200, "the new session")
        s.restart()
        self.assertCustomerError(me(first), 401, "session_replaced", "after SIGTERM")
        out = CustomerClient(s)
        self.addCleanup(out.close)
        out.session, out.csrf = taken, csrf
        self.assertStatus(out.post("/api/logout", {}), 200)
        self.assertCustomerError(me(first), 401, "session_replaced", "never live again")


class SignInStateSurvivesRestart(CustomerTestCase):

    def login_answer(self, acct, password):
        c = self.client()
        return c.post("/api/login", {"id": acct["id"], "password": password})

    def reissue_token(self, acct) -> str:
        mark = mail_mark(self.srv)
        self.assertStatus(self.client().post("/api/password/reset-request", {"id": acct["id"], "email": acct["email"]}),
                          202)
        mail = wait_mail(self.srv, SUBJECT_RESET, to=acct["email"], after=mark)
        return mail.link_token(f"{self.srv.public_url}/password/reset/")

    def test_a_lock_and_an_operators_unlock_both_outlive_restarts(self):
        s = self.srv
        acct = s.create_account()
        for _ in range(5):
            self.assertCustomerError(self.login_answer(acct, WRONG), 401, "invalid_credentials")
        s.restart(hard=True)
        self.assertCustomerError(self.login_answer(acct, PASSWORD), 423, "locked", "a kill -9 lifts no lock")
        s.restart()
        self.assertCustomerError(self.login_answer(acct, PASSWORD), 423, "locked", "nor does a SIGTERM")
        self.assertEqual(s.admin("POST", f"/admin/accounts/{acct['id']}/unlock", {})[0], 200)
        s.restart(hard=True)
        self.login(acct)  # the lock stays lifted: the whole login passes

    def test_a_mailed_reissue_link_outlives_a_restart_and_works_once(self):
        s = self.srv
        acct = s.create_account()
        token = self.reissue_token(acct)
        s.restart(hard=True)
        self.assertStatus(self.client().post("/api/password/reset", {"token": token, "password": NEW_PASSWORD}), 200,
                          "a link mailed before a kill -9")
        s.restart()
        self.assertCustomerError(self.client().post("/api/password/reset", {"token": token, "password": WRONG + "9"}),
                                 410, "expired", "used before the restart")
        self.login(acct, NEW_PASSWORD)


if __name__ == "__main__":
    unittest.main()
