"""The eight detailed analyses (SPEC §7 detailed 01-08, §14 "Answers", §15 "Detailed data")
against the real server: every figure is computed here, independently, from the records sent;
each filter, month ends, empty ranges, calls across hours and midnight, CSV, English names, plan
gating, isolation, the detailed window (registration, plan change, cut ranges) and a restart."""

import collections
import csv
import datetime as dt
import io
import random
import unittest

from cxs_harness import JST, WEEKDAYS, ServerTestCase, cdr, in_hours, start_jst

TODAY = dt.date(2026, 11, 20)            # the harness's fixed clock
WINDOW = dt.date(2026, 9, 1)             # 3 months: the current JST month and the two before
DETAILED = ("origin", "destination", "origin-destination", "numbers", "calls-minutes", "callers",
            "lines", "distribution")
NAMES_JA = {"00": "不明", "01": "北海道", "13": "東京都", "27": "大阪府", "40": "福岡県"}
NAMES_EN = {"00": "Unknown", "01": "Hokkaido", "13": "Tokyo", "27": "Osaka", "40": "Fukuoka"}
REASONS = ("busy", "no_answer", "abandoned", "out_of_hours", "area_restricted", "congestion", "other")
TALK_EDGES = (30, 60, 180, 300, 600, 1800)
TALK_LABELS = ("0-30", "30-60", "60-180", "180-300", "300-600", "600-1800", "1800+")
BANDS = ("0-6", "6-9", "9-12", "12-15", "15-18", "18-21", "21-24")


def half_up(num: int, den: int, scale: int) -> float:
    return (num * scale * 2 + den) // (2 * den) / scale


def erlang_b_row(a: float, last: int) -> list[float]:
    b, out = 1.0, [1.0]
    for n in range(1, last + 1):
        b = a * b / (n + a * b)
        out.append(b)
    return out


def make_records(seed: int, routes: dict, first: dt.date, last: dt.date, per_day: int,
                 prefix: str) -> list[dict]:
    """Seeded calls with explicit prefectures, callers from a small pool (so that callers
    repeat), withheld callers, long calls that cross hours and midnight."""
    rnd = random.Random(seed)
    callers = [f"03{rnd.randrange(10**8):08d}" for _ in range(120)]
    ans = list(routes)
    prefs = ("13", "13", "27", "01", "40", "00")
    out, n, day = [], 0, first
    while day <= last:
        for _ in range(per_day):
            an = rnd.choice(ans)
            hour = rnd.choice((0, 2, 8, 9, 9, 10, 11, 13, 14, 17, 20, 22, 23))
            start = dt.datetime(day.year, day.month, day.day, hour, rnd.randrange(60),
                                rnd.randrange(60), tzinfo=JST)
            result = "completed" if rnd.random() < 0.6 else rnd.choice(REASONS)
            duration = 0
            if result == "completed":
                duration = rnd.choice((rnd.randrange(1, 200), rnd.randrange(200, 1000),
                                       rnd.randrange(1800, 5400)))
            caller = "" if rnd.random() < 0.1 else rnd.choice(callers)
            dn = rnd.choice(routes[an]) if result == "completed" or rnd.random() < 0.5 else ""
            out.append(cdr(f"{prefix}-{n}", start, an, result, duration, dn=dn, caller=caller,
                           origin_pref=rnd.choice(prefs), dest_pref=rnd.choice(prefs)))
            n += 1
        day += dt.timedelta(days=1)
    return out


