"""/metrics in Prometheus text format, the fixed metric names, counters that move, and one
account's crash not stopping another (SPEC §9, §10, §14)."""

import shutil
import subprocess
import unittest

from cxs_harness import (FIXED_NOW, UNREGISTERED_AN, Client, ServerTestCase, cdr, metric_sum,
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
    "cxs_http_in_flight": ("gauge", {"listener"}),
    "cxs_tls_handshakes_total": ("counter", {"listener", "outcome"}),
    "cxs_account_activations_total": ("counter", set()),
    "cxs_account_passivations_total": ("counter", set()),
    "cxs_storage_disk_free_bytes": ("gauge", set()),
    "cxs_storage_pending_compaction_bytes": ("gauge", set()),
    "cxs_storage_write_stalls_total": ("counter", {"condition"}),
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
        self.assertTrue({"account", "auth", "certificates"} <= kinds, kinds)
        # Every login outcome is a series from the start (at 0 until it happens), so a rate of
        # refused certificates or taken-over sessions has a baseline.
        outcomes = {l["outcome"] for n, l, _ in samples if n == "cxs_logins_total"}
        self.assertTrue({"otp_sent", "success", "invalid_credentials", "locked", "session_active",
                         "taken_over", "invalid_code", "ticket_expired", "certificate_required",
                         "certificate_mismatch", "certificate_revoked", "certificate_expired"}
                        <= outcomes, outcomes)
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
        # Each request of the test's fresh connections did a TLS handshake; none is in flight now
        # but the scrape itself.
        self.assertGreater(metric_sum(after, "cxs_tls_handshakes_total", listener="admin", outcome="ok"), 0)
        self.assertEqual(metric_sum(after, "cxs_http_in_flight", listener="customer"), 0)
        self.assertLessEqual(metric_sum(after, "cxs_http_in_flight", listener="admin"), 1)
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

    def test_http_route_labels_are_templates(self):
        s = self.srv
        _, (before, _) = self.scrape()
        a, b = self.a["id"], self.b["id"]
        junk = "zQx7Junk"          # path segments a client made up must not become label values
        requests = [
            (s.get(f"/admin/accounts/{a}"), 200),
            (s.get("/admin/accounts/Zz9Zz9Zz9Z"), 404),
            (s.analytics(a, "traffic"), 200),
            (s.analytics(b, "incomplete"), 200),
            (s.analytics(a, "compare"), 200),
            (s.analytics(a, "traffic", hours="25-3"), 400),
            (s.get(f"/admin/{junk}1"), 404),
            (s.get(f"/{junk}2"), 404),
            (s.get(f"/admin/accounts/{a}/{junk}3"), 404),
            (s.get(f"/admin/accounts/{a}/{junk}4/x"), 404),
            (s.get(f"/admin/{junk}5", token=None), 401),
            (s.get(f"/{junk}6", token=None), 401),
        ]
        for (status, _, body), want in requests:
            self.assertEqual(status, want, body)
        customer = Client(*s.customer_addr, s.cafile)
        try:
            self.assertEqual(customer.request("GET", f"/api/{junk}7").status, 404)
            self.assertEqual(customer.request("GET", f"/{junk}8.js").status, 404)  # a missing file (extension-less paths are pages)
        finally:
            customer.close()
        _, (after, _) = self.scrape()
        series = [l for n, l, _ in after if n == "cxs_http_requests_total"]
        raw_labels = set()
        for l in series:
            self.assertIn(l["listener"], ("admin", "customer"), l)
            self.assertRegex(l["status"], r"^[1-5]\d\d$", l)
            self.assertTrue(l["route"] == "other" or l["route"].startswith("/"), l)
            for raw in (a, b, "Zz9Zz9Zz9Z", "traffic", "incomplete", "compare", junk):
                if raw in l["route"]:
                    raw_labels.add((l["listener"], l["route"], l["status"]))

        def delta(**labels):
            return (metric_sum(after, "cxs_http_requests_total", **labels)
                    - metric_sum(before, "cxs_http_requests_total", **labels))

        analytics = "/admin/accounts/{id}/analytics/{name}"
        self.assertEqual(delta(listener="admin", route=analytics, status="200"), 3)
        self.assertEqual(delta(listener="admin", route=analytics, status="400"), 1)
        self.assertEqual(delta(listener="admin", route="/admin/accounts/{id}", status="200"), 1)
        self.assertEqual(delta(listener="admin", route="/admin/accounts/{id}", status="404"), 1)
        self.assertEqual(delta(listener="admin", status="401"), 2)
        self.assertEqual(delta(listener="customer", status="404"), 2)
        self.assertEqual(delta(listener="admin"), len(requests) + 1)   # + the first scrape
        # Unbounded label values (IDs, names, made-up paths, even from requests without the
        # token) would grow /metrics and the server's memory without limit.
        self.assertEqual(sorted(raw_labels), [], "raw path text in route labels")

    def test_latency_histogram_is_cumulative(self):
        s = self.srv
        for _ in range(3):
            self.assertStatus(s.analytics(self.a["id"], "traffic"), 200)
        self.assertStatus(s.get("/healthz", token=None), 200)
        _, (samples, types) = self.scrape()
        family = "cxs_http_request_duration_seconds"
        self.assertEqual(types.get(family), "histogram")
        groups = {}
        for n, l, v in samples:
            if n.startswith(family + "_"):
                key = tuple(sorted((k, x) for k, x in l.items() if k != "le"))
                groups.setdefault(key, {"buckets": [], "sum": None, "count": None})
                if n == family + "_bucket":
                    groups[key]["buckets"].append((l["le"], v))
                elif n == family + "_sum":
                    groups[key]["sum"] = v
                elif n == family + "_count":
                    groups[key]["count"] = v
        self.assertTrue(groups)
        requests = {}
        for n, l, v in samples:
            if n == "cxs_http_requests_total":
                key = (("listener", l["listener"]), ("route", l["route"]))
                requests[key] = requests.get(key, 0) + v
        bounds = None
        for key, g in groups.items():
            with self.subTest(series=dict(key)):
                les = [le for le, _ in g["buckets"]]
                self.assertGreaterEqual(len(les), 5, "too few buckets")
                self.assertEqual(les[-1], "+Inf", "the last bucket must be +Inf")
                finite = [float(le) for le in les[:-1]]
                self.assertEqual(finite, sorted(finite), "bucket bounds out of order")
                self.assertEqual(len(set(finite)), len(finite), "a bucket bound repeats")
                values = [v for _, v in g["buckets"]]
                self.assertEqual(values, sorted(values), f"buckets not cumulative: {g['buckets']}")
                self.assertIsNotNone(g["count"], "no _count")
                self.assertIsNotNone(g["sum"], "no _sum")
                self.assertEqual(values[-1], g["count"], "+Inf bucket != _count")
                self.assertGreaterEqual(g["sum"], 0)
                self.assertGreater(g["count"], 0)
                # Every request counted once in both families.
                self.assertEqual(g["count"], requests.get(key), "_count != requests_total")
                if bounds is None:
                    bounds = les
                self.assertEqual(les, bounds, "series with different bucket bounds")
        key = (("listener", "admin"), ("route", "/admin/accounts/{id}/analytics/{name}"))
        self.assertIn(key, groups)
        self.assertGreaterEqual(groups[key]["count"], 3)


if __name__ == "__main__":
    unittest.main()
