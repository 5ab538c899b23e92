"""/metrics in Prometheus text format, the fixed metric names, counters that move, and one
account's crash not stopping another (SPEC §9, §10, §14)."""

import shutil
import subprocess
import unittest

from cxs_harness import (FIXED_NOW, UNREGISTERED_AN, ServerTestCase, cdr, metric_sum,
                         parse_metrics)

PROMTOOL = shutil.which("promtool") or ("/usr/bin/promtool"
                                        if shutil.which("/usr/bin/promtool") else None)
DAY = FIXED_NOW.replace(day=9, hour=14)

FAMILIES = {  # family -> (type, labels every sample carries)
    "cxs_actors": ("gauge", {"kind"}),
    "cxs_actor_messages_total": ("counter", {"kind"}),
    "cxs_actor_mailbox_depth": ("gauge", {"kind"}),
    "cxs_actor_restarts_total": ("counter", {"kind"}),
    "cxs_accounts": ("gauge", {"state"}),
    "cxs_http_requests_total": ("counter", {"listener", "route", "status"}),
    "cxs_http_request_duration_seconds": ("histogram", {"listener", "route"}),
    "cxs_ingest_records_total": ("counter", {"outcome"}),
    "cxs_storage_bytes": ("gauge", {"cf"}),
}


class Metrics(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.a = s.create_account(registered="2026-01-01")
        cls.b = s.create_account(registered="2026-01-01")
        cls.an_a = list(s.routes(cls.a["opid"]))[0]
        cls.an_b = list(s.routes(cls.b["opid"]))[0]
        s.ingest([cdr("m-a-1", DAY, cls.an_a), cdr("m-b-1", DAY, cls.an_b, "busy")])
        s.analytics(cls.a["id"], "traffic")

    def scrape(self):
        status, headers, body = self.srv.admin("GET", "/metrics", raw=True)
        self.assertEqual(status, 200)
        self.assertTrue(headers.get("Content-Type", "").startswith("text/plain"),
                        headers.get("Content-Type"))
        text = body.decode("utf-8")
        return text, parse_metrics(text)

    def test_promtool_accepts_the_exposition(self):
        text, _ = self.scrape()
        if not PROMTOOL:
            self.skipTest("promtool not installed (Debian package prometheus); "
                          "exposition format not linted")
        p = subprocess.run([PROMTOOL, "check", "metrics"], input=text.encode(),
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, "promtool check metrics: "
                         + (p.stdout + p.stderr).decode(errors="replace"))

    def test_fixed_families_and_labels(self):
        _, (samples, types) = self.scrape()
        for family, (kind, labels) in FAMILIES.items():
            with self.subTest(family=family):
                self.assertEqual(types.get(family), kind, f"# TYPE of {family}")
                names = ({family + s for s in ("_bucket", "_sum", "_count")}
                         if kind == "histogram" else {family})
                got = [(n, l) for n, l, _ in samples if n in names]
                self.assertTrue(got, f"no samples of {family}")
                for n, l in got:
                    self.assertTrue(labels <= set(l), f"{n}{l} lacks {labels - set(l)}")
        states = {l["state"] for n, l, _ in samples if n == "cxs_accounts"}
        self.assertTrue({"live", "passivated"} <= states, states)
        self.assertGreaterEqual(metric_sum(samples, "cxs_accounts", state="live"), 1)
        kinds = {l["kind"] for n, l, _ in samples if n == "cxs_actors"}
        self.assertIn("account", kinds)
        self.assertGreaterEqual(metric_sum(samples, "cxs_actors", kind="account"), 1)
        cfs = {l["cf"] for n, l, _ in samples if n == "cxs_storage_bytes"}
        self.assertTrue({"meta", "traffic"} <= cfs, cfs)
        buckets = [l for n, l, _ in samples if n == "cxs_http_request_duration_seconds_bucket"]
        self.assertTrue(any(l.get("le") == "+Inf" for l in buckets))

    def test_counters_move(self):
        _, (before, _) = self.scrape()
        s = self.srv
        recs = [cdr("mv-1", DAY, self.an_a), cdr("mv-2", DAY, self.an_a),
                cdr("mv-1", DAY, self.an_a),                                   # duplicate
                cdr("mv-3", DAY, UNREGISTERED_AN),                              # unowned
                cdr("mv-4", "2025-12-31T10:00:00+09:00", self.an_a),           # too old
                cdr("mv-5", DAY, self.an_a, "nonsense")]                        # rejected
        answer = s.ingest(recs)
        self.assertEqual([answer[k] for k in ("accepted", "duplicates", "unowned", "too_old",
                                              "rejected")], [2, 1, 1, 1, 1])
        for _ in range(3):
            self.assertStatus(s.analytics(self.a["id"], "traffic"), 200)
        _, (after, _) = self.scrape()
        for outcome, n in (("accepted", 2), ("duplicates", 1), ("unowned", 1), ("too_old", 1),
                           ("rejected", 1)):
            delta = (metric_sum(after, "cxs_ingest_records_total", outcome=outcome)
                     - metric_sum(before, "cxs_ingest_records_total", outcome=outcome))
            self.assertEqual(delta, n, f"cxs_ingest_records_total{{outcome={outcome!r}}}")
        delta = (metric_sum(after, "cxs_http_requests_total", listener="admin")
                 - metric_sum(before, "cxs_http_requests_total", listener="admin"))
        self.assertGreaterEqual(delta, 4, "admin requests counted")
        ingest_routes = {l["route"] for n, l, _ in after
                         if n == "cxs_http_requests_total" and "ingest" in l.get("route", "")}
        self.assertTrue(ingest_routes, "no route label for /admin/ingest")
        count = [v for n, l, v in after if n == "cxs_http_request_duration_seconds_count"
                 and l.get("route") in ingest_routes]
        self.assertTrue(count and sum(count) >= 2)
        messages = (metric_sum(after, "cxs_actor_messages_total")
                    - metric_sum(before, "cxs_actor_messages_total"))
        self.assertGreater(messages, 0)

    def test_account_crash_does_not_stop_another(self):
        s = self.srv
        rng = {"from": "2026-11-01", "to": "2026-11-20"}
        b_before = self.assertStatus(s.analytics(self.b["id"], "traffic", **rng), 200)
        a_before = self.assertStatus(s.analytics(self.a["id"], "traffic", **rng), 200)
        _, (before, _) = self.scrape()
        status, _, body = s.admin("POST", f"/admin/accounts/{self.a['id']}/testing/crash")
        self.assertIn(status, (200, 500), body)
        # The other account answers as before, and takes CDRs.
        self.assertEqual(self.assertStatus(s.analytics(self.b["id"], "traffic", **rng), 200),
                         b_before)
        self.assertEqual(s.ingest([cdr("after-crash-b", DAY, self.an_b)])["accepted"], 1)
        # The crashed account is restarted from storage on its next request: nothing lost.
        a_after = self.assertStatus(s.analytics(self.a["id"], "traffic", **rng), 200)
        self.assertEqual(a_after, a_before)
        self.assertEqual(s.ingest([cdr("after-crash-a", DAY, self.an_a)])["accepted"], 1)
        self.assertEqual(s.ingest([cdr("m-a-1", DAY, self.an_a)])["duplicates"], 1)
        _, (after, _) = self.scrape()
        restarts = (metric_sum(after, "cxs_actor_restarts_total")
                    - metric_sum(before, "cxs_actor_restarts_total"))
        self.assertGreaterEqual(restarts, 1, "restart not counted")
        self.assertGreaterEqual(metric_sum(after, "cxs_actor_restarts_total", kind="account"), 1)
        self.assertStatus(s.get("/readyz", token=None), 200)


if __name__ == "__main__":
    unittest.main()
