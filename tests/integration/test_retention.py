"""Retention by the test clock: free keeps 12 months, standard 24; older months are deleted,
not only hidden (SPEC §6, §14)."""

import datetime as dt
import unittest

from cxs_harness import FIXED_NOW, JST, ServerTestCase, cdr, months


ALL_MONTHS = months("2024-12", "2026-11")      # the standard window at FIXED_NOW


class Retention(ServerTestCase):
    """Each account gets one completed and one busy call on the 15th of every month of
    2024-12..2026-11 (too old ones are refused at ingest)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.free = s.create_account(plan="free", registered="2024-06-01")
        cls.std = s.create_account(plan="standard", registered="2024-06-01")
        cls.down = s.create_account(plan="standard", registered="2024-06-01")

    def setUp(self):
        self.srv.set_now(FIXED_NOW)

    def month_records(self, acct, tag, month_list):
        an = list(self.srv.routes(acct["opid"]))[0]
        recs = []
        for ym in month_list:
            y, m = map(int, ym.split("-"))
            t = dt.datetime(y, m, 15, 10, 0, tzinfo=JST)
            recs.append(cdr(f"{tag}-{ym}-c", t, an, "completed", 120))
            recs.append(cdr(f"{tag}-{ym}-b", t.replace(hour=11), an, "busy"))
        return recs


    def run_retention(self):
        body = self.assertStatus(self.srv.admin("POST", "/admin/retention/run"), 200)
        self.assertEqual(body, {"status": "done"})

    def test_1_windows_at_ingest_and_in_answers(self):
        s = self.srv
        a = s.ingest(self.month_records(self.free, "f", ALL_MONTHS))
        self.assertEqual((a["accepted"], a["too_old"]), (24, 24), a)   # 2025-12..2026-11 kept
        a = s.ingest(self.month_records(self.std, "s", ALL_MONTHS))
        self.assertEqual((a["accepted"], a["too_old"]), (48, 0), a)
        got, answer = self.monthly(self.free)
        self.assertEqual(answer["filters"]["from"], "2025-12-01")
        self.assertEqual(got, {m: 2 for m in months("2025-12", "2026-11")})
        got, answer = self.monthly(self.std)
        self.assertEqual(answer["filters"]["from"], "2024-12-01")
        self.assertEqual(got, {m: 2 for m in ALL_MONTHS})

    def test_2_standard_to_free_deletes_beyond_12_months(self):
        s = self.srv
        a = s.ingest(self.month_records(self.down, "d", ALL_MONTHS))
        self.assertEqual(a["accepted"], 48, a)
        path = f"/admin/accounts/{self.down['id']}/plan"
        self.assertStatus(s.admin("POST", path, {"plan": "free", "confirm": True}), 200)
        got, _ = self.monthly(self.down)
        self.assertEqual(got, {m: 2 for m in months("2025-12", "2026-11")})
        an = list(s.routes(self.down["opid"]))[0]
        self.assertStatus(s.admin("POST", path, {"plan": "standard", "billing_an": an,
                                                 "billing_phone": "0312345678"}), 200)
        got, _ = self.monthly(self.down)
        want = {m: (2 if m >= "2025-12" else 0) for m in ALL_MONTHS}
        self.assertEqual(got, want, "data beyond 12 months must be gone after the downgrade")

    def test_3_a_month_forward(self):
        s = self.srv
        s.set_now(dt.datetime(2026, 12, 15, 12, 0, tzinfo=JST))
        self.run_retention()
        # At the new now, the windows moved: free 2026-01..2026-12, standard 2025-01..2026-12.
        got, answer = self.monthly(self.free, "2024-12-01", "2026-12-15")
        self.assertEqual(answer["filters"]["from"], "2026-01-01")
        self.assertEqual(got, {m: (0 if m == "2026-12" else 2)
                               for m in months("2026-01", "2026-12")})
        an = list(s.routes(self.free["opid"]))[0]
        a = s.ingest([cdr("late-1", "2025-12-20T10:00:00+09:00", an),
                      cdr("late-2", "2026-01-01T00:00:00+09:00", an)])
        self.assertEqual((a["accepted"], a["too_old"]), (1, 1), a)
        # Back at the old now the deleted months stay empty: deleted, not hidden.
        s.set_now(FIXED_NOW)
        got, _ = self.monthly(self.free)
        self.assertEqual(got, {m: (0 if m == "2025-12" else 2 + (m == "2026-01"))
                               for m in months("2025-12", "2026-11")})
        got, _ = self.monthly(self.std)
        self.assertEqual(got, {m: (0 if m == "2024-12" else 2) for m in ALL_MONTHS})

    def test_4_a_year_forward_and_restart(self):
        s = self.srv
        s.set_now(dt.datetime(2027, 11, 20, 12, 0, tzinfo=JST))
        self.run_retention()
        got, answer = self.monthly(self.std, "2024-01-01", "2027-11-20")
        self.assertEqual(answer["filters"]["from"], "2025-12-01")
        self.assertEqual(got, {m: (2 if m <= "2026-11" else 0)
                               for m in months("2025-12", "2027-11")})
        got, answer = self.monthly(self.free, "2024-01-01", "2027-11-20")
        self.assertEqual(answer["filters"]["from"], "2026-12-01")
        self.assertEqual(set(got.values()), {0})
        # Deleted data stays deleted across a restart, by the old clock too.
        s.restart()
        s.set_now(FIXED_NOW)
        got, _ = self.monthly(self.std)
        self.assertEqual(got, {m: (2 if m >= "2025-12" else 0) for m in ALL_MONTHS})
        got, _ = self.monthly(self.free)
        self.assertEqual(set(got.values()), {0})


if __name__ == "__main__":
    unittest.main()
