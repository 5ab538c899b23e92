"""granularity=minute on the basic analyses (SPEC §14 "Filters": allowed when from = to, one
day): traffic, incomplete and compare answer 1,440 minute buckets of the day, on the free plan
too, with every filter (an, weekday, hours, dn on standard), as CSV, after a restart; a range of
more than one day is refused naming granularity. Every figure is computed here from the records
sent."""

import datetime as dt

from cxs_harness import JST, ServerTestCase, cdr
from test_detailed import make_records, query
from test_per_dn import incomplete_of, series, traffic_of

DAY = dt.date(2026, 11, 18)  # a Wednesday; the harness's clock stands at 2026-11-20
BEFORE = DAY - dt.timedelta(days=1)


def by_minute(records, day, figures, **f):
    return series(records, day, day, "minute", figures, **f)


class MinuteGranularity(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.free = s.create_account(registered="2026-10-01")
        cls.std = s.create_account(plan="standard", registered="2026-10-01")
        cls.records = {}
        for n, acct in enumerate((cls.free, cls.std)):
            routes = s.routes(acct["opid"])
            records = make_records(40 + n, routes, BEFORE, DAY, 150, f"m{n}")
            an = list(routes)[0]
            # Several calls in one minute, the day's first and last second, midnight either side.
            edge = [dt.datetime(DAY.year, DAY.month, DAY.day, 0, 0, 0, tzinfo=JST),
                    dt.datetime(DAY.year, DAY.month, DAY.day, 23, 59, 59, tzinfo=JST),
                    dt.datetime(DAY.year, DAY.month, DAY.day, 0, 0, 0, tzinfo=JST) - dt.timedelta(seconds=1),
                    dt.datetime(DAY.year, DAY.month, DAY.day, 9, 5, 0, tzinfo=JST),
                    dt.datetime(DAY.year, DAY.month, DAY.day, 9, 5, 59, tzinfo=JST),
                    dt.datetime(DAY.year, DAY.month, DAY.day, 0, 5, 30, tzinfo=dt.timezone.utc)]  # 09:05:30 JST
            records += [cdr(f"m{n}-edge-{i}", t, an, "completed" if i % 2 else "busy", dn=routes[an][0])
                        for i, t in enumerate(edge)]
            got = s.ingest_all(records)
            if got["accepted"] != len(records):
                raise AssertionError(f"set-up ingest: {got}")
            cls.records[acct["id"]] = records
        cls.routes = s.routes(cls.std["opid"])

    def get(self, acct, name, status=200, **params):
        return self.assertStatus(self.srv.analytics(acct["id"], name, **params), status, f"{name} {params}")

    def check(self, acct, name, **f):
        answer = self.get(acct, name, granularity="minute", **query(DAY, DAY, **f))
        figures = traffic_of if name == "traffic" else incomplete_of
        want_series, want_totals = by_minute(self.records[acct["id"]], DAY, figures, **f)
        self.assertEqual(len(answer["series"]), 1440)
        self.assertEqual(answer["series"], want_series, f"{name} {f}")
        self.assertEqual(answer["totals"], want_totals, f"{name} {f}")
        self.assertEqual(answer["filters"]["granularity"], "minute")
        return answer

    def test_traffic_and_incomplete_by_minute_with_each_filter(self):
        for acct in (self.free, self.std):
            ans = list(self.srv.routes(acct["opid"]))
            for f in ({}, {"an": [ans[0]]}, {"hours": "9-18"}, {"hours": "22-6"},
                      {"weekday": ["wed"]}, {"weekday": ["thu"]}):
                for name in ("traffic", "incomplete"):
                    with self.subTest(plan=acct["plan"], name=name, filters=f):
                        self.check(acct, name, **f)
        answer = self.check(self.free, "traffic")
        self.assertEqual(answer["series"][0]["t"], f"{DAY}T00:00")
        self.assertEqual(answer["series"][-1]["t"], f"{DAY}T23:59")
        self.assertGreaterEqual(answer["series"][9 * 60 + 5]["calls"], 3)  # the edge calls of 09:05

    def test_minute_sums_are_the_hours_sums(self):
        for acct in (self.free, self.std):
            minutes = self.get(acct, "traffic", granularity="minute", **query(DAY, DAY))
            hours = self.get(acct, "traffic", granularity="hour", **query(DAY, DAY))
            self.assertEqual(minutes["totals"], hours["totals"])
            for h, row in enumerate(hours["series"]):
                calls = sum(m["calls"] for m in minutes["series"][h * 60:(h + 1) * 60])
                self.assertEqual(calls, row["calls"], row["t"])

    def test_dn_by_minute_on_standard(self):
        dns = sorted({d for ds in self.routes.values() for d in ds})
        ans = list(self.routes)
        for f in ({"dn": [dns[0]]}, {"dn": dns}, {"dn": [dns[0]], "an": [ans[0]]}):
            with self.subTest(filters=f):
                answer = self.check(self.std, "traffic", **f)
                self.assertEqual(answer["filters"]["dn"], f["dn"])
        body = self.get(self.free, "traffic", status=403, granularity="minute", dn=dns[0], **query(DAY, DAY))
        self.assertEqual(body["error"]["code"], "plan_required")

    def test_compare_by_minute(self):
        records = self.records[self.free["id"]]
        answer = self.get(self.free, "compare", granularity="minute", **query(DAY, DAY))
        self.assertEqual(answer["filters"]["b_from"], str(BEFORE))
        self.assertEqual(answer["filters"]["b_to"], str(BEFORE))
        self.assertEqual(len(answer["series"]), 1440)
        a_series, a_totals = by_minute(records, DAY, traffic_of)
        b_series, b_totals = by_minute(records, BEFORE, traffic_of)
        for figure in ("calls", "completed", "incomplete", "talk_seconds"):
            self.assertEqual(answer["totals"][figure]["a"], a_totals[figure], figure)
            self.assertEqual(answer["totals"][figure]["b"], b_totals[figure], figure)
        for i in (0, 9 * 60 + 5, 1439):
            row = answer["series"][i]
            self.assertEqual(row["t"], a_series[i]["t"])
            self.assertEqual(row["t_b"], b_series[i]["t"])
            self.assertEqual(row["calls"]["a"], a_series[i]["calls"])
            self.assertEqual(row["calls"]["b"], b_series[i]["calls"])
        # B named: one day, anywhere in the retention; two days are refused.
        same = self.get(self.free, "compare", granularity="minute", b_from=str(DAY), **query(DAY, DAY))
        self.assertEqual(same["totals"]["calls"]["a"], same["totals"]["calls"]["b"])
        # A day far ahead holds nothing (its month number must not wrap onto a month with calls).
        ahead = self.get(self.free, "compare", granularity="minute", b_from="7488-03-18", **query(DAY, DAY))
        self.assertEqual(ahead["totals"]["calls"]["b"], 0)
        self.assertEqual(ahead["series"][0]["t_b"], "7488-03-18T00:00")
        body = self.get(self.free, "compare", status=400, granularity="minute", b_from=str(BEFORE - dt.timedelta(days=1)),
                        b_to=str(BEFORE), **query(DAY, DAY))
        self.assertEqual(body["error"]["field"], "granularity")

    def test_more_than_one_day_is_refused(self):
        for name in ("traffic", "compare", "incomplete"):
            with self.subTest(name=name):
                body = self.get(self.free, name, status=400, granularity="minute", **query(BEFORE, DAY))
                self.assertEqual(body["error"]["code"], "invalid_parameter")
                self.assertEqual(body["error"]["field"], "granularity")

    def test_csv_by_minute(self):
        status, _, body = self.srv.analytics(self.free["id"], "traffic", raw=True, format="csv",
                                             granularity="minute", **query(DAY, DAY))
        self.assertEqual(status, 200, body[:200])
        rows = body[3:].decode("utf-8").rstrip("\r\n").split("\r\n")
        self.assertEqual(len(rows), 1 + 1440)
        self.assertTrue(rows[1 + 9 * 60 + 5].startswith(f"{DAY}T09:05,"), rows[1 + 9 * 60 + 5])

    def test_a_restart_reads_the_same_minutes(self):
        before = self.check(self.std, "traffic", dn=[sorted(self.routes[list(self.routes)[0]])[0]])
        self.srv.restart(hard=True)
        after = self.check(self.std, "traffic", dn=[sorted(self.routes[list(self.routes)[0]])[0]])
        self.assertEqual(after, before)


class MinutePlanChanges(ServerTestCase):
    """The dn filter by minute counts what the per-DN figures count: from the change to
    standard on, and nothing kept from before a move to free."""

    def test_dn_minutes_go_with_the_move_to_free(self):
        s = self.srv
        acct = s.create_account(registered="2026-06-01")
        an, dn = s.first_route(acct["opid"])
        path = f"/admin/accounts/{acct['id']}/plan"
        upgrade = {"plan": "standard", "billing_an": an, "billing_phone": "0312345678"}
        self.assertStatus(s.admin("POST", path, upgrade), 200)
        today = "2026-11-20"
        s.ingest_all([cdr(f"c{i}", f"{today}T09:0{i}:00+09:00", an, "completed", 60, dn=dn) for i in range(3)])

        def minutes(**f):
            return self.assertStatus(s.analytics(acct["id"], "traffic", granularity="minute",
                                                 **{"from": today, "to": today, **f}), 200)

        self.assertEqual(minutes(dn=dn)["totals"]["calls"], 3)
        self.assertStatus(s.admin("POST", path, {"plan": "free", "confirm": True}), 200)
        self.assertEqual(minutes()["totals"]["calls"], 3)  # basic data stays
        self.assertStatus(s.admin("POST", path, upgrade), 200)
        # Back on standard the same day: as the hourly per-DN figures, nothing from before.
        hourly = self.assertStatus(s.analytics(acct["id"], "traffic", dn=dn, **{"from": today, "to": today}), 200)
        self.assertEqual(hourly["totals"]["calls"], 0)
        self.assertEqual(minutes(dn=dn)["totals"]["calls"], 0)
        self.assertEqual(minutes()["totals"]["calls"], 3)


if __name__ == "__main__":
    import unittest
    unittest.main()
