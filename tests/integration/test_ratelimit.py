"""Rate limits of the customer listener: token buckets per client address and per ID for the
groups login, otp, signup and reset; over the limit 429 `rate_limited` with Retry-After."""

import unittest

from cxs_harness import PASSWORD, CustomerTestCase

WRONG = "Wr0ngPassword"


class RateLimitBase(CustomerTestCase):

    def assertLimited(self, result, msg=""):
        status, headers, body = result
        self.assertCustomerError(result, 429, "rate_limited", msg)
        retry = headers.get("Retry-After")
        self.assertIsNotNone(retry, f"{msg}: no Retry-After")
        self.assertRegex(retry.strip(), r"^\d+$", f"{msg}: Retry-After {retry!r}")
        self.assertGreaterEqual(int(retry), 1, msg)
        self.assertLessEqual(int(retry), 60, f"{msg}: a token comes back within a minute")
        self.assertSecurityHeaders(headers, msg)


class AddressLimit(RateLimitBase):
    """Three requests per minute and client address in each group (IDs: no limit in reach)."""

    server_options = {"extra_args": ["--rate.address-per-minute=3"]}

    def test_each_group_has_its_own_bucket_per_address(self):
        c = self.client()
        acct = self.srv.create_account()
        groups = [
            ("login", lambda i: c.post("/api/login", {"id": f"Nobody000{i}", "password": WRONG}),
             401),
            ("otp", lambda i: c.post("/api/login/otp", {"ticket": "A" * 43, "code": "000000"}),
             401),
            ("reset", lambda i: c.post("/api/password/reset-request",
                                       {"id": acct["id"], "email": "x@example.com"}), 202),
            ("signup", lambda i: c.post("/api/signup", {}), 422),
        ]
        for name, send, status in groups:
            with self.subTest(group=name):
                for i in range(3):
                    got, _, body = send(i)
                    self.assertEqual(got, status, f"{name} request {i + 1}: {body}")
                self.assertLimited(send(3), f"{name}: fourth request within the minute")
        # Routes outside the groups are not limited.
        self.assertCustomerError(c.get("/api/me"), 401, "unauthenticated")
        # A limited login says nothing about the password, and is not a wrong password.
        self.assertLimited(c.post("/api/login", {"id": acct["id"], "password": PASSWORD}),
                           "the right password while limited")


class IdLimit(RateLimitBase):
    """Two login and reissue requests per minute and ID (addresses: no limit in reach)."""

    server_options = {"extra_args": ["--rate.id-per-minute=2"]}

    def test_login_and_reset_per_id(self):
        s = self.srv
        a, b = s.create_account(), s.create_account()
        c = self.client()
        for i in range(2):
            self.assertCustomerError(c.post("/api/login", {"id": a["id"], "password": WRONG}),
                                     401, "invalid_credentials", f"login {i + 1}")
        self.assertLimited(c.post("/api/login", {"id": a["id"], "password": PASSWORD}),
                           "third login for the same ID")
        self.assertCustomerError(c.post("/api/login", {"id": b["id"], "password": WRONG}),
                                 401, "invalid_credentials", "another ID is not limited")
        for i in range(2):
            self.assertStatus(c.post("/api/password/reset-request",
                                     {"id": b["id"], "email": "x@example.com"}), 202,
                              f"reset {i + 1}")
        self.assertLimited(c.post("/api/password/reset-request",
                                  {"id": b["id"], "email": b["email"]}), "third reset for the ID")
        self.assertStatus(c.post("/api/password/reset-request",
                                 {"id": a["id"], "email": "x@example.com"}), 202)

    def test_malformed_ids_never_key_the_limiter(self):
        """SPEC §18: an ID of the wrong shape is answered at once and keys no bucket."""
        c = self.client()
        for i in range(5):
            self.assertCustomerError(c.post("/api/login", {"id": "not-an-id", "password": WRONG}),
                                     401, "invalid_credentials", f"login {i + 1}")
            self.assertStatus(c.post("/api/password/reset-request",
                                     {"id": "x" * 5000, "email": "x@example.com"}), 202,
                              f"reset {i + 1}")


if __name__ == "__main__":
    unittest.main()
