"""CDR ingest: outcomes, every validation rule, formats, limits (SPEC §8, §13, §14)."""

import datetime as dt
import json
import unittest

from cxs_harness import (CDR_COLUMNS, CHILD_AN, FIXED_NOW, JST, UNOWNED_OPID, UNREGISTERED_AN,
                         ServerTestCase, cdr, csv_body, fixture_registry, gen_cdrs, generated,
                         ndjson_body, registry_ans)

OUTCOMES = ("accepted", "duplicates", "unowned", "too_old", "rejected")
DAY = FIXED_NOW.replace(day=10, hour=10, minute=0)          # 2026-11-10 10:00 JST


class IngestCase(ServerTestCase):

    def account(self, **kw):
        kw.setdefault("registered", "2026-01-01")
        acct = self.srv.create_account(**kw)
        return acct, list(self.srv.routes(acct["opid"]).items())

    def totals(self, acct, date_from, date_to, **params):
        answer = self.assertStatus(self.srv.analytics(
            acct["id"], "traffic", granularity="day", **{"from": str(date_from),
                                                          "to": str(date_to)}, **params), 200)
        return answer["totals"]

    def assertOutcomes(self, answer, **want):
        self.assertIsInstance(answer, dict, answer)
        for k in OUTCOMES:
            self.assertIn(k, answer, f"answer lacks {k!r}: {answer}")
        self.assertIsInstance(answer.get("errors"), list, answer)
        got = {k: answer[k] for k in OUTCOMES}
        full = {k: want.get(k, 0) for k in OUTCOMES}
        self.assertEqual(got, full, f"errors: {answer['errors'][:10]}")
        self.assertEqual(len({e.get("line") for e in answer["errors"]}), answer["rejected"],
                         "errors must name each rejected line")

    def assertLineErrors(self, answer, expected):
        """expected: {line: (fields, codes)}; errors list exactly these lines."""
        by_line = {}
        for e in answer["errors"]:
            self.assertNotIn(e.get("line"), by_line, f"two errors for line {e.get('line')}")
            by_line[e.get("line")] = e
        self.assertEqual(sorted(by_line), sorted(expected), "rejected line numbers")
        for line, (fields, codes) in expected.items():
            e = by_line[line]
            fields = {fields} if isinstance(fields, str) else set(fields)
            codes = {codes} if isinstance(codes, str) else set(codes)
            with self.subTest(line=line):
                self.assertIn(e.get("field"), fields, f"line {line}: {e}")
                self.assertIn(e.get("code"), codes, f"line {line}: {e}")
                self.assertIsInstance(e.get("message"), str)
                self.assertTrue(e["message"], e)


