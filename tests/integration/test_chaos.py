"""Chaos (issue 11): mixed load on loopback — ingest, customer logins and logouts, dashboards —
while the server is killed with kill -9 at a random moment and started again, round after round.
Each round checks that no acknowledged record is lost, that no session comes back after logout,
that a session live at the kill is still live after it (SPEC §19: sessions survive a restart), and
that the restart reaches its ready line within 2 s. CXS_CHAOS_ROUNDS sets the rounds (10 here; `./ops/cxs chaos 100` runs the long
version) and CXS_CHAOS_REPORT names a JSON file for the results (docs/security.md)."""

import json
import os
import random
import threading
import time
import unittest

from cxs_harness import CustomerClient, CustomerTestCase, csv_body, generated

ROUNDS = int(os.environ.get("CXS_CHAOS_ROUNDS", "10"))
SEED = int(os.environ.get("CXS_CHAOS_SEED", "2026"))
# The 2 s limit is the release build's (SPEC §18 figure). Under a sanitizer every memory access
# is instrumented and the start-up (RocksDB open, session journal replay) runs several times slower
# (TSan 2.1-2.6 s, ASan 2.01 s in a round), so `./ops/cxs test --sanitize=…` (which sets
# CXS_BUILD_FLAGS) allows three times as long: those runs look for races and memory errors, not
# for the restart time.
RESTART_LIMIT_S = 2.0 * (3 if "-fsanitize=" in os.environ.get("CXS_BUILD_FLAGS", "") else 1)
MONTHS = {"from": "2026-01-01", "to": "2026-11-20", "granularity": "month"}


