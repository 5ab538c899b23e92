"""The dn filter on the basic analyses (SPEC §15: `dn` applies to every analysis, basic ones
included, over the whole basic retention; figures per DN are collected from the registration or
the plan change on). Every figure is computed here from the records sent; the server's per-DN
rollups must agree, survive a restart, combine with `an` by intersection, and go with a move to
the free plan."""

import datetime as dt

from cxs_harness import REASONS, ServerTestCase, WEEKDAYS, bucket_labels, cdr, in_hours, label, start_jst
from test_detailed import make_records, query

TODAY = dt.date(2026, 11, 20)  # the harness's fixed clock


def half_up(num: int, den: int) -> float | None:
    return None if den == 0 else (num * 20000 + den) // (2 * den) / 10000


def chosen(records, frm, to, an=None, dn=None, weekday=None, hours=None):
    out = []
    for r in records:
        t = start_jst(r)
        if not frm <= t.date() <= to or (an and r["an"] not in an) or (dn and r["dn"] not in dn):
            continue
        if (weekday and WEEKDAYS[t.weekday()] not in weekday) or not in_hours(t.hour, hours):
            continue
        out.append(r)
    return out


def traffic_of(rs) -> dict:
    done = [r for r in rs if r["result"] == "completed"]
    return {"calls": len(rs), "completed": len(done), "incomplete": len(rs) - len(done),
            "talk_seconds": sum(int(r["duration_s"]) for r in done),
            "completion_rate": half_up(len(done), len(rs))}


def incomplete_of(rs) -> dict:
    out = {reason: sum(1 for r in rs if r["result"] == reason) for reason in REASONS}
    out["incomplete"] = sum(out.values())
    return out


def series(records, frm, to, granularity, figures, **f):
    rs = chosen(records, frm, to, **f)
    groups = {t: [] for t in bucket_labels(frm, to, granularity)}
    for r in rs:
        groups[label(start_jst(r), granularity)].append(r)
    return [dict(figures(g), t=t) for t, g in groups.items()], figures(rs)


