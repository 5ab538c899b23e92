"""GET /admin/stats (SPEC §17) against the real binary: the live figures the /ops page shows —
actors per kind with mailbox depth, accounts live and passivated, requests/s and p99 per route,
ingest rows/s by outcome, sessions, mails by state, storage bytes per column family and the
busiest accounts — checked against what the test itself did, and the token it needs."""

import time

from cxs_harness import CustomerTestCase, generated


class Stats(CustomerTestCase):

    def stats(self):
        return self.assertStatus(self.srv.get("/admin/stats"), 200)

    def test_the_figures_follow_what_happened(self):
        s = self.srv
        acct = s.create_account(registered="2026-01-01")
        routes = s.routes(acct["opid"])
        records = generated(5, routes, "2026-11-01", "2026-11-19", 20, id_prefix="st")
        self.stats()  # a first snapshot: the next answer's rates are over the time since
        time.sleep(1.1)
        got = s.ingest(records)
        self.assertEqual(got["accepted"], len(records))
        c = self.login(acct)
        for _ in range(5):
            self.assertStatus(c.get("/api/me"), 200)
            self.assertStatus(c.get("/api/analytics/traffic"), 200)
        j = self.stats()

        self.assertGreater(j["window_s"], 0)
        kinds = {a["kind"]: a for a in j["actors"]}
        for kind in ("directory", "account", "auth", "mailer", "writer"):
            self.assertIn(kind, kinds)
            self.assertIn("mailbox_depth", kinds[kind])
        self.assertGreaterEqual(kinds["account"]["live"], 1)
        self.assertGreater(kinds["account"]["messages_per_s"], 0)
        self.assertGreaterEqual(j["accounts"]["live"], 1)

        by_route = {(r["listener"], r["route"]): r for r in j["routes"]}
        me = by_route[("customer", "/api/me")]
        self.assertGreaterEqual(me["requests"], 5)
        self.assertGreater(me["requests_per_s"], 0)
        self.assertIsNotNone(me["p99_ms"])
        self.assertGreater(me["p99_ms"], 0)
        self.assertIn(("admin", "/admin/ingest"), by_route)

        accepted = {r["outcome"]: r for r in j["ingest"]}["accepted"]
        self.assertGreaterEqual(accepted["rows"], len(records))
        self.assertGreater(accepted["rows_per_s"], 0)
        self.assertGreaterEqual(j["sessions"], 1)
        states = {m["state"]: m for m in j["mails"]["states"]}
        self.assertGreaterEqual(states["sent"]["total"] + j["mails"]["queue"], 1)  # the login's OTP
        cfs = {x["cf"]: x["bytes"] for x in j["storage"]}
        for cf in ("meta", "traffic", "cdr"):
            self.assertIn(cf, cfs)
        self.assertGreater(sum(cfs.values()), 0)
        busiest = [b["id"] for b in j["busiest"]]
        self.assertIn(acct["id"], busiest)
        top = next(b for b in j["busiest"] if b["id"] == acct["id"])
        self.assertGreaterEqual(top["rows"], len(records))
        self.assertGreaterEqual(top["requests"], 6)  # an ingest batch and five analyses
        c.logout()

    def test_the_token_is_required(self):
        status, _, body = self.srv.get("/admin/stats", token=None)
        self.assertEqual(status, 401, body)
        status, _, _ = self.srv.admin("POST", "/admin/stats", {})
        self.assertEqual(status, 405)
