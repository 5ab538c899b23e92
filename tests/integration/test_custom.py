"""Custom data sets (SPEC §15 "Custom data") through the customer API of the real binary: the
routes and their shapes, the rules with their fields, isolation between accounts, the plan gate,
the retention window, persistence across a restart, removal by a move to free, and `custom=ID` on
the analyses (JSON and CSV) against values computed here. (The upload and the copy of an analysis
are later slices of issue 13.)"""

import csv
import datetime as dt
import io
import re

from cxs_harness import BILLING_PHONE, CustomerTestCase
from test_detailed import make_records

HEX_ID = re.compile(r"^[0-9a-f]{16}$")


def bucket_label(t: str, label_len: int) -> str:
    """The label of the bucket a point goes to (the one holding its start; for a coarser point,
    the one that starts its period): the point's start written at the buckets' size."""
    day = t[:10] if len(t) >= 10 else t + "-01"
    hour = t[11:13] if len(t) == 13 else "00"
    return {7: day[:7], 10: day, 13: f"{day}T{hour}", 16: f"{day}T{hour}:00"}[label_len]


def overlay(points: list[dict], labels: list[str]) -> list:
    out = {label: None for label in labels}
    for p in points:
        label = bucket_label(p["t"], len(labels[0]))
        if label in out:
            out[label] = (out[label] or 0) + p["value"]
    return [{"t": label, "value": out[label]} for label in labels]