class Ingest(IngestCase):

    def test_concurrent_requests_with_the_same_records_count_each_once(self):
        """Two requests racing with the same records: each record is accepted by exactly one."""
        import threading
        acct, routes = self.account()
        records = generated(21, dict(routes), "2026-11-01", "2026-11-19", 300, id_prefix="race")
        body = csv_body(records)
        answers = []

        def post():  # each thread on its own connection, so the requests really overlap
            c = self.srv.client()
            try:
                r = c.request("POST", "/admin/ingest", body, {"Content-Type": "text/csv"})
                answers.append((r.status, json.loads(r.body)))
            finally:
                c.close()

        for _ in range(3):  # a few rounds: the race window is small
            answers.clear()
            threads = [threading.Thread(target=post) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual([s for s, _ in answers], [200, 200], answers)
            accepted = sum(a["accepted"] for _, a in answers)
            duplicates = sum(a["duplicates"] for _, a in answers)
            self.assertEqual(accepted + duplicates, 2 * len(records))
            self.assertLessEqual(accepted, len(records))
            if accepted:
                self.assertEqual(accepted, len(records))
        self.assertEqual(self.totals(acct, "2026-11-01", "2026-11-19")["calls"], len(records))

    def test_the_demo_trickle_flows_at_every_hour(self):
        """SPEC §19: the demo's live feed (gen_cdrs --live) sends calls of the last minute at any
        hour, the night included, and the server takes them all into that hour."""
        acct, routes = self.account()
        ans = {an: dns for an, dns in routes}
        for hour in (3, 11):
            now = FIXED_NOW.replace(day=19, hour=hour, minute=30)
            calls = gen_cdrs.live_calls(hour, ans, 12, now, f"live{hour}")
            self.assertGreater(len(calls), 0)
            for c in calls:
                start = dt.datetime.fromisoformat(c["start"])
                self.assertTrue(now - dt.timedelta(seconds=60) < start <= now, c["start"])
            self.assertOutcomes(self.srv.ingest(calls), accepted=len(calls))
            answer = self.assertStatus(self.srv.analytics(
                acct["id"], "traffic", granularity="hour", **{"from": "2026-11-19", "to": "2026-11-19"}), 200)
            by_hour = {row["t"]: row["calls"] for row in answer["series"]}
            self.assertEqual(by_hour[f"2026-11-19T{hour:02d}"], len(calls), by_hour)
            if hour == 3:
                self.assertTrue(any(c["result"] == "out_of_hours" for c in calls), "night calls as at night")

    def test_accepted_and_answer_shape(self):
        acct, routes = self.account()
        (an, dns), (an2, _) = routes[0], routes[1]
        recs = [cdr("ok-1", DAY, an, "completed", 125, dn=dns[0], caller="0312345678"),
                cdr("ok-2", DAY.replace(hour=11), an, "busy", 0, dn=dns[0]),
                cdr("ok-3", DAY.replace(hour=23, minute=59, second=59), an2, "out_of_hours")]
        answer = self.srv.ingest(recs)
        self.assertOutcomes(answer, accepted=3)
        self.assertEqual(answer["errors"], [])
        t = self.totals(acct, "2026-11-10", "2026-11-10")
        self.assertEqual((t["calls"], t["completed"], t["incomplete"], t["talk_seconds"]),
                         (3, 1, 2, 125))

    def test_every_rule_rejects_its_line_csv(self):
        acct, routes = self.account()
        an, dns = routes[0]
        base = dict(cdr("x", DAY, an, "completed", 60, dn=dns[0], caller="0312345678"))
        future = (self.srv.now() + dt.timedelta(minutes=10)).isoformat(timespec="seconds")
        cases = [
            ({"call_id": ""}, "call_id", "missing"),
            ({"call_id": "a" * 65}, "call_id", {"invalid", "out_of_range"}),
            ({"call_id": "bad id"}, "call_id", "invalid"),
            ({"call_id": "id/slash"}, "call_id", "invalid"),
            ({"call_id": "日本語"}, "call_id", "invalid"),
            ({"start": ""}, "start", "missing"),
            ({"start": "2026-11-10 10:00:00"}, "start", "invalid"),
            ({"start": "2026-11-10T10:00:00"}, "start", "invalid"),
            ({"start": "2026-02-30T10:00:00+09:00"}, "start", "invalid"),
            ({"start": "2026-11-10T25:00:00+09:00"}, "start", "invalid"),
            ({"start": "2026-11-10T10:00:00+25:00"}, "start", "invalid"),
            ({"start": "not a time"}, "start", "invalid"),
            ({"start": future}, "start", "future"),
            ({"an": ""}, "an", "missing"),
            ({"an": "012000010"}, "an", "invalid"),
            ({"an": "0312345678"}, "an", "invalid"),
            ({"an": "0120-000-101"}, "an", "invalid"),
            ({"dn": "abc"}, "dn", "invalid"),
            ({"dn": "03-1234-5678"}, "dn", "invalid"),
            ({"caller": "090x1234567"}, "caller", "invalid"),
            ({"origin_pref": "48"}, "origin_pref", {"invalid", "out_of_range"}),
            ({"origin_pref": "1"}, "origin_pref", "invalid"),
            ({"origin_pref": "ab"}, "origin_pref", "invalid"),
            ({"dest_pref": "99"}, "dest_pref", {"invalid", "out_of_range"}),
            ({"duration_s": "abc"}, "duration_s", "invalid"),
            ({"duration_s": "-5"}, "duration_s", {"invalid", "out_of_range"}),
            ({"duration_s": "1.5"}, "duration_s", "invalid"),
            ({"duration_s": ""}, "duration_s", {"missing", "invalid"}),
            ({"result": ""}, "result", "missing"),
            ({"result": "done"}, "result", "invalid"),
            ({"result": "COMPLETED"}, "result", "invalid"),
            ({"result": "busy", "duration_s": 30}, {"duration_s", "result"}, "inconsistent"),
            ({"result": "no_answer", "duration_s": 1}, {"duration_s", "result"},
             "inconsistent"),
        ]
        good1 = dict(base, call_id="good-1")
        good2 = dict(base, call_id="good-2", result="abandoned", duration_s=0)
        recs = [good1] + [dict(base, call_id=f"bad-{i}", **over)
                          if "call_id" not in over else dict(base, **over)
                          for i, (over, _, _) in enumerate(cases)]
        body = csv_body(recs).decode()
        # Wrong number of fields: too few and too many.
        body += "short-1,2026-11-10T10:00:00+09:00,%s\n" % an
        body += csv_body([dict(base, call_id="long-1")], header=False).decode().rstrip("\n") \
            + ",extra\n"
        body += csv_body([good2], header=False).decode()
        answer = self.srv.ingest(body.encode())
        n = len(cases)
        self.assertOutcomes(answer, accepted=2, rejected=n + 2)
        expected = {i + 3: (field, codes) for i, (_, field, codes) in enumerate(cases)}
        expected[n + 3] = ("line", "columns")
        expected[n + 4] = ("line", "columns")
        self.assertLineErrors(answer, expected)
        t = self.totals(acct, "2026-11-01", "2026-11-20")
        self.assertEqual((t["calls"], t["completed"], t["talk_seconds"]), (2, 1, 60))
        # A rejected line does not claim its call_id.
        self.assertEqual(cases[5][0], {"start": ""})
        answer = self.srv.ingest([dict(base, call_id="bad-5")])
        self.assertOutcomes(answer, accepted=1)

    def test_every_rule_rejects_its_line_ndjson(self):
        acct, routes = self.account()
        an, dns = routes[0]
        base = cdr("x", DAY, an, "completed", 60, dn=dns[0], caller="0612345678")
        lines = [
            json.dumps(dict(base, call_id="nd-ok-1")),                     # 1
            "{not json",                                                   # 2
            json.dumps({k: v for k, v in base.items() if k != "result"}
                       | {"call_id": "nd-2"}),                            # 3
            json.dumps(dict(base, call_id="nd-3", an=int(an))),            # 4
            json.dumps(dict(base, call_id="nd-4", duration_s=4.5)),        # 5
            json.dumps(dict(base, call_id="nd-5", duration_s="-1")),       # 6
            json.dumps(dict(base, call_id="nd-6", duration_s=True)),       # 7
            json.dumps(dict(base, call_id=None)),                          # 8
            json.dumps(dict(base, call_id="nd-ok-2", duration_s="42")),    # 9
            json.dumps(dict(base, call_id="nd-8", result="busy")),         # 10 (duration 60)
            json.dumps(dict(base, call_id="nd-9", start="2026-13-01T00:00:00+09:00")),  # 11
            json.dumps(dict(base, call_id="nd-ok-3", result="busy", duration_s=0)),  # 12
        ]
        answer = self.srv.ingest(("\n".join(lines) + "\n").encode(), fmt="ndjson")
        self.assertOutcomes(answer, accepted=3, rejected=9)
        self.assertLineErrors(answer, {
            2: ("line", "json"),
            3: ("result", "missing"),
            4: ("an", "invalid"),
            5: ("duration_s", "invalid"),
            6: ("duration_s", {"invalid", "out_of_range"}),
            7: ("duration_s", "invalid"),
            8: ("call_id", {"missing", "invalid"}),
            10: ({"duration_s", "result"}, "inconsistent"),
            11: ("start", "invalid"),
        })
        t = self.totals(acct, "2026-11-10", "2026-11-10")
        self.assertEqual((t["calls"], t["completed"], t["talk_seconds"]), (3, 2, 102))

    def test_ndjson_duration_number_or_string_and_any_key_order(self):
        acct, routes = self.account()
        an, dns = routes[0]
        recs = [cdr(f"nds-{i}", DAY.replace(minute=i), an, "completed", 30 + i, dn=dns[0])
                for i in range(10)]
        body = ndjson_body(recs[:5]) + ndjson_body(recs[5:], duration_as_string=True)
        reordered = [json.dumps(dict(reversed(list(r.items()))))
                     for r in [cdr(f"ndr-{i}", DAY.replace(minute=30 + i), an, "completed", 7,
                                   dn=dns[0]) for i in range(3)]]
        body += ("\n".join(reordered) + "\n").encode()
        self.assertOutcomes(self.srv.ingest(body, fmt="ndjson"), accepted=13)
        t = self.totals(acct, "2026-11-10", "2026-11-10")
        self.assertEqual((t["calls"], t["talk_seconds"]), (13, sum(range(30, 40)) + 21))

    def test_header_in_any_order_crlf_and_charset(self):
        acct, routes = self.account()
        an, dns = routes[0]
        recs = [cdr(f"ord-{i}", DAY.replace(minute=i), an, "completed", 100 + i, dn=dns[0],
                    caller="0521234567", origin_pref="23") for i in range(6)]
        columns = list(reversed(CDR_COLUMNS))
        self.assertOutcomes(self.srv.ingest(csv_body(recs[:2], columns=columns)), accepted=2)
        shuffled = ["result", "an", "duration_s", "call_id", "caller", "dn", "start",
                    "dest_pref", "origin_pref"]
        self.assertOutcomes(self.srv.ingest(csv_body(recs[2:4], columns=shuffled, crlf=True)),
                            accepted=2)
        self.assertOutcomes(self.srv.ingest(csv_body(recs[4:], crlf=True),
                                            content_type="text/csv; charset=utf-8"), accepted=2)
        t = self.totals(acct, "2026-11-10", "2026-11-10")
        self.assertEqual((t["calls"], t["completed"], t["talk_seconds"]),
                         (6, 6, sum(100 + i for i in range(6))))
        # Line numbers count CRLF lines the same way.
        body = csv_body([cdr("crlf-1", DAY, an), cdr("crlf-2", DAY, an, result="nope")],
                        crlf=True)
        answer = self.srv.ingest(body)
        self.assertOutcomes(answer, accepted=1, rejected=1)
        self.assertLineErrors(answer, {3: ("result", "invalid")})

    def test_large_body_under_the_default_limit(self):
        """The default ingest limit is 256 MiB: a body of several MB is one ordinary request."""
        acct, routes = self.account()
        records = generated(8, dict(routes), "2026-06-01", "2026-11-19", 200, id_prefix="big")
        body = csv_body(records)
        self.assertGreater(len(body), 2 << 20)
        status, answer = self.srv.ingest(body, expect=None)
        self.assertEqual(status, 200, f"{len(body)} bytes: {answer!r:.300}")
        self.assertOutcomes(answer, accepted=len(records))
        status, answer = self.srv.ingest(ndjson_body(records), fmt="ndjson", expect=None)
        self.assertEqual(status, 200, answer)
        self.assertOutcomes(answer, duplicates=len(records))

    def test_quoted_csv_fields(self):
        acct, routes = self.account()
        an, dns = routes[0]
        body = (",".join(CDR_COLUMNS) + "\n"
                f'"q-1","2026-11-10T10:00:00+09:00","{an}","{dns[0]}","","","","61","completed"\n'
                f'q-2,2026-11-10T10:05:00+09:00,{an},"",,,,"0","busy"\n').encode()
        self.assertOutcomes(self.srv.ingest(body), accepted=2)
        self.assertEqual(self.totals(acct, "2026-11-10", "2026-11-10")["talk_seconds"], 61)

    def test_all_lines_bad_is_still_200(self):
        self.account()
        body = csv_body([cdr("", DAY, "0120"), cdr("z", "yesterday", "x")])
        answer = self.srv.ingest(body)
        self.assertOutcomes(answer, rejected=2)
        answer = self.srv.ingest(csv_body([]))            # a header and no records
        self.assertOutcomes(answer)
        self.assertEqual(answer["errors"], [])

    def test_duplicates_within_and_across_requests(self):
        acct, routes = self.account()
        (an, dns), (an2, dns2) = routes[0], routes[1]
        t0 = DAY.replace(day=12)
        answer = self.srv.ingest([
            cdr("dup-x", t0, an, "busy", 0, dn=dns[0]),
            cdr("dup-x", t0.replace(hour=15), an, "completed", 600, dn=dns[0]),  # first stands
            cdr("dup-x", t0, an2, "completed", 100, dn=dns2[0]),                 # other AN
        ])
        self.assertOutcomes(answer, accepted=2, duplicates=1)
        answer = self.srv.ingest([cdr("dup-x", t0, an, "completed", 5, dn=dns[0]),
                                  cdr("dup-y", t0, an, "completed", 60, dn=dns[0])])
        self.assertOutcomes(answer, accepted=1, duplicates=1)
        answer = self.srv.ingest([cdr("dup-y", t0, an), cdr("dup-x", t0, an2)], fmt="ndjson")
        self.assertOutcomes(answer, duplicates=2)
        t = self.totals(acct, "2026-11-12", "2026-11-12", an=an)
        self.assertEqual((t["calls"], t["completed"], t["talk_seconds"]), (2, 1, 60))
        t = self.totals(acct, "2026-11-12", "2026-11-12", an=an2)
        self.assertEqual((t["calls"], t["completed"], t["talk_seconds"]), (1, 1, 100))
        hours = self.assertStatus(self.srv.analytics(
            acct["id"], "traffic", granularity="hour", an=an,
            **{"from": "2026-11-12", "to": "2026-11-12"}), 200)
        by_t = {b["t"]: b["calls"] for b in hours["series"]}
        self.assertEqual(by_t["2026-11-12T10"], 2)
        self.assertEqual(by_t["2026-11-12T15"], 0)

    def test_unowned(self):
        self.account()
        unowned_an = registry_ans(fixture_registry(), UNOWNED_OPID)[0]
        recs = [cdr("un-1", DAY, unowned_an), cdr("un-2", DAY, UNREGISTERED_AN),
                cdr("un-3", DAY, CHILD_AN),
                cdr("un-4", "2020-01-01T10:00:00+09:00", unowned_an),   # unowned before too_old
                cdr("un-1", DAY, unowned_an)]                            # never a duplicate
        self.assertOutcomes(self.srv.ingest(recs), unowned=5)
        # rejected comes before unowned
        answer = self.srv.ingest([cdr("un-5", DAY, unowned_an, result="bogus")])
        self.assertOutcomes(answer, rejected=1)

    def test_too_old_by_registration_date(self):
        acct, routes = self.account(registered="2026-03-15")
        an = routes[0][0]
        recs = [
            cdr("reg-1", "2026-03-14T23:59:59+09:00", an),          # too old
            cdr("reg-2", "2026-03-14T14:59:59Z", an),               # 23:59:59 JST: too old
            cdr("reg-3", "2026-03-15T00:00:00+09:00", an),          # accepted
            cdr("reg-4", "2026-03-14T15:00:00+00:00", an),          # 00:00 JST 15th: accepted
            cdr("reg-5", "2026-03-14T10:00:00-05:00", an),          # 00:00 JST 15th: accepted
            cdr("reg-6", "2025-12-31T10:00:00+09:00", an),          # too old
            cdr("reg-1", "2026-03-14T23:59:59+09:00", an),          # too_old before duplicate
        ]
        self.assertOutcomes(self.srv.ingest(recs), accepted=3, too_old=4)
        t = self.totals(acct, "2026-03-15", "2026-03-15")
        self.assertEqual(t["calls"], 3)
        hours = self.assertStatus(self.srv.analytics(
            acct["id"], "traffic", granularity="hour", **{"from": "2026-03-15",
                                                          "to": "2026-03-15"}), 200)
        self.assertEqual(hours["series"][0]["t"], "2026-03-15T00")
        self.assertEqual(hours["series"][0]["calls"], 3)

    def test_too_old_by_retention(self):
        # now 2026-11-20: free keeps 2025-12..2026-11, standard 2024-12..2026-11.
        for plan, first in (("free", "2025-12-01"), ("standard", "2024-12-01")):
            with self.subTest(plan=plan):
                acct, routes = self.account(plan=plan, registered="2024-01-01")
                an = routes[0][0]
                first_day = dt.date.fromisoformat(first)
                before = dt.datetime.combine(first_day, dt.time(), JST) - dt.timedelta(seconds=1)
                recs = [cdr(f"ret-{plan}-1", before, an),
                        cdr(f"ret-{plan}-2", before.astimezone(dt.timezone.utc), an),
                        cdr(f"ret-{plan}-3", "2023-06-01T12:00:00+09:00", an),
                        cdr(f"ret-{plan}-4", dt.datetime.combine(first_day, dt.time(), JST), an),
                        cdr(f"ret-{plan}-5", (dt.datetime.combine(first_day, dt.time(), JST)
                                              .astimezone(dt.timezone.utc)), an),
                        cdr(f"ret-{plan}-6", DAY, an)]
                self.assertOutcomes(self.srv.ingest(recs), accepted=3, too_old=3)

    def test_future_start(self):
        acct, routes = self.account()
        an = routes[0][0]
        now = self.srv.now()
        recs = [cdr("fut-1", now + dt.timedelta(minutes=2), an),
                cdr("fut-2", (now + dt.timedelta(minutes=2)).astimezone(dt.timezone.utc), an),
                cdr("fut-3", now + dt.timedelta(minutes=10), an),
                cdr("fut-4", (now + dt.timedelta(days=400)).astimezone(dt.timezone.utc), an)]
        recs[1]["start"] = recs[1]["start"].replace("+00:00", "Z")
        answer = self.srv.ingest(recs)
        self.assertOutcomes(answer, accepted=2, rejected=2)
        self.assertLineErrors(answer, {4: ("start", "future"), 5: ("start", "future")})

    def test_offsets_are_turned_into_jst(self):
        acct, routes = self.account()
        an = routes[0][0]
        recs = [cdr("off-1", "2026-11-09T15:30:00Z", an),            # 2026-11-10 00:30 JST
                cdr("off-2", "2026-11-09T18:30:00-05:00", an),       # 2026-11-10 08:30 JST
                cdr("off-3", "2026-11-10T05:45:00+05:45", an),       # 2026-11-10 09:00 JST
                cdr("off-4", "2026-11-10T14:59:59Z", an)]            # 2026-11-10 23:59:59 JST
        self.assertOutcomes(self.srv.ingest(recs), accepted=4)
        hours = self.assertStatus(self.srv.analytics(
            acct["id"], "traffic", granularity="hour", **{"from": "2026-11-09",
                                                          "to": "2026-11-11"}), 200)
        nonzero = {b["t"]: b["calls"] for b in hours["series"] if b["calls"]}
        self.assertEqual(nonzero, {"2026-11-10T00": 1, "2026-11-10T08": 1,
                                   "2026-11-10T09": 1, "2026-11-10T23": 1})

    def test_unsupported_content_type_is_415_and_stores_nothing(self):
        acct, routes = self.account()
        an = routes[0][0]
        recs = [cdr("ct-1", DAY, an), cdr("ct-2", DAY, an)]
        for ctype in ("application/json", "text/plain", "application/octet-stream", None):
            headers = {"Content-Type": ctype} if ctype else {}
            status, _, body = self.srv.admin("POST", "/admin/ingest", csv_body(recs), headers)
            self.assertEqual(status, 415, f"{ctype}: {body}")
            self.assertIn("error", body)
        self.assertOutcomes(self.srv.ingest(recs), accepted=2)

    def test_unreadable_header_is_400_and_stores_nothing(self):
        acct, routes = self.account()
        an = routes[0][0]
        recs = [cdr("hd-1", DAY, an), cdr("hd-2", DAY, an)]
        no_result = [c for c in CDR_COLUMNS if c != "result"]
        renamed = [("outcome" if c == "result" else c) for c in CDR_COLUMNS]
        bodies = {
            "no header": csv_body(recs, header=False),
            "missing column": csv_body(recs, columns=no_result),
            "column twice": csv_body(recs, columns=list(CDR_COLUMNS) + ["an"]),
            "empty body": b"",
        }
        bodies["unknown column"] = (",".join(renamed) + "\n").encode() + \
            csv_body(recs, header=False)
        for what, body in bodies.items():
            with self.subTest(what=what):
                status, _, answer = self.srv.admin("POST", "/admin/ingest", body,
                                                   {"Content-Type": "text/csv"})
                self.assertEqual(status, 400, f"{what}: {answer}")
                self.assertErrorCode(answer, "header", what)
        self.assertOutcomes(self.srv.ingest(recs), accepted=2)

    def test_prefecture_derivation(self):
        """origin_pref/dest_pref left empty are derived from caller/dn by area code; seen in
        the `origin` and `destination` analyses (standard plan)."""
        acct, routes = self.account(plan="standard")
        an, dns = routes[0]                               # Tokyo and Osaka DNs
        callers = {"0355551234": "13", "0662221234": "27", "0112221234": "01",
                   "0927221234": "40", "0529221234": "23", "0222221234": "04",
                   "0822221234": "34", "0988221234": "47", "09012345678": "00", "": "00"}
        recs = [cdr(f"pref-{i}", DAY.replace(minute=i), an, dn=dns[0], caller=c)
                for i, c in enumerate(callers)]
        recs.append(cdr("pref-x", DAY, an, dn=dns[1], caller="0355551234", origin_pref="27"))
        recs.append(cdr("pref-y", DAY, an, dn=dns[1], caller="", dest_pref="13"))
        self.assertOutcomes(self.srv.ingest(recs), accepted=len(recs))
        rng = {"from": "2026-11-10", "to": "2026-11-10"}
        status, _, answer = self.srv.analytics(acct["id"], "origin", **rng)
        if status in (404, 501):
            self.skipTest(f"the origin analysis is not served yet ({status}, a later slice): "
                          f"{answer!r:.200}")
        self.assertEqual(status, 200, answer)
        want = {}
        for c, p in callers.items():
            want[p] = want.get(p, 0) + 1
        want["27"] += 1
        want["00"] += 1
        rows = answer["rows"]
        self.assertEqual({r["pref"]: r["calls"] for r in rows if r["calls"]}, want)
        self.assertEqual([r["calls"] for r in rows], sorted((r["calls"] for r in rows),
                                                            reverse=True))
        answer = self.assertStatus(self.srv.analytics(acct["id"], "destination", **rng), 200)
        dest = {r["pref"]: r["calls"] for r in answer["rows"] if r["calls"]}
        self.assertEqual(dest, {"13": len(callers) + 1, "27": 1})


class IngestBodyLimit(IngestCase):
    server_options = {"extra_args": ["--ingest.max-body=2048"]}

    def test_body_over_the_limit_is_413_and_stores_nothing(self):
        acct, routes = self.account()
        an, dns = routes[0]
        recs = [cdr(f"big-{i:03d}", DAY.replace(minute=i % 60), an, dn=dns[0],
                    caller="0312345678") for i in range(40)]
        for fmt, body in (("csv", csv_body(recs)), ("ndjson", ndjson_body(recs))):
            with self.subTest(fmt=fmt):
                self.assertGreater(len(body), 2048)
                status, answer = self.srv.ingest(body, fmt=fmt, expect=None)
                self.assertEqual(status, 413, answer)
        small = csv_body(recs[:10])
        self.assertLess(len(small), 2048)
        self.assertOutcomes(self.srv.ingest(small), accepted=10)
        self.assertOutcomes(self.srv.ingest(csv_body(recs[10:20])), accepted=10)
        self.assertEqual(self.totals(acct, "2026-11-10", "2026-11-10")["calls"], 20)


if __name__ == "__main__":
    unittest.main()
