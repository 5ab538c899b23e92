"""Basic analyses 01-04 (traffic by hour/day/month, compare, incomplete) and their filters,
CSV answers and errors (SPEC §7, §11, §13, §14).

A seeded set of generated CDRs with known content is ingested once; every expected figure is
computed here, independently, from the records sent (cxs_harness.expected)."""

import csv
import datetime as dt
import io
import unittest

from cxs_harness import (FIGURES, REASONS, UNREGISTERED_AN, ServerTestCase, bucket_labels,
                         expected, generated, rate)

A_FROM, A_TO = "2026-07-01", "2026-11-19"      # data of account A; today is 2026-11-20
SUMS = ("calls", "completed", "incomplete", "talk_seconds")


def rng(date_from, date_to, **more):
    return dict({"from": date_from, "to": date_to}, **more)


class Analytics(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.a = s.create_account(registered="2025-06-01")
        cls.b = s.create_account(registered="2025-06-01")          # no data at all
        cls.c = s.create_account(registered="2025-06-01")          # someone else
        cls.routes = s.routes(cls.a["opid"])
        cls.ans = list(cls.routes)
        cls.other_an = list(s.routes(cls.c["opid"]))[0]
        utc, ny = dt.timezone.utc, dt.timezone(dt.timedelta(hours=-5))
        cls.records = generated(42, cls.routes, A_FROM, A_TO, 40, id_prefix="an",
                                offsets=(utc, ny))
        got = s.ingest_all(cls.records)
        if got["accepted"] != len(cls.records):
            raise AssertionError(f"set-up ingest: {got}")

    def get(self, name, account=None, status=200, **params):
        account = account or self.a
        return self.assertStatus(self.srv.analytics(account["id"], name, **params), status,
                                 f"{name} {params}")

    def check_traffic(self, params, date_from, date_to, granularity, sparse=False, **filters):
        answer = self.get("traffic", **params)
        want = expected(self.records, date_from, date_to, granularity, **filters)
        self.assertSeries(answer, want, FIGURES, f"traffic {params}", sparse_zero_ok=sparse)
        return answer

    # -- traffic ------------------------------------------------------------------------------

    def test_daily(self):
        answer = self.check_traffic(rng("2026-10-01", "2026-10-31", granularity="day"),
                                    "2026-10-01", "2026-10-31", "day")
        self.assertEqual(len(answer["series"]), 31)
        self.assertEqual(answer["filters"]["from"], "2026-10-01")
        self.assertEqual(answer["filters"]["to"], "2026-10-31")
        self.assertGreater(answer["totals"]["calls"], 500)

    def test_monthly(self):
        answer = self.check_traffic(rng("2026-07-01", "2026-11-20", granularity="month"),
                                    "2026-07-01", "2026-11-20", "month")
        self.assertEqual([b["t"] for b in answer["series"]],
                         ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"])
        self.assertEqual(answer["totals"]["calls"], len(self.records))

    def test_hourly(self):
        answer = self.check_traffic(rng("2026-10-05", "2026-10-06", granularity="hour"),
                                    "2026-10-05", "2026-10-06", "hour")
        self.assertEqual(len(answer["series"]), 48)
        self.assertEqual(answer["series"][0]["t"], "2026-10-05T00")

    def test_defaults(self):
        answer = self.get("traffic")
        f = answer["filters"]
        self.assertEqual(f["to"], "2026-11-20")
        self.assertIn(f["from"], ("2026-08-20", "2026-08-21"), "three months back")
        self.assertEqual(f.get("granularity", "day"), "day")
        self.assertSeries(answer, expected(self.records, f["from"], f["to"], "day"), FIGURES,
                          "default traffic")
        # 年間トラフィック: granularity=month covers the whole retention window (free: 12 months).
        answer = self.get("traffic", granularity="month")
        self.assertEqual((answer["filters"]["from"], answer["filters"]["to"]),
                         ("2025-12-01", "2026-11-20"))
        self.assertSeries(answer, expected(self.records, "2025-12-01", "2026-11-20", "month"),
                          FIGURES, "annual traffic")
        self.assertEqual(len(answer["series"]), 12)

    def test_annual_view_starts_at_the_registration_month(self):
        """SPEC §19: month buckets without a from start at the registration month when the account
        is younger than the retention window; a from given is kept."""
        young = self.srv.create_account(registered="2026-07-15")
        answer = self.get("traffic", account=young, granularity="month")
        self.assertEqual((answer["filters"]["from"], answer["filters"]["to"]), ("2026-07-01", "2026-11-20"))
        self.assertEqual([b["t"] for b in answer["series"]], ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"])
        answer = self.get("traffic", account=young, granularity="month", **{"from": "2026-01-01"})
        self.assertEqual(answer["filters"]["from"], "2026-01-01", "a from given is the caller's")
        self.assertIn(self.get("traffic", account=young)["filters"]["from"], ("2026-08-20", "2026-08-21"),
                      "days keep their three months")

    def test_range_wider_than_retention_is_cut(self):
        answer = self.get("traffic", **rng("2020-01-01", "2026-11-20", granularity="month"))
        self.assertEqual(answer["filters"]["from"], "2025-12-01")
        self.assertEqual(answer["series"][0]["t"], "2025-12")
        self.assertEqual(len(answer["series"]), 12)
        answer = self.get("traffic", **rng("2025-01-01", "2026-01-10", granularity="day"))
        self.assertEqual(answer["filters"]["from"], "2025-12-01")
        self.assertEqual(answer["filters"]["to"], "2026-01-10")
        self.assertEqual([b["t"] for b in answer["series"]],
                         bucket_labels("2025-12-01", "2026-01-10", "day"))
        self.assertEqual(answer["totals"]["calls"], 0)

    def test_dense_zeros(self):
        answer = self.check_traffic(rng("2026-06-20", "2026-07-03"), "2026-06-20",
                                    "2026-07-03", "day")
        first = answer["series"][0]
        self.assertEqual((first["t"], first["calls"], first["completion_rate"]),
                         ("2026-06-20", 0, None))

    def test_weekday_filter(self):
        for params in ({"weekday": "sat,sun"}, {"weekday": ["sat", "sun"]}):
            with self.subTest(params=params):
                self.check_traffic(rng("2026-07-01", "2026-11-20", granularity="month",
                                       **params), "2026-07-01", "2026-11-20", "month",
                                   weekdays=("sat", "sun"))
                self.check_traffic(rng("2026-09-01", "2026-09-30", **params), "2026-09-01",
                                   "2026-09-30", "day", sparse=True, weekdays=("sat", "sun"))
        self.check_traffic(rng("2026-08-01", "2026-10-31", granularity="month", weekday="mon"),
                           "2026-08-01", "2026-10-31", "month", weekdays=("mon",))
        every = ",".join(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
        self.check_traffic(rng("2026-08-01", "2026-08-31", weekday=every), "2026-08-01",
                           "2026-08-31", "day")

    def test_hours_filter(self):
        for band in ("9-18", "22-6", "0-6", "18-24", "23-1"):
            with self.subTest(hours=band):
                self.check_traffic(rng("2026-07-01", "2026-11-20", granularity="month",
                                       hours=band), "2026-07-01", "2026-11-20", "month",
                                   hours=band)
                self.check_traffic(rng("2026-10-01", "2026-10-03", granularity="hour",
                                       hours=band), "2026-10-01", "2026-10-03", "hour",
                                   sparse=True, hours=band)
        whole = self.get("traffic", **rng("2026-08-01", "2026-08-31", hours="0-24"))
        plain = self.get("traffic", **rng("2026-08-01", "2026-08-31"))
        self.assertEqual(whole["series"], plain["series"])
        self.assertEqual(whole["totals"], plain["totals"])
        # Combined with the other filters.
        self.check_traffic(rng("2026-07-01", "2026-11-20", granularity="month", hours="22-6",
                               weekday="sat,sun", an=self.ans[0]),
                           "2026-07-01", "2026-11-20", "month", hours="22-6",
                           weekdays=("sat", "sun"), ans=[self.ans[0]])

    def test_an_filter(self):
        one, two = self.ans[0], self.ans[2]
        self.check_traffic(rng("2026-10-01", "2026-10-31", an=one), "2026-10-01", "2026-10-31",
                           "day", ans=[one])
        comma = self.get("traffic", **rng("2026-10-01", "2026-10-31", an=f"{one},{two}"))
        repeated = self.get("traffic", **rng("2026-10-01", "2026-10-31", an=[one, two]))
        want = expected(self.records, "2026-10-01", "2026-10-31", "day", ans=[one, two])
        self.assertSeries(comma, want, FIGURES, "an comma list")
        self.assertSeries(repeated, want, FIGURES, "an repeated")
        every = self.get("traffic", **rng("2026-10-01", "2026-10-31", an=",".join(self.ans)))
        self.assertSeries(every, expected(self.records, "2026-10-01", "2026-10-31", "day"),
                          FIGURES, "all ANs")

    def test_empty_account(self):
        for granularity, date_from, date_to in (("day", "2026-11-01", "2026-11-20"),
                                                ("hour", "2026-11-19", "2026-11-19"),
                                                ("month", "2026-01-01", "2026-11-20")):
            answer = self.get("traffic", account=self.b, granularity=granularity,
                              **rng(date_from, date_to))
            self.assertSeries(answer, expected([], date_from, date_to, granularity), FIGURES,
                              f"empty {granularity}")
            self.assertIsNone(answer["totals"]["completion_rate"])
        answer = self.get("incomplete", account=self.b, **rng("2026-11-01", "2026-11-20"))
        self.assertSeries(answer, expected([], "2026-11-01", "2026-11-20", "day",
                                           kind="incomplete"), REASONS + ("incomplete",))
        answer = self.get("compare", account=self.b, **rng("2026-11-01", "2026-11-07"))
        self.assertEqual(len(answer["series"]), 7)
        for bucket in answer["series"] + [answer["totals"]]:
            self.assertEqual(bucket["calls"], {"a": 0, "b": 0, "diff": 0, "ratio": None})

    # -- compare ------------------------------------------------------------------------------

    def check_compare(self, answer, a_from, a_to, b_from, b_to, an=None, b_an=None):
        a_series, a_tot = expected(self.records, a_from, a_to, "day", ans=an)
        b_series, b_tot = expected(self.records, b_from, b_to, "day", ans=b_an or an)
        self.assertEqual([x["t"] for x in answer["series"]], list(a_series),
                         "compare buckets carry A's labels")
        pairs = list(zip(answer["series"], a_series.values(), b_series.values()))
        pairs.append((answer["totals"], a_tot, b_tot))
        for got, a, b in pairs:
            for name in SUMS:
                want = {"a": a[name], "b": b[name], "diff": a[name] - b[name],
                        "ratio": rate(a[name], b[name])}
                self.assertIn(name, got, got)
                cell = got[name]
                self.assertEqual((cell["a"], cell["b"], cell["diff"]),
                                 (want["a"], want["b"], want["diff"]), f"{got.get('t')} {name}")
                if want["ratio"] is None:
                    self.assertIsNone(cell["ratio"], f"{got.get('t')} {name}")
                else:
                    self.assertAlmostEqual(cell["ratio"], want["ratio"], delta=1.0001e-4,
                                           msg=f"{got.get('t')} {name}")

    def test_compare_default_b_is_the_range_before(self):
        answer = self.get("compare", **rng("2026-10-01", "2026-10-14"))
        self.check_compare(answer, "2026-10-01", "2026-10-14", "2026-09-17", "2026-09-30")
        f = answer["filters"]
        self.assertEqual((f["from"], f["to"], f["b_from"], f["b_to"]),
                         ("2026-10-01", "2026-10-14", "2026-09-17", "2026-09-30"))

    def test_compare_explicit_b(self):
        answer = self.get("compare", **rng("2026-10-01", "2026-10-14", b_from="2026-08-01",
                                           b_to="2026-08-14"))
        self.check_compare(answer, "2026-10-01", "2026-10-14", "2026-08-01", "2026-08-14")

    def test_compare_an_against_b_an(self):
        one, two = self.ans[0], self.ans[1]
        answer = self.get("compare", **rng("2026-09-01", "2026-09-30", b_from="2026-09-01",
                                           b_to="2026-09-30", an=one, b_an=two))
        self.check_compare(answer, "2026-09-01", "2026-09-30", "2026-09-01", "2026-09-30",
                           an=[one], b_an=[two])

    def test_compare_ratio_null_when_b_is_zero(self):
        answer = self.get("compare", **rng("2026-07-01", "2026-07-14"))  # B: 06-17..06-30, empty
        self.check_compare(answer, "2026-07-01", "2026-07-14", "2026-06-17", "2026-06-30")
        for bucket in answer["series"] + [answer["totals"]]:
            self.assertIsNone(bucket["calls"]["ratio"])
            self.assertEqual(bucket["calls"]["b"], 0)
            self.assertEqual(bucket["calls"]["diff"], bucket["calls"]["a"])

    def test_compare_lists_every_bucket_of_both_ranges(self):
        """SPEC §19: September (30 days) against August (31): 31 rows, A's side null on the last,
        and the totals are the sums of the rows on both sides."""
        answer = self.get("compare", **rng("2026-09-01", "2026-09-30", b_from="2026-08-01",
                                           b_to="2026-08-31"))
        series = answer["series"]
        self.assertEqual(len(series), 31)
        self.assertEqual((series[30]["t"], series[30]["t_b"]), (None, "2026-08-31"))
        b_series, b_tot = expected(self.records, "2026-08-01", "2026-08-31", "day")
        self.assertEqual(series[30]["calls"], {"a": None, "b": b_series["2026-08-31"]["calls"],
                                               "diff": None, "ratio": None})
        a_series, _ = expected(self.records, "2026-09-01", "2026-09-30", "day")
        for row, (a_day, a), (b_day, b) in zip(series, a_series.items(), b_series.items()):
            self.assertEqual((row["t"], row["t_b"]), (a_day, b_day))  # the first 30 rows pair up
            for name in SUMS:
                self.assertEqual((row[name]["a"], row[name]["b"]), (a[name], b[name]), f"{a_day} {name}")
        for name in SUMS:
            self.assertEqual(answer["totals"][name]["b"], sum(r[name]["b"] for r in series), name)
            self.assertEqual(answer["totals"][name]["a"],
                             sum(r[name]["a"] for r in series if r[name]["a"] is not None), name)
        self.assertEqual(answer["totals"]["calls"]["b"], b_tot["calls"])

    def test_compare_aligned_by_weekday(self):
        # A: Wednesday 2026-10-07 .. Sunday 10-11; the range before (10-02, a Friday) moves back
        # to Wednesday 09-30 and keeps its five days.
        answer = self.get("compare", **rng("2026-10-07", "2026-10-11", align="weekday"))
        f = answer["filters"]
        self.assertEqual((f["b_from"], f["b_to"]), ("2026-09-30", "2026-10-04"))
        self.check_compare(answer, "2026-10-07", "2026-10-11", "2026-09-30", "2026-10-04")
        plain = self.get("compare", **rng("2026-10-07", "2026-10-11", align="date"))
        self.assertEqual(plain["filters"]["b_from"], "2026-10-02")

    def test_hourly_default_range_is_31_days(self):
        answer = self.get("traffic", granularity="hour")
        self.assertEqual((answer["filters"]["from"], answer["filters"]["to"]), ("2026-10-21", "2026-11-20"))
        self.assertEqual(len(answer["series"]), 31 * 24)

    # -- incomplete -----------------------------------------------------------------------------

    def test_incomplete_by_reason(self):
        names = REASONS + ("incomplete",)
        for params, granularity, date_from, date_to in (
                (rng("2026-10-01", "2026-10-31"), "day", "2026-10-01", "2026-10-31"),
                (rng("2026-07-01", "2026-11-20", granularity="month"), "month", "2026-07-01",
                 "2026-11-20")):
            answer = self.get("incomplete", **params)
            want = expected(self.records, date_from, date_to, granularity, kind="incomplete")
            self.assertSeries(answer, want, names, f"incomplete {params}")
            for reason in REASONS:
                self.assertGreater(answer["totals"][reason], 0, f"no {reason} in the data")
        answer = self.get("incomplete", **rng("2026-10-01", "2026-10-31", hours="22-6",
                                              an=self.ans[0]))
        self.assertSeries(answer, expected(self.records, "2026-10-01", "2026-10-31", "day",
                                           kind="incomplete", hours="22-6", ans=[self.ans[0]]),
                          names, "incomplete filtered")

    # -- CSV ------------------------------------------------------------------------------------

    def get_csv(self, name, account=None, **params):
        status, headers, body = self.srv.analytics((account or self.a)["id"], name, raw=True,
                                                   format="csv", **params)
        self.assertEqual(status, 200, body[:500])
        ctype = headers.get("Content-Type", "").lower().replace(" ", "")
        self.assertTrue(ctype.startswith("text/csv"), ctype)
        self.assertIn("charset=utf-8", ctype)
        disposition = headers.get("Content-Disposition", "")
        self.assertIn("filename", disposition)
        self.assertIn(".csv", disposition)
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"), f"no byte-order mark: {body[:20]!r}")
        self.assertEqual(body.count(b"\n"), body.count(b"\r\n"), "line ends must be CRLF")
        self.assertTrue(body.endswith(b"\r\n"))
        rows = list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))
        return rows[0], rows[1:]

    def test_csv_traffic(self):
        header, rows = self.get_csv("traffic", **rng("2026-10-01", "2026-10-31"))
        self.assertEqual(header[0], "t")
        for name in FIGURES:
            self.assertIn(name, header)
        series, _ = expected(self.records, "2026-10-01", "2026-10-31", "day")
        self.assertEqual([r[0] for r in rows], list(series), "one row per bucket, no extras")
        for row in rows:
            got = dict(zip(header, row))
            want = series[row[0]]
            for name in SUMS:
                self.assertEqual(int(got[name]), want[name], f"{row[0]} {name}")
            self.assertAlmostEqual(float(got["completion_rate"]), want["completion_rate"],
                                   delta=1.0001e-4)
        header, rows = self.get_csv("traffic", granularity="month",
                                    **rng("2026-07-01", "2026-11-20"))
        self.assertEqual([r[0] for r in rows], ["2026-07", "2026-08", "2026-09", "2026-10",
                                                "2026-11"])

    def test_csv_empty_rate_is_blank(self):
        header, rows = self.get_csv("traffic", account=self.b, **rng("2026-11-01", "2026-11-03"))
        self.assertEqual(len(rows), 3)
        for row in rows:
            got = dict(zip(header, row))
            self.assertEqual(int(got["calls"]), 0)
            self.assertEqual(got["completion_rate"], "", "null rate is an empty cell")

    def test_csv_compare(self):
        header, rows = self.get_csv("compare", **rng("2026-10-01", "2026-10-14"))
        self.assertEqual(header[0], "t")
        for name in SUMS:
            for part in ("a", "b", "diff", "ratio"):
                self.assertIn(f"{name}_{part}", header)
        a_series, _ = expected(self.records, "2026-10-01", "2026-10-14", "day")
        b_series, _ = expected(self.records, "2026-09-17", "2026-09-30", "day")
        self.assertEqual([r[0] for r in rows], list(a_series))
        for row, a, b in zip(rows, a_series.values(), b_series.values()):
            got = dict(zip(header, row))
            self.assertEqual((int(got["calls_a"]), int(got["calls_b"]), int(got["calls_diff"])),
                             (a["calls"], b["calls"], a["calls"] - b["calls"]))
            self.assertAlmostEqual(float(got["calls_ratio"]), rate(a["calls"], b["calls"]),
                                   delta=1.0001e-4)

    def test_csv_incomplete(self):
        header, rows = self.get_csv("incomplete", **rng("2026-10-01", "2026-10-31"))
        self.assertEqual(header[0], "t")
        for name in REASONS + ("incomplete",):
            self.assertIn(name, header)
        series, _ = expected(self.records, "2026-10-01", "2026-10-31", "day", kind="incomplete")
        self.assertEqual(len(rows), 31)
        for row in rows:
            got = dict(zip(header, row))
            for name in REASONS + ("incomplete",):
                self.assertEqual(int(got[name]), series[row[0]][name], f"{row[0]} {name}")

    def test_csv_for_people_has_words_and_talk_time_as_hms(self):
        """SPEC §19: headers=ja|en names the columns in that language and adds talk time as
        h:mm:ss beside the seconds; the figures are those of the machine form."""
        params = rng("2026-10-01", "2026-10-31")
        header, rows = self.get_csv("traffic", **params)
        for lang, words in (("ja", ("期間", "呼数", "完了率", "通話秒数", "通話秒数（時:分:秒）")),
                            ("en", ("Period", "Calls", "Completion rate", "Talk seconds",
                                    "Talk seconds (h:mm:ss)"))):
            people_header, people_rows = self.get_csv("traffic", headers=lang, **params)
            self.assertEqual(people_header[0], words[0])
            for w in words:
                self.assertIn(w, people_header, lang)
            self.assertEqual(len(people_header), len(header) + 1, "one more column: the h:mm:ss")
            self.assertEqual(len(people_rows), len(rows))
            seconds, hms = people_header.index(words[3]), people_header.index(words[4])
            self.assertEqual(hms, seconds + 1, "h:mm:ss stands beside the seconds")
            for machine, people in zip(rows, people_rows):
                got = dict(zip(header, machine))
                self.assertEqual(people[0], got["t"])
                total = int(got["talk_seconds"])
                self.assertEqual(int(people[seconds]), total)
                h, m, sec = (int(x) for x in people[hms].split(":"))
                self.assertEqual(h * 3600 + m * 60 + sec, total, people[hms])
                self.assertRegex(people[hms], r"^\d+:\d\d:\d\d$")
        header, rows = self.get_csv("compare", headers="en", **rng("2026-10-01", "2026-10-14"))
        for w in ("Calls (A)", "Calls (B)", "Calls (diff)", "Talk seconds (diff) (h:mm:ss)", "Compared period"):
            self.assertIn(w, header)
        self.assertNotIn("Talk seconds (ratio) (h:mm:ss)", header)

    # -- errors ---------------------------------------------------------------------------------

    def test_bad_filters_name_the_parameter(self):
        ok = {"from": "2026-10-01", "to": "2026-10-31"}
        cases = [
            ("traffic", {"from": "2026-13-01"}, "from"),
            ("traffic", {"from": "2026-11-31"}, "from"),
            ("traffic", {"from": "last week"}, "from"),
            ("traffic", {"to": "2026-10-32"}, "to"),
            ("traffic", {"to": "x"}, "to"),
            ("traffic", {"from": "2026-10-31", "to": "2026-10-01"}, {"from", "to"}),
            ("traffic", {"granularity": "week"}, "granularity"),
            ("traffic", {"granularity": "minute"}, "granularity"),     # from != to
            ("traffic", {"hours": "25-3"}, "hours"),
            ("traffic", {"hours": "5-5"}, "hours"),
            ("traffic", {"hours": "9"}, "hours"),
            ("traffic", {"hours": "a-b"}, "hours"),
            ("traffic", {"hours": "-1-5"}, "hours"),
            ("traffic", {"hours": "9-18-20"}, "hours"),
            ("traffic", {"weekday": "xyz"}, "weekday"),
            ("traffic", {"weekday": "monday"}, "weekday"),
            ("traffic", {"an": "12345"}, "an"),
            ("traffic", {"an": "0120abcdef"}, "an"),
            ("traffic", {"format": "xml"}, "format"),
            ("traffic", {"format": "csv", "headers": "fr"}, "headers"),
            ("incomplete", {"hours": "24-24"}, "hours"),
            ("incomplete", {"granularity": "year"}, "granularity"),
            ("compare", {"b_from": "2026-02-30"}, "b_from"),
            ("compare", {"b_from": "2026-09-01", "b_to": "nope"}, "b_to"),
            ("compare", {"b_an": "999"}, "b_an"),
            # SPEC §19: hours over at most 31 days; compare's align and B's length.
            ("traffic", {"granularity": "hour", "from": "2026-09-30"}, "granularity"),
            ("incomplete", {"granularity": "hour", "from": "2026-09-30"}, "granularity"),
            ("compare", {"granularity": "hour", "from": "2026-10-31", "b_from": "2026-08-01",
                         "b_to": "2026-09-30"}, "granularity"),
            ("compare", {"align": "week"}, "align"),
            ("compare", {"align": "weekday", "granularity": "month"}, "align"),
            ("compare", {"b_from": "2024-01-01", "b_to": "2026-10-01"}, "b_from"),
        ]
        for name, bad, fields in cases:
            params = dict(ok, **bad)
            with self.subTest(name=name, params=bad):
                answer = self.get(name, status=400, **params)
                self.assertErrorCode(answer, "invalid_parameter")
                fields = {fields} if isinstance(fields, str) else fields
                self.assertIn(answer["error"].get("field"), fields, answer)

    def test_other_accounts_an_is_404(self):
        for params in ({"an": self.other_an}, {"an": f"{self.ans[0]},{self.other_an}"},
                       {"an": UNREGISTERED_AN}):
            for name in ("traffic", "compare", "incomplete"):
                with self.subTest(name=name, params=params):
                    self.get(name, status=404, **rng("2026-10-01", "2026-10-31", **params))
        self.get("compare", status=404, **rng("2026-10-01", "2026-10-31", an=self.ans[0],
                                              b_an=self.other_an))
        # And the other account's own view works.
        self.get("traffic", account=self.c, **rng("2026-10-01", "2026-10-31",
                                                  an=self.other_an))

    def test_unknown_account_or_analysis_is_404(self):
        self.assertEqual(self.srv.analytics("Zz9Zz9Zz9Z", "traffic")[0], 404)
        self.assertEqual(self.srv.analytics(self.a["id"], "no-such-analysis")[0], 404)


if __name__ == "__main__":
    unittest.main()