class PerDn(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        # Registered on the standard plan in March: per-DN figures from then on, well past the
        # 3 months of detailed data.
        cls.std = s.create_account(plan="standard", registered="2026-03-01")
        cls.other = s.create_account(plan="standard", registered="2026-03-01")
        cls.routes = s.routes(cls.std["opid"])
        cls.ans = list(cls.routes)
        cls.dns = sorted({d for ds in cls.routes.values() for d in ds})
        cls.records = make_records(21, cls.routes, dt.date(2026, 3, 1), dt.date(2026, 11, 19), 12, "p")
        got = s.ingest_all(cls.records)
        if got["accepted"] != len(cls.records):
            raise AssertionError(f"set-up ingest: {got}")

    def get(self, name, account=None, status=200, **params):
        account = account or self.std
        return self.assertStatus(self.srv.analytics(account["id"], name, **params), status, f"{name} {params}")

    def check(self, name, frm, to, granularity="day", **f):
        answer = self.get(name, granularity=granularity, **query(frm, to, **f))
        figures = traffic_of if name == "traffic" else incomplete_of
        want_series, want_totals = series(self.records, frm, to, granularity, figures, **f)
        self.assertEqual(answer["series"], want_series, f"{name} {f}")
        self.assertEqual(answer["totals"], want_totals, f"{name} {f}")
        self.assertEqual(answer["filters"].get("dn"), f.get("dn"))
        return answer

    def test_traffic_and_incomplete_by_dn_with_each_filter(self):
        frm, to = dt.date(2026, 4, 1), dt.date(2026, 11, 19)
        filters = ({"dn": [self.dns[0]]}, {"dn": self.dns[:2]}, {"dn": self.dns},
                   {"dn": [self.dns[0]], "an": [self.ans[0]]},
                   {"dn": [self.dns[-1]], "an": self.ans[:2]},
                   {"dn": [self.dns[0]], "weekday": ["mon", "fri"], "hours": "9-18"},
                   {"dn": [self.dns[-1]], "hours": "22-6"})
        for name in ("traffic", "incomplete"):
            for f in filters:
                with self.subTest(name=name, filters=f):
                    self.check(name, frm, to, granularity="month", **f)
                    self.check(name, dt.date(2026, 10, 25), dt.date(2026, 11, 5), **f)
        self.check("traffic", dt.date(2026, 10, 31), dt.date(2026, 11, 1), granularity="hour",
                   dn=[self.dns[0]])

    def test_every_dn_is_every_call_that_reached_one(self):
        frm, to = dt.date(2026, 3, 1), TODAY
        every_dn = self.get("traffic", granularity="month", dn=",".join(self.dns), **query(frm, to))
        everything = self.get("traffic", granularity="month", **query(frm, to))
        reached = [r for r in self.records if r["dn"]]
        self.assertLess(len(reached), len(self.records))  # some calls reached no destination
        self.assertEqual(every_dn["totals"]["calls"], len(reached))
        self.assertEqual(everything["totals"]["calls"], len(self.records))
        self.assertNotIn("dn", everything["filters"])

    def test_an_and_dn_that_never_met_answer_nothing(self):
        an = self.ans[0]
        foreign = [d for d in self.dns if d not in self.routes[an]]
        if not foreign:
            self.skipTest("every DN of this registry fixture serves the first AN")
        answer = self.get("traffic", an=an, dn=foreign[0], granularity="month",
                          **query(dt.date(2026, 3, 1), TODAY))
        self.assertEqual(answer["totals"]["calls"], 0)

    def test_compare_by_dn(self):
        frm, to = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
        b_from, b_to = dt.date(2026, 5, 1), dt.date(2026, 5, 31)
        dn = [self.dns[0]]
        answer = self.get("compare", dn=dn[0], b_from=str(b_from), b_to=str(b_to), **query(frm, to))
        a = traffic_of(chosen(self.records, frm, to, dn=dn))
        b = traffic_of(chosen(self.records, b_from, b_to, dn=dn))
        for figure in ("calls", "completed", "incomplete", "talk_seconds"):
            self.assertEqual(answer["totals"][figure]["a"], a[figure], figure)
            self.assertEqual(answer["totals"][figure]["b"], b[figure], figure)
        self.assertEqual(answer["filters"]["dn"], dn)
        # AN against AN on the same DN.
        an_a, an_b = self.ans[0], self.ans[1]
        both = self.get("compare", dn=dn[0], an=an_a, b_an=an_b, b_from=str(frm), b_to=str(to),
                        **query(frm, to))
        self.assertEqual(both["totals"]["calls"]["a"], len(chosen(self.records, frm, to, an=[an_a], dn=dn)))
        self.assertEqual(both["totals"]["calls"]["b"], len(chosen(self.records, frm, to, an=[an_b], dn=dn)))

    def test_csv_by_dn(self):
        status, headers, body = self.srv.analytics(self.std["id"], "traffic", raw=True, format="csv",
                                                   dn=self.dns[0], **query(dt.date(2026, 11, 1), TODAY))
        self.assertEqual(status, 200, body[:200])
        rows = body[3:].decode("utf-8").split("\r\n")
        self.assertEqual(rows[0], "t,calls,completed,incomplete,talk_seconds,completion_rate")
        want = len(chosen(self.records, dt.date(2026, 11, 1), dt.date(2026, 11, 1), dn=[self.dns[0]]))
        self.assertEqual(rows[1].split(",")[:2], ["2026-11-01", str(want)])

    def test_another_accounts_dn_is_not_found_on_basic_analyses(self):
        other_dn = next(d for ds in self.srv.routes(self.other["opid"]).values() for d in ds)
        for name in ("traffic", "compare", "incomplete"):
            with self.subTest(name=name):
                body = self.get(name, status=404, dn=other_dn)
                self.assertEqual(body["error"]["code"], "not_found")

    def test_a_restart_reads_the_same_figures(self):
        frm, to = dt.date(2026, 3, 1), TODAY
        f = {"dn": [self.dns[0]], "an": [self.ans[0]]}
        before = self.check("traffic", frm, to, granularity="month", **f)
        self.srv.restart()
        self.assertEqual(self.check("traffic", frm, to, granularity="month", **f), before)


class PerDnPlanChanges(ServerTestCase):
    """Per-DN figures start at the change to standard and go with the move to free."""

    def test_from_the_change_on_and_gone_with_free(self):
        s = self.srv
        acct = s.create_account(registered="2026-06-01")
        an, dn = s.first_route(acct["opid"])
        path = f"/admin/accounts/{acct['id']}/plan"
        before = [cdr(f"b{i}", f"2026-11-{10 + i:02d}T10:00:00+09:00", an, "completed", 60, dn=dn)
                  for i in range(5)]
        s.ingest_all(before)
        body = self.get_body(acct, 403, dn=dn)  # free: the dn filter is a standard feature
        self.assertEqual(body["error"]["code"], "plan_required")

        upgrade = {"plan": "standard", "billing_an": an, "billing_phone": "0312345678"}
        self.assertStatus(s.admin("POST", path, upgrade), 200)
        after = [cdr("a1", "2026-11-20T09:00:00+09:00", an, "completed", 60, dn=dn),
                 cdr("a2", "2026-11-19T09:00:00+09:00", an, "busy", 0, dn=dn)]  # a late record of yesterday
        self.assertEqual(s.ingest(after)["accepted"], 2)
        by_dn = self.get_body(acct, 200, dn=dn)
        self.assertEqual(by_dn["totals"]["calls"], 1)  # collected from the change (today) on
        self.assertEqual(self.get_body(acct, 200)["totals"]["calls"], len(before) + 2)

        self.assertStatus(s.admin("POST", path, {"plan": "free", "confirm": True}), 200)
        self.assertStatus(s.admin("POST", path, upgrade), 200)
        # Back on standard the same day: what was collected before the move to free is gone.
        self.assertEqual(self.get_body(acct, 200, dn=dn)["totals"]["calls"], 0)
        s.restart()
        self.assertEqual(self.get_body(acct, 200, dn=dn)["totals"]["calls"], 0)
        self.assertEqual(self.get_body(acct, 200)["totals"]["calls"], len(before) + 2)

    def get_body(self, acct, status, **params):
        return self.assertStatus(self.srv.analytics(acct["id"], "traffic", **{"from": "2026-11-01", **params}),
                                 status)


if __name__ == "__main__":
    import unittest
    unittest.main()