class Chaos(CustomerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounts = [cls.srv.create_account(registered="2026-01-01") for _ in range(3)]
        cls.routes = {a["id"]: cls.srv.routes(a["opid"]) for a in cls.accounts}

    # -- the load --------------------------------------------------------------------------------

    def ingest_loop(self, rnd: int, stop: threading.Event, out: dict):
        """Posts batches of new records; a batch counts as acknowledged only with its 200."""
        client = self.srv.client(retry=False, timeout=10)
        rand = random.Random(SEED * 1000 + rnd)
        i = 0
        try:
            while not stop.is_set():
                acct = rand.choice(self.accounts)
                batch = generated(rand.randrange(1 << 30), self.routes[acct["id"]], "2026-10-01", "2026-10-31",
                                  rand.choice((1, 2, 3)), id_prefix=f"x{rnd}-{i}")[:60]
                i += 1
                out["in_flight"] = batch
                try:
                    r = client.request("POST", "/admin/ingest", csv_body(batch), {"Content-Type": "text/csv"})
                except OSError:
                    break                                   # the server is gone: this batch is unknown
                out["in_flight"] = None
                if r.status != 200:
                    out["errors"].append(f"ingest -> {r.status} {r.body[:200]!r}")
                    break
                answer = r.json()
                if answer["accepted"] != len(batch):
                    out["errors"].append(f"ingest accepted {answer['accepted']} of {len(batch)}")
                    break
                out["acked"].append(batch)
        finally:
            client.close()

    def customer_loop(self, rnd: int, stop: threading.Event, out: dict):
        """Logs a customer in, asks for the dashboard's figures, logs out; keeps the cookies."""
        rand = random.Random(SEED * 7919 + rnd)
        while not stop.is_set():
            acct = rand.choice(self.accounts)
            try:
                c = self.login(acct)
            except (OSError, AssertionError):
                break                                       # the kill came mid-login
            try:
                status, _, _ = c.get("/api/analytics/traffic", params=MONTHS)
                if status == 200:
                    out["dashboards"] += 1
                if rand.random() < 0.7:
                    cookie = c.session
                    status, _, _ = c.post("/api/logout", {})
                    if status == 200:
                        out["logged_out"].append(cookie)
                else:
                    out["live"].append((c.session, c.csrf))
                    break                                   # the ID keeps its session until the kill
            except OSError:
                break
            finally:
                c.close()

    # -- the rounds ------------------------------------------------------------------------------

    def test_kill_9_under_mixed_load(self):
        s = self.srv
        rand = random.Random(SEED)
        report = {"rounds": 0, "acked_batches": 0, "acked_records": 0, "lost": 0, "resurrected": 0,
                  "live_lost": 0, "live_kept": 0, "dashboards": 0, "logins_logged_out": 0, "restart_s": []}
        all_acked = []
        for rnd in range(ROUNDS):
            out = {"acked": [], "in_flight": None, "errors": [], "logged_out": [], "live": [], "dashboards": 0}
            stop = threading.Event()
            threads = [threading.Thread(target=self.ingest_loop, args=(rnd, stop, out), daemon=True),
                       threading.Thread(target=self.customer_loop, args=(rnd, stop, out), daemon=True)]
            for t in threads:
                t.start()
            time.sleep(rand.uniform(0.3, 1.5))
            s.kill9()
            stop.set()
            for t in threads:
                t.join(60)
                self.assertFalse(t.is_alive(), f"round {rnd}: a load thread did not stop after the kill")
            self.assertEqual(out["errors"], [], f"round {rnd}")

            started = time.monotonic()
            s.start()
            took = time.monotonic() - started
            report["restart_s"].append(round(took, 3))
            self.assertLess(took, RESTART_LIMIT_S, f"round {rnd}: restart to the ready line")

            # Every acknowledged record of the round is there: sent again, all are duplicates.
            for batch in out["acked"]:
                a = s.ingest(batch)
                lost = len(batch) - a["duplicates"]
                report["lost"] += lost
                self.assertEqual(lost, 0, f"round {rnd}: acknowledged records lost")
            # No logged-out session comes back; every session live at the kill is live after it
            # (its login answered only once it was stored) and is logged out now, so that its ID
            # can log in again in the next rounds.
            for cookie in out["logged_out"]:
                probe = CustomerClient(s)
                try:
                    status, _, _ = probe.get("/api/me", session=cookie, csrf=None)
                finally:
                    probe.close()
                if status != 401:
                    report["resurrected"] += 1
                self.assertEqual(status, 401, f"round {rnd}: a logged-out session answered {status} after the restart")
            for cookie, csrf in out["live"]:
                probe = CustomerClient(s)
                try:
                    probe.session, probe.csrf = cookie, csrf
                    status, _, _ = probe.get("/api/me")
                    report["live_kept" if status == 200 else "live_lost"] += 1
                    self.assertEqual(status, 200, f"round {rnd}: a session live at the kill answered {status} after it")
                    self.assertEqual(probe.post("/api/logout", {})[0], 200)
                finally:
                    probe.close()
            all_acked += out["acked"]
            report["rounds"] += 1
            report["acked_batches"] += len(out["acked"])
            report["acked_records"] += sum(len(b) for b in out["acked"])
            report["dashboards"] += out["dashboards"]
            report["logins_logged_out"] += len(out["logged_out"])

        # After the last round, everything ever acknowledged is still there exactly once.
        for i in range(0, len(all_acked), 20):
            chunk = [r for b in all_acked[i:i + 20] for r in b]
            a = s.ingest(chunk)
            self.assertEqual((a["accepted"], a["duplicates"]), (0, len(chunk)), "after the last round")
        self.assertGreater(report["acked_records"], 0, "the load acknowledged nothing")
        self.assertGreater(report["logins_logged_out"], 0, "no login completed between the kills")
        report["restart_max_s"] = max(report["restart_s"])
        path = os.environ.get("CXS_CHAOS_REPORT")
        if path:
            with open(path, "w", encoding="utf-8") as f:
                json.dump(report, f, indent=1)
        print(f"\nchaos: {json.dumps({k: v for k, v in report.items() if k != 'restart_s'})}")


if __name__ == "__main__":
    unittest.main()