class Model:
    """The analyses, computed from the records the account keeps as detailed data."""

    def __init__(self, records: list[dict], ans: list[str], window: dt.date = WINDOW):
        self.window = window
        self.records = [r for r in records if start_jst(r).date() >= window]
        self.ans = ans

    @staticmethod
    def numbers_match(r, an=None, dn=None) -> bool:
        return (not an or r["an"] in an) and (not dn or r["dn"] in dn)

    def select(self, frm, to, an=None, dn=None, weekday=None, hours=None) -> list[dict]:
        out = []
        for r in self.records:
            t = start_jst(r)
            if not frm <= t.date() <= to or not self.numbers_match(r, an, dn):
                continue
            if weekday and WEEKDAYS[t.weekday()] not in weekday:
                continue
            if in_hours(t.hour, hours):
                out.append(r)
        return out

    def pref_rows(self, rs, key, names):
        calls = collections.Counter(r[key] for r in rs)
        done = collections.Counter(r[key] for r in rs if r["result"] == "completed")
        return [{"pref": p, "name": names[p], "calls": calls[p], "completed": done[p]}
                for p in sorted(calls, key=lambda p: (-calls[p], p))]

    def answer(self, name, frm, to, names=NAMES_JA, gos=0.01, granularity=None, **f):
        rs = self.select(frm, to, **f)
        completed = [r for r in rs if r["result"] == "completed"]
        if name in ("origin", "destination"):
            key = "origin_pref" if name == "origin" else "dest_pref"
            return {"rows": self.pref_rows(rs, key, names),
                    "totals": {"calls": len(rs), "completed": len(completed)}}
        if name == "origin-destination":
            cells = collections.Counter((r["origin_pref"], r["dest_pref"]) for r in rs)
            return {"cells": [{"origin": o, "destination": d, "calls": c} for (o, d), c in
                              sorted(cells.items(), key=lambda kv: (-kv[1], kv[0]))]}
        if name == "numbers":
            rows = []
            for an in (f.get("an") or self.ans):
                mine = [r for r in rs if r["an"] == an]
                done = [r for r in mine if r["result"] == "completed"]
                talk = sum(int(r["duration_s"]) for r in mine)
                hours = collections.Counter(start_jst(r).hour for r in mine)
                busiest = min(hours, key=lambda h: (-hours[h], h)) if hours else None
                rows.append({"an": an, "calls": len(mine), "completed": len(done),
                             "completion_rate": half_up(len(done), len(mine), 10000) if mine else None,
                             "talk_seconds": talk,
                             "mean_talk_seconds": half_up(talk, len(done), 100) if done else None,
                             "busiest_hour": busiest})
            return {"rows": rows}
        if name == "calls-minutes":
            size = {"minute": 60, "hour": 3600, "day": 86400}[granularity]
            base = dt.datetime(frm.year, frm.month, frm.day, tzinfo=JST)
            count = ((to - frm).days + 1) * 86400 // size
            buckets = [[0, 0, 0] for _ in range(count)]
            for r in rs:
                i = int((start_jst(r) - base).total_seconds()) // size
                buckets[i][0] += 1
                buckets[i][1] += r["result"] == "completed"
                buckets[i][2] += int(r["duration_s"])
            fmt = {"minute": "%Y-%m-%dT%H:%M", "hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d"}[granularity]
            return {"series": [{"t": (base + dt.timedelta(seconds=i * size)).strftime(fmt),
                                "calls": c, "completed": d, "talk_seconds": s,
                                "talk_minutes": half_up(s, 60, 100)}
                               for i, (c, d, s) in enumerate(buckets)]}
        if name == "callers":
            counts = collections.Counter(r["caller"] for r in rs if r["caller"])
            first = {}
            for r in self.records:
                if r["caller"] and self.numbers_match(r, f.get("an"), f.get("dn")):
                    t = start_jst(r)
                    if t.date() <= to:
                        first[r["caller"]] = min(first.get(r["caller"], t), t)
            new = sum(1 for c in counts if first[c].date() >= frm)
            repeat = {"1": 0, "2": 0, "3": 0, "4-5": 0, "6-9": 0, "10+": 0}
            for k in counts.values():
                repeat["1" if k == 1 else "2" if k == 2 else "3" if k == 3 else
                       "4-5" if k <= 5 else "6-9" if k <= 9 else "10+"] += 1
            return {"distinct_callers": len(counts), "withheld_calls": sum(not r["caller"] for r in rs),
                    "new_callers": new, "returning_callers": len(counts) - new, "repeat": repeat}
        if name == "lines":
            base = dt.datetime(frm.year, frm.month, frm.day, tzinfo=JST)
            hours = ((to - frm).days + 1) * 24
            spans = sorted((int((start_jst(r) - base).total_seconds()),
                            int((start_jst(r) - base).total_seconds()) + int(r["duration_s"]))
                           for r in completed if int(r["duration_s"]) > 0)
            offered = [0] * hours
            for s, e in spans:
                offered[s // 3600] += e - s
            series = []
            for h in range(hours):
                lo, hi = h * 3600, (h + 1) * 3600
                inside = [(s, e) for s, e in spans if s < hi and e > lo]
                moments = [lo] + [s for s, _ in inside if s >= lo]
                peak = max((sum(1 for s, e in inside if s <= m < e) for m in moments), default=0)
                series.append({"t": (base + dt.timedelta(hours=h)).strftime("%Y-%m-%dT%H"),
                               "peak": peak, "erlangs": half_up(offered[h], 3600, 10000)})
            out = {"series": series, "gos": gos}
            if not any(offered):
                return dict(out, busy_hour=None, erlangs=0.0, recommended_lines=0, table=[])
            busy = min(range(hours), key=lambda h: (-offered[h], h))
            a = offered[busy] / 3600
            row = erlang_b_row(a, 100000 if a > 1000 else 2000)
            need = next(n for n, b in enumerate(row) if b <= gos)
            return dict(out, busy_hour=series[busy]["t"], erlangs=half_up(offered[busy], 3600, 10000),
                        recommended_lines=need,
                        table=[{"lines": n, "blocking": row[n]} for n in range(max(1, need - 5), need + 6)])
        if name == "distribution":
            heat = collections.Counter((start_jst(r).weekday(), start_jst(r).hour) for r in rs)
            talk = collections.Counter(sum(int(r["duration_s"]) >= e for e in TALK_EDGES) for r in completed)
            bands = collections.Counter(0 if start_jst(r).hour < 6 else (start_jst(r).hour - 6) // 3 + 1
                                        for r in rs)
            return {"heatmap": [{"weekday": WEEKDAYS[d], "hour": h, "calls": heat[(d, h)]}
                                for d in range(7) for h in range(24)],
                    "talk_time": [{"bucket": TALK_LABELS[i], "calls": talk[i]} for i in range(7)],
                    "bands": [{"band": BANDS[i], "calls": bands[i]} for i in range(7)]}
        raise ValueError(name)


def query(frm=None, to=None, **f) -> dict:
    q = {k: ",".join(v) if isinstance(v, (list, tuple)) else v for k, v in f.items() if v}
    if frm:
        q["from"] = str(frm)
    if to:
        q["to"] = str(to)
    return q


class Detailed(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.std = s.create_account(plan="standard", registered="2026-06-01")
        cls.free = s.create_account(registered="2026-06-01")
        cls.other = s.create_account(plan="standard", registered="2026-06-01")
        cls.routes = s.routes(cls.std["opid"])
        cls.ans = list(cls.routes)
        cls.dns = sorted({d for ds in cls.routes.values() for d in ds})
        cls.other_routes = s.routes(cls.other["opid"])
        cls.records = make_records(7, cls.routes, dt.date(2026, 8, 25), dt.date(2026, 11, 19), 30, "d")
        # Edge cases: a call across midnight, one at the last second of a month, one across hours.
        an, dn = cls.ans[0], cls.routes[cls.ans[0]][0]
        cls.records += [
            cdr("edge-midnight", "2026-10-31T23:50:00+09:00", an, "completed", 1800, dn=dn,
                caller="0311112222", origin_pref="13", dest_pref="13"),
            cdr("edge-month-end", "2026-09-30T14:59:59Z", an, "completed", 30, dn=dn,
                caller="0311112222", origin_pref="27", dest_pref="13"),
            cdr("edge-hours", "2026-11-02T09:59:30+09:00", an, "completed", 120, dn=dn,
                origin_pref="40", dest_pref="01"),
        ]
        other = make_records(8, cls.other_routes, dt.date(2026, 10, 1), dt.date(2026, 11, 19), 5, "o")
        got = s.ingest_all(cls.records + other)
        if got["accepted"] != len(cls.records) + len(other):
            raise AssertionError(f"set-up ingest: {got}")
        cls.model = Model(cls.records, cls.ans)

    def get(self, name, account=None, status=200, headers=None, **params):
        account = account or self.std
        result = self.srv.admin("GET", f"/admin/accounts/{account['id']}/analytics/{name}",
                                params=params, headers=headers)
        return self.assertStatus(result, status, f"{name} {params}")

    def check(self, name, frm, to, params=None, **f):
        params = dict(params or {})
        answer = self.get(name, **query(frm, to, **f), **params)
        granularity = answer["filters"].get("granularity")
        want = self.model.answer(name, frm, to, gos=float(params.get("gos", 0.01)),
                                 granularity=granularity, **f)
        for key, value in want.items():
            if key == "table":
                self.assertEqual([r["lines"] for r in answer[key]], [r["lines"] for r in value])
                for got, exp in zip(answer[key], value):
                    self.assertAlmostEqual(got["blocking"], exp["blocking"], delta=1.5e-6)
            else:
                self.assertEqual(answer[key], value, f"{name} {key} {f} {params}")
        self.assertEqual(answer["filters"]["from"], str(frm))
        self.assertEqual(answer["filters"]["to"], str(to))
        return answer

    # -- every analysis over the detailed window and with each filter ------------------------------

    def test_defaults_cover_the_detailed_window(self):
        for name in DETAILED:
            with self.subTest(name=name):
                answer = self.get(name)
                self.assertEqual(answer["filters"]["from"], str(WINDOW))
                self.assertEqual(answer["filters"]["to"], str(TODAY))
        # The window's figures: nothing from before 2026-09-01, though those calls were kept as
        # basic data.
        answer = self.check("origin", WINDOW, TODAY)
        before = [r for r in self.records if start_jst(r).date() < WINDOW]
        self.assertGreater(len(before), 0)
        self.assertEqual(answer["totals"]["calls"], len(self.records) - len(before))
        traffic = self.get("traffic", **{"from": "2026-08-25", "to": "2026-11-19"})
        self.assertEqual(traffic["totals"]["calls"], len(self.records))

    def test_each_analysis_with_each_filter(self):
        frm, to = dt.date(2026, 10, 20), dt.date(2026, 11, 5)
        filters = ({}, {"an": [self.ans[0]]}, {"an": self.ans[:2]}, {"dn": [self.dns[0]]},
                   {"weekday": ["mon", "sat"]}, {"hours": "9-18"}, {"hours": "22-6"},
                   {"an": [self.ans[-1]], "weekday": ["tue"], "hours": "8-12"})
        for name in DETAILED:
            for f in filters:
                if name == "lines" and f.get("hours") == "22-6":
                    continue  # one band is enough for the slowest model
                with self.subTest(name=name, filters=f):
                    self.check(name, frm, to, **f)

    def test_month_end_midnight_and_hour_crossings(self):
        frm, to = dt.date(2026, 10, 31), dt.date(2026, 11, 1)
        for name in DETAILED:
            with self.subTest(name=name):
                self.check(name, frm, to)
        lines = self.get("lines", **query(frm, to, an=[self.ans[0]]))
        # The call from 23:50 for 30 minutes occupies a line in the first hour of November.
        first_nov = next(b for b in lines["series"] if b["t"] == "2026-11-01T00")
        self.assertGreaterEqual(first_nov["peak"], 1)
        self.check("lines", dt.date(2026, 11, 2), dt.date(2026, 11, 2), an=[self.ans[0]])
        self.check("calls-minutes", dt.date(2026, 9, 30), dt.date(2026, 10, 1))

    def test_an_empty_range_answers_empty_figures(self):
        for name in DETAILED:
            with self.subTest(name=name):
                self.check(name, TODAY, TODAY)
        self.assertEqual(self.get("origin", **query(TODAY, TODAY))["rows"], [])

    def test_calls_minutes_granularities(self):
        day = dt.date(2026, 11, 2)
        answer = self.check("calls-minutes", day, day, {"granularity": "minute"})
        self.assertEqual(len(answer["series"]), 1440)
        self.assertEqual(answer["series"][0]["t"], "2026-11-02T00:00")
        week = self.check("calls-minutes", dt.date(2026, 11, 1), dt.date(2026, 11, 7))
        self.assertEqual(week["filters"]["granularity"], "hour")
        longer = self.check("calls-minutes", dt.date(2026, 11, 1), dt.date(2026, 11, 8))
        self.assertEqual(longer["filters"]["granularity"], "day")
        for params, field in (({"granularity": "month"}, "granularity"),
                              ({"granularity": "minute", "from": "2026-11-01", "to": "2026-11-02"},
                               "granularity")):
            with self.subTest(params=params):
                body = self.get("calls-minutes", status=400, **params)
                self.assertEqual(body["error"]["code"], "invalid_parameter")
                self.assertEqual(body["error"]["field"], field)

    def test_lines_gos(self):
        frm, to = dt.date(2026, 11, 1), dt.date(2026, 11, 14)
        strict = self.check("lines", frm, to, {"gos": "0.001"})
        loose = self.check("lines", frm, to, {"gos": "0.05"})
        self.assertGreater(strict["recommended_lines"], loose["recommended_lines"])
        self.assertEqual(loose["gos"], 0.05)
        for bad in ("0", "1", "1.5", "-0.01", "abc", "0.01x"):
            with self.subTest(gos=bad):
                body = self.get("lines", status=400, gos=bad)
                self.assertEqual(body["error"]["field"], "gos")

    # -- files, names ---------------------------------------------------------------------------

    def test_csv_of_each_analysis(self):
        frm, to = dt.date(2026, 11, 1), dt.date(2026, 11, 3)
        heads = {"origin": "pref,name,calls,completed",
                 "destination": "pref,name,calls,completed",
                 "origin-destination": "origin,origin_name,destination,destination_name,calls",
                 "numbers": "an,calls,completed,completion_rate,talk_seconds,mean_talk_seconds,busiest_hour",
                 "calls-minutes": "t,calls,completed,talk_seconds,talk_minutes",
                 "callers": "figure,value", "lines": "t,peak,erlangs", "distribution": "table,key,calls"}
        for name in DETAILED:
            with self.subTest(name=name):
                status, headers, body = self.srv.analytics(self.std["id"], name, raw=True,
                                                           format="csv", **query(frm, to))
                self.assertEqual(status, 200, body[:300])
                self.assertTrue(headers["Content-Type"].startswith("text/csv"))
                self.assertIn(f"{name}_2026-11-01_2026-11-03.csv", headers["Content-Disposition"])
                self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
                text = body[3:].decode("utf-8")
                self.assertTrue(text.endswith("\r\n"))
                rows = list(csv.reader(io.StringIO(text)))
                self.assertEqual(",".join(rows[0]), heads[name])
                want = self.model.answer(name, frm, to, granularity="hour")
                if name in ("origin", "destination", "numbers"):
                    self.assertEqual(len(rows) - 1, len(want["rows"]))
                    self.assertEqual(rows[1][0], str(want["rows"][0][rows[0][0]]))
                elif name == "origin-destination":
                    self.assertEqual(len(rows) - 1, len(want["cells"]))
                elif name in ("calls-minutes", "lines"):
                    self.assertEqual(len(rows) - 1, 72)
                elif name == "callers":
                    self.assertEqual(rows[1], ["distinct_callers", str(want["distinct_callers"])])
                else:
                    self.assertEqual(len(rows) - 1, 168 + 7 + 7)

    def test_csv_for_people_of_each_analysis(self):
        """SPEC §19: every detailed CSV has words for headings with headers=ja|en, the same rows,
        and talk time as h:mm:ss beside each column of seconds."""
        frm, to = dt.date(2026, 11, 1), dt.date(2026, 11, 3)
        for name in DETAILED:
            machine = self.csv_rows(name, frm, to)
            for lang in ("ja", "en"):
                with self.subTest(name=name, lang=lang):
                    people = self.csv_rows(name, frm, to, headers=lang)
                    self.assertEqual(len(people), len(machine))
                    seconds = [c for c in machine[0] if c in ("talk_seconds", "mean_talk_seconds")]
                    self.assertEqual(len(people[0]), len(machine[0]) + len(seconds))
                    self.assertFalse(set(people[0]) & set(machine[0]) - {"calls"},
                                     f"every heading is a word: {people[0]}")
                    for column in seconds:
                        at = machine[0].index(column)
                        at_people = at + sum(1 for c in machine[0][:at] if c in seconds)
                        for m, p in zip(machine[1:], people[1:]):
                            self.assertEqual(p[at_people], m[at])
                            h, mi, sec = (int(x) for x in p[at_people + 1].split(":"))
                            self.assertEqual(h * 3600 + mi * 60 + sec, round(float(m[at]) + 1e-9))
        self.assertEqual(self.csv_rows("numbers", frm, to, headers="ja")[0][:3], ["番号（AN）", "呼数", "完了呼数"])

    def csv_rows(self, name, frm, to, **params):
        status, _, body = self.srv.analytics(self.std["id"], name, raw=True, format="csv", **query(frm, to), **params)
        self.assertEqual(status, 200, body[:300])
        return list(csv.reader(io.StringIO(body[3:].decode("utf-8"))))

    def test_prefecture_names_in_english(self):
        frm, to = dt.date(2026, 11, 1), dt.date(2026, 11, 10)
        answer = self.get("origin", headers={"Accept-Language": "en"}, **query(frm, to))
        self.assertEqual(answer["rows"], self.model.answer("origin", frm, to, names=NAMES_EN)["rows"])
        od = self.get("origin-destination", headers={"Accept-Language": "en-US,en;q=0.9"}, **query(frm, to))
        self.assertEqual(od["names"]["13"], "Tokyo")
        self.assertEqual(self.get("origin-destination", **query(frm, to))["names"]["13"], "東京都")

    # -- the plan, the account, the window --------------------------------------------------------

    def test_free_accounts_get_plan_required(self):
        for name in DETAILED:
            with self.subTest(name=name):
                body = self.get(name, account=self.free, status=403)
                self.assertEqual(body["error"]["code"], "plan_required")
        free_dn = self.srv.routes(self.free["opid"])
        dn = next(d for ds in free_dn.values() for d in ds)
        body = self.get("traffic", account=self.free, status=403, dn=dn)
        self.assertEqual(body["error"]["code"], "plan_required")
        # SPEC §15: before any value is looked at — a malformed DN, a group with a bad date, custom
        # data beside another account's AN.
        other_an = list(self.other_routes)[0]
        for params in ({"dn": "abc"}, {"an_group": "g", "from": "2026-13-01"},
                       {"custom": "x", "an": other_an}):
            with self.subTest(params=params):
                body = self.get("traffic", account=self.free, status=403, **params)
                self.assertEqual(body["error"]["code"], "plan_required")

    def test_another_accounts_numbers_are_not_found(self):
        other_an = list(self.other_routes)[0]
        other_dn = self.other_routes[other_an][0]
        for name in DETAILED:
            for params in ({"an": other_an}, {"dn": other_dn}, {"an": f"{self.ans[0]},{other_an}"}):
                with self.subTest(name=name, params=params):
                    body = self.get(name, status=404, **params)
                    self.assertEqual(body["error"]["code"], "not_found")
                    self.assertNotIn("rows", body)

    def test_ranges_are_cut_to_the_window(self):
        answer = self.get("origin", **{"from": "2026-07-01", "to": "2026-09-10"})
        self.assertEqual(answer["filters"]["from"], str(WINDOW))
        self.assertEqual(answer["rows"], self.model.answer("origin", WINDOW, dt.date(2026, 9, 10))["rows"])
        body = self.get("origin", status=400, **{"from": "2026-07-01", "to": "2026-08-31"})
        self.assertEqual(body["error"]["field"], "to")
        body = self.get("origin", status=400, **{"from": "2026-13-01"})
        self.assertEqual(body["error"]["field"], "from")


class DetailedLifecycle(ServerTestCase):
    """Detailed data follows ingest after it is loaded, survives a restart, and starts at a
    change to the standard plan."""

    def test_ingest_after_loading_and_a_restart(self):
        s = self.srv
        acct = s.create_account(plan="standard", registered="2026-10-01")
        routes = s.routes(acct["opid"])
        records = make_records(11, routes, dt.date(2026, 10, 1), dt.date(2026, 11, 10), 10, "l")
        s.ingest_all(records)
        frm, to = dt.date(2026, 10, 1), TODAY
        model = Model(records, list(routes), window=dt.date(2026, 10, 1))

        def same(records_now):
            m = Model(records_now, list(routes), window=dt.date(2026, 10, 1))
            for name in ("origin", "callers", "numbers"):
                got = self.assertStatus(s.analytics(acct["id"], name), 200, name)
                want = m.answer(name, frm, to)
                for key, value in want.items():
                    self.assertEqual(got[key], value, f"{name} {key}")

        same(records)                                   # loads from storage
        more = make_records(12, routes, dt.date(2026, 11, 11), dt.date(2026, 11, 19), 10, "m")
        self.assertEqual(s.ingest_all(more + records[:20])["accepted"], len(more))  # and duplicates
        same(records + more)                            # kept up to date in memory
        s.restart()
        same(records + more)                            # read again from storage
        del model

    def test_a_change_to_standard_starts_detailed_data_that_day(self):
        s = self.srv
        acct = s.create_account(registered="2026-06-01")
        routes = s.routes(acct["opid"])
        an = list(routes)[0]
        before = make_records(13, routes, dt.date(2026, 11, 1), dt.date(2026, 11, 19), 5, "b")
        s.ingest_all(before)
        status, _, body = s.admin("POST", f"/admin/accounts/{acct['id']}/plan",
                                  {"plan": "standard", "billing_an": an, "billing_phone": "0312345678"})
        self.assertEqual(status, 200, body)
        today = [cdr("t-1", "2026-11-20T09:00:00+09:00", an, "completed", 60, dn=routes[an][0],
                     caller="0311113333", origin_pref="13", dest_pref="13"),
                 cdr("t-2", "2026-11-19T09:00:00+09:00", an, "completed", 60, dn=routes[an][0],
                     caller="0311113333", origin_pref="13", dest_pref="13")]  # a late record of yesterday
        self.assertEqual(s.ingest(today)["accepted"], 2)
        answer = self.assertStatus(s.analytics(acct["id"], "origin"), 200)
        self.assertEqual(answer["filters"]["from"], "2026-11-20")
        self.assertEqual(answer["totals"]["calls"], 1)
        # SPEC §19: hours cover at most 31 days, counted on the range left after the window's cut.
        hourly = self.assertStatus(s.analytics(acct["id"], "calls-minutes", granularity="hour",
                                               **{"from": "2026-09-01"}), 200)
        self.assertEqual(hourly["filters"]["from"], "2026-11-20")
        self.assertEqual(hourly["totals"]["calls"], 1)
        traffic = self.assertStatus(s.analytics(acct["id"], "traffic", **{"from": "2026-11-01"}), 200)
        self.assertEqual(traffic["totals"]["calls"], len(before) + 2)


if __name__ == "__main__":
    unittest.main()
