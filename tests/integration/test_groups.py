"""AN and DN groups (SPEC §15 "Groups") through the customer API of the real binary: the routes
and their shapes, every rule with its field and code, isolation between accounts, the plan gate
(before the body is read), persistence across a restart, removal by a move to free, and the
an_group / dn_group filters on basic and detailed analyses against figures computed here from the
records sent."""

import datetime as dt
import re

from cxs_harness import BILLING_PHONE, CustomerTestCase
from test_detailed import make_records, query
from test_per_dn import chosen, series, traffic_of

TODAY = dt.date(2026, 11, 20)  # the harness's fixed clock
HEX_ID = re.compile(r"^[0-9a-f]{16}$")


def hyphenated(number: str) -> str:
    return f"{number[:4]}-{number[4:7]}-{number[7:]}"


class Groups(CustomerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.std = s.create_account(plan="standard", registered="2026-03-01")
        cls.other = s.create_account(plan="standard", registered="2026-03-01")
        cls.free = s.create_account(registered="2026-03-01")
        cls.routes = s.routes(cls.std["opid"])
        cls.ans = sorted(cls.routes)
        cls.dns = sorted({d for ds in cls.routes.values() for d in ds})
        if len(cls.ans) < 3 or len(cls.dns) < 2:
            raise AssertionError(f"the registry fixture gives too few numbers: {cls.routes}")
        cls.other_ans = sorted(s.routes(cls.other["opid"]))
        cls.records = make_records(31, cls.routes, dt.date(2026, 8, 1), dt.date(2026, 11, 19), 10, "g")
        got = s.ingest_all(cls.records)
        if got["accepted"] != len(cls.records):
            raise AssertionError(f"set-up ingest: {got}")

    def setUp(self):
        self.c = self.login(self.std)
        self.addCleanup(self.c.logout, strict=False)

    def create(self, kind, name, members, client=None, status=201):
        return self.assertStatus((client or self.c).post(f"/api/groups/{kind}", {"name": name, "members": members}),
                                 status, f"POST {kind} {name}")

    def delete_all(self, client=None):
        c = client or self.c
        for kind in ("an", "dn"):
            for g in self.assertStatus(c.get(f"/api/groups/{kind}"), 200)["groups"]:
                self.assertStatus(c.request("DELETE", f"/api/groups/{kind}/{g['id']}"), 204)

    def analysis(self, name, status=200, client=None, **params):
        return self.assertStatus((client or self.c).get(f"/api/analytics/{name}", params=params), status,
                                 f"{name} {params}")

    # -- the routes ------------------------------------------------------------------------------

    def test_create_list_show_replace_delete(self):
        self.addCleanup(self.delete_all)
        west = self.create("an", "西日本", [hyphenated(self.ans[1])])
        east = self.create("an", "東日本", [self.ans[0], hyphenated(self.ans[0]), self.ans[2]])
        self.assertRegex(east["id"], HEX_ID)
        self.assertEqual(east["name"], "東日本")
        self.assertEqual(east["members"], [self.ans[0], self.ans[2]])  # digits, each once, in order
        listed = self.assertStatus(self.c.get("/api/groups/an"), 200)
        # Sorted by name (UTF-8 byte order: 東 E6 9D B1 before 西 E8 A5 BF).
        self.assertEqual([g["name"] for g in listed["groups"]], ["東日本", "西日本"])
        self.assertEqual(listed["groups"][0], east)
        self.assertEqual(self.assertStatus(self.c.get(f"/api/groups/an/{west['id']}"), 200), west)
        self.assertEqual(self.assertStatus(self.c.get("/api/groups/dn"), 200), {"groups": []})

        replaced = self.assertStatus(
            self.c.put(f"/api/groups/an/{west['id']}", {"name": "West", "members": [self.ans[1], self.ans[2]]}), 200)
        self.assertEqual(replaced, {"id": west["id"], "name": "West", "members": [self.ans[1], self.ans[2]]})
        self.assertEqual(self.assertStatus(self.c.get(f"/api/groups/an/{west['id']}"), 200), replaced)

        dn = self.create("dn", "Tokyo DNs", [hyphenated(self.dns[0])])
        self.assertEqual(dn["members"], [self.dns[0]])
        # A DN group's ID is not an AN group's.
        self.assertCustomerError(self.c.get(f"/api/groups/an/{dn['id']}"), 404, "not_found")

        self.assertStatus(self.c.request("DELETE", f"/api/groups/an/{west['id']}"), 204)
        self.assertCustomerError(self.c.get(f"/api/groups/an/{west['id']}"), 404, "not_found")
        self.assertCustomerError(self.c.request("DELETE", f"/api/groups/an/{west['id']}"), 404, "not_found")
        self.assertCustomerError(self.c.put(f"/api/groups/an/{west['id']}", {"name": "x", "members": [self.ans[0]]}),
                                 404, "not_found")
        self.assertEqual([g["id"] for g in self.assertStatus(self.c.get("/api/groups/an"), 200)["groups"]],
                         [east["id"]])

    def test_every_rule_names_its_field(self):
        self.addCleanup(self.delete_all)
        self.create("an", "East", [self.ans[0]])
        self.create("dn", "East", [self.dns[0]])  # unique per kind only
        cases = [
            ({"members": [self.ans[0]]}, "name", "required"),
            ({"name": "", "members": [self.ans[0]]}, "name", "required"),
            ({"name": "x" * 51, "members": [self.ans[0]]}, "name", "too_long"),
            ({"name": "a\tb", "members": [self.ans[0]]}, "name", "invalid"),
            ({"name": "East", "members": [self.ans[1]]}, "name", "name_taken"),
            ({"name": "y"}, "members", "required"),
            ({"name": "y", "members": []}, "members", "required"),
            ({"name": "y", "members": ["abc"]}, "members", "invalid"),
            ({"name": "y", "members": [self.ans[0]] * 1001}, "members", "too_many"),
            ({"name": "y", "members": [self.dns[0]]}, "members", "an_not_in_account"),
            ({"name": "y", "members": [self.other_ans[0]]}, "members", "an_not_in_account"),
        ]
        for body, field, code in cases:
            with self.subTest(body=str(body)[:80]):
                answer = self.assertStatus(self.c.post("/api/groups/an", body), 422)
                self.assertFieldError(answer, field, code)
        self.assertFieldError(self.assertStatus(self.c.post("/api/groups/dn", {"name": "z", "members": [self.ans[0]]}),
                                                422), "members", "dn_not_in_account")
        self.assertStatus(self.c.post("/api/groups/an", {"name": "x" * 50, "members": [self.ans[0]]}), 201)
        # The messages are the groups' own, in the customer's language, naming the number refused.
        answer = self.assertStatus(self.c.post("/api/groups/an", {"name": "East", "members": [self.other_ans[0]]}), 422)
        messages = {e["code"]: e["message"] for e in answer["errors"]}
        self.assertIn("同じ名前のグループ", messages["name_taken"])
        self.assertTrue(messages["an_not_in_account"].endswith(f"({self.other_ans[0]})"), messages)
        english = self.assertStatus(self.c.post("/api/groups/an", {"name": ""}, lang="en"), 422)
        self.assertIn("Please enter the group name.", [e["message"] for e in english["errors"]])
        # Every broken rule at once.
        both = self.assertStatus(self.c.post("/api/groups/an", {"name": "", "members": []}), 422)
        self.assertEqual(sorted(e["field"] for e in both["errors"]), ["members", "name"])
        # Not JSON at all.
        self.assertCustomerError(self.c.post("/api/groups/an", b"{nope", headers={"Content-Type": "application/json"}),
                                 400, "json")
        # Replacing a group may keep its own name.
        east = self.assertStatus(self.c.get("/api/groups/an"), 200)["groups"][0]
        self.assertStatus(self.c.put(f"/api/groups/an/{east['id']}", {"name": east["name"], "members": [self.ans[1]]}),
                          200)

    def test_at_most_100_groups_of_a_kind(self):
        acct = self.srv.create_account(plan="standard", registered="2026-03-01")
        c = self.login(acct)
        an = next(iter(self.srv.routes(acct["opid"])))
        for i in range(100):
            self.create("an", f"g{i:03d}", [an], client=c)
        answer = self.assertStatus(c.post("/api/groups/an", {"name": "one more", "members": [an]}), 422)
        self.assertFieldError(answer, "", "too_many")
        self.assertEqual(len(self.assertStatus(c.get("/api/groups/an"), 200)["groups"]), 100)
        dn = self.srv.routes(acct["opid"])[an][0]
        self.create("dn", "still fine", [dn], client=c)  # the other kind has its own 100

    def test_groups_of_another_account_are_not_found(self):
        other = self.login(self.other)
        theirs = self.create("an", "Theirs", [self.other_ans[0]], client=other)
        self.addCleanup(self.delete_all, other)
        for method, body in (("GET", None), ("PUT", {"name": "mine", "members": [self.ans[0]]}), ("DELETE", None)):
            with self.subTest(method=method):
                self.assertCustomerError(self.c.request(method, f"/api/groups/an/{theirs['id']}", body), 404,
                                         "not_found")
        answer = self.analysis("traffic", status=400, an_group=theirs["id"])
        self.assertEqual(answer["error"]["code"], "invalid_parameter")
        self.assertEqual(answer["error"].get("field"), "an_group")
        self.assertEqual(len(self.assertStatus(other.get("/api/groups/an"), 200)["groups"]), 1)

    def test_free_accounts_get_plan_required_before_the_body(self):
        c = self.login(self.free)
        for method, path, body in (("GET", "/api/groups/an", None), ("GET", "/api/groups/dn", None),
                                   ("POST", "/api/groups/an", {"name": "x", "members": ["0120000000"]}),
                                   ("POST", "/api/groups/dn", b"{not json"),
                                   ("GET", "/api/groups/an/0123456789abcdef", None),
                                   ("PUT", "/api/groups/an/0123456789abcdef", b"{not json"),
                                   ("DELETE", "/api/groups/dn/0123456789abcdef", None)):
            with self.subTest(method=method, path=path):
                headers = {"Content-Type": "application/json"} if isinstance(body, bytes) else None
                self.assertCustomerError(c.request(method, path, body, headers=headers), 403, "plan_required")
        for param in ("an_group", "dn_group"):
            answer = self.analysis("traffic", status=403, client=c, **{param: "0123456789abcdef"})
            self.assertEqual(answer["error"]["code"], "plan_required")

    def test_groups_survive_a_restart_and_go_with_a_move_to_free(self):
        acct = self.srv.create_account(plan="standard", registered="2026-03-01")
        routes = self.srv.routes(acct["opid"])
        an = next(iter(routes))
        c = self.login(acct)
        g = self.create("an", "Kept", [an], client=c)
        d = self.create("dn", "Kept DN", [routes[an][0]], client=c)
        c.logout()  # sessions survive a restart (SPEC §19): this one would answer 409 below
        self.srv.restart()
        c = self.login(acct)
        self.assertEqual(self.assertStatus(c.get("/api/groups/an"), 200)["groups"], [g])
        self.assertEqual(self.assertStatus(c.get("/api/groups/dn"), 200)["groups"], [d])
        self.assertEqual(self.analysis("traffic", client=c, an_group=g["id"])["filters"]["an_group"], [g["id"]])
        self.assertStatus(c.post("/api/plan", {"plan": "free", "confirm": True}), 200)
        self.assertStatus(c.post("/api/plan", {"plan": "standard", "billing_an": an, "billing_phone": BILLING_PHONE}),
                          200)
        self.assertEqual(self.assertStatus(c.get("/api/groups/an"), 200), {"groups": []})
        self.assertEqual(self.assertStatus(c.get("/api/groups/dn"), 200), {"groups": []})
        answer = self.analysis("traffic", status=400, client=c, an_group=g["id"])
        self.assertEqual(answer["error"].get("field"), "an_group")

    # -- the filters -----------------------------------------------------------------------------

    def check_traffic(self, frm, to, want_ans=None, want_dns=None, **params):
        answer = self.analysis("traffic", granularity="month", **query(frm, to), **params)
        want_series, want_totals = series(self.records, frm, to, "month", traffic_of, an=want_ans, dn=want_dns)
        self.assertEqual(answer["series"], want_series, params)
        self.assertEqual(answer["totals"], want_totals, params)
        return answer

    def test_an_and_dn_groups_filter_every_analysis(self):
        self.addCleanup(self.delete_all)
        frm, to = dt.date(2026, 8, 1), TODAY
        a = self.create("an", "A", [self.ans[0], self.ans[1]])
        b = self.create("an", "B", [self.ans[1], self.ans[2]])
        d = self.create("dn", "D", [self.dns[0]])

        one = self.check_traffic(frm, to, want_ans=self.ans[:2], an_group=a["id"])
        self.assertEqual(one["filters"]["an_group"], [a["id"]])
        self.assertEqual(one["filters"]["an"], self.ans[:2])
        # Several groups: the union (as a comma list or a repeated parameter).
        self.check_traffic(frm, to, want_ans=self.ans[:3], an_group=f"{a['id']},{b['id']}")
        # With `an`: the intersection.
        self.check_traffic(frm, to, want_ans=[self.ans[1]], an_group=a["id"], an=f"{self.ans[1]},{self.ans[2]}")
        # An intersection that leaves nothing answers zero figures, not every AN.
        empty = self.check_traffic(frm, to, want_ans=["none"], an_group=a["id"], an=self.ans[2])
        self.assertEqual(empty["totals"]["calls"], 0)
        self.assertEqual(empty["filters"]["an"], [])
        # A DN group on a basic analysis uses the per-DN figures.
        by_dn = self.check_traffic(frm, to, want_dns=[self.dns[0]], dn_group=d["id"])
        self.assertEqual(by_dn["filters"]["dn"], [self.dns[0]])
        self.assertEqual(by_dn["filters"]["dn_group"], [d["id"]])
        self.check_traffic(frm, to, want_ans=self.ans[:2], want_dns=[self.dns[0]], an_group=a["id"], dn_group=d["id"])

        # A detailed analysis: calls by originating prefecture of the group's ANs.
        dfrom = dt.date(2026, 9, 1)
        origin = self.analysis("origin", **query(dfrom, to), an_group=a["id"], dn_group=d["id"])
        rs = chosen(self.records, dfrom, to, an=self.ans[:2], dn=[self.dns[0]])
        self.assertEqual(origin["totals"]["calls"], len(rs))
        self.assertEqual(sum(row["calls"] for row in origin["rows"]), len(rs))
        self.assertEqual(origin["filters"]["an_group"], [a["id"]])
        nothing = self.analysis("numbers", **query(dfrom, to), an_group=a["id"], an=self.ans[2])
        self.assertEqual(nothing["rows"], [])

        # An unknown ID names its parameter.
        for param in ("an_group", "dn_group"):
            answer = self.analysis("traffic", status=400, **{param: "0123456789abcdef"})
            self.assertEqual((answer["error"]["code"], answer["error"].get("field")), ("invalid_parameter", param))
        # A DN group's ID is not an AN group's.
        answer = self.analysis("traffic", status=400, an_group=d["id"])
        self.assertEqual(answer["error"].get("field"), "an_group")
