"""Accounts as actors: passivation and reactivation from storage, one account's failure while
another is busy, and retention run by the directory's tick at JST midnight (issue 4 §3, §5;
SPEC §6, §10, §14)."""

import datetime as dt
import threading
import time
import unittest

from cxs_harness import (FIXED_NOW, JST, ServerTestCase, cdr, csv_body, expected, generated,
                         metric_sum, months, parse_metrics)

DAY = FIXED_NOW.replace(day=9, hour=14)
MONTHLY = {"from": "2026-01-01", "to": "2026-11-20", "granularity": "month"}


def scrape(srv):
    samples, _ = parse_metrics(srv.metrics())
    return samples


def wait_for(predicate, timeout, interval=0.1):
    """Polls predicate() until it returns a true value or timeout passes; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Passivation(ServerTestCase):
    """An account idle for --accounts.passivate-after seconds is stopped, and started again from
    storage by its next request with the same figures."""

    server_options = {"extra_args": ["--accounts.passivate-after=1"]}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.a = s.create_account(registered="2026-01-01")
        cls.b = s.create_account(registered="2026-01-01")      # never used: never live
        cls.routes = s.routes(cls.a["opid"])
        cls.records = generated(7, cls.routes, "2026-09-01", "2026-11-19", 30, id_prefix="pv")
        got = s.ingest_all(cls.records)
        if got["accepted"] != len(cls.records):
            raise AssertionError(f"set-up ingest: {got}")

    def accounts_gauges(self, samples):
        return (metric_sum(samples, "cxs_accounts", state="live"),
                metric_sum(samples, "cxs_accounts", state="passivated"),
                metric_sum(samples, "cxs_actors", kind="account"))

    def wait_passivated(self, msg):
        """Waits (≤ 10 s) until no account actor is live; the last samples."""
        last = {}

        def passivated():
            last["samples"] = scrape(self.srv)
            return self.accounts_gauges(last["samples"]) == (0, 2, 0)

        ok = wait_for(passivated, 10, 0.2)
        self.assertTrue(ok, f"{msg}: not passivated within 10 s with --accounts.passivate-after=1;"
                            f" (live, passivated, account actors) = "
                            f"{self.accounts_gauges(last['samples'])}")
        return last["samples"]

    def test_passivated_then_reactivated_from_storage(self):
        s = self.srv
        first = self.assertStatus(s.analytics(self.a["id"], "traffic", **MONTHLY), 200)
        self.assertEqual(first["totals"]["calls"], len(self.records))
        self.assertSeries(first, expected(self.records, MONTHLY["from"], MONTHLY["to"], "month"))
        samples = scrape(s)    # at once: used well under a second ago
        self.assertEqual(self.accounts_gauges(samples), (1, 1, 1),
                         "(live, passivated, account actors) right after a request")
        restarts = metric_sum(samples, "cxs_actor_restarts_total", kind="account")
        activations = metric_sum(samples, "cxs_account_activations_total")
        passivations = metric_sum(samples, "cxs_account_passivations_total")

        samples = self.wait_passivated("after one request")
        self.assertEqual(metric_sum(samples, "cxs_account_passivations_total"), passivations + 1)
        # Passivation is a normal stop, not a failure.
        self.assertEqual(metric_sum(samples, "cxs_actor_restarts_total", kind="account"), restarts,
                         "passivation counted as a restart")

        # Reactivated from storage on its next request: the same answer.
        again = self.assertStatus(s.analytics(self.a["id"], "traffic", **MONTHLY), 200)
        self.assertEqual(again, first, "figures changed across passivation")
        samples = scrape(s)
        self.assertEqual(self.accounts_gauges(samples), (1, 1, 1), "not live again")
        self.assertEqual(metric_sum(samples, "cxs_account_activations_total"), activations + 1)
        # Its duplicate memory comes from storage too; new CDRs are taken.
        a = s.ingest(self.records[:50])
        self.assertEqual((a["accepted"], a["duplicates"]), (0, 50), a)
        an = list(self.routes)[0]
        a = s.ingest([cdr("pv-new-1", DAY, an), cdr("pv-new-2", DAY, an, "busy")])
        self.assertEqual(a["accepted"], 2, a)

        # Passivated once more (after an ingest this time), and what was added is still there.
        self.wait_passivated("after an ingest")
        third = self.assertStatus(s.analytics(self.a["id"], "traffic", **MONTHLY), 200)
        self.assertEqual(third["totals"]["calls"], len(self.records) + 2)
        self.assertEqual(third["totals"]["completed"], first["totals"]["completed"] + 1)
        self.assertEqual(s.ingest([cdr("pv-new-1", DAY, an)])["duplicates"], 1)

    def test_busy_account_stays_live(self):
        s = self.srv
        before = scrape(s)
        deadline = time.monotonic() + 2.5
        n = 0
        while time.monotonic() < deadline:     # a request every 0.2 s: never idle for 1 s
            self.assertStatus(s.analytics(self.a["id"], "traffic", **MONTHLY), 200)
            n += 1
            time.sleep(0.2)
        after = scrape(s)
        self.assertEqual(metric_sum(after, "cxs_accounts", state="live"), 1,
                         "an account in use must not be passivated")
        self.assertEqual(metric_sum(after, "cxs_actor_restarts_total", kind="account"),
                         metric_sum(before, "cxs_actor_restarts_total", kind="account"))
        self.assertGreaterEqual(n, 5)


class CrashIsolation(ServerTestCase):
    """Account A is made to fail, several times, while account B takes CDRs and answers queries
    without pause from another connection."""

    CRASHES = 3

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.a = s.create_account(registered="2026-01-01")
        cls.b = s.create_account(registered="2026-01-01")
        cls.routes_a = s.routes(cls.a["opid"])
        cls.routes_b = s.routes(cls.b["opid"])
        cls.rec_a = generated(21, cls.routes_a, "2026-08-01", "2026-11-19", 25, id_prefix="ca")
        cls.rec_b = generated(22, cls.routes_b, "2026-08-01", "2026-11-19", 25, id_prefix="cb")
        for recs in (cls.rec_a, cls.rec_b):
            got = s.ingest_all(recs)
            if got["accepted"] != len(recs):
                raise AssertionError(f"set-up ingest: {got}")

    def b_loop(self, stop, log):
        """Ingest one new CDR into B, then query B, until stopped; every failure is logged."""
        s = self.srv
        client = s.client(retry=False, timeout=20)
        an = list(self.routes_b)[0]
        base = len(self.rec_b)
        i = 0
        try:
            while not stop.is_set():
                body = csv_body([cdr(f"b-loop-{i}", DAY, an, "completed", 30)])
                r = client.request("POST", "/admin/ingest", body, {"Content-Type": "text/csv"})
                if r.status != 200 or r.json().get("accepted") != 1:
                    log["failures"].append(f"ingest {i}: {r.status} {r.body[:300]!r}")
                    break
                i += 1
                r = client.request("GET", f"/admin/accounts/{self.b['id']}/analytics/traffic"
                                          "?from=2026-01-01&to=2026-11-20&granularity=month")
                if r.status != 200:
                    log["failures"].append(f"query {i}: {r.status} {r.body[:300]!r}")
                    break
                calls = r.json()["totals"]["calls"]
                if calls != base + i:
                    log["failures"].append(f"query {i}: calls {calls}, want {base + i}")
                    break
                log["times"].append(time.monotonic())
        except Exception as e:  # noqa: BLE001 - reported by the test
            log["failures"].append(f"iteration {i}: {e!r}")
        finally:
            log["done"] = i
            client.close()

    def a_answer(self, timeout=5.0):
        """A's traffic answer; a 503 'restarting' right after a crash is retried (bounded)."""
        deadline = time.monotonic() + timeout
        while True:
            status, _, body = self.srv.analytics(self.a["id"], "traffic", **MONTHLY)
            if status == 200 or time.monotonic() > deadline or status != 503:
                self.assertEqual(status, 200, f"A after its crash: {body}")
                return body
            time.sleep(0.05)

    def test_crash_while_another_account_is_busy(self):
        s = self.srv
        a_before = self.assertStatus(s.analytics(self.a["id"], "traffic", **MONTHLY), 200)
        self.assertEqual(a_before["totals"]["calls"], len(self.rec_a))
        before = scrape(s)
        stop = threading.Event()
        log = {"failures": [], "times": [], "done": 0}
        t = threading.Thread(target=self.b_loop, args=(stop, log), daemon=True)
        t.start()
        try:
            self.assertTrue(wait_for(lambda: len(log["times"]) >= 5 or log["failures"], 20),
                            "B's loop did not get going")
            crash_times = []
            for _ in range(self.CRASHES):
                status, _, body = s.admin("POST", f"/admin/accounts/{self.a['id']}/testing/crash")
                self.assertEqual(status, 200, body)
                crash_times.append(time.monotonic())
                time.sleep(0.2)
                self.assertEqual(self.a_answer(), a_before, "A's figures after its crash")
            time.sleep(0.3)
        finally:
            stop.set()
            t.join(30)
        self.assertFalse(t.is_alive(), "B's loop hung")
        self.assertEqual(log["failures"], [], "B got an error while A failed")
        during = [x for x in log["times"] if crash_times[0] <= x <= crash_times[-1] + 0.2]
        self.assertTrue(during, "B made no request while A was being crashed")

        # A's data is intact (its rollups come back from storage) and it takes CDRs again.
        self.assertEqual(s.ingest(self.rec_a[:40])["duplicates"], 40)
        an_a, an_b = list(self.routes_a)[0], list(self.routes_b)[0]
        a = s.ingest([cdr("ca-after-1", DAY, an_a), cdr("cb-after-1", DAY, an_b)])
        self.assertEqual(a["accepted"], 2, a)
        a_after = self.a_answer()
        self.assertEqual(a_after["totals"]["calls"], len(self.rec_a) + 1)
        b_after = self.assertStatus(s.analytics(self.b["id"], "traffic", **MONTHLY), 200)
        self.assertEqual(b_after["totals"]["calls"], len(self.rec_b) + log["done"] + 1)

        # Each failure is counted once as an account restart.
        base = metric_sum(before, "cxs_actor_restarts_total", kind="account")
        got = wait_for(lambda: metric_sum(scrape(s), "cxs_actor_restarts_total",
                                          kind="account") - base >= self.CRASHES, 5)
        after = scrape(s)
        self.assertTrue(got, "restarts not counted")
        self.assertEqual(metric_sum(after, "cxs_actor_restarts_total", kind="account") - base,
                         self.CRASHES, "cxs_actor_restarts_total{kind=\"account\"}")
        self.assertEqual(metric_sum(after, "cxs_actors", kind="account"), 2,
                         "live account actors after the restarts")
        self.assertStatus(s.get("/readyz", token=None), 200)

    def test_crash_of_unknown_account_is_404(self):
        status, _, body = self.srv.admin("POST", "/admin/accounts/Zz9Zz9Zz9Z/testing/crash")
        self.assertEqual(status, 404, body)