class CustomData(CustomerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.std = cls.srv.create_account(plan="standard", registered="2026-03-01")
        cls.other = cls.srv.create_account(plan="standard", registered="2026-03-01")
        cls.free = cls.srv.create_account(registered="2026-03-01")

    def setUp(self):
        self.c = self.login(self.std)
        self.addCleanup(self.c.logout, strict=False)

    def delete_all(self, client=None):
        c = client or self.c
        for s in self.assertStatus(c.get("/api/custom"), 200)["sets"]:
            self.assertStatus(c.request("DELETE", f"/api/custom/{s['id']}"), 204)

    def create(self, body, client=None, status=201):
        return self.assertStatus((client or self.c).post("/api/custom", body), status, str(body)[:200])

    def test_create_list_show_replace_delete(self):
        self.addCleanup(self.delete_all)
        visits = self.create({"name": "来店数", "unit": "人", "points": [
            {"t": "2026-11-02", "value": 3}, {"t": "2026-11-01", "value": 12.5}]})
        self.assertRegex(visits["id"], HEX_ID)
        self.assertEqual(visits["name"], "来店数")
        self.assertEqual(visits["unit"], "人")
        self.assertEqual(visits["points"], [{"t": "2026-11-01", "value": 12.5}, {"t": "2026-11-02", "value": 3}])
        empty = self.create({"name": "Budget"})
        self.assertEqual((empty["unit"], empty["points"]), ("", []))
        hours = self.create({"name": "Staff", "unit": "people", "points": [{"t": "2026-11-20T09", "value": 4},
                                                                          {"t": "2026-11-20T10", "value": 6}]})
        listed = self.assertStatus(self.c.get("/api/custom"), 200)["sets"]
        self.assertEqual([s["name"] for s in listed], ["Budget", "Staff", "来店数"])
        self.assertEqual(listed[2], {"id": visits["id"], "name": "来店数", "unit": "人", "points": 2,
                                     "first": "2026-11-01", "last": "2026-11-02"})
        self.assertEqual((listed[0]["points"], listed[0]["first"], listed[0]["last"]), (0, None, None))
        self.assertEqual(self.assertStatus(self.c.get(f"/api/custom/{hours['id']}"), 200), hours)

        months = {"name": "Sales", "unit": "円", "points": [{"t": "2026-10", "value": 1000000},
                                                           {"t": "2026-11", "value": -5.25}]}
        replaced = self.assertStatus(self.c.put(f"/api/custom/{empty['id']}", months), 200)
        self.assertEqual(replaced, {"id": empty["id"], **months})
        self.assertEqual(self.assertStatus(self.c.get(f"/api/custom/{empty['id']}"), 200), replaced)

        self.assertStatus(self.c.request("DELETE", f"/api/custom/{hours['id']}"), 204)
        for method, body in (("GET", None), ("DELETE", None), ("PUT", {"name": "x"})):
            self.assertCustomerError(self.c.request(method, f"/api/custom/{hours['id']}", body), 404, "not_found")
        self.assertEqual(len(self.assertStatus(self.c.get("/api/custom"), 200)["sets"]), 2)

    def test_every_rule_names_its_field(self):
        self.addCleanup(self.delete_all)
        self.create({"name": "Taken"})
        cases = [
            ({}, "name", "required"),
            ({"name": "x" * 51}, "name", "too_long"),
            ({"name": "a\u0007"}, "name", "invalid"),
            ({"name": "Taken"}, "name", "name_taken"),
            ({"name": "y", "unit": "u" * 21}, "unit", "too_long"),
            ({"name": "y", "points": {"t": "2026-11-01"}}, "points", "invalid"),
            ({"name": "y", "points": [{"t": "2026-11-01", "value": 1}, {"t": "2026-11", "value": 1}]},
             "points[1].t", "kind_mismatch"),
            ({"name": "y", "points": [{"t": "2026-02-30", "value": 1}]}, "points[0].t", "invalid"),
            ({"name": "y", "points": [{"t": "2026-11-01", "value": "1"}]}, "points[0].value", "invalid"),
            ({"name": "y", "points": [{"t": "2026-11-01"}]}, "points[0].value", "required"),
            ({"name": "y", "points": [{"t": "2024-11-30", "value": 1}]}, "points[0].t", "too_old"),
            ({"name": "y", "points": [{"t": "2026-11-01", "value": 1}, {"t": "2026-11-01", "value": 2}]},
             "points", "duplicate"),
            ({"name": "y", "points": [{"t": "2026-11-01", "value": 1}] * 20001}, "points", "too_many"),
        ]
        for body, field, code in cases:
            with self.subTest(field=field, code=code):
                self.assertFieldError(self.create(body, status=422), field, code)
        # The messages are the data sets' own, in the customer's language.
        answer = self.create({"points": [{"t": "2026-11-01T9", "value": 1}]}, status=422)
        messages = {e["field"]: e["message"] for e in answer["errors"]}
        self.assertEqual(messages["name"], "データ名を入力してください。")
        self.assertIn("2026-11-01T09", messages["points[0].t"])
        # The first day of the 24-month window (the harness's clock: 2026-11-20) is kept.
        self.create({"name": "Oldest day", "points": [{"t": "2024-12-01", "value": 1}]})
        self.create({"name": "Oldest month", "points": [{"t": "2024-12", "value": 2}]})
        self.assertCustomerError(self.c.post("/api/custom", b"[1]", headers={"Content-Type": "application/json"}),
                                 400, "json")
        # Replacing a set may keep its own name.
        taken = next(s for s in self.assertStatus(self.c.get("/api/custom"), 200)["sets"] if s["name"] == "Taken")
        self.assertStatus(self.c.put(f"/api/custom/{taken['id']}", {"name": "Taken", "unit": "件"}), 200)

    def test_at_most_50_sets(self):
        acct = self.srv.create_account(plan="standard", registered="2026-03-01")
        c = self.login(acct)
        for i in range(50):
            self.create({"name": f"set {i:02d}"}, client=c)
        self.assertFieldError(self.create({"name": "one more"}, client=c, status=422), "", "too_many_sets")
        self.assertEqual(len(self.assertStatus(c.get("/api/custom"), 200)["sets"]), 50)

    def test_sets_of_another_account_are_not_found(self):
        other = self.login(self.other)
        theirs = self.create({"name": "Theirs", "points": [{"t": "2026-11-01", "value": 1}]}, client=other)
        self.addCleanup(self.delete_all, other)
        for method, body in (("GET", None), ("PUT", {"name": "mine"}), ("DELETE", None)):
            with self.subTest(method=method):
                self.assertCustomerError(self.c.request(method, f"/api/custom/{theirs['id']}", body), 404,
                                         "not_found")
        self.assertEqual(self.assertStatus(other.get(f"/api/custom/{theirs['id']}"), 200), theirs)

    def test_free_accounts_get_plan_required_before_the_body(self):
        c = self.login(self.free)
        self.addCleanup(c.logout, strict=False)
        for method, path, body in (("GET", "/api/custom", None), ("POST", "/api/custom", b"{broken"),
                                   ("GET", "/api/custom/0123456789abcdef", None),
                                   ("PUT", "/api/custom/0123456789abcdef", b"{broken"),
                                   ("DELETE", "/api/custom/0123456789abcdef", None)):
            with self.subTest(method=method, path=path):
                headers = {"Content-Type": "application/json"} if isinstance(body, bytes) else None
                self.assertCustomerError(c.request(method, path, body, headers=headers), 403, "plan_required")

    def test_a_set_copied_from_an_analysis(self):
        acct = self.srv.create_account(plan="standard", registered="2026-03-01")
        routes = self.srv.routes(acct["opid"])
        ans = sorted(routes)
        records = make_records(41, routes, dt.date(2026, 9, 1), dt.date(2026, 11, 19), 6, "cp")
        got = self.srv.ingest_all(records)
        self.assertEqual(got["accepted"], len(records))
        c = self.login(acct)
        self.addCleanup(self.delete_all, c)
        filters = {"from": "2026-10-01", "to": "2026-11-19", "granularity": "day", "an": [ans[0]]}
        copied = self.create({"name": "Calls of one AN", "unit": "件", "from_analysis": {
            "name": "traffic", "figure": "calls", "filters": filters}}, client=c)
        answer = self.assertStatus(c.get("/api/analytics/traffic", params={**filters, "an": ans[0]}), 200)
        self.assertEqual(copied["points"], [{"t": row["t"], "value": row["calls"]} for row in answer["series"]])
        self.assertEqual(sum(p["value"] for p in copied["points"]),
                         sum(1 for r in records if r["an"] == ans[0] and "2026-10-01" <= r["start"][:10] <= "2026-11-19"))
        # A rate that is null on days without calls gives no point there; a detailed analysis too.
        rate = self.create({"name": "Rate", "from_analysis": {"name": "traffic", "figure": "completion_rate",
                                                             "filters": filters}}, client=c)
        self.assertEqual(len(rate["points"]), sum(1 for row in answer["series"] if row["completion_rate"] is not None))
        hourly = self.create({"name": "Hourly", "from_analysis": {"name": "calls-minutes", "figure": "talk_minutes",
                                                                 "filters": {"from": "2026-11-01", "to": "2026-11-02"}}},
                             client=c)
        self.assertEqual(len(hourly["points"]), 48)
        self.assertTrue(all(len(p["t"]) == 13 for p in hourly["points"]))
        cases = [({"name": "nope", "figure": "calls"}, "from_analysis.name", "invalid"),
                 ({"name": "traffic", "figure": "nope"}, "from_analysis.figure", "invalid"),
                 ({"name": "origin", "figure": "calls"}, "from_analysis.figure", "invalid"),
                 ({"name": "traffic", "figure": "calls", "filters": {"from": "yesterday"}}, "from_analysis.filters",
                  "invalid"),
                 ({"name": "calls-minutes", "figure": "calls", "filters": {"from": "2026-11-01", "to": "2026-11-01",
                                                                          "granularity": "minute"}},
                  "from_analysis.filters", "minute"),
                 ({"figure": "calls"}, "from_analysis", "invalid")]
        for copy, field, code in cases:
            with self.subTest(copy=copy):
                self.assertFieldError(self.create({"name": "x", "from_analysis": copy}, client=c, status=422), field, code)
        # Another account's AN in the filters is a bad filter here, not a way to read its figures.
        other_an = sorted(self.srv.routes(self.other["opid"]))[0]
        self.assertFieldError(self.create({"name": "x", "from_analysis": {"name": "traffic", "figure": "calls",
                                                                        "filters": {"an": other_an}}},
                                          client=c, status=422), "from_analysis.filters", "invalid")

    def test_sets_survive_a_restart_and_go_with_a_move_to_free(self):
        acct = self.srv.create_account(plan="standard", registered="2026-03-01")
        an = next(iter(self.srv.routes(acct["opid"])))
        c = self.login(acct)
        kept = self.create({"name": "Kept", "unit": "件", "points": [{"t": "2026-11-20T09", "value": 2.5}]}, client=c)
        c.logout()  # sessions survive a restart (SPEC §19): this one would answer 409 below
        self.srv.restart()
        c = self.login(acct)
        self.assertEqual(self.assertStatus(c.get(f"/api/custom/{kept['id']}"), 200), kept)
        self.assertStatus(c.post("/api/plan", {"plan": "free", "confirm": True}), 200)
        self.assertStatus(c.post("/api/plan", {"plan": "standard", "billing_an": an, "billing_phone": BILLING_PHONE}),
                          200)
        self.assertEqual(self.assertStatus(c.get("/api/custom"), 200), {"sets": []})
        self.assertCustomerError(c.get(f"/api/custom/{kept['id']}"), 404, "not_found")

    def test_custom_lays_sets_on_every_analysis_series(self):
        self.addCleanup(self.delete_all)
        days = self.create({"name": "来店数", "unit": "人", "points": [
            {"t": "2026-10-31", "value": 4}, {"t": "2026-11-01", "value": 2.5}, {"t": "2026-11-03", "value": 1}]})
        hours = self.create({"name": "Staff", "unit": "", "points": [
            {"t": "2026-11-01T09", "value": 3}, {"t": "2026-11-01T10", "value": 5}, {"t": "2026-11-02T00", "value": 1}]})
        months = self.create({"name": "Sales, total", "unit": "円", "points": [
            {"t": "2026-10", "value": 1000}, {"t": "2026-11", "value": 2000}]})
        sets = (days, hours, months)
        ids = ",".join(s["id"] for s in sets)
        for granularity, frm, to in (("day", "2026-10-30", "2026-11-03"), ("month", "2026-09-15", "2026-11-20"),
                                     ("hour", "2026-11-01", "2026-11-02")):
            with self.subTest(granularity=granularity):
                answer = self.assertStatus(self.c.get("/api/analytics/traffic", params={
                    "from": frm, "to": to, "granularity": granularity, "custom": ids}), 200)
                labels = [row["t"] for row in answer["series"]]
                self.assertEqual([c["id"] for c in answer["custom"]], [s["id"] for s in sets])
                for got, want in zip(answer["custom"], sets):
                    self.assertEqual((got["name"], got["unit"]), (want["name"], want["unit"]))
                    self.assertEqual(got["series"], overlay(want["points"], labels), want["name"])
        # Day buckets: the month set only on the first of the month, the hours summed per day.
        answer = self.assertStatus(self.c.get("/api/analytics/traffic", params={
            "from": "2026-10-31", "to": "2026-11-02", "custom": ids}), 200)
        self.assertEqual([r["value"] for r in answer["custom"][0]["series"]], [4, 2.5, None])
        self.assertEqual([r["value"] for r in answer["custom"][1]["series"]], [None, 8, 1])
        self.assertEqual([r["value"] for r in answer["custom"][2]["series"]], [None, 2000, None])
        # A repeated parameter is the same list; an ID given twice counts once.
        again = self.assertStatus(self.c.get(
            f"/api/analytics/incomplete?from=2026-10-31&to=2026-11-02&custom={days['id']}"
            f"&custom={hours['id']},{days['id']}"), 200)
        self.assertEqual([c["id"] for c in again["custom"]], [days["id"], hours["id"]])
        # CSV: one more column per set, named by the set.
        status, _, body = self.c.get("/api/analytics/traffic", params={
            "from": "2026-10-31", "to": "2026-11-02", "custom": ids, "format": "csv"}, raw=True)
        self.assertEqual(status, 200)
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][-3:], ["来店数", "Staff", "Sales, total"])
        self.assertEqual([r[-3:] for r in rows[1:]], [["4", "", ""], ["2.5", "8", "2000"], ["", "1", ""]])
        # Without a time series (a ranking), each set answers an empty series; errors.
        self.assertEqual(self.assertStatus(self.c.get("/api/analytics/origin", params={"custom": days["id"]}), 200)
                         ["custom"][0]["series"], [])
        minutes = self.assertStatus(self.c.get("/api/analytics/calls-minutes", params={
            "from": "2026-11-01", "to": "2026-11-01", "granularity": "hour", "custom": hours["id"]}), 200)
        self.assertEqual(minutes["custom"][0]["series"], overlay(hours["points"], [r["t"] for r in minutes["series"]]))
        # Every CSV of a time series gains the columns, lines' (one row an hour) too.
        day = {"from": "2026-11-01", "to": "2026-11-01", "custom": hours["id"]}
        lines = self.assertStatus(self.c.get("/api/analytics/lines", params=day), 200)
        status, _, body = self.c.get("/api/analytics/lines", params={**day, "format": "csv"}, raw=True)
        self.assertEqual(status, 200)
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][-1], hours["name"])
        self.assertEqual(len(rows) - 1, len(lines["series"]))

        def written(v):
            return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))
        self.assertEqual([r[-1] for r in rows[1:]], [written(p["value"]) for p in lines["custom"][0]["series"]])
        self.assertTrue(any(r[-1] for r in rows[1:]), "the day has points of the set")
        bad = self.assertStatus(self.c.get("/api/analytics/traffic", params={"custom": "0123456789abcdef"}), 400)
        self.assertEqual((bad["error"]["code"], bad["error"].get("field")), ("invalid_parameter", "custom"))
        free = self.login(self.free)
        self.assertCustomerError(free.get("/api/analytics/traffic", params={"custom": days["id"]}), 403, "plan_required")
        free.logout()  # one session per ID: other tests log in as this account too
