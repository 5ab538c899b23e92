"""Sessions survive a restart (SPEC §19): kept in storage as digests with their last use. After a
SIGTERM or a kill -9 the cookie of a live session still works (with its CSRF token) and its ID
still has a session (409 on a second login); a session that a logout or an operator ended
before the restart stays ended; one another login took over still says so."""

import unittest

from cxs_harness import PASSWORD, CustomerClient, CustomerTestCase, finish_login, start_login


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

if __name__ == "__main__":
    unittest.main()