class MidnightRetention(ServerTestCase):
    """Retention runs by itself when the JST day turns (the directory's 1-second tick), with no
    POST /admin/retention/run: at 2026-12-01 00:00 JST the free window moves to 2026-01..2026-12
    (2025-12 goes) and the standard one to 2025-01..2026-12 (2024-12 goes)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.free = s.create_account(plan="free", registered="2024-06-01")
        cls.std = s.create_account(plan="standard", registered="2024-06-01")
        for acct, tag, accepted in ((cls.free, "f", 24), (cls.std, "s", 48)):
            an = list(s.routes(acct["opid"]))[0]
            recs = []
            for ym in months("2024-12", "2026-11"):
                y, m = map(int, ym.split("-"))
                t = dt.datetime(y, m, 15, 10, 0, tzinfo=JST)
                recs.append(cdr(f"{tag}-{ym}-c", t, an, "completed", 120))
                recs.append(cdr(f"{tag}-{ym}-b", t.replace(hour=11), an, "busy"))
            got = s.ingest(recs)
            if got["accepted"] != accepted:
                raise AssertionError(f"set-up ingest {tag}: {got}")


    def test_month_turns_at_jst_midnight(self):
        s = self.srv
        free_all = {m: 2 for m in months("2025-12", "2026-11")}
        std_all = {m: 2 for m in months("2024-12", "2026-11")}
        self.assertEqual(self.monthly(self.free)[0], free_all)
        self.assertEqual(self.monthly(self.std)[0], std_all)
        retention_logs = s.stderr().count("retention:")

        # A few seconds before the month ends: a new day, but no month has left a window yet.
        midnight = dt.datetime(2026, 12, 1, 0, 0, 0, tzinfo=JST)
        s.set_now(midnight - dt.timedelta(seconds=3))
        t_mid = time.monotonic() + 3 - 0.5      # when the server's clock passes midnight (±0.5)
        self.assertEqual(self.monthly(self.free, "2025-12-01", "2026-11-30")[0], free_all,
                         "deleted before the month ended")
        self.assertLess(time.monotonic(), t_mid, "too slow: midnight passed during the check")

        # Wait (bounded) past midnight until the tick has run: the log line of a retention run
        # ends the wait early; at worst some 3 ticks after midnight.
        wait_for(lambda: s.stderr().count("retention:") > retention_logs,
                 max(0.0, t_mid + 4.5 - time.monotonic()))
        wait_for(lambda: time.monotonic() > t_mid + 1.0, 3)
        self.assertGreaterEqual(s.now(), midnight)
        got, answer = self.monthly(self.free, "2024-12-01", "2026-12-01")
        self.assertEqual(answer["filters"]["from"], "2026-01-01")
        self.assertEqual(got, {m: (0 if m == "2026-12" else 2) for m in months("2026-01", "2026-12")})

        # Back at the old now: the months that left the windows are deleted, not hidden (both in
        # the live account actors and in storage, as a restart shows).
        s.set_now(FIXED_NOW)
        for when in ("live", "after restart"):
            got, _ = self.monthly(self.free)
            self.assertEqual(got, dict(free_all, **{"2025-12": 0}),
                             f"free, {when}: 2025-12 must be gone after midnight of 2026-11-30 "
                             "without POST /admin/retention/run")
            got, _ = self.monthly(self.std)
            self.assertEqual(got, dict(std_all, **{"2024-12": 0}),
                             f"standard, {when}: 2024-12 must be gone")
            if when == "live":
                s.restart()


if __name__ == "__main__":
    unittest.main()
