"""Child IDs (SPEC §15 "Child IDs") through the real binary: the main ID's /api/users routes and
their rules, the "ready to use" mail, a child's own login (password, mailed second factor,
lockout, one session), `role` in /api/me, 403 forbidden_role on every route a child may not use,
the an_groups limit on every analysis (a limited child sees exactly what its main ID sees with
`an` set to the group's ANs, and 404 for any other AN or DN) and on the groups (cut to its ANs
and their DNs, the others hidden), and disabling, deleting and a move
to free ending the child's session at once."""

import datetime as dt
import re

from cxs_harness import (BILLING_PHONE, PASSWORD, SUBJECT_CHANGED, CustomerClient, CustomerTestCase, mail_mark,
                          mails_to, start_login, wait_mail)
from test_detailed import DETAILED, make_records

ID = re.compile(r"^[A-Za-z0-9]{10}$")
BASIC = ("traffic", "compare", "incomplete")
SUBJECT_CHILD_READY = "ご利用開始のお知らせ（子ID）"
CHILD_PASSWORD = "Child1Passw0rd"


class ChildIds(CustomerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.srv
        cls.std = s.create_account(plan="standard", registered="2026-03-01")
        cls.free = s.create_account(registered="2026-03-01")
        cls.routes = s.routes(cls.std["opid"])
        cls.ans = sorted(cls.routes)
        if len(cls.ans) < 2:
            raise AssertionError(f"the registry fixture gives too few ANs: {cls.routes}")
        records = make_records(57, cls.routes, dt.date(2026, 9, 1), dt.date(2026, 11, 19), 8, "ch")
        got = s.ingest_all(records)
        if got["accepted"] != len(records):
            raise AssertionError(f"set-up ingest: {got}")

    def setUp(self):
        self.c = self.login(self.std)
        self.addCleanup(self.c.logout, strict=False)
        self.addCleanup(self.delete_children)

    def delete_children(self):
        for u in self.assertStatus(self.c.get("/api/users"), 200)["users"]:
            self.assertStatus(self.c.request("DELETE", f"/api/users/{u['id']}"), 204)

    def new_child(self, email="child@example.com", **extra):
        body = {"password": CHILD_PASSWORD, "email": email, "person": "子 太郎", "auth_method": "otp", **extra}
        return self.assertStatus(self.c.post("/api/users", body), 201, str(body))["id"]

    def child_login(self, child_id, email="child@example.com"):
        return self.login(child_id, CHILD_PASSWORD, email_to=email)

    def anonymous(self):
        c = CustomerClient(self.srv)
        self.addCleanup(c.close)
        return c

    def group(self, members):
        g = self.assertStatus(self.c.post("/api/groups/an", {"name": f"g{len(members)}-{members[0]}",
                                                             "members": members}), 201)
        self.addCleanup(lambda: self.c.request("DELETE", f"/api/groups/an/{g['id']}"))
        return g["id"]

    # -- the main ID's routes --------------------------------------------------------------------

    def test_create_list_patch_delete_and_the_ready_mail(self):
        mark = mail_mark(self.srv)
        child = self.new_child("Ready.Child@example.com")
        self.assertRegex(child, ID)
        self.assertNotEqual(child, self.std["id"])
        mail = wait_mail(self.srv, SUBJECT_CHILD_READY, to="ready.child@example.com", after=mark)
        self.assertMailBasics(mail, "ready.child@example.com", secrets=(CHILD_PASSWORD, PASSWORD))
        self.assertIn(child, mail.text)
        listed = self.assertStatus(self.c.get("/api/users"), 200)["users"]
        self.assertEqual(listed, [{"id": child, "email": "Ready.Child@example.com", "person": "子 太郎",
                                   "auth_method": "otp", "an_groups": [], "disabled": False,
                                   "created": "2026-11-20"}])
        self.assertEqual(self.assertStatus(self.c.get(f"/api/users/{child}"), 200), listed[0])
        g = self.group([self.ans[0]])
        patched = self.assertStatus(self.c.request("PATCH", f"/api/users/{child}",
                                                   {"person": "子 次郎", "an_groups": [g]}), 200)
        self.assertEqual((patched["person"], patched["an_groups"], patched["email"]),
                         ("子 次郎", [g], "Ready.Child@example.com"))
        self.assertStatus(self.c.request("DELETE", f"/api/users/{child}"), 204)
        self.assertCustomerError(self.c.get(f"/api/users/{child}"), 404, "not_found")
        self.assertCustomerError(self.c.request("DELETE", f"/api/users/{child}"), 404, "not_found")
        self.assertCustomerError(self.c.request("PATCH", f"/api/users/{self.std['id']}", {"person": "x"}), 404,
                                 "not_found")

    def test_a_new_address_is_told_at_the_old_and_the_new_one(self):
        """SPEC §18's notice for a child: its main ID changes its address, both addresses hear of
        it (never a password); a change of person alone sends nothing."""
        child = self.new_child("before.move@example.com")
        mark = mail_mark(self.srv)
        self.assertStatus(self.c.request("PATCH", f"/api/users/{child}", {"person": "子 三郎"}), 200)
        self.assertStatus(self.c.request("PATCH", f"/api/users/{child}", {"email": "after.move@example.com"}), 200)
        for to in ("before.move@example.com", "after.move@example.com"):
            mail = wait_mail(self.srv, SUBJECT_CHANGED, to=to, after=mark)
            self.assertMailBasics(mail, to, SUBJECT_CHANGED, secrets=(CHILD_PASSWORD, PASSWORD))
            self.assertIn("・メールアドレス（メインIDの管理者による変更）", mail.lines())
            self.assertIn(child, mail.text)
            self.assertIn("子 三郎", mail.text)
        self.assertEqual(len(mails_to(self.srv, "before.move@example.com", mark, SUBJECT_CHANGED)), 1,
                         "the change of person sent no notice")
        self.child_login(child, "after.move@example.com").logout()

    def test_the_rules_name_their_fields(self):
        for body, field, code in (
                ({}, "password", "required"),
                ({"password": "short"}, "password", "weak_password"),
                ({"email": "not-an-address"}, "email", "invalid"),
                ({"person": "a\nb"}, "person", "invalid"),
                ({"auth_method": "sms"}, "auth_method", "invalid"),
                ({"an_groups": "x"}, "an_groups", "invalid"),
                ({"an_groups": ["0123456789abcdef"]}, "an_groups", "unknown_group")):
            with self.subTest(body=body):
                full = {"password": CHILD_PASSWORD, "email": "c@example.com", "person": "子", "auth_method": "otp"}
                full.update(body)
                if body == {}:
                    full = {}
                got = self.assertStatus(self.c.post("/api/users", full), 422)
                self.assertFieldError(got, field, code)
        bad = self.assertStatus(self.c.request("PATCH", f"/api/users/{self.new_child()}", {"disabled": "yes"}), 422)
        self.assertFieldError(bad, "disabled", "invalid")

    def test_at_most_fifty(self):
        for i in range(50):
            self.new_child(f"c{i}@example.com")
        got = self.assertStatus(self.c.post("/api/users", {"password": CHILD_PASSWORD, "email": "x@example.com",
                                                           "person": "x", "auth_method": "otp"}), 422)
        self.assertEqual([(e["field"], e["code"]) for e in got["errors"]], [("", "too_many")])

    def test_free_accounts_get_plan_required(self):
        c = self.login(self.free)
        self.addCleanup(c.logout, strict=False)
        self.assertCustomerError(c.get("/api/users"), 403, "plan_required")
        self.assertCustomerError(c.post("/api/users", {}), 403, "plan_required")

    # -- a child's login and role ----------------------------------------------------------------

    def test_a_child_logs_in_on_its_own_and_changes_nothing_of_the_account(self):
        child = self.new_child()
        kid = self.child_login(child)
        me = self.assertStatus(kid.get("/api/me"), 200)
        self.assertEqual((me["id"], me["role"], me["email"], me["plan"], me["opid"]),
                         (child, "child", "child@example.com", "standard", self.std["opid"]))
        self.assertEqual(sorted(me["ans"]), self.ans)
        self.assertEqual(self.assertStatus(self.c.get("/api/me"), 200)["role"], "main")
        # Both are logged in at once: one session per ID, not per account.
        self.assertStatus(self.c.get("/api/groups/an"), 200)
        self.assertStatus(kid.get("/api/groups/an"), 200)
        self.assertStatus(kid.get("/api/custom"), 200)
        self.assertStatus(kid.get("/api/plan"), 200)
        self.assertStatus(kid.get("/api/analytics/traffic"), 200)
        for method, path, body in (("POST", "/api/groups/an", {"name": "x", "members": [self.ans[0]]}),
                                   ("PUT", "/api/groups/an/0123456789abcdef", {"name": "x", "members": []}),
                                   ("DELETE", "/api/groups/dn/0123456789abcdef", None),
                                   ("POST", "/api/custom", {"name": "x"}),
                                   ("DELETE", "/api/custom/0123456789abcdef", None),
                                   ("POST", "/api/plan", {"plan": "free", "confirm": True}),
                                   ("GET", "/api/users", None),
                                   ("POST", "/api/users", {}),
                                   ("PATCH", f"/api/users/{child}", {"disabled": False}),
                                   ("DELETE", f"/api/users/{child}", None)):
            with self.subTest(method=method, path=path):
                self.assertCustomerError(kid.request(method, path, body), 403, "forbidden_role")
        self.assertCustomerError(kid.post("/api/custom/upload", b"t,value\n", headers={"Content-Type": "text/csv"},
                                          params={"name": "x"}), 403, "forbidden_role")
        self.assertEqual(self.assertStatus(self.c.get("/api/plan"), 200)["plan"], "standard")
        # Its own settings are its own.
        changed = self.assertStatus(kid.put("/api/me", {"person": "子 三郎"}), 200)
        self.assertEqual(changed["person"], "子 三郎")
        # A child ID logs in with one-time passwords only (no download site of its own).
        refused = self.assertStatus(kid.put("/api/me", {"auth_method": "certificate", "current_password": CHILD_PASSWORD}),
                                    422)
        self.assertEqual([(e["field"], e["code"]) for e in refused["errors"]], [("auth_method", "unavailable")])
        self.assertEqual(self.assertStatus(self.c.get("/api/users"), 200)["users"][0]["person"], "子 三郎")
        self.assertNotEqual(self.assertStatus(self.c.get("/api/me"), 200)["person"], "子 三郎")
        kid.logout()

    def test_an_operator_cannot_switch_a_child_to_certificate_either(self):
        # SPEC §19 support on a child ID: otp is the only method it has, whoever asks; nothing is
        # mailed and nothing changes.
        s = self.srv
        before = mail_mark(s)
        kid = self.new_child(email="kid.support@example.com")
        wait_mail(s, "【CX Support】ご利用開始のお知らせ（子ID）", to="kid.support@example.com", after=before)
        mark = mail_mark(s)
        refused = self.assertStatus(s.admin("PUT", f"/admin/accounts/{kid}/auth_method",
                                            {"auth_method": "certificate"}), 422)
        self.assertEqual([(e["field"], e["code"]) for e in refused["errors"]], [("auth_method", "unavailable")])
        self.assertTrue(refused["errors"][0]["message"])
        self.assertEqual(self.assertStatus(s.admin("PUT", f"/admin/accounts/{kid}/auth_method",
                                                   {"auth_method": "otp"}), 200)["auth_method"], "otp")
        self.assertNoMailTo("kid.support@example.com", mark, "a refused switch")

    def test_a_childs_lockout_is_its_own(self):
        child = self.new_child()
        for _ in range(5):
            self.assertStatus(self.anonymous().post("/api/login", {"id": child, "password": "Wrong1Password"}), 401)
        self.assertCustomerError(self.anonymous().post("/api/login", {"id": child, "password": CHILD_PASSWORD}), 423,
                                 "locked")
        self.assertStatus(self.c.get("/api/me"), 200)  # the main ID goes on

    # -- the an_groups limit ---------------------------------------------------------------------

    def test_a_limited_child_sees_only_its_groups_ans_on_every_analysis(self):
        allowed, hidden = self.ans[0], self.ans[1]
        child = self.new_child(an_groups=[self.group([allowed])])
        kid = self.child_login(child)
        self.addCleanup(kid.logout, strict=False)
        me = self.assertStatus(kid.get("/api/me"), 200)
        self.assertEqual((me["ans"], me["dns"]), ([allowed], self.routes[allowed]))
        # Its own settings answer with the same cut lists.
        changed = self.assertStatus(kid.put("/api/me", {"person": "子 四郎"}), 200)
        self.assertEqual((changed["ans"], changed["dns"]), ([allowed], self.routes[allowed]))
        main_me = self.assertStatus(self.c.get("/api/me"), 200)
        self.assertEqual(sorted(main_me["dns"]), sorted({d for ds in self.routes.values() for d in ds}))
        for name in BASIC + DETAILED:
            with self.subTest(name=name):
                params = {"from": "2026-10-01", "to": "2026-11-19"} if name not in DETAILED else {}
                if name == "calls-minutes":
                    params = {"from": "2026-11-10", "to": "2026-11-10", "granularity": "hour"}
                if name == "compare":
                    params = {"from": "2026-11-01", "to": "2026-11-10", "b_from": "2026-10-01", "b_to": "2026-10-10"}
                seen = self.assertStatus(kid.get(f"/api/analytics/{name}", params=params), 200)
                main = self.assertStatus(self.c.get(f"/api/analytics/{name}", params={**params, "an": allowed}), 200)
                self.assertEqual(seen, main)
                everything = self.assertStatus(self.c.get(f"/api/analytics/{name}", params=params), 200)
                self.assertNotEqual(seen, everything, "the fixture's other AN has calls too")
                self.assertCustomerError(kid.get(f"/api/analytics/{name}", params={**params, "an": hidden}), 404,
                                         "not_found")
                hidden_dn = next(d for d in self.routes[hidden] if d not in self.routes[allowed])
                self.assertCustomerError(kid.get(f"/api/analytics/{name}", params={**params, "dn": hidden_dn}), 404,
                                         "not_found")
        # A new limit applies to the next request.
        self.assertStatus(self.c.request("PATCH", f"/api/users/{child}", {"an_groups": []}), 200)
        self.assertEqual(self.assertStatus(kid.get("/api/analytics/traffic", params={"from": "2026-10-01"}), 200),
                         self.assertStatus(self.c.get("/api/analytics/traffic", params={"from": "2026-10-01"}), 200))

    def test_a_limited_child_sees_the_groups_cut_to_its_ans(self):
        allowed, hidden = self.ans[0], self.ans[1]
        hidden_dn = next(d for d in self.routes[hidden] if d not in self.routes[allowed])
        own = self.group([allowed])
        mixed = self.group([hidden, allowed])
        other = self.group([hidden])
        dn_groups = {}
        for name, members in (("mixed", [hidden_dn, self.routes[allowed][0]]), ("far", [hidden_dn])):
            g = self.assertStatus(self.c.post("/api/groups/dn", {"name": name, "members": members}), 201)
            self.addCleanup(lambda gid=g["id"]: self.c.request("DELETE", f"/api/groups/dn/{gid}"))
            dn_groups[name] = g["id"]
        child = self.new_child(an_groups=[own])
        kid = self.child_login(child)
        self.addCleanup(kid.logout, strict=False)

        def listed(client, kind):
            return {g["id"]: g["members"] for g in self.assertStatus(client.get(f"/api/groups/{kind}"), 200)["groups"]}

        self.assertEqual(listed(kid, "an"), {own: [allowed], mixed: [allowed]})
        self.assertEqual(listed(kid, "dn"), {dn_groups["mixed"]: [self.routes[allowed][0]]})
        self.assertEqual(self.assertStatus(kid.get(f"/api/groups/an/{mixed}"), 200)["members"], [allowed])
        self.assertCustomerError(kid.get(f"/api/groups/an/{other}"), 404, "not_found")
        self.assertCustomerError(kid.get(f"/api/groups/dn/{dn_groups['far']}"), 404, "not_found")
        # The main ID sees every group whole.
        self.assertEqual(listed(self.c, "an")[mixed], [hidden, allowed])
        self.assertEqual(listed(self.c, "dn")[dn_groups["far"]], [hidden_dn])
        # A group the child is not shown is unknown to its filters too; a cut one selects its part.
        params = {"from": "2026-10-01", "to": "2026-11-19"}
        for param, gid in (("an_group", other), ("dn_group", dn_groups["far"])):
            body = self.assertCustomerError(kid.get("/api/analytics/traffic", params={**params, param: gid}), 400,
                                            "invalid_parameter", param)
            self.assertEqual(body["error"].get("field"), param)
        self.assertEqual(
            self.assertStatus(kid.get("/api/analytics/traffic", params={**params, "an_group": mixed}), 200)["totals"],
            self.assertStatus(self.c.get("/api/analytics/traffic", params={**params, "an": allowed}), 200)["totals"])
        # Without a limit the child sees what its main ID sees.
        self.assertStatus(self.c.request("PATCH", f"/api/users/{child}", {"an_groups": []}), 200)
        for kind in ("an", "dn"):
            self.assertEqual(listed(kid, kind), listed(self.c, kind))

    def test_a_deleted_group_leaves_its_child_nothing(self):
        g = self.group([self.ans[0]])
        child = self.new_child(an_groups=[g])
        self.assertStatus(self.c.request("DELETE", f"/api/groups/an/{g}"), 204)
        kid = self.child_login(child)
        self.addCleanup(kid.logout, strict=False)
        self.assertEqual(self.assertStatus(kid.get("/api/me"), 200)["ans"], [])
        self.assertEqual(self.assertStatus(kid.get("/api/groups/an"), 200)["groups"], [])
        got = self.assertStatus(kid.get("/api/analytics/traffic", params={"from": "2026-10-01"}), 200)
        self.assertEqual(got["totals"]["calls"], 0)

    # -- ending a child's session ----------------------------------------------------------------

    def test_disabling_and_deleting_end_the_session_at_once(self):
        child = self.new_child()
        kid = self.child_login(child)
        self.assertStatus(self.c.request("PATCH", f"/api/users/{child}", {"disabled": True}), 200)
        self.assertCustomerError(kid.get("/api/me"), 401, "unauthenticated")
        self.assertCustomerError(self.anonymous().post("/api/login", {"id": child, "password": CHILD_PASSWORD}), 401,
                                 "invalid_credentials")
        self.assertStatus(self.c.request("PATCH", f"/api/users/{child}", {"disabled": False}), 200)
        kid = self.child_login(child)
        self.assertStatus(kid.get("/api/me"), 200)
        self.assertStatus(self.c.request("DELETE", f"/api/users/{child}"), 204)
        self.assertCustomerError(kid.get("/api/me"), 401, "unauthenticated")

    def test_a_pending_login_of_a_disabled_child_starts_no_session(self):
        child = self.new_child()
        kid = self.anonymous()
        ticket, code = start_login(kid, child, CHILD_PASSWORD, "child@example.com")
        self.assertStatus(self.c.request("PATCH", f"/api/users/{child}", {"disabled": True}), 200)
        status, _, body = kid.post("/api/login/otp", {"ticket": ticket, "code": code})
        self.assertEqual(status, 401, body)

    def test_a_move_to_free_removes_the_children_and_their_sessions(self):
        acct = self.srv.create_account(plan="standard", registered="2026-03-01")
        main = self.login(acct)
        body = {"password": CHILD_PASSWORD, "email": "gone@example.com", "person": "子", "auth_method": "otp"}
        child = self.assertStatus(main.post("/api/users", body), 201)["id"]
        kid = self.login(child, CHILD_PASSWORD, email_to="gone@example.com")
        self.assertStatus(main.post("/api/plan", {"plan": "free", "confirm": True}), 200)
        self.assertCustomerError(kid.get("/api/me"), 401, "unauthenticated")
        self.assertCustomerError(self.anonymous().post("/api/login", {"id": child, "password": CHILD_PASSWORD}), 401,
                                 "invalid_credentials")
        self.assertStatus(main.post("/api/plan", {"plan": "standard", "billing_an": sorted(self.srv.routes(
            acct["opid"]))[0], "billing_phone": BILLING_PHONE}), 200)
        self.assertEqual(self.assertStatus(main.get("/api/users"), 200), {"users": []})
        main.logout()
